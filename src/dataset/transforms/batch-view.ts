import type { Column } from "../columns/column.js";
import { RaggedInt32Column } from "../columns/ragged-int32-column.js";
import type { Batch } from "../dataset-types.js";

/**
 * Rows `start … end - 1` of `columns` as a batched function gets them: column name → values.
 * Columns are materialized on first access: a function reading one column does not pay for all.
 */
export function batchView(columns: ReadonlyMap<string, Column>, start: number, end: number): Batch {
  const batch: Batch = {};
  for (const [name, col] of columns) {
    Object.defineProperty(batch, name, {
      configurable: true,
      enumerable: true,
      get: () => {
        const values = col instanceof RaggedInt32Column ? col.slice(start, end).toArrays() : col.slice(start, end);
        Object.defineProperty(batch, name, { value: values, writable: true, configurable: true, enumerable: true });
        return values;
      },
      set: (v: unknown[]) => Object.defineProperty(batch, name, { value: v, writable: true, configurable: true, enumerable: true }),
    });
  }
  return batch;
}
