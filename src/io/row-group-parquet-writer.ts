import type { SchemaTree } from "hyparquet";
import { ByteWriter, ParquetWriter, type SchemaElement } from "hyparquet-writer";
import { writeColumn } from "hyparquet-writer/src/column.js";
import { encodeNestedValues } from "hyparquet-writer/src/dremel.js";
import { schemaPathResolver } from "hyparquet-writer/src/schema.js";
import { RaggedInt32Column } from "../dataset/index.js";

/** hyparquet-writer's defaults for `write({ columnData })` without per-column options. */
const PAGE_SIZE = 1048576;

/** One column of a row group: token ids stored flat, or any values hyparquet-writer takes. */
export type RowGroupColumn = RaggedInt32Column | readonly unknown[];

/** A Parquet value encoding hyparquet-writer can write (undefined: its own choice, dictionary if it pays). */
export type RowGroupEncoding = "PLAIN" | "RLE_DICTIONARY" | "DELTA_BINARY_PACKED" | "DELTA_LENGTH_BYTE_ARRAY" | "DELTA_BYTE_ARRAY" | "BYTE_STREAM_SPLIT";

function leafPaths(path: SchemaTree[]): SchemaTree[][] {
  const node = path[path.length - 1]!;
  if (node.children.length === 0) return [path];
  return node.children.flatMap((child) => leafPaths([...path, child]));
}

/**
 * The page data hyparquet-writer's Dremel encoder makes for a LIST<INT32> column (optional list,
 * repeated group, optional element: max definition level 3, repetition 1), computed straight from
 * flat storage: each id is a value at definition 3, repetition 0 for a row's first and 1 after; an
 * empty row is one null slot at definition 1. No JS array per row, no recursion per value.
 */
function listPageData(column: RaggedInt32Column): {
  values: ArrayLike<unknown>;
  definitionLevels: Uint8Array;
  repetitionLevels: Uint8Array;
  maxDefinitionLevel: number;
} {
  const rows = column.length;
  const { offsets } = column;
  let empty = 0;
  for (let i = 0; i < rows; i++) if (offsets[i + 1] === offsets[i]) empty++;
  const base = offsets[0]!;
  const flat = column.values.subarray(base, offsets[rows]!);
  const slots = flat.length + empty;
  const definitionLevels = new Uint8Array(slots).fill(3);
  const repetitionLevels = new Uint8Array(slots).fill(1);
  if (empty === 0) {
    for (let i = 0; i < rows; i++) repetitionLevels[offsets[i]! - base] = 0;
    return { values: flat, definitionLevels, repetitionLevels, maxDefinitionLevel: 3 };
  }
  // Rare (a text with no tokens): the null slots need a plain array of values.
  const values = new Array<number | undefined>(slots);
  let at = 0;
  for (let i = 0; i < rows; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    if (start === end) {
      values[at] = undefined;
      definitionLevels[at] = 1;
      repetitionLevels[at++] = 0;
      continue;
    }
    repetitionLevels[at] = 0;
    for (let k = start; k < end; k++) values[at++] = column.values[k];
  }
  return { values, definitionLevels, repetitionLevels, maxDefinitionLevel: 3 };
}

/**
 * hyparquet-writer's ParquetWriter, with a way to write one row group whose token-id columns stay
 * in flat typed storage: their page data is computed directly ({@link listPageData}) instead of by
 * the generic Dremel encoder from a JS array per row, which for millions of ids per group costs
 * most of the writing time and hundreds of MB of short-lived memory. Everything else — column
 * encoding, statistics, dictionary choice, pages, compression, metadata — is the library's own
 * (its `writeColumn`), with the settings its `write()` uses by default, so the bytes are the same.
 */
/** One column of a row group to write: its name, its rows, and a value encoding (undefined: hyparquet-writer's choice). */
export interface RowGroupColumnInput {
  name: string;
  data: RowGroupColumn;
  encoding?: RowGroupEncoding;
}

/** What hyparquet-writer's writeColumn gives for one column chunk: its metadata and page indexes. */
type ColumnResult = ReturnType<typeof writeColumn>;

/**
 * A row group encoded on its own: its bytes, and its column chunks' metadata and page indexes with
 * offsets counted from its first byte ({@link RowGroupParquetWriter.appendRowGroup} moves them to
 * where the bytes land). Structured-cloneable: a worker thread can encode it.
 */
