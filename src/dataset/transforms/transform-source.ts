import type { Column } from "../columns/column.js";
import type { Row } from "../dataset-types.js";

/** What map and filter read of a Dataset: its columns, its row count, and its rows one by one. */
export interface TransformSource {
  columns: ReadonlyMap<string, Column>;
  numRows: number;
  /** Row `i` (0 … numRows - 1) as an object. */
  rowAt(i: number): Row;
}
