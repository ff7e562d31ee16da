// Writers: one file per split (Parquet or JSON Lines), atomically, and stats.json beside them.
export { AtomicFile } from "./atomic-file.js";
export { OutputFileError } from "./output-file-error.js";
export type { OutputFormat, SplitWriter, WrittenSplit } from "./split-writer.js";
export type { SplitBatch } from "./split-batch.js";
export { outputColumnType, type OutputColumnType } from "./output-column-type.js";
export { ParquetSplitWriter, type ParquetSplitWriterOptions } from "./parquet-split-writer.js";
export { JsonlSplitWriter } from "./jsonl-split-writer.js";
export { createSplitWriter, splitFileName, type CreateSplitWriterOptions } from "./create-split-writer.js";
export { writeSplits, type WriteSplitsOptions } from "./write-splits.js";
export { writeStatsJson } from "./write-stats-json.js";
export { libraryVersion } from "./library-version.js";
export { SpillFile, type SpillLayout, type SpilledRows } from "./spill-file.js";
