import type { TokenSpan } from "./compute-token-spans.js";
import type { AlignedChar } from "./transform-aligned.js";

/** What the span layout needs of the tokenizer.json model: how its tokens cover a word. */
export interface ModelPlan {
  type: "BPE" | "WordPiece" | "Unigram";
  /** The unknown token's id, if the model has one. */
  unkId: number | undefined;
  /** BPE / WordPiece `continuing_subword_prefix` ("" for none): on every token of a word but the first. */
  prefix: string;
  /** BPE `end_of_word_suffix` ("" for none): on the last token of a word. */
  suffix: string;
  /** Unknown characters become `<0xNN>` byte tokens (BPE, Unigram). */
  byteFallback: boolean;
  /** Consecutive unknown characters make one unknown token. */
  fuseUnk: boolean;
  /** Whether the model's vocabulary holds the token `s`. */
  has(s: string): boolean;
}

/** The tokens being laid out, and the spans found so far. */
export interface TokenCursor {
  tokens: readonly string[];
  ids: readonly number[];
  /** Index of the next token to lay out. */
  k: number;
  spans: TokenSpan[];
  /** An error naming the token at `k` and the text. */
  fail(what: string): Error;
}

const BYTE_TOKEN = /^<0x([0-9A-F]{2})>$/;
const encoder = new TextEncoder();

/**
 * Lays the model's tokens for one word (pre-tokenizer output, each char with its source span)
 * over that word, as the Rust engine's models give token offsets: BPE and Unigram tokens cover
 * their text (a `<0xNN>` byte token one byte of a char, an unknown token a run of unknown chars),
 * WordPiece tokens their text after the `##` prefix, a WordPiece unknown token the whole word.
 * Each token spans its chars' sources; the tokens must spell the word exactly, else `cursor.fail`.
 */
export function alignWordTokens(word: readonly AlignedChar[], cursor: TokenCursor, model: ModelPlan): void {
  const text = word.map((c) => c.ch).join("");
  // UTF-16 index in `text` → char index.
  const charAt = new Int32Array(text.length + 1);
  let u = 0;
  word.forEach((c, i) => {
    for (let k = 0; k < c.ch.length; k++) charAt[u++] = i;
  });
  charAt[text.length] = word.length;
  const bytesOf = new Map<number, Uint8Array>();
  const charBytes = (i: number) => {
    let b = bytesOf.get(i);
    if (!b) {
      b = encoder.encode((word[i] as AlignedChar).ch);
      bytesOf.set(i, b);
    }
    return b;
  };
  /** BPE: the char would not be in the vocabulary, even as bytes (Rust's `merge_word`). */
  const unknownBpe = (i: number) => {
    const s = `${i > 0 ? model.prefix : ""}${(word[i] as AlignedChar).ch}${i === word.length - 1 ? model.suffix : ""}`;
    if (model.has(s)) return false;
    if (model.byteFallback && [...encoder.encode(s)].every((b) => model.has(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`))) return false;
    return true;
  };
  const push = (token: string, from: number, to: number) => {
    cursor.spans.push({ id: cursor.ids[cursor.k] as number, token, start: (word[from] as AlignedChar).start, end: (word[to] as AlignedChar).end });
    cursor.k++;
  };

  let pos = 0; // UTF-16 index in text
  let sub = 0; // byte inside the char at pos (byte-fallback tokens)
  let byteGroup = -1; // Unigram: index in spans of the first byte token of the current unknown run
  while (pos < text.length) {
    const token = cursor.tokens[cursor.k];
    const id = cursor.ids[cursor.k];
    if (token === undefined) throw cursor.fail("ran out of tokens");
    const ci = charAt[pos] as number;
    const byte = model.byteFallback ? BYTE_TOKEN.exec(token) : null;
    if (byte && charBytes(ci)[sub] === parseInt(byte[1] as string, 16)) {
      // One byte of the char; a Unigram byte token spans the whole unknown run it came from.
      if (model.type === "Unigram" && byteGroup < 0) byteGroup = cursor.spans.length;
      push(token, ci, ci);
      if (++sub === charBytes(ci).length) {
        sub = 0;
        pos += (word[ci] as AlignedChar).ch.length;
        const next = cursor.tokens[cursor.k];
        const nextIsByte = next !== undefined && BYTE_TOKEN.test(next) && model.fuseUnk && pos < text.length;
        if (byteGroup >= 0 && !nextIsByte) {
          const first = cursor.spans[byteGroup] as TokenSpan;
          for (let s = byteGroup; s < cursor.spans.length; s++) (cursor.spans[s] as TokenSpan).start = first.start;
          const end = (word[ci] as AlignedChar).end;
          for (let s = byteGroup; s < cursor.spans.length; s++) (cursor.spans[s] as TokenSpan).end = end;
          byteGroup = -1;
        }
      }
      continue;
    }
    if (sub !== 0) throw cursor.fail("a byte token ends inside a character");
    if (model.unkId !== undefined && id === model.unkId && !text.startsWith(token, pos)) {
      if (model.type === "WordPiece") {
        if (pos !== 0) throw cursor.fail("a WordPiece unknown token inside a word");
        push(token, 0, word.length - 1);
        pos = text.length;
        continue;
      }
      let last = ci;
      if (model.type === "BPE") {
        while (model.fuseUnk && last + 1 < word.length && unknownBpe(last + 1)) last++;
      } else if (model.fuseUnk) {
        // Unigram: the run ends where the next token's text starts (or a char has a piece of its own).
        const next = cursor.tokens[cursor.k + 1];
        const startsAt = (c: number) => {
          const at = text.length - word.slice(c).reduce((n, w) => n + w.ch.length, 0);
          return next !== undefined && next.length > 0 && text.startsWith(next, at);
        };
        while (last + 1 < word.length && !model.has((word[last + 1] as AlignedChar).ch) && !startsAt(last + 1)) last++;
      }
      // Rust's Unigram token is the text it covers; BPE's and WordPiece's the unknown token.
      const covered = word
        .slice(ci, last + 1)
        .map((c) => c.ch)
        .join("");
      push(model.type === "Unigram" ? covered : token, ci, last);
      pos += covered.length;
      continue;
    }
    let piece = token;
    if (pos > 0 && model.prefix && piece.startsWith(model.prefix)) piece = piece.slice(model.prefix.length);
    if (
      model.suffix &&
      piece.endsWith(model.suffix) &&
      text.length - pos === piece.length - model.suffix.length &&
      text.startsWith(piece.slice(0, -model.suffix.length), pos)
    ) {
      piece = piece.slice(0, -model.suffix.length);
    }
    if (piece.length === 0 || !text.startsWith(piece, pos)) {
      // BPE without an unknown token drops a char it cannot encode (Rust's merge_word).
      if (model.type === "BPE" && model.unkId === undefined && unknownBpe(ci)) {
        pos += (word[ci] as AlignedChar).ch.length;
        continue;
      }
      throw cursor.fail("token text does not follow the text");
    }
    push(token, ci, charAt[pos + piece.length - 1] as number);
    pos += piece.length;
  }
}
