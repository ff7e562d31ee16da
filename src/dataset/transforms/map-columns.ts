import { InvalidArgumentError } from "../../errors.js";
import { createProgress, type Progress } from "../../util/progress.js";
import type { Column } from "../columns/column.js";
import { ColumnBuilder } from "../columns/column-builder.js";
import { RaggedInt32Column } from "../columns/ragged-int32-column.js";
import type { MapOptions } from "../dataset-types.js";
import { describeValue as describe, isPlainObject } from "../util/describe-value.js";
import { pyStrList } from "../util/py-repr.js";
import { batchView } from "./batch-view.js";
import { drive, type MaybePromise } from "./drive.js";
import type { TransformSource } from "./transform-source.js";

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((k) => set.has(k));
}

/** A map's result: the columns of the new Dataset and its row count. */
export interface MappedColumns {
  columns: Map<string, Column>;
  numRows: number;
}

/**
 * The work of {@link Dataset.map}: calls `fn` on every row (or batch) of `source` and merges what it
 * returns into its columns (minus `remove`, checked by the caller). Synchronous while `fn` is;
 * a promise from the first call that returns one.
 */
export function mapColumns(
  source: TransformSource,
  fn: (input: unknown, index: unknown) => unknown,
  options: MapOptions,
  remove: ReadonlySet<string>,
): MaybePromise<MappedColumns> {
  const n = source.numRows;
  const batched = options.batched === true;
  const batchSize = batched ? (options.batchSize === undefined ? 1000 : options.batchSize <= 0 ? Math.max(n, 1) : options.batchSize) : 1;
  if (!Number.isInteger(batchSize))
    throw new InvalidArgumentError("batchSize", options.batchSize, `batchSize must be a whole number, got ${options.batchSize}.`);
  const steps = Math.ceil(n / batchSize);
  const call = fn;

  let outKeys: string[] | undefined;
  let noUpdate = false;
  let builders: ColumnBuilder[] = [];
  let outRows = 0;
  const kept = [...source.columns.keys()].filter((c) => !remove.has(c));
  const progress: Progress = createProgress({ total: n, label: options.desc ?? "Map", unit: "examples", progress: options.progress });

  const step = (s: number): unknown => {
    if (!batched) return call(source.rowAt(s), s);
    const start = s * batchSize;
    const end = Math.min(n, start + batchSize);
    const indices = Array.from({ length: end - start }, (_, j) => start + j);
    return call(batchView(source.columns, start, end), indices);
  };

  const where = (s: number) => (batched ? `the batch of rows ${s * batchSize}–${Math.min(n, (s + 1) * batchSize) - 1}` : `row ${s}`);

  const handle = (result: unknown, s: number): void => {
    const inRows = batched ? Math.min(n, (s + 1) * batchSize) - s * batchSize : 1;
    progress.increment(inRows);
    if (s === 0) {
      if (result === undefined || result === null) {
        noUpdate = true;
        return;
      }
      if (!isPlainObject(result)) {
        throw new InvalidArgumentError(
          "fn",
          result,
          `map: the function returned ${describe(result)} for ${where(s)}; it must return an object (${batched ? "column name → array" : "column name → value"}) or nothing.`,
        );
      }
      outKeys = Object.keys(result);
      builders = outKeys.map(() => new ColumnBuilder());
    } else if (noUpdate) {
      if (result !== undefined && result !== null) {
        throw new InvalidArgumentError(
          "fn",
          result,
          `map: the function returned nothing for ${where(0)} but ${describe(result)} for ${where(s)}. Return an object every time, or never.`,
        );
      }
      return;
    } else if (!isPlainObject(result) || !sameKeys(outKeys!, Object.keys(result))) {
      const got = isPlainObject(result) ? pyStrList(Object.keys(result)) : describe(result);
      throw new InvalidArgumentError(
        "fn",
        result,
        `map: the function returned ${got} for ${where(s)} but ${pyStrList(outKeys!)} for ${where(0)}. Every ${batched ? "batch" : "row"} must return the same columns.`,
      );
    }
    const out = result as Record<string, unknown>;
    if (!batched) {
      for (let c = 0; c < outKeys!.length; c++) builders[c]!.push(out[outKeys![c]!]);
      outRows++;
      return;
    }
    let len: number | undefined;
    for (const k of outKeys!) {
      const v = out[k];
      if (!(v instanceof RaggedInt32Column) && !Array.isArray(v)) {
        throw new InvalidArgumentError(
          "fn",
          v,
          `map: for ${where(s)} the function returned ${describe(v)} for column "${k}"; a batched function returns an array per column.`,
          { column: k },
        );
      }
      if (len === undefined) len = v.length;
      else if (v.length !== len) {
        throw new InvalidArgumentError(
          "fn",
          v,
          `map: for ${where(s)} the function returned columns of different lengths: "${outKeys![0]}" has ${len} values, "${k}" has ${v.length}.`,
          { column: k },
        );
      }
    }
    len ??= inRows;
    if (len !== inRows) {
      const stale = kept.filter((c) => !outKeys!.includes(c));
      if (stale.length > 0) {
        throw new InvalidArgumentError(
          "fn",
          len,
          `map: ${where(s)} (${inRows} rows) came back with ${len} rows, but the input columns ${pyStrList(stale)} still have ${inRows}.`,
          {
            hint: `A batched function may change the number of rows only if the input columns it does not return are removed: removeColumns: ${JSON.stringify(stale)}.`,
          },
        );
      }
    }
    for (let c = 0; c < outKeys!.length; c++) builders[c]!.pushColumn(out[outKeys![c]!] as Column);
    outRows += len;
  };

  const finish = (): MappedColumns => {
    const columns = new Map<string, Column>();
    for (const name of kept) columns.set(name, source.columns.get(name)!);
    if (noUpdate || outKeys === undefined) return { columns, numRows: n };
    outKeys.forEach((k, c) => {
      columns.set(k, builders[c]!.finish());
    });
    // Rows changed count only when no input column survives unreplaced (checked per batch above).
    return { columns, numRows: outKeys.length > 0 ? outRows : n };
  };

  return drive(steps, step, handle, finish, () => progress.stop());
}
