// `finetune-prep prepare` with a tokenizer whose chat template is hostile: exit 1 with the
// TemplateError naming the limit, and no --out folder left behind (the built command, a process of
// its own, so that a regression hangs or crashes that process and not the test).
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runBuiltCliAsync } from "../helpers/built-cli.js";
import { pythiaDir, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("cli-hostile-template");
const chatRows = join(repoRoot, "test", "fixtures", "cli", "chat.jsonl");

function tokenizerWithTemplate(name: string, template: string): string {
  const dir = tmp.path(name);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(pythiaDir(), "tokenizer.json"), join(dir, "tokenizer.json"));
  const config = JSON.parse(readFileSync(join(pythiaDir(), "tokenizer_config.json"), "utf8")) as Record<string, unknown>;
  writeFileSync(join(dir, "tokenizer_config.json"), JSON.stringify({ ...config, chat_template: template }));
  return dir;
}

describe("prepare with a hostile chat template", () => {
  for (const [name, template, message] of [
    ["range", "{% for i in range(10**8) %}{{ i }}{% endfor %}", /Range too big\. The sandbox blocks ranges larger than MAX_RANGE \(100000\)\./],
    [
      "steps",
      "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
      /the step budget allows \(10,000,000 steps\)|the time limit \(5 s\)/,
    ],
    ["output", "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", /the output limit \(10,000,000 characters\)/],
  ] as const) {
    it(`${name}: exit 1, the TemplateError naming the limit, no output folder`, async () => {
      const out = tmp.path(`out-${name}`);
      const r = await runBuiltCliAsync(
        ["prepare", "--dataset", chatRows, "--tokenizer", tokenizerWithTemplate(name, template), "--out", out, "--no-progress"],
        { cwd: tmp.dir },
      );
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(existsSync(out)).toBe(false);
    }, 120_000);
  }
});
