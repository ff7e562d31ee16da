import { type PreparePipelineParams, type PreparePipelineResult, preparePipeline } from "./prepare-pipeline.js";

/** {@link PreparePipelineParams} under the names of the earlier API. */
export interface RunPrepareOptions extends Omit<PreparePipelineParams, "onLog" | "onWarning" | "tokenizer"> {
  tokenizer: string;
  /** Where progress messages go (one line each). Default: nowhere. */
  log?: (message: string) => void;
  /** Where warnings go. Default: `log`. */
  warn?: (message: string) => void;
}

export type RunPrepareResult = PreparePipelineResult;

/**
 * @deprecated Use {@link preparePipeline} (the same pipeline; `log` and `warn` are `onLog` and
 * `onWarning` there). Kept so that code written against the first API keeps working.
 */
export function runPrepare(options: RunPrepareOptions): Promise<RunPrepareResult> {
  const { log, warn, ...rest } = options;
  return preparePipeline({ ...rest, ...(log ? { onLog: log } : {}), onWarning: warn ?? log ?? (() => {}) });
}
