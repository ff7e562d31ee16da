import { mkdirSync } from "node:fs";
import { OutputFileError } from "./output-file-error.js";

/** Creates the output folder `dir` (and its parents) if missing; an OutputFileError naming it otherwise. */
export function ensureOutputFolder(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new OutputFileError(`Cannot create the output folder ${dir}: ${(e as Error).message}`, { file: dir, cause: e });
  }
}
