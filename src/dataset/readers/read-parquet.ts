import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema, type AsyncBuffer, type FileMetaData } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { CorruptFileError, DataFileError, MissingColumnError } from "../../errors.js";
import type { Row } from "../dataset.js";
import { batchSizeOf, type ReadOptions, type ReadSummary } from "./read-options.js";

export interface ReadParquetOptions extends ReadOptions {
  /** Read only these top-level columns, in this order (Python's `columns`). Unknown names are a MissingColumnError. */
  columns?: readonly string[];
}

/** INT64 cells come back as bigint: numbers when exact, so they mix with the rest of JavaScript. */
function normalize(v: unknown): unknown {
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = normalize(x);
    return out;
  }
  return v;
}

/**
 * Reads a Parquet file with hyparquet, one row group at a time (so memory holds one row group), and
 * yields batches of rows; returns a {@link ReadSummary} with the schema's columns. Every codec Parquet
 * writers use is handled (snappy, gzip, zstd, brotli, lz4 via hyparquet-compressors). INT64 values are
 * numbers when exactly representable, else bigint.
 *
 * A truncated or corrupt file is a CorruptFileError naming the file, the row group and what is wrong.
 */
export async function* readParquet(file: string, options: ReadParquetOptions = {}): AsyncGenerator<Row[], ReadSummary, undefined> {
  const batchSize = batchSizeOf(options);
  let buffer: AsyncBuffer;
  try {
    buffer = await asyncBufferFromFile(file);
  } catch (e) {
    throw new DataFileError(`${file}: cannot open it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { file, cause: e });
  }
  let metadata: FileMetaData;
  let names: string[];
  try {
    metadata = await parquetMetadataAsync(buffer);
    names = parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (e) {
    throw new CorruptFileError(`${file}: not a readable Parquet file (${(e as Error).message}).`, {
      file,
      cause: e,
      hint: "The file may be truncated (an interrupted download) or not Parquet at all; download it again.",
    });
  }
  const columns = options.columns ? [...options.columns] : names;
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new MissingColumnError(`${file}: no column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} in this Parquet file; its columns: ${JSON.stringify(names)}.`, {
      file,
      column: missing[0]!,
      columns: names,
    });
  }
  let rowStart = 0;
  let rows = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let groupRows: Record<string, unknown>[];
    try {
      groupRows = await parquetReadObjects({ file: buffer, metadata, columns, rowStart, rowEnd, compressors });
    } catch (e) {
      throw new CorruptFileError(`${file}: row group ${g} (rows ${rowStart}–${rowEnd - 1}) cannot be decoded: ${(e as Error).message}`, { file, row: rowStart, cause: e });
    }
    if (groupRows.length !== rowEnd - rowStart) {
      throw new CorruptFileError(`${file}: row group ${g} declares ${rowEnd - rowStart} rows but ${groupRows.length} were decoded.`, { file, row: rowStart });
    }
    for (let i = 0; i < groupRows.length; i += batchSize) {
      // New objects: keys in the asked order (hyparquet gives schema order), INT64 as numbers.
      yield groupRows.slice(i, i + batchSize).map((row) => {
        const out: Row = {};
        for (const k of columns) out[k] = normalize(row[k]);
        return out;
      });
    }
    rows += groupRows.length;
    rowStart = rowEnd;
  }
  return { file, rows, columns };
}