export interface EncodedRowGroup {
  bytes: Uint8Array;
  columns: ColumnResult[];
  rows: number;
}

export class RowGroupParquetWriter extends ParquetWriter {
  #resolve: ((path: string[]) => SchemaTree[]) | undefined;
  #scratch: ByteWriter | undefined;

  /** Writes one row group: `columns` in schema order, each `rows` long. */
  writeRowGroup(columns: readonly RowGroupColumnInput[], rows: number): void {
    this.appendRowGroup(this.encodeRowGroup(columns, rows));
  }

  /**
   * Encodes one row group with this writer's schema and settings into bytes of its own, without
   * writing it: the same bytes {@link writeRowGroup} writes. Another writer built with the same
   * schema and options ({@link rowGroupEncoder}, e.g. on a worker thread) encodes it the same way.
   */
  encodeRowGroup(columns: readonly RowGroupColumnInput[], rows: number): EncodedRowGroup {
    this.#resolve ??= schemaPathResolver(this.schema);
    // One buffer for every group, emptied first: grown once to the largest group instead of doubling (a copy each time) for every group.
    this.#scratch ??= new ByteWriter(1 << 20);
    const writer = this.#scratch;
    writer.index = 0;
    writer.offset = 0;
    const results: ColumnResult[] = [];
    for (const { name, data, encoding } of columns) {
      if (data.length !== rows) throw new Error(`parquet columns must have the same length`);
      const columnPath = this.#resolve([name]);
      for (const leafPath of leafPaths(columnPath)) {
        const schemaPath = leafPath.map((node) => node.element);
        const pageData = data instanceof RaggedInt32Column ? listPageData(data) : encodeNestedValues(leafPath, data as unknown[]);
        results.push(
          writeColumn({
            writer,
            column: {
              columnName: schemaPath
                .slice(1)
                .map((s) => s.name)
                .join("."),
              element: schemaPath[schemaPath.length - 1]!,
              schemaPath,
              codec: this.codec,
              compressors: this.compressors,
              stats: this.statistics,
              statisticsTruncateLength: this.statisticsTruncateLength,
              pageSize: PAGE_SIZE,
              dictionarySize: undefined,
              columnIndex: false,
              offsetIndex: true,
              encoding,
              bloomFilter: undefined,
            } as Parameters<typeof writeColumn>[0]["column"],
            pageData: pageData as Parameters<typeof writeColumn>[0]["pageData"],
          }),
        );
      }
    }
    return { bytes: new Uint8Array(writer.buffer.slice(0, writer.index)), columns: results, rows };
  }

  /** Writes a row group {@link encodeRowGroup} encoded (here or in another thread), its offsets moved to where its bytes land. */
  appendRowGroup(group: EncodedRowGroup): void {
    const base = BigInt(this.writer.offset);
    this.writer.appendBytes(group.bytes);
    const chunks = [];
    for (const result of group.columns) {
      const { chunk, offsetIndex } = result;
      chunk.file_offset += base;
      const meta = chunk.meta_data;
      if (meta) {
        meta.data_page_offset += base;
        if (meta.dictionary_page_offset !== undefined) meta.dictionary_page_offset += base;
        if (meta.index_page_offset !== undefined) meta.index_page_offset += base;
      }
      for (const page of offsetIndex?.page_locations ?? []) page.offset += base;
      chunks.push(chunk);
      this.pendingIndexes.push(result);
    }
    let totalByteSize = 0n;
    for (const { meta_data } of chunks) totalByteSize += meta_data?.total_uncompressed_size ?? 0n;
    this.num_rows += BigInt(group.rows);
    this.row_groups.push({
      columns: chunks,
      total_byte_size: totalByteSize,
      num_rows: BigInt(group.rows),
      total_compressed_size: BigInt(group.bytes.length),
    });
    void this.writer.flush?.();
  }
}

/**
 * A writer that only encodes row groups ({@link RowGroupParquetWriter.encodeRowGroup}) for the file
 * {@link ParquetSplitWriter} writes with `schema`: built with the same options (the metadata aside,
 * which only the footer holds), so the row groups' bytes are the same.
 */
export function rowGroupEncoder(schema: SchemaElement[]): RowGroupParquetWriter {
  // ParquetSplitWriter sets no codec, compressors or statistics options either (hyparquet-writer's defaults: Snappy, statistics).
  return new RowGroupParquetWriter({ writer: new ByteWriter(), schema });
}
