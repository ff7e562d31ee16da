import { availableParallelism } from "node:os";
import { Tokenizer as CoreTokenizer } from "@huggingface/tokenizers";
import { RaggedInt32Column } from "../dataset/columns/ragged-int32-column.js";
import { InvalidArgumentError, TokenizerFileError } from "../errors.js";
import { type ChatTemplates, parseChatTemplates, renderConversation, selectChatTemplate } from "./apply-chat-template.js";
import { type BatchEncoding, batchPrepareForModel, type TokenizerSide } from "./batch-prepare-for-model.js";
import { buildSpanPlan } from "./build-span-plan.js";
import { checkSide, checkText } from "./check-tokenizer-args.js";
import { computeTokenSpans, type SpanPlan, type TokenSpan } from "./compute-token-spans.js";
import { createFastEncoder, type FastPathMode, type FastPathResult } from "./fast/create-fast-encoder.js";
import { EncoderPool } from "./fast/encoder-pool.js";
import { Int32Builder } from "./fast/int32-builder.js";
import { fixByteLevelWhitespace } from "./fix-byte-level-whitespace.js";
import { preparsedBpe, tokenizerJsonFromBytes } from "./parse-tokenizer-json.js";
import { resolvePaddingTruncation } from "./resolve-padding-truncation.js";
import { resolveSpecialTokens, SPECIAL_TOKEN_KEYS, type SpecialTokens } from "./resolve-special-tokens.js";
import { checkBpeTables, shellJson } from "./shell-tokenizer-json.js";
import type {
  ApplyChatTemplateOptions,
  BatchEncodeOptions,
  ChatMessage,
  ChatTemplateEncoding,
  DecodeOptions,
  EncodeBatchAsyncOptions,
  EncodeOptions,
  TokenizerInit,
  TokenSpansOptions,
} from "./tokenizer-types.js";
import { trimOffsets } from "./trim-offsets.js";
import { UnsupportedTokenizerError } from "./unsupported-tokenizer-error.js";

/** Batches shorter than this (UTF-16 units) are encoded in-thread by encodeBatchFlatAsync: starting workers would cost more. */
const POOL_MIN_CHARS = 1 << 20;

/** Python's VERY_LARGE_INTEGER: model_max_length of a tokenizer whose config sets none. */
const VERY_LARGE_INTEGER = 1e30;

interface PostProcessorLike {
  post_process(tokens: string[], pair: string[] | null, addSpecialTokens: boolean): { tokens: string[] };
}

/**
 * A tokenizer with Python `transformers`' behaviour, on @huggingface/tokenizers and a native BPE
 * encoder checked against the Rust engine: the same ids, tokens, decoded text, special tokens, padding and truncation (both sides).
 * Ids are plain numbers throughout. Create one with {@link loadTokenizer}.
 */
export class Tokenizer {
  /** The Hub id or folder this tokenizer was loaded from (Python's `name_or_path`). */
  readonly nameOrPath: string;
  /** Size of the model's vocabulary, added tokens not counted (Python's `vocab_size`; 50254 for Pythia). */
  readonly vocabSize: number;

  /**
   * The library tokenizer without its BPE vocabulary and merges (for a BPE model; else the whole
   * one): what loading needs — the file's structure checked, added tokens, the post-processor.
   */
  private readonly shell: CoreTokenizer;
  /** The whole library tokenizer, built on first use (the fast path rarely needs it). */
  private whole: CoreTokenizer | undefined;
  private templates: ChatTemplates | undefined;
  private readonly tokenizerJson: Record<string, unknown>;
  private readonly tokenizerConfig: Record<string, unknown>;
  private readonly tokenizerJsonFile: string | undefined;
  private readonly special: SpecialTokens;
  private readonly prefixIds: number[];
  private readonly suffixIds: number[];
  private readonly cleanUpSpaces: boolean;
  private _paddingSide: TokenizerSide;
  private _truncationSide: TokenizerSide;
  private _modelMaxLength: number;
  private spanPlan: SpanPlan | undefined;
  /** Some added token swallows whitespace (lstrip/rstrip): its token text then includes it, as in Python. */
  private readonly hasStripTokens: boolean;
  /** The fast encoder (or why there is none), built on first use. */
  private fast: FastPathResult | undefined;
  /** What worker threads build their copy of this tokenizer from. */
  private readonly init: TokenizerInit;
  /** Worker threads of encodeBatchFlatAsync, started on first use. */
  private pool: EncoderPool | undefined;
  /** Set when a worker failed: batches are encoded in this thread from then on. */
  private poolFailed = false;

