// The command line: `finetune-prep prepare`, and the pipeline it runs, callable from code.
export { runPrepare, readTemplateArgument, type RunPrepareOptions, type RunPrepareResult, type PrepareStats, type SplitStats } from "./run-prepare.js";
export { checkSplitIndices } from "./check-split-indices.js";
export { runCli, EXIT_OK, EXIT_FAILURE, EXIT_USAGE } from "./run-cli.js";
export { createProgram } from "./create-program.js";
export { formatSummary } from "./format-summary.js";
export type { CliIo } from "./cli-io.js";
