import { parquetRead, parquetSchema } from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { CorruptFileError, MissingColumnError } from "../../errors.js";
import type { Row } from "../dataset.js";
import { checkParquetPages } from "./check-parquet-pages.js";
import { checkParquetRowGroupSize } from "./check-parquet-row-group-size.js";
import { batchSizeOf, DEFAULT_MAX_ROW_GROUP_BYTES, type ReadOptions, type ReadSummary } from "./read-options.js";
import { readParquetMetadata } from "./read-parquet-metadata.js";
import { setField } from "./set-field.js";

export interface ReadParquetOptions extends ReadOptions {
  /** Read only these top-level columns, in this order (Python's `columns`). Unknown names are a MissingColumnError. */
  columns?: readonly string[];
  /**
   * The most one row group may take in memory, in bytes (row groups are read whole): its data in
   * the columns read plus 8 bytes per value. A larger one is a RecordTooLargeError saying how to
   * rewrite the file with smaller row groups. Default 256 MiB.
   */
  maxRowGroupBytes?: number;
}

/** INT64 cells come back as bigint: numbers when exact, so they mix with the rest of JavaScript. */
function normalize(v: unknown): unknown {
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) setField(out, k, normalize(x));
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
 * Sizes in the file are checked before anything is allocated from them: a row group larger than
 * `maxRowGroupBytes` is refused from its footer alone (RecordTooLargeError), pages whose declared
 * sizes the file cannot hold are a CorruptFileError.
 */
export async function* readParquet(file: string, options: ReadParquetOptions = {}): AsyncGenerator<Row[], ReadSummary, undefined> {
  const batchSize = batchSizeOf(options);
  const maxBytes = options.maxRowGroupBytes ?? DEFAULT_MAX_ROW_GROUP_BYTES;
  if (!(maxBytes > 0)) throw new RangeError(`maxRowGroupBytes must be a number of bytes > 0, got ${maxBytes}`);
  const { buffer, metadata } = await readParquetMetadata(file, options.source);
  let names: string[];
  try {
    names = parquetSchema(metadata).children.map((c) => c.element.name);
  } catch (e) {
    throw new CorruptFileError(`${file}: not a readable Parquet file (${(e as Error).message}).`, {
      file,
      cause: e,
      hint: "The file may be truncated or damaged; download it again.",
    });
  }
  const columns = options.columns ? [...options.columns] : names;
  const missing = columns.filter((c) => !names.includes(c));
  if (missing.length > 0) {
    throw new MissingColumnError(
      `${file}: no column${missing.length > 1 ? "s" : ""} ${missing.map((m) => `"${m}"`).join(", ")} in this Parquet file; its columns: ${JSON.stringify(names)}.`,
      {
        file,
        column: missing[0]!,
        columns: names,
      },
    );
  }
  let rowStart = 0;
  let rows = 0;
  for (const [g, group] of metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let groupRows: unknown[][];
    checkParquetRowGroupSize({ file, metadata, rowGroup: g, columns, maxBytes }, buffer.byteLength);
    await checkParquetPages({ file, buffer, metadata, rowGroup: g, columns, compressors, maxBytes });
    try {
      // Rows as arrays in `columns` order: objects are built here, so any column name stays a field.
      groupRows = await new Promise<unknown[][]>((resolve, reject) => {
        parquetRead({
          file: buffer,
          metadata,
          columns,
          rowStart,
          rowEnd,
          compressors,
          rowFormat: "array",
          onComplete: (data) => resolve(data as unknown[][]),
        }).catch(reject);
      });
    } catch (e) {
      throw new CorruptFileError(`${file}: row group ${g} (rows ${rowStart}–${rowEnd - 1}) cannot be decoded: ${(e as Error).message}`, {
        file,
        row: rowStart,
        cause: e,
      });
    }
    if (groupRows.length !== rowEnd - rowStart) {
      throw new CorruptFileError(`${file}: row group ${g} declares ${rowEnd - rowStart} rows but ${groupRows.length} were decoded.`, { file, row: rowStart });
    }
    for (let i = 0; i < groupRows.length; i += batchSize) {
      // Keys in the asked order, INT64 as numbers.
      yield groupRows.slice(i, i + batchSize).map((values) => {
        const out: Row = {};
        for (let c = 0; c < columns.length; c++) setField(out, columns[c]!, normalize(values[c]));
        return out;
      });
    }
    rows += groupRows.length;
    rowStart = rowEnd;
  }
  return { file, rows, columns };
}
