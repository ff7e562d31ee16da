// prepareToSpill's ordering with worker threads, made deterministic: the pool is replaced by one that
// takes every other batch and answers them late and in reverse order (as a slow worker would), so
// later batches are ready before earlier ones. The spill file must still hold the rows in input
// order, and an error must be the first failing batch's in input order — whether the later failure
// is another batch's or the reader's. (The real pool runs from the built package:
// prepare-workers-dist.test.ts.)
import { beforeAll, describe, expect, it } from "vitest";
import type { Row } from "../../src/dataset/index.js";
import { ColumnTypeError, MalformedRecordError } from "../../src/errors.js";
import type { PrepareOutcome } from "../../src/pipeline/prepare-pool.js";
import { prepareToSpill } from "../../src/pipeline/prepare-to-spill.js";
import { prepareSpillBatch } from "../../src/pipeline/spill-preparer.js";
import type { PreparePlan } from "../../src/prep/index.js";
import { loadTokenizer, type Tokenizer } from "../../src/tokenizer/index.js";
import { rejection } from "../helpers/failures.js";
import { laminiRows, pythiaDir } from "../helpers/shared.js";
import { tempDirPerTest } from "../helpers/temp-dir.js";

const jobsSeen: number[] = [];

/** A stand-in for PreparePool: takes every other batch, up to three at a time, and answers them late, last taken first. */
class SlowReversePool {
  readonly size = 1;
  readonly #held: { rows: Row[]; rowOffset: number; plan: PreparePlan; onOutcome: (outcome: PrepareOutcome) => void }[] = [];
  #offers = 0;
  offer(job: { rows: Row[]; rowOffset: number }, plan: PreparePlan, onOutcome: (outcome: PrepareOutcome) => void): boolean {
    const n = this.#offers++;
    if (n % 2 === 1 || this.#held.length >= 3) return false;
    jobsSeen.push(n);
    this.#held.push({ ...job, plan, onOutcome });
    setTimeout(() => this.#answer(), this.#held.length === 3 ? 5 : 40);
    return true;
  }
  #answer(): void {
    const job = this.#held.pop();
    if (job === undefined) return;
    let outcome: PrepareOutcome;
    try {
      outcome = { batch: prepareSpillBatch(job.rows, tok, job.plan, job.rowOffset) };
    } catch (e) {
      outcome = { error: e as Error };
    }
    job.onOutcome(outcome);
  }
}

const tmp = tempDirPerTest("ftp-spill-order-");
let tok: Tokenizer;
const lamini = laminiRows();
beforeAll(async () => {
  tok = await loadTokenizer(pythiaDir());
});

/** `count` batches of 100 lamini rows; `bad` rows (input index → answer) replaced. */
async function* batches(count: number, bad: Record<number, unknown> = {}, failAfter?: { batch: number; error: Error }): AsyncGenerator<Row[]> {
  for (let b = 0; b < count; b++) {
    if (failAfter && b === failAfter.batch) throw failAfter.error;
    yield Array.from({ length: 100 }, (_, j) => {
      const i = b * 100 + j;
      return i in bad ? { question: "q", answer: bad[i] } : { ...lamini[i % lamini.length]! };
    });
  }
}

const progress = { update() {}, increment() {}, setTotal() {}, stop() {} };
const run = (source: AsyncIterable<Row[]>, workers: number) =>
  prepareToSpill({ batches: source, tok, prepare: {}, dir: tmp.dir, progress, ...(workers > 0 ? { pool: new SlowReversePool() } : {}) });

describe("prepareToSpill with batches answered out of order", () => {
  it("appends them in input order: the same rows, lengths and counts as one thread", async () => {
    jobsSeen.length = 0;
    const pooled = (await run(batches(14), 1))!;
    expect(pooled.batches.onWorkers).toBeGreaterThan(2);
    expect(jobsSeen.length).toBe(pooled.batches.onWorkers);
    const alone = (await run(batches(14), 0))!;
    expect(alone.batches.onWorkers).toBe(0);
    expect(pooled.rows).toBe(1400);
    expect(pooled.lengths).toEqual(alone.lengths);
    expect(pooled.report).toEqual(alone.report);
    const all = Array.from({ length: 1400 }, (_, i) => i);
    const a = alone.spill.read(all);
    const p = pooled.spill.read(all);
    expect(p.texts).toEqual(a.texts);
    expect(p.ids.get("input_ids")!.values).toEqual(a.ids.get("input_ids")!.values);
    expect(p.texts.get("answer")![1399]).toBe(lamini[1399]!.answer);
    pooled.spill.remove();
    alone.spill.remove();
  });

  it("fails with the first failing batch in input order, though a later one failed first", async () => {
    // Row 250 (batch 2: held by the slow pool) and row 350 (batch 3: prepared at once in this thread).
    const e = await rejection(run(batches(14, { 250: null, 350: 7 }), 1));
    expect(e).toBeInstanceOf(ColumnTypeError);
    expect((e as ColumnTypeError).row).toBe(250);
    // And again with the later failure being the reader's.
    const reader = new MalformedRecordError("data.jsonl:501 is not valid JSON.", { file: "data.jsonl", line: 501 });
    const first = await rejection(run(batches(14, { 250: null }, { batch: 5, error: reader }), 1));
    expect((first as ColumnTypeError).row).toBe(250);
    // The reader's error alone: thrown once the batches before it are prepared, and no spill file is left.
    const only = await rejection(run(batches(14, {}, { batch: 5, error: reader }), 1));
    expect(only).toBe(reader);
    const { readdirSync } = await import("node:fs");
    expect(readdirSync(tmp.dir)).toEqual([]);
  });
});
