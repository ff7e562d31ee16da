import { describe, expect, it } from "vitest";
import {
  DatasetCardError,
  getDataPatterns,
  InvalidArgumentError,
  inferModule,
  NoDataFilesError,
  readDatasetCard,
  resolvePattern,
  sanitizePatterns,
} from "../../src/index.js";
import { thrown } from "../helpers/failures.js";

/** The files each split's patterns give, as datasets resolves them. */
function splitsOf(files: string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [split, patterns] of getDataPatterns(files)) out[split] = [...new Set(patterns.flatMap((p) => resolvePattern(p, files)))];
  return out;
}

describe("getDataPatterns (datasets' get_data_patterns, with its docstring's examples)", () => {
  it("one data file and a README → everything is train: ['**']", () => {
    expect(Object.fromEntries(getDataPatterns(["README.md", "dataset.csv"]))).toEqual({ train: ["**"] });
  });

  it("train/test in file names, at the root or under data/, numbered shards", () => {
    const expected = {
      train: ["**/train[-._ 0-9]*", "**/*[-._ 0-9]train[-._ 0-9]*", "**/training[-._ 0-9]*", "**/*[-._ 0-9]training[-._ 0-9]*"],
      test: [
        "**/test[-._ 0-9]*",
        "**/*[-._ 0-9]test[-._ 0-9]*",
        "**/testing[-._ 0-9]*",
        "**/*[-._ 0-9]testing[-._ 0-9]*",
        "**/eval[-._ 0-9]*",
        "**/*[-._ 0-9]eval[-._ 0-9]*",
        "**/evaluation[-._ 0-9]*",
        "**/*[-._ 0-9]evaluation[-._ 0-9]*",
      ],
    };
    expect(Object.fromEntries(getDataPatterns(["README.md", "train.csv", "test.csv"]))).toEqual(expected);
    expect(Object.fromEntries(getDataPatterns(["README.md", "data/train.csv", "data/test.csv"]))).toEqual(expected);
    const shards = ["README.md", "train_0.csv", "train_1.csv", "train_2.csv", "train_3.csv", "test_0.csv", "test_1.csv"];
    expect(Object.fromEntries(getDataPatterns(shards))).toEqual(expected);
    expect(splitsOf(shards)).toEqual({ train: ["train_0.csv", "train_1.csv", "train_2.csv", "train_3.csv"], test: ["test_0.csv", "test_1.csv"] });
  });

  it("train/test as folder names", () => {
    const files = ["README.md", "data/train/shard_0.csv", "data/train/shard_1.csv", "data/test/shard_0.csv"];
    const patterns = getDataPatterns(files);
    expect([...patterns.keys()]).toEqual(["train", "test"]);
    expect(patterns.get("train")!.slice(0, 4)).toEqual(["**/train/**", "**/train[-._ 0-9]*/**", "**/*[-._ 0-9]train/**", "**/*[-._ 0-9]train[-._ 0-9]*/**"]);
    expect(splitsOf(files)).toEqual({ train: ["data/train/shard_0.csv", "data/train/shard_1.csv"], test: ["data/test/shard_0.csv"] });
  });

  it("push_to_hub shards data/{split}-00000-of-00003: train, validation, test first, then the others sorted", () => {
    const files = [
      "README.md",
      "data/random-00000-of-00002.csv",
      "data/random-00001-of-00002.csv",
      "data/test-00000-of-00001.csv",
      "data/alpha-00000-of-00001.csv",
      "data/train-00000-of-00001.csv",
    ];
    expect(Object.fromEntries(getDataPatterns(files))).toEqual({
      train: ["data/train-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*"],
      test: ["data/test-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*"],
      alpha: ["data/alpha-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*"],
      random: ["data/random-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*"],
    });
    expect(splitsOf(files).random).toEqual(["data/random-00000-of-00002.csv", "data/random-00001-of-00002.csv"]);
  });

  it("knows datasets' keywords and separators: validation/valid/dev/val, eval → test, training, prefixes like my-train", () => {
    expect(splitsOf(["my-training.jsonl", "x/dev_1.jsonl", "eval.jsonl", "b.val.2.jsonl", "a valid.jsonl"])).toEqual({
      train: ["my-training.jsonl"],
      // Pattern order (keywords validation, valid, dev, val), each pattern's matches sorted.
      validation: ["a valid.jsonl", "x/dev_1.jsonl", "b.val.2.jsonl"],
      test: ["eval.jsonl"],
    });
  });

  it("matches case-sensitively and needs a separator after the keyword, as fsspec's glob: Train.csv and trainer.csv fall back to train: ['**']", () => {
    expect(Object.fromEntries(getDataPatterns(["Train.csv", "trainer.csv"]))).toEqual({ train: ["**"] });
  });

  it("takes the first rule that matches: the folder rule hides a split that only a file name gives", () => {
    expect(splitsOf(["train/a.csv", "test.csv"])).toEqual({ train: ["train/a.csv"] });
    expect(splitsOf(["data/train-00000-of-00001.parquet", "test.csv"])).toEqual({ train: ["data/train-00000-of-00001.parquet"] });
  });

  it("refuses shard names whose split is not a valid split name", () => {
    const err = thrown(() => getDataPatterns(["data/my-split-00000-of-00001.parquet"]));
    expect(err).toBeInstanceOf(NoDataFilesError);
    expect(err.message).toContain('["my-split"]');
  });

  it("lists the files when there is no data file at all", () => {
    const err = thrown(() => getDataPatterns(["README.md", ".gitattributes"], "dataset repo a/b"));
    expect(err).toBeInstanceOf(NoDataFilesError);
    expect((err as NoDataFilesError).files).toEqual(["README.md", ".gitattributes"]);
    expect(err.message).toContain("dataset repo a/b doesn't contain any data files");
  });
});