  constructor(init: TokenizerInit) {
    this.nameOrPath = init.nameOrPath;
    this.tokenizerJson = init.tokenizerJsonBytes !== undefined ? tokenizerJsonFromBytes(init.tokenizerJsonBytes) : init.tokenizerJson;
    // Worker threads get the file's bytes when the tables were read from them (cloning those is a copy; cloning the lazy
    // vocabulary would parse the whole file here first), else the parsed JSON.
    const pre = preparsedBpe(this.tokenizerJson);
    this.init = {
      tokenizerJson: pre !== undefined ? pre.shell : this.tokenizerJson,
      ...(pre !== undefined ? { tokenizerJsonBytes: pre.bytes } : {}),
      tokenizerConfig: init.tokenizerConfig,
      specialTokensMap: init.specialTokensMap,
      nameOrPath: init.nameOrPath,
      files: init.files,
    };
    this.tokenizerConfig = init.tokenizerConfig ?? {};
    this.tokenizerJsonFile = init.files?.tokenizerJson;
    const where = init.files?.tokenizerJson ?? `tokenizer.json of ${init.nameOrPath}`;
    this.templates = init.chatTemplate !== undefined ? init.chatTemplate : parseChatTemplates(this.tokenizerConfig.chat_template, init.files?.tokenizerConfig);

    try {
      this.shell = new CoreTokenizer(shellJson(this.tokenizerJson), this.tokenizerConfig);
      if (this.shell.tokenizer === this.tokenizerJson) this.whole = this.shell;
      else checkBpeTables(this.tokenizerJson);
    } catch (e) {
      throw new TokenizerFileError(`${where} could not be used as a tokenizer: ${(e as Error).message}`, {
        ...(init.files?.tokenizerJson !== undefined ? { file: init.files.tokenizerJson } : {}),
        hint: "Is it a tokenizers-library tokenizer.json (with model, normalizer, pre_tokenizer, post_processor, decoder)?",
        cause: e,
      });
    }
    if (this.whole) fixByteLevelWhitespace(this.whole.pre_tokenizer);
    this.hasStripTokens = [...this.shell.get_added_tokens_decoder().values()].some((t) => t.lstrip || t.rstrip);

    const model = this.tokenizerJson.model as { vocab?: unknown } | undefined;
    this.vocabSize =
      pre !== undefined
        ? pre.vocab.size
        : Array.isArray(model?.vocab)
          ? model.vocab.length
          : model?.vocab && typeof model.vocab === "object"
            ? Object.keys(model.vocab).length
            : 0;

    this.special = resolveSpecialTokens({
      tokenizerConfig: this.tokenizerConfig,
      specialTokensMap: init.specialTokensMap,
      configFile: init.files?.tokenizerConfig,
      mapFile: init.files?.specialTokensMap,
    });
    if (init.padToken !== undefined) this.special.pad_token = this.checkInVocab("padToken", init.padToken);

    [this.prefixIds, this.suffixIds] = this.specialTokensAround(where);
    const cleanUp = this.tokenizerConfig.clean_up_tokenization_spaces;
    this.cleanUpSpaces = typeof cleanUp === "boolean" ? cleanUp : false;
    this._paddingSide =
      init.paddingSide !== undefined ? checkSide("paddingSide", init.paddingSide) : this.sideFromConfig("padding_side", init.files?.tokenizerConfig);
    this._truncationSide =
      init.truncationSide !== undefined
        ? checkSide("truncationSide", init.truncationSide)
        : this.sideFromConfig("truncation_side", init.files?.tokenizerConfig);
    const mml = this.tokenizerConfig.model_max_length;
    this._modelMaxLength = typeof mml === "number" && mml > 0 ? mml : VERY_LARGE_INTEGER;
    // The fast encoder's tables (vocabulary lookups, merge ranks) now, as the Rust engine builds its
    // own when loading: the first encode needs them.
    this.fastEncoder();
  }

  /** The library tokenizer, whole (built now if it was not yet). */
  private get core(): CoreTokenizer {
    if (this.whole === undefined) {
      try {
        this.whole = new CoreTokenizer(this.tokenizerJson, this.tokenizerConfig);
      } catch (e) {
        const file = this.tokenizerJsonFile;
        throw new TokenizerFileError(`${file ?? `tokenizer.json of ${this.nameOrPath}`} could not be used as a tokenizer: ${(e as Error).message}`, {
          ...(file !== undefined ? { file } : {}),
          hint: "Is it a tokenizers-library tokenizer.json (with model, normalizer, pre_tokenizer, post_processor, decoder)?",
          cause: e,
        });
      }
      fixByteLevelWhitespace(this.whole.pre_tokenizer);
    }
    return this.whole;
  }

