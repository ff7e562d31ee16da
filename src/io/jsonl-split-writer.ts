import { type Column, RaggedInt32Column } from "../dataset/index.js";
import { AtomicSplitWriter } from "./atomic-split-writer.js";

/** Text kept in memory before it goes to the file. */
const CHUNK = 1 << 20;

function jsonValue(v: unknown): unknown {
  return ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v === undefined ? null : v;
}

/**
 * Writes one split as JSON Lines: one JSON object per line, the batch's columns as keys (token ids as
 * arrays of numbers), UTF-8, "\n" after every line. Python's `load_dataset("json", data_files=...)`
 * and any JS reader read it back. Written atomically ({@link AtomicSplitWriter}).
 */
export class JsonlSplitWriter extends AtomicSplitWriter {
  readonly format = "jsonl";
  #names: readonly string[] = [];
  #buffer = "";

  protected begin(names: readonly string[]): void {
    this.#names = names;
  }

  protected append(columns: readonly Column[], numRows: number): void {
    const names = this.#names;
    for (let i = 0; i < numRows; i++) {
      const row: Record<string, unknown> = {};
      for (let c = 0; c < names.length; c++) {
        const col = columns[c]!;
        row[names[c]!] = jsonValue(col instanceof RaggedInt32Column ? col.get(i) : col[i]);
      }
      this.#buffer += `${JSON.stringify(row)}\n`;
      if (this.#buffer.length >= CHUNK) this.end();
    }
  }

  protected end(): void {
    if (this.#buffer) this.file.write(this.#buffer);
    this.#buffer = "";
  }
}
