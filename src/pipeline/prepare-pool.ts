import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { SchemaElement } from "hyparquet-writer";
import { RaggedInt32Column, type Row } from "../dataset/index.js";
import { type EncodedRowGroup, type RowGroupColumnInput, type RowGroupParquetWriter, rowGroupEncoder } from "../io/row-group-parquet-writer.js";
import type { PreparePlan } from "../prep/index.js";
import type { Tokenizer } from "../tokenizer/index.js";
import { type TokenizerSnapshot, tokenizerSnapshot } from "../tokenizer/tokenizer-snapshot.js";
import { workerExecArgv } from "../util/worker-exec-argv.js";
import { prepareSpillBatch, type SpillBatch } from "./spill-preparer.js";
import { reviveError, type ThreadError } from "./thread-error.js";

/** What each worker is started with. */
export interface PrepareWorkerData {
  tokenizer: TokenizerSnapshot;
}

/** A job for a worker: prepare a batch (rows `rowOffset`…; the plan comes with a worker's first), or encode a Parquet row group. */
export type PoolJob =
  | { kind: "prepare"; id: number; rows: Row[]; rowOffset: number; plan?: PreparePlan }
  | { kind: "encode"; id: number; schema: SchemaElement[]; columns: RowGroupColumnInput[]; rows: number };

/** A worker's answer: the prepared batch or the encoded row group (typed arrays without their classes), or the error. */
export type PoolReply =
  | { id: number; batch: SpillBatch; group?: undefined; error?: undefined }
  | { id: number; group: EncodedRowGroup; batch?: undefined; error?: undefined }
  | { id: number; error: ThreadError; batch?: undefined; group?: undefined };

/** A prepare job's outcome on this thread. */
export type PrepareOutcome = { batch: SpillBatch; error?: undefined } | { error: Error; batch?: undefined };

interface Slot {
  worker: Worker;
  /** Jobs sent and not answered. */
  pending: number;
  sentPlan: boolean;
  /** Died: takes no more jobs. */
  dead: boolean;
}

interface Held {
  slot: Slot;
  /** The job, kept to be done in this thread should its worker die. */
  job: PoolJob;
  /** The plan of a prepare job (a worker keeps the one it was sent first). */
  plan?: PreparePlan;
  settle: (reply: PoolReply | { id: number; failure: Error }) => void;
}

/**
 * Row groups a worker may hold at once (one being encoded, two waiting): fewer than the batches to
 * prepare, so that the writing thread, which otherwise only reads the spill file and writes bytes,
 * encodes the rest itself rather than wait. 1, 2 and 3 measured within noise of each other on 100k rows.
 */
const ENCODE_DEPTH = 3;

/** Compiled next to this module: present under dist/, absent when the sources run as TypeScript (tests). */
const WORKER_FILE = new URL("./prepare-worker.js", import.meta.url);

export interface PreparePoolParams {
  tok: Tokenizer;
  /** Worker threads. */
  size: number;
  /** Jobs a worker may hold at once (one being done, the others waiting). Default 4. */
  depth?: number;
  /** Told once when a worker dies (its jobs are then done in this thread). Default: process.emitWarning. */
  onWarning?: (message: string) => void;
}

/**
 * Worker threads of {@link preparePipeline}, each with its own copy of the tokenizer (same files, same
 * settings, so the same rows): they prepare batches (template, tokenize, truncate, labels) and
 * encode Parquet row groups. A job goes to the least busy worker with room, or is declined (the
 * caller does it in its own thread). A worker that dies costs speed, not the run: the jobs it held
 * are done in this thread (with a warning), and it takes no more.
 */
export class PreparePool {
  // Not #private: tests reach a worker to stop it (as a crash would).
  private readonly slots: Slot[] = [];
  readonly #tok: Tokenizer;
  readonly #depth: number;
  readonly #held = new Map<number, Held>();
  readonly #warn: (message: string) => void;
  #warned = false;
  /** Row-group encoders of this thread, by schema, for the jobs of a worker that died. */
  readonly #encoders = new Map<string, RowGroupParquetWriter>();
  #nextId = 0;
  #closed = false;

  /** Whether the compiled worker script exists (it does in the built package, not when the TypeScript sources run). */
  static available(): boolean {
    return WORKER_FILE.protocol === "file:" && existsSync(fileURLToPath(WORKER_FILE));
  }

