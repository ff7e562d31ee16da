// DatasetCardError lives in src/errors.ts with the other typed errors; this path keeps existing imports working.
export { DatasetCardError } from "../../errors.js";
