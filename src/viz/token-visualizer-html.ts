import { pyStr } from "../dataset/util/py-repr.js";
import { InvalidArgumentError } from "../errors.js";
import { IGNORE_INDEX } from "../prep/plan-preparation.js";
import type { Tokenizer } from "../tokenizer/tokenizer.js";
import { escapeHtml } from "./escape-html.js";
import { visibleWhitespace } from "./visible-whitespace.js";

/** Backgrounds the boxes cycle through: neighbours always differ. */
export const TOKEN_COLORS: readonly string[] = ["#ffd6a5", "#caffbf", "#9bf6ff", "#bdb2ff", "#ffadad", "#fdffb6", "#a0c4ff", "#ffc6ff"];
const MASKED_STYLE = "background:#ececec;color:#a0a0a0;";

export interface TokenVisualizerParams {
  /**
   * Labels for the same tokens — one per token of `text`, e.g. a row's `labels` from
   * prepareInstructionDataset (untruncated). Tokens labelled -100 (masked: no loss, as
   * `labels: "mask-prompt"` does to the prompt) are greyed out; the hover text shows every label.
   */
  labels?: ArrayLike<number>;
  /** Include the special tokens the tokenizer adds around a text, as `encode` does (none for Pythia). Default true. */
  addSpecialTokens?: boolean;
  /** Line shown above the tokens. Default: the token and character counts (and masked count with labels). */
  caption?: string;
}

function box(content: string, attrs: { id: number; index: number; title: string; style: string; masked: boolean }): string {
  return (
    `<span class="ftp-token${attrs.masked ? " ftp-masked" : ""}" data-index="${attrs.index}" data-id="${attrs.id}" title="${escapeHtml(attrs.title)}" ` +
    `style="border-radius:3px;padding:1px 1px;margin:0 1px 0 0;${attrs.style}">${content}</span>`
  );
}

/** A piece of text with whitespace made visible; after a newline marker the line really breaks. */
function pieceHtml(piece: string): string {
  return escapeHtml(visibleWhitespace(piece)).replace(/↵/g, "↵<br>");
}

/**
 * HTML that shows how `tok` splits `text`: each token a coloured box holding the characters it
 * came from (whitespace visible: "·" space, "→" tab, "↵" newline), its id and token on hover.
 * Built from {@link Tokenizer.tokenSpans}, so the boxes are exactly `tok.encode(text)`'s ids.
 * With `labels`, masked tokens (-100) are greyed out: the labels view of `labels: "mask-prompt"`.
 * Display it in a notebook with tslab's `display.html(...)`.
 */
export function tokenVisualizerHtml(tok: Tokenizer, text: string, params: TokenVisualizerParams = {}): string {
  const spans = tok.tokenSpans(text, { addSpecialTokens: params.addSpecialTokens ?? true });
  const labels = params.labels;
  if (labels !== undefined && labels.length !== spans.length) {
    throw new InvalidArgumentError(
      "labels",
      labels,
      `labels has ${labels.length} entries but the text has ${spans.length} tokens: they must be the labels of this very text.`,
      {
        hint: "Pass the row's full text (prompt + answer) with its labels from a run that did not truncate it (e.g. a maxLength above the row's length).",
      },
    );
  }
  let masked = 0;
  let pos = 0;
  const parts: string[] = [];
  spans.forEach((span, index) => {
    // Characters no token covers (a normalizer may drop some) are shown between the boxes, plain.
    if (span.start > pos) parts.push(`<span class="ftp-gap" style="color:#b0b0b0">${pieceHtml(text.slice(pos, span.start))}</span>`);
    pos = Math.max(pos, span.end);
    const label = labels?.[index];
    const isMasked = label === IGNORE_INDEX;
    if (isMasked) masked++;
    const special = span.end === span.start;
    const content = special ? escapeHtml(span.token) : pieceHtml(text.slice(span.start, span.end));
    let title = `id ${span.id}: ${pyStr(span.token)}`;
    if (label !== undefined) title += isMasked ? ` | label -100 (masked: no loss)` : ` | label ${label}`;
    const colour = isMasked ? MASKED_STYLE : `background:${TOKEN_COLORS[index % TOKEN_COLORS.length]};color:#222;`;
    parts.push(box(content, { id: span.id, index, title, style: colour + (special ? "font-weight:bold;outline:1px dashed #888;" : ""), masked: isMasked }));
  });
  if (pos < text.length) parts.push(`<span class="ftp-gap" style="color:#b0b0b0">${pieceHtml(text.slice(pos))}</span>`);
  const chars = [...text].length;
  const caption =
    params.caption ??
    `${spans.length.toLocaleString("en-US")} tokens · ${chars.toLocaleString("en-US")} characters` +
      (labels !== undefined
        ? ` · ${masked.toLocaleString("en-US")} masked (label -100, greyed), ${(spans.length - masked).toLocaleString("en-US")} in the loss`
        : "");
  return (
    `<div class="ftp-tokens" style="font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:13px;line-height:1.9;overflow-wrap:anywhere;">` +
    `<div class="ftp-caption" style="font-family:sans-serif;color:#555;margin-bottom:4px">${escapeHtml(caption)}</div>` +
    parts.join("<wbr>") +
    `</div>`
  );
}
