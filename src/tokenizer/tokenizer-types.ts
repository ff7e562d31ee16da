import type { TokenizerSide } from "./batch-prepare-for-model.js";
import type { PaddingOption, TruncationOption } from "./resolve-padding-truncation.js";

// The options and results of the Tokenizer's methods, and what a Tokenizer is built from.

/** The parsed files a tokenizer is built from (what {@link loadTokenizer} reads). */
export interface TokenizerInit {
  /** tokenizer.json, parsed. */
  tokenizerJson: Record<string, unknown>;
  /**
   * tokenizer.json's bytes, as read from the file: when given, the tokenizer is built from them
   * instead of `tokenizerJson` (a BPE model's tables read straight from the bytes). What a
   * tokenizer sends its worker threads: a copy of the bytes is cheaper than a clone of the parsed vocabulary.
   */
  tokenizerJsonBytes?: Uint8Array | undefined;
  /** tokenizer_config.json, parsed. Default {}. */
  tokenizerConfig?: Record<string, unknown> | undefined;
  /** special_tokens_map.json, parsed, when there is one. */
  specialTokensMap?: Record<string, unknown> | undefined;
  /** The text of chat_template.jinja, when there is one (it wins over tokenizer_config's chat_template, as in Python). */
  chatTemplate?: string | undefined;
  /** The Hub id or folder the files came from: `tok.nameOrPath`. */
  nameOrPath: string;
  /** Where each file was read from, named in error messages. */
  files?: { tokenizerJson?: string | undefined; tokenizerConfig?: string | undefined; specialTokensMap?: string | undefined } | undefined;
  /** Pad token to use instead of the files' (Python's `from_pretrained(..., pad_token=)`); null for none. */
  padToken?: string | null | undefined;
  /** Default side to pad on, instead of the config's (Python's `padding_side=`). */
  paddingSide?: TokenizerSide | undefined;
  /** Default side to truncate from, instead of the config's (Python's `truncation_side=`). */
  truncationSide?: TokenizerSide | undefined;
}

export interface EncodeOptions {
  /** Add the special tokens the tokenizer's post-processor puts around a text (Python's default, true). Pythia adds none. */
  addSpecialTokens?: boolean;
}

export interface EncodeBatchAsyncOptions extends EncodeOptions {
  /**
   * Worker threads to encode with (each holds its own copy of the tokenizer, ~100 MB). Default
   * `os.availableParallelism()`; 0 encodes in this thread. Workers are used for batches of about a
   * million characters or more (smaller ones are faster here), and only from the built package
   * (dist/), where their script is; otherwise the batch is encoded in this thread.
   */
  workers?: number;
}

export interface DecodeOptions {
  /** Leave out tokens flagged special in tokenizer.json (for Pythia: "<|endoftext|>", "<|padding|>" and the other special added tokens). Default false. */
  skipSpecialTokens?: boolean;
  /** Python's `clean_up_tokenization_spaces` (" ," → "," ...). Default: tokenizer_config.json's value, else false (Python's current default). */
  cleanUpTokenizationSpaces?: boolean;
}

export interface BatchEncodeOptions extends EncodeOptions {
  /** false/"do_not_pad" (default): no padding; true/"longest": pad to the longest row; "max_length": pad to maxLength. */
  padding?: PaddingOption;
  /** true/"longest_first"/"only_first": cut rows longer than maxLength; false/"do_not_truncate": never cut. Not given + maxLength + no padding: cut (Python's rule). */
  truncation?: TruncationOption;
  /** Length to truncate to / pad to with "max_length". Default model_max_length (none for Pythia). */
  maxLength?: number;
  /** Which end to cut. Default `tok.truncationSide`. */
  truncationSide?: TokenizerSide;
  /** Which end to pad. Default `tok.paddingSide`. */
  paddingSide?: TokenizerSide;
  /** Round the padded length up to a multiple of this. */
  padToMultipleOf?: number;
}

export interface TokenSpansOptions extends EncodeOptions {
  /**
   * Trim spaces off each span as the tokenizers library's ByteLevel post-processor does with
   * `trim_offsets` ("Ġhow" → "how"; whitespace-only tokens get an empty span). Default false:
   * each span is the token's whole source, which is what Python's `return_offsets_mapping` gives
   * for Pythia today (transformers replaces that post-processor with a template that does not trim).
   */
  trimOffsets?: boolean;
}

/** A chat message for {@link Tokenizer.applyChatTemplate}. */
export interface ChatMessage {
  role: string;
  content: string | Record<string, unknown>[];
  [key: string]: unknown;
}

export interface ApplyChatTemplateOptions {
  /** End with the tokens that open an assistant turn (if the template supports it). Default false. */
  addGenerationPrompt?: boolean;
  /**
   * End with the final message left open (no end-of-turn after it), for the model to continue
   * it: Python's `continue_final_message`. Not with addGenerationPrompt. Default false.
   */
  continueFinalMessage?: boolean;
  /** Return token ids (default, as Python) or, with false, the rendered text. */
  tokenize?: boolean;
  /** A Jinja template (or the name of one of the tokenizer's templates) to use instead of `tok.chatTemplate`. */
  chatTemplate?: string;
  /** Tool schemas (JSON objects, `{ type: "function", function: { name, description, parameters } }`), Python's `tools`. With tools, a template named "tool_use" is chosen when there is one. */
  tools?: readonly Record<string, unknown>[];
  /** Documents for retrieval-augmented templates (`{ title, text }` objects), Python's `documents`. */
  documents?: readonly Record<string, unknown>[];
  /** Further template variables, Python's `**kwargs` (e.g. `{ enable_thinking: false }` for Qwen 3). */
  chatTemplateKwargs?: Record<string, unknown>;
  /**
   * Also return which tokens `{% generation %}` blocks produced (Python's
   * `return_assistant_tokens_mask=True, return_dict=True`): the result is then
   * `{ inputIds, assistantMasks }`, with 1 for each token of an assistant turn. All 0 when the
   * template has no such block (Python warns then).
   */
  returnAssistantTokensMask?: boolean;
}

/** What {@link Tokenizer.applyChatTemplate} returns with `returnAssistantTokensMask`. */
export interface ChatTemplateEncoding {
  inputIds: number[];
  /** 1 where the token comes from a `{% generation %}` block (an assistant turn), else 0. */
  assistantMasks: number[];
}
