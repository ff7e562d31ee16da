import { RaggedInt32Column } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";
import { AtomicFile } from "./atomic-file.js";
import { OutputFileError } from "./output-file-error.js";
import { toColumns, type SplitBatch } from "./split-batch.js";
import type { SplitWriter, WrittenSplit } from "./split-writer.js";

/** Text kept in memory before it goes to the file. */
const CHUNK = 1 << 20;

function jsonValue(v: unknown): unknown {
  return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v === undefined ? null : v;
}

/**
 * Writes one split as JSON Lines: one JSON object per line, the batch's columns as keys (token ids as
 * arrays of numbers), UTF-8, "\n" after every line. Python's `load_dataset("json", data_files=...)`
 * and any JS reader read it back. Written atomically ({@link AtomicFile}).
 */
export class JsonlSplitWriter implements SplitWriter {
  readonly path: string;
  readonly format = "jsonl";
  #file: AtomicFile | undefined;
  #names: string[] | undefined;
  #buffer = "";
  #rows = 0;
  #state: "open" | "closed" | "aborted" = "open";

  constructor(path: string) {
    this.path = path;
  }

  get rows(): number {
    return this.#rows;
  }

  #check(): void {
    if (this.#state !== "open") throw new OutputFileError(`${this.path}: the writer is ${this.#state}.`, { file: this.path });
  }

  async write(batch: SplitBatch): Promise<void> {
    this.#check();
    try {
      const { names, columns, numRows } = toColumns(batch);
      if (this.#names === undefined) this.#names = names;
      else if (names.length !== this.#names.length || names.some((n, c) => n !== this.#names![c])) {
        throw new InvalidArgumentError("batch", names, `${this.path}: this batch has columns ${JSON.stringify(names)}, the first had ${JSON.stringify(this.#names)}. Every batch of a split must have the same columns.`);
      }
      this.#file ??= new AtomicFile(this.path);
      for (let i = 0; i < numRows; i++) {
        const row: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) {
          const col = columns[c]!;
          row[names[c]!] = jsonValue(col instanceof RaggedInt32Column ? col.get(i) : col[i]);
        }
        this.#buffer += `${JSON.stringify(row)}\n`;
        if (this.#buffer.length >= CHUNK) {
          this.#file.write(this.#buffer);
          this.#buffer = "";
        }
      }
      this.#rows += numRows;
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  async close(): Promise<WrittenSplit> {
    this.#check();
    try {
      this.#file ??= new AtomicFile(this.path);
      if (this.#buffer) this.#file.write(this.#buffer);
      this.#buffer = "";
      this.#file.commit();
    } catch (e) {
      this.abort();
      throw e;
    }
    this.#state = "closed";
    return { path: this.path, rows: this.#rows, bytes: this.#file.bytes, format: "jsonl" };
  }

  abort(): void {
    if (this.#state === "open") this.#state = "aborted";
    this.#buffer = "";
    this.#file?.abort();
  }
}
