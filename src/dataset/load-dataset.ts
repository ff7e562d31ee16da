import { MissingColumnError, SplitNotFoundError } from "../errors.js";
import { hfHubDownload } from "../hub/hf-hub-download.js";
import type { HubParams } from "../hub/hub-params.js";
import { createProgress } from "../util/progress.js";
import { Dataset, type Row } from "./dataset.js";
import { DatasetDict } from "./dataset-dict.js";
import type { IterableDataset, IterableDatasetDict } from "./iterable-dataset.js";
import { loadStreamingDataset } from "./load-streaming-dataset.js";
import { castCsvColumn } from "./readers/cast-csv-column.js";
import type { DataFormat } from "./readers/data-format.js";
import { readDataFile } from "./readers/read-data-file.js";
import type { ReadSummary } from "./readers/read-options.js";
import { type ResolveDataFilesParams, resolveDataFiles } from "./resolve-data-files.js";

export interface LoadDatasetOptions extends ResolveDataFilesParams {
  /** Load only this split and return it as a Dataset (Python's `split`). An unknown split is a SplitNotFoundError listing the splits. */
  split?: string;
  /**
   * Python's `streaming=True`: download nothing; return IterableDatasets that read the rows as they
   * are iterated (Hub files in place over HTTP range requests, nothing written to the cache). See docs/streaming.md.
   */
  streaming?: boolean;
  /** Keep only these columns, in this order (Python's `columns`); Parquet files are read for these columns only. */
  columns?: readonly string[];
  /** JSON: the key of the top-level object that holds the rows (datasets' `field`). Default: the README config's, if any. */
  field?: string;
  /** CSV: the field separator. Default: the README config's `sep`, else "," ("\t" for .tsv). */
  sep?: string;
  /** Parquet: the most one row group may take in memory, in bytes (row groups are read whole). Default 256 MiB. */
  maxRowGroupBytes?: number;
  /** Called with each data file's summary once it is read: its rows and the blank lines skipped (JSON Lines, CSV). */
  onFileRead?: (summary: ReadSummary) => void;
}

function pickColumns(columns: Map<string, unknown[]>, wanted: readonly string[] | undefined, where: string): Map<string, unknown[]> {
  if (wanted === undefined) return columns;
  const available = [...columns.keys()];
  const missing = wanted.filter((c) => !columns.has(c));
  if (missing.length > 0) {
    throw new MissingColumnError(
      `${where}: no column${missing.length > 1 ? "s" : ""} ${missing.map((c) => `"${c}"`).join(", ")}; the columns are ${JSON.stringify(available)}.`,
      {
        column: missing[0]!,
        columns: available,
      },
    );
  }
  return new Map(wanted.map((c) => [c, columns.get(c)!]));
}

/** Appends a row to `columns`, which hold `n` rows: null where the row lacks a column; a column first seen here gets `n` nulls before its value. */
function appendRow(columns: Map<string, unknown[]>, row: Row, n: number): void {
  let seen = 0;
  for (const [name, values] of columns) {
    if (Object.hasOwn(row, name)) {
      const v = row[name];
      values.push(v === undefined ? null : v);
      seen++;
    } else values.push(null);
  }
  if (seen === Object.keys(row).length) return;
  for (const name of Object.keys(row)) {
    if (columns.has(name)) continue;
    const values = new Array<unknown>(n).fill(null);
    values.push(row[name] === undefined ? null : row[name]);
    columns.set(name, values);
  }
}