describe("resolvePattern (datasets' resolve_pattern rules)", () => {
  const files = ["README.md", "config.json", "a.csv", ".hidden.csv", ".git/x.csv", "__pycache__/b.csv", "sub/c.CSV", "sub/d.txt", "sub/e.bin"];
  it("leaves out README.md & co, hidden files and folders, __special__ folders", () => {
    expect(resolvePattern("**", files)).toEqual(["a.csv", "sub/c.CSV", "sub/d.txt", "sub/e.bin"]);
  });
  it("includes them when the pattern names them", () => {
    expect(resolvePattern("README.md", files)).toEqual(["README.md"]);
    expect(resolvePattern(".*", files)).toEqual([".hidden.csv"]);
    expect(resolvePattern(".git/*", files)).toEqual([".git/x.csv"]);
    expect(resolvePattern("__pycache__/*", files)).toEqual(["__pycache__/b.csv"]);
  });
  it("keeps only files with an allowed extension (any suffix) when asked, case-sensitively as datasets", () => {
    expect(resolvePattern("**", files, new Set([".csv", ".txt"]))).toEqual(["a.csv", "sub/d.txt"]);
  });
  it("uses Python glob semantics: * stays in a folder, ** spans folders, no brace expansion", () => {
    expect(resolvePattern("*.csv", files)).toEqual(["a.csv"]);
    expect(resolvePattern("**/*.txt", files)).toEqual(["sub/d.txt"]);
    expect(resolvePattern("{a,sub/d}.*", ["{a,sub/d}.csv", "a.csv"])).toEqual(["{a,sub/d}.csv"]);
  });
});

