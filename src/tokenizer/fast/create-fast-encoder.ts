import { FastEncoder } from "./fast-encoder.js";
import type { Int32Builder } from "./int32-builder.js";
import { NativeEncoder } from "./native-encoder.js";

/**
 * How the fast path encodes: "native" (the project's own BPE, read from tokenizer.json, exact
 * against the Rust engine); "byte-level" or "generic" (the library's steps with a piece cache in
 * front of its BPE, for tokenizers the native encoder declines).
 */
export type FastPathMode = "native" | "byte-level" | "generic";

/** What the tokenizer needs of a fast encoder. */
interface FastPathEncoder {
  readonly mode: FastPathMode;
  /** Appends the ids of `text` (no special tokens) to `out`; false when the text must be encoded the slow way (the caller truncates `out`). */
  encodeInto(text: string, out: Int32Builder): boolean;
  /** Entries in the piece cache. */
  readonly cacheSize: number;
}

export type FastPathResult = { encoder: FastPathEncoder; reason?: undefined } | { encoder?: undefined; reason: string };

function nativeEncoder(json: Record<string, unknown>, config: Record<string, unknown>, vocabSize: number | undefined): FastPathResult {
  // transformers' slow-tokenizer options that rewrite text before the tokenizer sees it.
  if (config.remove_space === true || config.do_lowercase_and_remove_accent === true)
    return { reason: "the config rewrites text before tokenization (remove_space / do_lowercase_and_remove_accent)" };
  const native = NativeEncoder.tryCreate(json, vocabSize === undefined ? {} : { vocabSize });
  if (!native.encoder) return native;
  try {
    // The model's tables (vocabulary map, merge ranks): what the first encode needs anyway.
    native.encoder.prepare();
  } catch (e) {
    return { reason: `tokenizer.json's model is inconsistent (${(e as Error).message}); the Rust engine would not load it` };
  }
  return native;
}

/** DEBUG=finetune-prep (or finetune-prep:*, *), as the CLI reads it. */
function debugEnabled(): boolean {
  return (process.env.DEBUG ?? "").split(/[\s,]+/).some((d) => d === "finetune-prep" || d === "finetune-prep:*" || d === "*");
}

/**
 * The fast encoder for a tokenizer: the native one when tokenizer.json is within what it
 * implements, else the library-backed one built on `core` (the @huggingface/tokenizers Tokenizer),
 * else none — with the reasons, which are also written to stderr as a debug line when
 * DEBUG=finetune-prep. `core` is only asked for when the native encoder declines.
 */
export function createFastEncoder(params: {
  /** tokenizer.json, parsed. */
  tokenizerJson: Record<string, unknown>;
  /** tokenizer_config.json, parsed. */
  tokenizerConfig?: Record<string, unknown> | undefined;
  /** Entries in tokenizer.json's model vocabulary, when the caller counted them already. */
  vocabSize?: number | undefined;
  /** The library tokenizer, for the fallback encoder. */
  core: () => unknown;
  /** Named in the debug line. */
  name: string;
}): FastPathResult {
  const native = nativeEncoder(params.tokenizerJson, params.tokenizerConfig ?? {}, params.vocabSize);
  if (native.encoder) return { encoder: native.encoder };
  const legacy = FastEncoder.tryCreate(params.core());
  const reason = legacy.encoder
    ? `native encoder declined (${native.reason}); using the library's BPE with a piece cache (${legacy.encoder.mode})`
    : `native encoder declined (${native.reason}); library fast path declined (${legacy.reason})`;
  if (debugEnabled()) process.stderr.write(`finetune-prep: fast path of ${params.name}: ${reason}\n`);
  return legacy.encoder ? { encoder: legacy.encoder } : { reason };
}
