import { beforeAll, describe, expect, it } from "vitest";
import { Dataset, loadDataset, RaggedInt32Column } from "../../src/dataset/index.js";
import { InvalidArgumentError, MissingColumnError } from "../../src/errors.js";
import { IGNORE_INDEX, Packer, packDataset, prepareInstructionDataset } from "../../src/prep/index.js";
import type { Tokenizer } from "../../src/tokenizer/index.js";
import { thrown } from "../helpers/failures.js";
import { referenceIds, sharedPath } from "../helpers/shared.js";
import { pythiaTokenizer } from "./helpers.js";

const col = (rows: number[][]) => RaggedInt32Column.fromArrays(rows);

describe("Packer (TRL ConstantLengthDataset behaviour)", () => {
  it("puts the separator after every example, cuts every blockSize tokens and drops the partial last block", () => {
    const p = new Packer({ blockSize: 4, separatorId: 0 });
    const out = p.push(col([[1, 2, 3], [4, 5], [6]]));
    expect(out.input_ids.toArrays()).toEqual([
      [1, 2, 3, 0],
      [4, 5, 0, 6],
    ]);
    expect(out.attention_mask.toArrays()).toEqual([
      [1, 1, 1, 1],
      [1, 1, 1, 1],
    ]);
    expect(p.finish()).toEqual({ examples: 3, blocks: 2, tokensIn: 9, droppedTokens: 1 });
  });

  it("streams: the same blocks whatever the batches", () => {
    const rows = [[1, 2, 3, 4, 5, 6, 7], [8], [9, 10, 11], [12, 13]];
    const whole = new Packer({ blockSize: 3, separatorId: 99 });
    const all = whole.push(col(rows)).input_ids.toArrays();
    const streamed = new Packer({ blockSize: 3, separatorId: 99 });
    const parts = rows.flatMap((r) => streamed.push(col([r])).input_ids.toArrays());
    expect(parts).toEqual(all);
    expect(streamed.finish()).toEqual(whole.finish());
    // An example longer than a block runs over into the next blocks.
    expect(all[0]).toEqual([1, 2, 3]);
    expect(all[2]).toEqual([7, 99, 8]);
  });

  it("carries the labels with their tokens; the separator is learned", () => {
    const p = new Packer({ blockSize: 5, separatorId: 0 });
    const out = p.push(
      col([
        [1, 2, 3],
        [4, 5],
      ]),
      col([
        [IGNORE_INDEX, 2, 3],
        [IGNORE_INDEX, 5],
      ]),
    );
    expect(out.input_ids.toArrays()).toEqual([[1, 2, 3, 0, 4]]);
    expect(out.labels.toArrays()).toEqual([[IGNORE_INDEX, 2, 3, 0, IGNORE_INDEX]]);
    expect(p.finish().droppedTokens).toBe(2);
  });

  it("refuses bad parameters and mismatched labels", () => {
    expect(thrown(() => new Packer({ blockSize: 0, separatorId: 0 }))).toBeInstanceOf(InvalidArgumentError);
    expect(thrown(() => new Packer({ blockSize: 4, separatorId: Number.NaN }))).toBeInstanceOf(InvalidArgumentError);
    const p = new Packer({ blockSize: 4, separatorId: 0 });
    expect(thrown(() => p.push(col([[1, 2]]), col([[1]])))).toBeInstanceOf(InvalidArgumentError);
    p.finish();
    expect(thrown(() => p.push(col([[1]])))).toBeInstanceOf(InvalidArgumentError);
  });

  it("packDataset needs input_ids", () => {
    expect(thrown(() => packDataset(Dataset.fromDict({ text: ["a"] }), { blockSize: 4, separatorId: 0 }))).toBeInstanceOf(MissingColumnError);
  });
});

describe("prepareInstructionDataset({ pack: true }) on lamini", () => {
  let tok: Tokenizer;
  beforeAll(async () => {
    tok = await pythiaTokenizer();
  });

  it("makes blocks of exactly maxLength from the reference ids joined by EOS, dropping the tail", async () => {
    const ds = await loadDataset(sharedPath("data", "lamini_docs.jsonl"), { split: "train", progress: false });
    const packed = await prepareInstructionDataset(ds, tok, { pack: true, maxLength: 2048, progress: false, onWarning: () => {} });
    const stream = referenceIds().flatMap((r) => [...r.input_ids, tok.eosTokenId!]);
    const blocks = Math.floor(stream.length / 2048);
    expect(packed.columnNames).toEqual(["input_ids", "attention_mask", "labels"]);
    expect(packed.numRows).toBe(blocks);
    const ids = packed.rawColumn("input_ids") as RaggedInt32Column;
    expect(Array.from(ids.values)).toEqual(stream.slice(0, blocks * 2048));
    expect(packed.report.packing).toEqual({ examples: 1400, blocks, tokensIn: stream.length, droppedTokens: stream.length - blocks * 2048 });
    expect(packed.report.truncatedRows).toBe(0);
    expect(Array.from((packed.rawColumn("labels") as RaggedInt32Column).values)).toEqual(Array.from(ids.values));
  });

  it("with mask-prompt the prompts stay masked inside the blocks", async () => {
    const ds = Dataset.fromList([
      { question: "What?", answer: " Yes." },
      { question: "Why?", answer: " Because." },
    ]);
    const packed = await prepareInstructionDataset(ds, tok, { pack: true, maxLength: 8, labels: "mask-prompt", progress: false, onWarning: () => {} });
    const plain = await prepareInstructionDataset(ds, tok, { labels: "mask-prompt", progress: false, onWarning: () => {} });
    const stream = (plain.rawColumn("labels") as RaggedInt32Column).toArrays().flatMap((l) => [...l, tok.eosTokenId!]);
    expect(Array.from((packed.rawColumn("labels") as RaggedInt32Column).values)).toEqual(stream.slice(0, packed.numRows * 8));
  });
});
