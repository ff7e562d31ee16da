/** Options every reader takes. */
export interface ReadOptions {
  /** Rows per yielded batch. Default 1000. */
  batchSize?: number;
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

export const DEFAULT_BATCH_SIZE = 1000;
/** The most one Parquet row group of the columns read may take in memory (see checkParquetRowGroupSize). */
export const DEFAULT_MAX_ROW_GROUP_BYTES = 256 * 1024 * 1024;
/** The longest line / record / JSON document read: bounded so a file without newlines cannot exhaust memory. */
export const DEFAULT_MAX_RECORD_BYTES = 256 * 1024 * 1024;

export function batchSizeOf(opts: ReadOptions): number {
  const n = opts.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`batchSize must be a whole number ≥ 1, got ${n}`);
  return n;
}
