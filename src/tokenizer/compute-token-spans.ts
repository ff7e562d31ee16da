import { IntegrityError } from "../errors.js";
import type { AddedTokenSplitter } from "./added-token-splitter.js";
import { alignWordTokens, type ModelPlan, type TokenCursor } from "./align-word-tokens.js";
import { type NormalizerStep, normalizeWithOffsets } from "./normalize-with-offsets.js";
import { type PreTokenizerStep, preTokenizeWithOffsets } from "./pre-tokenize-with-offsets.js";

/** One token of a text and the slice of the text it comes from. */
export interface TokenSpan {
  id: number;
  /**
   * The token as Python's `tokenize` gives it (byte-level form, e.g. "Ġhow"; "▁how" or "<0xE3>"
   * for SentencePiece-style BPE; an lstrip/rstrip added token with the whitespace it swallowed; a
   * Unigram unknown token as the text it covers).
   */
  token: string;
  /** `text.slice(start, end)` is the token's source. UTF-16 code unit offsets (JavaScript string indices). */
  start: number;
  end: number;
}

/** What a tokenizer does to text before its model, as far as offsets are concerned (see buildSpanPlan). */
export interface SpanPlan {
  /** Added tokens matched in the raw text (not normalized). */
  raw: AddedTokenSplitter;
  /** Added tokens matched in the normalized text. */
  normalized: AddedTokenSplitter;
  /** The normalizer, as steps applied in order. */
  normalizer: NormalizerStep[];
  /** The pre-tokenizer, as steps applied in order. */
  preTokenizer: PreTokenizerStep[];
  /** How the model's tokens cover a word. */
  model: ModelPlan;
}

/**
 * Character spans of `tokens` (with `ids`), the tokens the engine produced for `text` without
 * special tokens. The text is laid out as the Rust engine lays it out — added tokens found in the
 * raw text, the rest normalized with each char's source tracked, normalized added tokens found,
 * the rest cut into words by the pre-tokenizer — and the tokens are laid over each word by the
 * model's rules (see alignWordTokens): a token spans the sources of the chars it covers, so a
 * token holding part of a multi-byte character spans the whole character, as Python's offsets do.
 */
export function computeTokenSpans(text: string, tokens: readonly string[], ids: readonly number[], plan: SpanPlan): TokenSpan[] {
  const cursor: TokenCursor = {
    tokens,
    ids,
    k: 0,
    spans: [],
    fail: (what: string) =>
      new IntegrityError(
        `Token spans: ${what} at token ${cursor.k} (${JSON.stringify(tokens[cursor.k] ?? null)}) of ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} (a bug: please report the text).`,
      ),
  };
  // An added token's token text is what it matched, swallowed whitespace included (Rust's token string).
  const take = (match: string, token: string, start: number, end: number) => {
    if (tokens[cursor.k] !== match && tokens[cursor.k] !== token) throw cursor.fail(`expected the added token ${JSON.stringify(match)}`);
    cursor.spans.push({ id: ids[cursor.k] as number, token, start, end });
    cursor.k++;
  };

  for (const piece of plan.raw.split(text)) {
    if (piece.token) {
      take(piece.match as string, text.slice(piece.start, piece.end), piece.start, piece.end);
      continue;
    }
    const chars = normalizeWithOffsets(text, piece.start, piece.end, plan.normalizer);
    if (chars.length === 0) continue;
    let normalized = "";
    for (const c of chars) normalized += c.ch;
    // UTF-16 index in `normalized` → index in `chars`.
    const charIndex = new Int32Array(normalized.length + 1);
    let u = 0;
    chars.forEach((c, i) => {
      for (let n = 0; n < c.ch.length; n++) charIndex[u++] = i;
    });
    charIndex[normalized.length] = chars.length;

    for (const sub of plan.normalized.split(normalized)) {
      const part = chars.slice(charIndex[sub.start], charIndex[sub.end]);
      const first = part[0];
      const last = part[part.length - 1];
      if (!first || !last) continue;
      if (sub.token) {
        take(sub.match as string, normalized.slice(sub.start, sub.end), first.start, last.end);
        continue;
      }
      for (const word of preTokenizeWithOffsets(part, plan.preTokenizer)) alignWordTokens(word, cursor, plan.model);
    }
  }
  if (cursor.k !== tokens.length) throw cursor.fail(`${tokens.length - cursor.k} tokens left over`);
  return cursor.spans;
}
