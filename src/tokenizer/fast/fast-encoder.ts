import { AddedTokenScanner } from "./added-token-scanner.js";
import { Int32Builder } from "./int32-builder.js";

/** What a cached piece encodes to: one id, several, or null when some token of it has no id (the text then goes the slow way). */
type PieceIds = number | Int32Array | null;

interface TextEncoderLike {
  encode(text: string): Uint8Array;
}

interface AddedTokenLike {
  id: number;
  lstrip: boolean;
  rstrip: boolean;
}

/** A transformers.js pre-tokenizer: callable, plus the ByteLevel fields read in byte-level mode. */
type PreTokenizerLike = ((text: string, options?: { section_index?: number }) => string[]) & {
  config?: { type?: string };
  pattern?: unknown;
  add_prefix_space?: unknown;
  use_regex?: unknown;
  byte_encoder?: unknown;
  text_encoder?: unknown;
};

type ModelLike = ((tokens: string[]) => string[]) & {
  bpe?: unknown;
  fuse_unk?: unknown;
  tokens_to_ids?: unknown;
  unk_token_id?: unknown;
};

/** The parts of transformers.js's Tokenizer (`PreTrainedTokenizer._tokenizer`) the fast path reads. */
interface CoreLike {
  normalizer?: unknown;
  pre_tokenizer?: unknown;
  model?: unknown;
  post_processor?: unknown;
  added_tokens_map?: unknown;
  splitter_unnormalized?: unknown;
  splitter_normalized?: unknown;
  remove_space?: unknown;
  do_lowercase_and_remove_accent?: unknown;
  encode(text: string, options: { add_special_tokens: boolean }): { ids: unknown[] };
}

/** How the fast path pre-tokenizes: "byte-level" caches raw regex pieces; "generic" caches what the library's own pre-tokenizer returns. */
type FastPathMode = "byte-level" | "generic";

type FastEncoderResult = { encoder: FastEncoder; reason?: undefined } | { encoder?: undefined; reason: string };

/** Pieces longer than this are encoded every time (as transformers.js's own BPE cache does). */
const MAX_CACHED_PIECE = 256;
/** The piece cache is emptied when it holds this many entries, so memory stays bounded on any input. */
const CACHE_LIMIT = 1 << 18;

interface FastEncoderOptions {
  /** Entries the piece cache may hold before it is emptied. Default 262,144 (some tens of MB at most). */
  cacheLimit?: number;
}

/** Texts the fast path is checked on when it is built; any difference and it is not used. */
const SELF_CHECK = [
  "",
  "Hi, how are you?",
  "### Question:\nWhat is it?\n\n### Answer:It's 42 — isn't it? I'm sure they'll say 'yes'.",
  "a  b   c    d\t\te\r\n\r\n  f \u00A0g\u3000h\u0085i\uFEFFj",
  "cafe\u0301 Ångström \uFB01 ½ x\u00B2 한국어 \u1112\u1161\u11AB 中文 👨‍👩‍👧‍👦 🇫🇷 \uD800x",
  " leading and trailing   ",
  "1234567890 3.14 -42",
];

function wordsOf(splitter: unknown): string[] | undefined {
  // transformers.js's DictionarySplitter keeps its words in a trie of plain objects: node.end = word.
  const trie = (splitter as { trie?: unknown } | null)?.trie;
  if (trie === null || typeof trie !== "object") return undefined;
  const words: string[] = [];
  const walk = (node: Record<string, unknown>) => {
    for (const key of Object.keys(node)) {
      const value = node[key];
      if (key === "end") {
        if (typeof value === "string") words.push(value);
      } else if (value !== null && typeof value === "object") {
        walk(value as Record<string, unknown>);
      }
    }
  };
  walk(trie as Record<string, unknown>);
  return words;
}

