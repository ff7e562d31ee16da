import { loadDataset, type Row } from "../dataset/index.js";
import type { HubParams } from "../hub/index.js";
import { readInputBatches } from "./read-input-batches.js";

export interface OpenInputParams extends HubParams {
  /** Hub dataset id, or a local file or folder (what loadDataset takes). */
  dataset: string;
  /** The split to read. */
  split: string;
  /** Stream the files batch by batch (JSON Lines, JSON, Parquet), or read the split whole (loadDataset). */
  streaming: boolean;
  /** Progress displays for downloads and whole reads. */
  progress: boolean;
  /** Parquet: the most one row group may take in memory, in bytes. Default 256 MiB. */
  maxRowGroupBytes?: number;
}

/** An input split, ready to be read batch by batch, however it is read. */
export interface InputRows {
  /** true: read file by file, batch by batch; false: read whole first (loadDataset). */
  streamed: boolean;
  /** Files read, for the log (1 when read whole). */
  files: number;
  /** Rows expected, for progress (0: unknown). */
  estimatedRows: number;
  /** The input's columns when known before the first row (read whole): see prepareToSpill's `columns`. */
  columns?: readonly string[];
  /** The rows, a batch at a time, in input order. */
  batches: () => AsyncIterable<Row[]>;
  /** Blank lines the readers skipped (JSON Lines, CSV), once the batches are read to their end. */
  skippedBlankLines: () => number;
}

/** Rows per batch when a split read whole is handed on: what the readers give when streaming. */
const BATCH = 1000;

/**
 * Opens the input split of {@link preparePipeline}: streamed (readInputBatches) when `streaming` and
 * the format allows, else read whole with loadDataset (CSV always is: its column types are inferred
 * from whole columns, as pandas does) and handed on in batches. Either way the rows flow through the
 * same steps after this one.
 */
export async function openInput(params: OpenInputParams): Promise<InputRows> {
  const { dataset, split, streaming, progress, ...hub } = params;
  if (streaming) {
    const input = await readInputBatches({ dataset, split, ...hub, progress });
    if (input !== undefined) {
      return {
        streamed: true,
        files: input.files.length,
        estimatedRows: input.estimatedRows,
        batches: input.batches,
        skippedBlankLines: () => input.summaries.reduce((sum, s) => sum + (s.blankLines ?? 0), 0),
      };
    }
  }
  let skipped = 0;
  const ds = await loadDataset(dataset, {
    split,
    ...hub,
    progress,
    onFileRead: (summary) => {
      skipped += summary.blankLines ?? 0;
    },
  });
  async function* batches(): AsyncGenerator<Row[], void, undefined> {
    let batch: Row[] = [];
    for (const row of ds) {
      batch.push(row);
      if (batch.length === BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
  return { streamed: false, files: 1, estimatedRows: ds.numRows, columns: ds.columnNames, batches, skippedBlankLines: () => skipped };
}
