import { requireOptional } from "../../util/require-optional.js";
import type { Column } from "../columns/column.js";
import { RaggedInt32Column } from "../columns/ragged-int32-column.js";

/**
 * What {@link Dataset.toDataFrame} returns: a danfojs `DataFrame` (typed structurally here, so
 * that the library's types do not need danfojs-node, an optional peer dependency).
 */
export interface DataFrame {
  readonly columns: string[];
  readonly index: (string | number)[];
  readonly values: unknown[];
  readonly shape: number[];
  head(rows?: number): DataFrame;
  print(): void;
  toString(): string;
}

type DanfoModule = { DataFrame: new (data: unknown, options?: { columns?: string[] }) => DataFrame };

/** danfojs-node pulls in TensorFlow.js: loaded on first use only (an optional peer dependency), so importing this library stays fast. */
function loadDanfo(): DanfoModule {
  return requireOptional<DanfoModule>("danfojs-node", "Dataset.toDataFrame()");
}

/** A value as a DataFrame cell: danfo takes scalars only, so lists and objects are shown as JSON. */
function toCell(v: unknown): unknown {
  if (v === undefined) return null;
  if (typeof v === "bigint") return v.toString();
  if (v !== null && typeof v === "object" && !(v instanceof Date)) {
    return JSON.stringify(ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));
  }
  return v;
}

/** The work of {@link Dataset.toDataFrame}: `numRows` rows of `columns` as a danfojs DataFrame. */
export function toDataFrame(columns: ReadonlyMap<string, Column>, numRows: number): DataFrame {
  const { DataFrame } = loadDanfo();
  const data: Record<string, unknown[]> = {};
  for (const [name, col] of columns) {
    data[name] = col instanceof RaggedInt32Column ? Array.from({ length: col.length }, (_, i) => JSON.stringify(Array.from(col.get(i)))) : col.map(toCell);
  }
  return new DataFrame(numRows === 0 ? [] : data, numRows === 0 ? { columns: [...columns.keys()] } : undefined);
}
