import { ByteWriter, type SchemaElement } from "hyparquet-writer";
import { type Column, RaggedInt32Column } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";
import type { AtomicFile } from "./atomic-file.js";
import { AtomicSplitWriter } from "./atomic-split-writer.js";
import { libraryVersion } from "./library-version.js";
import { type OutputColumnType, outputColumnType } from "./output-column-type.js";
import {
  type EncodedRowGroup,
  type RowGroupColumn,
  type RowGroupColumnInput,
  type RowGroupEncoding,
  RowGroupParquetWriter,
} from "./row-group-parquet-writer.js";

/**
 * Encodes row groups elsewhere (worker threads): given the file's schema and a row group's columns,
 * a promise of its bytes ({@link RowGroupParquetWriter.encodeRowGroup} run by a writer from
 * {@link rowGroupEncoder}), or undefined when it has no room (this thread encodes that group).
 */
export type RowGroupEncoderFn = (schema: SchemaElement[], columns: RowGroupColumnInput[], rows: number) => Promise<EncodedRowGroup> | undefined;

export interface ParquetSplitWriterOptions {
  /** Rows per row group. Default 10,000: small enough for readers to stream, big enough to compress well. */
  rowGroupSize?: number;
  /** Encode row groups elsewhere (worker threads); they are still written in order, and the file is the same. Default: in this thread. */
  encoder?: RowGroupEncoderFn;
}

/** Row groups being encoded elsewhere at most, before this thread waits for the first to write it. */
const MAX_ENCODING = 8;

/** Bytes kept in memory before they go to the file. */
const CHUNK = 1 << 20;

/** hyparquet-writer's buffer, emptied into the temp file as it fills (as its own fileWriter does). */
class FileByteWriter extends ByteWriter {
  readonly #file: AtomicFile;
  constructor(file: AtomicFile) {
    super(CHUNK * 2);
    this.#file = file;
  }
  override ensure(size: number): void {
    if (this.index > CHUNK) this.flush();
    super.ensure(size);
  }
  flush(): void {
    if (this.index === 0) return;
    this.#file.write(new Uint8Array(this.buffer, 0, this.index));
    this.index = 0;
  }
  override finish(): void {
    this.flush();
  }
}

function schemaOf(name: string, type: OutputColumnType): SchemaElement[] {
  switch (type) {
    case "string":
      return [{ name, type: "BYTE_ARRAY", converted_type: "UTF8", logical_type: { type: "STRING" }, repetition_type: "OPTIONAL" }];
    case "int32-list":
      // Arrow's three-level list, as pyarrow writes list<int32>.
      return [
        { name, repetition_type: "OPTIONAL", converted_type: "LIST", logical_type: { type: "LIST" }, num_children: 1 },
        { name: "list", repetition_type: "REPEATED", num_children: 1 },
        { name: "element", type: "INT32", repetition_type: "OPTIONAL" },
      ];
    case "int64":
      return [{ name, type: "INT64", repetition_type: "OPTIONAL" }];
    case "float64":
      return [{ name, type: "DOUBLE", repetition_type: "OPTIONAL" }];
    case "bool":
      return [{ name, type: "BOOLEAN", repetition_type: "OPTIONAL" }];
  }
}

/** The `datasets` feature of a column type (stored in the file so Python reads Sequence(int32), not int64 lists). */
function featureOf(type: OutputColumnType): Record<string, unknown> {
  const value = (dtype: string) => ({ dtype, _type: "Value" });
  switch (type) {
    case "string":
      return value("string");
    case "int32-list":
      return { feature: value("int32"), _type: "Sequence" };
    case "int64":
      return value("int64");
    case "float64":
      return value("float64");
    case "bool":
      return value("bool");
  }
}

/** A column's values for hyparquet-writer: whole numbers as bigint, token-id lists as number[] (token ids in flat storage are kept as they are). */
function valuesOf(column: Column, type: OutputColumnType, start: number, end: number): unknown[] {
  const out = new Array<unknown>(end - start);
  for (let i = start; i < end; i++) {
    const v = column instanceof RaggedInt32Column ? column.get(i) : column[i];
    if (v === null || v === undefined) out[i - start] = null;
    else if (type === "int32-list") out[i - start] = Array.from(v as ArrayLike<number>);
    else if (type === "int64") out[i - start] = BigInt(v as number);
    else out[i - start] = v;
  }
  return out;
}

/**
 * The value encoding of a token-id (LIST<INT32>) column chunk. hyparquet-writer's own choice builds a
 * dictionary of every id through a Map (a row group holds about a million ids per column): measured
 * on a 10,000-row group of `prepare`'s output, twice the time of PLAIN for input_ids (the dictionary
 * saves about a fifth of its bytes) and three times that of DELTA_BINARY_PACKED for an all-ones
 * attention_mask (the same bytes). So: DELTA_BINARY_PACKED when every id in the chunk is the same
 * value (zero deltas pack to nothing), PLAIN otherwise. Decided from the values, not the storage, so
 * flat and array input give the same bytes.
 */
function idsEncoding(data: RowGroupColumn): RowGroupEncoding {
  let first: number | undefined;
  if (data instanceof RaggedInt32Column) {
    const flat = data.values.subarray(data.offsets[0]!, data.offsets[data.length]!);
    first = flat[0];
    for (let i = 1; i < flat.length; i++) if (flat[i] !== first) return "PLAIN";
    return "DELTA_BINARY_PACKED";
  }
  for (const row of data as readonly (ArrayLike<number> | null | undefined)[]) {
    if (row === null || row === undefined) continue;
    for (let i = 0; i < row.length; i++) {
      first ??= row[i];
      if (row[i] !== first) return "PLAIN";
    }
  }
  return "DELTA_BINARY_PACKED";
}

