// Chat templates come from whatever repository a user names: whatever the template does, the
// rendering ends in a TemplateError naming the limit, within 10 s and under 1 GiB, in a child
// process (so that a regression fails the test instead of hanging or killing it).
import { describe, expect, it } from "vitest";
import { spawnTsChild } from "../../helpers/ts-child.js";

const GiB = 1024 ** 3;

function renderInChild(
  template: string,
): Promise<{ error?: string; message?: string; textLength?: number; maxRssBytes?: number; killed?: boolean; code?: number | null }> {
  const child = spawnTsChild("test/fixtures/chat-template/render-child.ts", [template], {
    env: { NODE_OPTIONS: "--max-old-space-size=1024" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let timer: NodeJS.Timeout | undefined;
  // The child's start-up (loading TypeScript through vite-node) can take a while on a busy machine:
  // the 10 s count from the moment it starts rendering. Past them it is killed: a hang.
  const startUp = setTimeout(() => child.kill("SIGKILL"), 120_000);
  child.stdout!.on("data", (d: Buffer) => {
    out += d.toString();
    if (timer === undefined && out.startsWith("start\n")) timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  });
  return new Promise((resolve) =>
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(startUp);
      const result = out.replace(/^start\n/, "").trim();
      resolve(result ? JSON.parse(result) : { killed: signal === "SIGKILL", code });
    }),
  );
}

const HOSTILE: [string, string, RegExp][] = [
  ["range over 10**8 items", "{% for i in range(10**8) %}x{% endfor %}", /Range too big.*MAX_RANGE \(100000\)/],
  [
    "nested range(10**5) loops",
    "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
    /step budget allows \(10,000,000 steps\)|time limit \(5 s\)/,
  ],
  ["100 MB of output", "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", /output limit \(10,000,000 characters\)/],
  [
    "a string doubled 64 times",
    "{% set ns = namespace(s='x') %}{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s | length }}",
    /output limit|step budget|time limit/,
  ],
  [
    "a list doubled 64 times",
    "{% set ns = namespace(l=[1]) %}{% for i in range(64) %}{% set ns.l = ns.l + ns.l %}{% endfor %}{{ ns.l | length }}",
    /step budget|time limit/,
  ],
  ["a string repeated 10**10 times", "{{ 'ab' * 10**10 }}", /step budget|output limit|time limit/],
  ["a list repeated 10**9 times", "{{ ([0] * 10**9) | length }}", /step budget|time limit/],
  [
    "10**10 loop iterations that print",
    "{% for i in range(100000) %}{% for j in range(100000) %}{{ loop.index }}{% endfor %}{% endfor %}",
    /step budget|output limit|time limit/,
  ],
  ["endless macro recursion", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", /recursion/],
];

describe("hostile chat templates end in a TemplateError naming the limit, within 10 s, under 1 GiB", () => {
  for (const [name, template, message] of HOSTILE) {
    it(name, async () => {
      const outcome = await renderInChild(template);
      expect(outcome.killed, "the child hung or was killed").not.toBe(true);
      expect(outcome).toMatchObject({ error: "TemplateError" });
      expect(outcome.message, JSON.stringify(outcome)).toMatch(message);
      expect(outcome.maxRssBytes).toBeLessThan(GiB);
    }, 150_000);
  }
});
