import type { SplitBatch } from "./split-batch.js";

/** The file formats splits are written in. */
export type OutputFormat = "parquet" | "jsonl";

/** A split written to its file. */
export interface WrittenSplit {
  path: string;
  rows: number;
  bytes: number;
  format: OutputFormat;
}

/**
 * Writes one split, batch by batch, atomically: nothing is visible at `path` until {@link close}
 * resolves; {@link abort} (or an error) leaves the previous file, or none.
 */
export interface SplitWriter {
  /** The file the split ends up in. */
  readonly path: string;
  readonly format: OutputFormat;
  /** Rows accepted so far. */
  readonly rows: number;
  /** Adds a batch of rows. */
  write(batch: SplitBatch): Promise<void>;
  /** Finishes the file and puts it in place. */
  close(): Promise<WrittenSplit>;
  /** Drops the file being written. */
  abort(): void;
}
