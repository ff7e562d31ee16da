import { RaggedInt32Column, type Row } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";
import { SpillFile } from "../io/index.js";
import {
  addPrepareReport,
  emptyPrepareReport,
  type PreparedBatch,
  type PrepareOptions,
  type PreparePlan,
  type PrepareReport,
  planPreparation,
  prepareBatch,
} from "../prep/index.js";
import type { Tokenizer } from "../tokenizer/index.js";
import type { Progress } from "../util/progress.js";

export interface PrepareToSpillParams {
  /** The input rows, batch by batch, in input order. */
  batches: AsyncIterable<Row[]>;
  tok: Tokenizer;
  /** What prepareInstructionDataset would be given. */
  prepare: PrepareOptions;
  /** Folder for the temporary file (the output folder: same disk as the result); created with the file, at the first row. */
  dir: string;
  /**
   * The input's columns when they are known before its first row (a Dataset read whole): the columns
   * to use are chosen from them, and an input with no rows still gives a (row-less) spill file. When
   * undefined, they are chosen from the first batch's rows.
   */
  columns?: readonly string[];
  /** Counts the input rows prepared. */
  progress: Progress;
}

/** The prepared rows on disk, with what a split and stats.json need in memory. */
export interface SpilledPreparation {
  spill: SpillFile;
  plan: PreparePlan;
  report: PrepareReport;
  /** Tokens of each input row before truncation (special tokens included), in input order. */
  lengths: Int32Array;
  /** Input rows. */
  rows: number;
}

function sameSelection(a: PreparePlan, b: PreparePlan): boolean {
  return JSON.stringify(a.selection) === JSON.stringify(b.selection) && a.template === b.template;
}

/**
 * The tokenizing step of {@link preparePipeline}: every batch of input rows goes through {@link prepareBatch}
 * (the code prepareInstructionDataset runs, batch by batch) and its prepared rows are appended to a
 * {@link SpillFile} in input order; memory keeps only the row index and the lengths. Returns
 * undefined when there is no row and no `columns` (the caller reads such an input whole).
 *
 * The columns are chosen from the first batch (as prepareInstructionDataset chooses them from the
 * dataset's columns); rows lack a column as loadDataset has them lack it (null). A column that only
 * appears later and would have changed the choice is an error rather than a different result.
 */
export async function prepareToSpill(params: PrepareToSpillParams): Promise<SpilledPreparation | undefined> {
  const { tok } = params;
  const report = emptyPrepareReport();
  let lengths = new Int32Array(1 << 16);
  let rows = 0;
  let plan: PreparePlan | undefined;
  let planColumns: string[] = [];
  const seen = new Set<string>(params.columns);
  let spill: SpillFile | undefined;
  const { progress } = params;
  if (params.columns !== undefined) {
    planColumns = [...params.columns];
    plan = planPreparation(planColumns, tok, params.prepare);
  }
  /** Appends one batch's prepared rows to the spill file, in input order; memory keeps their lengths. */
  const spillPrepared = (out: PreparedBatch) => {
    const texts = new Map<string, string[]>();
    const ids = new Map<string, RaggedInt32Column>();
    for (const [name, col] of out.columns) {
      if (col instanceof RaggedInt32Column) {
        // attention_mask is all ones and labels may be input_ids itself: both are rebuilt when writing.
        if (name === "attention_mask" || (name === "labels" && col === out.columns.get("input_ids"))) continue;
        ids.set(name, col);
      } else texts.set(name, col);
    }
    spill ??= new SpillFile(params.dir, { texts: [...texts.keys()], ids: [...ids.keys()] });
    spill.append(texts, ids, out.numRows);
    if (rows + out.numRows > lengths.length) {
      const next = new Int32Array(Math.max(rows + out.numRows, lengths.length * 2));
      next.set(lengths.subarray(0, rows));
      lengths = next;
    }
    lengths.set(out.lengths, rows);
    rows += out.numRows;
    addPrepareReport(report, out.report);
    progress.increment(out.numRows);
  };
  try {
    for await (const batch of params.batches) {
      if (batch.length === 0) continue;
      for (const row of batch) for (const k in row) seen.add(k);
      if (plan === undefined) {
        planColumns = [...seen];
        plan = planPreparation(planColumns, tok, params.prepare);
      }
      // loadDataset gives null for a column a row lacks.
      for (const row of batch) for (const name of planColumns) if (row[name] === undefined) row[name] = null;
      // The tokenizing step proper: template, tokenize, truncate, labels (the code prepareInstructionDataset runs).
      spillPrepared(prepareBatch(batch, tok, { plan, rowOffset: rows }));
    }
    if (plan === undefined) return undefined;
    // No rows, known columns: the (row-less) spill file still gets the prepared columns.
    if (spill === undefined) spillPrepared(prepareBatch([], tok, { plan, rowOffset: 0 }));
    if (spill === undefined) return undefined;
    if (seen.size > planColumns.length && params.prepare.columns === undefined) {
      const later = [...seen].filter((c) => !planColumns.includes(c));
      const whole = planPreparation([...seen], tok, params.prepare);
      if (!sameSelection(plan, whole)) {
        throw new InvalidArgumentError(
          "dataset",
          later,
          `Columns ${JSON.stringify(later)} first appear after the first rows, and would change which columns are used: they were chosen from the first rows' columns ${JSON.stringify(planColumns)}.`,
          {
            hint: "Name the columns to use (--prompt-column/--completion-column, --text-column or --messages-column), or give the first row every column.",
          },
        );
      }
    }
    return { spill, plan, report, lengths: lengths.slice(0, rows), rows };
  } catch (e) {
    spill?.remove();
    throw e;
  }
}
