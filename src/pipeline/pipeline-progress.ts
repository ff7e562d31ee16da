import { createProgress, type Progress } from "../util/progress.js";

/** Where {@link preparePipeline} is: one event per batch prepared and per row group written. */
export interface PipelineProgress {
  /** "prepare": input rows read and prepared (tokenized); "write": rows of `split` written. */
  stage: "prepare" | "write";
  /** The split being written (stage "write"). */
  split?: string;
  /** Rows done so far in this stage (this split, when writing). */
  done: number;
  /** Rows expected in this stage; 0 when unknown (e.g. a .json or .jsonl.gz input before it is read). */
  total: number;
}

export interface StageProgressParams {
  stage: PipelineProgress["stage"];
  split?: string;
  total: number;
  /** Label of the progress display, e.g. "Preparing". */
  label: string;
  unit: string;
  /** Show a progress display (a bar on a terminal, an updating output in a notebook). */
  display: boolean;
  /** Called with each update. */
  onProgress?: (event: PipelineProgress) => void;
}

/** A {@link Progress} that both drives the progress display and reports each update to `onProgress`. */
export function stageProgress(params: StageProgressParams): Progress {
  const shown = createProgress({ total: params.total, label: params.label, unit: params.unit, progress: params.display });
  const { onProgress, stage, split } = params;
  let done = 0;
  let total = params.total;
  const report = () => onProgress?.({ stage, ...(split !== undefined ? { split } : {}), done, total });
  return {
    update(n) {
      done = n;
      shown.update(n);
      report();
    },
    increment(n = 1) {
      done += n;
      shown.increment(n);
      report();
    },
    setTotal(t) {
      total = t;
      shown.setTotal(t);
    },
    stop() {
      shown.stop();
    },
  };
}
