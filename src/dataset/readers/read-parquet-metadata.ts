import { type AsyncBuffer, asyncBufferFromFile, type FileMetaData, parquetMetadataAsync } from "hyparquet";
import { markGeoColumns } from "hyparquet/src/geoparquet.js";
import { CorruptFileError, DataFileError } from "../../errors.js";
import { checkParquetSchema } from "./check-parquet-schema.js";
import type { ByteSource } from "./read-options.js";

/** A Parquet file opened for reading: its bytes (read on demand) and its footer. */
export interface ParquetFooter {
  buffer: AsyncBuffer;
  metadata: FileMetaData;
}

/**
 * Opens a Parquet file and reads its footer (the metadata: schema, row groups, row counts) with
 * hyparquet, checked: a file that cannot be opened is a DataFileError, one that is not Parquet or
 * is cut short (no `PAR1` at the end, a footer that does not parse) or whose schema is damaged is a
 * CorruptFileError naming the file. Use this rather than hyparquet's parquetMetadataAsync directly:
 * hyparquet trusts the schema's child counts, and a damaged one makes it loop forever.
 *
 * With `source` (a Hub file read over HTTP, which `file` then names), the bytes come from it: the
 * footer is read with one small request at the end of the file (64 KiB, more only if the footer is
 * larger), and later reads fetch only the column chunks asked for.
 */
export async function readParquetMetadata(file: string, source?: ByteSource): Promise<ParquetFooter> {
  let buffer: AsyncBuffer;
  try {
    buffer = source ? source.asyncBuffer() : await asyncBufferFromFile(file);
  } catch (e) {
    throw new DataFileError(`${file}: cannot open it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}).`, { file, cause: e });
  }
  try {
    // GeoParquet marking (hyparquet's default) walks the schema trusting its counts: check them first.
    const metadata = await parquetMetadataAsync(buffer, { geoparquet: false, ...(source ? { initialFetchSize: 1 << 16 } : {}) });
    checkParquetSchema(file, metadata);
    markGeoColumns(metadata.schema, metadata.key_value_metadata);
    return { buffer, metadata };
  } catch (e) {
    if (e instanceof CorruptFileError) throw e;
    throw new CorruptFileError(`${file}: not a readable Parquet file (${(e as Error).message}).`, {
      file,
      cause: e,
      hint: "The file may be truncated (an interrupted download) or not Parquet at all; download it again.",
    });
  }
}
