import type { AsyncBuffer, ColumnMetaData, Compressors, FileMetaData, PageHeader, SchemaTree } from "hyparquet";
import { parquetHeader } from "hyparquet/src/column.js";
import { decompressPage } from "hyparquet/src/datapage.js";
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath, isFlatColumn } from "hyparquet/src/schema.js";
import { CorruptFileError } from "../../errors.js";
import { pageSizeProblem } from "./parquet-page-size-problem.js";
import { DEFAULT_MAX_ROW_GROUP_BYTES } from "./read-options.js";

export interface CheckParquetPagesParams {
  /** The file's path, named in errors. */
  file: string;
  buffer: AsyncBuffer;
  metadata: FileMetaData;
  /** Index of the row group to check. */
  rowGroup: number;
  /** Top-level columns that will be decoded. */
  columns: readonly string[];
  /** The decompressors hyparquet will be given. */
  compressors: Compressors;
  /** The memory budget of the row group: its pages may not declare more uncompressed bytes. Default 256 MiB. */
  maxBytes?: number;
}

/**
 * How far a run-length encoded run may overshoot the values a page has left. The format allows
 * none; a little is tolerated (as Arrow does) because hyparquet only writes past its array's end,
 * which costs memory in proportion — a corrupt count in the billions is what must be stopped.
 */
const RUN_SLACK = 1 << 16;

const isCount = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;

/** What the walk found wrong; becomes a CorruptFileError naming the file, row group and column. */
class PageProblem extends Error {}

/** What is wrong with a page header hyparquet is about to act on, or undefined. */
function headerProblem(h: PageHeader): string | undefined {
  if (h.type === undefined) return "an unknown page type";
  if (!isCount(h.compressed_page_size) || !isCount(h.uncompressed_page_size)) return "a page size that is missing or negative";
  if (h.type === "DATA_PAGE") {
    const d = h.data_page_header;
    if (!d || !isCount(d.num_values) || d.encoding === undefined || d.definition_level_encoding === undefined || d.repetition_level_encoding === undefined) {
      return "a data page header without its required fields";
    }
  } else if (h.type === "DATA_PAGE_V2") {
    const d = h.data_page_header_v2;
    if (
      !d ||
      !isCount(d.num_values) ||
      !isCount(d.num_nulls) ||
      !isCount(d.num_rows) ||
      d.encoding === undefined ||
      !isCount(d.definition_levels_byte_length) ||
      !isCount(d.repetition_levels_byte_length)
    ) {
      return "a data page (v2) header without its required fields";
    }
    if (d.num_nulls > d.num_values) return "a data page (v2) with more nulls than values";
    if (d.definition_levels_byte_length + d.repetition_levels_byte_length > Math.min(h.compressed_page_size, h.uncompressed_page_size)) {
      return "a data page (v2) whose levels are longer than the page";
    }
  } else if (h.type === "DICTIONARY_PAGE") {
    const d = h.dictionary_page_header;
    if (!d || !isCount(d.num_values) || d.encoding === undefined) return "a dictionary page header without its required fields";
  }
  return undefined;
}

const bitWidth = (maxLevel: number) => 32 - Math.clz32(maxLevel);

function readVarInt(view: DataView, at: { offset: number }): number | undefined {
  let result = 0;
  for (let shift = 0; shift < 35; shift += 7) {
    if (at.offset >= view.byteLength) return undefined;
    const byte = view.getUint8(at.offset++);
    result |= (byte & 0x7f) << shift;
    if (!(byte & 0x80)) return result;
  }
  return result;
}

/**
 * Walks an RLE/bit-packed hybrid stream the way hyparquet's readRleBitPackedHybrid does (same
 * offsets), refusing a run-length run far longer than the values left: hyparquet writes each run
 * into a plain array without a bound, and a corrupt count in the billions grows it until V8 aborts
 * the process — an error no try/catch can catch. Where the bytes run out, hyparquet throws a
 * catchable RangeError itself, so the walk just stops.
 */
function scanHybrid(view: DataView, offset: number, width: number, values: number, what: string): void {
  const at = { offset };
  let seen = 0;
  while (seen < values) {
    const header = readVarInt(view, at);
    if (header === undefined) return;
    if (header & 1) {
      const groups = header >>> 1;
      at.offset += groups === 0 ? 1 : groups * width;
      seen += groups * 8;
    } else {
      const count = header >>> 1;
      if (count > values - seen + RUN_SLACK) throw new PageProblem(`the ${what} hold a run of ${count} values where the page has ${values - seen} left`);
      at.offset += (width + 7) >> 3;
      seen += count;
    }
    if (at.offset > view.byteLength) return;
  }
}