  /** A token's id (an added token's, else the vocabulary's), as the library's token_to_id, without building the whole library tokenizer. */
  private tokenId(token: string): number | undefined {
    if (this.whole) return this.whole.token_to_id(token);
    const added = this.shell.token_to_id(token);
    if (added !== undefined) return added;
    const pre = preparsedBpe(this.tokenizerJson);
    if (pre !== undefined) return pre.vocab.get(token);
    const vocab = (this.tokenizerJson.model as { vocab: Record<string, unknown> }).vocab;
    const id = Object.hasOwn(vocab, token) ? vocab[token] : undefined;
    return typeof id === "number" ? id : undefined;
  }

  private sideFromConfig(key: "padding_side" | "truncation_side", file: string | undefined): TokenizerSide {
    const value = this.tokenizerConfig[key] ?? "right";
    if (value === "left" || value === "right") return value;
    throw new TokenizerFileError(
      `${key} in ${file ?? "tokenizer_config.json"} is ${JSON.stringify(value)}: expected "left" or "right".`,
      file !== undefined ? { file } : {},
    );
  }

  /** The ids the post-processor puts before and after a text's own ids (a probe token marks the text). */
  private specialTokensAround(where: string): [number[], number[]] {
    const post = this.shell.post_processor as unknown as PostProcessorLike | null;
    if (!post) return [[], []];
    const probe = "\u0000finetune-prep:text\u0000";
    const tokens = post.post_process([probe], null, true).tokens;
    const at = tokens.indexOf(probe);
    if (at < 0) throw new TokenizerFileError(`The post-processor of ${where} drops the text it is given: not a usable tokenizer.`);
    const ids = (list: string[]) =>
      list.map((t) => {
        const id = this.tokenId(t);
        if (id === undefined)
          throw new TokenizerFileError(`The post-processor of ${where} adds the token ${JSON.stringify(t)}, which is not in its vocabulary.`);
        return id;
      });
    return [ids(tokens.slice(0, at)), ids(tokens.slice(at + 1))];
  }

  private checkInVocab(name: string, token: string | null): string | null {
    if (token === null) return null;
    if (typeof token !== "string") throw new InvalidArgumentError(name, token, `${name} must be a token (a string) or null, got ${typeof token}.`);
    if (this.tokenId(token) === undefined) {
      throw new InvalidArgumentError(name, token, `${JSON.stringify(token)} is not in the vocabulary of ${this.nameOrPath}, so it has no id.`, {
        hint: `Use a token the tokenizer has, e.g. tok.padToken = tok.eosToken${this.special.eos_token !== null ? ` (${JSON.stringify(this.special.eos_token)})` : ""}.`,
      });
    }
    return token;
  }

  private idOf(token: string | null): number | null {
    return token === null ? null : (this.tokenId(token) ?? null);
  }

  // ------------------------------------------------------------------ special tokens

  /** Beginning-of-sequence token ("<|endoftext|>" for Pythia), or null. */
  get bosToken(): string | null {
    return this.special.bos_token;
  }
  get bosTokenId(): number | null {
    return this.idOf(this.special.bos_token);
  }
  /** End-of-sequence token ("<|endoftext|>" for Pythia), or null. */
  get eosToken(): string | null {
    return this.special.eos_token;
  }
  get eosTokenId(): number | null {
    return this.idOf(this.special.eos_token);
  }
  /** Unknown-token token ("<|endoftext|>" for Pythia), or null. */
  get unkToken(): string | null {
    return this.special.unk_token;
  }
  get unkTokenId(): number | null {
    return this.idOf(this.special.unk_token);
  }
  get sepToken(): string | null {
    return this.special.sep_token;
  }
  get clsToken(): string | null {
    return this.special.cls_token;
  }
  get maskToken(): string | null {
    return this.special.mask_token;
  }

