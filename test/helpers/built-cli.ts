// The built command (dist/cli/main.js) run as a user runs it: a node process of its own.
// dist/ must be built first: `npm test` builds it; alone, `npm run build`.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "./shared.js";

export const builtCli = join(repoRoot, "dist", "cli", "main.js");

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface BuiltCliOptions {
  /** The working folder. */
  cwd: string;
  /** Variables added to this process's environment (DEBUG is cleared unless given). */
  env?: Record<string, string>;
  /** Kill the process (SIGKILL) after this many ms: a hang ends the test instead of stalling it. Default 120 s. */
  timeoutMs?: number;
}

function checkBuilt(): void {
  if (!existsSync(builtCli)) throw new Error(`${builtCli} is missing: build first (npm run build; npm test does it).`);
}

/** Runs `finetune-prep <args>` and waits for it (this process does nothing meanwhile). */
export function runBuiltCli(args: readonly string[], options: BuiltCliOptions): CliOutcome {
  checkBuilt();
  const r = spawnSync(process.execPath, [builtCli, ...args], {
    cwd: options.cwd,
    env: { ...process.env, DEBUG: "", ...options.env },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs `finetune-prep <args>` asynchronously: for a loopback Hub that answers from this process's event loop. */
export function runBuiltCliAsync(args: readonly string[], options: BuiltCliOptions): Promise<CliOutcome> {
  checkBuilt();
  const child = spawn(process.execPath, [builtCli, ...args], {
    cwd: options.cwd,
    env: { ...process.env, DEBUG: "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: options.timeoutMs ?? 120_000,
    killSignal: "SIGKILL",
  });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once("close", (code) => resolve({ code, stdout, stderr })));
}
