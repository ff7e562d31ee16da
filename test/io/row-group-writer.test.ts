// The Parquet writer's fast path for token ids in flat storage (RaggedInt32Column): the same bytes
// as hyparquet-writer's generic encoding of the same values given as arrays, and the same rows for
// independent readers.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ByteWriter, ParquetWriter } from "hyparquet-writer";
import { describe, expect, it } from "vitest";
import { RaggedInt32Column } from "../../src/dataset/index.js";
import { ParquetSplitWriter, type RowGroupEncoderFn } from "../../src/io/index.js";
import { type EncodedRowGroup, rowGroupEncoder } from "../../src/io/row-group-parquet-writer.js";
import { tempDir } from "../helpers/temp-dir.js";
import { duckdbRead, hyparquetRead } from "./helpers.js";

const tmp = tempDir("ftp-rowgroup-");

/** Rows with ids of every length (empty rows included), some large and negative values. */
function rows(n: number, seed: number) {
  let s = seed;
  const next = () => (s = (Math.imul(s, 1103515245) + 12345) >>> 0);
  return Array.from({ length: n }, (_, i) => {
    const len = i % 17 === 0 ? 0 : next() % 40;
    const ids = Array.from({ length: len }, () => (next() % 4 === 0 ? -100 : next() % 50_000));
    return { text: `row ${i} ${"é".repeat(next() % 5)}`, ids };
  });
}

async function write(
  path: string,
  batches: { text: string; ids: number[] }[][],
  flat: boolean | ((b: number) => boolean),
  rowGroupSize: number,
  encoder?: RowGroupEncoderFn,
) {
  const writer = new ParquetSplitWriter(path, { rowGroupSize, ...(encoder ? { encoder } : {}) });
  for (const [b, batch] of batches.entries()) {
    const asFlat = typeof flat === "function" ? flat(b) : flat;
    const ids = asFlat ? RaggedInt32Column.fromArrays(batch.map((r) => r.ids)) : batch.map((r) => r.ids);
    const mask = asFlat ? RaggedInt32Column.fromArrays(batch.map((r) => r.ids.map(() => 1))) : batch.map((r) => r.ids.map(() => 1));
    await writer.write({ text: batch.map((r) => r.text), input_ids: ids, attention_mask: mask });
  }
  return writer.close();
}

