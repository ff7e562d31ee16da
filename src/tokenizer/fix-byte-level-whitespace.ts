/**
 * transformers.js 4.3 (@huggingface/tokenizers 0.2) hard-codes the GPT-2 split pattern of the
 * ByteLevel pre-tokenizer with JavaScript's `\s`, which counts U+FEFF as whitespace and U+0085 as
 * not. The Rust engine (Oniguruma) uses Unicode White_Space, the opposite on both. Texts holding
 * either character got different ids than Python. The library already rewrites `\s` this way for
 * `Split` patterns; this applies the same rewrite to the ByteLevel one.
 */
const JS_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;
const RUST_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+`;

interface PreTokenizerLike {
  config?: { type?: string };
  pattern?: unknown;
  tokenizers?: unknown;
}

/**
 * Patches, in place, every ByteLevel pre-tokenizer under `preTokenizer` (a Sequence is walked)
 * whose pattern is the known JavaScript one. Returns how many were patched. A pattern that is not
 * the known one (a later library version, a custom build) is left as it is.
 */
export function fixByteLevelWhitespace(preTokenizer: unknown): number {
  // transformers.js pre-tokenizers are callable objects: functions.
  if (preTokenizer === null || (typeof preTokenizer !== "object" && typeof preTokenizer !== "function")) return 0;
  const p = preTokenizer as PreTokenizerLike;
  let patched = 0;
  if (p.config?.type === "ByteLevel" && p.pattern instanceof RegExp && p.pattern.source === JS_PATTERN) {
    p.pattern = new RegExp(RUST_PATTERN, p.pattern.flags);
    patched++;
  }
  if (Array.isArray(p.tokenizers)) {
    for (const child of p.tokenizers) patched += fixByteLevelWhitespace(child);
  }
  return patched;
}
