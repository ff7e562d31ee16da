// Instruction-data preparation: templates, tokenization into input_ids/attention_mask/labels, packing.

export { countPromptTokens, type PromptTokenCount } from "./count-prompt-tokens.js";
export { DEFAULT_TEMPLATE } from "./default-template.js";
export { COLUMN_PAIRS, type ColumnOverride, type ColumnSelection, detectColumns } from "./detect-columns.js";
export { type FormatPromptOptions, formatPrompt } from "./format-prompt.js";
export { type PackDatasetParams, packDataset } from "./pack-dataset.js";
export { type PackedBlocks, Packer, type PackerParams, type PackReport } from "./packer.js";
export { type ParsedTemplate, parseTemplate, type TemplatePart } from "./parse-template.js";
export { IGNORE_INDEX, type LabelsMode, type PrepareOptions, type PreparePlan, planPreparation } from "./plan-preparation.js";
export { type PrepareBatchOptions, type PreparedBatch, prepareBatch } from "./prepare-batch.js";
export {
  type PreparedDataset,
  type PrepareInstructionDatasetParams,
  type PrepareInstructionReport,
  prepareInstructionDataset,
} from "./prepare-instruction-dataset.js";
export { addPrepareReport, emptyPrepareReport, type PrepareReport, prepareWarnings } from "./prepare-report.js";
export { type RenderChatOptions, type RenderedChat, renderChat } from "./render-chat.js";
