import { EmptyFileError, EncodingError, MalformedRecordError, RecordTooLargeError } from "../../errors.js";
import type { Row } from "../dataset.js";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";
import { openByteStream } from "./open-byte-stream.js";
import { batchSizeOf, DEFAULT_MAX_RECORD_BYTES, type ReadOptions, type ReadSummary } from "./read-options.js";

export interface ReadJsonLinesOptions extends ReadOptions {
  /** The longest line accepted, in bytes; a longer one is a RecordTooLargeError. Default 256 MiB. */
  maxLineBytes?: number;
}

const NL = 0x0a;

function describeJson(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "string" ? "a string" : typeof v === "number" ? "a number" : typeof v === "boolean" ? "a boolean" : typeof v;
}

/**
 * Reads a JSON Lines file (one JSON object per line; `.gz` decompressed), streaming: yields batches
 * of rows and returns a {@link ReadSummary}. As pandas/pyarrow accept them: a UTF-8 BOM, CRLF line
 * ends and blank lines anywhere (counted in `blankLines`).
 *
 * Errors name `file:line`: a line that is not JSON (MalformedRecordError with the parser's reason),
 * a JSON value that is not an object (MalformedRecordError), bytes that are not UTF-8 (EncodingError
 * with the byte offset), a line longer than `maxLineBytes` (RecordTooLargeError). A file without a
 * single row is an EmptyFileError, as Python's `datasets` fails on one (it cannot infer a schema).
 */
export async function* readJsonLines(file: string, options: ReadJsonLinesOptions = {}): AsyncGenerator<Row[], ReadSummary, undefined> {
  const batchSize = batchSizeOf(options);
  const maxLine = options.maxLineBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let line = 0; // lines fully processed
  let fileOffset = 0; // byte offset (decompressed) of the first pending byte
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let first = true;
  let rows = 0;
  let blankLines = 0;
  let batch: Row[] = [];

  const tooLarge = (lineNo: number) =>
    new RecordTooLargeError(`${file}:${lineNo}: line longer than ${maxLine} bytes, the limit.`, {
      file,
      line: lineNo,
      hint: "Raise the limit with the maxLineBytes option if the line is meant to be this long.",
    });

  // Decodes and parses whole lines; `bytes` ends right after a newline, or at the end of the file.
  const processLines = (bytes: Buffer): void => {
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      const bad = findInvalidUtf8(bytes);
      let lineNo = line + 1;
      for (let p = bytes.indexOf(NL); p !== -1 && p < bad; p = bytes.indexOf(NL, p + 1)) lineNo++;
      throw new EncodingError(`${file}:${lineNo}: bytes that are not valid UTF-8 at byte offset ${fileOffset + bad}.`, {
        file,
        line: lineNo,
        byteOffset: fileOffset + bad,
        hint: "JSON Lines files must be UTF-8; re-save the file as UTF-8.",
      });
    }
    const lines = text.split("\n");
    // Text ending in a newline leaves an empty last piece that is not a line.
    const count = bytes[bytes.length - 1] === NL ? lines.length - 1 : lines.length;
    for (let k = 0; k < count; k++) {
      line++;
      const s = lines[k]!;
      if (s.length * 3 > maxLine && Buffer.byteLength(s) > maxLine) throw tooLarge(line);
      if (s.trim() === "") {
        blankLines++;
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(s);
      } catch (e) {
        throw new MalformedRecordError(`${file}:${line}: not valid JSON: ${(e as Error).message}`, { file, line, cause: e });
      }
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        throw new MalformedRecordError(`${file}:${line}: the line holds ${describeJson(value)}, not a JSON object; each line must be one object (one row).`, {
          file,
          line,
        });
      }
      batch.push(value as Row);
      rows++;
    }
    fileOffset += bytes.length;
  };

  for await (let chunk of openByteStream(file, options.source)) {
    if (first) {
      first = false;
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) {
        chunk = chunk.subarray(3);
        fileOffset = 3;
      }
    }
    const lastNl = chunk.lastIndexOf(NL);
    if (lastNl === -1) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes > maxLine) throw tooLarge(line + 1);
      continue;
    }
    const firstNl = chunk.indexOf(NL);
    if (pendingBytes + firstNl > maxLine) throw tooLarge(line + 1);
    const head = pending.length > 0 ? Buffer.concat([...pending, chunk.subarray(0, lastNl + 1)]) : chunk.subarray(0, lastNl + 1);
    processLines(head);
    pending = lastNl + 1 < chunk.length ? [chunk.subarray(lastNl + 1)] : [];
    pendingBytes = chunk.length - lastNl - 1;
    while (batch.length >= batchSize) {
      yield batch.slice(0, batchSize);
      batch = batch.slice(batchSize);
    }
  }
  if (pendingBytes > 0) processLines(Buffer.concat(pending));
  while (batch.length > 0) {
    yield batch.slice(0, batchSize);
    batch = batch.slice(batchSize);
  }
  if (rows === 0) {
    throw new EmptyFileError(`${file}: no rows: the file is empty${blankLines > 0 ? ` (${blankLines} blank line${blankLines === 1 ? "" : "s"})` : ""}.`, {
      file,
      hint: "Python's datasets cannot load an empty JSON Lines file either; remove it from the data files.",
    });
  }
  return { file, rows, blankLines };
}
