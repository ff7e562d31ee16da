import { Dataset, RaggedInt32Column } from "../dataset/index.js";
import { MissingColumnError } from "../errors.js";
import { Packer, type PackReport } from "./packer.js";

export interface PackDatasetParams {
  /** Tokens per block (usually the maxLength). */
  blockSize: number;
  /** Token put after every example: the tokenizer's EOS id (`tok.eosTokenId`). */
  separatorId: number;
  /** Examples per step. Default 1000. */
  batchSize?: number;
}

function ragged(ds: Dataset, name: string): RaggedInt32Column {
  const col = ds.rawColumn(name);
  return col instanceof RaggedInt32Column ? col : RaggedInt32Column.fromArrays(col as number[][]);
}

/**
 * Packs a prepared dataset (input_ids, and labels when it has them) into blocks of exactly
 * `blockSize` tokens with {@link Packer}: columns input_ids, attention_mask (all 1), labels.
 * Text columns do not survive packing (a block holds parts of several examples).
 *
 * Pack after splitting, each split on its own: packing first would put pieces of one example in
 * both train and test.
 */
export function packDataset(ds: Dataset, params: PackDatasetParams): { dataset: Dataset; report: PackReport } {
  if (!ds.columnNames.includes("input_ids")) {
    throw new MissingColumnError(`packDataset: no "input_ids" column. Columns: ${JSON.stringify(ds.columnNames)}.`, {
      column: "input_ids",
      columns: ds.columnNames,
      hint: "Prepare (tokenize) the dataset first.",
    });
  }
  const packer = new Packer(params);
  const ids = ragged(ds, "input_ids");
  const labels = ds.columnNames.includes("labels") ? ragged(ds, "labels") : ids;
  const step = params.batchSize ?? 1000;
  const parts = { input_ids: [] as RaggedInt32Column[], attention_mask: [] as RaggedInt32Column[], labels: [] as RaggedInt32Column[] };
  for (let start = 0; start < ds.numRows; start += step) {
    const end = Math.min(ds.numRows, start + step);
    const blocks = packer.push(ids.slice(start, end), labels.slice(start, end));
    parts.input_ids.push(blocks.input_ids);
    parts.attention_mask.push(blocks.attention_mask);
    parts.labels.push(blocks.labels);
  }
  const report = packer.finish();
  const dataset = Dataset.fromDict({
    input_ids: RaggedInt32Column.concat(parts.input_ids),
    attention_mask: RaggedInt32Column.concat(parts.attention_mask),
    labels: RaggedInt32Column.concat(parts.labels),
  });
  return { dataset, report };
}
