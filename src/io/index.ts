// Writers: one file per split (Parquet or JSON Lines), atomically, and stats.json beside them.
export { AtomicFile } from "./atomic-file.js";
export { type CreateSplitWriterOptions, createSplitWriter, splitFileName } from "./create-split-writer.js";
export { JsonlSplitWriter } from "./jsonl-split-writer.js";
export { libraryVersion } from "./library-version.js";
export { type OutputColumnType, outputColumnType } from "./output-column-type.js";
export { OutputFileError } from "./output-file-error.js";
export { ParquetSplitWriter, type ParquetSplitWriterOptions, type RowGroupEncoderFn } from "./parquet-split-writer.js";
export { type SpilledRows, SpillFile, type SpillLayout } from "./spill-file.js";
export type { SplitBatch } from "./split-batch.js";
export type { OutputFormat, SplitWriter, WrittenSplit } from "./split-writer.js";
export { type WriteSplitsOptions, writeSplits } from "./write-splits.js";
export { writeStatsJson } from "./write-stats-json.js";