  /**
   * The padding token: null until one is set when the tokenizer ships without one (Pythia; Python's
   * `tokenizer.pad_token` is None). Set it as in Python: `tok.padToken = tok.eosToken`. A token
   * not in the vocabulary is refused.
   */
  get padToken(): string | null {
    return this.special.pad_token;
  }
  set padToken(token: string | null) {
    this.special.pad_token = this.checkInVocab("padToken", token);
  }
  /** Id of {@link padToken}; null while there is none. */
  get padTokenId(): number | null {
    return this.idOf(this.special.pad_token);
  }

  /** Python's `all_special_tokens`: the special-token attributes that are set (bos, eos, unk, sep, pad, cls, mask, then additional), without repeats. ["<|endoftext|>"] for Pythia. */
  get allSpecialTokens(): string[] {
    const out: string[] = [];
    for (const key of SPECIAL_TOKEN_KEYS) {
      const t = this.special[key];
      if (t !== null && !out.includes(t)) out.push(t);
    }
    for (const t of this.special.additional) if (!out.includes(t)) out.push(t);
    return out;
  }
  /** Python's `all_special_ids`: ids of {@link allSpecialTokens}, same order. [0] for Pythia. */
  get allSpecialIds(): number[] {
    return this.allSpecialTokens.map((t) => this.idOf(t)).filter((id): id is number => id !== null);
  }
  /**
   * Ids of the added tokens tokenizer.json flags special — the ones `decode(ids, { skipSpecialTokens: true })`
   * leaves out — sorted. Wider than {@link allSpecialIds}: [0, 1, 50277, 50278, 50279, 50280] for Pythia.
   */
  get specialTokenIds(): number[] {
    const ids: number[] = [];
    for (const t of this.shell.get_added_tokens_decoder().values()) if (t.special) ids.push(t.id);
    return ids.sort((a, b) => a - b);
  }

  // ------------------------------------------------------------------ settings

