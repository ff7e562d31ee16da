import { pipeline, Readable } from "node:stream";
import { CsvError, parse } from "csv-parse";
import { DuplicateColumnError, EmptyFileError, EncodingError, FinetunePrepError, MalformedRecordError, RecordTooLargeError } from "../../errors.js";
import type { Row } from "../dataset.js";
import { findInvalidUtf8 } from "./find-invalid-utf8.js";
import { openByteStream } from "./open-byte-stream.js";
import { type ByteSource, batchSizeOf, DEFAULT_MAX_RECORD_BYTES, type ReadOptions, type ReadSummary } from "./read-options.js";
import { setField } from "./set-field.js";

export interface ReadCsvOptions extends ReadOptions {
  /** Field separator (pandas' `sep`). Default "," ("\t" for .tsv files when read through readDataFile). */
  sep?: string;
  /** The longest record accepted, in characters; a longer one is a RecordTooLargeError. Default 256 Mi. */
  maxRecordSize?: number;
}

function countNewlines(bytes: Uint8Array, end = bytes.length): number {
  let n = 0;
  for (let p = bytes.indexOf(0x0a); p !== -1 && p < end; p = bytes.indexOf(0x0a, p + 1)) n++;
  return n;
}

/** UTF-8 text of `file`, decoded strictly: a bad byte is an EncodingError with its line and offset. `tail.last` is the last character seen. */
async function* decodeStrict(file: string, tail: { last: string }, source?: ByteSource): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  let lines = 0;
  let offset = 0;
  let carry: Uint8Array = new Uint8Array(0); // bytes of a character cut by the chunk boundary
  for await (const chunk of openByteStream(file, source)) {
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      const joined = Buffer.concat([carry, chunk]);
      const bad = findInvalidUtf8(joined);
      const line = lines + countNewlines(joined, bad) + 1;
      const at = offset - carry.length + bad;
      throw new EncodingError(`${file}:${line}: bytes that are not valid UTF-8 at byte offset ${at}.`, {
        file,
        line,
        byteOffset: at,
        hint: "CSV files must be UTF-8; re-save the file as UTF-8.",
      });
    }
    if (text.length > 0) tail.last = text[text.length - 1]!;
    yield text;
    lines += countNewlines(chunk);
    offset += chunk.length;
    // Keep the tail that may be an unfinished character, to locate an error spanning the boundary.
    carry = chunk.subarray(Math.max(0, chunk.length - 3));
  }
  try {
    yield decoder.decode();
  } catch {
    throw new EncodingError(`${file}:${lines + 1}: the file ends inside a UTF-8 character (byte offset ${offset - carry.length}).`, {
      file,
      line: lines + 1,
      byteOffset: offset,
    });
  }
}

/** The column names of a header record, as pandas names them ("Unnamed: i" for an empty one); a name given twice is refused. */
function headerOf(file: string, record: string[], line: number): string[] {
  const header = record.map((name, i) => (name === "" ? `Unnamed: ${i}` : name));
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const before = seen.get(name);
    if (before !== undefined) {
      throw new DuplicateColumnError(`${file}:${line}: column "${name}" appears twice in the header (fields ${before + 1} and ${i + 1}).`, {
        file,
        line,
        column: name,
        hint: `Rename one of them; pandas would silently call the second one "${name}.1".`,
      });
    }
    seen.set(name, i);
  });
  return header;
}

/**
 * Reads a CSV file with csv-parse (quoted fields, embedded newlines, `""` escapes, BOM; `.gz`
 * decompressed), streaming: yields batches of rows keyed by the header's names and returns a
 * {@link ReadSummary} (with the header's columns even when there are no rows).
 *
 * Values stay the text of the cells ("" for an empty cell); {@link castCsvColumn} turns a whole
 * column into numbers/booleans/nulls as pandas would (loadDataset does that). Blank lines are
 * skipped and counted, as pandas does.
 *
 * Errors name `file:line`: a record with more or fewer fields than the header (MalformedRecordError;
 * pandas pads short rows with NaN, this refuses them), broken quoting (MalformedRecordError), bytes
 * that are not UTF-8 (EncodingError), a record over `maxRecordSize` (RecordTooLargeError), the same
 * name twice in the header (DuplicateColumnError; pandas would rename it "a.1"). An empty header
 * cell gets pandas' name "Unnamed: i". An empty file is an EmptyFileError (pandas: EmptyDataError).
 */
export async function* readCsv(file: string, options: ReadCsvOptions = {}): AsyncGenerator<Row[], ReadSummary, undefined> {
  const batchSize = batchSizeOf(options);
  const maxRecordSize = options.maxRecordSize ?? DEFAULT_MAX_RECORD_BYTES;
  const parser = parse({
    bom: true,
    delimiter: options.sep ?? ",",
    skip_empty_lines: true,
    max_record_size: maxRecordSize,
    info: true,
  });
  const tail = { last: "" };
  pipeline(Readable.from(decodeStrict(file, tail, options.source)), parser, () => {});

  let header: string[] | undefined;
  let rows = 0;
  let batch: Row[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      if (header === undefined) {
        header = headerOf(file, record, info.lines);
        continue;
      }
      const row: Row = {};
      for (let c = 0; c < header.length; c++) setField(row, header[c]!, record[c]);
      batch.push(row);
      rows++;
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  } catch (e) {
    if (e instanceof FinetunePrepError) throw e;
    if (e instanceof CsvError) {
      const line = (e as CsvError & { lines?: number }).lines;
      const at = line === undefined ? file : `${file}:${line}`;
      const loc = line === undefined ? { file, cause: e } : { file, line, cause: e };
      if (e.code === "CSV_RECORD_INCONSISTENT_FIELDS_LENGTH") {
        const got = (e as CsvError & { record?: unknown[] }).record?.length;
        throw new MalformedRecordError(`${at}: ${got ?? "a different number of"} fields where the header has ${header?.length}.`, {
          ...loc,
          hint: "Every record needs one field per header column; quote fields that contain the separator.",
        });
      }
      if (e.code === "CSV_MAX_RECORD_SIZE") {
        throw new RecordTooLargeError(`${at}: a record longer than ${maxRecordSize} characters, the limit.`, {
          ...loc,
          hint: "Raise maxRecordSize if the record is meant to be this long.",
        });
      }
      throw new MalformedRecordError(`${at}: ${e.message}`, loc);
    }
    throw e;
  } finally {
    parser.destroy();
  }
  if (batch.length > 0) yield batch;
  if (header === undefined) throw new EmptyFileError(`${file}: no columns to parse: the file is empty.`, { file });
  // csv-parse counts the end of a file that ends with a newline as one more empty line.
  const emptyLines = (parser.info as { empty_lines: number }).empty_lines;
  return { file, rows, columns: header, blankLines: Math.max(0, emptyLines - (tail.last === "\n" || tail.last === "\r" ? 1 : 0)) };
}
