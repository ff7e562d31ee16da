import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  CorruptFileError,
  Dataset,
  DatasetCardError,
  InvalidArgumentError,
  loadDataset,
  MissingColumnError,
  NoDataFilesError,
  NotCachedError,
  type ReadSummary,
  resolveDataFiles,
  UnsupportedFormatError,
} from "../../src/index.js";
import { rejection } from "../helpers/failures.js";
import { repoRoot } from "../helpers/shared.js";
import { tempDir } from "../helpers/temp-dir.js";

const tmp = tempDir("ftp-dataset-");
const jsonl = (...rows: object[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
const fixture = (name: string) => join(repoRoot, "test", "fixtures", "dataset", name);
const opts = { progress: false } as const;

describe("loadDataset on local folders (datasets' rules over the folder's files)", () => {
  it("uses README configs: data_files as a list of {split, path}, splits in the card's order", async () => {
    tmp.write(
      "cfg/README.md",
      "---\nconfigs:\n- config_name: default\n  data_files:\n  - split: test\n    path: held/*.jsonl\n  - split: train\n    path: [a.jsonl, b.jsonl]\n---\n",
    );
    tmp.write("cfg/a.jsonl", jsonl({ q: "a1" }, { q: "a2" }));
    tmp.write("cfg/b.jsonl", jsonl({ q: "b1", extra: 1 }));
    tmp.write("cfg/held/x.jsonl", jsonl({ q: "x" }));
    tmp.write("cfg/train.jsonl", jsonl({ q: "ignored: not in the config" }));
    const dd = await loadDataset(tmp.path("cfg"), opts);
    expect(dd.keys()).toEqual(["test", "train"]);
    // Columns are the union over the split's files; null where a file lacks one.
    expect(dd.train.toRows()).toEqual([
      { q: "a1", extra: null },
      { q: "a2", extra: null },
      { q: "b1", extra: 1 },
    ]);
    expect(dd.test.toRows()).toEqual([{ q: "x" }]);
  });

  it("picks the default config, another one by name, and refuses a missing or unknown name", async () => {
    const card = `---
configs:
- config_name: small
  data_files: small.csv
- config_name: full
  data_files: full.csv
  default: true
---
`;
    tmp.write("multi/README.md", card);
    tmp.write("multi/small.csv", "q,n\na,1\n");
    tmp.write("multi/full.csv", "q,n\na,1\nb,2\n");
    expect((await loadDataset(tmp.path("multi"), opts)).numRows).toEqual({ train: 2 });
    expect((await loadDataset(tmp.path("multi"), { ...opts, name: "small" })).numRows).toEqual({ train: 1 });
    const unknown = await rejection(loadDataset(tmp.path("multi"), { ...opts, name: "medium" }));
    expect(unknown).toBeInstanceOf(InvalidArgumentError);
    expect(unknown.message).toContain('["small","full"]');

    tmp.write("nodefault/README.md", card.replace("  default: true\n", ""));
    tmp.write("nodefault/small.csv", "q\na\n");
    const missing = await rejection(loadDataset(tmp.path("nodefault"), opts));
    expect(missing).toBeInstanceOf(InvalidArgumentError);
    expect(missing.message).toContain("Config name is missing");
  });

  it("applies the default split rules under a config's data_dir, and its sep", async () => {
    tmp.write("ddir/README.md", "---\nconfigs:\n- config_name: default\n  data_dir: v2\n  sep: ';'\n---\n");
    tmp.write("ddir/v2/train.csv", "q;n\na;1\n");
    tmp.write("ddir/v2/test.csv", "q;n\nb;2\n");
    tmp.write("ddir/v1/train.csv", "old\n");
    const dd = await loadDataset(tmp.path("ddir"), opts);
    expect(dd.keys()).toEqual(["train", "test"]);
    expect(dd.test.toRows()).toEqual([{ q: "b", n: 2 }]);
  });

  it("refuses an invalid README front matter, naming the file", async () => {
    tmp.write("badcard/README.md", "---\nconfigs: {a: 1}\n---\n");
    tmp.write("badcard/train.jsonl", jsonl({ q: 1 }));
    const err = await rejection(loadDataset(tmp.path("badcard"), opts));
    expect(err).toBeInstanceOf(DatasetCardError);
    expect(err.message).toContain(join(tmp.path("badcard"), "README.md"));
  });

  it("finds splits from file names (train/validation/test order) and types CSV columns as pandas", async () => {
    tmp.write("names/test.csv", "q,n,f,b\nt,3,1.5,True\n");
    tmp.write("names/validation.csv", "q,n,f,b\nv,,NA,False\n");
    tmp.write("names/train.csv", "q,n,f,b\nx,1,2,true\n");
    const dd = await loadDataset(tmp.path("names"), opts);
    expect(dd.keys()).toEqual(["train", "validation", "test"]);
    expect(dd.validation.toRows()).toEqual([{ q: "v", n: null, f: null, b: false }]);
    expect(dd.test.toRows()).toEqual([{ q: "t", n: 3, f: 1.5, b: true }]);
  });

  it("finds splits from folder names, reading every shard in path order", async () => {
    tmp.write("dirs/data/train/shard_1.jsonl", jsonl({ i: 2 }));
    tmp.write("dirs/data/train/shard_0.jsonl", jsonl({ i: 0 }, { i: 1 }));
    tmp.write("dirs/data/test/shard_0.jsonl", jsonl({ i: 9 }));
    const dd = await loadDataset(tmp.path("dirs"), opts);
    expect(dd.keys()).toEqual(["train", "test"]);
    expect(dd.train.column("i")).toEqual([0, 1, 2]);
  });

  it("falls back to one train split of every data file, leaving out files of another format (and saying which)", async () => {
    tmp.write("flat/qa.jsonl", jsonl({ q: 1 }));
    tmp.write("flat/notes.txt", "not data for the json builder");
    tmp.write("flat/README.md", "# readme\n");
    const resolved = await resolveDataFiles(tmp.path("flat"));
    expect([...resolved.splits.keys()]).toEqual(["train"]);
    expect(resolved.splits.get("train")).toEqual({ format: "json", files: [tmp.path("flat/qa.jsonl")], skipped: [tmp.path("flat/notes.txt")] });
    expect((await loadDataset(tmp.path("flat"), opts)).train.toRows()).toEqual([{ q: 1 }]);
  });

  it("gives NoDataFilesError listing the files when a folder holds no data files", async () => {
    tmp.write("nodata/README.md", "# nothing\n");
    tmp.write("nodata/.gitattributes", "*.parquet lfs\n");
    const err = await rejection(loadDataset(tmp.path("nodata"), opts));
    expect(err).toBeInstanceOf(NoDataFilesError);
    expect((err as NoDataFilesError).files).toEqual([".gitattributes", "README.md"]);
  });

  it("says which datasets builder would read a folder of another kind of data", async () => {
    tmp.write("images/a.png", "x");
    tmp.write("images/b.png", "x");
    const err = await rejection(loadDataset(tmp.path("images"), opts));
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect(err.message).toContain('"imagefolder"');
  });

  it("loads only the asked split (another split's broken file is not read)", async () => {
    tmp.write("onlysplit/train.jsonl", jsonl({ q: 1 }));
    tmp.write("onlysplit/test.parquet", "broken");
    const ds = await loadDataset(tmp.path("onlysplit"), { ...opts, split: "train" });
    expect(ds).toBeInstanceOf(Dataset);
    expect(ds.numRows).toBe(1);
    expect(await rejection(loadDataset(tmp.path("onlysplit"), opts))).toBeInstanceOf(CorruptFileError);
  });
});

describe("loadDataset with a format and dataFiles (load_dataset('json', data_files=…))", () => {
  it("reads a dict of splits, each a list of files", async () => {
    const a = tmp.write("pk/a.jsonl", jsonl({ q: "a" }));
    const b = tmp.write("pk/b.jsonl", jsonl({ q: "b" }));
    const c = tmp.write("pk/c.jsonl", jsonl({ q: "c" }));
    const dd = await loadDataset("json", { ...opts, dataFiles: { train: [a, b], test: [c] } });
    expect(dd.keys()).toEqual(["train", "test"]);
    expect(dd.train.column("q")).toEqual(["a", "b"]);
  });

  it("hands each file's summary to onFileRead: rows and skipped blank lines", async () => {
    const a = tmp.write("pk-sum/a.jsonl", `\n${jsonl({ q: "a" })}\n  \n${jsonl({ q: "a2" })}`);
    const b = tmp.write("pk-sum/b.jsonl", jsonl({ q: "b" }));
    const c = tmp.write("pk-sum/c.csv", "q\nc\n\nc2\n");
    const summaries: ReadSummary[] = [];
    const onFileRead = (summary: ReadSummary) => void summaries.push(summary);
    const dd = await loadDataset("json", { ...opts, dataFiles: { train: [a], test: [b] }, onFileRead });
    expect(dd.numRows).toEqual({ train: 2, test: 1 });
    expect((await loadDataset(c, { ...opts, split: "train", onFileRead })).numRows).toBe(2);
    expect(summaries).toEqual([
      { file: a, rows: 2, blankLines: 3 },
      { file: b, rows: 1, blankLines: 0 },
      { file: c, rows: 2, columns: ["q"], blankLines: 1 },
    ]);
  });

  it("takes a string or a list as the train split, and globs", async () => {
    const a = tmp.write("pk2/a.jsonl", jsonl({ q: "a" }));
    tmp.write("pk2/b.jsonl", jsonl({ q: "b" }));
    expect((await loadDataset("json", { ...opts, dataFiles: a })).keys()).toEqual(["train"]);
    expect((await loadDataset("json", { ...opts, dataFiles: [tmp.path("pk2/*.jsonl")] })).train.column("q")).toEqual(["a", "b"]);
  });

  it("reads files in the named format whatever their extension", async () => {
    const f = tmp.write("pk3/rows.txt", "a,b\n1,2\n");
    expect((await loadDataset("csv", { ...opts, dataFiles: f, split: "train" })).toRows()).toEqual([{ a: 1, b: 2 }]);
    const p = tmp.write("pk3/data.bin", jsonl({ z: 1 }));
    expect((await loadDataset("json", { ...opts, dataFiles: p, split: "train" })).toRows()).toEqual([{ z: 1 }]);
  });

  it("names a data file that does not exist", async () => {
    const err = await rejection(loadDataset("json", { ...opts, dataFiles: tmp.path("pk/missing.jsonl") }));
    expect(err).toBeInstanceOf(NoDataFilesError);
    expect(err.message).toContain("missing.jsonl");
  });

  it("passes the JSON field option through", async () => {
    const ds = await loadDataset("json", { ...opts, dataFiles: fixture("qa-field.json"), field: "data", split: "train" });
    expect(ds.numRows).toBe(3);
    expect(ds.columnNames).toEqual(["question", "answer"]);
  });
});

describe("loadDataset on single files and bad paths", () => {
  it("reads a local file as the train split, CSV typed", async () => {
    const dd = await loadDataset(fixture("qa.csv"), opts);
    expect(dd.train.toRows()[0]).toEqual({ question: 'What is "Lamini"?', answer: "An engine, for LLMs.", score: 1 });
    expect(dd.train.column("score")).toEqual([1, 2.5, null]);
  });

  it("keeps and orders the asked columns, naming the ones that are missing", async () => {
    const ds = await loadDataset(fixture("qa-array.json"), { ...opts, split: "train", columns: ["answer", "question"] });
    expect(ds.columnNames).toEqual(["answer", "question"]);
    const err = await rejection(loadDataset(fixture("qa-array.json"), { ...opts, columns: ["answer", "nope"] }));
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as MissingColumnError).columns).toEqual(["question", "answer", "score"]);
  });

  it("refuses an unknown file type, listing the supported ones", async () => {
    const f = tmp.write("x/data.xlsx", "x");
    const err = await rejection(loadDataset(f, opts));
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect(err.message).toContain(".parquet, .geoparquet, .gpq, .json, .jsonl, .csv, .tsv");
  });

  it("refuses compressions it cannot read", async () => {
    const f = tmp.write("x/data.jsonl.zst", "x");
    const err = await rejection(loadDataset("json", { ...opts, dataFiles: f }));
    expect(err).toBeInstanceOf(UnsupportedFormatError);
    expect(err.message).toContain("compressed as zst");
  });

  it("says a local-looking path does not exist", async () => {
    const err = await rejection(loadDataset("./no/such/file.jsonl", opts));
    expect(err).toBeInstanceOf(NoDataFilesError);
    expect(err.message).toContain("No such file or folder");
  });

  it("treats org/name as a Hub dataset and fails offline when it is not cached", async () => {
    const err = await rejection(loadDataset("someone/not-cached", { ...opts, offline: true, cacheDir: tmp.path("empty-cache") }));
    expect(err).toBeInstanceOf(NotCachedError);
  });
});
