import { RaggedInt32Column, type Row } from "../dataset/index.js";
import { SpillFile } from "../io/index.js";
import { addPrepareReport, emptyPrepareReport, type PreparePlan, type PrepareReport, prepareBatch } from "../prep/index.js";
import type { Tokenizer } from "../tokenizer/index.js";

/** One batch's prepared rows as the spill file keeps them: text columns, and the id columns not rebuilt when writing. */
export interface SpillBatch {
  numRows: number;
  texts: [string, string[]][];
  ids: [string, RaggedInt32Column][];
  /** Tokens of each row before truncation (special tokens included). */
  lengths: Int32Array;
  report: PrepareReport;
}

/**
 * The tokenizing step proper, in whichever thread runs it: {@link prepareBatch} (template,
 * tokenize, truncate, labels: the code prepareInstructionDataset runs), keeping what the spill file
 * stores. attention_mask (all ones) and labels equal to input_ids are left out: they are rebuilt when writing.
 */
export function prepareSpillBatch(rows: readonly Row[], tok: Tokenizer, plan: PreparePlan, rowOffset: number): SpillBatch {
  const out = prepareBatch(rows, tok, { plan, rowOffset });
  const texts: [string, string[]][] = [];
  const ids: [string, RaggedInt32Column][] = [];
  for (const [name, col] of out.columns) {
    if (col instanceof RaggedInt32Column) {
      if (name === "attention_mask" || (name === "labels" && col === out.columns.get("input_ids"))) continue;
      ids.push([name, col]);
    } else texts.push([name, col]);
  }
  return { numRows: out.numRows, texts, ids, lengths: out.lengths, report: out.report };
}

/** What {@link SpillWriter.finish} gives: the spill file (none when no batch came), with the counts and lengths. */
export interface SpillPrepared {
  spill: SpillFile | undefined;
  report: PrepareReport;
  /** Tokens of each input row before truncation (special tokens included), in input order. */
  lengths: Int32Array;
  /** Input rows. */
  rows: number;
}

/** Appends prepared batches, in input order, to a {@link SpillFile} in `dir` (created with the first batch); memory keeps only the lengths. */
export class SpillWriter {
  readonly #dir: string;
  #spill: SpillFile | undefined;
  #report = emptyPrepareReport();
  #lengths = new Int32Array(1 << 16);
  #rows = 0;

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** Rows appended so far: the row offset of the next batch. */
  get rows(): number {
    return this.#rows;
  }

  append(batch: SpillBatch): void {
    this.#spill ??= new SpillFile(this.#dir, { texts: batch.texts.map(([name]) => name), ids: batch.ids.map(([name]) => name) });
    this.#spill.append(new Map(batch.texts), new Map(batch.ids), batch.numRows);
    if (this.#rows + batch.numRows > this.#lengths.length) {
      const next = new Int32Array(Math.max(this.#rows + batch.numRows, this.#lengths.length * 2));
      next.set(this.#lengths.subarray(0, this.#rows));
      this.#lengths = next;
    }
    this.#lengths.set(batch.lengths, this.#rows);
    this.#rows += batch.numRows;
    addPrepareReport(this.#report, batch.report);
  }

  finish(): SpillPrepared {
    return { spill: this.#spill, report: this.#report, lengths: this.#lengths.slice(0, this.#rows), rows: this.#rows };
  }

  /** Deletes the spill file, if any (on failure). */
  remove(): void {
    this.#spill?.remove();
  }
}
