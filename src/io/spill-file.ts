import { readSync } from "node:fs";
import { RaggedInt32Column } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";
import { ensureOutputFolder } from "./ensure-output-folder.js";
import { OutputFileError } from "./output-file-error.js";
import { TempFile } from "./temp-file.js";

/** The columns of the prepared rows a spill file holds: text columns, then id columns. */
export interface SpillLayout {
  /** Text (string) columns, in output order. */
  texts: string[];
  /** Token-id columns stored per row (input_ids, labels when they differ from input_ids), in output order. */
  ids: string[];
}

/** Rows read back, in the order asked: text columns as strings, id columns flat. */
export interface SpilledRows {
  numRows: number;
  texts: Map<string, string[]>;
  ids: Map<string, RaggedInt32Column>;
}

/** Name of the temp files: `<PREFIX><pid>.<random hex>.tmp`. */
const PREFIX = ".finetune-prep-rows.";

/** Records at most this many bytes apart are read in one call, the bytes between them along. */
const READ_GAP = 16 << 10;
/** The most one read call takes. */
const READ_RUN = 4 << 20;

/** Bytes of row records kept in memory before they go to the file. */
const WRITE_CHUNK = 4 << 20;

function ioFailure(action: string, path: string, e: unknown): OutputFileError {
  const err = e as NodeJS.ErrnoException;
  return new OutputFileError(`Cannot ${action} the temporary file ${path}: ${err.message ?? String(e)}`, {
    file: path,
    cause: e,
    ...(err.code === "ENOSPC"
      ? {
          hint: "The disk is full: the prepared rows are kept on disk beside the output until the splits are written; free some space or write elsewhere (--out).",
        }
      : {}),
  });
}

/**
 * Prepared rows kept on disk, in input order, so that a dataset of any size can be written in
 * another order (the train/test permutation) with only an index in memory: 8 bytes per row.
 *
 * Each row is one record: a header of uint32s (byte length of each text, then the number of ids),
 * the ids of each id column (int32, native byte order — the file never leaves this process), then
 * the texts as UTF-8. The file is created in `dir` (and `dir` with it, if missing: the output folder
 * appears with the first file written into it) with a dot name and removed by {@link remove}
 * (also on any error); one a killed process left behind is removed by the next SpillFile in `dir`.
 */
export class SpillFile {
  readonly layout: SpillLayout;
  readonly #file: TempFile;
  /** Byte offset of each row's record; entry `rows` is the end of the file. */
  #offsets = new Float64Array(1024);
  /** Number of ids of each row (so rows read back are laid out before their records are read). */
  #counts = new Uint32Array(1024);
  #rows = 0;
  #size = 0;
  #chunk = Buffer.allocUnsafe(WRITE_CHUNK);
  #chunkUsed = 0;

  constructor(dir: string, layout: SpillLayout) {
    this.layout = { texts: [...layout.texts], ids: [...layout.ids] };
    ensureOutputFolder(dir);
    try {
      this.#file = new TempFile({ dir, prefix: PREFIX, mode: 0o600, readable: true });
    } catch (e) {
      throw ioFailure("create", (e as NodeJS.ErrnoException).path ?? dir, e);
    }
  }

  /** The temp file. */
  get path(): string {
    return this.#file.path;
  }

  /** Rows appended so far. */
  get rows(): number {
    return this.#rows;
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.#size;
  }

