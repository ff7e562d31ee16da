import type { Row } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";
import type { SpillFile } from "../io/index.js";
import { type PrepareOptions, type PreparePlan, type PrepareReport, planPreparation } from "../prep/index.js";
import type { Tokenizer } from "../tokenizer/index.js";
import type { Progress } from "../util/progress.js";
import type { PrepareOutcome, PreparePool } from "./prepare-pool.js";
import { prepareSpillBatch, SpillWriter } from "./spill-preparer.js";

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
  /**
   * Worker threads that prepare batches beside this thread, which reads, prepares the batches no
   * worker has room for, and writes. Default: none (this thread prepares every batch).
   */
  pool?: Pick<PreparePool, "offer" | "size">;
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
  /** Worker threads of the pool (0: this thread prepared every batch). */
  workers: number;
  /** Batches prepared, and how many of them on worker threads. */
  batches: { total: number; onWorkers: number };
}

/** Batches read ahead of the last one written to the spill file, at most: memory stays bounded however fast the reading. */
const MAX_AHEAD = 8;

function sameSelection(a: PreparePlan, b: PreparePlan): boolean {
  return JSON.stringify(a.selection) === JSON.stringify(b.selection) && a.template === b.template;
}

/**
 * The tokenizing step of {@link preparePipeline}: every batch of input rows goes through
 * {@link prepareBatch} (the code prepareInstructionDataset runs, batch by batch) and its prepared
 * rows are appended to a {@link SpillFile} in input order; memory keeps only the row index and the
 * lengths. With a `pool`, worker threads prepare batches while this thread reads the next ones;
 * the batches are still appended in input order, and an error is the one the first failing batch
 * in input order gives, as without workers. Returns undefined when there is no row and no
 * `columns` (the caller reads such an input whole).
 *
 * The columns are chosen from the first batch (as prepareInstructionDataset chooses them from the
 * dataset's columns); rows lack a column as loadDataset has them lack it (null). A column that only
 * appears later and would have changed the choice is an error rather than a different result.
 */
export async function prepareToSpill(params: PrepareToSpillParams): Promise<SpilledPreparation | undefined> {
  const { tok, progress } = params;
  let plan: PreparePlan | undefined;
  let planColumns: string[] = [];
  const seen = new Set<string>(params.columns);
  if (params.columns !== undefined) {
    planColumns = [...params.columns];
    plan = planPreparation(planColumns, tok, params.prepare);
  }
  const writer = new SpillWriter(params.dir);
  // Prepared batches (or their errors) by sequence number, until their turn to be appended comes.
  const ready = new Map<number, PrepareOutcome>();
  let wake: (() => void) | undefined;
  const { pool } = params;
  let submitted = 0;
  let onWorkers = 0;
  let appended = 0;
  let rowsSubmitted = 0;
  /** The first failed batch's error, in input order: once met, every later drain throws it again. */
  let failure: Error | undefined;
  /** Appends the batches whose turn it is; throws the error of the first failed batch in input order. */
  const drain = () => {
    if (failure) throw failure;
    for (let outcome = ready.get(appended); outcome !== undefined; outcome = ready.get(appended)) {
      ready.delete(appended);
      appended++;
      if (outcome.error) {
        failure = outcome.error;
        throw failure;
      }
      writer.append(outcome.batch);
      progress.increment(outcome.batch.numRows);
    }
  };
  const nextOutcome = () =>
    new Promise<void>((resolve) => {
      wake = () => {
        wake = undefined;
        resolve();
      };
    });
  /** Waits until at most `ahead` batches are unwritten, appending as they come. */
  const settle = async (ahead: number) => {
    drain();
    while (submitted - appended > ahead) {
      await nextOutcome();
      drain();
    }
  };
  const submit = async (rows: Row[], batchPlan: PreparePlan) => {
    const seq = submitted++;
    const rowOffset = rowsSubmitted;
    rowsSubmitted += rows.length;
    const onOutcome = (outcome: PrepareOutcome) => {
      ready.set(seq, outcome);
      wake?.();
    };
    if (pool?.offer({ rows, rowOffset }, batchPlan, onOutcome)) onWorkers++;
    else {
      // No worker has room: this thread prepares it (the template, tokenize, truncate, labels).
      try {
        ready.set(seq, { batch: prepareSpillBatch(rows, tok, batchPlan, rowOffset) });
      } catch (e) {
        ready.set(seq, { error: e as Error });
      }
    }
    await settle(MAX_AHEAD);
  };
  let spill: SpillFile | undefined;
  try {
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
        await submit(batch, plan);
      }
    } catch (e) {
      // An error in reading (or planning) comes after the batches before it: theirs, if any, is the one to report.
      await settle(0);
      throw e;
    }
    if (plan === undefined) return undefined;
    // No rows, known columns: the (row-less) spill file still gets the prepared columns.
    if (rowsSubmitted === 0) await submit([], plan);
    await settle(0);
    const done = writer.finish();
    spill = done.spill;
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
    return {
      spill,
      plan,
      report: done.report,
      lengths: done.lengths,
      rows: done.rows,
      workers: pool?.size ?? 0,
      batches: { total: submitted, onWorkers },
    };
  } catch (e) {
    writer.remove();
    throw e;
  }
}
