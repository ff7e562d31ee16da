// TypeScript files of the repo run in child processes (through vite-node, as the tests themselves
// run): for what one test process cannot show — a crash, a hang, a SIGKILL, two processes at once.
import { type ChildProcess, type StdioOptions, spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./shared.js";

const viteNode = join(repoRoot, "node_modules", ".bin", "vite-node");

export interface TsChildOptions {
  /** Variables added to this process's environment. */
  env?: Record<string, string>;
  /** Default: stdin ignored, stdout piped, stderr inherited (a child's trouble shows in the test's output). */
  stdio?: StdioOptions;
}

/** Starts `script` (a path relative to the repository root) with `args`, in the repository root. */
export function spawnTsChild(script: string, args: readonly string[] = [], options: TsChildOptions = {}): ChildProcess {
  return spawn(viteNode, [join(repoRoot, script), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...options.env },
    stdio: options.stdio ?? ["ignore", "pipe", "inherit"],
  });
}

/**
 * test/fixtures/hub/download-child.ts on one file: the child prints "ready" once loaded, starts the
 * download when it reads a line on stdin, then prints `{"path"}` or `{"error"}`.
 */
export function spawnDownloadChild(params: { endpoint: string; cacheDir: string; repoId: string; path: string }): ChildProcess {
  return spawnTsChild("test/fixtures/hub/download-child.ts", [], {
    env: { CHILD_ENDPOINT: params.endpoint, CHILD_CACHE: params.cacheDir, CHILD_REPO: params.repoId, CHILD_PATH: params.path },
    stdio: ["pipe", "pipe", "inherit"],
  });
}

/** The lines a child prints on stdout, as they come: `next()` rejects once the child is gone with no line left. */
export function childLines(child: ChildProcess): { next(): Promise<string> } {
  const queue: string[] = [];
  const waiting: { resolve: (line: string) => void; reject: (e: Error) => void }[] = [];
  let gone: Error | undefined;
  let buf = "";
  child.stdout!.on("data", (d: Buffer) => {
    buf += d.toString();
    for (let nl = buf.indexOf("\n"); nl >= 0; nl = buf.indexOf("\n")) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      const w = waiting.shift();
      if (w) w.resolve(line);
      else queue.push(line);
    }
  });
  child.once("close", (code, signal) => {
    gone = new Error(`the child exited (${signal ?? `code ${code}`}) before printing a line`);
    for (const w of waiting.splice(0)) w.reject(gone);
  });
  return {
    next() {
      if (queue.length > 0) return Promise.resolve(queue.shift()!);
      if (gone) return Promise.reject(gone);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
}
