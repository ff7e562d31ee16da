import { open } from "node:fs/promises";
import { type DataFormat, type ReadSummary, type Row, readDataFile, readParquetMetadata, resolveDataFiles } from "../dataset/index.js";
import { SplitNotFoundError } from "../errors.js";
import { type HubParams, hfHubDownload } from "../hub/index.js";

export interface ReadInputBatchesParams extends HubParams {
  /** Hub dataset id, or a local file or folder (what loadDataset takes). */
  dataset: string;
  /** The split to read. */
  split: string;
  /** Parquet: the most one row group may take in memory, in bytes. Default 256 MiB. */
  maxRowGroupBytes?: number;
}

/** A split's rows, to be read batch by batch. */
export interface InputBatches {
  /** The local files, in reading order (Hub files downloaded to the cache). */
  files: string[];
  format: DataFormat;
  /** Rows expected, for a progress bar: exact for Parquet (from the footers), lines for JSON Lines, 0 when unknown. */
  estimatedRows: number;
  /** The rows, a batch at a time, file after file, in the order loadDataset reads them. */
  batches: () => AsyncGenerator<Row[], void, undefined>;
  /** Each file's summary (rows, blank lines skipped), added as `batches()` reads the file to its end. */
  summaries: ReadSummary[];
}

/** Newlines in a file: the rows of JSON Lines, near enough for a progress bar. */
async function countLines(file: string): Promise<number> {
  // Large reads into one buffer: a read stream's 64 KiB-1 MiB chunks made this pass cost a sixth of
  // reading and parsing the file (240 ms against 40 ms for 43 MB).
  const handle = await open(file, "r");
  try {
    const buffer = Buffer.allocUnsafe(4 << 20);
    let lines = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null);
      if (bytesRead === 0) return lines;
      const chunk = bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    }
  } finally {
    await handle.close();
  }
}

async function parquetRows(file: string): Promise<number> {
  // The readers' footer check: a damaged file is a CorruptFileError naming it (hyparquet alone throws untyped errors, or loops).
  const { metadata } = await readParquetMetadata(file);
  return Number(metadata.num_rows);
}

/**
 * The files of a dataset split, resolved with loadDataset's rules, read as a stream of row batches
 * instead of into memory — or undefined for CSV, whose column types are inferred from whole
 * columns (as pandas does) and so are read whole (loadDataset).
 */
export async function readInputBatches(params: ReadInputBatchesParams): Promise<InputBatches | undefined> {
  const { dataset, split, maxRowGroupBytes, ...hub } = params;
  const resolved = await resolveDataFiles(dataset, hub);
  const found = resolved.splits.get(split);
  if (found === undefined) throw new SplitNotFoundError(split, [...resolved.splits.keys()]);
  if (found.format === "csv") return undefined;
  const files: string[] = [];
  for (const file of found.files)
    files.push(resolved.source === "hub" ? await hfHubDownload({ ...hub, repoId: resolved.base, repoType: "dataset", path: file }) : file);
  const { format } = found;
  let estimatedRows = 0;
  for (const file of files) {
    if (format === "parquet") estimatedRows += await parquetRows(file);
    // JSON Lines: its newlines (not for .jsonl.gz, which counting would decompress once more).
    else if (/\.jsonl$/i.test(file)) estimatedRows += await countLines(file);
  }
  const field = resolved.readerOptions.field;
  const summaries: ReadSummary[] = [];
  async function* batches(): AsyncGenerator<Row[], void, undefined> {
    for (const file of files)
      summaries.push(
        yield* readDataFile(file, { format, ...(field === undefined ? {} : { field }), ...(maxRowGroupBytes === undefined ? {} : { maxRowGroupBytes }) }),
      );
  }
  return { files, format, estimatedRows, batches, summaries };
}
