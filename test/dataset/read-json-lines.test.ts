import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { EmptyFileError, EncodingError, MalformedRecordError, RecordTooLargeError, readJsonLines } from "../../src/index.js";
import { drain } from "../helpers/drain.js";
import { rejection } from "../helpers/failures.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-dataset-");
const lines = (...rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;

describe("readJsonLines", () => {
  it("streams rows in batches of batchSize and returns the counts", async () => {
    const file = tmp.write("five.jsonl", lines(...[1, 2, 3, 4, 5].map((i) => ({ i, s: `r${i}` }))));
    const { rows, batches, summary } = await drain(readJsonLines(file, { batchSize: 2 }));
    expect(rows).toEqual([1, 2, 3, 4, 5].map((i) => ({ i, s: `r${i}` })));
    expect(batches).toEqual([2, 2, 1]);
    expect(summary).toEqual({ file, rows: 5, blankLines: 0 });
  });

  it("accepts a UTF-8 BOM, CRLF line ends, blank lines anywhere and no final newline, counting the blank lines", async () => {
    const file = tmp.write("messy.jsonl", '\uFEFF\r\n{"a":1}\r\n\r\n   \n{"a":"é😀"}\r\n\n{"a":3}');
    const { rows, summary } = await drain(readJsonLines(file));
    expect(rows).toEqual([{ a: 1 }, { a: "é😀" }, { a: 3 }]);
    expect(summary.blankLines).toBe(4);
  });

  it("names file:line and the parser's reason for a malformed line (blank lines counted in the line number)", async () => {
    const file = tmp.write("bad.jsonl", '{"a":1}\n\n{"a":2,}\n{"a":3}\n');
    const err = await rejection(drain(readJsonLines(file)));
    expect(err).toBeInstanceOf(MalformedRecordError);
    expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:3: not valid JSON: `));
    expect((err as MalformedRecordError).line).toBe(3);
    expect((err as MalformedRecordError).file).toBe(file);
  });

  it.each([
    ["[1,2]", "an array"],
    ["42", "a number"],
    ['"text"', "a string"],
    ["null", "null"],
  ])("refuses a line holding %s (not an object), naming the line", async (value, what) => {
    const file = tmp.write(`nonobject-${what.replace(/\W/g, "")}.jsonl`, `{"a":1}\n${value}\n`);
    const err = await rejection(drain(readJsonLines(file)));
    expect(err).toBeInstanceOf(MalformedRecordError);
    expect(err.message).toContain(`${file}:2: the line holds ${what}, not a JSON object`);
  });

  it("refuses bytes that are not UTF-8 with EncodingError naming file:line and the byte offset", async () => {
    const head = Buffer.from('{"a":"ok"}\n{"a":"fine"}\n{"a":"');
    const file = tmp.write("latin1.jsonl", Buffer.concat([head, Buffer.from([0xe9]), Buffer.from('"}\n')]));
    const err = await rejection(drain(readJsonLines(file)));
    expect(err).toBeInstanceOf(EncodingError);
    expect(err.message).toContain(`${file}:3:`);
    expect((err as EncodingError).line).toBe(3);
    expect((err as EncodingError).byteOffset).toBe(head.length);
  });

  it("refuses an overlong UTF-8 encoding and a truncated sequence at the end of the file", async () => {
    const overlong = tmp.write("overlong.jsonl", Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}\n')]));
    expect(await rejection(drain(readJsonLines(overlong)))).toBeInstanceOf(EncodingError);
    const cut = tmp.write("cut.jsonl", Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), Buffer.from([0xf0, 0x9f])]));
    const err = await rejection(drain(readJsonLines(cut)));
    expect(err).toBeInstanceOf(EncodingError);
    expect((err as EncodingError).line).toBe(2);
  });

  it("gives EmptyFileError for an empty file and for one holding only blank lines (Python's datasets fails on them too)", async () => {
    const empty = tmp.write("empty.jsonl", "");
    const e1 = await rejection(drain(readJsonLines(empty)));
    expect(e1).toBeInstanceOf(EmptyFileError);
    expect(e1.message).toContain(empty);
    const blank = tmp.write("blank.jsonl", "\n  \n\r\n");
    const e2 = await rejection(drain(readJsonLines(blank)));
    expect(e2).toBeInstanceOf(EmptyFileError);
    expect(e2.message).toContain("3 blank lines");
  });

  it("refuses a line over maxLineBytes with RecordTooLargeError naming the line and the limit", async () => {
    const file = tmp.write("long.jsonl", lines({ a: 1 }, { a: "x".repeat(500) }, { a: 3 }));
    const err = await rejection(drain(readJsonLines(file, { maxLineBytes: 100 })));
    expect(err).toBeInstanceOf(RecordTooLargeError);
    expect(err.message).toContain(`${file}:2: line longer than 100 bytes`);
  });

  it("stops buffering a line without newline as soon as it passes the limit (line spanning many read chunks)", async () => {
    const file = tmp.write("endless.jsonl", `{"a":1}\n{"a":"${"y".repeat(3 * 1024 * 1024)}"}`);
    const err = await rejection(drain(readJsonLines(file, { maxLineBytes: 1024 * 1024 })));
    expect(err).toBeInstanceOf(RecordTooLargeError);
    expect((err as RecordTooLargeError).line).toBe(2);
  });

  it("reads lines and multi-byte characters that straddle the 1 MiB read chunks, equal to a whole-file parse", async () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => ({ i, text: `ligne ${i} — ${"é😀ü".repeat(i % 13)}`, ids: [i, i + 1] }));
    const text = lines(...rows);
    const file = tmp.write("big.jsonl", text);
    const expected = text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l));
    const got = await drain(readJsonLines(file, { batchSize: 1000 }));
    expect(Buffer.byteLength(text)).toBeGreaterThan(3 * 1024 * 1024);
    expect(got.rows).toEqual(expected);
    expect(got.batches.every((b) => b === 1000)).toBe(true);
  });

  it("reads gzip-compressed JSON Lines (.jsonl.gz)", async () => {
    const file = tmp.write("qa.jsonl.gz", gzipSync(lines({ q: "a" }, { q: "b" })));
    expect((await drain(readJsonLines(file))).rows).toEqual([{ q: "a" }, { q: "b" }]);
  });
});
