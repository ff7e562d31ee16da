// A worker thread of PreparePool: builds a copy of the main thread's tokenizer (same files, same
// settings, so the same ids), prepares the batches it is sent (prepareSpillBatch) and encodes the
// Parquet row groups it is sent (rowGroupEncoder), replying to each job with the result (typed
// arrays moved, not copied) or the error.
import { parentPort, workerData } from "node:worker_threads";
import { RaggedInt32Column } from "../dataset/index.js";
import { type RowGroupParquetWriter, rowGroupEncoder } from "../io/row-group-parquet-writer.js";
import type { Tokenizer } from "../tokenizer/index.js";
import { tokenizerFromSnapshot } from "../tokenizer/tokenizer-snapshot.js";
import type { PoolJob, PoolReply, PrepareWorkerData } from "./prepare-pool.js";
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
let plan: Extract<PoolJob, { kind: "prepare" }>["plan"];
/** One encoder per file schema (a split's files share one). */
const encoders = new Map<string, RowGroupParquetWriter>();

function run(job: PoolJob, transfer: ArrayBuffer[]): PoolReply {
  if (job.kind === "encode") {
    const key = JSON.stringify(job.schema);
    let encoder = encoders.get(key);
    if (encoder === undefined) {
      encoder = rowGroupEncoder(job.schema);
      encoders.set(key, encoder);
    }
    // Structured clone keeps typed arrays, not classes: token-id columns get theirs back.
    const columns = job.columns.map((c) => {
      const data = c.data as unknown as RaggedInt32Column | unknown[];
      return Array.isArray(data) ? c : { ...c, data: new RaggedInt32Column(data.values, data.offsets) };
    });
    const group = encoder.encodeRowGroup(columns, job.rows);
    transfer.push(group.bytes.buffer as ArrayBuffer);
    return { id: job.id, group };
  }
  if (tok === undefined) throw startError;
  plan = job.plan ?? plan;
  if (plan === undefined) throw new Error("prepare-worker: a batch came before the plan.");
  const batch = prepareSpillBatch(job.rows, tok, plan, job.rowOffset);
  transfer.push(batch.lengths.buffer as ArrayBuffer);
  for (const [, col] of batch.ids) transfer.push(col.values.buffer as ArrayBuffer, col.offsets.buffer as ArrayBuffer);
  return { id: job.id, batch };
}

port.on("message", (job: PoolJob) => {
  const transfer: ArrayBuffer[] = [];
  let reply: PoolReply;
  try {
    reply = run(job, transfer);
  } catch (e) {
    transfer.length = 0;
    reply = { id: job.id, error: serializeError(e) };
  }
  port.postMessage(reply, [...new Set(transfer)]);
});