  /** Starts the workers; throws (DataCloneError) when the tokenizer's settings cannot be sent to another thread. */
  constructor(params: PreparePoolParams) {
    this.#tok = params.tok;
    this.#depth = params.depth ?? 4;
    this.#warn = params.onWarning ?? ((m) => process.emitWarning(m, { code: "FINETUNE_PREP_WORKERS" }));
    const workerData: PrepareWorkerData = { tokenizer: tokenizerSnapshot(params.tok) };
    for (let k = 0; k < params.size; k++) {
      const worker = new Worker(WORKER_FILE, { workerData, execArgv: workerExecArgv() });
      const slot: Slot = { worker, pending: 0, sentPlan: false, dead: false };
      worker.on("message", (reply: PoolReply) => this.#onReply(slot, reply));
      worker.on("error", (e) => this.#lose(slot, e.message));
      worker.on("exit", (code) => {
        if (!this.#closed) this.#lose(slot, `exit code ${code}`);
      });
      this.slots.push(slot);
    }
  }

  /** Worker threads. */
  get size(): number {
    return this.slots.length;
  }

  /** The least busy worker holding fewer than `depth` jobs, if any. */
  #slot(depth = this.#depth): Slot | undefined {
    if (this.#closed) return undefined;
    let best: Slot | undefined;
    for (const slot of this.slots) if (!slot.dead && slot.pending < depth && (best === undefined || slot.pending < best.pending)) best = slot;
    return best;
  }

  #send(slot: Slot, job: PoolJob, settle: Held["settle"], plan?: PreparePlan): void {
    slot.worker.postMessage(job);
    slot.pending++;
    this.#held.set(job.id, { slot, job, settle, ...(plan ? { plan } : {}) });
  }

  /**
   * Gives a batch to a worker with room, its outcome to come through `onOutcome`; false when none
   * has room (or the pool is closed).
   */
  offer(job: { rows: Row[]; rowOffset: number }, plan: PreparePlan, onOutcome: (outcome: PrepareOutcome) => void): boolean {
    const slot = this.#slot();
    if (slot === undefined) return false;
    const id = this.#nextId++;
    const message: PoolJob = slot.sentPlan ? { kind: "prepare", id, ...job } : { kind: "prepare", id, ...job, plan };
    slot.sentPlan = true;
    const settle: Held["settle"] = (reply) => {
      if ("failure" in reply) onOutcome({ error: reply.failure });
      else if (reply.error) onOutcome({ error: reviveError(reply.error) });
      else if (reply.batch) {
        // Structured clone keeps typed arrays, not classes: the id columns get theirs back.
        const ids = reply.batch.ids.map(([name, col]): [string, RaggedInt32Column] => [name, new RaggedInt32Column(col.values, col.offsets)]);
        onOutcome({ batch: { ...reply.batch, ids } });
      }
    };
    this.#send(slot, message, settle, plan);
    return true;
  }

  /** A Parquet row group encoded by a worker with room ({@link rowGroupEncoder} with `schema`); undefined when none has room. */
  encode(schema: SchemaElement[], columns: RowGroupColumnInput[], rows: number): Promise<EncodedRowGroup> | undefined {
    const slot = this.#slot(ENCODE_DEPTH);
    if (slot === undefined) return undefined;
    const id = this.#nextId++;
    return new Promise<EncodedRowGroup>((resolve, reject) => {
      this.#send(slot, { kind: "encode", id, schema, columns, rows }, (reply) => {
        if ("failure" in reply) reject(reply.failure);
        else if (reply.error) reject(reviveError(reply.error));
        else if (reply.group) resolve(reply.group);
      });
    });
  }

  #onReply(slot: Slot, reply: PoolReply): void {
    const held = this.#held.get(reply.id);
    if (held === undefined || held.slot !== slot) return;
    this.#held.delete(reply.id);
    slot.pending--;
    held.settle(reply);
  }

  /**
   * A worker that died (a crash, out of memory): it is sent no more jobs, and
   * the jobs it held are done in this thread, their answers as a worker's would be; said once.
   */
  #lose(slot: Slot, why: string): void {
    if (slot.dead) return;
    slot.dead = true;
    if (!this.#warned) {
      this.#warned = true;
      this.#warn(`finetune-prep: a worker thread of prepare stopped (${why}); its work is done in the main thread, and it gets no more.`);
    }
    for (const [id, held] of [...this.#held]) {
      if (held.slot !== slot) continue;
      this.#held.delete(id);
      held.settle(this.#runHere(held));
    }
  }

  /** A held job, done in this thread: the reply a worker would have sent. */
  #runHere(held: Held): PoolReply | { id: number; failure: Error } {
    const { job } = held;
    try {
      if (job.kind === "prepare") return { id: job.id, batch: prepareSpillBatch(job.rows, this.#tok, job.plan ?? held.plan!, job.rowOffset) };
      const key = JSON.stringify(job.schema);
      let encoder = this.#encoders.get(key);
      if (encoder === undefined) {
        encoder = rowGroupEncoder(job.schema);
        this.#encoders.set(key, encoder);
      }
      return { id: job.id, group: encoder.encodeRowGroup(job.columns, job.rows) };
    } catch (e) {
      return { id: job.id, failure: e as Error };
    }
  }

  /** Stops the workers (jobs still held get no answer). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#held.clear();
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
