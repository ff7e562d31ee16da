import { Dataset, RaggedInt32Column, type Row } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";
import type { Tokenizer } from "../tokenizer/index.js";
import { createProgress } from "../util/progress.js";
import type { ColumnSelection } from "./detect-columns.js";
import { packDataset } from "./pack-dataset.js";
import type { PackReport } from "./packer.js";
import { type PrepareOptions, planPreparation } from "./plan-preparation.js";
import { prepareBatch } from "./prepare-batch.js";
import { addPrepareReport, emptyPrepareReport, type PrepareReport, prepareWarnings } from "./prepare-report.js";

export interface PrepareInstructionDatasetParams extends PrepareOptions {
  /**
   * Pack the examples into blocks of exactly `maxLength` tokens (see {@link Packer}) instead of one
   * row per example. Rows are not truncated then: a long example runs over into the next block.
   * Pack after splitting if you split: see {@link packDataset}. Default false.
   */
  pack?: boolean;
  /** Show progress (a bar on a terminal, a display in a notebook). Default true. */
  progress?: boolean;
  /** Rows per {@link prepareBatch} call. Default 1000. */
  batchSize?: number;
  /** Where warnings go (empty rows, rows with nothing to learn, truncation). Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

/** The counts of {@link prepareInstructionDataset}, with what it decided. */
export interface PrepareInstructionReport extends PrepareReport {
  /** The columns used. */
  selection: ColumnSelection;
  /** The prompt template applied (undefined: the column's text as it is, or a chat template). */
  template: string | undefined;
  /** Tokens of each input row before truncation (special tokens included), in input order. */
  lengths: Int32Array;
  /** With `pack`: blocks made, tokens dropped. */
  packing?: PackReport;
}

/** A prepared Dataset, with the report of how it was made. */
export type PreparedDataset = Dataset & { readonly report: PrepareInstructionReport };

function yieldToEventLoop(): Promise<void> {
  // Lets a notebook's progress display and other I/O through between batches.
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * The middle of the original notebook as one call: format each row with the prompt template,
 * tokenize prompt + answer as one string, truncate (left by default, to 2048 tokens), and add
 * labels — Python's
 *
 * ```python
 * finetuning_dataset_loaded.map(tokenize_function, batched=True, batch_size=1, drop_last_batch=True)
 *   .add_column("labels", tokenized_dataset["input_ids"])
 * ```
 *
 * with the same ids (checked against Python for all 1,400 lamini rows). Output columns: the prompt
 * column holding the formatted prompt (question), the completion column (answer), input_ids,
 * attention_mask, labels (text rows: text + ids; chat rows: the rendered "text" + ids). Other input
 * columns are not carried over. Nothing is dropped: the counts are in `result.report`.
 *
 * Labels, `labels: "mask-prompt"`: -100 on every token that lies entirely inside the formatted
 * prompt, the token ids elsewhere. For the lamini rows that is exactly the first
 * `len(tokenizer(prompt))` positions. Where the prompt's last characters and the answer's first
 * ones merge into one token (an answer starting with punctuation, e.g. ":-)" right after
 * "### Answer:"), that token carries answer text, so it is learned, not masked: masking it would
 * hide part of the answer from the loss, while learning it only adds the template's last
 * character, which every example shares. These rows are counted (`boundaryMergedRows`). Special
 * tokens a tokenizer adds before the text (BOS) are masked, those after it (EOS) learned. With left
 * truncation the mask follows the tokens that remain.
 *
 * Chat rows (`messages: [{ role, content }]`) are rendered with the tokenizer's chat template or
 * `chatTemplate`; with "mask-prompt" everything is masked except the assistant messages' content
 * and the special token that closes each assistant turn (e.g. `<|im_end|>`), as TRL's
 * `assistant_only_loss` with `{% generation %}` templates: a token is learned if any of its
 * characters is the assistant's.
 *
 * @example
 * const ds = await loadDataset("kotzeje/lamini_docs.jsonl", { split: "train" });
 * const tok = await loadTokenizer("EleutherAI/pythia-70m");
 * const prepared = await prepareInstructionDataset(ds, tok);
 * const split = prepared.trainTestSplit({ testSize: 0.1, seed: 123 }); // train 1,260 / test 140
 */
export async function prepareInstructionDataset(ds: Dataset, tok: Tokenizer, params: PrepareInstructionDatasetParams = {}): Promise<PreparedDataset> {
  const pack = params.pack ?? false;
  const plan = planPreparation(ds.columnNames, tok, pack ? { ...params, maxLength: Infinity } : params);
  const blockSize = params.maxLength ?? 2048;
  if (pack && tok.eosTokenId === null) {
    throw new InvalidArgumentError("pack", pack, `Packing puts an EOS token between examples, but ${tok.nameOrPath} has no EOS token.`, {
      hint: "Use a tokenizer with an EOS token, or pack: false.",
    });
  }
  if (pack && (!Number.isInteger(blockSize) || blockSize < 1)) {
    throw new InvalidArgumentError("maxLength", blockSize, `With pack, maxLength is the block size: a whole number ≥ 1, got ${String(blockSize)}.`);
  }
  const batchSize = params.batchSize ?? 1000;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new InvalidArgumentError("batchSize", batchSize, `batchSize must be a whole number ≥ 1, got ${String(batchSize)}.`);

  const n = ds.numRows;
  const report = emptyPrepareReport();
  const lengths = new Int32Array(n);
  const textColumns = new Map<string, string[]>();
  const idParts: RaggedInt32Column[] = [];
  const labelParts: RaggedInt32Column[] = [];
  let labelsShared = true;
  const progress = createProgress({ total: n, label: "Preparing", unit: "examples", progress: params.progress });
  try {
    let batch: Row[] = [];
    let start = 0;
    const flush = async () => {
      const out = prepareBatch(batch, tok, { plan, rowOffset: start });
      for (const [name, col] of out.columns) {
        if (col instanceof RaggedInt32Column) continue;
        let acc = textColumns.get(name);
        if (!acc) {
          acc = [];
          textColumns.set(name, acc);
        }
        for (const v of col) acc.push(v);
      }
      const ids = out.columns.get("input_ids") as RaggedInt32Column;
      const labels = out.columns.get("labels") as RaggedInt32Column;
      idParts.push(ids);
      labelParts.push(labels);
      if (labels !== ids) labelsShared = false;
      lengths.set(out.lengths, start);
      addPrepareReport(report, out.report);
      progress.increment(batch.length);
      start += batch.length;
      batch = [];
      await yieldToEventLoop();
    };
    for (const row of ds) {
      batch.push(row);
      if (batch.length === batchSize) await flush();
    }
    if (batch.length > 0 || n === 0) await flush();
  } finally {
    progress.stop();
  }

  const inputIds = RaggedInt32Column.concat(idParts);
  const columns = new Map<string, string[] | RaggedInt32Column>(textColumns);
  columns.set("input_ids", inputIds);
  columns.set("attention_mask", new RaggedInt32Column(new Int32Array(inputIds.values.length).fill(1), inputIds.offsets));
  columns.set("labels", labelsShared ? inputIds : RaggedInt32Column.concat(labelParts));
  let dataset = Dataset.fromDict(columns);

  const full: PrepareInstructionReport = { ...report, selection: plan.selection, template: plan.template, lengths };
  if (pack) {
    const packed = packDataset(dataset, { blockSize, separatorId: tok.eosTokenId!, batchSize });
    dataset = packed.dataset;
    full.packing = packed.report;
  }
  const warn = params.onWarning ?? ((m: string) => process.emitWarning(m, { code: "FINETUNE_PREP_PREPARE" }));
  for (const message of prepareWarnings(report, plan.maxLength)) warn(message);
  if (full.packing && full.packing.droppedTokens > 0)
    warn(`Packing dropped the last partial block: ${full.packing.droppedTokens} tokens (fewer than ${blockSize}).`);
  Object.defineProperty(dataset, "report", { value: full, enumerable: false });
  return dataset as PreparedDataset;
}
