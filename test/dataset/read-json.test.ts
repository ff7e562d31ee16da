import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { EmptyFileError, MalformedRecordError, MissingColumnError, readJson } from "../../src/index.js";
import { drain } from "../helpers/drain.js";
import { rejection } from "../helpers/failures.js";
import { repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-dataset-");
const fixture = (name: string) => join(repoRoot, "test", "fixtures", "dataset", name);

describe("readJson (datasets' JSON loader rules)", () => {
  it("reads an array of objects", async () => {
    const { rows, summary } = await drain(readJson(fixture("qa-array.json")));
    expect(rows).toEqual(JSON.parse(readFileSync(fixture("qa-array.json"), "utf8")));
    expect(summary.rows).toBe(3);
  });

  it('reads an array of plain values as one "text" column, as datasets does', async () => {
    const file = tmp.write("strings.json", '["a", "b", "c"]');
    expect((await drain(readJson(file))).rows).toEqual([{ text: "a" }, { text: "b" }, { text: "c" }]);
  });

  it("reads a dict of columns (arrays, or pandas' index → value objects)", async () => {
    const file = tmp.write("columns.json", JSON.stringify({ q: ["a", "b"], n: { "0": 1, "1": 2 } }, null, 2));
    expect((await drain(readJson(file))).rows).toEqual([
      { q: "a", n: 1 },
      { q: "b", n: 2 },
    ]);
  });

  it("takes the rows under `field`", async () => {
    const { rows } = await drain(readJson(fixture("qa-field.json"), { field: "data", batchSize: 2 }));
    expect(rows.map((r) => r.question)).toEqual(["What is Lamini?", "Is it free?", "Does it run offline?"]);
  });

  it("names the keys there are when `field` is missing", async () => {
    const err = await rejection(drain(readJson(fixture("qa-field.json"), { field: "rows" })));
    expect(err).toBeInstanceOf(MissingColumnError);
    expect(err.message).toContain('no field "rows"');
    expect((err as MissingColumnError).columns).toEqual(["version", "data"]);
  });

  it("reads a .json file that is JSON Lines, streaming", async () => {
    const file = tmp.write("lines.json", '{"a":1}\n{"a":2}\n');
    expect((await drain(readJson(file))).rows).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("reports a syntax error in a JSON document with file:line and the parser's reason", async () => {
    const file = tmp.write("broken.json", '{\n  "q": ["a",\n  "b"\n  "c"]\n}\n');
    const err = await rejection(drain(readJson(file)));
    expect(err).toBeInstanceOf(MalformedRecordError);
    expect(err.message).toMatch(/broken\.json:4: not valid JSON: /);
  });

  it("refuses a dict of columns of different lengths, naming the column", async () => {
    const file = tmp.write("ragged.json", '{\n "a": [1, 2],\n "b": [1]\n}');
    const err = await rejection(drain(readJson(file)));
    expect(err).toBeInstanceOf(MalformedRecordError);
    expect(err.message).toContain('"b" has 1');
  });

  it("reads a one-line object as one JSON Lines row, as pyarrow (and so datasets) does", async () => {
    const file = tmp.write("one-line.json", '{"a": [1, 2], "b": [1]}');
    expect((await drain(readJson(file))).rows).toEqual([{ a: [1, 2], b: [1] }]);
  });

  it("refuses an array mixing objects and plain values", async () => {
    const file = tmp.write("mixed.json", '[{"a": 1}, 2]');
    expect(await rejection(drain(readJson(file)))).toBeInstanceOf(MalformedRecordError);
  });

  it("gives EmptyFileError for an empty file and an empty array", async () => {
    expect(await rejection(drain(readJson(tmp.write("empty.json", "  \n"))))).toBeInstanceOf(EmptyFileError);
    expect(await rejection(drain(readJson(tmp.write("empty-array.json", "[]"))))).toBeInstanceOf(EmptyFileError);
  });
});
