import { FinetunePrepError } from "../../errors.js";

/** A worker thread of the tokenizer's encoder pool failed (it crashed, ran out of memory or could not start). */
export class EncoderWorkerError extends FinetunePrepError {
  override readonly code: string = "ENCODER_WORKER";
}
