// preparePipeline (read → prepare → spill → write in permutation order) with the input streamed
// against the input read whole first (streaming: false, as CSV always is) on 20,000 rows built from
// the lamini rows: the same files, byte for byte, and the rows of each split in numpy's permutation
// order. No timing here: bench/ measures; the limits below only leave room for a busy machine.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { RaggedInt32Column, trainTestSplitIndices } from "../../src/dataset/index.js";
import { ColumnTypeError, InvalidArgumentError } from "../../src/errors.js";
import { createSplitWriter } from "../../src/io/index.js";
import { type PreparePipelineParams, preparePipeline } from "../../src/pipeline/index.js";
import { laminiRows, pythiaDir } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { hyparquetRead } from "../io/helpers.js";

const tmp = tempDir("ftp-stream-");
const N = 20_000;

/** 20,000 rows from the 1,400 lamini rows: answers moved to other questions, numbers changed, so texts repeat rarely. */
function makeRows() {
  const lamini = laminiRows();
  return Array.from({ length: N }, (_, i) => {
    const q = lamini[i % lamini.length]!;
    const a = lamini[(i * 7 + 3) % lamini.length]!;
    return { question: `${q.question} (${i})`, answer: a.answer.replace(/\d+/g, (d) => String((Number(d) * (i + 1)) % 100_003)) };
  });
}

let rows: ReturnType<typeof makeRows>;
let jsonl: string;
let parquet: string;

beforeAll(async () => {
  rows = makeRows();
  jsonl = tmp.write("rows.jsonl", `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  // A Parquet input with several row groups, as the project's own writer makes it.
  const writer = createSplitWriter(tmp.dir, "rows", { rowGroupSize: 3_000 });
  await writer.write({ question: rows.map((r) => r.question), answer: rows.map((r) => r.answer) });
  parquet = (await writer.close()).path;
});

async function both(name: string, options: Omit<PreparePipelineParams, "out" | "tokenizer">) {
  const base = { tokenizer: pythiaDir(), progress: false, onWarning: () => {}, ...options };
  const streamed = await preparePipeline({ ...base, out: tmp.path(`${name}-streamed`), streaming: true });
  const inMemory = await preparePipeline({ ...base, out: tmp.path(`${name}-memory`), streaming: false });
  return { streamed, inMemory };
}

function sameFiles(a: Awaited<ReturnType<typeof preparePipeline>>, b: Awaited<ReturnType<typeof preparePipeline>>) {
  for (const split of ["train", "test"]) {
    const x = readFileSync(a.files[split]!.path);
    const y = readFileSync(b.files[split]!.path);
    expect(x.equals(y), `${split} files differ`).toBe(true);
  }
  const { createdAt: _a, ...sa } = a.stats;
  const { createdAt: _b, ...sb } = b.stats;
  expect(sa).toEqual(sb);
}

describe("input streamed = input read whole (20,000 rows)", { timeout: 600_000 }, () => {
  it("JSON Lines in, Parquet out, the notebook's settings: identical files and stats; rows in numpy's order", async () => {
    const { streamed, inMemory } = await both("jsonl", { dataset: jsonl });
    sameFiles(streamed, inMemory);
    expect(streamed.stats.rows).toEqual({ input: N, train: 18_000, test: 2_000 });
    // The test file holds the input rows at the permutation's first 2,000 positions, in that order.
    const expected = trainTestSplitIndices(N, { testSize: 0.1, seed: 123 });
    const { rows: test } = await hyparquetRead(streamed.files.test!.path);
    expect(test.map((r) => r.answer)).toEqual(expected.test.map((i) => rows[i]!.answer));
    expect(test.map((r) => r.question)).toEqual(expected.test.map((i) => `### Question:\n${rows[i]!.question}\n\n### Answer:`));
    expect(test.every((r) => JSON.stringify(r.labels) === JSON.stringify(r.input_ids))).toBe(true);
    // Nothing left behind: no temp file of the spilled rows.
    expect(readdirSync(tmp.path("jsonl-streamed")).sort()).toEqual(["stats.json", "test.parquet", "train.parquet"]);
  });

  it("Parquet in (several row groups): identical to JSON Lines in", async () => {
    const fromParquet = await preparePipeline({
      dataset: parquet,
      tokenizer: pythiaDir(),
      out: tmp.path("parquet-streamed"),
      progress: false,
      onWarning: () => {},
    });
    const fromJsonl = await preparePipeline({
      dataset: jsonl,
      tokenizer: pythiaDir(),
      out: tmp.path("parquet-vs-jsonl"),
      progress: false,
      onWarning: () => {},
    });
    for (const split of ["train", "test"]) expect(readFileSync(fromParquet.files[split]!.path).equals(readFileSync(fromJsonl.files[split]!.path))).toBe(true);
  });

  it("mask-prompt labels, right truncation at 64 tokens, JSON Lines out: identical", async () => {
    const { streamed, inMemory } = await both("masked", {
      dataset: jsonl,
      labels: "mask-prompt",
      maxLength: 64,
      truncationSide: "right",
      format: "jsonl",
      testSize: 0.25,
      seed: 7,
    });
    sameFiles(streamed, inMemory);
    expect(streamed.stats.truncatedRows).toBeGreaterThan(0);
    const first = JSON.parse(readFileSync(streamed.files.train!.path, "utf8").split("\n")[0]!) as { labels: number[]; input_ids: number[] };
    expect(first.labels[0]).toBe(-100);
    expect(first.input_ids).toHaveLength(Math.min(64, first.input_ids.length));
  });

  it("packed into blocks of 512: identical", async () => {
    const { streamed, inMemory } = await both("packed", { dataset: jsonl, pack: true, maxLength: 512 });
    sameFiles(streamed, inMemory);
    expect(streamed.stats.splits.train!.packing!.examples).toBe(18_000);
  });
});

