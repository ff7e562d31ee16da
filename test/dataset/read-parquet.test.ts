import { readFileSync } from "node:fs";
import { brotliCompressSync, gzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { parquetWriteBuffer } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CorruptFileError, loadDataset, MissingColumnError, RaggedInt32Column, readParquet } from "../../src/index.js";
import { drain } from "../helpers/drain.js";
import { rejection } from "../helpers/failures.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-dataset-");
const N = 7;
const rows = Array.from({ length: N }, (_, i) => ({ question: `q${i} — ü😀`, answer: `a${i}`, n: i * 10 }));

function writeHyparquet(name: string, codec: "SNAPPY" | "UNCOMPRESSED" | "GZIP" | "BROTLI", rowGroupSize = 3): string {
  const buf = parquetWriteBuffer({
    columnData: [
      { name: "question", data: rows.map((r) => r.question), type: "STRING" },
      { name: "answer", data: rows.map((r) => r.answer), type: "STRING" },
      { name: "n", data: rows.map((r) => r.n), type: "INT32" },
    ],
    codec,
    compressors: { GZIP: (b: Uint8Array) => gzipSync(b), BROTLI: (b: Uint8Array) => brotliCompressSync(b) },
    rowGroupSize,
  });
  return tmp.write(name, new Uint8Array(buf));
}

describe("readParquet", () => {
  it.each(["SNAPPY", "UNCOMPRESSED", "GZIP", "BROTLI"] as const)("reads a %s file written by hyparquet-writer, one row group at a time", async (codec) => {
    const file = writeHyparquet(`hw-${codec}.parquet`, codec);
    const { rows: got, batches, summary } = await drain(readParquet(file, { batchSize: 2 }));
    expect(got).toEqual(rows);
    // Batches never span row groups (3 + 3 + 1 rows).
    expect(batches).toEqual([2, 1, 2, 1, 1]);
    expect(summary).toEqual({ file, rows: N, columns: ["question", "answer", "n"] });
  });

  describe("files written by DuckDB (an independent writer)", () => {
    let db: DuckDBInstance;
    beforeAll(async () => {
      db = await DuckDBInstance.create(":memory:");
    });
    afterAll(() => db.closeSync());

    it.each(["zstd", "lz4_raw", "lz4", "gzip", "snappy", "brotli"])("reads %s, with INT64 as numbers and lists of ints", async (codec) => {
      const file = tmp.path(`duck-${codec}.parquet`);
      const con = await db.connect();
      await con.run(
        `COPY (SELECT i::BIGINT AS id, 'row ' || i AS text, [i, i + 1]::INTEGER[] AS ids FROM range(2500) t(i) ORDER BY i) TO '${file}' (FORMAT parquet, COMPRESSION ${codec}, ROW_GROUP_SIZE 1000)`,
      );
      con.closeSync();
      const { rows: got } = await drain(readParquet(file));
      expect(got.length).toBe(2500);
      expect(got[0]).toEqual({ id: 0, text: "row 0", ids: [0, 1] });
      expect(got[2499]).toEqual({ id: 2499, text: "row 2499", ids: [2499, 2500] });
      expect(got.every((r, i) => r.id === i && r.text === `row ${i}`)).toBe(true);
    });
  });

  it("reads only the asked columns, in the asked order", async () => {
    const file = writeHyparquet("cols.parquet", "SNAPPY");
    const { rows: got, summary } = await drain(readParquet(file, { columns: ["n", "question"] }));
    expect(got[1]).toEqual({ n: 10, question: rows[1]!.question });
    expect(Object.keys(got[1]!)).toEqual(["n", "question"]);
    expect(summary.columns).toEqual(["n", "question"]);
  });

  it("names the columns there are when an asked column is missing", async () => {
    const file = writeHyparquet("cols2.parquet", "SNAPPY");
    const err = await rejection(drain(readParquet(file, { columns: ["nope"] })));
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as MissingColumnError).columns).toEqual(["question", "answer", "n"]);
  });

  it("gives CorruptFileError naming the file for a truncated file (an interrupted download)", async () => {
    const whole = readFileSync(writeHyparquet("whole.parquet", "SNAPPY"));
    const file = tmp.write("truncated.parquet", whole.subarray(0, whole.length - 40));
    const err = await rejection(drain(readParquet(file)));
    expect(err).toBeInstanceOf(CorruptFileError);
    expect(err.message).toContain(`${file}: not a readable Parquet file`);
  });

  it("gives CorruptFileError for a file that is not Parquet", async () => {
    const file = tmp.write("text.parquet", "question,answer\nq,a\n");
    expect(await rejection(drain(readParquet(file)))).toBeInstanceOf(CorruptFileError);
  });

  it("gives CorruptFileError naming the row group when page data is damaged", async () => {
    const bytes = new Uint8Array(readFileSync(writeHyparquet("damaged.parquet", "SNAPPY", 100)));
    bytes.fill(0xff, 4, 40); // the first page header, right after the "PAR1" magic
    const file = tmp.write("damaged2.parquet", bytes);
    const err = await rejection(drain(readParquet(file)));
    expect(err).toBeInstanceOf(CorruptFileError);
    expect(err.message).toContain("row group 0");
  });

  it("loads a list-of-int column as compact token storage", async () => {
    const file = tmp.path("ids.parquet");
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    await con.run(`COPY (SELECT [1, 2, 3]::INTEGER[] AS input_ids UNION ALL SELECT [4]::INTEGER[]) TO '${file}' (FORMAT parquet)`);
    con.closeSync();
    db.closeSync();
    const ds = await loadDataset(file, { split: "train", progress: false });
    expect(ds.rawColumn("input_ids")).toBeInstanceOf(RaggedInt32Column);
    expect(ds.column("input_ids").sort((a, b) => (a as number[]).length - (b as number[]).length)).toEqual([[4], [1, 2, 3]]);
    expect(String(ds.features)).toBe("{'input_ids': Sequence(feature=Value(dtype='int32', id=None), length=-1, id=None)}");
  });
});
