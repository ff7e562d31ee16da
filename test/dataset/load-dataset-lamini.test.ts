import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Dataset, DatasetDict, loadDataset, SplitNotFoundError } from "../../src/index.js";
import { rejection } from "../helpers/failures.js";
import { hfHome, laminiRows, referenceSplit, sharedPath } from "../helpers/shared.js";

const cacheDir = () => join(hfHome(), "hub");

describe("loadDataset from the shared Hugging Face cache (offline)", () => {
  it("loads kotzeje/lamini_docs.jsonl as Python does: one train split of 1,400 question/answer rows", async () => {
    const dd = await loadDataset("kotzeje/lamini_docs.jsonl", { cacheDir: cacheDir(), offline: true, progress: false });
    expect(dd).toBeInstanceOf(DatasetDict);
    expect(dd.keys()).toEqual(["train"]);
    expect(dd.numRows).toEqual({ train: 1400 });
    expect(dd.train.columnNames).toEqual(["question", "answer"]);
    expect(dd.train.row(0).question).toBe("How can I evaluate the performance and quality of the generated text from Lamini models?");
    expect(String(dd)).toBe("DatasetDict({\n    train: Dataset({\n        features: ['question', 'answer'],\n        num_rows: 1400\n    })\n})");
    expect(String(dd.train.features)).toBe("{'question': Value(dtype='string', id=None), 'answer': Value(dtype='string', id=None)}");
  });

  it("gives every row equal to ../shared/data/lamini_docs.jsonl, in order (parsed here with node:fs + JSON.parse)", async () => {
    const dd = await loadDataset("kotzeje/lamini_docs.jsonl", { cacheDir: cacheDir(), offline: true, progress: false });
    expect(dd.train.toRows()).toEqual(laminiRows());
  });

  it("reads the same rows from the JSON Lines copy through the local-file path", async () => {
    const ds = await loadDataset(sharedPath("data", "lamini_docs.jsonl"), { split: "train", progress: false });
    expect(ds).toBeInstanceOf(Dataset);
    expect(ds.toRows()).toEqual(laminiRows());
  });

  it("honours HF_HOME and HF_HUB_OFFLINE from the environment", async () => {
    const saved = { HF_HOME: process.env.HF_HOME, HF_HUB_OFFLINE: process.env.HF_HUB_OFFLINE, HF_HUB_CACHE: process.env.HF_HUB_CACHE };
    process.env.HF_HOME = hfHome();
    process.env.HF_HUB_OFFLINE = "1";
    delete process.env.HF_HUB_CACHE;
    try {
      const ds = await loadDataset("kotzeje/lamini_docs.jsonl", { split: "train", progress: false });
      expect(ds.numRows).toBe(1400);
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });

  it("returns one split as a Dataset with split, and names the splits for an unknown one", async () => {
    const err = await rejection(loadDataset("kotzeje/lamini_docs.jsonl", { cacheDir: cacheDir(), offline: true, split: "validation" }));
    expect(err).toBeInstanceOf(SplitNotFoundError);
    expect((err as SplitNotFoundError).splits).toEqual(["train"]);
    expect(err.message).toContain('"validation"');
    expect(err.message).toContain('["train"]');
  });

  it("splits 90/10 with seed 123 into the rows Python's train_test_split gives", async () => {
    const ds = await loadDataset("kotzeje/lamini_docs.jsonl", { cacheDir: cacheDir(), offline: true, split: "train", progress: false });
    const ref = referenceSplit();
    const split = ds.trainTestSplit({ testSize: 0.1, shuffle: true, seed: 123 });
    const rows = laminiRows();
    expect(split.keys()).toEqual(["train", "test"]);
    expect(split.numRows).toEqual({ train: ref.train_indices.length, test: ref.test_indices.length });
    expect(split.test.toRows()).toEqual(ref.test_indices.map((i) => rows[i]));
    expect(split.train.toRows()).toEqual(ref.train_indices.map((i) => rows[i]));
  });
});