/** Rows of a column waiting for their row group: flat token ids, or values. */
type Pending = { kind: "ids"; parts: RaggedInt32Column[] } | { kind: "values"; values: unknown[] };

function takeRows(pending: Pending, rows: number): RowGroupColumn {
  if (pending.kind === "values") return pending.values.splice(0, rows);
  const all = pending.parts.length === 1 ? pending.parts[0]! : RaggedInt32Column.concat(pending.parts);
  if (all.length === rows) {
    pending.parts = [];
    return all;
  }
  pending.parts = [all.slice(rows)];
  return all.slice(0, rows);
}

/**
 * Writes one split to a Parquet file, batch by batch, in row groups of `rowGroupSize`: token-id
 * columns as LIST<INT32>, text as STRING (UTF8), so Python's
 * `datasets.load_dataset("parquet", data_files=...)` reads them as Sequence(int32) and string (the
 * file also carries datasets' own "huggingface" schema metadata saying so). Snappy-compressed. The
 * column types come from the first batch; every batch must have the same columns. Written
 * atomically ({@link AtomicSplitWriter}): the file appears, complete, on {@link close}.
 */
export class ParquetSplitWriter extends AtomicSplitWriter {
  readonly format = "parquet";
  readonly #rowGroupSize: number;
  #writer: RowGroupParquetWriter | undefined;
  #names: readonly string[] = [];
  #types: OutputColumnType[] = [];
  #pending: Pending[] = [];
  #pendingRows = 0;
  #schema: SchemaElement[] = [];
  readonly #encoder: RowGroupEncoderFn | undefined;
  /** Row groups encoded or being encoded, in file order, not yet written. */
  #encoding: Promise<EncodedRowGroup>[] = [];

  constructor(path: string, options: ParquetSplitWriterOptions = {}) {
    const size = options.rowGroupSize ?? 10_000;
    if (!Number.isInteger(size) || size < 1)
      throw new InvalidArgumentError("rowGroupSize", size, `rowGroupSize must be a whole number ≥ 1, got ${String(size)}.`);
    super(path);
    this.#rowGroupSize = size;
    this.#encoder = options.encoder;
  }

  protected begin(names: readonly string[], columns: readonly Column[]): void {
    this.#types = names.map((n, c) => outputColumnType(n, columns[c]!, this.path));
    const schema: SchemaElement[] = [{ name: "root", num_children: names.length }, ...names.flatMap((n, c) => schemaOf(n, this.#types[c]!))];
    const features = Object.fromEntries(names.map((n, c) => [n, featureOf(this.#types[c]!)]));
    this.#names = names;
    this.#schema = schema;
    this.#pending = this.#types.map(
      (t, c): Pending => (t === "int32-list" && columns[c] instanceof RaggedInt32Column ? { kind: "ids", parts: [] } : { kind: "values", values: [] }),
    );
    this.#writer = new RowGroupParquetWriter({
      writer: new FileByteWriter(this.file),
      schema,
      createdBy: `finetune-prep ${libraryVersion()} (hyparquet-writer)`,
      kvMetadata: [{ key: "huggingface", value: JSON.stringify({ info: { features } }) }],
    });
  }

  /** Takes a row group's rows and writes it, or hands it to the encoder (then it is written, in order, by {@link #flushEncoded}). */
  #writeGroup(rows: number): void {
    const columns = this.#names.map((name, c): RowGroupColumnInput => {
      const data = takeRows(this.#pending[c]!, rows);
      return this.#types[c] === "int32-list" ? { name, data, encoding: idsEncoding(data) } : { name, data };
    });
    this.#pendingRows -= rows;
    if (this.#encoder === undefined) {
      this.#writer!.writeRowGroup(columns, rows);
      return;
    }
    const elsewhere = this.#encoder(this.#schema, columns, rows);
    const group = elsewhere ?? Promise.resolve(this.#writer!.encodeRowGroup(columns, rows));
    // Awaited in order by #flushEncoded; a failure is handled there (or the writer is aborted).
    group.catch(() => {});
    this.#encoding.push(group);
  }

  /** Writes the encoded row groups in file order, until at most `keep` are still being encoded. */
  async #flushEncoded(keep: number): Promise<void> {
    while (this.#encoding.length > keep) this.#writer!.appendRowGroup(await this.#encoding.shift()!);
  }

  /** Adds rows. They reach the file a row group at a time. */
  protected async append(columns: readonly Column[], numRows: number): Promise<void> {
    for (let c = 0; c < columns.length; c++) {
      const column = columns[c]!;
      const pending = this.#pending[c]!;
      if (pending.kind === "ids" && column instanceof RaggedInt32Column) {
        pending.parts.push(column);
        continue;
      }
      if (pending.kind === "ids") {
        // A later batch gives this column as plain arrays: from here on it is written the generic way.
        const before = takeRows(pending, this.#pendingRows) as RaggedInt32Column;
        this.#pending[c] = { kind: "values", values: valuesOf(before, "int32-list", 0, before.length) };
      }
      const values = valuesOf(column, this.#types[c]!, 0, numRows);
      const into = (this.#pending[c] as { values: unknown[] }).values;
      for (const v of values) into.push(v);
    }
    this.#pendingRows += numRows;
    while (this.#pendingRows >= this.#rowGroupSize) this.#writeGroup(this.#rowGroupSize);
    await this.#flushEncoded(MAX_ENCODING);
  }

  /** Writes what is left and the footer. */
  protected async end(): Promise<void> {
    if (this.#pendingRows > 0) this.#writeGroup(this.#pendingRows);
    await this.#flushEncoded(0);
    this.#writer!.finish();
  }
}