/** Scans the hybrid-encoded streams of one data page: repetition and definition levels, dictionary indices, RLE booleans. */
function scanDataPage(header: PageHeader, data: Uint8Array, meta: ColumnMetaData, schemaPath: SchemaTree[], compressors: Compressors): void {
  const maxRep = getMaxRepetitionLevel(schemaPath);
  const maxDef = getMaxDefinitionLevel(schemaPath);
  const boolean = meta.type === "BOOLEAN";
  const hybridValues = (encoding: string) => encoding === "PLAIN_DICTIONARY" || encoding === "RLE_DICTIONARY" || encoding === "RLE";
  const decompress = (bytes: Uint8Array, size: number) => {
    try {
      return decompressPage(bytes, size, meta.codec, compressors);
    } catch (e) {
      throw new PageProblem(`a page that cannot be decompressed (${(e as Error).message})`);
    }
  };

  if (header.type === "DATA_PAGE") {
    const d = header.data_page_header!;
    if (!(maxRep > 0 && schemaPath.length > 1) && !maxDef && !hybridValues(d.encoding)) return;
    const page = decompress(data, header.uncompressed_page_size);
    const view = new DataView(page.buffer, page.byteOffset, page.byteLength);
    let offset = 0;
    // v1 levels: a 4-byte length, then the stream (hyparquet's readRepetitionLevels / readDefinitionLevels).
    const levels = (max: number, what: string) => {
      if (offset + 4 > view.byteLength) throw new PageProblem(`the ${what} are cut off`);
      const length = view.getUint32(offset, true);
      scanHybrid(view, offset + 4, bitWidth(max), d.num_values, what);
      offset += 4 + length;
    };
    if (schemaPath.length > 1 && maxRep > 0) levels(maxRep, "repetition levels");
    if (maxDef > 0) levels(maxDef, "definition levels");
    if (hybridValues(d.encoding) && offset < view.byteLength) {
      if (boolean) {
        if (offset + 4 <= view.byteLength) scanHybrid(view, offset + 4, 1, d.num_values, "boolean values");
      } else {
        const width = view.getUint8(offset);
        if (width) scanHybrid(view, offset + 1, width, d.num_values, "dictionary indices");
      }
    }
  } else if (header.type === "DATA_PAGE_V2") {
    const d = header.data_page_header_v2!;
    if (maxRep > 0)
      scanHybrid(new DataView(data.buffer, data.byteOffset, d.repetition_levels_byte_length), 0, bitWidth(maxRep), d.num_values, "repetition levels");
    if (maxDef > 0) {
      scanHybrid(
        new DataView(data.buffer, data.byteOffset + d.repetition_levels_byte_length, d.definition_levels_byte_length),
        0,
        bitWidth(maxDef),
        d.num_values,
        "definition levels",
      );
    }
    if (!hybridValues(d.encoding)) return;
    const levelBytes = d.repetition_levels_byte_length + d.definition_levels_byte_length;
    const rest = data.subarray(levelBytes);
    const page = d.is_compressed === false ? rest : decompress(rest, header.uncompressed_page_size - levelBytes);
    const values = d.num_values - d.num_nulls;
    const pv = new DataView(page.buffer, page.byteOffset, page.byteLength);
    if (d.encoding === "RLE") {
      if (pv.byteLength >= 4) scanHybrid(pv, 4, 1, values, "boolean values");
    } else if (pv.byteLength >= 1) {
      const width = pv.getUint8(0);
      if (width) scanHybrid(pv, 1, width, values, "dictionary indices");
    }
  }
}

/**
 * Checks one row group's column chunks before hyparquet decodes them, and refuses (CorruptFileError)
 * what hyparquet would act on blindly:
 * - page headers without their required Thrift fields or with negative sizes (hyparquet computes
 *   with `undefined`, and for a v2 data page loops forever);
 * - pages running past their column chunk, chunks outside the file, a flat column whose pages do
 *   not hold one value per row of the group;
 * - run-length encoded runs (levels, dictionary indices) far longer than their page: hyparquet
 *   grows an array by that count until V8 aborts the whole process;
 * - declared sizes that would be allocated before they are found false: an uncompressed size the
 *   codec cannot reach, Zstandard frames declaring more than their page, pages adding up past the
 *   row group's memory budget (`maxBytes`), a dictionary page with more values than bytes
 *   (see pageSizeProblem).
 * The page walk follows hyparquet's own (column.js readColumn, datapage.js), so valid files pass
 * unchanged. It costs one more decompression of the pages that carry such streams.
 *
 * Parquet's Thrift schema marks these header fields required, and Arrow refuses such files too.
 */
