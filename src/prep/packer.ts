import { RaggedInt32Column } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";

export interface PackerParams {
  /** Tokens per block: every block has exactly this many. */
  blockSize: number;
  /** The token put after every example (the tokenizer's EOS, as TRL's ConstantLengthDataset). Its label is itself: the model learns to end an answer. */
  separatorId: number;
}

/** Full blocks, column by column. */
export interface PackedBlocks {
  input_ids: RaggedInt32Column;
  attention_mask: RaggedInt32Column;
  labels: RaggedInt32Column;
}

/** What packing did, in counts. */
export interface PackReport {
  /** Examples packed. */
  examples: number;
  /** Blocks made (each exactly blockSize tokens). */
  blocks: number;
  /** Tokens taken in: the examples' tokens plus one separator per example. */
  tokensIn: number;
  /** Tokens of the last, partial block, dropped (fewer than blockSize). */
  droppedTokens: number;
}

function ones(n: number): Int32Array {
  return new Int32Array(n).fill(1);
}

/**
 * Packs examples into blocks of exactly `blockSize` tokens, streaming: TRL's ConstantLengthDataset
 * behaviour (append_concat_token, not infinite, no shuffle). Each example is followed by the
 * separator (EOS); the stream is cut every `blockSize` tokens, so an example can run over into the
 * next block; the last partial block is dropped and counted ({@link PackReport.droppedTokens}).
 * Labels travel with their tokens (a masked prompt stays masked), the separator's label is the
 * separator, and the attention mask is all ones (no padding anywhere).
 */
export class Packer {
  readonly #size: number;
  readonly #separator: number;
  readonly #ids: Int32Array;
  readonly #labels: Int32Array;
  #fill = 0;
  #report: PackReport = { examples: 0, blocks: 0, tokensIn: 0, droppedTokens: 0 };
  #finished = false;

  constructor(params: PackerParams) {
    const { blockSize, separatorId } = params;
    if (!Number.isInteger(blockSize) || blockSize < 1)
      throw new InvalidArgumentError("blockSize", blockSize, `Packing needs a whole number of tokens per block ≥ 1, got ${String(blockSize)}.`);
    if (!Number.isInteger(separatorId))
      throw new InvalidArgumentError("separatorId", separatorId, `Packing needs a separator token id (the EOS id), got ${String(separatorId)}.`);
    this.#size = blockSize;
    this.#separator = separatorId;
    this.#ids = new Int32Array(blockSize);
    this.#labels = new Int32Array(blockSize);
  }

  /** Adds examples (labels default to the ids) and returns the blocks they completed. */
  push(inputIds: RaggedInt32Column, labels: RaggedInt32Column = inputIds): PackedBlocks {
    if (this.#finished) throw new InvalidArgumentError("push", undefined, "Packer: push after finish.");
    if (labels.length !== inputIds.length)
      throw new InvalidArgumentError("labels", labels.length, `Packer: ${labels.length} label rows for ${inputIds.length} examples.`);
    const size = this.#size;
    let tokens = 0;
    for (let i = 0; i < inputIds.length; i++) {
      if (labels.lengthOf(i) !== inputIds.lengthOf(i))
        throw new InvalidArgumentError("labels", labels.lengthOf(i), `Packer: example ${i} has ${inputIds.lengthOf(i)} ids but ${labels.lengthOf(i)} labels.`, {
          row: i,
        });
      tokens += inputIds.lengthOf(i) + 1;
    }
    const blocks = Math.floor((this.#fill + tokens) / size);
    const outIds = new Int32Array(blocks * size);
    const outLabels = new Int32Array(blocks * size);
    let made = 0;
    const append = (ids: Int32Array, labs: Int32Array) => {
      let k = 0;
      while (k < ids.length) {
        const take = Math.min(size - this.#fill, ids.length - k);
        this.#ids.set(ids.subarray(k, k + take), this.#fill);
        this.#labels.set(labs.subarray(k, k + take), this.#fill);
        this.#fill += take;
        k += take;
        if (this.#fill === size) {
          outIds.set(this.#ids, made * size);
          outLabels.set(this.#labels, made * size);
          made++;
          this.#fill = 0;
        }
      }
    };
    const sep = Int32Array.of(this.#separator);
    for (let i = 0; i < inputIds.length; i++) {
      append(inputIds.get(i), labels.get(i));
      append(sep, sep);
    }
    this.#report.examples += inputIds.length;
    this.#report.blocks += made;
    this.#report.tokensIn += tokens;
    const offsets = Uint32Array.from({ length: made + 1 }, (_, b) => b * size);
    return {
      input_ids: new RaggedInt32Column(outIds, offsets),
      attention_mask: new RaggedInt32Column(ones(made * size), offsets),
      labels: new RaggedInt32Column(outLabels, offsets),
    };
  }

  /** Ends the stream: the partial block left is dropped. Returns the counts. */
  finish(): PackReport {
    if (!this.#finished) {
      this.#finished = true;
      this.#report.droppedTokens = this.#fill;
      this.#fill = 0;
    }
    return { ...this.#report };
  }
}
