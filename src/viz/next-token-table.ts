import { InvalidArgumentError } from "../errors.js";
import { IGNORE_INDEX } from "../prep/plan-preparation.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import type { TableLike } from "./data-frame-html.js";
import { visibleWhitespace } from "./visible-whitespace.js";

export interface NextTokenTableParams {
  /** The row's token ids (`input_ids`), e.g. `prepared.row(0).input_ids`. */
  inputIds: ArrayLike<number>;
  /**
   * The row's labels, same length as `inputIds` (e.g. from `labels: "mask-prompt"`). With them the
   * table says which positions count in the loss: position p does when `labels[p + 1]` is not -100.
   * Without them every position counts (labels: "copy").
   */
  labels?: ArrayLike<number>;
  /** The positions to show (0-based, each below `inputIds.length - 1`, in the order given). Default the first 8 (fewer if the row is shorter). */
  positions?: readonly number[];
  /** How many of the context's last tokens to show. Default 4; earlier ones are shown as "…". */
  contextTokens?: number;
}

/** One token as text: its decoded characters with whitespace made visible (a piece of a multi-byte character decodes to "�"). */
function tokenText(tok: Tokenizer, id: number): string {
  return visibleWhitespace(tok.decode([id]));
}

/**
 * Next-token prediction, one row of a table per position: what a causal language model has read
 * at that position (the context's last tokens, text and ids) and the token it is trained to
 * predict next (text and id). Position p reads `inputIds[0..p]` and predicts `inputIds[p + 1]`:
 * the labels are a copy of input_ids and the loss shifts them by one, as Hugging Face's causal-LM
 * loss does (`logits[..., :-1]` against `labels[..., 1:]`). With `labels`, the columns "label" and
 * "in the loss" show which positions count: a position whose next label is -100 (a masked prompt
 * token) adds nothing to the loss. The last position predicts nothing and is never a row.
 *
 * Returns a table (columns, index, values) for {@link dataFrameHtml}.
 *
 * @example
 * const row = prepared.row(0);
 * display.html(dataFrameHtml(nextTokenTable(tok, { inputIds: row.input_ids, labels: row.labels })));
 */
export function nextTokenTable(tok: Tokenizer, params: NextTokenTableParams): TableLike {
  const { inputIds, labels } = params;
  const n = inputIds?.length;
  if (typeof n !== "number") throw new InvalidArgumentError("inputIds", inputIds, "inputIds must be an array of token ids (a row's input_ids).");
  if (labels !== undefined && labels.length !== n) {
    throw new InvalidArgumentError("labels", labels, `labels has ${labels.length} entries but inputIds has ${n}: pass the labels of the same row.`);
  }
  const contextTokens = params.contextTokens ?? 4;
  if (!Number.isInteger(contextTokens) || contextTokens < 1) {
    throw new InvalidArgumentError("contextTokens", contextTokens, `contextTokens must be a whole number ≥ 1, got ${String(contextTokens)}.`);
  }
  const positions = params.positions ?? Array.from({ length: Math.max(0, Math.min(8, n - 1)) }, (_, i) => i);
  for (const p of positions) {
    if (!Number.isInteger(p) || p < 0 || p >= n - 1) {
      throw new InvalidArgumentError(
        "positions",
        positions,
        `Position ${String(p)} has no next token: positions go from 0 to ${n - 2} for a row of ${n} tokens (the last token predicts nothing).`,
      );
    }
  }
  const columns = ["context (last tokens)", "context ids", "predicts", "id"];
  if (labels !== undefined) columns.push("label", "in the loss");
  const values = positions.map((p) => {
    const from = Math.max(0, p + 1 - contextTokens);
    const ids = Array.from({ length: p + 1 - from }, (_, i) => inputIds[from + i]!);
    const more = from > 0 ? "… " : "";
    const target = inputIds[p + 1]!;
    const row: (string | number)[] = [
      more + ids.map((id) => `[${tokenText(tok, id)}]`).join(" "),
      more + ids.join(", "),
      `[${tokenText(tok, target)}]`,
      target,
    ];
    if (labels !== undefined) {
      const label = labels[p + 1]!;
      row.push(label, label === IGNORE_INDEX ? "no" : "yes");
    }
    return row;
  });
  return { columns, index: [...positions], values };
}
