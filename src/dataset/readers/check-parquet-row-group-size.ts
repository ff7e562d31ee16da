import type { FileMetaData } from "hyparquet";
import { CorruptFileError, RecordTooLargeError } from "../../errors.js";
import { DEFAULT_MAX_ROW_GROUP_BYTES } from "./read-options.js";

/** Bytes a decoded value slot takes at least in memory (a JavaScript array element). */
const BYTES_PER_VALUE_SLOT = 8;

export interface CheckParquetRowGroupSizeParams {
  /** The file's path, named in errors. */
  file: string;
  metadata: FileMetaData;
  /** Index of the row group to check. */
  rowGroup: number;
  /** Top-level columns that will be decoded. */
  columns: readonly string[];
  /** The memory budget of one row group, in bytes. Default {@link DEFAULT_MAX_ROW_GROUP_BYTES}. */
  maxBytes?: number;
}

/** 64 KiB, 1.5 MiB, 256 MiB. */
function mib(n: number): string {
  if (n < 1 << 20) return `${Math.ceil(n / 1024)} KiB`;
  return `${(n / (1 << 20)).toFixed(n < 10 << 20 ? 1 : 0).replace(/\.0$/, "")} MiB`;
}

/**
 * What one row group of the columns read will take in memory, from its footer alone: the column
 * chunks' compressed bytes (read whole) or uncompressed bytes (decoded), whichever is larger, plus
 * BYTES_PER_VALUE_SLOT bytes per value (rows × leaf columns). A row group over `maxBytes`
 * is a RecordTooLargeError naming the limit and how to rewrite the file with smaller row groups —
 * before anything of it is read. Sizes that are not whole numbers ≥ 0, or a chunk larger than the
 * file, are a CorruptFileError.
 */
export function checkParquetRowGroupSize(params: CheckParquetRowGroupSizeParams, fileBytes: number): void {
  const { file, metadata, rowGroup: g, columns } = params;
  const maxBytes = params.maxBytes ?? DEFAULT_MAX_ROW_GROUP_BYTES;
  const group = metadata.row_groups[g];
  if (!group) return;
  const rows = Number(group.num_rows);
  const corrupt = (what: string) =>
    new CorruptFileError(`${file}: row group ${g}: ${what}; the file is corrupt.`, {
      file,
      hint: "The file may be truncated or damaged (an interrupted download or copy); get a fresh copy.",
    });
  if (!Number.isSafeInteger(rows) || rows < 0) throw corrupt(`it declares ${String(group.num_rows)} rows`);
  let bytes = 0;
  let leaves = 0;
  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    const name = meta?.path_in_schema?.[0];
    if (!meta || name === undefined || !columns.includes(name)) continue;
    const compressed = Number(meta.total_compressed_size);
    const uncompressed = Number(meta.total_uncompressed_size);
    const leaf = meta.path_in_schema.join(".");
    if (!Number.isSafeInteger(compressed) || compressed < 0 || !Number.isSafeInteger(uncompressed) || uncompressed < 0) {
      throw corrupt(
        `column "${leaf}" declares sizes of ${String(meta.total_compressed_size)} bytes compressed and ${String(meta.total_uncompressed_size)} uncompressed`,
      );
    }
    if (compressed > fileBytes) throw corrupt(`column "${leaf}" declares ${compressed} bytes, more than the whole file (${fileBytes} bytes)`);
    bytes += Math.max(compressed, uncompressed);
    leaves++;
  }
  const need = bytes + rows * leaves * BYTES_PER_VALUE_SLOT;
  if (need > maxBytes) {
    throw new RecordTooLargeError(
      `${file}: row group ${g} holds ${rows.toLocaleString("en-US")} rows that take about ${mib(need)} in memory in the columns read (${mib(bytes)} of data, ` +
        `${rows.toLocaleString("en-US")} × ${leaves} values), more than the ${mib(maxBytes)} a row group may take (maxRowGroupBytes). ` +
        `Row groups are read whole: rewrite the file with smaller row groups, e.g. with pyarrow ` +
        `pq.write_table(pq.read_table(src), dst, row_group_size=100_000) or with DuckDB ` +
        `COPY (SELECT * FROM 'src.parquet') TO 'dst.parquet' (FORMAT parquet, ROW_GROUP_SIZE 100000); ` +
        `or raise the limit (maxRowGroupBytes, --max-row-group-mb) if the memory is there.`,
      { file, row: rowStartOf(metadata, g) },
    );
  }
}

function rowStartOf(metadata: FileMetaData, g: number): number {
  let start = 0;
  for (let i = 0; i < g; i++) start += Number(metadata.row_groups[i]!.num_rows);
  return start;
}
