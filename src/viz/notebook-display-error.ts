import { FinetunePrepError } from "../errors.js";

/** A display function was called outside a tslab notebook kernel, where there is nothing to display to. */
export class NotebookDisplayError extends FinetunePrepError {
  override readonly code: string = "NOTEBOOK_DISPLAY";
}
