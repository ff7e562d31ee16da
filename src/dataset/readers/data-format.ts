import { isGzip } from "./open-byte-stream.js";

/** The formats read, named as Python's packaged builders: `load_dataset("json" | "csv" | "parquet", …)`. */
export type DataFormat = "parquet" | "json" | "csv";

/** File extensions of each format, as datasets' _EXTENSION_TO_MODULE maps them; JSON and CSV files may also be gzipped (`.gz`). */
export const FORMAT_EXTENSIONS: Readonly<Record<DataFormat, readonly string[]>> = {
  parquet: [".parquet", ".geoparquet", ".gpq"],
  json: [".json", ".jsonl"],
  csv: [".csv", ".tsv"],
};

export const SUPPORTED_EXTENSIONS: readonly string[] = [
  ...FORMAT_EXTENSIONS.parquet,
  ...FORMAT_EXTENSIONS.json,
  ...FORMAT_EXTENSIONS.csv,
  ".json.gz",
  ".jsonl.gz",
  ".csv.gz",
  ".tsv.gz",
];

/** The format of `file` from its extension, or undefined. */
export function formatOfFile(file: string): DataFormat | undefined {
  const name = file.toLowerCase();
  const gz = isGzip(name);
  const base = gz ? name.slice(0, -3) : name;
  for (const format of ["parquet", "json", "csv"] as const) {
    if (gz && format === "parquet") continue;
    if (FORMAT_EXTENSIONS[format].some((ext) => base.endsWith(ext))) return format;
  }
  return undefined;
}

/** Compressions datasets can read that this library does not (gzip only, from node:zlib). */
export const UNSUPPORTED_COMPRESSION = /\.(zst|zstd|bz2|xz|lz4|zip|7z|tar|tgz)$/i;
