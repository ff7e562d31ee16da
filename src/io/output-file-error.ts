import { FinetunePrepError, type FinetunePrepErrorOptions } from "../errors.js";

/** An output file that could not be written (no space, no permission, a column type no format holds). `file` is set. */
export class OutputFileError extends FinetunePrepError {
  override readonly code: string = "OUTPUT_FILE";
  constructor(message: string, options: FinetunePrepErrorOptions = {}) {
    super(message, options);
  }
}
