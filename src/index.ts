// The public API, stage by stage in the order data flows through it.

export * from "./cli/index.js";
export * from "./dataset/index.js";
export * from "./errors.js";
export * from "./hub/index.js";
export * from "./io/index.js";
export * from "./pipeline/index.js";
export * from "./prep/index.js";
export * from "./stats/index.js";
export * from "./tokenizer/index.js";
export { createProgress, type Progress, type ProgressParams } from "./util/progress.js";
export * from "./viz/index.js";
