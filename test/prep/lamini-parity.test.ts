// prepareInstructionDataset on the 1,400 lamini rows against Python: the ids of
// ../shared/reference/pythia70m_lamini_ids.jsonl, the labels, and datasets' seed-123 split.
import { beforeAll, describe, expect, it } from "vitest";
import { type Dataset, loadDataset, RaggedInt32Column } from "../../src/dataset/index.js";
import { IGNORE_INDEX, type PreparedDataset, prepareInstructionDataset } from "../../src/prep/index.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { hfHome, laminiRows, pythiaDir, type ReferenceIds, referenceIds, referenceSplit } from "../helpers/shared.js";

let tok: Tokenizer;
let ds: Dataset;
let reference: ReferenceIds[];
let copy: PreparedDataset;
let masked: PreparedDataset;

beforeAll(async () => {
  tok = await loadTokenizer(pythiaDir());
  // The Hub id through ../shared/hf-home, offline: the path the original notebook takes.
  ds = await loadDataset("kotzeje/lamini_docs.jsonl", { split: "train", cacheDir: `${hfHome()}/hub`, offline: true, progress: false });
  reference = referenceIds();
  copy = await prepareInstructionDataset(ds, tok, { progress: false, onWarning: () => {} });
  masked = await prepareInstructionDataset(ds, tok, { labels: "mask-prompt", progress: false, onWarning: () => {} });
});

function ids(d: Dataset, column: string): RaggedInt32Column {
  return d.rawColumn(column) as RaggedInt32Column;
}

describe("prepareInstructionDataset on lamini (Python parity)", () => {
  it("keeps the original's columns: formatted question, answer, input_ids, attention_mask, labels", () => {
    expect(copy.columnNames).toEqual(["question", "answer", "input_ids", "attention_mask", "labels"]);
    expect(copy.numRows).toBe(1400);
    const rows = laminiRows();
    expect(copy.row(0).question).toBe(`### Question:\n${rows[0]!.question}\n\n### Answer:`);
    expect(copy.row(0).answer).toBe(rows[0]!.answer);
    expect(ids(copy, "input_ids")).toBeInstanceOf(RaggedInt32Column);
  });

  it("gives Python's input_ids for all 1,400 rows", () => {
    const col = ids(copy, "input_ids");
    const bad = reference.filter((ref, i) => JSON.stringify(Array.from(col.get(i))) !== JSON.stringify(ref.input_ids)).map((r) => r.index);
    expect(bad).toEqual([]);
    expect(col.lengthOf(0)).toBe(142);
  });

  it("copy labels equal input_ids; attention_mask is all ones", () => {
    const input = ids(copy, "input_ids");
    expect(Array.from(ids(copy, "labels").values)).toEqual(Array.from(input.values));
    expect(Array.from(ids(copy, "labels").offsets)).toEqual(Array.from(input.offsets));
    const mask = ids(copy, "attention_mask");
    expect(Array.from(mask.offsets)).toEqual(Array.from(input.offsets));
    expect(mask.values.every((v) => v === 1)).toBe(true);
  });

  it("mask-prompt: -100 on exactly the first prompt_tokens positions, input_ids elsewhere", () => {
    const input = ids(masked, "input_ids");
    const labels = ids(masked, "labels");
    const bad: number[] = [];
    reference.forEach((ref, i) => {
      const row = labels.get(i);
      const expected = ref.input_ids.map((id, j) => (j < ref.prompt_tokens ? IGNORE_INDEX : id));
      if (JSON.stringify(Array.from(row)) !== JSON.stringify(expected) || JSON.stringify(Array.from(input.get(i))) !== JSON.stringify(ref.input_ids))
        bad.push(i);
    });
    expect(bad).toEqual([]);
    expect(masked.report.boundaryMergedRows).toBe(0);
    expect(masked.report.maskedTokens).toBe(reference.reduce((s, r) => s + r.prompt_tokens, 0));
  });

  it("reports the counts: nothing truncated at 2048, the empty strings counted and kept", () => {
    const r = copy.report;
    expect(r.rowsIn).toBe(1400);
    expect(r.rowsOut).toBe(1400);
    expect(r.truncatedRows).toBe(0);
    expect(r.tokens).toBe(reference.reduce((s, x) => s + x.input_ids.length, 0));
    const rows = laminiRows();
    const emptyQ = rows.filter((x) => x.question === "").length;
    const emptyA = rows.filter((x) => x.answer === "").length;
    expect(emptyQ + emptyA).toBeGreaterThan(0);
    expect(r.emptyByColumn).toEqual({ ...(emptyQ ? { question: emptyQ } : {}), ...(emptyA ? { answer: emptyA } : {}) });
    expect(r.emptyRows).toBe(rows.filter((x) => x.question === "" || x.answer === "").length);
    expect(Array.from(r.lengths)).toEqual(reference.map((x) => x.input_ids.length));
    // The row whose answer is empty has nothing to learn under mask-prompt.
    expect(masked.report.fullyMaskedRows).toBe(emptyA);
  });

  it("trainTestSplit({ testSize: 0.1, seed: 123 }) puts exactly datasets' rows in test and train, in order", () => {
    const split = copy.trainTestSplit({ testSize: 0.1, seed: 123 });
    const refSplit = referenceSplit();
    expect(split.train.numRows).toBe(1260);
    expect(split.test.numRows).toBe(140);
    for (const [name, indices] of [
      ["test", refSplit.test_indices],
      ["train", refSplit.train_indices],
    ] as const) {
      const col = ids(split.get(name), "input_ids");
      const bad = indices.filter((src, k) => JSON.stringify(Array.from(col.get(k))) !== JSON.stringify(reference[src]!.input_ids));
      expect(bad).toEqual([]);
    }
  });
});
