// A worker thread of PreparePool: builds a copy of the main thread's tokenizer (same files, same
// settings, so the same ids) and prepares the batches it is sent (prepareSpillBatch), replying to
// each in order with the prepared columns (id arrays moved, not copied) or the error.
import { parentPort, workerData } from "node:worker_threads";
import type { Tokenizer } from "../tokenizer/index.js";
import { tokenizerFromSnapshot } from "../tokenizer/tokenizer-snapshot.js";
import type { PrepareJob, PrepareReply, PrepareWorkerData } from "./prepare-pool.js";
import { prepareSpillBatch } from "./spill-preparer.js";
import { serializeError } from "./thread-error.js";

const port = parentPort;
if (port === null) throw new Error("prepare-worker.js runs as a worker thread of preparePipeline only.");

let tok: Tokenizer | undefined;
let startError: unknown;
try {
  tok = tokenizerFromSnapshot((workerData as PrepareWorkerData).tokenizer);
} catch (e) {
  startError = e;
}
let plan: PrepareJob["plan"];

port.on("message", (job: PrepareJob) => {
  let reply: PrepareReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (tok === undefined) throw startError;
    plan = job.plan ?? plan;
    if (plan === undefined) throw new Error("prepare-worker: a batch came before the plan.");
    const batch = prepareSpillBatch(job.rows, tok, plan, job.rowOffset);
    reply = { seq: job.seq, batch };
    transfer.push(batch.lengths.buffer as ArrayBuffer);
    for (const [, col] of batch.ids) transfer.push(col.values.buffer as ArrayBuffer, col.offsets.buffer as ArrayBuffer);
  } catch (e) {
    reply = { seq: job.seq, error: serializeError(e) };
  }
  port.postMessage(reply, [...new Set(transfer)]);
});