describe("streaming prepare: errors and edge cases", { timeout: 300_000 }, () => {
  it("a bad row stops it naming the row; no output and no temp file are left", async () => {
    const bad = rows.slice(0, 2_500).map((r, i) => (i === 2_345 ? { question: r.question, answer: null } : r));
    const file = tmp.write("bad.jsonl", bad.map((r) => JSON.stringify(r)).join("\n"));
    const out = tmp.path("bad-out");
    const error = await preparePipeline({ dataset: file, tokenizer: pythiaDir(), out, progress: false, onWarning: () => {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ColumnTypeError);
    expect((error as ColumnTypeError).row).toBe(2_345);
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });

  it("a column missing from a row is null, as loadDataset has it: the same error either way", async () => {
    const lacking = rows.slice(0, 1_200).map((r, i) => (i === 1_100 ? { question: r.question } : r));
    const file = tmp.write("lacking.jsonl", lacking.map((r) => JSON.stringify(r)).join("\n"));
    const run = (streaming: boolean) =>
      preparePipeline({ dataset: file, tokenizer: pythiaDir(), out: tmp.path(`lacking-${streaming}`), progress: false, streaming, onWarning: () => {} }).then(
        () => new Error("expected an error"),
        (e: unknown) => e as Error,
      );
    const [streamed, inMemory] = [await run(true), await run(false)];
    expect(streamed).toBeInstanceOf(ColumnTypeError);
    expect(inMemory).toBeInstanceOf(ColumnTypeError);
    expect(streamed.message).toBe(inMemory.message);
  });

  it("columns that appear only after the first rows and would change the choice are an error, not another result", async () => {
    // In memory, all three columns are seen and question/answer is chosen; streaming sees "text" first.
    const text = Array.from({ length: 1_000 }, (_, i) => ({ text: `plain text ${i}` }));
    const later = rows.slice(0, 50).map((r, i) => ({ text: `more text ${i}`, ...r }));
    const file = tmp.write("late-columns.jsonl", [...text, ...later].map((r) => JSON.stringify(r)).join("\n"));
    const error = await preparePipeline({ dataset: file, tokenizer: pythiaDir(), out: tmp.path("late"), progress: false, onWarning: () => {} }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(/\["question","answer"\] first appear after the first rows/);
    expect(existsSync(tmp.path("late")) ? readdirSync(tmp.path("late")) : []).toEqual([]);
    // Naming the columns settles the choice, and both pipelines agree again.
    const { streamed, inMemory } = await both("late-named", { dataset: file, columns: { text: "text" }, testSize: 10 });
    sameFiles(streamed, inMemory);
  });

  it("CSV is read whole (column types need the whole column); the files are the same as from JSON Lines", async () => {
    // Rows pandas would read as they are (no empty field, which CSV reads as a missing value).
    const small = rows.slice(0, 400).filter((r) => r.question.trim() !== "" && r.answer.trim() !== "");
    const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;
    const csv = tmp.write("rows.csv", `${["question,answer", ...small.map((r) => `${quote(r.question)},${quote(r.answer)}`)].join("\n")}\n`);
    const fromJsonl = tmp.write("small.jsonl", small.map((r) => JSON.stringify(r)).join("\n"));
    const a = await preparePipeline({ dataset: csv, tokenizer: pythiaDir(), out: tmp.path("csv"), progress: false, onWarning: () => {} });
    const b = await preparePipeline({ dataset: fromJsonl, tokenizer: pythiaDir(), out: tmp.path("csv-jsonl"), progress: false, onWarning: () => {} });
    for (const split of ["train", "test"]) expect(readFileSync(a.files[split]!.path).equals(readFileSync(b.files[split]!.path))).toBe(true);
  });

  it("attention_mask and copied labels, not spilled, are rebuilt when writing: all ones, and input_ids again", async () => {
    const { streamed } = await both("copy-check", {
      dataset: tmp.write(
        "tiny.jsonl",
        rows
          .slice(0, 40)
          .map((r) => JSON.stringify(r))
          .join("\n"),
      ),
      testSize: 4,
    });
    const { rows: train } = await hyparquetRead(streamed.files.train!.path);
    expect(train).toHaveLength(36);
    expect(train.every((r) => (r.attention_mask as number[]).every((m) => m === 1))).toBe(true);
    expect(RaggedInt32Column.fromArrays(train.map((r) => r.labels as number[])).values).toEqual(
      RaggedInt32Column.fromArrays(train.map((r) => r.input_ids as number[])).values,
    );
  });
});
