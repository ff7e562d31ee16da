import { type Column, Dataset, RaggedInt32Column } from "../dataset/index.js";
import { InvalidArgumentError } from "../errors.js";

/** Rows to write, column by column: a Dataset, or column name → values (plain arrays or token ids). */
export type SplitBatch =
  | Dataset
  | ReadonlyMap<string, readonly unknown[] | RaggedInt32Column>
  | Readonly<Record<string, readonly unknown[] | RaggedInt32Column>>;

/** A batch as ordered columns of one length. */
export interface BatchColumns {
  names: string[];
  columns: Column[];
  numRows: number;
}

/** The columns of a batch, checked to be of one length. */
export function toColumns(batch: SplitBatch): BatchColumns {
  let entries: [string, Column][];
  if (batch instanceof Dataset) entries = batch.columnNames.map((n) => [n, batch.rawColumn(n)]);
  else if (batch instanceof Map) entries = [...(batch as ReadonlyMap<string, Column>)];
  else if (batch !== null && typeof batch === "object") entries = Object.entries(batch as Record<string, Column>);
  else throw new InvalidArgumentError("batch", batch, "A batch to write is a Dataset or column name → values.");
  let numRows: number | undefined;
  for (const [name, col] of entries) {
    if (!(col instanceof RaggedInt32Column) && !Array.isArray(col)) {
      throw new InvalidArgumentError("batch", col, `Column "${name}" of the batch is not an array of values.`, { column: name });
    }
    if (numRows === undefined) numRows = col.length;
    else if (col.length !== numRows) {
      throw new InvalidArgumentError(
        "batch",
        col.length,
        `Column "${name}" has ${col.length} values but "${entries[0]![0]}" has ${numRows}: a batch's columns must have one length.`,
        { column: name },
      );
    }
  }
  return { names: entries.map(([n]) => n), columns: entries.map(([, c]) => c), numRows: numRows ?? 0 };
}
