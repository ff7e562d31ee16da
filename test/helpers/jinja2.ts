// The chat-template oracle: Debian's python3-jinja2 rendering templates with the environment
// transformers compiles chat templates in (test/helpers/jinja2-render.py), live in the tests.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { repoRoot } from "./shared.js";

export interface Jinja2Case {
  template: string;
  /** The template's variables (JSON: what Python's json.loads gives the template). */
  context?: Record<string, unknown>;
  /** Record where each {% generation %} block landed (transformers' AssistantTracker). */
  generation?: boolean;
}

export type Jinja2Result = { text: string; generation?: [number, number][] } | { error: string; type: string };

const PYTHON = "/usr/bin/python3";

/** Renders every case with Jinja2 in one Python process; results in the same order. */
export function jinja2Render(cases: readonly Jinja2Case[]): Jinja2Result[] {
  const run = spawnSync(PYTHON, [join(repoRoot, "test", "helpers", "jinja2-render.py")], {
    input: JSON.stringify({ cases }),
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.error) throw new Error(`Could not run ${PYTHON} (Debian's python3 with python3-jinja2): ${run.error.message}`);
  if (run.status !== 0) throw new Error(`The Jinja2 oracle failed (exit ${run.status}): ${run.stderr}`);
  return (JSON.parse(run.stdout) as { results: Jinja2Result[] }).results;
}

/** One case; throws what Jinja2 raised. */
export function jinja2RenderOne(c: Jinja2Case): { text: string; generation?: [number, number][] } {
  const r = jinja2Render([c])[0]!;
  if ("error" in r) throw new Error(`Jinja2 raised ${r.type}: ${r.error}`);
  return r;
}
