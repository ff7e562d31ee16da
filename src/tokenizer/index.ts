export { loadTokenizer, type LoadTokenizerParams } from "./load-tokenizer.js";
export {
  Tokenizer,
  type TokenizerInit,
  type EncodeOptions,
  type EncodeBatchAsyncOptions,
  type DecodeOptions,
  type BatchEncodeOptions,
  type TokenSpansOptions,
  type ChatMessage,
  type ApplyChatTemplateOptions,
  type ChatTemplateEncoding,
} from "./tokenizer.js";
export { type ChatTemplates } from "./apply-chat-template.js";
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
