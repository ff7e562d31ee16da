import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { RaggedInt32Column, type Row } from "../dataset/index.js";
import type { PreparePlan } from "../prep/index.js";
import { EncoderWorkerError, type Tokenizer } from "../tokenizer/index.js";
import { type TokenizerSnapshot, tokenizerSnapshot } from "../tokenizer/tokenizer-snapshot.js";
import { workerExecArgv } from "../util/worker-exec-argv.js";
import type { SpillBatch } from "./spill-preparer.js";
import { reviveError, type ThreadError } from "./thread-error.js";

/** What each worker is started with. */
export interface PrepareWorkerData {
  tokenizer: TokenizerSnapshot;
}

/** A batch to prepare: rows `rowOffset`… of the input (the plan comes with a worker's first job). */
export interface PrepareJob {
  seq: number;
  rows: Row[];
  rowOffset: number;
  plan?: PreparePlan;
}

/** A worker's answer to a job: the prepared batch (id columns as plain typed arrays), or the error. */
export type PrepareReply = { seq: number; batch: SpillBatch; error?: undefined } | { seq: number; error: ThreadError; batch?: undefined };

/** A job's outcome on this thread. */
export type PrepareOutcome = { batch: SpillBatch; error?: undefined } | { error: Error; batch?: undefined };

interface Slot {
  worker: Worker;
  /** Jobs sent and not answered. */
  pending: number;
  sentPlan: boolean;
}

/** Compiled next to this module: present under dist/, absent when the sources run as TypeScript (tests). */
const WORKER_FILE = new URL("./prepare-worker.js", import.meta.url);

export interface PreparePoolParams {
  tok: Tokenizer;
  /** Worker threads. */
  size: number;
  /** Jobs a worker may hold at once (one being prepared, the others waiting). Default 4. */
  depth?: number;
  /** Called with each job's outcome, in the order the workers finish them. */
  onOutcome: (seq: number, outcome: PrepareOutcome) => void;
}

/**
 * Worker threads that prepare batches (template, tokenize, truncate, labels) with their own copy
 * of the tokenizer — same files, same settings, so the same rows. {@link offer} gives a batch to a
 * worker with room for it, or declines (the caller prepares it in its own thread). A failed worker
 * fails the jobs it holds and takes no more.
 */
export class PreparePool {
  readonly #slots: Slot[] = [];
  readonly #depth: number;
  readonly #onOutcome: PreparePoolParams["onOutcome"];
  /** Which slot holds each job not yet answered. */
  readonly #holder = new Map<number, Slot>();
  #closed = false;

  /** Whether the compiled worker script exists (it does in the built package, not when the TypeScript sources run). */
  static available(): boolean {
    return WORKER_FILE.protocol === "file:" && existsSync(fileURLToPath(WORKER_FILE));
  }

  /** Starts the workers; throws (DataCloneError) when the tokenizer's settings cannot be sent to another thread. */
  constructor(params: PreparePoolParams) {
    this.#depth = params.depth ?? 4;
    this.#onOutcome = params.onOutcome;
    const workerData: PrepareWorkerData = { tokenizer: tokenizerSnapshot(params.tok) };
    for (let k = 0; k < params.size; k++) {
      const worker = new Worker(WORKER_FILE, { workerData, execArgv: workerExecArgv() });
      const slot: Slot = { worker, pending: 0, sentPlan: false };
      worker.on("message", (reply: PrepareReply) => this.#onReply(slot, reply));
      worker.on("error", (e) => this.#failSlot(slot, new EncoderWorkerError(`A tokenizing worker thread failed: ${e.message}`, { cause: e })));
      worker.on("exit", (code) => {
        if (!this.#closed) this.#failSlot(slot, new EncoderWorkerError(`A tokenizing worker thread stopped (exit code ${code}).`));
      });
      this.#slots.push(slot);
    }
  }

  /** Jobs sent and not answered, over all workers. */
  get pending(): number {
    return this.#holder.size;
  }

  /** Sends the job to the least busy worker with room; false when none has room (or the pool is closed). */
  offer(job: Omit<PrepareJob, "plan">, plan: PreparePlan): boolean {
    if (this.#closed) return false;
    let best: Slot | undefined;
    for (const slot of this.#slots) if (slot.pending < this.#depth && (best === undefined || slot.pending < best.pending)) best = slot;
    if (best === undefined) return false;
    const message: PrepareJob = best.sentPlan ? job : { ...job, plan };
    best.worker.postMessage(message);
    best.sentPlan = true;
    best.pending++;
    this.#holder.set(job.seq, best);
    return true;
  }

  #onReply(slot: Slot, reply: PrepareReply): void {
    if (this.#holder.get(reply.seq) !== slot) return;
    this.#holder.delete(reply.seq);
    slot.pending--;
    if (reply.error) {
      this.#onOutcome(reply.seq, { error: reviveError(reply.error) });
      return;
    }
    const { batch } = reply;
    // Structured clone keeps typed arrays, not classes: the id columns get theirs back.
    const ids = batch.ids.map(([name, col]): [string, RaggedInt32Column] => [name, new RaggedInt32Column(col.values, col.offsets)]);
    this.#onOutcome(reply.seq, { batch: { ...batch, ids } });
  }

  /** A worker that died: its jobs fail with `error`, and it is sent no more (pending stays at depth). */
  #failSlot(slot: Slot, error: Error): void {
    slot.pending = this.#depth;
    for (const [seq, holder] of [...this.#holder]) {
      if (holder !== slot) continue;
      this.#holder.delete(seq);
      this.#onOutcome(seq, { error });
    }
  }

  /** Stops the workers (jobs still held get no outcome). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#holder.clear();
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
