import type { FileMetaData } from "hyparquet";
import { CorruptFileError } from "../../errors.js";

/**
 * Checks that a Parquet footer's schema is a well-formed tree before anything walks it: every
 * element's `num_children` a whole number ≥ 0, and the elements, read depth-first from the root,
 * exactly filling the list. hyparquet trusts these counts; a negative one (a damaged footer) sends
 * its GeoParquet pass into an endless loop, so it is checked here first.
 */
export function checkParquetSchema(file: string, metadata: FileMetaData): void {
  const schema = metadata.schema;
  const bad = (what: string) =>
    new CorruptFileError(`${file}: the schema in the file's footer is damaged (${what}); the file is corrupt.`, {
      file,
      hint: "The file may be truncated or damaged (an interrupted download or copy); get a fresh copy.",
    });
  if (!Array.isArray(schema) || schema.length === 0) throw bad("no schema elements");
  // Children still expected by each open group, innermost last.
  const open: number[] = [];
  for (let i = 0; i < schema.length; i++) {
    if (i > 0 && open.length === 0) throw bad(`element ${i} lies outside the root`);
    const n = schema[i]?.num_children ?? 0;
    if (!Number.isSafeInteger(n) || n < 0 || n > schema.length - i - 1) throw bad(`element ${i} claims ${String(n)} children`);
    if (open.length > 0) open[open.length - 1]!--;
    if (n > 0) open.push(n);
    while (open.length > 0 && open[open.length - 1] === 0) open.pop();
  }
  if (open.length > 0) throw bad(`${open[open.length - 1]} child element(s) missing at the end`);
}