  /** Appends rows: `texts` and `ids` hold the layout's columns, each `numRows` long. */
  append(texts: ReadonlyMap<string, readonly string[]>, ids: ReadonlyMap<string, RaggedInt32Column>, numRows: number): void {
    const textCols = this.layout.texts.map((name) => this.#columnOf(texts, name, numRows));
    const idCols = this.layout.ids.map((name) => this.#columnOf(ids, name, numRows));
    const headerBytes = 4 * (textCols.length + 1);
    for (let i = 0; i < numRows; i++) {
      let n = -1;
      for (const col of idCols) {
        const len = col.lengthOf(i);
        if (n >= 0 && len !== n)
          throw new InvalidArgumentError("ids", len, `Row ${this.#rows}: the id columns ${JSON.stringify(this.layout.ids)} have different lengths.`, {
            row: this.#rows,
          });
        n = len;
      }
      if (n < 0) n = 0;
      let textBytes = 0;
      for (const col of textCols) textBytes += Buffer.byteLength(col[i] as string, "utf8");
      const size = headerBytes + 4 * n * idCols.length + textBytes;
      if (this.#chunkUsed + size > this.#chunk.length) this.#flush();
      // A record larger than the chunk gets a buffer of its own.
      const buf = size > this.#chunk.length ? Buffer.allocUnsafe(size) : this.#chunk;
      let at = buf === this.#chunk ? this.#chunkUsed : 0;
      const start = at;
      // Text lengths are filled in once the text is written (UTF-8 length known then).
      const lengthsAt = at;
      at += 4 * textCols.length;
      buf.writeUInt32LE(n, at);
      at += 4;
      for (const col of idCols) {
        const row = col.get(i);
        buf.set(new Uint8Array(row.buffer, row.byteOffset, row.byteLength), at);
        at += row.byteLength;
      }
      for (let c = 0; c < textCols.length; c++) {
        const written = buf.write(textCols[c]![i] as string, at, "utf8");
        buf.writeUInt32LE(written, lengthsAt + 4 * c);
        at += written;
      }
      if (buf === this.#chunk) this.#chunkUsed = at;
      else this.#writeOut(buf.subarray(0, at - start));
      this.#push(size, n);
    }
  }

  #columnOf<T extends { length: number }>(columns: ReadonlyMap<string, T>, name: string, numRows: number): T {
    const col = columns.get(name);
    if (col === undefined) throw new InvalidArgumentError("columns", name, `SpillFile: column "${name}" is missing from the batch.`, { column: name });
    if (col.length !== numRows)
      throw new InvalidArgumentError("columns", col.length, `SpillFile: column "${name}" has ${col.length} rows, the batch ${numRows}.`, { column: name });
    return col;
  }

  #push(size: number, count: number): void {
    if (this.#rows + 2 > this.#offsets.length) {
      const next = new Float64Array(this.#offsets.length * 2);
      next.set(this.#offsets);
      this.#offsets = next;
      const counts = new Uint32Array(this.#offsets.length);
      counts.set(this.#counts);
      this.#counts = counts;
    }
    this.#counts[this.#rows] = count;
    this.#offsets[this.#rows] = this.#size;
    this.#size += size;
    this.#rows++;
    this.#offsets[this.#rows] = this.#size;
  }

  #flush(): void {
    if (this.#chunkUsed === 0) return;
    this.#writeOut(this.#chunk.subarray(0, this.#chunkUsed));
    this.#chunkUsed = 0;
  }

  #writeOut(bytes: Uint8Array): void {
    if (this.#file.fd === undefined) throw new OutputFileError(`${this.path}: the temporary file was removed.`, { file: this.path });
    try {
      this.#file.write(bytes);
    } catch (e) {
      throw ioFailure("write", this.path, e);
    }
  }

  /**
   * The rows at `indices` (0-based input rows), in that order. The records are read in file order
   * (sorted offsets) and put in place, so memory holds only these rows.
   */
  read(indices: ArrayLike<number>): SpilledRows {
    this.#flush();
    const fd = this.#file.fd;
    if (fd === undefined) throw new OutputFileError(`${this.path}: the temporary file was removed.`, { file: this.path });
    const m = indices.length;
    for (let j = 0; j < m; j++) {
      const i = indices[j]!;
      if (!Number.isInteger(i) || i < 0 || i >= this.#rows)
        throw new InvalidArgumentError("indices", i, `SpillFile: row ${i} is not one of the ${this.#rows} rows.`);
    }
    const order = Array.from({ length: m }, (_, j) => j).sort((a, b) => indices[a]! - indices[b]!);
    const nText = this.layout.texts.length;
    const nIds = this.layout.ids.length;
    const headerBytes = 4 * (nText + 1);
    const texts = this.layout.texts.map(() => new Array<string>(m));
    const offsets = new Uint32Array(m + 1);
    for (let j = 0; j < m; j++) offsets[j + 1] = offsets[j]! + this.#counts[indices[j]!]!;
    const values = this.layout.ids.map(() => new Int32Array(offsets[m]!));
    const bytesOf = values.map((v) => new Uint8Array(v.buffer));
    let run = Buffer.allocUnsafe(1 << 16);
    // Records in file order (sorted offsets), each put in its place in the asked order. Records close
    // together are read in one call (the gaps read along): a call per record cost more than the bytes.
    for (let k = 0; k < m; ) {
      const first = indices[order[k]!]!;
      const runStart = this.#offsets[first]!;
      let runEnd = this.#offsets[first + 1]!;
      let last = k + 1;
      while (last < m) {
        const next = indices[order[last]!]!;
        const nextStart = this.#offsets[next]!;
        const nextEnd = this.#offsets[next + 1]!;
        if (nextStart - runEnd > READ_GAP || nextEnd - runStart > READ_RUN) break;
        runEnd = Math.max(runEnd, nextEnd);
        last++;
      }
      const size = runEnd - runStart;
      if (size > run.length) run = Buffer.allocUnsafe(Math.max(size, run.length * 2));
      let got = 0;
      try {
        while (got < size) {
          const n = readSync(fd, run, got, size - got, runStart + got);
          if (n === 0) throw new Error("unexpected end of file");
          got += n;
        }
      } catch (e) {
        throw ioFailure("read", this.path, e);
      }
      for (; k < last; k++) {
        const j = order[k]!;
        const i = indices[j]!;
        const n = this.#counts[i]!;
        const base = this.#offsets[i]! - runStart;
        let at = base + headerBytes;
        for (let c = 0; c < nIds; c++) {
          // Copied byte-wise: a record's ids need not be 4-byte aligned in the buffer.
          bytesOf[c]!.set(run.subarray(at, at + n * 4), offsets[j]! * 4);
          at += n * 4;
        }
        for (let c = 0; c < nText; c++) {
          const len = run.readUInt32LE(base + 4 * c);
          texts[c]![j] = run.toString("utf8", at, at + len);
          at += len;
        }
      }
    }
    return {
      numRows: m,
      texts: new Map(this.layout.texts.map((name, c) => [name, texts[c]!])),
      ids: new Map(this.layout.ids.map((name, c) => [name, new RaggedInt32Column(values[c]!, offsets)])),
    };
  }

  /** Closes and deletes the file. Safe to call more than once. */
  remove(): void {
    this.#file.discard();
  }
}
