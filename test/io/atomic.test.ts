import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset, DatasetDict, RaggedInt32Column } from "../../src/dataset/index.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { AtomicFile, createSplitWriter, JsonlSplitWriter, OutputFileError, ParquetSplitWriter, writeSplits, writeStatsJson } from "../../src/io/index.js";
import { thrown } from "../helpers/failures.js";
import { tempDir } from "../helpers/temp-dir.js";
import { duckdbRead } from "./helpers.js";

const tmp = tempDir("ftp-atomic-");
const batch = (n: number, from = 0) => ({
  text: Array.from({ length: n }, (_, i) => `row ${from + i}`),
  ids: RaggedInt32Column.fromArrays(Array.from({ length: n }, (_, i) => [from + i])),
});

describe("AtomicFile", () => {
  it("writes to a temp file beside the target, and renames it into place on commit", () => {
    const target = tmp.path("a.txt");
    const f = new AtomicFile(target);
    expect(f.tempPath).toMatch(new RegExp(`/\\.a\\.txt\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
    f.write("hello ");
    f.write(new TextEncoder().encode("world"));
    expect(existsSync(target)).toBe(false);
    expect(readFileSync(f.tempPath, "utf8")).toBe("hello world");
    f.commit();
    expect(readFileSync(target, "utf8")).toBe("hello world");
    expect(existsSync(f.tempPath)).toBe(false);
    expect(f.bytes).toBe(11);
    expect(() => f.write("more")).toThrow(OutputFileError);
  });

  it("abort leaves the previous file untouched and removes the temp file", () => {
    const target = tmp.path("b.txt");
    writeFileSync(target, "previous");
    const f = new AtomicFile(target);
    f.write("half-written");
    f.abort();
    f.abort();
    expect(readFileSync(target, "utf8")).toBe("previous");
    expect(readdirSync(tmp.dir).filter((n) => n.startsWith(".b.txt."))).toEqual([]);
  });

  it("a folder that does not exist is an OutputFileError naming the file", () => {
    const e = thrown(() => new AtomicFile(join(tmp.dir, "missing", "c.txt"))) as OutputFileError;
    expect(e).toBeInstanceOf(OutputFileError);
    expect(e.file).toContain(join(tmp.dir, "missing"));
    expect(e.message).toContain("does not exist");
  });
});

describe("split writers", () => {
  for (const Writer of [ParquetSplitWriter, JsonlSplitWriter]) {
    it(`${Writer.name}: an error mid-split keeps the previous file and leaves no temp file`, async () => {
      const dir = tmp.path(`fail-${Writer.name}`);
      const good = await writeSplits(new DatasetDict({ train: Dataset.fromDict(batch(3)) }), dir, {
        format: Writer === ParquetSplitWriter ? "parquet" : "jsonl",
        progress: false,
      });
      const before = readFileSync(good.train!.path);
      const w = new Writer(good.train!.path);
      await w.write(batch(2));
      // A batch with other columns is refused, and the whole split is dropped.
      await expect(w.write({ other: ["x"] })).rejects.toThrow(InvalidArgumentError);
      await expect(w.close()).rejects.toThrow(OutputFileError);
      expect(readFileSync(good.train!.path)).toEqual(before);
      expect(readdirSync(dir).sort()).toEqual([`train.${w.format}`]);
    });
  }

  for (const Writer of [ParquetSplitWriter, JsonlSplitWriter]) {
    it(`${Writer.name}: a batch whose columns differ in length aborts the split`, async () => {
      const dir = tmp.path(`shape-${Writer.name}`);
      mkdirSync(dir);
      const w = new Writer(join(dir, `train.${Writer === ParquetSplitWriter ? "parquet" : "jsonl"}`));
      await w.write(batch(2));
      await expect(w.write({ text: ["a", "b"], ids: [[1]] })).rejects.toThrow(InvalidArgumentError);
      await expect(w.write(batch(1))).rejects.toThrow(OutputFileError);
      await expect(w.close()).rejects.toThrow(OutputFileError);
      expect(readdirSync(dir)).toEqual([]);
    });
  }

  it("streams batches into 10k-row groups by default and reads back in order", async () => {
    const w = createSplitWriter(tmp.path("stream"), "train");
    for (let from = 0; from < 25_000; from += 1000) await w.write(batch(1000, from));
    const done = await w.close();
    expect(done.rows).toBe(25_000);
    const { rows } = await duckdbRead(done.path);
    expect(rows.map((r) => r.text)).toEqual(Array.from({ length: 25_000 }, (_, i) => `row ${i}`));
    const { hyparquetRead } = await import("./helpers.js");
    const { metadata } = await hyparquetRead(done.path);
    expect(metadata.row_groups.map((g) => Number(g.num_rows))).toEqual([10_000, 10_000, 5_000]);
  });

  it("refuses columns Parquet cannot hold as one type, naming the column", async () => {
    const w = new ParquetSplitWriter(tmp.path("objects.parquet"));
    const e = await w.write({ messages: [[{ role: "user", content: "x" }]] }).catch((err: unknown) => err as OutputFileError);
    expect(e).toBeInstanceOf(OutputFileError);
    expect((e as OutputFileError).column).toBe("messages");
    expect((e as OutputFileError).message).toContain("jsonl");
    expect(existsSync(tmp.path("objects.parquet"))).toBe(false);
  });

  it("checks the format, the split name and batch shapes", async () => {
    expect(() => createSplitWriter(tmp.dir, "train", { format: "csv" as never })).toThrow(InvalidArgumentError);
    expect(() => createSplitWriter(tmp.dir, "../escape")).toThrow(InvalidArgumentError);
    expect(() => new ParquetSplitWriter(tmp.path("x.parquet"), { rowGroupSize: 0 })).toThrow(InvalidArgumentError);
    const w = new JsonlSplitWriter(tmp.path("shape.jsonl"));
    await expect(w.write({ a: [1, 2], b: [1] })).rejects.toThrow(InvalidArgumentError);
  });
});

describe("writeStatsJson", () => {
  it("writes pretty JSON atomically", () => {
    const path = writeStatsJson(tmp.path("stats"), { rows: { train: 1 } });
    expect(JSON.parse(readFileSync(path, "utf8"))).toEqual({ rows: { train: 1 } });
  });

  it("refuses to write the value of HF_TOKEN", () => {
    const before = process.env.HF_TOKEN;
    process.env.HF_TOKEN = "hf_secretvalue123";
    try {
      expect(() => writeStatsJson(tmp.path("secret"), { tokenizer: "x hf_secretvalue123" })).toThrow(/HF_TOKEN/);
      expect(existsSync(tmp.path("secret/stats.json"))).toBe(false);
    } finally {
      if (before === undefined) delete process.env.HF_TOKEN;
      else process.env.HF_TOKEN = before;
    }
  });
});
