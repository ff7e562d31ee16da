// The preparation pipeline as one call: read → prepare → split → write → stats.json, for any number of rows.

export { checkSplitIndices } from "./check-split-indices.js";
export type { PipelineProgress } from "./pipeline-progress.js";
export { type PreparePipelineParams, type PreparePipelineResult, preparePipeline } from "./prepare-pipeline.js";
export type { PrepareStats, SplitStats } from "./prepare-stats.js";
export { type RunPrepareOptions, type RunPrepareResult, runPrepare } from "./run-prepare.js";