describe("inferModule (datasets' infer_module_for_data_files_list)", () => {
  it("picks the most common extension's builder", () => {
    expect(inferModule(["a.csv", "b.csv", "c.jsonl"])).toBe("csv");
  });
  it("breaks ties for .parquet, then .jsonl, .json, .csv", () => {
    expect(inferModule(["a.csv", "b.parquet"])).toBe("parquet");
    expect(inferModule(["a.csv", "b.jsonl"])).toBe("json");
  });
  it("counts every suffix (a.jsonl.gz is JSON) and ranks metadata files last", () => {
    expect(inferModule(["a.jsonl.gz", "b.jsonl.gz"])).toBe("json");
    expect(inferModule(["metadata.csv", "metadata.csv", "x.png"])).toBe("imagefolder");
  });
  it("reports builders this library does not have, and undefined when nothing is data", () => {
    expect(inferModule(["a.txt", "b.txt"])).toBe("text");
    expect(inferModule(["a.md", "LICENSE"])).toBeUndefined();
  });
});

describe("sanitizePatterns (datasets' sanitize_patterns)", () => {
  it("turns every form into split → patterns", () => {
    expect(Object.fromEntries(sanitizePatterns("a.csv"))).toEqual({ train: ["a.csv"] });
    expect(Object.fromEntries(sanitizePatterns(["a.csv", "b.csv"]))).toEqual({ train: ["a.csv", "b.csv"] });
    expect(Object.fromEntries(sanitizePatterns({ train: "a.csv", test: ["b.csv", "c.csv"] }))).toEqual({ train: ["a.csv"], test: ["b.csv", "c.csv"] });
    expect([
      ...sanitizePatterns([
        { split: "2020", path: "x" },
        { split: "2019", path: ["y"] },
      ]),
    ]).toEqual([
      ["2020", ["x"]],
      ["2019", ["y"]],
    ]);
  });
  it("refuses malformed entries and a split given twice", () => {
    expect(thrown(() => sanitizePatterns([{ split: "train" } as never]))).toBeInstanceOf(InvalidArgumentError);
    expect(
      thrown(() =>
        sanitizePatterns([
          { split: "a", path: "x" },
          { split: "a", path: "y" },
        ]),
      ),
    ).toBeInstanceOf(InvalidArgumentError);
  });
});

describe("readDatasetCard (README configs)", () => {
  it("reads configs, data_files in every form, data_dir, default and other params", () => {
    const card = `---
license: mit
configs:
- config_name: main
  data_files:
  - split: train
    path: train/*.jsonl
  - split: test
    path: [test/a.jsonl, test/b.jsonl]
  default: true
- config_name: raw
  data_dir: raw/
  sep: ";"
---
# Title
`;
    expect(readDatasetCard(card, "README.md")).toEqual([
      {
        name: "main",
        dataFiles: [
          { split: "train", path: "train/*.jsonl" },
          { split: "test", path: ["test/a.jsonl", "test/b.jsonl"] },
        ],
        default: true,
        params: {},
      },
      { name: "raw", dataDir: "raw", default: false, params: { sep: ";" } },
    ]);
  });
  it("gives [] without front matter or without configs", () => {
    expect(readDatasetCard("# Just a title\n", "README.md")).toEqual([]);
    expect(readDatasetCard("---\nlicense: mit\n---\n", "README.md")).toEqual([]);
  });
  it("names the file and line of invalid YAML", () => {
    const err = thrown(() => readDatasetCard("---\nlicense: mit\nconfigs: [a\n  b: c\n---\n", "repo/README.md"));
    expect(err).toBeInstanceOf(DatasetCardError);
    expect(err.message).toMatch(/^repo\/README\.md:3: invalid YAML front matter/);
    expect((err as DatasetCardError).line).toBe(3);
  });
  it("refuses a config without config_name, and data_files of the wrong shape", () => {
    expect(thrown(() => readDatasetCard("---\nconfigs:\n- data_files: a.csv\n---\n", "README.md"))).toBeInstanceOf(DatasetCardError);
    const err = thrown(() => readDatasetCard("---\nconfigs:\n- config_name: x\n  data_files: {train: a.csv}\n---\n", "README.md"));
    expect(err).toBeInstanceOf(DatasetCardError);
    expect(err.message).toContain("split: train");
  });
});
