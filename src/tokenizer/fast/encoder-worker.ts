// The worker thread of EncoderPool: builds the same Tokenizer as the main thread (same files, same
// code, so the same fast path) and encodes the chunks of texts it is sent. Ids go back as
// transferred typed arrays (moved, not copied).
import { parentPort, workerData } from "node:worker_threads";
import { Tokenizer } from "../tokenizer.js";
import type { TokenizerInit } from "../tokenizer-types.js";
import type { EncoderJob, EncoderReply } from "./encoder-pool.js";

const port = parentPort;
if (port === null) throw new Error("encoder-worker.js runs as a worker thread of EncoderPool only.");

let tok: Tokenizer | undefined;
let startError: unknown;
try {
  tok = new Tokenizer((workerData as { init: TokenizerInit }).init);
} catch (e) {
  startError = e;
}

port.on("message", (job: EncoderJob) => {
  let reply: EncoderReply;
  const transfer: ArrayBuffer[] = [];
  try {
    if (tok === undefined) throw startError;
    const column = tok.encodeBatchFlat(job.texts, { addSpecialTokens: job.addSpecialTokens });
    reply = { id: job.id, values: column.values, offsets: column.offsets };
    transfer.push(column.values.buffer as ArrayBuffer, column.offsets.buffer as ArrayBuffer);
  } catch (e) {
    const err = e as { name?: unknown; message?: unknown; row?: unknown };
    reply = {
      id: job.id,
      error: {
        name: typeof err?.name === "string" ? err.name : "Error",
        message: typeof err?.message === "string" ? err.message : String(e),
        ...(typeof err?.row === "number" ? { row: err.row } : {}),
      },
    };
  }
  port.postMessage(reply, transfer);
});
