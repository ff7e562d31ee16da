import type { Row } from "../dataset/index.js";
import { RaggedInt32Column } from "../dataset/index.js";
import { ColumnTypeError, IntegrityError, InvalidArgumentError } from "../errors.js";
import type { Tokenizer } from "../tokenizer/index.js";
import { countPromptTokens } from "./count-prompt-tokens.js";
import { describeValue, formatPrompt } from "./format-prompt.js";
import { IGNORE_INDEX, type PrepareOptions, type PreparePlan, planPreparation } from "./plan-preparation.js";
import { emptyPrepareReport, type PrepareReport } from "./prepare-report.js";
import { renderChat } from "./render-chat.js";
import { specialTokensAround } from "./special-tokens-around.js";

export interface PrepareBatchOptions extends PrepareOptions {
  /** Index of `rows[0]` in the whole dataset, so errors name the right row. Default 0. */
  rowOffset?: number;
}

/** One batch of prepared rows, column by column. */
export interface PreparedBatch {
  /** Output columns in order: the text column(s), then input_ids, attention_mask, labels. */
  columns: Map<string, string[] | RaggedInt32Column>;
  /** Rows in the batch. */
  numRows: number;
  /** Tokens of each row before truncation (special tokens included). */
  lengths: Int32Array;
  /** Counts for this batch. */
  report: PrepareReport;
}

function textValue(row: Row, column: string, rowIndex: number): string {
  const value = row[column];
  if (typeof value !== "string") {
    throw new ColumnTypeError(`Row ${rowIndex}, column "${column}": expected text, found ${describeValue(value)}.`, {
      row: rowIndex,
      column,
      found: value === null ? "null" : Array.isArray(value) ? "array" : typeof value,
      hint: `Fill or drop such rows first (e.g. ds.filter((r) => typeof r[${JSON.stringify(column)}] === "string")).`,
    });
  }
  return value;
}

/**
 * Prepares one batch of rows as the original notebook's `tokenize_function` + `add_column("labels")`
 * do, row by row: format (template or chat template), tokenize prompt + answer as one string (that
 * gives the reference ids), truncate to `maxLength` on `truncationSide`, and label. Special tokens the
 * tokenizer adds (none for Pythia) are added as Python adds them; with "mask-prompt" the ones before
 * the text are masked, the ones after it are learned.
 *
 * Works on one batch only and holds nothing between calls, so a caller can stream any number of rows
 * through it in bounded memory. All tokenization goes through `tok.encodeBatchFlat` (ids in flat typed storage, no array per row).
 */
