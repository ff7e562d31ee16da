export { loadTokenizer, type LoadTokenizerParams } from "./load-tokenizer.js";
export { Tokenizer } from "./tokenizer.js";
export type {
  TokenizerInit,
  EncodeOptions,
  EncodeBatchAsyncOptions,
  DecodeOptions,
  BatchEncodeOptions,
  TokenSpansOptions,
  ChatMessage,
  ApplyChatTemplateOptions,
  ChatTemplateEncoding,
} from "./tokenizer-types.js";
export type { ChatTemplates } from "./apply-chat-template.js";
export {
  renderJinjaTemplate,
  type RenderJinjaTemplateOptions,
  type RenderedTemplate,
} from "./chat-template/render-jinja-template.js";
export { resolveTokenizerFiles, type TokenizerFilePaths } from "./resolve-tokenizer-files.js";
export type { BatchEncoding, TokenizerSide } from "./batch-prepare-for-model.js";
export type { TokenSpan } from "./compute-token-spans.js";
export type { PaddingOption, TruncationOption } from "./resolve-padding-truncation.js";
export { UnsupportedTokenizerError } from "./unsupported-tokenizer-error.js";
export type { FastPathMode } from "./fast/create-fast-encoder.js";
export { EncoderWorkerError } from "./fast/encoder-worker-error.js";
