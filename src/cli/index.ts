// The command line: `finetune-prep prepare` (argument parsing, printing, exit codes) over the pipeline stage.

// Moved to src/pipeline; re-exported here for code that imports them from the CLI stage.
export { checkSplitIndices, type PrepareStats, type RunPrepareOptions, type RunPrepareResult, runPrepare, type SplitStats } from "../pipeline/index.js";
export type { CliIo } from "./cli-io.js";
export { createProgram } from "./create-program.js";
export { formatSummary } from "./format-summary.js";
export { readTemplateArgument } from "./read-template-argument.js";
export { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, runCli } from "./run-cli.js";
