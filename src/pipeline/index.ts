// The preparation pipeline as one call: read → prepare → split → write → stats.json, for any number of rows.
export { preparePipeline, type PreparePipelineParams, type PreparePipelineResult } from "./prepare-pipeline.js";
export type { PipelineProgress } from "./pipeline-progress.js";
export type { PrepareStats, SplitStats } from "./prepare-stats.js";
export { checkSplitIndices } from "./check-split-indices.js";
export { runPrepare, type RunPrepareOptions, type RunPrepareResult } from "./run-prepare.js";
