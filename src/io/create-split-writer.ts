import { join } from "node:path";
import { InvalidArgumentError } from "../errors.js";
import { ensureOutputFolder } from "./ensure-output-folder.js";
import { JsonlSplitWriter } from "./jsonl-split-writer.js";
import { ParquetSplitWriter, type RowGroupEncoderFn } from "./parquet-split-writer.js";
import type { OutputFormat, SplitWriter } from "./split-writer.js";

export interface CreateSplitWriterOptions {
  /** "parquet" (default) or "jsonl". */
  format?: OutputFormat;
  /** Parquet rows per row group. Default 10,000. */
  rowGroupSize?: number;
  /** Parquet: encode row groups elsewhere (worker threads); the file is the same. Default: in this thread. */
  encoder?: RowGroupEncoderFn;
}

/** The file name of a split: `train.parquet`, `test.jsonl`. */
export function splitFileName(split: string, format: OutputFormat): string {
  return `${split}.${format}`;
}

/**
 * A writer for one split in `outDir` (created if missing), named after the split:
 * `outDir/train.parquet` (or `.jsonl`). Split names must be plain file names.
 */
export function createSplitWriter(outDir: string, split: string, options: CreateSplitWriterOptions = {}): SplitWriter {
  const format = options.format ?? "parquet";
  if (format !== "parquet" && format !== "jsonl")
    throw new InvalidArgumentError("format", format, `format must be "parquet" or "jsonl", got ${JSON.stringify(format)}.`);
  if (!/^[\w.-]+$/.test(split) || split.startsWith(".")) {
    throw new InvalidArgumentError(
      "split",
      split,
      `A split name becomes a file name, so it must be letters, digits, "_", "-" or "." (not leading): got ${JSON.stringify(split)}.`,
    );
  }
  ensureOutputFolder(outDir);
  const path = join(outDir, splitFileName(split, format));
  return format === "parquet"
    ? new ParquetSplitWriter(path, {
        ...(options.rowGroupSize === undefined ? {} : { rowGroupSize: options.rowGroupSize }),
        ...(options.encoder === undefined ? {} : { encoder: options.encoder }),
      })
    : new JsonlSplitWriter(path);
}
