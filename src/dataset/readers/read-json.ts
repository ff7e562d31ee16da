import { EmptyFileError, EncodingError, MalformedRecordError, MissingColumnError, RecordTooLargeError } from "../../errors.js";
import type { Row } from "../dataset.js";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";
import { isGzip, openByteStream } from "./open-byte-stream.js";
import { readJsonLines } from "./read-json-lines.js";
import { type ByteSource, batchSizeOf, DEFAULT_MAX_RECORD_BYTES, type ReadOptions, type ReadSummary } from "./read-options.js";

export interface ReadJsonOptions extends ReadOptions {
  /** datasets' `field`: the file is one JSON object and the rows are the array (or dict of columns) under this key. */
  field?: string;
  /** The largest JSON document (or JSON Lines line) accepted, in bytes. Default 256 MiB. */
  maxBytes?: number;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function lineOf(text: string, position: number): number {
  let line = 1;
  for (let p = text.indexOf("\n"); p !== -1 && p < position; p = text.indexOf("\n", p + 1)) line++;
  return line;
}

/** The first line of the file (without BOM), up to `limit` bytes, and the first non-blank character. */
async function peek(file: string, limit: number, source: ByteSource | undefined): Promise<{ firstLine: string; firstChar: string | undefined }> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of openByteStream(file, source)) {
    parts.push(chunk);
    size += chunk.length;
    if (chunk.includes(0x0a) || size >= limit) break;
  }
  let bytes = Buffer.concat(parts);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  const text = new TextDecoder("utf-8").decode(bytes.subarray(0, Math.min(bytes.length, limit)));
  const nl = text.indexOf("\n");
  return { firstLine: nl === -1 ? text : text.slice(0, nl), firstChar: text.match(/\S/)?.[0] };
}

async function readWhole(file: string, maxBytes: number, source: ByteSource | undefined): Promise<string> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of openByteStream(file, source)) {
    size += chunk.length;
    if (size > maxBytes) {
      throw new RecordTooLargeError(`${file}: a JSON document larger than ${maxBytes} bytes, the limit.`, {
        file,
        hint: "Convert it to JSON Lines (one object per line), which is read streaming, or raise maxBytes.",
      });
    }
    parts.push(chunk);
  }
  let bytes = Buffer.concat(parts);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    const bad = findInvalidUtf8(bytes);
    let line = 1;
    for (let p = bytes.indexOf(0x0a); p !== -1 && p < bad; p = bytes.indexOf(0x0a, p + 1)) line++;
    throw new EncodingError(`${file}:${line}: bytes that are not valid UTF-8 at byte offset ${bad}.`, {
      file,
      line,
      byteOffset: bad,
      hint: "JSON files must be UTF-8; re-save the file as UTF-8.",
    });
  }
}

/** Rows from a parsed document: an array of objects, an array of scalars (→ "text"), or a dict of columns (pandas' default orient). */
function documentRows(file: string, value: unknown, what: string): Row[] {
  if (Array.isArray(value)) {
    if (value.every(isPlainObject)) return value as Row[];
    if (value.every((v) => !isPlainObject(v) && !Array.isArray(v))) return value.map((text) => ({ text }));
    const i = value.findIndex((v) => !isPlainObject(v));
    throw new MalformedRecordError(
      `${file}: ${what} mixes objects and other values (element ${i} is not an object); expected an array of objects (rows) or of plain values.`,
      { file, row: i },
    );
  }
  if (isPlainObject(value)) {
    // A dict of columns, as pandas.read_json reads it: column → array, or column → {index: value}.
    const names = Object.keys(value);
    const columns = names.map((name) => {
      const col = value[name];
      if (Array.isArray(col)) return col;
      if (isPlainObject(col)) return Object.values(col);
      throw new MalformedRecordError(
        `${file}: ${what} is an object, read as a dict of columns, but its key "${name}" holds ${col === null ? "null" : typeof col}, not a column (an array).`,
        {
          file,
          column: name,
          hint: "If the rows sit under one key of the object, pass its name as the field option.",
        },
      );
    });
    const n = columns[0]?.length ?? 0;
    const bad = columns.findIndex((c) => c.length !== n);
    if (bad !== -1) {
      throw new MalformedRecordError(
        `${file}: ${what} is a dict of columns of different lengths: "${names[0]}" has ${n} values, "${names[bad]}" has ${columns[bad]!.length}.`,
        { file, column: names[bad]! },
      );
    }
    return Array.from({ length: n }, (_, i) => Object.fromEntries(names.map((name, c) => [name, columns[c]![i]])));
  }
  throw new MalformedRecordError(`${file}: ${what} is ${value === null ? "null" : typeof value}; expected an array of objects or a dict of columns.`, { file });
}

/**
 * Reads a `.json` file as Python's `datasets` JSON loader does (`.gz` decompressed):
 * - JSON Lines (the first line is a JSON value, or the name ends in .jsonl): streamed by
 *   {@link readJsonLines}, with its line-numbered errors;
 * - an array: of objects (rows), or of plain values (one "text" column, as datasets);
 * - one object: a dict of columns (`{"q": [...], "a": [...]}`, pandas' default), or with `field`,
 *   the array or dict of columns under that key.
 * Documents (array, object) are read whole, up to `maxBytes`. Syntax errors give `file:line` and the
 * parser's reason; a file with no rows is an EmptyFileError.
 */
export async function* readJson(file: string, options: ReadJsonOptions = {}): AsyncGenerator<Row[], ReadSummary, undefined> {
  const batchSize = batchSizeOf(options);
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const { firstLine, firstChar } = await peek(file, Math.min(maxBytes, 1 << 20), options.source);
  if (firstChar === undefined) throw new EmptyFileError(`${file}: no rows: the file is empty.`, { file });

  const base = (isGzip(file) ? file.slice(0, -3) : file).toLowerCase();
  const lineDelimited = base.endsWith(".jsonl");
  if (options.field === undefined && firstChar !== "[") {
    let firstLineParses = true;
    try {
      JSON.parse(firstLine);
    } catch {
      firstLineParses = false;
    }
    if (lineDelimited || firstLineParses)
      return yield* readJsonLines(file, { batchSize, maxLineBytes: maxBytes, ...(options.source ? { source: options.source } : {}) });
  }

  const text = await readWhole(file, maxBytes, options.source);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const pos = /position (\d+)/.exec(message);
    const line = pos ? lineOf(text, Number(pos[1])) : undefined;
    throw new MalformedRecordError(
      `${file}${line === undefined ? "" : `:${line}`}: not valid JSON: ${message}`,
      line === undefined ? { file, cause: e } : { file, line, cause: e },
    );
  }
  let what = "the JSON document";
  if (options.field !== undefined) {
    if (!isPlainObject(doc)) {
      throw new MalformedRecordError(
        `${file}: the field option "${options.field}" needs a JSON object at the top level, found ${Array.isArray(doc) ? "an array" : typeof doc}.`,
        { file },
      );
    }
    if (!(options.field in doc)) {
      throw new MissingColumnError(`${file}: no field "${options.field}" at the top level of the JSON object; its keys: ${JSON.stringify(Object.keys(doc))}.`, {
        file,
        column: options.field,
        columns: Object.keys(doc),
      });
    }
    doc = doc[options.field];
    what = `field "${options.field}"`;
  }
  const rows = documentRows(file, doc, what);
  if (rows.length === 0) throw new EmptyFileError(`${file}: no rows: ${what} is empty.`, { file });
  for (let i = 0; i < rows.length; i += batchSize) yield rows.slice(i, i + batchSize);
  return { file, rows: rows.length };
}
