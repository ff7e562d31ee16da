export type { ChatTemplates } from "./apply-chat-template.js";
export type { BatchEncoding, TokenizerSide } from "./batch-prepare-for-model.js";
export {
  type RenderedTemplate,
  type RenderJinjaTemplateOptions,
  renderJinjaTemplate,
} from "./chat-template/render-jinja-template.js";
export type { TokenSpan } from "./compute-token-spans.js";
export type { FastPathMode } from "./fast/create-fast-encoder.js";
export { EncoderWorkerError } from "./fast/encoder-worker-error.js";
export { type LoadTokenizerParams, loadTokenizer } from "./load-tokenizer.js";
export type { PaddingOption, TruncationOption } from "./resolve-padding-truncation.js";
export { resolveTokenizerFiles, type TokenizerFilePaths } from "./resolve-tokenizer-files.js";
export { Tokenizer } from "./tokenizer.js";
export type {
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
export { UnsupportedTokenizerError } from "./unsupported-tokenizer-error.js";
