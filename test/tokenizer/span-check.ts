// Shared by the token-span tests: one tokenizer against the Rust engine on many texts at once.
import type { Tokenizer as RustTokenizer } from "tokenizers";
import { computeTokenSpans, type SpanPlan } from "../../src/tokenizer/compute-token-spans.js";
import type { Tokenizer } from "../../src/tokenizer/index.js";
import { codePointToUtf16 } from "./oracle.js";

/** A text on which ours and the Rust engine's results differ, and the first thing that differs. */
export interface Mismatch {
  text: string;
  what: string;
  ours: unknown;
  rust: unknown;
}

/**
 * Checks `texts` through `tok` against `rust`: ids (special tokens added), tokens (`tokenize`),
 * spans (`tokenSpans`: id, token and offsets converted to UTF-16) and decode. Returns the mismatches (at most
 * `limit`), so a test can show them all at once. The Rust engine encodes in batches.
 */
export async function spanMismatches(
  tok: Tokenizer,
  rust: RustTokenizer,
  texts: readonly string[],
  options: { limit?: number; fullEvery?: number } = {},
): Promise<Mismatch[]> {
  const limit = options.limit ?? 5;
  // encode and tokenize on every `fullEvery`-th text; tokenSpans (which carries each token's id and
  // text) and decode on every text.
  const fullEvery = options.fullEvery ?? 1;
  const out: Mismatch[] = [];
  const withSpecial = await rust.encodeBatch([...texts], { addSpecialTokens: true });
  const plain = await rust.encodeBatch([...texts], { addSpecialTokens: false });
  for (let i = 0; i < texts.length && out.length < limit; i++) {
    const text = texts[i] as string;
    const r = withSpecial[i]!;
    const ids = r.getIds();
    const note = (what: string, ours: unknown, theirs: unknown) => out.push({ text, what, ours, rust: theirs });
    const check = (what: string, f: () => unknown, theirs: unknown) => {
      let ours: unknown;
      try {
        ours = f();
      } catch (e) {
        ours = `threw ${(e as Error).message}`;
      }
      if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
        note(what, ours, theirs);
        return false;
      }
      return true;
    };
    if (i % fullEvery === 0) {
      if (!check("ids", () => tok.encode(text), ids)) continue;
      if (!check("tokens", () => tok.tokenize(text), plain[i]!.getTokens())) continue;
    }
    const map = codePointToUtf16(text);
    const tokens = r.getTokens();
    const spans = r.getOffsets().map(([s, e], k) => ({ id: ids[k], token: tokens[k], start: map[s as number], end: map[e as number] }));
    // Special tokens the post-processor adds have no source: Rust gives them (0, 0).
    if (!check("spans", () => tok.tokenSpans(text), spans)) continue;
    if (ids.length > 0) check("decode", () => tok.decode(ids, { cleanUpTokenizationSpaces: false }), await rust.decode(ids, false));
  }
  return out;
}

/**
 * The spans of the Rust engine's own tokens (its tokens and ids laid out by computeTokenSpans)
 * against its offsets, special tokens left out: checks the span layout on tokenizers where
 * @huggingface/tokenizers tokenizes differently from Rust (then `tok` has other ids anyway).
 */
export async function rustTokenSpanMismatches(plan: SpanPlan, rust: RustTokenizer, texts: readonly string[], limit = 5): Promise<Mismatch[]> {
  const out: Mismatch[] = [];
  const encodings = await rust.encodeBatch([...texts], { addSpecialTokens: false });
  for (let i = 0; i < texts.length && out.length < limit; i++) {
    const text = texts[i] as string;
    const e = encodings[i]!;
    const ids = e.getIds();
    const tokens = e.getTokens();
    const map = codePointToUtf16(text);
    const theirs = e.getOffsets().map(([s, t], k) => ({ id: ids[k], token: tokens[k], start: map[s as number], end: map[t as number] }));
    let ours: unknown;
    try {
      ours = computeTokenSpans(text, tokens, ids, plan);
    } catch (err) {
      ours = `threw ${(err as Error).message}`;
    }
    if (JSON.stringify(ours) !== JSON.stringify(theirs)) out.push({ text, what: "spans of Rust's tokens", ours, rust: theirs });
  }
  return out;
}
