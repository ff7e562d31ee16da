import { isInt32 } from "../dataset/columns/ragged-int32-column.js";
import { type Column, RaggedInt32Column } from "../dataset/index.js";
import { OutputFileError } from "./output-file-error.js";

/** How a column is stored in Parquet, and read back by Python `datasets`. */
export type OutputColumnType = "string" | "int32-list" | "int64" | "float64" | "bool";

function kindOf(v: unknown): string {
  if (typeof v === "string") return "string";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isSafeInteger(v) ? "int" : "float";
  if (v instanceof Int32Array) return "int32-list";
  if (Array.isArray(v)) return v.every(isInt32) ? "int32-list" : "list";
  return v === null ? "null" : typeof v;
}

/**
 * The Parquet type for a column, from its values (nulls skipped): text → STRING, token ids (int32
 * lists) → LIST<INT32>, whole numbers → INT64, other numbers → DOUBLE, booleans → BOOLEAN. A column
 * with no values is text. Anything else (objects, mixed kinds) is an OutputFileError naming the column.
 */
export function outputColumnType(name: string, column: Column, file: string): OutputColumnType {
  if (column instanceof RaggedInt32Column) return "int32-list";
  const kinds = new Set<string>();
  for (const v of column) if (v !== null && v !== undefined) kinds.add(kindOf(v));
  if (kinds.size === 0) return "string";
  if (kinds.size === 1) {
    const [k] = kinds;
    if (k === "string" || k === "int32-list" || k === "bool") return k;
    if (k === "int") return "int64";
    if (k === "float") return "float64";
  }
  if (kinds.size === 2 && kinds.has("int") && kinds.has("float")) return "float64";
  throw new OutputFileError(`Column "${name}" holds ${[...kinds].join(" and ")} values, which ${file} cannot store as one Parquet column type.`, {
    file,
    column: name,
    hint: 'Write JSON Lines instead (format "jsonl"), or remove or convert the column first.',
  });
}
