import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { RaggedInt32Column } from "../../dataset/columns/ragged-int32-column.js";
import { workerExecArgv } from "../../util/worker-exec-argv.js";
import type { TokenizerInit } from "../tokenizer-types.js";
import { EncoderWorkerError } from "./encoder-worker-error.js";

/** A chunk of texts sent to a worker. */
export interface EncoderJob {
  id: number;
  texts: string[];
  addSpecialTokens: boolean;
}

/** A worker's answer: the chunk's ids, flat, or what went wrong. */
export type EncoderReply =
  | { id: number; values: Int32Array; offsets: Uint32Array; error?: undefined }
  | { id: number; error: { name: string; message: string; row?: number } };

interface Task {
  job: EncoderJob;
  resolve: (column: RaggedInt32Column) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  task: Task | undefined;
}

/** Compiled next to this module: present under dist/, absent when the sources run as TypeScript (tests). */
const WORKER_FILE = new URL("./encoder-worker.js", import.meta.url);

/** Texts per job are cut at about this many UTF-16 units: big enough to amortize a message, small enough to balance. */
const CHUNK_CHARS = 1 << 18;

export interface EncoderPoolParams {
  /** What the workers build their Tokenizer from: the main thread's tokenizer files, parsed. */
  init: TokenizerInit;
  /** Worker threads to run. */
  size: number;
}

/**
 * Worker threads that encode chunks of a batch in parallel, each with its own copy of the
 * tokenizer (built from the same files by the same code, so the same ids). Lazy: threads start on
 * the first {@link encode}. They are unref'd while idle, so an idle pool never keeps the process
 * alive; {@link close} stops them.
 */
export class EncoderPool {
  private readonly init: TokenizerInit;
  readonly size: number;
  private slots: Slot[] | undefined;
  private readonly queue: Task[] = [];
  private nextId = 0;
  private failure: Error | undefined;
  private closed = false;

  /** Whether the compiled worker file exists (it does in the built package, not when running the TypeScript sources). */
  static available(): boolean {
    return WORKER_FILE.protocol === "file:" && existsSync(fileURLToPath(WORKER_FILE));
  }

  constructor(params: EncoderPoolParams) {
    this.init = params.init;
    this.size = Math.max(1, Math.floor(params.size));
  }

  /** True once a worker failed or the pool was closed: it takes no more work. */
  get unusable(): boolean {
    return this.closed || this.failure !== undefined;
  }

  /** The ids of `texts`, as `Tokenizer.encodeBatchFlat` gives them, computed by the workers. */
  encode(texts: readonly string[], addSpecialTokens: boolean): Promise<RaggedInt32Column> {
    if (this.unusable) return Promise.reject(this.failure ?? new EncoderWorkerError("The encoder pool is closed."));
    this.start();
    const parts: Promise<RaggedInt32Column>[] = [];
    let from = 0;
    while (from < texts.length) {
      let to = from;
      let chars = 0;
      while (to < texts.length && (to === from || chars < CHUNK_CHARS)) chars += (texts[to++] as string).length;
      const job: EncoderJob = { id: this.nextId++, texts: texts.slice(from, to), addSpecialTokens };
      parts.push(new Promise<RaggedInt32Column>((resolve, reject) => this.queue.push({ job, resolve, reject })));
      from = to;
    }
    this.dispatch();
    return Promise.all(parts).then((columns) => (columns.length === 1 ? (columns[0] as RaggedInt32Column) : RaggedInt32Column.concat(columns)));
  }

  /** Stops the workers; pending work is rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.failAll(new EncoderWorkerError("The encoder pool was closed while encoding."));
    const slots = this.slots ?? [];
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  private start(): void {
    if (this.slots) return;
    this.slots = [];
    for (let k = 0; k < this.size; k++) {
      const worker = new Worker(WORKER_FILE, { workerData: { init: this.init }, execArgv: workerExecArgv() });
      const slot: Slot = { worker, task: undefined };
      worker.unref();
      worker.on("message", (reply: EncoderReply) => this.onReply(slot, reply));
      worker.on("error", (e) => this.fail(new EncoderWorkerError(`An encoder worker thread failed: ${e.message}`, { cause: e })));
      worker.on("exit", (code) => {
        if (!this.closed) this.fail(new EncoderWorkerError(`An encoder worker thread exited (code ${code}).`));
      });
      this.slots.push(slot);
    }
  }

  private dispatch(): void {
    for (const slot of this.slots ?? []) {
      if (slot.task !== undefined) continue;
      const task = this.queue.shift();
      if (task === undefined) break;
      slot.task = task;
      // Keep the process alive while the worker has work.
      slot.worker.ref();
      slot.worker.postMessage(task.job);
    }
  }

  private onReply(slot: Slot, reply: EncoderReply): void {
    const task = slot.task;
    slot.task = undefined;
    slot.worker.unref();
    if (task !== undefined && task.job.id === reply.id) {
      if (reply.error) task.reject(new EncoderWorkerError(`Encoding in a worker thread failed: ${reply.error.message}`));
      else task.resolve(new RaggedInt32Column(reply.values, reply.offsets));
    }
    this.dispatch();
  }

  private fail(error: Error): void {
    if (this.failure !== undefined || this.closed) return;
    this.failure = error;
    this.failAll(error);
    for (const s of this.slots ?? []) void s.worker.terminate();
  }

  private failAll(error: Error): void {
    for (const s of this.slots ?? []) {
      s.task?.reject(error);
      s.task = undefined;
    }
    for (const t of this.queue.splice(0)) t.reject(error);
  }
}
