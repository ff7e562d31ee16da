// End to end: the built command (dist/cli/main.js) run as a user runs it, offline on ../shared/hf-home.
// dist/ must be built first: `npm test` builds it; alone, `npm run build`.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { builtCli, runBuiltCli } from "../helpers/built-cli.js";
import { hfHome, type ReferenceIds, referenceIds, referenceSplit, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { duckdbRead } from "../io/helpers.js";

const tmp = tempDir("ftp-cli-");
let reference: ReferenceIds[];

/** Offline, on ../shared/hf-home. */
const run = (args: string[], env: Record<string, string> = {}) => runBuiltCli(args, { cwd: tmp.dir, env: { HF_HOME: hfHome(), HF_HUB_OFFLINE: "1", ...env } });

beforeAll(() => {
  reference = referenceIds();
});

const ids = (v: unknown) => JSON.stringify(Array.from(v as number[]));

/** Rows of a split file in order must be the reference rows at `indices`, with labels as `mode` makes them. */
function expectSplitRows(rows: Record<string, unknown>[], indices: number[], mode: "copy" | "mask-prompt"): void {
  expect(rows).toHaveLength(indices.length);
  const bad: number[] = [];
  rows.forEach((row, k) => {
    const ref = reference[indices[k]!]!;
    const labels = mode === "copy" ? ref.input_ids : ref.input_ids.map((id, j) => (j < ref.prompt_tokens ? -100 : id));
    const ok =
      ids(row.input_ids) === JSON.stringify(ref.input_ids) &&
      ids(row.labels) === JSON.stringify(labels) &&
      (row.attention_mask as number[]).length === ref.input_ids.length;
    if (!ok) bad.push(k);
  });
  expect(bad).toEqual([]);
}

describe("finetune-prep prepare (defaults = the original notebook)", () => {
  let result: ReturnType<typeof run>;
  const out = tmp.path("default");
  beforeAll(() => {
    result = run(["prepare", "--out", out, "--no-progress"]);
  });

  it("exits 0 and prints the summary table on stdout, logs on stderr", () => {
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^split\s+rows\s+examples\s+tokens\s+min\s+median\s+p90\s+p95\s+p99\s+max/m);
    expect(result.stdout).toMatch(/^train\s+1,260\s+1,260\s/m);
    expect(result.stdout).toMatch(/^test\s+140\s+140\s/m);
    expect(result.stderr).toContain("Prepared 1,400 rows");
    expect(readdirSync(out).sort()).toEqual(["stats.json", "test.parquet", "train.parquet"]);
  });

  it("writes numpy's seed-123 split, in order, with Python's ids and labels = input_ids (read by DuckDB)", async () => {
    const split = referenceSplit();
    for (const [name, indices] of [
      ["train", split.train_indices],
      ["test", split.test_indices],
    ] as const) {
      const { types, rows } = await duckdbRead(join(out, `${name}.parquet`));
      expect(types).toEqual({ question: "VARCHAR", answer: "VARCHAR", input_ids: "INTEGER[]", attention_mask: "INTEGER[]", labels: "INTEGER[]" });
      expectSplitRows(rows, indices, "copy");
    }
  });

  it("stats.json: counts that match the files, the settings, no secrets", async () => {
    const stats = JSON.parse(readFileSync(join(out, "stats.json"), "utf8"));
    expect(stats.rows).toEqual({ input: 1400, train: 1260, test: 140 });
    expect(stats.splits.train).toMatchObject({ file: "train.parquet", rows: 1260, examples: 1260, truncated: 0 });
    expect(stats.splits.test).toMatchObject({ file: "test.parquet", rows: 140, examples: 140, truncated: 0 });
    const split = referenceSplit();
    const tokens = (idx: number[]) => idx.reduce((s, i) => s + reference[i]!.input_ids.length, 0);
    expect(stats.splits.train.tokens).toBe(tokens(split.train_indices));
    expect(stats.splits.test.tokens).toBe(tokens(split.test_indices));
    expect(stats.splits.test.tokenLengths.count).toBe(140);
    expect(stats.splits.test.tokenLengths.max).toBe(Math.max(...split.test_indices.map((i) => reference[i]!.input_ids.length)));
    expect(stats).toMatchObject({
      library: { name: "finetune-prep" },
      dataset: { id: "kotzeje/lamini_docs.jsonl", split: "train" },
      tokenizer: { id: "EleutherAI/pythia-70m" },
      template: "### Question:\n{question}\n\n### Answer:",
      maxLength: 2048,
      truncationSide: "left",
      labels: "copy",
      pack: false,
      testSize: 0.1,
      seed: 123,
      format: "parquet",
      truncatedRows: 0,
    });
    expect(Number.isNaN(Date.parse(stats.createdAt))).toBe(false);
    const { rows } = await duckdbRead(join(out, "test.parquet"));
    expect(rows).toHaveLength(stats.rows.test);
  });
});