export async function checkParquetPages(params: CheckParquetPagesParams): Promise<void> {
  const { file, buffer, metadata, rowGroup: g, columns, compressors } = params;
  const maxBytes = params.maxBytes ?? DEFAULT_MAX_ROW_GROUP_BYTES;
  // Uncompressed bytes the row group's pages declared so far (all the columns read).
  let declared = 0;
  const group = metadata.row_groups[g];
  if (!group) return;
  const groupRows = Number(group.num_rows);
  const corrupt = (column: string, what: string) =>
    new CorruptFileError(`${file}: row group ${g}, column "${column}": ${what}; the file is corrupt.`, {
      file,
      column,
      hint: "The file may be truncated or damaged (an interrupted download or copy); get a fresh copy.",
    });

  for (const chunk of group.columns) {
    const meta = chunk.meta_data;
    const name = meta?.path_in_schema?.[0];
    if (!meta || name === undefined || !columns.includes(name)) continue;
    const leaf = meta.path_in_schema.join(".");
    const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
    const end = start + Number(meta.total_compressed_size);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < 0 || end < start || end > buffer.byteLength) {
      throw corrupt(leaf, `its data (bytes ${start}–${end}) lies outside the file of ${buffer.byteLength} bytes`);
    }
    let schemaPath: SchemaTree[];
    try {
      schemaPath = getSchemaPath(metadata.schema, meta.path_in_schema);
    } catch {
      throw corrupt(leaf, "the column is not in the file's schema");
    }
    if (schemaPath.length < 2 || schemaPath.some((s) => s === undefined)) throw corrupt(leaf, "the column is not in the file's schema");
    const flat = isFlatColumn(schemaPath);
    const chunkValues = Number(meta.num_values);
    const bytes = new Uint8Array(await buffer.slice(start, end));
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

    // hyparquet reads a flat column's pages until it has the group's rows, a nested one to the chunk's end.
    let values = 0;
    let offset = 0;
    try {
      while (flat ? values < groupRows && offset < bytes.length : offset < bytes.length - 1) {
        const reader = { view, offset };
        let header: PageHeader;
        try {
          header = parquetHeader(reader);
        } catch {
          throw new PageProblem(`the page header at byte ${start + offset} cannot be read`);
        }
        const problem = headerProblem(header);
        if (problem !== undefined) throw new PageProblem(`${problem} at byte ${start + offset}`);
        const dataStart = reader.offset;
        const next = dataStart + header.compressed_page_size;
        if (next > bytes.length) throw new PageProblem(`the page at byte ${start + offset} runs past the end of the column chunk (byte ${end})`);
        // Declared sizes are checked before anything is allocated from them (here or in hyparquet).
        const sizeProblem = pageSizeProblem(header, {
          codec: meta.codec,
          element: schemaPath[schemaPath.length - 1]?.element,
          data: bytes.subarray(dataStart, next),
          maxBytes,
          before: declared,
        });
        if (sizeProblem !== undefined) throw new PageProblem(`${sizeProblem} (page at byte ${start + offset})`);
        declared += header.uncompressed_page_size;
        const pageValues =
          header.type === "DATA_PAGE" ? header.data_page_header!.num_values : header.type === "DATA_PAGE_V2" ? header.data_page_header_v2!.num_values : 0;
        // Every value of a flat column is one row; a nested column's pages add up to the chunk's count.
        if (flat ? values + pageValues > groupRows : values + pageValues > chunkValues) {
          throw new PageProblem(`the pages hold more values than the ${flat ? `row group's ${groupRows} rows` : `column chunk's ${chunkValues}`}`);
        }
        if (pageValues > 0) scanDataPage(header, bytes.subarray(dataStart, next), meta, schemaPath, compressors);
        values += pageValues;
        offset = next;
      }
      if (flat && values < groupRows) throw new PageProblem(`the pages hold ${values} values for the row group's ${groupRows} rows`);
    } catch (e) {
      throw corrupt(leaf, e instanceof PageProblem ? e.message : `a page that cannot be read (${(e as Error).message})`);
    }
  }
}
