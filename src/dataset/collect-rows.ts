import { InvalidArgumentError } from "../errors.js";
import type { Row } from "./dataset.js";

/**
 * Reads rows (sync or async) into columns, at most `limit` of them: the union of the rows' keys in
 * order of appearance, null where a row lacks one (as a streamed dataset's rows may differ).
 */
export async function collectRows(rows: Iterable<Row> | AsyncIterable<Row>, limit = Infinity): Promise<Map<string, unknown[]>> {
  if (!(limit === Infinity || (Number.isSafeInteger(limit) && limit >= 0))) {
    throw new InvalidArgumentError("limit", limit, `limit must be a whole number ≥ 0, got ${String(limit)}.`);
  }
  const columns = new Map<string, unknown[]>();
  let n = 0;
  if (limit === 0) return columns;
  for await (const row of rows as AsyncIterable<Row>) {
    if (row === null || typeof row !== "object" || Array.isArray(row)) {
      throw new InvalidArgumentError(
        "rows",
        row,
        `row ${n} is ${row === null ? "null" : Array.isArray(row) ? "an array" : typeof row}, not an object (column name → value).`,
        { row: n },
      );
    }
    for (const [name, values] of columns) values.push(Object.hasOwn(row, name) && row[name] !== undefined ? row[name] : null);
    for (const name of Object.keys(row)) {
      if (columns.has(name)) continue;
      const values = new Array<unknown>(n).fill(null);
      values.push(row[name] === undefined ? null : row[name]);
      columns.set(name, values);
    }
    if (++n >= limit) break;
  }
  return columns;
}