export function prepareBatch(rows: readonly Row[], tok: Tokenizer, options: PrepareBatchOptions & { plan?: PreparePlan } = {}): PreparedBatch {
  if (!Array.isArray(rows)) throw new InvalidArgumentError("rows", rows, `prepareBatch: rows must be an array of row objects, got ${describeValue(rows)}.`);
  const plan =
    options.plan ?? planPreparation(rows.length > 0 && rows[0] !== null && typeof rows[0] === "object" ? Object.keys(rows[0]) : undefined, tok, options);
  const offset = options.rowOffset ?? 0;
  const { selection, maxLength, truncationSide, labels } = plan;
  const n = rows.length;
  const report = emptyPrepareReport();
  report.rowsIn = n;
  report.rowsOut = n;

  // 1. Format.
  const texts = new Array<string>(n);
  const firstColumn = new Array<string>(n);
  const secondColumn = selection.kind === "pair" ? new Array<string>(n) : undefined;
  const assistantRanges = selection.kind === "chat" ? new Array<[number, number][]>(n) : undefined;
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    const rowIndex = offset + i;
    if (row === null || typeof row !== "object") throw new ColumnTypeError(`Row ${rowIndex} is ${describeValue(row)}, not a row object.`, { row: rowIndex });
    let empty = false;
    const checkEmpty = (column: string, isEmpty: boolean) => {
      if (!isEmpty) return;
      report.emptyByColumn[column] = (report.emptyByColumn[column] ?? 0) + 1;
      empty = true;
    };
    if (selection.kind === "pair") {
      const raw = textValue(row, selection.prompt, rowIndex);
      const prompt = plan.template === undefined ? raw : formatPrompt(plan.template, row, { rowIndex });
      const completion = textValue(row, selection.completion, rowIndex);
      checkEmpty(selection.prompt, raw === "");
      checkEmpty(selection.completion, completion === "");
      firstColumn[i] = prompt;
      secondColumn![i] = completion;
      texts[i] = prompt + completion;
    } else if (selection.kind === "text") {
      const raw = textValue(row, selection.text, rowIndex);
      checkEmpty(selection.text, raw === "");
      texts[i] = firstColumn[i] = plan.template === undefined ? raw : formatPrompt(plan.template, row, { rowIndex });
    } else {
      const chat = renderChat(tok, row[selection.messages], {
        chatTemplate: plan.chatTemplate,
        chatTemplateKwargs: plan.chatTemplateKwargs,
        rowIndex,
        column: selection.messages,
        locate: labels === "mask-prompt",
      });
      const messages = row[selection.messages] as { content: string }[];
      checkEmpty(selection.messages, messages.length === 0 || messages.some((m) => m.content === ""));
      texts[i] = firstColumn[i] = chat.text;
      assistantRanges![i] = chat.assistantRanges;
    }
    if (empty) report.emptyRows++;
  }

  // 2. Tokenize: the texts' own tokens; special tokens are added around them below, as Python does
  // (apply_chat_template adds none: the template writes them).
  const content = tok.encodeBatchFlat(texts, { addSpecialTokens: false });
  const { prefix, suffix } = selection.kind === "chat" ? { prefix: [], suffix: [] } : specialTokensAround(tok);
  // With "mask-prompt", the formatted prompts alone too: their tokens are the ones to mask.
  const promptContent = selection.kind === "pair" && labels === "mask-prompt" ? tok.encodeBatchFlat(firstColumn, { addSpecialTokens: false }) : undefined;

  // 3. Truncate and label, straight into flat int32 storage.
  const keep = maxLength === Infinity ? Infinity : maxLength - prefix.length - suffix.length;
  if (keep < 0) {
    throw new InvalidArgumentError(
      "maxLength",
      maxLength,
      `maxLength ${maxLength} is shorter than the ${prefix.length + suffix.length} special tokens ${tok.nameOrPath} adds to every text, so no text fits.`,
    );
  }
  const lengths = new Int32Array(n);
  const offsets = new Uint32Array(n + 1);
  for (let i = 0; i < n; i++) {
    const ids = content.get(i);
    lengths[i] = ids.length + prefix.length + suffix.length;
    offsets[i + 1] = offsets[i]! + Math.min(ids.length, keep) + prefix.length + suffix.length;
  }
  const total = offsets[n]!;
  const inputIds = new Int32Array(total);
  const labelValues = labels === "copy" ? inputIds : new Int32Array(total);
  const spanned = (ranges: [number, number][], start: number, end: number) => ranges.some(([a, b]) => start < b && end > a);

  for (let i = 0; i < n; i++) {
    const ids = content.get(i);
    const from = ids.length > keep ? (truncationSide === "left" ? ids.length - keep : 0) : 0;
    const to = ids.length > keep ? (truncationSide === "left" ? ids.length : keep) : ids.length;
    if (ids.length > keep) {
      report.truncatedRows++;
      report.truncatedTokens += ids.length - keep;
    }
    let at = offsets[i]!;
    for (const id of prefix) inputIds[at++] = id;
    for (let j = from; j < to; j++) inputIds[at++] = ids[j]!;
    for (const id of suffix) inputIds[at++] = id;
    if (labels === "copy") continue;

    // Which of the text's own tokens are learned: those past the prompt, or inside an assistant turn.
    let learned: (j: number) => boolean;
    if (selection.kind === "pair") {
      const split = countPromptTokens(tok, texts[i]!, firstColumn[i]!.length, ids, promptContent!.get(i));
      if (split.merged) report.boundaryMergedRows++;
      learned = (j) => j >= split.count;
    } else {
      const ranges = assistantRanges![i]!;
      const spans = ranges.length > 0 ? tok.tokenSpans(texts[i]!, { addSpecialTokens: false }) : [];
      if (spans.length > 0 && (spans.length !== ids.length || spans.some((s, j) => s.id !== ids[j]))) {
        throw new IntegrityError(`Row ${offset + i}: the token spans of the rendered chat do not match its ids (a tokenizer bug; please report the row).`, {
          row: offset + i,
        });
      }
      learned = (j) => spans[j] !== undefined && spanned(ranges, spans[j]!.start, spans[j]!.end);
    }
    let l = offsets[i]!;
    let anyLearned = false;
    for (let k = 0; k < prefix.length; k++) labelValues[l++] = IGNORE_INDEX;
    for (let j = from; j < to; j++) {
      if (learned(j)) {
        labelValues[l++] = ids[j]!;
        anyLearned = true;
      } else labelValues[l++] = IGNORE_INDEX;
    }
    for (const id of suffix) {
      labelValues[l++] = id;
      anyLearned = true;
    }
    if (!anyLearned) report.fullyMaskedRows++;
  }
  if (labels === "mask-prompt") for (let k = 0; k < total; k++) if (labelValues[k] === IGNORE_INDEX) report.maskedTokens++;
  if (labels === "copy") for (let i = 0; i < n; i++) if (offsets[i + 1] === offsets[i]) report.fullyMaskedRows++;
  report.tokens = total;

  const columns = new Map<string, string[] | RaggedInt32Column>();
  if (selection.kind === "pair") {
    columns.set(selection.prompt, firstColumn);
    columns.set(selection.completion, secondColumn!);
  } else if (selection.kind === "text") {
    columns.set(selection.text, firstColumn);
  } else {
    columns.set("text", firstColumn);
  }
  const idColumn = new RaggedInt32Column(inputIds, offsets);
  columns.set("input_ids", idColumn);
  columns.set("attention_mask", new RaggedInt32Column(new Int32Array(total).fill(1), offsets));
  columns.set("labels", labels === "copy" ? idColumn : new RaggedInt32Column(labelValues, offsets));
  return { columns, numRows: n, lengths, report };
}
