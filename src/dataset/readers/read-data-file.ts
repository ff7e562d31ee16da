import { UnsupportedFormatError } from "../../errors.js";
import type { Row } from "../dataset.js";
import { type DataFormat, formatOfFile, SUPPORTED_EXTENSIONS, UNSUPPORTED_COMPRESSION } from "./data-format.js";
import { isGzip } from "./open-byte-stream.js";
import { readCsv } from "./read-csv.js";
import { readJson } from "./read-json.js";
import type { ReadOptions, ReadSummary } from "./read-options.js";
import { readParquet } from "./read-parquet.js";

export interface ReadDataFileOptions extends ReadOptions {
  /** Read as this format whatever the extension (as `load_dataset("json", data_files=…)` does). Default: from the extension. */
  format?: DataFormat;
  /** JSON: the key holding the rows (datasets' `field`). */
  field?: string;
  /** CSV: the separator. Default "," ("\t" for .tsv). */
  sep?: string;
  /** Parquet: read only these columns. */
  columns?: readonly string[];
  /** Parquet: the most one row group may take in memory (see readParquet). Default 256 MiB. */
  maxRowGroupBytes?: number;
}

/**
 * Reads any supported data file, streaming batches of rows: Parquet ({@link readParquet}), JSON and
 * JSON Lines ({@link readJson}), CSV/TSV ({@link readCsv}). An unknown extension (without `format`)
 * is an UnsupportedFormatError listing the supported ones.
 */
export function readDataFile(file: string, options: ReadDataFileOptions = {}): AsyncGenerator<Row[], ReadSummary, undefined> {
  const compression = UNSUPPORTED_COMPRESSION.exec(file);
  if (compression) {
    throw new UnsupportedFormatError(
      `${file}: compressed as ${compression[1]}, which is not read here (only gzip, .gz). Supported: ${SUPPORTED_EXTENSIONS.join(", ")}.`,
      {
        file,
        hint: "Decompress the file first.",
      },
    );
  }
  const format = options.format ?? formatOfFile(file);
  const batchSize = options.batchSize;
  const base = { ...(batchSize === undefined ? {} : { batchSize }), ...(options.source ? { source: options.source } : {}) };
  switch (format) {
    case "parquet":
      return readParquet(file, {
        ...base,
        ...(options.columns ? { columns: options.columns } : {}),
        ...(options.maxRowGroupBytes !== undefined ? { maxRowGroupBytes: options.maxRowGroupBytes } : {}),
      });
    case "json":
      return readJson(file, { ...base, ...(options.field === undefined ? {} : { field: options.field }) });
    case "csv": {
      const tsv = (isGzip(file) ? file.slice(0, -3) : file).toLowerCase().endsWith(".tsv");
      return readCsv(file, { ...base, sep: options.sep ?? (tsv ? "\t" : ",") });
    }
    default:
      throw new UnsupportedFormatError(`${file}: no reader for this file type. Supported: ${SUPPORTED_EXTENSIONS.join(", ")}.`, {
        file,
        hint: 'To read it as one of these formats anyway, name the format: loadDataset("json" | "csv" | "parquet", { dataFiles: … }).',
      });
  }
}
