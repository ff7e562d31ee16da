// RevisionNotFoundError lives in src/errors.ts with the other typed errors; this path keeps existing imports working.
export { RevisionNotFoundError } from "../errors.js";
