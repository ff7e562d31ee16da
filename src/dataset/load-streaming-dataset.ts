import { SplitNotFoundError } from "../errors.js";
import { hfHubDownload } from "../hub/hf-hub-download.js";
import { type HubParams, resolveHubSettings } from "../hub/hub-params.js";
import { openHubFile } from "../hub/open-hub-file.js";
import type { Row } from "./dataset.js";
import { IterableDataset, type IterableDatasetDict } from "./iterable-dataset.js";
import type { LoadDatasetOptions } from "./load-dataset.js";
import type { Generator } from "./numpy-random/generator.js";
import { castCsvColumn } from "./readers/cast-csv-column.js";
import type { DataFormat } from "./readers/data-format.js";
import { hubByteSource } from "./readers/hub-byte-source.js";
import { readDataFile } from "./readers/read-data-file.js";
import type { ByteSource } from "./readers/read-options.js";
import { resolveDataFiles } from "./resolve-data-files.js";

/** pandas' chunk size in datasets' streaming CSV builder: column types are inferred chunk by chunk. */
const CSV_CHUNK_ROWS = 10_000;

interface SplitPlan {
  split: string;
  format: DataFormat;
  files: string[];
}

/**
 * The rows of one split's files, file after file (in an order shuffled by `shuffle` when given, as
 * Python's `_shuffle_gen_kwargs`: numpy's `shuffle` of the file list). Hub files are read in place
 * over HTTP (all at the commit the first one resolved to), or from the cache in offline mode;
 * nothing is written to the cache.
 */
function splitSource(plan: SplitPlan, where: { hub: boolean; base: string }, options: LoadDatasetOptions, readerOptions: { field?: string; sep?: string }) {
  const hub: HubParams = options;
  const settings = resolveHubSettings(hub);
  return async function* (shuffle: (() => Generator) | undefined): AsyncGenerator<Row> {
    const files = [...plan.files];
    if (shuffle) shuffle().shuffle(files);
    let revision = settings.revision;
    for (const file of files) {
      let name = file;
      let source: ByteSource | undefined;
      if (where.hub) {
        if (settings.offline) {
          name = await hfHubDownload({ ...hub, repoId: where.base, repoType: "dataset", path: file, revision });
        } else {
          const opened = await openHubFile({ ...hub, repoId: where.base, repoType: "dataset", path: file, revision });
          // The rest of the split is read at the same commit, even if the branch moves meanwhile.
          revision = opened.commitHash;
          name = `hf://datasets/${where.base}@${revision}/${file}`;
          source = hubByteSource(opened);
        }
      }
      const reader = readDataFile(name, {
        format: plan.format,
        ...(readerOptions.field === undefined ? {} : { field: readerOptions.field }),
        ...(readerOptions.sep === undefined ? {} : { sep: readerOptions.sep }),
        ...(options.columns === undefined || plan.format !== "parquet" ? {} : { columns: options.columns }),
        ...(plan.format === "csv" ? { batchSize: CSV_CHUNK_ROWS } : {}),
        ...(source ? { source } : {}),
      });
      for await (const batch of reader) {
        let rows = batch;
        if (plan.format === "csv" && rows.length > 0) {
          // pandas types each chunk's columns on its own, as datasets' streaming CSV reader does.
          const names = Object.keys(rows[0]!);
          const cast = names.map((n) => castCsvColumn(rows.map((r) => r[n] as string | null)));
          rows = rows.map((_, i) => Object.fromEntries(names.map((n, c) => [n, cast[c]![i]])));
        }
        if (options.columns !== undefined && plan.format !== "parquet") {
          const wanted = options.columns;
          rows = rows.map((r) => Object.fromEntries(wanted.map((c) => [c, Object.hasOwn(r, c) ? r[c] : null])));
        }
        yield* rows;
      }
    }
  };
}

/**
 * `loadDataset(path, { streaming: true })`: Python's `load_dataset(..., streaming=True)`. The data
 * files are found as for a download (README configs, split rules, `dataFiles`), then each split is
 * an {@link IterableDataset} that reads its files only when iterated: Parquet by range requests
 * (the footer, then the row groups and columns read), JSON Lines, JSON and CSV as a byte stream.
 * Hub files are read in place and nothing is written to the cache (offline, the cached files are
 * read); local files stream the same way.
 */
export async function loadStreamingDataset(path: string, options: LoadDatasetOptions & { split: string }): Promise<IterableDataset>;
export async function loadStreamingDataset(path: string, options?: LoadDatasetOptions): Promise<IterableDatasetDict>;
export async function loadStreamingDataset(path: string, options: LoadDatasetOptions = {}): Promise<IterableDataset | IterableDatasetDict> {
  const resolved = await resolveDataFiles(path, { ...options, streaming: true });
  const names = [...resolved.splits.keys()];
  if (options.split !== undefined && !resolved.splits.has(options.split)) throw new SplitNotFoundError(options.split, names);
  const field = options.field ?? resolved.readerOptions.field;
  const sep = options.sep ?? resolved.readerOptions.sep;
  const readerOptions = { ...(field === undefined ? {} : { field }), ...(sep === undefined ? {} : { sep }) };
  const where = { hub: resolved.source === "hub", base: resolved.base };
  const make = (split: string) => {
    const { format, files } = resolved.splits.get(split)!;
    return new IterableDataset(splitSource({ split, format, files }, where, options, readerOptions), {
      numShards: files.length,
      ...(options.columns ? { columnNames: options.columns } : {}),
    });
  };
  if (options.split !== undefined) return make(options.split);
  return Object.freeze(Object.fromEntries(names.map((s) => [s, make(s)])));
}
