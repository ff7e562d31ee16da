import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { DuckDBInstance } from "@duckdb/node-api";
import { describe, expect, it } from "vitest";
import {
  castCsvColumn,
  DuplicateColumnError,
  EmptyFileError,
  EncodingError,
  MalformedRecordError,
  RecordTooLargeError,
  readCsv,
  readDataFile,
} from "../../src/index.js";
import { drain } from "../helpers/drain.js";
import { rejection } from "../helpers/failures.js";
import { repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-dataset-");
const fixture = (name: string) => join(repoRoot, "test", "fixtures", "dataset", name);

describe("readCsv", () => {
  it("reads quoted fields, doubled quotes, embedded newlines, CRLF and blank lines, keeping cell text", async () => {
    const { rows, summary } = await drain(readCsv(fixture("qa.csv")));
    expect(rows).toEqual([
      { question: 'What is "Lamini"?', answer: "An engine, for LLMs.", score: "1" },
      { question: "Multi\r\nline?", answer: "Yes\nit is", score: "2.5" },
      { question: "Ünïcödé", answer: "😀", score: "" },
    ]);
    expect(summary.columns).toEqual(["question", "answer", "score"]);
    expect(summary.blankLines).toBe(1);
  });

  it("gives the cells DuckDB's CSV reader gives for the same file (an independent parser)", async () => {
    const db = await DuckDBInstance.create(":memory:");
    const con = await db.connect();
    try {
      const reader = await con.runAndReadAll(`SELECT * FROM read_csv('${fixture("qa.csv")}', all_varchar = true, header = true, quote = '"', escape = '"')`);
      const duck = reader.getRowObjectsJS().map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v ?? ""])));
      expect((await drain(readCsv(fixture("qa.csv")))).rows).toEqual(duck);
    } finally {
      con.closeSync();
    }
  });

  it("reads a TSV (BOM, tab separator) through readDataFile", async () => {
    const { rows } = await drain(readDataFile(fixture("qa.tsv")));
    expect(rows).toEqual([
      { id: "1", text: "hello" },
      { id: "2", text: "tab\tinside" },
    ]);
  });

  it("yields batches of batchSize and a header-only file as 0 rows with its columns", async () => {
    const file = tmp.write("n.csv", `n\n${Array.from({ length: 5 }, (_, i) => i).join("\n")}\n`);
    expect((await drain(readCsv(file, { batchSize: 2 }))).batches).toEqual([2, 2, 1]);
    const header = tmp.write("header.csv", "a,b\n");
    const { rows, summary } = await drain(readCsv(header));
    expect(rows).toEqual([]);
    expect(summary.columns).toEqual(["a", "b"]);
  });

  it('names an empty header cell "Unnamed: i", as pandas', async () => {
    const file = tmp.write("unnamed.csv", ",a\n0,x\n");
    expect((await drain(readCsv(file))).rows).toEqual([{ "Unnamed: 0": "0", a: "x" }]);
  });

  it("refuses a header with the same name twice, naming the column and file (pandas would rename it a.1)", async () => {
    const file = tmp.write("dup.csv", "a,b,a\n1,2,3\n");
    const err = await rejection(drain(readCsv(file)));
    expect(err).toBeInstanceOf(DuplicateColumnError);
    expect((err as DuplicateColumnError).column).toBe("a");
    expect(err.message).toContain(`${file}:1: column "a" appears twice`);
  });

  it("refuses a record with more fields, and one with fewer, naming file:line", async () => {
    const more = tmp.write("more.csv", "a,b\n1,2\n3,4,5\n");
    const e1 = await rejection(drain(readCsv(more)));
    expect(e1).toBeInstanceOf(MalformedRecordError);
    expect(e1.message).toContain(`${more}:3: 3 fields where the header has 2`);
    const fewer = tmp.write("fewer.csv", "a,b\n1,2\n\n3\n");
    const e2 = await rejection(drain(readCsv(fewer)));
    expect(e2).toBeInstanceOf(MalformedRecordError);
    expect((e2 as MalformedRecordError).line).toBe(4);
  });

  it("refuses an unclosed quote with the line", async () => {
    const file = tmp.write("quote.csv", 'a,b\n1,"open\n2,3\n');
    const err = await rejection(drain(readCsv(file)));
    expect(err).toBeInstanceOf(MalformedRecordError);
    expect(err.message).toContain(file);
  });

  it("refuses bytes that are not UTF-8, naming file:line and the byte offset", async () => {
    const head = Buffer.from("a,b\n1,ok\n2,");
    const file = tmp.write("latin1.csv", Buffer.concat([head, Buffer.from([0xff]), Buffer.from("\n")]));
    const err = await rejection(drain(readCsv(file)));
    expect(err).toBeInstanceOf(EncodingError);
    expect(err.message).toContain(`${file}:3:`);
    expect((err as EncodingError).byteOffset).toBe(head.length);
  });

  it("refuses a record over maxRecordSize", async () => {
    const file = tmp.write("long.csv", `a\n${"x".repeat(300)}\n`);
    expect(await rejection(drain(readCsv(file, { maxRecordSize: 100 })))).toBeInstanceOf(RecordTooLargeError);
  });

  it("gives EmptyFileError for an empty file (pandas: EmptyDataError)", async () => {
    const err = await rejection(drain(readCsv(tmp.write("empty.csv", ""))));
    expect(err).toBeInstanceOf(EmptyFileError);
  });

  it("reads .csv.gz", async () => {
    const file = tmp.write("x.csv.gz", gzipSync("a\n1\n"));
    expect((await drain(readDataFile(file))).rows).toEqual([{ a: "1" }]);
  });
});

describe("castCsvColumn (pandas' read_csv typing)", () => {
  it("turns pandas' NA markers into null and keeps other text", () => {
    expect(castCsvColumn(["x", "", "NA", "null", "NaN", "None", "n/a", "#N/A", "y"])).toEqual(["x", null, null, null, null, null, null, null, "y"]);
  });
  it("types a column of whole numbers as numbers, with NA as null", () => {
    expect(castCsvColumn(["1", "-2", "+3", " 4 ", ""])).toEqual([1, -2, 3, 4, null]);
  });
  it("types decimals, exponents and infinities as numbers", () => {
    expect(castCsvColumn(["1.5", ".5", "5.", "1e3", "-inf", "Infinity", "2"])).toEqual([1.5, 0.5, 5, 1000, -Infinity, Infinity, 2]);
  });
  it("types True/False columns as booleans", () => {
    expect(castCsvColumn(["True", "false", "TRUE", "NA"])).toEqual([true, false, true, null]);
  });
  it("keeps a column as text when one value is not a number, and integers beyond 2^53 as text", () => {
    expect(castCsvColumn(["1", "2", "three"])).toEqual(["1", "2", "three"]);
    expect(castCsvColumn(["1", "12345678901234567890"])).toEqual(["1", "12345678901234567890"]);
  });
});
