import * as hfTokenizers from "@huggingface/tokenizers";
import { preparsedBpe } from "../parse-tokenizer-json.js";
import { wordMatcher } from "./added-token-scanner.js";
import { BpeWord } from "./bpe-word.js";
import { ByteVocab, HASH_SEED, hashBytes, utf8Encode } from "./byte-vocab.js";
import type { Int32Builder } from "./int32-builder.js";
import { PairTable } from "./pair-table.js";
import { PieceCache, type PieceIds } from "./piece-cache.js";

type Json = Record<string, unknown>;

/** @huggingface/tokenizers' Split pre-tokenizer (its type declarations do not resolve under NodeNext). */
const SplitPreTokenizer = (hfTokenizers as unknown as Record<string, unknown>).SplitPreTokenizer as new (config: Json) => { pattern: unknown };

/** ES2024 string methods (Node 20 has them; the project's lib setting is ES2023). */
type WellFormed = { isWellFormed(): boolean; toWellFormed(): string };

type NativeEncoderResult = { encoder: NativeEncoder; reason?: undefined } | { encoder?: undefined; reason: string };

/** Pieces longer than this (UTF-16 units) are not cached. */
const MAX_CACHED_PIECE = 256;
/** The piece cache is emptied when it holds this many entries, so memory stays bounded on any input. */
const CACHE_LIMIT = 1 << 18;
/** "▁", SentencePiece's space. */
const METASPACE = 0x2581;

