import { type AddedTokenInfo, AddedTokenSplitter } from "./added-token-splitter.js";
import type { ModelPlan } from "./align-word-tokens.js";
import type { SpanPlan } from "./compute-token-spans.js";
import { type NormalizerStep, normalizeWithOffsets } from "./normalize-with-offsets.js";
import type { PreTokenizerStep, SplitBehavior } from "./pre-tokenize-with-offsets.js";
import { unicodeToBytes } from "./unicode-to-bytes.js";
import { UnsupportedTokenizerError } from "./unsupported-tokenizer-error.js";

const FORMS = new Set(["NFC", "NFD", "NFKC", "NFKD"]);
const BEHAVIORS = new Set(["Removed", "Isolated", "MergedWithPrevious", "MergedWithNext", "Contiguous"]);
/** The GPT-2 split of the ByteLevel pre-tokenizer, with the Rust engine's (Oniguruma's) White_Space for `\s`. */
const BYTE_LEVEL_PATTERN = String.raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\p{White_Space}\p{L}\p{N}]+|\p{White_Space}+(?!\P{White_Space})|\p{White_Space}+`;
/** Rust regex's Unicode `\w`, for the Whitespace pre-tokenizer's `\w+|[^\w\s]+`. */
const WORD = String.raw`\p{Alphabetic}\p{M}\p{Nd}\p{Pc}\p{Join_Control}`;
/** Rust's `char::is_ascii_punctuation(c) || c.is_punctuation()`. */
const PUNCTUATION = String.raw`[!-\/:-@\[-\x60{-~\p{P}]`;

interface JsonNode {
  type?: string;
  normalizers?: JsonNode[];
  pretokenizers?: JsonNode[];
  pattern?: { String?: string; Regex?: string };
  content?: string;
  prepend?: string;
  add_prefix_space?: boolean;
  use_regex?: boolean;
  behavior?: string;
  invert?: boolean;
  replacement?: string;
  prepend_scheme?: string;
  split?: boolean;
  strip_left?: boolean;
  strip_right?: boolean;
  clean_text?: boolean;
  handle_chinese_chars?: boolean;
  strip_accents?: boolean | null;
  lowercase?: boolean;
  individual_digits?: boolean;
  delimiter?: string;
}

/** The engine's object for a normalizer / pre-tokenizer node (for the regexes it compiled). */
interface EngineNode {
  pattern?: unknown;
  normalizers?: unknown[];
  tokenizers?: unknown[];
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What `tokenSpans` needs to know of a tokenizer.json: the normalizer and pre-tokenizer as steps
 * that keep each char's source, the model's rules for covering a word, and the added tokens.
 * Handles every model (BPE — byte-level or SentencePiece-style with byte fallback —, Unigram,
 * WordPiece) and the normalizers and pre-tokenizers tokenizer.json files use; a part it does not
 * know (the Precompiled normalizer of SentencePiece conversions, WordLevel...) is an
 * {@link UnsupportedTokenizerError} naming it, rather than spans that could be wrong. `engine` is
 * the @huggingface/tokenizers Tokenizer built from the same file (its compiled regexes are
 * reused); `file` is where tokenizer.json came from, for messages.
 */
export function buildSpanPlan(
  tokenizerJson: Record<string, unknown>,
  tokenizerConfig: Record<string, unknown>,
  file: string | undefined,
  engine: { normalizer?: unknown; pre_tokenizer?: unknown } = {},
): SpanPlan {
  const unsupported = (what: string) =>
    new UnsupportedTokenizerError(`Token spans cannot be computed for this tokenizer: ${what}.`, {
      ...(file !== undefined ? { file } : {}),
      hint: "encode/decode/tokenize work as usual; only tokenSpans (and what uses it: the token visualizer, mask-prompt labels by spans) is unavailable for this tokenizer.",
    });
  if (tokenizerConfig.remove_space || tokenizerConfig.do_lowercase_and_remove_accent)
    throw unsupported("its tokenizer_config rewrites text (remove_space / do_lowercase_and_remove_accent)");

  /** A JavaScript regex for a tokenizer.json pattern: the engine's compiled one for a Regex, else the escaped string. */
  const regexOf = (node: JsonNode, engineNode: EngineNode | undefined, what: string): RegExp => {
    const p = node.pattern;
    if (p?.String !== undefined) return new RegExp(escapeRegExp(p.String), "gu");
    if (p?.Regex !== undefined) {
      const compiled = engineNode?.pattern;
      if (compiled instanceof RegExp) return new RegExp(compiled.source, compiled.flags.includes("g") ? compiled.flags : `${compiled.flags}g`);
      try {
        return new RegExp(p.Regex, "gu");
      } catch {
        throw unsupported(`the regex of its ${what} (${JSON.stringify(p.Regex)}) is not a JavaScript regex`);
      }
    }
    throw unsupported(`its ${what} has no pattern`);
  };

  const normalizer: NormalizerStep[] = [];
  const addNormalizer = (n: JsonNode | null | undefined, e: EngineNode | undefined) => {
    if (!n) return;
    const t = n.type;
    if (t === "Sequence")
      (n.normalizers ?? []).forEach((child, i) => {
        addNormalizer(child, e?.normalizers?.[i] as EngineNode | undefined);
      });
    else if (t && FORMS.has(t)) normalizer.push({ type: "unicode", form: t as "NFC" });
    else if (t === "Lowercase") normalizer.push({ type: "lowercase" });
    else if (t === "StripAccents") normalizer.push({ type: "filter", drop: /^\p{M}$/u });
    else if (t === "Replace") normalizer.push({ type: "replace", pattern: regexOf(n, e, "Replace normalizer"), content: n.content ?? "" });
    else if (t === "Prepend") normalizer.push({ type: "prepend", prepend: n.prepend ?? "" });
    else if (t === "Strip") normalizer.push({ type: "strip", left: n.strip_left === true, right: n.strip_right === true });
    else if (t === "BertNormalizer") {
      const lowercase = n.lowercase ?? true;
      if (n.clean_text ?? true) {
        // Rust's \`is_control\`: unicode_categories' \`is_other\` (Cc, Cf, Co, Cs: no table for unassigned chars), tab/LF/CR excepted.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: Rust's BertNormalizer drops NUL (and other control characters)
        normalizer.push({ type: "filter", drop: /^(?:\u0000|\uFFFD|(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}])$/u });
        normalizer.push({ type: "map", test: /^(?:[\t\n\r]|\p{White_Space})$/u, to: " " });
      }
      if (n.handle_chinese_chars ?? true) normalizer.push({ type: "pad-chinese" });
      if (n.strip_accents ?? lowercase) normalizer.push({ type: "unicode", form: "NFD" }, { type: "filter", drop: /^\p{Mn}$/u });
      if (lowercase) normalizer.push({ type: "lowercase" });
    } else throw unsupported(`its normalizer ${t ?? "(unknown)"} is not handled`);
  };
  addNormalizer(tokenizerJson.normalizer as JsonNode | null, engine.normalizer as EngineNode | undefined);

  const preTokenizer: PreTokenizerStep[] = [];
  const addPreTokenizer = (p: JsonNode | null | undefined, e: EngineNode | undefined) => {
    if (!p) return;
    const t = p.type;
    const splitOn = (source: string, behavior: SplitBehavior, invert = false) =>
      preTokenizer.push({ type: "split", pattern: new RegExp(source, "gu"), behavior, invert });
    if (t === "Sequence")
      (p.pretokenizers ?? []).forEach((child, i) => {
        addPreTokenizer(child, e?.tokenizers?.[i] as EngineNode | undefined);
      });
    else if (t === "ByteLevel") {
      const chars: string[] = [];
      for (const [ch, b] of unicodeToBytes()) chars[b] = ch;
      preTokenizer.push({
        type: "byte-level",
        addPrefixSpace: p.add_prefix_space === true,
        pattern: p.use_regex === false ? null : new RegExp(BYTE_LEVEL_PATTERN, "gu"),
        byteChars: chars,
      });
    } else if (t === "Metaspace") {
      const scheme = p.prepend_scheme ?? (p.add_prefix_space === false ? "never" : "always");
      if (scheme !== "always" && scheme !== "first" && scheme !== "never")
        throw unsupported(`its Metaspace prepend_scheme ${JSON.stringify(scheme)} is not known`);
      preTokenizer.push({ type: "metaspace", replacement: p.replacement ?? "▁", prependScheme: scheme, split: p.split ?? true });
    } else if (t === "Split") {
      const behavior = p.behavior ?? "Removed";
      if (!BEHAVIORS.has(behavior)) throw unsupported(`its Split behavior ${JSON.stringify(behavior)} is not known`);
      preTokenizer.push({ type: "split", pattern: regexOf(p, e, "Split pre-tokenizer"), behavior: behavior as SplitBehavior, invert: p.invert === true });
    } else if (t === "Whitespace") splitOn(`[${WORD}]+|[^${WORD}\\p{White_Space}]+`, "Removed", true);
    else if (t === "WhitespaceSplit") splitOn(String.raw`\p{White_Space}`, "Removed");
    else if (t === "BertPreTokenizer") {
      splitOn(String.raw`\p{White_Space}`, "Removed");
      splitOn(PUNCTUATION, "Isolated");
    } else if (t === "Punctuation") {
      const behavior = p.behavior ?? "Isolated";
      if (!BEHAVIORS.has(behavior)) throw unsupported(`its Punctuation behavior ${JSON.stringify(behavior)} is not known`);
      splitOn(PUNCTUATION, behavior as SplitBehavior);
    } else if (t === "Digits") splitOn(String.raw`\p{N}`, p.individual_digits ? "Isolated" : "Contiguous");
    else if (t === "CharDelimiterSplit" && typeof p.delimiter === "string") splitOn(escapeRegExp(p.delimiter), "Removed");
    else throw unsupported(`its pre-tokenizer ${t ?? "(unknown)"} is not handled`);
  };
  addPreTokenizer(tokenizerJson.pre_tokenizer as JsonNode | null, engine.pre_tokenizer as EngineNode | undefined);

  const model = buildModelPlan(tokenizerJson.model as Record<string, unknown> | undefined, unsupported);

  const raw: [string, AddedTokenInfo][] = [];
  const normalized: [string, AddedTokenInfo][] = [];
  for (const t of (tokenizerJson.added_tokens as Record<string, unknown>[] | undefined) ?? []) {
    const token: AddedTokenInfo = {
      content: String(t.content),
      id: Number(t.id),
      lstrip: t.lstrip === true,
      rstrip: t.rstrip === true,
      special: t.special === true,
    };
    // `normalized` defaults to the opposite of `special`; such tokens are matched in normalized text.
    const isNormalized = typeof t.normalized === "boolean" ? t.normalized : !token.special;
    if (isNormalized && tokenizerJson.normalizer != null) {
      const content = normalizeWithOffsets(token.content, 0, token.content.length, normalizer)
        .map((c) => c.ch)
        .join("");
      normalized.push([content, token]);
    } else raw.push([token.content, token]);
  }
  return { raw: new AddedTokenSplitter(raw), normalized: new AddedTokenSplitter(normalized), normalizer, preTokenizer, model };
}

function buildModelPlan(model: Record<string, unknown> | undefined, unsupported: (what: string) => Error): ModelPlan {
  const type = model?.type;
  const str = (v: unknown) => (typeof v === "string" ? v : "");
  if (type === "BPE" || type === "WordPiece") {
    const vocab = (model?.vocab ?? {}) as Record<string, number>;
    const unk = model?.unk_token;
    const unkId = typeof unk === "string" && Object.hasOwn(vocab, unk) ? vocab[unk] : undefined;
    return {
      type,
      unkId,
      prefix:
        type === "WordPiece"
          ? typeof model?.continuing_subword_prefix === "string"
            ? model.continuing_subword_prefix
            : "##"
          : str(model?.continuing_subword_prefix),
      suffix: type === "BPE" ? str(model?.end_of_word_suffix) : "",
      byteFallback: type === "BPE" && model?.byte_fallback === true,
      fuseUnk: type === "BPE" && model?.fuse_unk === true,
      has: (s) => Object.hasOwn(vocab, s),
    };
  }
  if (type === "Unigram") {
    const vocab = (model?.vocab ?? []) as [string, number][];
    let pieces: Set<string> | undefined;
    return {
      type,
      unkId: typeof model?.unk_id === "number" ? model.unk_id : undefined,
      prefix: "",
      suffix: "",
      byteFallback: model?.byte_fallback === true,
      fuseUnk: model?.fuse_unk !== false,
      has: (s) => {
        pieces ??= new Set(vocab.map((v) => v[0]));
        return pieces.has(s);
      },
    };
  }
  throw unsupported(`its model is ${typeof type === "string" ? type : "missing"} (spans are computed for BPE, Unigram and WordPiece)`);
}
