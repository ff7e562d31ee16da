// The writers against independent readers: DuckDB and hyparquet for Parquet, node:fs for JSON Lines.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Dataset, type DatasetDict, loadDataset, RaggedInt32Column } from "../../src/dataset/index.js";
import { writeSplits } from "../../src/io/index.js";
import { prepareInstructionDataset } from "../../src/prep/index.js";
import { loadTokenizer } from "../../src/tokenizer/index.js";
import { pythiaDir, referenceIds, referenceSplit, sharedPath } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";
import { duckdbRead, hyparquetRead } from "./helpers.js";

let split: DatasetDict;
const tmp = tempDir("ftp-io-");

beforeAll(async () => {
  const tok = await loadTokenizer(pythiaDir());
  const ds = await loadDataset(sharedPath("data", "lamini_docs.jsonl"), { split: "train", progress: false });
  const prepared = await prepareInstructionDataset(ds, tok, { labels: "mask-prompt", progress: false, onWarning: () => {} });
  split = prepared.trainTestSplit({ testSize: 0.1, seed: 123 });
});

function expectSameRows(rows: Record<string, unknown>[], ds: Dataset): void {
  expect(rows).toHaveLength(ds.numRows);
  const bad: number[] = [];
  rows.forEach((row, i) => {
    const want = ds.row(i);
    const same =
      row.question === want.question &&
      row.answer === want.answer &&
      JSON.stringify(Array.from(row.input_ids as number[])) === JSON.stringify(want.input_ids) &&
      JSON.stringify(Array.from(row.attention_mask as number[])) === JSON.stringify(want.attention_mask) &&
      JSON.stringify(Array.from(row.labels as number[])) === JSON.stringify(want.labels);
    if (!same) bad.push(i);
  });
  expect(bad).toEqual([]);
}

describe("writeSplits, Parquet", () => {
  let written: Awaited<ReturnType<typeof writeSplits>>;
  const out = tmp.path("parquet");
  beforeAll(async () => {
    written = await writeSplits(split, out, { progress: false, rowGroupSize: 500 });
  });

  it("writes one file per split, named after it, and nothing else", () => {
    expect(Object.keys(written)).toEqual(["train", "test"]);
    expect(written.train).toMatchObject({ path: join(out, "train.parquet"), rows: 1260, format: "parquet" });
    expect(written.test).toMatchObject({ path: join(out, "test.parquet"), rows: 140, format: "parquet" });
    expect(readdirSync(out).sort()).toEqual(["test.parquet", "train.parquet"]);
  });

  it("DuckDB reads them: row counts, INTEGER[] and VARCHAR columns, the same values in the same order", async () => {
    for (const name of ["train", "test"] as const) {
      const { types, rows } = await duckdbRead(written[name]!.path);
      expect(types).toEqual({ question: "VARCHAR", answer: "VARCHAR", input_ids: "INTEGER[]", attention_mask: "INTEGER[]", labels: "INTEGER[]" });
      expectSameRows(rows, split.get(name));
    }
  });

  it("the rows are numpy's seed-123 split of the reference ids, in order", async () => {
    const ref = referenceSplit();
    const ids = referenceIds();
    const { rows } = await duckdbRead(written.test!.path);
    expect(rows.map((r) => JSON.stringify(r.input_ids))).toEqual(ref.test_indices.map((i) => JSON.stringify(ids[i]!.input_ids)));
  });

  it("hyparquet reads them back; row groups of rowGroupSize; datasets' features in the metadata", async () => {
    const { rows, metadata } = await hyparquetRead(written.train!.path);
    expectSameRows(rows, split.train);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([500, 500, 260]);
    const hf = metadata.key_value_metadata?.find((kv) => kv.key === "huggingface");
    expect(JSON.parse(hf!.value!)).toEqual({
      info: {
        features: {
          question: { dtype: "string", _type: "Value" },
          answer: { dtype: "string", _type: "Value" },
          input_ids: { feature: { dtype: "int32", _type: "Value" }, _type: "Sequence" },
          attention_mask: { feature: { dtype: "int32", _type: "Value" }, _type: "Sequence" },
          labels: { feature: { dtype: "int32", _type: "Value" }, _type: "Sequence" },
        },
      },
    });
    const input = metadata.schema.find((s) => s.name === "input_ids");
    expect(input).toMatchObject({ converted_type: "LIST" });
    expect(metadata.schema.find((s) => s.name === "element")).toMatchObject({ type: "INT32" });
    expect(metadata.schema.find((s) => s.name === "question")).toMatchObject({ type: "BYTE_ARRAY", converted_type: "UTF8" });
  });
});

describe("writeSplits, JSON Lines", () => {
  it("one JSON object per line, the same columns and values", async () => {
    const out = tmp.path("jsonl");
    const written = await writeSplits(split, out, { format: "jsonl", progress: false, batchSize: 100 });
    expect(written.test).toMatchObject({ path: join(out, "test.jsonl"), rows: 140, format: "jsonl" });
    for (const name of ["train", "test"] as const) {
      const text = readFileSync(written[name]!.path, "utf8");
      expect(text.endsWith("\n")).toBe(true);
      const rows = text
        .slice(0, -1)
        .split("\n")
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(Object.keys(rows[0]!)).toEqual(["question", "answer", "input_ids", "attention_mask", "labels"]);
      expectSameRows(rows, split.get(name));
    }
  });
});

describe("other column types", () => {
  it("whole numbers, floats, booleans and nulls round-trip through DuckDB", async () => {
    const ds = Dataset.fromDict({
      id: [1, 2, 3],
      score: [0.5, 1, null],
      ok: [true, false, true],
      note: ["a", null, "ü€😀"],
      ids: RaggedInt32Column.fromArrays([[1], [], [-100, 2147483647]]),
    });
    const { DatasetDict } = await import("../../src/dataset/index.js");
    const written = await writeSplits(new DatasetDict({ all: ds }), tmp.path("types"), { progress: false });
    const { types, rows } = await duckdbRead(written.all!.path);
    expect(types).toEqual({ id: "BIGINT", score: "DOUBLE", ok: "BOOLEAN", note: "VARCHAR", ids: "INTEGER[]" });
    expect(rows).toEqual([
      { id: 1n, score: 0.5, ok: true, note: "a", ids: [1] },
      { id: 2n, score: 1, ok: false, note: null, ids: [] },
      { id: 3n, score: null, ok: true, note: "ü€😀", ids: [-100, 2147483647] },
    ]);
  });

  it("an empty split is a valid file with its columns", async () => {
    const { DatasetDict } = await import("../../src/dataset/index.js");
    const empty = split.test.select([]);
    const written = await writeSplits(new DatasetDict({ none: empty }), tmp.path("empty"), { progress: false });
    const { types, rows } = await duckdbRead(written.none!.path);
    expect(rows).toEqual([]);
    expect(types.input_ids).toBe("INTEGER[]");
    expect(existsSync(written.none!.path)).toBe(true);
  });
});
