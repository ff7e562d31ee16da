import type { SchemaTree } from "hyparquet";
import { ParquetWriter } from "hyparquet-writer";
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
export class RowGroupParquetWriter extends ParquetWriter {
  #resolve: ((path: string[]) => SchemaTree[]) | undefined;

  /** Writes one row group: `columns` in schema order, each `rows` long. */
  writeRowGroup(columns: readonly { name: string; data: RowGroupColumn; encoding?: RowGroupEncoding }[], rows: number): void {
    this.#resolve ??= schemaPathResolver(this.schema);
    const groupStart = this.writer.offset;
    const chunks = [];
    for (const { name, data, encoding } of columns) {
      if (data.length !== rows) throw new Error(`parquet columns must have the same length`);
      const columnPath = this.#resolve([name]);
      for (const leafPath of leafPaths(columnPath)) {
        const schemaPath = leafPath.map((node) => node.element);
        const pageData = data instanceof RaggedInt32Column ? listPageData(data) : encodeNestedValues(leafPath, data as unknown[]);
        const result = writeColumn({
          writer: this.writer,
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
        });
        chunks.push(result.chunk);
        this.pendingIndexes.push(result);
      }
    }
    let totalByteSize = 0n;
    for (const { meta_data } of chunks) totalByteSize += meta_data?.total_uncompressed_size ?? 0n;
    this.num_rows += BigInt(rows);
    this.row_groups.push({
      columns: chunks,
      total_byte_size: totalByteSize,
      num_rows: BigInt(rows),
      total_compressed_size: BigInt(this.writer.offset - groupStart),
    });
    void this.writer.flush?.();
  }
}