function sameIds(a: ArrayLike<number>, b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * transformers.js's encoding (its `Tokenizer.encode(text, { add_special_tokens: false })`), step by
 * step the same — added-token split, normalizer, split on normalized added tokens, pre-tokenizer,
 * model — with two changes that leave the ids as they are:
 *
 * - A cache in front of the model, keyed by the exact piece the model would be given (byte-level
 *   mode: the regex match before byte mapping, which maps it one way only), so a hit returns the
 *   ids the library computed for the same piece. The pieces are computed the library's way (its
 *   normalizer, its pre-tokenizer's regex with the same matching loop; the added-token split is an
 *   equivalent scanner), and misses are encoded by the library's own model.
 * - Ids are appended to a flat Int32Array instead of token strings and arrays per text.
 *
 * It is used only for tokenizers it knows to be equal this way (a BPE model without `fuse_unk`,
 * whose post-processor leaves a text's tokens alone) and only after a self-check on tricky texts;
 * anything else gets a reason and the library's own `encode`.
 */
export class FastEncoder {
  readonly mode: FastPathMode;
  private readonly normalizer: ((text: string) => string) | null;
  private readonly preTokenizer: PreTokenizerLike | null;
  private readonly model: ModelLike;
  private readonly added: Map<string, AddedTokenLike>;
  private readonly vocab: Map<string, number>;
  private readonly unkId: unknown;
  private readonly rawSplitter: AddedTokenScanner;
  private readonly normalizedSplitter: AddedTokenScanner;
  private readonly cache = new Map<string, PieceIds>();
  private readonly cacheLimit: number;
  // Byte-level mode only.
  private readonly pattern: RegExp | null = null;
  /** The same pattern, sticky: `test` at a position tells whether the next match starts there, without a match array. */
  private readonly stickyPattern: RegExp | null = null;
  private readonly unicodePattern: boolean = false;
  private readonly addPrefixSpace: boolean = false;
  private readonly byteEncoder: Record<number, string> | null = null;
  private readonly textEncoder: TextEncoderLike | null = null;

  private constructor(parts: {
    mode: FastPathMode;
    normalizer: ((text: string) => string) | null;
    preTokenizer: PreTokenizerLike | null;
    model: ModelLike;
    added: Map<string, AddedTokenLike>;
    vocab: Map<string, number>;
    rawWords: string[];
    normalizedWords: string[];
    cacheLimit: number;
  }) {
    this.mode = parts.mode;
    this.cacheLimit = parts.cacheLimit;
    this.normalizer = parts.normalizer;
    this.preTokenizer = parts.preTokenizer;
    this.model = parts.model;
    this.added = parts.added;
    this.vocab = parts.vocab;
    this.unkId = parts.model.unk_token_id;
    this.rawSplitter = new AddedTokenScanner(parts.rawWords);
    this.normalizedSplitter = new AddedTokenScanner(parts.normalizedWords);
    const pre = parts.preTokenizer;
    if (parts.mode === "byte-level" && pre) {
      const p = pre.pattern as RegExp;
      // A copy: its lastIndex is ours alone.
      this.pattern = new RegExp(p.source, p.flags);
      this.stickyPattern = new RegExp(p.source, p.flags.includes("y") ? p.flags : `${p.flags}y`);
      this.unicodePattern = p.flags.includes("u") || p.flags.includes("v");
      this.addPrefixSpace = pre.add_prefix_space === true;
      this.byteEncoder = pre.byte_encoder as Record<number, string>;
      this.textEncoder = pre.text_encoder as TextEncoderLike;
      if (pre.use_regex !== true) this.pattern = this.stickyPattern = null;
    }
  }

  /**
   * A fast encoder for transformers.js tokenizer `core` (a `PreTrainedTokenizer`'s `_tokenizer`),
   * or the reason there is none. Build it after any patch to the core (the ByteLevel whitespace
   * fix): the pre-tokenizer's pattern is copied here.
   */
  static tryCreate(core: unknown, options: FastEncoderOptions = {}): FastEncoderResult {
    const c = core as CoreLike | null;
    if (c === null || typeof c !== "object" || typeof c.encode !== "function") return { reason: "not a transformers.js tokenizer" };
    if (c.remove_space === true || c.do_lowercase_and_remove_accent === true)
      return { reason: "the config rewrites text before tokenization (remove_space / do_lowercase_and_remove_accent)" };
    const model = c.model as ModelLike | undefined;
    if (typeof model !== "function" || typeof model.bpe !== "function") return { reason: "the model is not BPE" };
    if (model.fuse_unk) return { reason: "the model fuses unknown tokens across pieces (fuse_unk)" };
    if (!(model.tokens_to_ids instanceof Map)) return { reason: "the model has no token → id map" };
    if (!(c.added_tokens_map instanceof Map)) return { reason: "no added-token map" };
    if (c.normalizer !== null && typeof c.normalizer !== "function") return { reason: "unknown normalizer" };
    const post = c.post_processor as { post_process?: (a: string[], b: null, add: boolean) => { tokens: unknown } } | null | undefined;
    if (post !== null && post !== undefined) {
      // With add_special_tokens false the post-processor must hand a text's tokens back unchanged.
      const probe = ["\u0000fast:a\u0000", "\u0000fast:b\u0000"];
      const out = typeof post.post_process === "function" ? post.post_process([...probe], null, false).tokens : undefined;
      if (!Array.isArray(out) || out.length !== 2 || out[0] !== probe[0] || out[1] !== probe[1])
        return { reason: "the post-processor changes a text's own tokens" };
    }
    const rawWords = wordsOf(c.splitter_unnormalized);
    const normalizedWords = wordsOf(c.splitter_normalized);
    if (!rawWords || !normalizedWords) return { reason: "unknown added-token splitter" };

    const pre = (c.pre_tokenizer ?? null) as PreTokenizerLike | null;
    if (pre !== null && typeof pre !== "function") return { reason: "unknown pre-tokenizer" };
    const byteLevel =
      pre !== null &&
      pre.config?.type === "ByteLevel" &&
      pre.pattern instanceof RegExp &&
      pre.pattern.global &&
      typeof pre.use_regex === "boolean" &&
      typeof pre.add_prefix_space === "boolean" &&
      pre.byte_encoder !== null &&
      typeof pre.byte_encoder === "object" &&
      typeof (pre.text_encoder as TextEncoderLike | undefined)?.encode === "function";

    let encoder: FastEncoder;
    try {
      encoder = new FastEncoder({
        mode: byteLevel ? "byte-level" : "generic",
        normalizer: (c.normalizer ?? null) as ((text: string) => string) | null,
        preTokenizer: pre,
        model,
        added: c.added_tokens_map as Map<string, AddedTokenLike>,
        vocab: model.tokens_to_ids as Map<string, number>,
        rawWords,
        normalizedWords,
        cacheLimit: Math.max(1, options.cacheLimit ?? CACHE_LIMIT),
      });

      // Guard against a library version that does a step differently: compare on tricky texts (and
      // on added tokens inside text: up to 64 of them, spread over the list), and fall back on any
      // difference.
      const probes = [...SELF_CHECK];
      const contents = [...c.added_tokens_map.keys()];
      const step = Math.max(1, Math.ceil(contents.length / 64));
      for (let k = 0; k < contents.length; k += step) probes.push(`${contents[k]}`, `x${contents[k]}y ${contents[k]}  ${contents[k]}\n`);
      const out = new Int32Builder(256);
      for (const text of probes) {
        out.length = 0;
        const expected = c.encode(text, { add_special_tokens: false }).ids;
        if (!encoder.encodeInto(text, out)) continue;
        if (!sameIds(out.view(), expected)) return { reason: `self-check failed on ${JSON.stringify(text)}` };
      }
    } catch (e) {
      // E.g. a regular expression too large for the engine: the library's own path still works.
      return { reason: `the fast path could not be built: ${(e as Error).message}` };
    }
    encoder.cache.clear();
    return { encoder };
  }

  /** Entries in the piece cache (for tests and benchmarks). */
  get cacheSize(): number {
    return this.cache.size;
  }

  /**
   * Appends the ids of `text` (no special tokens) to `out`. Returns false — having possibly
   * appended some — when a token of the text has no id; the caller then truncates `out` and uses
   * the library's encode for this text.
   */
  encodeInto(text: string, out: Int32Builder): boolean {
    const sections = this.rawSplitter.split(text);
    this.stripAround(sections);
    for (let i = 0; i < sections.length; i++) {
      const section = sections[i] as string;
      if (section.length === 0) continue;
      const token = this.added.get(section);
      if (token !== undefined) {
        out.push(token.id);
        continue;
      }
      const normalized = this.normalizer === null ? section : this.normalizer(section);
      if (normalized.length === 0) continue;
      const subsections = this.normalizedSplitter.split(normalized);
      this.stripAround(subsections);
      for (let j = 0; j < subsections.length; j++) {
        const sub = subsections[j] as string;
        if (sub.length === 0) continue;
        const t = this.added.get(sub);
        if (t !== undefined) {
          out.push(t.id);
          continue;
        }
        if (!(this.mode === "byte-level" ? this.preTokenizeByteLevel(sub, out) : this.preTokenizeGeneric(sub, i, out))) return false;
      }
    }
    return true;
  }

  /** transformers.js's lstrip/rstrip step: the neighbours of such a token lose their whitespace (JavaScript's trim). */
  private stripAround(pieces: string[]): void {
    for (let i = 0; i < pieces.length; i++) {
      const token = this.added.get(pieces[i] as string);
      if (token === undefined) continue;
      if (token.lstrip && i > 0) pieces[i - 1] = (pieces[i - 1] as string).trimEnd();
      if (token.rstrip && i < pieces.length - 1) pieces[i + 1] = (pieces[i + 1] as string).trimStart();
    }
  }

  /** ByteLevel's pre_tokenize_text (prefix space, then `text.match(pattern)`), each match looked up raw. */
  private preTokenizeByteLevel(sub: string, out: Int32Builder): boolean {
    const text = this.addPrefixSpace && !sub.startsWith(" ") ? ` ${sub}` : sub;
    const re = this.pattern;
    const sticky = this.stickyPattern;
    if (re === null || sticky === null) return this.emitRaw(text, out);
    // String.prototype.match with a global pattern: the matches from left to right, searching on
    // from the end of each; an empty match moves one code point (one unit without the u flag) on.
    // When the next match starts right where the last ended (always, for the byte-level pattern),
    // the sticky test finds it — the same match, as the search tries that position first.
    const n = text.length;
    let pos = 0;
    while (pos <= n) {
      let start: number;
      let end: number;
      sticky.lastIndex = pos;
      if (sticky.test(text)) {
        start = pos;
        end = sticky.lastIndex;
      } else {
        re.lastIndex = pos;
        const m = re.exec(text);
        if (m === null) break;
        start = m.index;
        end = start + m[0].length;
      }
      if (!this.emitRaw(text.slice(start, end), out)) return false;
      pos = end === start ? this.advance(text, end) : end;
    }
    return true;
  }

  private advance(text: string, index: number): number {
    if (!this.unicodePattern || index + 1 >= text.length) return index + 1;
    const cp = text.codePointAt(index) as number;
    return index + (cp > 0xffff ? 2 : 1);
  }

  private preTokenizeGeneric(sub: string, sectionIndex: number, out: Int32Builder): boolean {
    const pieces = this.preTokenizer === null ? [sub] : this.preTokenizer(sub, { section_index: sectionIndex });
    for (let k = 0; k < pieces.length; k++) {
      const piece = pieces[k] as string;
      let ids = this.cache.get(piece);
      if (ids === undefined) ids = this.remember(piece, this.modelIds(piece));
      if (!this.write(ids, out)) return false;
    }
    return true;
  }

  private emitRaw(piece: string, out: Int32Builder): boolean {
    let ids = this.cache.get(piece);
    if (ids === undefined) {
      // ByteLevel's byte mapping, as pre_tokenize_text does it.
      const encoder = this.byteEncoder as Record<number, string>;
      const mapped = Array.from((this.textEncoder as TextEncoderLike).encode(piece), (byte) => encoder[byte]).join("");
      ids = this.remember(piece, this.modelIds(mapped));
    }
    return this.write(ids, out);
  }

  private write(ids: PieceIds, out: Int32Builder): boolean {
    if (typeof ids === "number") out.push(ids);
    else if (ids === null) return false;
    else out.pushAll(ids);
    return true;
  }

  private remember(key: string, ids: PieceIds): PieceIds {
    if (key.length <= MAX_CACHED_PIECE) {
      if (this.cache.size >= this.cacheLimit) this.cache.clear();
      this.cache.set(key, ids);
    }
    return ids;
  }

  /** The library's model on one piece, tokens to ids as its encode maps them. */
  private modelIds(piece: string): PieceIds {
    const tokens = this.model([piece]);
    const ids = new Int32Array(tokens.length);
    for (let k = 0; k < tokens.length; k++) {
      const t = tokens[k] as string;
      const id = this.added.get(t)?.id ?? this.vocab.get(t) ?? this.unkId;
      if (typeof id !== "number" || !Number.isInteger(id) || id < -0x80000000 || id > 0x7fffffff) return null;
      ids[k] = id;
    }
    return ids.length === 1 ? (ids[0] as number) : ids;
  }
}
