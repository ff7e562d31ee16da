import { FinetunePrepError } from "../../errors.js";

/** A dataset's README.md whose YAML front matter (the `configs` that list its data files) cannot be used. `file` and, when known, `line` are set. */
export class DatasetCardError extends FinetunePrepError {
  override readonly code: string = "DATASET_CARD";
}
