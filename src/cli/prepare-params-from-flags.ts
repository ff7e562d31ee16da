import { InvalidArgumentError as UsageError } from "commander";
import type { PreparePipelineParams } from "../pipeline/index.js";
import type { ColumnOverride } from "../prep/index.js";

/** `prepare`'s flags as commander parses them. */
export interface PrepareFlags {
  dataset: string;
  split: string;
  revision?: string;
  tokenizer: string;
  tokenizerRevision?: string;
  template?: string;
  chatTemplate?: string;
  promptColumn?: string;
  completionColumn?: string;
  textColumn?: string;
  messagesColumn?: string;
  maxLength: number;
  truncationSide: "left" | "right";
  labels: "copy" | "mask-prompt";
  pack?: boolean;
  testSize: number;
  seed: number;
  out: string;
  format: "parquet" | "jsonl";
  offline?: boolean;
  /** --max-row-group-mb: MiB. */
  maxRowGroupMb: number;
  /** --workers: a number of threads, or "auto". */
  workers: number | "auto";
  quiet?: boolean;
  progress: boolean;
}

function columnsOf(flags: PrepareFlags): ColumnOverride | undefined {
  const { promptColumn, completionColumn, textColumn, messagesColumn } = flags;
  const given = [promptColumn !== undefined || completionColumn !== undefined, textColumn !== undefined, messagesColumn !== undefined].filter(Boolean).length;
  if (given > 1) throw new UsageError("use either --prompt-column/--completion-column, --text-column or --messages-column, not several.");
  if (promptColumn !== undefined || completionColumn !== undefined) {
    if (promptColumn === undefined || completionColumn === undefined) throw new UsageError("--prompt-column and --completion-column go together.");
    return { prompt: promptColumn, completion: completionColumn };
  }
  if (textColumn !== undefined) return { text: textColumn };
  if (messagesColumn !== undefined) return { messages: messagesColumn };
  return undefined;
}

/**
 * The pipeline's params for `prepare`'s flags, with where its messages go. Throws commander's
 * InvalidArgumentError (a usage error, exit 2) for column flags that do not go together.
 */
export function prepareParamsFromFlags(flags: PrepareFlags, messages: Pick<PreparePipelineParams, "onLog" | "onWarning">): PreparePipelineParams {
  const columns = columnsOf(flags);
  const quiet = flags.quiet ?? false;
  return {
    dataset: flags.dataset,
    split: flags.split,
    tokenizer: flags.tokenizer,
    maxLength: flags.maxLength,
    truncationSide: flags.truncationSide,
    labels: flags.labels,
    pack: flags.pack ?? false,
    testSize: flags.testSize,
    seed: flags.seed,
    out: flags.out,
    format: flags.format,
    offline: flags.offline ?? false,
    maxRowGroupBytes: flags.maxRowGroupMb * 1024 * 1024,
    progress: flags.progress && !quiet,
    ...messages,
    ...(flags.revision !== undefined ? { revision: flags.revision } : {}),
    ...(flags.tokenizerRevision !== undefined ? { tokenizerRevision: flags.tokenizerRevision } : {}),
    ...(flags.template !== undefined ? { template: flags.template } : {}),
    ...(flags.chatTemplate !== undefined ? { chatTemplate: flags.chatTemplate } : {}),
    ...(columns !== undefined ? { columns } : {}),
    ...(flags.workers !== "auto" ? { workers: flags.workers } : {}),
  };
}
