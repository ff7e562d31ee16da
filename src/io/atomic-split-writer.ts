import type { Column } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";
import { AtomicFile } from "./atomic-file.js";
import { OutputFileError } from "./output-file-error.js";
import { type SplitBatch, toColumns } from "./split-batch.js";
import type { OutputFormat, SplitWriter, WrittenSplit } from "./split-writer.js";

/**
 * What every split writer does whatever its format: the file is an {@link AtomicFile} opened at the
 * first batch (or at close, for a split without rows); every batch must have the first one's
 * columns; any error while writing or closing aborts the whole split (the temp file is removed, the
 * target left as it was) and a writer closed or aborted refuses further calls. A format supplies
 * {@link begin}, {@link append} and {@link end}.
 */
export abstract class AtomicSplitWriter implements SplitWriter {
  readonly path: string;
  abstract readonly format: OutputFormat;
  #file: AtomicFile | undefined;
  #names: string[] | undefined;
  #rows = 0;
  #state: "open" | "closed" | "aborted" = "open";

  constructor(path: string) {
    this.path = path;
  }

  get rows(): number {
    return this.#rows;
  }

  /** The temp file (there from the first batch on). */
  protected get file(): AtomicFile {
    if (this.#file === undefined) throw new OutputFileError(`${this.path}: no batch was written yet.`, { file: this.path });
    return this.#file;
  }

  /** The first batch's columns (or none, at close): set up the file. */
  protected abstract begin(names: readonly string[], columns: readonly Column[]): void;
  /** A batch's rows, in the first batch's column order. */
  protected abstract append(columns: readonly Column[], numRows: number): void | Promise<void>;
  /** Write what is still held in memory, before the file is put in place. */
  protected abstract end(): void | Promise<void>;

  #check(): void {
    if (this.#state !== "open") throw new OutputFileError(`${this.path}: the writer is ${this.#state}.`, { file: this.path });
  }

  #start(names: string[], columns: Column[]): void {
    this.#names = names;
    this.#file = new AtomicFile(this.path);
    this.begin(names, columns);
  }

  /** Adds a batch of rows. */
  async write(batch: SplitBatch): Promise<void> {
    this.#check();
    try {
      const { names, columns, numRows } = toColumns(batch);
      if (this.#names === undefined) this.#start(names, columns);
      else if (names.length !== this.#names.length || names.some((n, c) => n !== this.#names![c])) {
        throw new InvalidArgumentError(
          "batch",
          names,
          `${this.path}: this batch has columns ${JSON.stringify(names)}, the first had ${JSON.stringify(this.#names)}. Every batch of a split must have the same columns.`,
        );
      }
      await this.append(columns, numRows);
      this.#rows += numRows;
    } catch (e) {
      this.abort();
      throw e;
    }
  }

  /** Writes what is left and puts the file in place. */
  async close(): Promise<WrittenSplit> {
    this.#check();
    try {
      if (this.#names === undefined) this.#start([], []);
      await this.end();
      this.file.commit();
    } catch (e) {
      this.abort();
      throw e;
    }
    this.#state = "closed";
    return { path: this.path, rows: this.#rows, bytes: this.file.bytes, format: this.format };
  }

  /** Stops writing and removes the temp file; the target is left as it was. */
  abort(): void {
    if (this.#state === "open") this.#state = "aborted";
    this.#file?.abort();
  }
}
