import { IntegrityError } from "../errors.js";
import type { AddedTokenSplitter } from "./added-token-splitter.js";
import { normalizeWithOffsets, type AlignedChar, type NormalizationForm } from "./normalize-with-offsets.js";
import { unicodeToBytes } from "./unicode-to-bytes.js";

/** One token of a text and the slice of the text it comes from. */
export interface TokenSpan {
  id: number;
  /** The token as `tokenize` gives it (byte-level form, e.g. "Ġhow"; an lstrip/rstrip added token with the whitespace it swallowed). */
  token: string;
  /** `text.slice(start, end)` is the token's source. UTF-16 code unit offsets (JavaScript string indices). */
  start: number;
  end: number;
}

/** What a byte-level tokenizer does to text before BPE, as far as offsets are concerned. */
export interface SpanPlan {
  /** Added tokens matched in the raw text (not normalized). */
  raw: AddedTokenSplitter;
  /** Added tokens matched in the normalized text. */
  normalized: AddedTokenSplitter;
  /** The normalizer, as Unicode forms applied in order. */
  forms: NormalizationForm[];
  /** The ByteLevel pre-tokenizer's add_prefix_space: a space is put before each piece that lacks one. */
  addPrefixSpace: boolean;
}

const encoder = new TextEncoder();

/**
 * Character spans of `tokens` (with `ids`), the tokens transformers.js produced for `text` without
 * special tokens. The text is laid out as the Rust engine lays it out — added tokens found in the
 * raw text, the rest normalized with offsets tracked, normalized added tokens found, each
 * remaining piece turned into bytes — and each token consumes its bytes: its span runs from the
 * source of its first byte to the source of its last. A token holding part of a multi-byte
 * character therefore spans the whole character, as Python's offsets do.
 */
export function computeTokenSpans(text: string, tokens: readonly string[], ids: readonly number[], plan: SpanPlan): TokenSpan[] {
  const bytesOf = unicodeToBytes();
  const spans: TokenSpan[] = [];
  let k = 0;
  const fail = (what: string) =>
    new IntegrityError(`Token spans: ${what} at token ${k} (${JSON.stringify(tokens[k] ?? null)}) of ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)} (a bug: please report the text).`);
  // An added token's token text is what it matched, swallowed whitespace included (Rust's token string).
  const take = (match: string, token: string, start: number, end: number) => {
    if (tokens[k] !== match) throw fail(`expected the added token ${JSON.stringify(match)}`);
    spans.push({ id: ids[k] as number, token, start, end });
    k++;
  };

  for (const piece of plan.raw.split(text)) {
    if (piece.token) {
      take(piece.match as string, text.slice(piece.start, piece.end), piece.start, piece.end);
      continue;
    }
    const chars = normalizeWithOffsets(text, piece.start, piece.end, plan.forms);
    if (chars.length === 0) continue;
    const normalized = chars.map((c) => c.ch).join("");
    // UTF-16 index in `normalized` → index in `chars`.
    const charIndex: number[] = [];
    chars.forEach((c, i) => {
      for (let u = 0; u < c.ch.length; u++) charIndex.push(i);
    });
    charIndex.push(chars.length);

    for (const sub of plan.normalized.split(normalized)) {
      const part = chars.slice(charIndex[sub.start], charIndex[sub.end]);
      const first = part[0];
      const last = part[part.length - 1];
      if (!first || !last) continue;
      if (sub.token) {
        take(sub.match as string, normalized.slice(sub.start, sub.end), first.start, last.end);
        continue;
      }
      let seq: AlignedChar[] = part;
      if (plan.addPrefixSpace && first.ch !== " ") seq = [{ ch: " ", start: first.start, end: first.end }, ...part];
      const bytes: number[] = [];
      const owner: number[] = [];
      seq.forEach((c, i) => {
        for (const b of encoder.encode(c.ch)) {
          bytes.push(b);
          owner.push(i);
        }
      });
      let pos = 0;
      while (pos < bytes.length) {
        const token = tokens[k];
        if (token === undefined) throw fail("ran out of tokens");
        let n = 0;
        for (const c of token) {
          if (bytesOf.get(c) !== bytes[pos + n]) throw fail(`token bytes do not follow the text`);
          n++;
        }
        if (n === 0) throw fail("empty token");
        const from = seq[owner[pos] as number] as AlignedChar;
        const to = seq[owner[pos + n - 1] as number] as AlignedChar;
        spans.push({ id: ids[k] as number, token, start: from.start, end: to.end });
        k++;
        pos += n;
      }
    }
  }
  if (k !== tokens.length) throw fail(`${tokens.length - k} tokens left over`);
  return spans;
}
