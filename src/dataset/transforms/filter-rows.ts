import { InvalidArgumentError } from "../../errors.js";
import { createProgress } from "../../util/progress.js";
import type { FilterOptions } from "../dataset-types.js";
import { describeValue as describe } from "../util/describe-value.js";
import { batchView } from "./batch-view.js";
import { drive, type MaybePromise } from "./drive.js";
import type { TransformSource } from "./transform-source.js";

/**
 * The work of {@link Dataset.filter}: the indices of the rows of `source` that `fn` keeps, in order.
 * Synchronous while `fn` is; a promise from the first call that returns one.
 */
export function filterRows(source: TransformSource, fn: (input: unknown, index: unknown) => unknown, options: FilterOptions): MaybePromise<number[]> {
  const n = source.numRows;
  const batched = options.batched === true;
  const batchSize = batched ? (options.batchSize === undefined ? 1000 : options.batchSize <= 0 ? Math.max(n, 1) : options.batchSize) : 1;
  const steps = Math.ceil(n / batchSize);
  const call = fn;
  const keep: number[] = [];
  const progress = createProgress({ total: n, label: options.desc ?? "Filter", unit: "examples", progress: options.progress });
  const step = (s: number): unknown => {
    if (!batched) return call(source.rowAt(s), s);
    const start = s * batchSize;
    const end = Math.min(n, start + batchSize);
    return call(
      batchView(source.columns, start, end),
      Array.from({ length: end - start }, (_, j) => start + j),
    );
  };
  const handle = (result: unknown, s: number): void => {
    if (!batched) {
      if (result) keep.push(s);
      progress.increment(1);
      return;
    }
    const start = s * batchSize;
    const end = Math.min(n, start + batchSize);
    const flags = result as ArrayLike<unknown> | null | undefined;
    if (flags === null || flags === undefined || typeof flags !== "object" || typeof flags.length !== "number" || flags.length !== end - start) {
      throw new InvalidArgumentError(
        "fn",
        result,
        `filter: for the batch of rows ${start}–${end - 1} the function returned ${flags && typeof flags === "object" && typeof flags.length === "number" ? `${flags.length} flags` : describe(flags)}; it must return one boolean per row (${end - start}).`,
      );
    }
    for (let j = 0; j < flags.length; j++) if (flags[j]) keep.push(start + j);
    progress.increment(end - start);
  };
  return drive(
    steps,
    step,
    handle,
    () => keep,
    () => progress.stop(),
  );
}
