import type { AsyncBuffer } from "hyparquet";

/**
 * Where a reader's bytes come from when they are not the local file it is given (which then only
 * names the data in messages): a Hub file read in place over HTTP, in streaming mode.
 */
export interface ByteSource {
  /** The bytes from the first on, as they arrive (still gzipped for a `.gz` file). */
  stream(): AsyncIterable<Uint8Array>;
  /** Random access, for Parquet: hyparquet reads the footer, then only the column chunks it needs. */
  asyncBuffer(): AsyncBuffer;
}

/** Options every reader takes. */
export interface ReadOptions {
  /** Rows per yielded batch. Default 1000. */
  batchSize?: number;
  /** Read the bytes from here instead of the local file (streaming a Hub file). Default: the file. */
  source?: ByteSource;
}

/** What a reader's generator returns when done: the counts, so nothing is dropped unseen. */
export interface ReadSummary {
  /** The file read. */
  file: string;
  /** Rows yielded. */
  rows: number;
  /** Column names when the format declares them (CSV header, Parquet schema), even with 0 rows. */
  columns?: string[];
  /** Blank lines skipped (JSON Lines, CSV). */
  blankLines?: number;
}

const DEFAULT_BATCH_SIZE = 1000;
/** The most one Parquet row group of the columns read may take in memory (see checkParquetRowGroupSize). */
export const DEFAULT_MAX_ROW_GROUP_BYTES = 256 * 1024 * 1024;
/** The longest line / record / JSON document read: bounded so a file without newlines cannot exhaust memory. */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

export function batchSizeOf(opts: ReadOptions): number {
  const n = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${n}`);
  return n;
}
