import { ColumnTypeError } from "../../errors.js";
import type { Column } from "../columns/column.js";
import { RaggedInt32Column } from "../columns/ragged-int32-column.js";
import type { FeatureType } from "./feature-type.js";
import { Sequence } from "./sequence.js";
import { Value } from "./value.js";

/**
 * datasets stores these columns in narrower ints than int64 when their values fit
 * (arrow_writer.py, OptimizedTypedSequence), and so reports them that way.
 */
const OPTIMIZED_INT_TYPE_BY_COLUMN: Record<string, { dtype: string; min: number; max: number }> = {
  attention_mask: { dtype: "int8", min: -128, max: 127 },
  special_tokens_mask: { dtype: "int8", min: -128, max: 127 },
  input_ids: { dtype: "int32", min: -0x80000000, max: 0x7fffffff },
  token_type_ids: { dtype: "int8", min: -128, max: 127 },
};

type Scalar = "string" | "int" | "float" | "bool" | "binary" | "timestamp";

type Acc =
  | { kind: "null" }
  | { kind: Scalar; min: number; max: number; row: number }
  | { kind: "list"; item: Acc; row: number }
  | { kind: "struct"; fields: Map<string, Acc>; row: number };

function kindOf(v: unknown): Scalar | "list" | "struct" | "other" {
  switch (typeof v) {
    case "string":
      return "string";
    case "boolean":
      return "bool";
    case "number":
      return Number.isInteger(v) ? "int" : "float";
    case "bigint":
      return "int";
    case "object":
      if (Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof Uint8Array) && !(v instanceof DataView))) return "list";
      if (v instanceof Uint8Array) return "binary";
      if (v instanceof Date) return "timestamp";
      return "struct";
    default:
      return "other";
  }
}

const DESCRIBE: Record<string, string> = {
  string: "a string",
  int: "an integer",
  float: "a number",
  bool: "a boolean",
  binary: "bytes",
  timestamp: "a date",
  list: "a list",
  struct: "an object",
  other: "a value of another kind",
};

class Mismatch extends Error {
  constructor(
    readonly path: string,
    readonly firstRow: number,
    readonly firstKind: string,
    readonly kind: string,
  ) {
    super("type mismatch");
  }
}

function observe(acc: Acc, v: unknown, row: number, path: string): Acc {
  if (v === null || v === undefined) return acc;
  const kind = kindOf(v);
  if (acc.kind === "null") {
    if (kind === "list") acc = { kind: "list", item: { kind: "null" }, row };
    else if (kind === "struct") acc = { kind: "struct", fields: new Map(), row };
    else if (kind === "other") throw new Mismatch(path, row, "other", kind);
    else acc = { kind, min: Infinity, max: -Infinity, row };
  }
  if (acc.kind === "list") {
    if (kind !== "list") throw new Mismatch(path, acc.row, "list", kind);
    const items = v as ArrayLike<unknown>;
    for (let j = 0; j < items.length; j++) acc.item = observe(acc.item, items[j], row, `${path}[]`);
    return acc;
  }
  if (acc.kind === "struct") {
    if (kind !== "struct") throw new Mismatch(path, acc.row, "struct", kind);
    for (const [k, x] of Object.entries(v as object)) acc.fields.set(k, observe(acc.fields.get(k) ?? { kind: "null" }, x, row, `${path}.${k}`));
    return acc;
  }
  if (kind !== acc.kind) {
    if ((kind === "int" || kind === "float") && (acc.kind === "int" || acc.kind === "float")) {
      // Arrow infers double for a mix of integers and fractions, as datasets does.
      acc = { kind: "float", min: acc.min, max: acc.max, row: acc.row };
    } else {
      throw new Mismatch(path, acc.row, acc.kind, kind);
    }
  }
  if (acc.kind === "int") {
    const n = typeof v === "bigint" ? Number(v) : (v as number);
    if (n < acc.min) acc.min = n;
    if (n > acc.max) acc.max = n;
  }
  return acc;
}

function intDtype(column: string, min: number, max: number): string {
  const opt = OPTIMIZED_INT_TYPE_BY_COLUMN[column];
  return opt && min >= opt.min && max <= opt.max ? opt.dtype : "int64";
}

function toFeature(acc: Acc, column: string, topLevel: boolean): FeatureType {
  switch (acc.kind) {
    case "null":
      return new Value("null");
    case "int":
      // The narrowing applies to the column itself or its list items, as in datasets.
      return new Value(topLevel ? intDtype(column, acc.min, acc.max) : "int64");
    case "float":
      return new Value("float64");
    case "string":
    case "bool":
    case "binary":
      return new Value(acc.kind);
    case "timestamp":
      return new Value("timestamp[ms]");
    case "list":
      return new Sequence(acc.item.kind === "int" && topLevel ? new Value(intDtype(column, acc.item.min, acc.item.max)) : toFeature(acc.item, column, false));
    case "struct": {
      const out: Record<string, FeatureType> = {};
      for (const [k, f] of acc.fields) out[k] = toFeature(f, column, false);
      return out;
    }
  }
}

/**
 * The `datasets` feature of a column, inferred from its values as pyarrow infers a type from Python
 * objects: strings → Value('string'), whole numbers → Value('int64') (narrowed for input_ids,
 * attention_mask… as datasets does), other numbers → Value('float64'), lists → Sequence, objects → a
 * dict of features, only nulls → Value('null').
 *
 * JavaScript has one number type: a float column whose values are all whole (1.0, 2.0) reads as
 * int64 here where Python keeps float64.
 *
 * Values of incompatible kinds in one column (a string and a number) are a ColumnTypeError naming the
 * column and both rows; Python's datasets refuses such a column too (pyarrow cannot type it).
 */
export function inferFeature(values: Column, column: string): FeatureType {
  if (values instanceof RaggedInt32Column) {
    if (values.values.length === 0) return new Sequence(new Value("null"));
    let min = Infinity;
    let max = -Infinity;
    for (const v of values.values) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return new Sequence(new Value(intDtype(column, min, max)));
  }
  let acc: Acc = { kind: "null" };
  for (let row = 0; row < values.length; row++) {
    try {
      acc = observe(acc, values[row], row, column);
    } catch (e) {
      if (!(e instanceof Mismatch)) throw e;
      const where = e.path === column ? `Column "${column}"` : `Column "${column}" (at ${e.path.slice(column.length).replace(/^\./, "") || "its items"})`;
      throw new ColumnTypeError(`${where} mixes types: row ${e.firstRow} holds ${DESCRIBE[e.firstKind]}, row ${row} holds ${DESCRIBE[e.kind]}.`, {
        column,
        row,
        found: e.kind,
        hint: "Python's datasets cannot store such a column either; make the values one type (e.g. with map) before using features.",
      });
    }
  }
  return toFeature(acc, column, true);
}
