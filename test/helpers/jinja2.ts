// The chat-template oracle: Debian's python3-jinja2 rendering templates with the environment
// transformers compiles chat templates in (test/helpers/jinja2-render.py), live in the tests.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./shared.js";

export interface Jinja2Case {
  template: string;
  /** The template's variables (JSON: what Python's json.loads gives the template). */
  context?: Record<string, unknown>;
  /** Record where each {% generation %} block landed (transformers' AssistantTracker). */
  generation?: boolean;
  /** Cut the text after the final message as transformers' `continue_final_message=True` does. */
  continue_final_message?: boolean;
}

export type Jinja2Result = { text: string; generation?: [number, number][] } | { error: string; type: string };

const PYTHON = "/usr/bin/python3";

/**
 * Renders every case with Jinja2 in one Python process; results in the same order. Asynchronous,
 * so that the test worker keeps answering while Python works.
 */
export function jinja2Render(cases: readonly Jinja2Case[]): Promise<Jinja2Result[]> {
  const child = spawn(PYTHON, [join(repoRoot, "test", "helpers", "jinja2-render.py")], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
  child.stdin.end(JSON.stringify({ cases }));
  return new Promise((resolve, reject) => {
    child.once("error", (e) => reject(new Error(`Could not run ${PYTHON} (Debian's python3 with python3-jinja2): ${e.message}`)));
    child.once("close", (code) => {
      if (code !== 0) reject(new Error(`The Jinja2 oracle failed (exit ${code}): ${stderr}`));
      else resolve((JSON.parse(stdout) as { results: Jinja2Result[] }).results);
    });
  });
}

/** One case; throws what Jinja2 raised. */
export async function jinja2RenderOne(c: Jinja2Case): Promise<{ text: string; generation?: [number, number][] }> {
  const r = (await jinja2Render([c]))[0]!;
  if ("error" in r) throw new Error(`Jinja2 raised ${r.type}: ${r.error}`);
  return r;
}
