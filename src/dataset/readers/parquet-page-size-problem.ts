import type { CompressionCodec, PageHeader, SchemaElement } from "hyparquet";

/**
 * The most a codec can expand its input, as a bound on a page's declared uncompressed size:
 * snappy's longest copy (3 bytes → 64), deflate's 1032:1, LZ4's 255 per length byte. Zstandard and
 * Brotli can expand without such a bound (checked otherwise: the memory budget, Zstandard's frame header).
 */
function maxExpansion(codec: CompressionCodec, compressed: number): number {
  switch (codec) {
    case "UNCOMPRESSED":
      return compressed;
    case "SNAPPY":
      return Math.ceil((compressed * 64) / 3) + 16;
    case "GZIP":
      return compressed * 1032 + 1024;
    case "LZ4":
    case "LZ4_RAW":
      return compressed * 256 + 64;
    default:
      return Infinity;
  }
}

/** The smallest number of bytes one PLAIN value of a column takes (a dictionary page's values). */
function minPlainWidth(element: SchemaElement | undefined): number {
  switch (element?.type) {
    case "INT32":
    case "FLOAT":
    case "BYTE_ARRAY":
      return 4;
    case "INT64":
    case "DOUBLE":
      return 8;
    case "INT96":
      return 12;
    case "FIXED_LEN_BYTE_ARRAY":
      return Math.max(1, element.type_length ?? 1);
    default:
      return 0;
  }
}

/**
 * Zstandard frames of a page, walked without decompressing: the content size a frame header
 * declares (fzstd allocates it, or the window size when absent, before decoding a byte) must fit the
 * page's declared size. Returns what is wrong, or undefined.
 */
function zstdProblem(data: Uint8Array, declared: number, maxBytes: number): string | undefined {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  let total = 0;
  while (at + 4 <= data.length) {
    const magic = view.getUint32(at, true);
    if ((magic & 0xfffffff0) === 0x184d2a50) {
      if (at + 8 > data.length) return "a Zstandard skippable frame cut short";
      at += 8 + view.getUint32(at + 4, true);
      continue;
    }
    if (magic !== 0xfd2fb528) return undefined; // not Zstandard: fzstd refuses it without allocating
    if (at + 5 > data.length) return "a Zstandard frame header cut short";
    const flags = data[at + 4]!;
    const singleSegment = (flags >> 5) & 1;
    const fcsFlag = flags >> 6;
    const dictBytes = [0, 1, 2, 4][flags & 3]!;
    let p = at + 5;
    let window = 0;
    if (!singleSegment) {
      const wd = data[p++]!;
      const base = 2 ** (10 + (wd >> 3));
      window = base + (base / 8) * (wd & 7);
    }
    p += dictBytes;
    const fcsBytes = fcsFlag === 0 ? singleSegment : 1 << fcsFlag;
    if (p + fcsBytes > data.length) return "a Zstandard frame header cut short";
    let content: number | undefined;
    if (fcsBytes > 0) {
      content = 0;
      for (let i = fcsBytes - 1; i >= 0; i--) content = content * 256 + data[p + i]!;
      if (fcsBytes === 2) content += 256;
    }
    p += fcsBytes;
    if (content !== undefined) {
      total += content;
      if (total > declared) return `Zstandard frames that declare ${total} bytes, more than the page's ${declared}`;
    } else if (window > maxBytes) {
      return `a Zstandard frame with a window of ${window} bytes, more than the memory budget of ${maxBytes}`;
    }
    // Blocks: 3-byte headers (last flag, type, size); an RLE block holds one byte, a reserved type is damage.
    for (;;) {
      if (p + 3 > data.length) return undefined; // cut short: fzstd fails on it without a large allocation
      const h = data[p]! | (data[p + 1]! << 8) | (data[p + 2]! << 16);
      const type = (h >> 1) & 3;
      const size = h >>> 3;
      if (type === 3) return "a Zstandard block of the reserved type";
      p += 3 + (type === 1 ? 1 : size);
      if (h & 1) break;
    }
    if ((flags >> 2) & 1) p += 4;
    at = p;
  }
  return undefined;
}

export interface PageSizeCheck {
  codec: CompressionCodec;
  /** The column's schema element (its physical type bounds a dictionary page's values). */
  element: SchemaElement | undefined;
  /** The page's bytes as stored. */
  data: Uint8Array;
  /** The memory budget of the row group, in bytes. */
  maxBytes: number;
  /** Uncompressed bytes of the row group's pages before this one. */
  before: number;
}

/**
 * What is wrong with one page's declared sizes, or undefined — checked before hyparquet (or the
 * page walk) allocates what the header says: an uncompressed size the codec cannot reach from the
 * stored bytes, Zstandard frames declaring more than the page, pages adding up past the row
 * group's memory budget, a dictionary page with more values than its bytes can hold.
 */
export function pageSizeProblem(header: PageHeader, check: PageSizeCheck): string | undefined {
  const { codec, data } = check;
  const size = header.uncompressed_page_size;
  const levels =
    header.type === "DATA_PAGE_V2" ? header.data_page_header_v2!.definition_levels_byte_length + header.data_page_header_v2!.repetition_levels_byte_length : 0;
  const stored = header.type === "DATA_PAGE_V2" && header.data_page_header_v2!.is_compressed === false ? "UNCOMPRESSED" : codec;
  if (size - levels > maxExpansion(stored, data.length - levels)) {
    return `a page of ${data.length} bytes (${codec}) that declares ${size} bytes uncompressed, more than ${codec} can expand it to`;
  }
  if (check.before + size > check.maxBytes) {
    return `pages that declare ${check.before + size} bytes uncompressed, more than the row group's memory budget of ${check.maxBytes} bytes (maxRowGroupBytes) and than its footer declares`;
  }
  if (stored === "ZSTD") {
    const z = zstdProblem(data.subarray(levels), size - levels, check.maxBytes);
    if (z !== undefined) return z;
  }
  if (header.type === "DICTIONARY_PAGE") {
    const values = header.dictionary_page_header!.num_values;
    const width = minPlainWidth(check.element);
    if (values * width > size) return `a dictionary page of ${size} bytes that declares ${values} values`;
  }
  return undefined;
}
