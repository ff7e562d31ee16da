import { DuckDBInstance } from "@duckdb/node-api";
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from "hyparquet";

/** A file read by DuckDB, an independent Parquet reader: column types and rows. */
export async function duckdbRead(file: string): Promise<{ types: Record<string, string>; rows: Record<string, unknown>[] }> {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    const path = file.replace(/'/g, "''");
    const described = (await con.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS();
    const types = Object.fromEntries(described.map((r) => [String(r.column_name), String(r.column_type)]));
    const rows = (await con.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowObjectsJS() as Record<string, unknown>[];
    return { types, rows };
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** A file read by hyparquet: rows, and the file's metadata. */
export async function hyparquetRead(file: string) {
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const rows = (await parquetReadObjects({ file: buffer })) as Record<string, unknown>[];
  return { rows, metadata };
}
