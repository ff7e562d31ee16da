// Instruction-data preparation: templates, tokenization into input_ids/attention_mask/labels, packing.
export { DEFAULT_TEMPLATE } from "./default-template.js";
export { parseTemplate, type ParsedTemplate, type TemplatePart } from "./parse-template.js";
export { formatPrompt, type FormatPromptOptions } from "./format-prompt.js";
export { detectColumns, COLUMN_PAIRS, type ColumnSelection, type ColumnOverride } from "./detect-columns.js";
export { renderChat, type RenderChatOptions, type RenderedChat } from "./render-chat.js";
export { countPromptTokens, type PromptTokenCount } from "./count-prompt-tokens.js";
export { planPreparation, IGNORE_INDEX, type LabelsMode, type PrepareOptions, type PreparePlan } from "./plan-preparation.js";
export { prepareBatch, type PrepareBatchOptions, type PreparedBatch } from "./prepare-batch.js";
export { emptyPrepareReport, addPrepareReport, prepareWarnings, type PrepareReport } from "./prepare-report.js";
export {
  prepareInstructionDataset,
  type PrepareInstructionDatasetParams,
  type PrepareInstructionReport,
  type PreparedDataset,
} from "./prepare-instruction-dataset.js";
export { Packer, type PackerParams, type PackedBlocks, type PackReport } from "./packer.js";
export { packDataset, type PackDatasetParams } from "./pack-dataset.js";