/** The bytes hyparquet-writer's own write() gives for `data`, with `file`'s schema and metadata, every value as arrays. */
async function libraryBytes(file: string, data: { text: string; ids: number[] }[], rowGroupSize: number): Promise<Uint8Array> {
  const { metadata } = await hyparquetRead(file);
  const library = new ParquetWriter({
    writer: new ByteWriter(),
    schema: metadata.schema,
    kvMetadata: metadata.key_value_metadata,
    createdBy: metadata.created_by,
  });
  library.write({
    columnData: [
      { name: "text", data: data.map((r) => r.text) },
      // The split writer's choice for token ids: PLAIN, or DELTA_BINARY_PACKED for a chunk of one repeated value.
      { name: "input_ids", data: data.map((r) => r.ids), encoding: "PLAIN" },
      { name: "attention_mask", data: data.map((r) => r.ids.map(() => 1)), encoding: "DELTA_BINARY_PACKED" },
    ],
    rowGroupSize,
  });
  library.finish();
  return new Uint8Array((library.writer as ByteWriter).getBytes());
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

describe("token ids from flat storage", () => {
  const data = rows(2000, 11);

  it.each([
    ["row groups aligned with batches", 500, 500],
    ["batches that straddle row groups", 333, 128],
    ["one batch, one group", 2000, 10_000],
  ])("%s: same bytes as the generic encoding", async (name, batchSize, rowGroupSize) => {
    const batches = chunks(data, batchSize);
    const generic = join(tmp.dir, `${name}-generic.parquet`);
    const flat = join(tmp.dir, `${name}-flat.parquet`);
    await write(generic, batches, false, rowGroupSize);
    await write(flat, batches, true, rowGroupSize);
    expect(readFileSync(flat).equals(readFileSync(generic))).toBe(true);
  });

  it("the same bytes as hyparquet-writer's own write() of the same values", async () => {
    const file = join(tmp.dir, "vs-library.parquet");
    await write(file, chunks(data, 400), true, 700);
    const expected = await libraryBytes(file, data, 700);
    expect(Buffer.from(readFileSync(file)).equals(Buffer.from(expected))).toBe(true);
  });

  it("a column given flat, then as arrays, is still written right", async () => {
    const batches = chunks(data, 300);
    const generic = join(tmp.dir, "mixed-generic.parquet");
    const mixed = join(tmp.dir, "mixed.parquet");
    await write(generic, batches, false, 450);
    await write(mixed, batches, (b) => b % 2 === 0, 450);
    expect(readFileSync(mixed).equals(readFileSync(generic))).toBe(true);
  });

  it("DuckDB and hyparquet read the rows back, empty lists included", async () => {
    const file = join(tmp.dir, "read.parquet");
    const written = await write(file, chunks(data, 700), true, 600);
    expect(written.rows).toBe(2000);
    const duck = await duckdbRead(file);
    expect(duck.types).toEqual({ text: "VARCHAR", input_ids: "INTEGER[]", attention_mask: "INTEGER[]" });
    expect(duck.rows.map((r) => r.input_ids)).toEqual(data.map((r) => r.ids));
    expect(duck.rows.map((r) => r.text)).toEqual(data.map((r) => r.text));
    // attention_mask is all ones: written DELTA_BINARY_PACKED (input_ids PLAIN); both readers decode it.
    expect(duck.rows.map((r) => r.attention_mask)).toEqual(data.map((r) => r.ids.map(() => 1)));
    const hyp = await hyparquetRead(file);
    expect(hyp.metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([600, 600, 600, 200]);
    expect(hyp.rows.map((r) => r.input_ids)).toEqual(data.map((r) => r.ids));
    expect(hyp.rows.map((r) => r.attention_mask)).toEqual(data.map((r) => r.ids.map(() => 1)));
    const encodings = hyp.metadata.row_groups[0]!.columns.map((c) => c.meta_data!.encodings);
    expect(encodings).toEqual([expect.anything(), ["PLAIN"], ["DELTA_BINARY_PACKED"]]);
  });

  it("row groups encoded elsewhere (another encoder, a structured clone, answers out of order, some declined) give the same bytes", async () => {
    // Long texts: several 1 MB pages per text chunk, so the page offsets of the offset index move too.
    const long = rows(3000, 5).map((r, i) => ({ ...r, text: `${r.text} ${"lorem ipsum ".repeat(40 + (i % 300))}` }));
    const batches = chunks(long, 450);
    const here = join(tmp.dir, "encoded-here.parquet");
    await write(here, batches, true, 1000);
    let calls = 0;
    let declined = 0;
    const encoders = new Map<string, ReturnType<typeof rowGroupEncoder>>();
    // A stand-in for the worker threads: its own encoder per schema, everything through structuredClone, slower answers first.
    const elsewhere: RowGroupEncoderFn = (schema, columns, rowCount) => {
      const n = calls++;
      if (n % 3 === 2) {
        declined++;
        return undefined;
      }
      const job = structuredClone({ schema, columns, rows: rowCount });
      const key = JSON.stringify(job.schema);
      if (!encoders.has(key)) encoders.set(key, rowGroupEncoder(job.schema));
      const data = job.columns.map((c) => {
        const d = c.data as unknown as RaggedInt32Column | unknown[];
        return Array.isArray(d) ? c : { ...c, data: new RaggedInt32Column(d.values, d.offsets) };
      });
      const group = structuredClone(encoders.get(key)!.encodeRowGroup(data, job.rows));
      return new Promise<EncodedRowGroup>((resolve) => setTimeout(() => resolve(group), n % 2 === 0 ? 30 : 1));
    };
    const there = join(tmp.dir, "encoded-elsewhere.parquet");
    const written = await write(there, batches, true, 1000, elsewhere);
    expect(calls).toBe(3);
    expect(declined).toBe(1);
    expect(written.rows).toBe(3000);
    expect(readFileSync(there).equals(readFileSync(here))).toBe(true);
    const { metadata } = await hyparquetRead(there);
    const textChunk = metadata.row_groups[1]!.columns[0]!;
    // More than two 1 MB pages of text in the chunk: its offset index has several page locations to move.
    expect(Number(textChunk.meta_data!.total_uncompressed_size)).toBeGreaterThan(2 << 20);
    // And hyparquet-writer's own write() of the same values gives these bytes too.
    expect(Buffer.from(readFileSync(there)).equals(Buffer.from(await libraryBytes(there, long, 1000)))).toBe(true);
    const duck = await duckdbRead(there);
    expect(duck.rows.map((r) => r.text)).toEqual(long.map((r) => r.text));
    expect(duck.rows.map((r) => r.input_ids)).toEqual(long.map((r) => r.ids));
  });

  it("a row group that fails to encode elsewhere fails the split, and leaves no file", async () => {
    const file = join(tmp.dir, "encode-fails.parquet");
    let calls = 0;
    const failing: RowGroupEncoderFn = () => (calls++ === 1 ? Promise.reject(new Error("worker died")) : undefined);
    await expect(write(file, chunks(data, 400), true, 500, failing)).rejects.toThrow("worker died");
    const { existsSync, readdirSync } = await import("node:fs");
    expect(existsSync(file)).toBe(false);
    expect(readdirSync(tmp.dir).filter((f) => f.includes("encode-fails"))).toEqual([]);
  });
});