  /** Default side batchEncode pads on: "right" unless tokenizer_config.json says otherwise. */
  get paddingSide(): TokenizerSide {
    return this._paddingSide;
  }
  set paddingSide(side: TokenizerSide) {
    this._paddingSide = checkSide("paddingSide", side);
  }
  /** Default side batchEncode truncates from: "right" (keep the start) unless tokenizer_config.json says otherwise. */
  get truncationSide(): TokenizerSide {
    return this._truncationSide;
  }
  set truncationSide(side: TokenizerSide) {
    this._truncationSide = checkSide("truncationSide", side);
  }
  /** tokenizer_config.json's model_max_length (1e30 for Pythia: no limit declared); 1e30 when absent, as Python. */
  get modelMaxLength(): number {
    return this._modelMaxLength;
  }
  set modelMaxLength(value: number) {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1) {
      throw new InvalidArgumentError("modelMaxLength", value, `modelMaxLength must be a positive integer, got ${String(value)}.`);
    }
    this._modelMaxLength = value;
  }

  /** The chat template (Jinja), or undefined when the tokenizer has none (Pythia). Settable, as in Python. */
  get chatTemplate(): string | undefined {
    const t = this.templates;
    if (t === undefined || typeof t === "string") return t;
    return Object.hasOwn(t, "default") ? t.default : undefined;
  }
  set chatTemplate(template: string | undefined) {
    if (template !== undefined && typeof template !== "string")
      throw new InvalidArgumentError("chatTemplate", template, "chatTemplate must be a Jinja template (a string) or undefined.");
    this.templates = template;
  }

  // ------------------------------------------------------------------ encoding

  /**
   * Whether dataset-scale encoding ({@link encodeBatchIds}, {@link encodeBatchFlat}, batchEncode)
   * runs on the fast path — flat typed-array output and a cache of encoded pieces, same ids as the
   * Rust engine — and if not, why. BPE tokenizers (Pythia, Llama 2/3, Qwen, Gemma, GPT-4o...) use
   * "native" mode, the project's own BPE read from tokenizer.json; a BPE tokenizer it declines
   * (DEBUG=finetune-prep prints why) uses the library's BPE with a piece cache ("byte-level" or
   * "generic" mode).
   */
  get fastPath(): { enabled: true; mode: FastPathMode } | { enabled: false; reason: string } {
    const r = this.fastEncoder();
    return r.encoder ? { enabled: true, mode: r.encoder.mode } : { enabled: false, reason: r.reason };
  }

  private fastEncoder(): FastPathResult {
    this.fast ??= createFastEncoder({
      tokenizerJson: this.tokenizerJson,
      tokenizerConfig: this.tokenizerConfig,
      vocabSize: this.vocabSize,
      core: () => this.core,
      name: this.nameOrPath,
    });
    return this.fast;
  }

  private checkTexts(texts: readonly string[]): void {
    if (!Array.isArray(texts)) throw new InvalidArgumentError("texts", texts, `Expected an array of strings, got ${texts === null ? "null" : typeof texts}.`);
    texts.forEach((t, i) => {
      checkText(t, i);
    });
  }

  /**
   * Ids of many texts, no padding or truncation: Python's `tokenizer(texts)["input_ids"]`. Every
   * dataset-scale encoding in the project goes through this method or {@link encodeBatchFlat}
   * (batchEncode included), both on the fast path when {@link fastPath} allows it.
   */
  encodeBatchIds(texts: readonly string[], options: EncodeOptions = {}): number[][] {
    this.checkTexts(texts);
    const addSpecial = (options.addSpecialTokens ?? true) && (this.prefixIds.length > 0 || this.suffixIds.length > 0);
    const fast = this.fastEncoder().encoder;
    const out = new Int32Builder(1024);
    return texts.map((text) => {
      let ids: number[];
      out.length = 0;
      if (fast?.encodeInto(text, out)) ids = Array.from(out.view());
      else ids = this.core.encode(text, { add_special_tokens: false }).ids;
      return addSpecial ? [...this.prefixIds, ...ids, ...this.suffixIds] : ids;
    });
  }

  /**
   * The ids of many texts — the same as {@link encodeBatchIds} — stored flat, as the dataset's
   * token-id columns are: row `i` is `values[offsets[i] .. offsets[i + 1])`. No array per text:
   * the way to encode a large dataset.
   */
  encodeBatchFlat(texts: readonly string[], options: EncodeOptions = {}): RaggedInt32Column {
    this.checkTexts(texts);
    const addSpecial = options.addSpecialTokens ?? true;
    const prefix = addSpecial ? this.prefixIds : [];
    const suffix = addSpecial ? this.suffixIds : [];
    const fast = this.fastEncoder().encoder;
    let chars = 0;
    for (const t of texts) chars += t.length;
    const out = new Int32Builder((chars >> 2) + texts.length * (prefix.length + suffix.length) + 16);
    const offsets = new Uint32Array(texts.length + 1);
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i] as string;
      out.pushAll(prefix);
      const start = out.length;
      if (!fast?.encodeInto(text, out)) {
        out.truncate(start);
        const ids = this.core.encode(text, { add_special_tokens: false }).ids;
        const bad = ids.findIndex((id: unknown) => !Number.isInteger(id));
        if (bad >= 0) {
          throw new TokenizerFileError(`texts[${i}]: token ${bad} has no id in ${this.nameOrPath}'s vocabulary (the tokenizer's unk_token is not in it).`, {
            row: i,
            ...(this.tokenizerJsonFile !== undefined ? { file: this.tokenizerJsonFile } : {}),
            hint: "tokenizer.json is inconsistent: add its unk_token to the vocabulary, or use encodeBatchIds, which returns such ids as undefined as transformers.js does.",
          });
        }
        out.pushAll(ids);
      }
      out.pushAll(suffix);
      offsets[i + 1] = out.length;
    }
    return new RaggedInt32Column(out.toInt32Array(), offsets);
  }

  /**
   * {@link encodeBatchFlat} on worker threads, for large batches: the texts are cut into chunks
   * encoded in parallel, each worker with its own copy of this tokenizer, and the ids come back as
   * transferred typed arrays. Same result as encodeBatchFlat. Small batches (and any batch when
   * workers are unavailable, see {@link EncodeBatchAsyncOptions.workers}) are encoded in this
   * thread. Idle workers do not keep the process alive; {@link close} stops them.
   */
  async encodeBatchFlatAsync(texts: readonly string[], options: EncodeBatchAsyncOptions = {}): Promise<RaggedInt32Column> {
    this.checkTexts(texts);
    const addSpecial = options.addSpecialTokens ?? true;
    const workers = options.workers ?? availableParallelism();
    if (typeof workers !== "number" || !Number.isInteger(workers) || workers < 0) {
      throw new InvalidArgumentError("workers", workers, `workers must be a whole number ≥ 0 (0: encode in this thread), got ${String(workers)}.`);
    }
    let chars = 0;
    for (const t of texts) chars += t.length;
    if (workers === 0 || chars < POOL_MIN_CHARS || this.poolFailed || !EncoderPool.available())
      return this.encodeBatchFlat(texts, { addSpecialTokens: addSpecial });
    if (this.pool && this.pool.size !== workers) {
      await this.pool.close();
      this.pool = undefined;
    }
    this.pool ??= new EncoderPool({ init: this.init, size: workers });
    try {
      return await this.pool.encode(texts, addSpecial);
    } catch (e) {
      // A chunk the worker could not encode: this thread gives the same error, with the row.
      if (!this.pool.unusable) return this.encodeBatchFlat(texts, { addSpecialTokens: addSpecial });
      // A worker that died (out of memory, killed) costs speed, not the batch: finish it here.
      this.poolFailed = true;
      const pool = this.pool;
      this.pool = undefined;
      await pool?.close();
      process.emitWarning(`finetune-prep: encoding on worker threads failed (${(e as Error).message}); encoding in the main thread instead.`, {
        code: "FINETUNE_PREP_WORKERS",
      });
      return this.encodeBatchFlat(texts, { addSpecialTokens: addSpecial });
    }
  }

  /** Stops the worker threads {@link encodeBatchFlatAsync} started, if any. The tokenizer stays usable (workers restart when needed). */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await pool?.close();
  }

  /** Python's `tokenizer(text)["input_ids"]`: the ids of one text, with the special tokens the post-processor adds (none for Pythia). */
  encode(text: string, options: EncodeOptions = {}): number[] {
    checkText(text);
    return this.encodeBatchIds([text], options)[0] as number[];
  }

  /**
   * Python's `tokenizer(texts, padding=..., truncation=..., max_length=...)` for a batch of texts,
   * with the same rules (see {@link BatchEncodeOptions}); the result is plain arrays.
   */
  batchEncode(texts: readonly string[], options: BatchEncodeOptions = {}): BatchEncoding {
    const plan = resolvePaddingTruncation(options, { modelMaxLength: this._modelMaxLength, padToken: this.padToken, padTokenId: this.padTokenId });
    const paddingSide = options.paddingSide === undefined ? this._paddingSide : checkSide("paddingSide", options.paddingSide);
    const truncationSide = options.truncationSide === undefined ? this._truncationSide : checkSide("truncationSide", options.truncationSide);
    const content = this.encodeBatchIds(texts, { addSpecialTokens: false });
    const addSpecial = options.addSpecialTokens ?? true;
    return batchPrepareForModel(content, {
      plan,
      prefix: addSpecial ? this.prefixIds : [],
      suffix: addSpecial ? this.suffixIds : [],
      padTokenId: this.padTokenId,
      paddingSide,
      truncationSide,
    });
  }

  /** Python's `tokenizer.tokenize(text)`: the tokens, in byte-level form ("Ġhow"); no special tokens unless asked. */
  tokenize(text: string, options: EncodeOptions = {}): string[] {
    checkText(text);
    // transformers.js drops the whitespace an lstrip/rstrip token swallows from the token text;
    // the span layout keeps it, as Python's tokens do (byte-level tokenizers).
    const tokens =
      this.hasStripTokens && this.spansSupported()
        ? this.tokenSpans(text, { addSpecialTokens: false }).map((s) => s.token)
        : this.core.encode(text, { add_special_tokens: false }).tokens;
    if (!(options.addSpecialTokens ?? false)) return tokens;
    return [...this.convertIdsToTokens(this.prefixIds), ...tokens, ...this.convertIdsToTokens(this.suffixIds)];
  }

  private checkId(id: unknown, label: string): number {
    if (typeof id !== "number" || !Number.isInteger(id) || this.core.id_to_token(id) === undefined) {
      throw new InvalidArgumentError(label, id, `${label} = ${String(id)} is not a token id of ${this.nameOrPath}.`, {
        hint: "Token ids are integers the tokenizer produced (check that the ids come from this tokenizer).",
      });
    }
    return id;
  }

  private checkIds(ids: ArrayLike<number>, name: string): number[] {
    if (ids === null || typeof ids !== "object" || typeof ids.length !== "number") {
      throw new InvalidArgumentError(name, ids, `Expected an array of token ids, got ${ids === null ? "null" : typeof ids}.`);
    }
    return Array.from(ids, (id, i) => this.checkId(id, `${name}[${i}]`));
  }

  /** Python's `tokenizer.decode(ids)`: the text of the ids (clean_up_tokenization_spaces from the config; false for Pythia). */
  decode(ids: ArrayLike<number>, options: DecodeOptions = {}): string {
    const list = this.checkIds(ids, "ids");
    if (list.length === 0) return "";
    return this.core.decode(list, {
      skip_special_tokens: options.skipSpecialTokens ?? false,
      clean_up_tokenization_spaces: options.cleanUpTokenizationSpaces ?? this.cleanUpSpaces,
    });
  }

  /** Python's `convert_ids_to_tokens`. An id outside the vocabulary is an error. */
  convertIdsToTokens(id: number, options?: { skipSpecialTokens?: boolean }): string;
  convertIdsToTokens(ids: ArrayLike<number>, options?: { skipSpecialTokens?: boolean }): string[];
  convertIdsToTokens(ids: number | ArrayLike<number>, options: { skipSpecialTokens?: boolean } = {}): string | string[] {
    if (typeof ids === "number") return this.core.id_to_token(this.checkId(ids, "id")) as string;
    const skip = options.skipSpecialTokens ? new Set(this.specialTokenIds) : undefined;
    return this.checkIds(ids, "ids")
      .filter((id) => !skip?.has(id))
      .map((id) => this.core.id_to_token(id) as string);
  }

  /** Python's `convert_tokens_to_ids`: a token not in the vocabulary gives the unknown token's id (null when there is none), as in Python. */
  convertTokensToIds(token: string): number | null;
  convertTokensToIds(tokens: readonly string[]): (number | null)[];
  convertTokensToIds(tokens: string | readonly string[]): number | null | (number | null)[] {
    const one = (t: string) => {
      checkText(t);
      return this.core.token_to_id(t) ?? this.unkTokenId;
    };
    return typeof tokens === "string" ? one(tokens) : tokens.map(one);
  }

  /**
   * Each token of `text` with the slice of `text` it comes from, for visualizing: `text.slice(start, end)`.
   * Offsets are JavaScript string indices (UTF-16 code units; Python counts code points, so they
   * differ after an emoji). They equal Python's `offset_mapping` (converted to UTF-16) — checked
   * against the Rust tokenizers engine: a token holding part of a multi-byte character spans the
   * whole character; added tokens found in the text ("<|endoftext|>", Pythia's runs of spaces)
   * span their text; special tokens the post-processor adds span nothing (0, 0). Every model type
   * tokenizer.json files use — byte-level BPE, SentencePiece-style BPE (byte fallback: each
   * `<0xNN>` token spans its whole character), Unigram, WordPiece; see docs/tokenizers.md. A part
   * that cannot be followed exactly (the Precompiled normalizer, WordLevel) is an
   * UnsupportedTokenizerError.
   */
  tokenSpans(text: string, options: TokenSpansOptions = {}): TokenSpan[] {
    checkText(text);
    this.spanPlan ??= buildSpanPlan(this.tokenizerJson, this.tokenizerConfig, this.tokenizerJsonFile, this.core);
    const encoding = this.core.encode(text, { add_special_tokens: false });
    let spans = computeTokenSpans(text, encoding.tokens, encoding.ids, this.spanPlan);
    if (options.trimOffsets) {
      const post = this.tokenizerJson.post_processor as { add_prefix_space?: boolean } | null | undefined;
      spans = trimOffsets(text, spans, post?.add_prefix_space === true);
    }
    if (!(options.addSpecialTokens ?? true)) return spans;
    const specials = (ids: number[]) => ids.map((id) => ({ id, token: this.core.id_to_token(id) as string, start: 0, end: 0 }));
    return [...specials(this.prefixIds), ...spans, ...specials(this.suffixIds)];
  }

  private spansSupported(): boolean {
    try {
      this.spanPlan ??= buildSpanPlan(this.tokenizerJson, this.tokenizerConfig, this.tokenizerJsonFile, this.core);
      return true;
    } catch (e) {
      if (e instanceof UnsupportedTokenizerError) return false;
      throw e;
    }
  }

  /** The special tokens a chat template sees: Python's `special_tokens_map` (strings; additional ones as a list). */
  private templateSpecialTokens(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const key of SPECIAL_TOKEN_KEYS) {
      const token = this.special[key];
      if (token !== null) out[key] = token;
    }
    if (this.special.additional.length > 0) out.additional_special_tokens = [...this.special.additional];
    return out;
  }

  /**
   * Renders `messages` with the chat template exactly as {@link applyChatTemplate} does (same
   * options; tokenize and returnAssistantTokensMask do not apply) and returns the text with the
   * `[start, end)` character ranges (JS string indices) that `{% generation %}` blocks produced.
   */
  renderChatTemplate(
    messages: ChatMessage[],
    options: Omit<ApplyChatTemplateOptions, "tokenize" | "returnAssistantTokensMask"> = {},
  ): { text: string; generationRanges: [number, number][]; hasGeneration: boolean } {
    const r = this.renderChatConversation(messages, options);
    return { text: r.text, generationRanges: r.generation, hasGeneration: r.hasGeneration };
  }

  private renderChatConversation(messages: ChatMessage[], options: ApplyChatTemplateOptions) {
    if (!Array.isArray(messages)) throw new InvalidArgumentError("messages", messages, "messages must be an array of { role, content } objects.");
    messages.forEach((m, i) => {
      if (m === null || typeof m !== "object" || Array.isArray(m))
        throw new InvalidArgumentError("messages", m, `messages[${i}] is not a { role, content } object.`);
    });
    for (const [name, value] of [
      ["tools", options.tools],
      ["documents", options.documents],
    ] as const) {
      if (value !== undefined && (!Array.isArray(value) || value.some((x) => x === null || typeof x !== "object"))) {
        throw new InvalidArgumentError(name, value, `${name} must be a list of JSON objects.`);
      }
    }
    const template = selectChatTemplate(this.templates, options.chatTemplate, options.tools !== undefined && options.tools.length > 0, this.nameOrPath);
    return renderConversation(
      template,
      {
        messages,
        tools: options.tools ?? null,
        documents: options.documents ?? null,
        addGenerationPrompt: options.addGenerationPrompt ?? false,
        continueFinalMessage: options.continueFinalMessage ?? false,
        specialTokens: this.templateSpecialTokens(),
        kwargs: options.chatTemplateKwargs ?? {},
      },
      this.nameOrPath,
    );
  }

  /**
   * Python's `apply_chat_template`: renders `messages` with the chat template — as Python's Jinja2
   * renders it (docs/chat-templates.md) — and, by default, encodes the result without adding
   * special tokens. Messages may carry `tool_calls`, a `tool` role and content parts
   * (`[{ type: "text", text }]`): they reach the template as they are. A tokenizer without a
   * template (Pythia) is a TemplateError, as Python's ValueError.
   */
  applyChatTemplate(messages: ChatMessage[], options: ApplyChatTemplateOptions & { tokenize: false; returnAssistantTokensMask?: false }): string;
  applyChatTemplate(messages: ChatMessage[], options: ApplyChatTemplateOptions & { tokenize?: true; returnAssistantTokensMask: true }): ChatTemplateEncoding;
  applyChatTemplate(messages: ChatMessage[], options?: ApplyChatTemplateOptions & { tokenize?: true; returnAssistantTokensMask?: false }): number[];
  applyChatTemplate(messages: ChatMessage[], options?: ApplyChatTemplateOptions): string | number[] | ChatTemplateEncoding;
  applyChatTemplate(messages: ChatMessage[], options: ApplyChatTemplateOptions = {}): string | number[] | ChatTemplateEncoding {
    const withMask = options.returnAssistantTokensMask === true;
    if (withMask && options.tokenize === false) {
      throw new InvalidArgumentError(
        "returnAssistantTokensMask",
        true,
        "returnAssistantTokensMask needs tokenize (the mask is per token); leave tokenize unset.",
      );
    }
    if (withMask && options.continueFinalMessage) {
      throw new InvalidArgumentError("continueFinalMessage", true, "continueFinalMessage is not compatible with returnAssistantTokensMask (as in Python).");
    }
    const rendered = this.renderChatConversation(messages, options);
    if (options.tokenize === false) return rendered.text;
    const ids = this.encode(rendered.text, { addSpecialTokens: false });
    if (!withMask) return ids;
    const assistantMasks = new Array<number>(ids.length).fill(0);
    if (rendered.generation.length > 0) {
      const spans = this.tokenSpans(rendered.text, { addSpecialTokens: false });
      // Python's char_to_token: the first token whose offsets hold the character.
      const charToToken = (c: number) => {
        const j = spans.findIndex((sp) => sp.start <= c && c < sp.end);
        return j < 0 ? null : j;
      };
      for (const [startChar, endChar] of rendered.generation) {
        const start = charToToken(startChar);
        const end = charToToken(endChar - 1);
        if (start === null) break;
        for (let j = start; j < (end ? end + 1 : ids.length); j++) assistantMasks[j] = 1;
      }
    }
    return { inputIds: ids, assistantMasks };
  }
}
