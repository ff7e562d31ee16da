// OutputFileError lives in src/errors.ts with the other typed errors; this path keeps existing imports working.
export { OutputFileError } from "../errors.js";