/** The GPT-2 pre-tokenizer pattern of the Rust ByteLevel pre-tokenizer, with Oniguruma's `\s` (Unicode White_Space). */
const BYTE_LEVEL_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+`;

/** Rust `char::is_whitespace`: the White_Space property. */
const WHITE_SPACE = /^\p{White_Space}$/u;

type Behavior = "Removed" | "Isolated" | "MergedWithPrevious" | "MergedWithNext" | "Contiguous";
const BEHAVIORS = new Set<string>(["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"]);

interface SplitStep {
  kind: "split";
  /** Global regex (Regex patterns, and String ones escaped). */
  re: RegExp;
  /** The same, sticky: a match at a given position without a match array. */
  sticky: RegExp;
  /** The pattern is the string " " (a no-op after a normalizer that turned every space into "▁"). */
  onSpace: boolean;
  behavior: Behavior;
  invert: boolean;
}

interface ByteLevelStep {
  kind: "byte-level";
  addPrefixSpace: boolean;
  /** The GPT-2 split, or null when use_regex is false. */
  re: RegExp | null;
  sticky: RegExp | null;
}

/** `re` (global) as a sticky regex. */
function stickyOf(re: RegExp): RegExp {
  return new RegExp(re.source, `${re.flags.replace("g", "")}y`);
}

type Step = SplitStep | ByteLevelStep;

interface AddedToken {
  id: number;
  content: string;
  lstrip: boolean;
  rstrip: boolean;
  normalized: boolean;
}

/** GPT-2's byte → printable character table (ByteLevel's `bytes_char`). */
function bytesChar(): string[] {
  const bs: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) bs.push(b);
  for (let b = 0xa1; b <= 0xac; b++) bs.push(b);
  for (let b = 0xae; b <= 0xff; b++) bs.push(b);
  const cs = [...bs];
  let n = 0;
  for (let b = 0; b < 256; b++) {
    if (!bs.includes(b)) {
      bs.push(b);
      cs.push(256 + n++);
    }
  }
  const table = new Array<string>(256);
  bs.forEach((b, i) => {
    table[b] = String.fromCharCode(cs[i] as number);
  });
  return table;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, "\\$&");
}

/** A normalizer of tokenizer.json as a string function, or a reason it is not supported. */
function compileNormalizer(config: unknown): ((s: string) => string) | null | string {
  if (config === null || config === undefined) return null;
  const c = config as Json;
  switch (c.type) {
    case "NFC":
    case "NFD":
    case "NFKC":
    case "NFKD": {
      const form = c.type;
      return (s) => s.normalize(form);
    }
    case "Prepend": {
      if (typeof c.prepend !== "string") return "a Prepend normalizer without its string";
      const prepend = c.prepend;
      return (s) => (s.length === 0 ? s : prepend + s);
    }
    case "Replace": {
      const pattern = c.pattern as Json | undefined;
      if (typeof pattern?.String !== "string" || typeof c.content !== "string") return "a Replace normalizer with a regex pattern";
      const from = pattern.String;
      const to = c.content;
      if (from.length === 0) return "a Replace normalizer with an empty pattern";
      return (s) => s.replaceAll(from, to);
    }
    case "Sequence": {
      if (!Array.isArray(c.normalizers)) return "a Sequence normalizer without its list";
      const parts: ((s: string) => string)[] = [];
      for (const n of c.normalizers) {
        const f = compileNormalizer(n);
        if (typeof f === "string") return f;
        if (f !== null) parts.push(f);
      }
      if (parts.length === 0) return null;
      if (parts.length === 1) return parts[0] as (s: string) => string;
      return (s) => {
        for (const f of parts) s = f(s);
        return s;
      };
    }
    default:
      return `the ${String(c.type)} normalizer`;
  }
}

/**
 * Whether the normalizer is SentencePiece's space handling alone — Replace " " by "▁", after a
 * Prepend "▁" or not (`prepend`) — or null. Words can then be read from the text itself.
 */
function metaspaceNormalizer(config: unknown): { prepend: boolean } | null {
  const isReplace = (n: Json | undefined) =>
    n?.type === "Replace" && (n.pattern as Json | undefined)?.String === " " && n.content === "\u2581" && Object.keys(n.pattern as Json).length === 1;
  const isPrepend = (n: Json | undefined) => n?.type === "Prepend" && n.prepend === "\u2581";
  const c = config as Json | null | undefined;
  if (isReplace(c ?? undefined)) return { prepend: false };
  if (c?.type !== "Sequence" || !Array.isArray(c.normalizers) || c.normalizers.length !== 2) return null;
  const [a, b] = c.normalizers as Json[];
  return (isPrepend(a) && isReplace(b)) || (isReplace(a) && isPrepend(b)) ? { prepend: true } : null;
}

/** The pre-tokenizer of tokenizer.json as steps, or a reason it is not supported. */
function compilePreTokenizer(config: unknown, steps: Step[]): string | undefined {
  if (config === null || config === undefined) return undefined;
  const c = config as Json;
  switch (c.type) {
    case "Sequence": {
      if (!Array.isArray(c.pretokenizers)) return "a Sequence pre-tokenizer without its list";
      for (const p of c.pretokenizers) {
        const reason = compilePreTokenizer(p, steps);
        if (reason !== undefined) return reason;
      }
      return undefined;
    }
    case "Split": {
      const behavior = c.behavior;
      if (typeof behavior !== "string" || !BEHAVIORS.has(behavior)) return `a Split pre-tokenizer with behavior ${JSON.stringify(behavior)}`;
      const pattern = c.pattern as Json | undefined;
      let re: RegExp;
      if (typeof pattern?.String === "string") {
        if (pattern.String.length === 0) return "a Split pre-tokenizer on the empty string";
        re = new RegExp(escapeRegExp(pattern.String), "gu");
      } else if (typeof pattern?.Regex === "string") {
        // The Oniguruma → JavaScript rewrite of @huggingface/tokenizers (inline flags, \s as White_Space, ...).
        const compiled = new SplitPreTokenizer({ type: "Split", pattern: { Regex: pattern.Regex }, behavior, invert: false }).pattern;
        if (!(compiled instanceof RegExp)) return "a Split pattern the regex rewrite does not take";
        re = new RegExp(compiled.source, compiled.flags.includes("g") ? compiled.flags : `${compiled.flags}g`);
      } else {
        return "a Split pre-tokenizer without a pattern";
      }
      steps.push({ kind: "split", re, sticky: stickyOf(re), onSpace: pattern?.String === " ", behavior: behavior as Behavior, invert: c.invert === true });
      return undefined;
    }
    case "ByteLevel": {
      const re = c.use_regex === false ? null : new RegExp(BYTE_LEVEL_PATTERN, "gu");
      steps.push({ kind: "byte-level", addPrefixSpace: c.add_prefix_space === true, re, sticky: re === null ? null : stickyOf(re) });
      return undefined;
    }
    default:
      return `the ${String(c.type)} pre-tokenizer`;
  }
}

/**
 * An encoder that reads tokenizer.json itself and does what the Rust engine (huggingface/tokenizers,
 * behind Python's fast tokenizers) does for BPE tokenizers, step by step — added-token split
 * (leftmost-longest, lstrip/rstrip), normalizer, split on normalized added tokens, pre-tokenizer
 * (Split with every behavior, ByteLevel), BPE model (ignore_merges, byte_fallback, unk and
 * fuse_unk, Rust's merge loop) — writing ids into a flat Int32Array, with a cache of encoded
 * pieces in front of the model.
 *
 * Two things make it fast without changing ids:
 * - Byte-level tokenizers (GPT-2, Llama 3, Qwen, GPT-4o...) cache by the raw piece before the byte
 *   mapping, and build a missing piece's symbols straight from its UTF-8 bytes.
 * - SentencePiece-style tokenizers (Llama 2, Gemma: spaces as "▁", no pre-tokenizer split) hand the
 *   model a whole text as one word. It is cut before each "▁" that follows another character,
 *   except where some merge could join across that cut (checked over every merge when the encoder
 *   is built), so the word's merges never cross a cut and its pieces can be merged — and cached —
 *   one by one, with the same result.
 *
 * Exact against the Rust engine (tests compare on the reference rows, hard corpora and thousands of
 * generated strings). Declines (with a reason) what it does not implement.
 */
export class NativeEncoder {
  readonly mode: "native";
  private readonly json: Json;
  private readonly normalizer: ((s: string) => string) | null;
  /**
   * Set when the normalizer only turns spaces into "▁" (with a "▁" prepended or not), no added
   * token is normalized, the pre-tokenizer does nothing more (none, or splits on " ") and the
   * model takes words: the words' chunks are then read from the text itself, without building
   * the normalized string. 1: a "▁" is prepended; 0: not.
   */
  private readonly metaspaceOffset: number;
  private readonly steps: Step[];
  private readonly byteLevel: ByteLevelStep | null;
  /** The last match {@link findMatch} found (fields, not a returned pair: no allocation per piece). */
  private matchStart = 0;
  private matchEnd = 0;
  private readonly addedById: Map<string, number>;
  private readonly stripTokens: Map<string, AddedToken>;
  private readonly rawMatcher: RegExp | null;
  private readonly normalizedMatcher: RegExp | null;
  private readonly cache: PieceCache;
  // Model, built on first encode.
  private model: Model | undefined;
  /** The model's tables could not be built: every text goes the slow way. */
  private broken = false;

  private constructor(parts: {
    json: Json;
    normalizer: ((s: string) => string) | null;
    metaspace: { prepend: boolean } | null;
    steps: Step[];
    added: AddedToken[];
    cacheLimit: number;
  }) {
    this.mode = "native";
    this.json = parts.json;
    this.normalizer = parts.normalizer;
    this.steps = parts.steps;
    this.cache = new PieceCache(parts.cacheLimit);
    const last = parts.steps[parts.steps.length - 1];
    this.byteLevel = last?.kind === "byte-level" ? last : null;
    this.addedById = new Map(parts.added.map((t) => [t.content, t.id]));
    this.stripTokens = new Map(parts.added.filter((t) => t.lstrip || t.rstrip).map((t) => [t.content, t]));
    const normalize = this.normalizer ?? ((s: string) => s);
    const normalizedWords = new Map<string, number>();
    for (const t of parts.added) {
      if (!t.normalized) continue;
      const n = normalize(t.content);
      if (n !== t.content) this.addedById.set(n, t.id);
      if (t.lstrip || t.rstrip) this.stripTokens.set(n, t);
      normalizedWords.set(n, t.id);
    }
    this.rawMatcher = wordMatcher(parts.added.filter((t) => !t.normalized).map((t) => t.content));
    this.normalizedMatcher = wordMatcher(normalizedWords.keys());
    const noOpSteps = parts.steps.every((step) => step.kind === "split" && step.onSpace && !step.invert);
    this.metaspaceOffset =
      parts.metaspace !== null && this.normalizedMatcher === null && this.byteLevel === null && noOpSteps ? (parts.metaspace.prepend ? 1 : 0) : -1;
  }

  /** A native encoder for tokenizer.json, or the reason there is none. Cheap: the model's tables are built on first encode. */
  static tryCreate(tokenizerJson: Record<string, unknown>, options: { cacheLimit?: number; vocabSize?: number } = {}): NativeEncoderResult {
    const json = tokenizerJson;
    const model = json.model as Json | undefined;
    if (model === null || typeof model !== "object") return { reason: "tokenizer.json has no model" };
    if (model.type !== "BPE" && !(model.type === undefined && model.merges !== undefined)) return { reason: `the model is ${String(model.type)}, not BPE` };
    if (model.dropout !== null && model.dropout !== undefined && model.dropout !== 0) return { reason: "the BPE model uses dropout" };
    for (const key of ["continuing_subword_prefix", "end_of_word_suffix"]) {
      if (model[key] !== null && model[key] !== undefined && model[key] !== "") return { reason: `the BPE model sets ${key}` };
    }
    // Read from tokenizer.json's bytes when it was loaded from a file (model.vocab and merges are then read lazily: not touched here).
    const pre = preparsedBpe(json);
    if (pre === undefined && (model.vocab === null || typeof model.vocab !== "object" || !Array.isArray(model.merges)))
      return { reason: "the BPE model has no vocab or merges" };

    const normalizer = compileNormalizer(json.normalizer);
    if (typeof normalizer === "string") return { reason: `${normalizer} is not supported` };
    const steps: Step[] = [];
    let reason: string | undefined;
    try {
      reason = compilePreTokenizer(json.pre_tokenizer, steps);
    } catch (e) {
      reason = `a pre-tokenizer pattern does not compile (${(e as Error).message})`;
    }
    if (reason !== undefined) return { reason: `${reason} is not supported` };
    if (steps.some((s, i) => s.kind === "byte-level" && i !== steps.length - 1))
      return { reason: "a ByteLevel pre-tokenizer before another step is not supported" };

    // Added tokens, with the ids the Rust engine gives them (tokenizer.json's, when consistent).
    const list = json.added_tokens ?? [];
    if (!Array.isArray(list)) return { reason: "added_tokens is not a list" };
    const vocab = pre === undefined ? (model.vocab as Record<string, unknown>) : undefined;
    const vocabId = (token: string): unknown => (pre !== undefined ? pre.vocab.get(token) : Object.hasOwn(vocab as object, token) ? vocab?.[token] : undefined);
    let nextId = options.vocabSize ?? (pre !== undefined ? pre.vocab.size : Object.keys(vocab as object).length);
    const added: AddedToken[] = [];
    const seen = new Set<string>();
    for (const t of list as Json[]) {
      if (typeof t?.content !== "string" || typeof t.id !== "number") return { reason: "an added token without content or id" };
      if (t.content.length === 0) continue;
      if (t.single_word === true) return { reason: "single_word added tokens are not supported" };
      if (typeof t.normalized !== "boolean") return { reason: "an added token without its normalized flag" };
      if (seen.has(t.content)) return { reason: "an added token listed twice" };
      seen.add(t.content);
      const inVocab = vocabId(t.content);
      const id = typeof inVocab === "number" ? inVocab : nextId++;
      if (id !== t.id) return { reason: `added token ${JSON.stringify(t.content)} has id ${t.id}, the Rust engine would give ${id}` };
      added.push({ id, content: t.content, lstrip: t.lstrip === true, rstrip: t.rstrip === true, normalized: t.normalized });
    }
    const metaspace = metaspaceNormalizer(json.normalizer);
    return { encoder: new NativeEncoder({ json, normalizer, metaspace, steps, added, cacheLimit: Math.max(1, options.cacheLimit ?? CACHE_LIMIT) }) };
  }

  /** Builds the model's tables now (they are otherwise built on first encode). Throws when tokenizer.json's model is inconsistent. */
  prepare(): void {
    if (this.model !== undefined) return;
    const model = this.json.model as Json;
    const pre = preparsedBpe(this.json);
    this.model = new Model(model, pre ?? tablesFromJson(model), this.byteLevel !== null);
    // The matchers compiled now, as the Rust engine builds its own when loading: V8 compiles a
    // regex on its first use, straight to machine code for a subject of 1,000+ characters (the
    // added-token matcher of Gemma 3's 6,415 tokens takes tens of milliseconds).
    const subject = " ".repeat(1000);
    for (const re of [this.rawMatcher, this.normalizedMatcher, ...this.steps.flatMap((step) => [step.re, step.sticky])]) {
      if (re === null) continue;
      re.lastIndex = 0;
      re.test(subject);
      re.lastIndex = 0;
    }
  }

  /** Entries in the piece cache (for tests and benchmarks). */
  get cacheSize(): number {
    return this.cache.size;
  }

  /**
   * Appends the ids of `text` (no special tokens) to `out`. Returns false — having possibly
   * appended some — when the text needs something not implemented here (the caller then truncates
   * `out` and encodes the text another way).
   */
  encodeInto(text: string, out: Int32Builder): boolean {
    if (this.model === undefined) {
      if (this.broken) return false;
      try {
        this.prepare();
      } catch {
        this.broken = true;
        return false;
      }
    }
    // The Rust engine gets text as UTF-8: a lone surrogate arrives as U+FFFD.
    const t = (text as unknown as WellFormed).isWellFormed() ? text : (text as unknown as WellFormed).toWellFormed();
    return this.splitAdded(t, this.rawMatcher, true, out);
  }

  /** Added-token split (Rust's `AddedVocabulary::find_matches`); the rest is normalized (first pass) or pre-tokenized (second). */
  private splitAdded(text: string, matcher: RegExp | null, raw: boolean, out: Int32Builder): boolean {
    if (text.length === 0) return true;
    if (matcher === null) return raw ? this.normalizeThen(text, out) : this.preTokenize(text, 0, out);
    matcher.lastIndex = 0;
    let startOffset = 0;
    for (;;) {
      const m = matcher.exec(text);
      if (m === null) break;
      const content = m[0];
      const end = m.index + content.length;
      let start = m.index;
      let stop = end;
      const strip = this.stripTokens.get(content);
      if (strip !== undefined) {
        if (strip.lstrip) {
          while (start > startOffset && WHITE_SPACE.test(charBefore(text, start))) start -= charBefore(text, start).length;
        }
        if (strip.rstrip) {
          while (stop < text.length && WHITE_SPACE.test(charAt(text, stop))) stop += charAt(text, stop).length;
        }
      }
      if (startOffset < start) {
        // The normalized pass uses the other matcher: this one's lastIndex is untouched.
        const piece = text.slice(startOffset, start);
        if (!(raw ? this.normalizeThen(piece, out) : this.preTokenize(piece, 0, out))) return false;
      }
      out.push(this.addedById.get(content) as number);
      startOffset = stop;
      // As the Rust engine's match iterator: the next match is searched from this match's end (not from past the stripped spaces).
      matcher.lastIndex = end;
    }
    if (startOffset < text.length) {
      const piece = text.slice(startOffset);
      return raw ? this.normalizeThen(piece, out) : this.preTokenize(piece, 0, out);
    }
    return true;
  }

  private normalizeThen(piece: string, out: Int32Builder): boolean {
    if (this.metaspaceOffset >= 0) return this.emitMetaspaced(piece, this.metaspaceOffset, out);
    const normalized = this.normalizer === null ? piece : this.normalizer(piece);
    if (normalized.length === 0) return true;
    const matcher = this.normalizedMatcher;
    if (matcher === null) return this.preTokenize(normalized, 0, out);
    return this.splitAdded(normalized, matcher, false, out);
  }

  /** Pre-tokenizer step `k` on `piece`, then the next steps on each part, then the model. */
  private preTokenize(piece: string, k: number, out: Int32Builder): boolean {
    if (piece.length === 0) return true;
    const step = this.steps[k];
    if (step === undefined) return this.byteLevel === null ? this.emitWord(piece, out) : this.emitBytes(piece, out);
    if (step.kind === "byte-level") {
      const text = step.addPrefixSpace && piece.charCodeAt(0) !== 0x20 ? ` ${piece}` : piece;
      const re = step.re;
      if (re === null) return this.emitBytes(text, out);
      return this.isolated(re, step.sticky as RegExp, text, k, out);
    }
    const { re, behavior, invert } = step;
    if (behavior === "Isolated") return this.isolated(re, step.sticky, piece, k, out);
    if (behavior === "Removed") return this.removed(re, step.sticky, piece, invert, k, out);
    return this.merged(re, piece, behavior, invert, k, out);
  }

  /**
   * Every match and every gap between matches, in order (Isolated; invert changes nothing). A
   * match at the current position is found with the sticky regex (no match array), else the
   * global one finds the next.
   */
  private isolated(re: RegExp, sticky: RegExp, text: string, k: number, out: Int32Builder): boolean {
    let prev = 0;
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      if (!this.findMatch(re, sticky, text, pos)) break;
      const start = this.matchStart;
      const end = this.matchEnd;
      if (end === start) return false;
      if (start > prev && !this.emitRange(text, prev, start, k + 1, out)) return false;
      if (!this.emitRange(text, start, end, k + 1, out)) return false;
      prev = pos = end;
    }
    if (prev < n) return this.emitRange(text, prev, n, k + 1, out);
    return true;
  }

  /**
   * The next match of `re` in `text` at or after `pos` into {@link matchStart}/{@link matchEnd}: one
   * at `pos` itself by the sticky regex (no match array), else the global regex finds the next;
   * false when there is none.
   */
  private findMatch(re: RegExp, sticky: RegExp, text: string, pos: number): boolean {
    sticky.lastIndex = pos;
    if (sticky.test(text)) {
      this.matchStart = pos;
      this.matchEnd = sticky.lastIndex;
      return true;
    }
    re.lastIndex = pos;
    const m = re.exec(text);
    if (m === null) return false;
    this.matchStart = m.index;
    this.matchEnd = m.index + m[0].length;
    return true;
  }

  /** text[start..end) to pre-tokenizer step `k`: straight to the model (no substring) when nothing else is left to do. */
  private emitRange(text: string, start: number, end: number, k: number, out: Int32Builder): boolean {
    const step = this.steps[k];
    if (
      step === undefined ? this.byteLevel !== null : step.kind === "byte-level" && step.re === null && (!step.addPrefixSpace || text.charCodeAt(start) === 0x20)
    )
      return this.emitCached(text, start, end, true, out);
    return this.preTokenize(start === 0 && end === text.length ? text : text.slice(start, end), k, out);
  }

  /** Removed: the gaps (or, inverted, the matches) are kept. */
  private removed(re: RegExp, sticky: RegExp, text: string, invert: boolean, k: number, out: Int32Builder): boolean {
    // As isolated(): matches found by findMatch, the pieces kept passed on as ranges of the text (no substring unless the cache misses).
    let prev = 0;
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      if (!this.findMatch(re, sticky, text, pos)) break;
      const start = this.matchStart;
      const end = this.matchEnd;
      if (end === start) return false;
      if (invert) {
        if (!this.emitRange(text, start, end, k + 1, out)) return false;
      } else if (start > prev && !this.emitRange(text, prev, start, k + 1, out)) return false;
      prev = pos = end;
    }
    if (!invert && prev < n) return this.emitRange(text, prev, n, k + 1, out);
    return true;
  }

  /** MergedWithPrevious, MergedWithNext, Contiguous: as the Rust engine's `NormalizedString::split`. */
  private merged(re: RegExp, text: string, behavior: Behavior, invert: boolean, k: number, out: Int32Builder): boolean {
    // (start, end, isMatch) runs covering the text.
    const runs: number[] = [];
    let prev = 0;
    let pos = 0;
    const n = text.length;
    while (pos < n) {
      re.lastIndex = pos;
      const m = re.exec(text);
      if (m === null) break;
      const start = m.index;
      const end = start + m[0].length;
      if (end === start) return false;
      if (start > prev) runs.push(prev, start, invert ? 1 : 0);
      runs.push(start, end, invert ? 0 : 1);
      prev = pos = end;
    }
    if (prev < n) runs.push(prev, n, invert ? 1 : 0);
    const pieces: number[] = [];
    if (behavior === "MergedWithNext") {
      let previousMatch = false;
      for (let r = runs.length - 3; r >= 0; r -= 3) {
        const isMatch = runs[r + 2] === 1;
        if (isMatch && !previousMatch && pieces.length > 0) pieces[pieces.length - 2] = runs[r] as number;
        else pieces.push(runs[r] as number, runs[r + 1] as number);
        previousMatch = isMatch;
      }
      for (let p = pieces.length - 2; p >= 0; p -= 2) if (!this.preTokenize(text.slice(pieces[p], pieces[p + 1]), k + 1, out)) return false;
      return true;
    }
    let previousMatch = false;
    for (let r = 0; r < runs.length; r += 3) {
      const isMatch = runs[r + 2] === 1;
      const join = behavior === "MergedWithPrevious" ? isMatch && !previousMatch : isMatch === previousMatch;
      if (join && pieces.length > 0) pieces[pieces.length - 1] = runs[r + 1] as number;
      else pieces.push(runs[r] as number, runs[r + 1] as number);
      previousMatch = isMatch;
    }
    for (let p = 0; p < pieces.length; p += 2) if (!this.preTokenize(text.slice(pieces[p], pieces[p + 1]), k + 1, out)) return false;
    return true;
  }

  /** A byte-level piece (before the byte mapping) to the model. */
  private emitBytes(piece: string, out: Int32Builder): boolean {
    return this.emitCached(piece, 0, piece.length, true, out);
  }

  /** A word (no byte mapping) to the model, cut where merges cannot cross. */
  private emitWord(word: string, out: Int32Builder): boolean {
    const model = this.model as Model;
    const cuts = model.cutBefore;
    const n = word.length;
    if (cuts === null) return this.emitCached(word, 0, n, false, out);
    let start = 0;
    let prev = word.charCodeAt(0);
    for (let i = 1; i < n; i++) {
      const code = word.charCodeAt(i);
      if (code === METASPACE && prev !== METASPACE && !cuts.has(prev)) {
        if (!this.emitCached(word, start, i, false, out)) return false;
        start = i;
      }
      prev = code;
    }
    return this.emitCached(word, start, n, false, out);
  }

  /**
   * {@link emitWord} on the normalized text — `off` "▁" (0 or 1) then `text` with each space as
   * "▁" — read from `text` itself: the same chunks, the same cache keys, no normalized string.
   */
  private emitMetaspaced(text: string, off: number, out: Int32Builder): boolean {
    const model = this.model as Model;
    const cuts = model.cutBefore;
    const m = text.length + off;
    if (cuts === null) return this.emitMetaspacedChunk(text, off, 0, m, out);
    let start = 0;
    let prev = off === 1 ? METASPACE : text.charCodeAt(0) === 0x20 ? METASPACE : text.charCodeAt(0);
    for (let j = 1; j < m; j++) {
      const c = text.charCodeAt(j - off);
      const code = c === 0x20 ? METASPACE : c;
      if (code === METASPACE && prev !== METASPACE && !cuts.has(prev)) {
        if (!this.emitMetaspacedChunk(text, off, start, j, out)) return false;
        start = j;
      }
      prev = code;
    }
    return this.emitMetaspacedChunk(text, off, start, m, out);
  }

  /** The normalized word's chunk [start, end) (indices in the normalized text; see {@link emitMetaspaced}). */
  private emitMetaspacedChunk(text: string, off: number, start: number, end: number, out: Int32Builder): boolean {
    const cacheable = end - start <= MAX_CACHED_PIECE;
    let h = 0;
    if (cacheable) {
      h = PieceCache.hashMetaspaced(text, off, start, end);
      const hit = this.cache.getMetaspaced(text, off, start, end, h);
      if (hit !== undefined) {
        if (typeof hit === "number") out.push(hit);
        else out.pushAll(hit);
        return true;
      }
    }
    const piece = (start < off ? "\u2581" : "") + text.slice(Math.max(start - off, 0), end - off).replaceAll(" ", "\u2581");
    const ids = (this.model as Model).encodeWord(piece);
    if (ids === null) return false;
    if (cacheable) this.cache.set(piece, h, ids);
    if (typeof ids === "number") out.push(ids);
    else out.pushAll(ids);
    return true;
  }

  /**
   * text[start..end)'s ids from the cache, else from the model (byte-level or as a word),
   * remembered (pieces up to MAX_CACHED_PIECE units). False: the model declines it.
   */
  private emitCached(text: string, start: number, end: number, bytes: boolean, out: Int32Builder): boolean {
    const cacheable = end - start <= MAX_CACHED_PIECE;
    const h = cacheable ? PieceCache.hash(text, start, end) : 0;
    if (cacheable) {
      const hit = this.cache.get(text, start, end, h);
      if (hit !== undefined) {
        if (typeof hit === "number") out.push(hit);
        else out.pushAll(hit);
        return true;
      }
    }
    const piece = start === 0 && end === text.length ? text : text.slice(start, end);
    const model = this.model as Model;
    const ids = bytes ? model.encodeBytes(piece) : model.encodeWord(piece);
    if (ids === null) return false;
    if (cacheable) this.cache.set(piece, h, ids);
    if (typeof ids === "number") out.push(ids);
    else out.pushAll(ids);
    return true;
  }
}

function charAt(text: string, i: number): string {
  const cp = text.codePointAt(i) as number;
  return String.fromCodePoint(cp);
}

function charBefore(text: string, i: number): string {
  const low = text.charCodeAt(i - 1);
  if (low >= 0xdc00 && low <= 0xdfff && i >= 2) {
    const high = text.charCodeAt(i - 2);
    if (high >= 0xd800 && high <= 0xdbff) return text.slice(i - 2, i);
  }
  return text.slice(i - 1, i);
}

/**
 * tokenizer.json's vocabulary as a token → id Map. (Looking tokens up in the parsed JSON object
 * itself was measured slower: a string built from a merge has to be internalized for each property
 * lookup, while a Map only hashes it.)
 */
class Vocab {
  private readonly map = new Map<string, number>();

  constructor(object: Record<string, unknown>) {
    const map = this.map;
    for (const key of Object.keys(object)) {
      const id = object[key];
      if (typeof id !== "number" || id >>> 0 !== id || id > 0x7fffffff) throw new Error(`vocab entry ${JSON.stringify(key)} has no valid id`);
      map.set(key, id);
    }
  }

  get(token: string): number | undefined {
    return this.map.get(token);
  }

  has(token: string): boolean {
    return this.map.has(token);
  }
}

/** A token → id lookup (the Map of {@link Vocab}, or the byte-keyed table read from the file). */
interface VocabLookup {
  get(token: string): number | undefined;
  has(token: string): boolean;
}

/** What the model is built on: vocabulary, merge ranks, and the left tokens of merges onto a "▁..." token not ending with "▁". */
interface ModelTables {
  vocab: VocabLookup;
  merges: PairTable;
  unsafeLefts: string[];
}

/** The tables from tokenizer.json's parsed model. Throws when it is inconsistent. */
function tablesFromJson(model: Json): ModelTables {
  const vocab = new Vocab(model.vocab as Record<string, unknown>);
  const merges = model.merges as unknown[];
  const table = new PairTable(merges.length);
  const unsafeLefts: string[] = [];
  for (let rank = 0; rank < merges.length; rank++) {
    const m = merges[rank];
    let a: string;
    let b: string;
    if (typeof m === "string") {
      const space = m.indexOf(" ");
      if (space < 0 || m.indexOf(" ", space + 1) >= 0) throw new Error(`merge ${rank} is not two tokens`);
      a = m.slice(0, space);
      b = m.slice(space + 1);
    } else if (Array.isArray(m) && m.length === 2 && typeof m[0] === "string" && typeof m[1] === "string") {
      a = m[0];
      b = m[1];
    } else {
      throw new Error(`merge ${rank} is not two tokens`);
    }
    const left = vocab.get(a);
    const right = vocab.get(b);
    const merged = vocab.get(a + b);
    if (left === undefined || right === undefined || merged === undefined) throw new Error(`merge ${rank} has a token outside the vocabulary`);
    table.set(left, right, rank, merged);
    if (b.charCodeAt(0) === METASPACE && a.charCodeAt(a.length - 1) !== METASPACE) unsafeLefts.push(a);
  }
  return { vocab, merges: table, unsafeLefts };
}

/** The BPE model's tables: vocabulary, merges, byte and byte-fallback ids. */
class Model {
  readonly vocab: VocabLookup;
  private readonly word: BpeWord;
  private readonly ignoreMerges: boolean;
  private readonly byteFallback: boolean;
  private readonly fuseUnk: boolean;
  private readonly unkToken: string | null;
  /** Byte-level: id of each byte's character, or -1. */
  private readonly byteIds: Int32Array;
  private readonly byteChars: string[];
  /** byte_fallback: id of "<0xXX>" for each byte, or -1. */
  private readonly fallbackIds: Int32Array;
  /** Code units after which a "▁" must not start a new chunk; null: words are not cut. */
  readonly cutBefore: Set<number> | null;
  private utf8 = new Uint8Array(256);
  /** UTF-8 of each byte's byte-level character, as one number (two bytes: high << 8 | low). */
  private readonly byteCharUtf8: Uint16Array;
  /** Scratch for {@link mappedId}. */
  private mapped = new Uint8Array(512);
  /** Characters looked up in the vocabulary so far (-1: not in it). */
  private readonly chars = new Map<string, number>();

  constructor(model: Json, tables: ModelTables, byteLevel: boolean) {
    const vocab = tables.vocab;
    this.vocab = vocab;
    this.ignoreMerges = model.ignore_merges === true;
    this.byteFallback = model.byte_fallback === true;
    this.fuseUnk = model.fuse_unk === true;
    this.unkToken = typeof model.unk_token === "string" ? model.unk_token : null;
    this.word = new BpeWord(tables.merges);
    const unsafeLefts = byteLevel ? [] : tables.unsafeLefts;

    const chars = bytesChar();
    this.byteChars = chars;
    this.byteCharUtf8 = new Uint16Array(256);
    for (let b = 0; b < 256; b++) {
      const c = (chars[b] as string).charCodeAt(0);
      this.byteCharUtf8[b] = c < 0x80 ? c : ((0xc0 | (c >> 6)) << 8) | (0x80 | (c & 0x3f));
    }
    this.byteIds = new Int32Array(256).fill(-1);
    this.fallbackIds = new Int32Array(256).fill(-1);
    for (let b = 0; b < 256; b++) {
      const id = vocab.get(chars[b] as string);
      if (id !== undefined) this.byteIds[b] = id;
      const f = vocab.get(`<0x${b.toString(16).toUpperCase().padStart(2, "0")}>`);
      if (f !== undefined) this.fallbackIds[b] = f;
    }

    // Cutting words before "▁": safe when "▁" is a token, merges do not look at whole words
    // (ignore_merges), and every merge joining something onto a "▁..." token starts from a plain
    // vocabulary string (not a byte or unk token), whose last character is then the one before
    // the cut: those characters are kept out of the cut points.
    let cut: Set<number> | null = null;
    if (!byteLevel && !this.ignoreMerges && vocab.has("\u2581")) {
      cut = new Set();
      for (const a of unsafeLefts) {
        const last = a.charCodeAt(a.length - 1);
        if (a.includes("<0x") || a === this.unkToken || a.length === 0 || (last >= 0xd800 && last <= 0xdfff)) {
          cut = null;
          break;
        }
        cut.add(last);
      }
    }
    this.cutBefore = cut;
  }

  /** Id of the vocabulary token spelling bytes[0..n) in byte-level characters, or -1. */
  private mappedId(bytes: Uint8Array, n: number): number {
    const vocab = this.vocab;
    if (!(vocab instanceof ByteVocab)) {
      let mapped = "";
      for (let i = 0; i < n; i++) mapped += this.byteChars[bytes[i] as number];
      return vocab.get(mapped) ?? -1;
    }
    // Straight from the bytes: each byte's character in UTF-8 (1 or 2 bytes), no string built.
    let m = this.mapped;
    if (m.length < n * 2) m = this.mapped = new Uint8Array(n * 2);
    const utf8 = this.byteCharUtf8;
    let k = 0;
    for (let i = 0; i < n; i++) {
      const u = utf8[bytes[i] as number] as number;
      if (u > 0xff) m[k++] = u >> 8;
      m[k++] = u & 0xff;
    }
    return vocab.find(m, 0, k, hashBytes(HASH_SEED, m, 0, k));
  }

  /** Id of a character (one or two UTF-16 units) in the vocabulary, or -1; remembered per character. */
  private charId(c: string): number {
    let id = this.chars.get(c);
    if (id === undefined) {
      id = this.vocab.get(c) ?? -1;
      if (this.chars.size >= 1 << 16) this.chars.clear();
      this.chars.set(c, id);
    }
    return id;
  }

  private ids(): PieceIds {
    const n = this.word.count();
    const ids = new Int32Array(n);
    this.word.writeIds(ids, 0);
    return n === 1 ? (ids[0] as number) : ids;
  }

  /** A byte-level piece: its UTF-8 bytes mapped to characters, then BPE. Null when a byte's character is not a token. */
  encodeBytes(piece: string): PieceIds | null {
    let bytes = this.utf8;
    if (bytes.length < piece.length * 3) bytes = this.utf8 = new Uint8Array(piece.length * 3);
    const n = utf8Encode(piece, bytes);
    if (this.ignoreMerges) {
      const id = this.mappedId(bytes, n);
      if (id >= 0) return id;
    }
    const word = this.word;
    word.reset();
    for (let i = 0; i < n; i++) {
      const id = this.byteIds[bytes[i] as number] as number;
      if (id < 0) {
        // A byte whose character is not a token (never in valid UTF-8 for GPT-2-style vocabularies): the general path.
        let mapped = "";
        for (let j = 0; j < n; j++) mapped += this.byteChars[bytes[j] as number];
        return this.encodeWord(mapped, false);
      }
      word.add(id, 1);
    }
    word.mergeAll();
    return this.ids();
  }

  /** A word as the Rust engine's `BPE::merge_word` takes it (per character: vocab, byte fallback, unk). */
  encodeWord(w: string, checkWhole = true): PieceIds | null {
    if (checkWhole && this.ignoreMerges) {
      const id = this.vocab.get(w);
      if (id !== undefined) return id;
    }
    const word = this.word;
    word.reset();
    let unkId = -1;
    let unkLen = 0;
    const n = w.length;
    for (let i = 0; i < n; ) {
      const code = w.charCodeAt(i);
      const units = code >= 0xd800 && code <= 0xdbff && i + 1 < n ? 2 : 1;
      const s = units === 1 ? (w[i] as string) : w.slice(i, i + 2);
      const byteLen = code < 0x80 ? 1 : code < 0x800 ? 2 : units === 2 ? 4 : 3;
      i += units;
      const id = this.charId(s);
      if (id >= 0) {
        if (unkId >= 0) {
          word.add(unkId, unkLen);
          unkId = -1;
        }
        word.add(id, byteLen);
        continue;
      }
      if (this.byteFallback) {
        const bytes = new Uint8Array(4);
        const k = utf8Encode(s, bytes);
        let ok = true;
        for (let j = 0; j < k; j++) if ((this.fallbackIds[bytes[j] as number] as number) < 0) ok = false;
        if (ok) {
          for (let j = 0; j < k; j++) word.add(this.fallbackIds[bytes[j] as number] as number, 1);
          continue;
        }
      }
      if (this.unkToken !== null) {
        const unk = this.vocab.get(this.unkToken);
        if (unk === undefined) return null;
        if (unkId >= 0 && this.fuseUnk) unkLen += byteLen;
        else {
          if (unkId >= 0) word.add(unkId, unkLen);
          unkId = unk;
          unkLen = byteLen;
        }
      }
    }
    if (unkId >= 0) word.add(unkId, unkLen);
    word.mergeAll();
    return this.ids();
  }
}