describe("finetune-prep prepare, other modes", () => {
  it("--labels mask-prompt: -100 on exactly the first prompt_tokens positions", async () => {
    const out = tmp.path("masked");
    const r = run(["prepare", "--out", out, "--labels", "mask-prompt", "--quiet"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
    const split = referenceSplit();
    expectSplitRows((await duckdbRead(join(out, "train.parquet"))).rows, split.train_indices, "mask-prompt");
    expectSplitRows((await duckdbRead(join(out, "test.parquet"))).rows, split.test_indices, "mask-prompt");
    expect(JSON.parse(readFileSync(join(out, "stats.json"), "utf8")).labels).toBe("mask-prompt");
  });

  it("--format jsonl: train.jsonl and test.jsonl, one JSON object per line", () => {
    const out = tmp.path("jsonl");
    const r = run(["prepare", "--out", out, "--format", "jsonl", "--quiet"]);
    expect(r.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(["stats.json", "test.jsonl", "train.jsonl"]);
    const split = referenceSplit();
    const lines = (name: string) =>
      readFileSync(join(out, `${name}.jsonl`), "utf8")
        .trimEnd()
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expectSplitRows(lines("train"), split.train_indices, "copy");
    expectSplitRows(lines("test"), split.test_indices, "copy");
    expect(JSON.parse(readFileSync(join(out, "stats.json"), "utf8")).format).toBe("jsonl");
  });
});

describe("finetune-prep: help, version, errors", () => {
  it("--help exits 0 with options, defaults, examples and the environment variables", () => {
    const r = run(["prepare", "--help"]);
    expect(r.code).toBe(0);
    // Commander wraps option descriptions to the width: compare with whitespace collapsed.
    const text = r.stdout.replace(/\s+/g, " ");
    for (const s of [
      "--dataset",
      '(default: "kotzeje/lamini_docs.jsonl")',
      '(default: "EleutherAI/pythia-70m")',
      "(default: 2048)",
      "Examples:",
      "HF_HOME",
      "HF_HUB_OFFLINE",
      "HF_TOKEN",
      "HF_ENDPOINT",
      "Exit status",
    ]) {
      expect(text).toContain(s);
    }
    const top = run(["--help"]);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain("prepare");
  });

  it("--version prints the package version", () => {
    const r = run(["--version"]);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
  });

  it("an unknown option exits 2 with a one-line message", () => {
    const r = run(["prepare", "--no-such-option"]);
    expect(r.code).toBe(2);
    expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("unknown option '--no-such-option'");
  });

  it("a bad option value exits 2", () => {
    expect(run(["prepare", "--labels", "everything"]).code).toBe(2);
    expect(run(["prepare", "--max-length", "0"]).code).toBe(2);
    expect(run(["prepare", "--test-size", "1.5"]).code).toBe(2);
    expect(run([]).code).toBe(2);
  });

  it("a missing dataset file exits 1 naming the file, without a stack trace", () => {
    const r = run(["prepare", "--dataset", "./no-such-file.jsonl", "--out", tmp.path("none")]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(join(tmp.dir, "no-such-file.jsonl"));
    expect(r.stderr).toMatch(/^error: /m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(tmp.path("none"))).toBe(false);
  });

  it("DEBUG=finetune-prep adds the stack trace", () => {
    const r = run(["prepare", "--dataset", "./no-such-file.jsonl"], { DEBUG: "finetune-prep" });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\n\s+at /);
  });

  it("runs as `npx finetune-prep` (package.json bin → dist/cli/main.js, shebang kept)", () => {
    expect(readFileSync(builtCli, "utf8").startsWith("#!/usr/bin/env node\n")).toBe(true);
    // Exactly what the README's Quick start runs. (npx makes the bin executable when it links the package.)
    const r = spawnSync("npx", ["finetune-prep", "--version"], {
      cwd: repoRoot,
      encoding: "utf8",
      timeout: 120_000,
      env: { ...process.env, npm_config_yes: "true" },
    });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(JSON.parse(readFileSync(join(repoRoot, "package.json"), "utf8")).version);
  });
});
