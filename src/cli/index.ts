// The command line: `finetune-prep prepare` (argument parsing, printing, exit codes) over the pipeline stage.
export { readTemplateArgument } from "./read-template-argument.js";
export { runCli, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from "./run-cli.js";
export { createProgram } from "./create-program.js";
export { formatSummary } from "./format-summary.js";
export type { CliIo } from "./cli-io.js";
// Moved to src/pipeline; re-exported here for code that imports them from the CLI stage.
export { runPrepare, checkSplitIndices, type RunPrepareOptions, type RunPrepareResult, type PrepareStats, type SplitStats } from "../pipeline/index.js";