/** Reads a split's files into columns: union of the files' columns in order of appearance, null where a row lacks one. */
async function readSplit(split: string, files: readonly string[], format: DataFormat, options: LoadDatasetOptions): Promise<Dataset> {
  const columns = new Map<string, unknown[]>();
  let n = 0;
  const ensure = (name: string) => {
    if (!columns.has(name)) columns.set(name, new Array<unknown>(n).fill(null));
  };
  const progress = createProgress({ total: files.length, label: `Generating ${split} split`, unit: "files", progress: options.progress });
  try {
    for (const file of files) {
      const reader = readDataFile(file, {
        format,
        ...(options.field === undefined ? {} : { field: options.field }),
        ...(options.sep === undefined ? {} : { sep: options.sep }),
        ...(options.columns === undefined || format !== "parquet" ? {} : { columns: options.columns }),
        ...(options.maxRowGroupBytes === undefined ? {} : { maxRowGroupBytes: options.maxRowGroupBytes }),
      });
      let next = await reader.next();
      while (!next.done) {
        for (const row of next.value) appendRow(columns, row, n++);
        next = await reader.next();
      }
      // Formats with a schema or header declare their columns even when they hold no rows.
      for (const name of next.value.columns ?? []) ensure(name);
      options.onFileRead?.(next.value);
      progress.increment(1);
    }
  } finally {
    progress.stop();
  }
  const picked = pickColumns(columns, options.columns, `split "${split}"`);
  if (format === "csv") for (const [name, values] of picked) picked.set(name, castCsvColumn(values as (string | null)[]));
  return Dataset.fromDict(picked);
}

/**
 * Python's `datasets.load_dataset`: finds a dataset's data files, reads them and returns a
 * DatasetDict of its splits (or, with `split`, that one Dataset).
 *
 * `path` is a Hub dataset id ("kotzeje/lamini_docs.jsonl"; files come through the shared Hugging Face
 * cache in Python's layout, offline too), a local folder or file ("./qa.jsonl"), or a format
 * ("json", "csv", "parquet") with `dataFiles`. Which files form which split follows datasets:
 * `dataFiles`, else the README's `configs`, else its file-name conventions (see {@link resolveDataFiles}).
 *
 * Within a split, rows come file by file in datasets' order; columns are the union of the files'
 * columns, null where a file lacks one. CSV columns are typed as pandas types them ({@link castCsvColumn}).
 *
 * With `streaming: true`, nothing is downloaded: each split is an {@link IterableDataset} whose rows
 * are read as they are iterated (see {@link loadStreamingDataset} and docs/streaming.md).
 */
export function loadDataset(path: string, options: LoadDatasetOptions & { streaming: true; split: string }): Promise<IterableDataset>;
export function loadDataset(path: string, options: LoadDatasetOptions & { streaming: true }): Promise<IterableDatasetDict>;
export function loadDataset(path: string, options: LoadDatasetOptions & { split: string }): Promise<Dataset>;
export function loadDataset(path: string, options?: LoadDatasetOptions): Promise<DatasetDict>;
export async function loadDataset(path: string, options: LoadDatasetOptions = {}): Promise<Dataset | DatasetDict | IterableDataset | IterableDatasetDict> {
  if (options.streaming) return loadStreamingDataset(path, options);
  const resolved = await resolveDataFiles(path, options);
  const names = [...resolved.splits.keys()];
  if (options.split !== undefined && !resolved.splits.has(options.split)) throw new SplitNotFoundError(options.split, names);
  const field = options.field ?? resolved.readerOptions.field;
  const sep = options.sep ?? resolved.readerOptions.sep;
  const readOptions = { ...options, ...(field === undefined ? {} : { field }), ...(sep === undefined ? {} : { sep }) };
  // Every HubParams field (revision, cacheDir, offline, endpoint, token, retries…) reaches the hub code as given.
  const hub: HubParams = options;
  const out: [string, Dataset][] = [];
  for (const split of options.split !== undefined ? [options.split] : names) {
    const { format, files } = resolved.splits.get(split)!;
    const local: string[] = [];
    for (const file of files) {
      local.push(resolved.source === "hub" ? await hfHubDownload({ ...hub, repoId: resolved.base, repoType: "dataset", path: file }) : file);
    }
    out.push([split, await readSplit(split, local, format, readOptions)]);
  }
  return options.split !== undefined ? out[0]![1] : new DatasetDict(out);
}
