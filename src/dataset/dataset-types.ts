import type { RaggedInt32Column } from "./columns/ragged-int32-column.js";
import type { Generator } from "./numpy-random/generator.js";
import type { SeedEntropy } from "./numpy-random/seed-sequence.js";

/** One example: column name → value. Token-id columns give number[]. */
export type Row = Record<string, unknown>;
/** A batch as a batched `map`/`filter` function gets it: column name → that column's values for the batch's rows. */
export type Batch = Record<string, unknown[]>;
/** What a batched `map` function returns: column name → one value per output row (plain array or compact token ids). */
export type BatchOutput = Record<string, readonly unknown[] | RaggedInt32Column>;

export interface MapOptions {
  /** Call the function on batches (a dict of column arrays) instead of single rows. Default false. */
  batched?: boolean;
  /** Rows per batch when `batched`. Default 1000; 0 or less: the whole dataset as one batch (as datasets). */
  batchSize?: number;
  /**
   * Columns to drop from the result. They are removed before the function's output is merged, so a
   * column the function returns under one of these names is kept (datasets' rule).
   */
  removeColumns?: string | readonly string[];
  /** Show progress (a bar on a terminal, a display in a notebook). Default true. */
  progress?: boolean;
  /** Label of the progress display. Default "Map" ("Filter" for filter), as datasets. */
  desc?: string;
}

export type FilterOptions = Omit<MapOptions, "removeColumns">;

export interface ShuffleParams {
  /** Seed of numpy's `default_rng`: the same seed gives Python's `Dataset.shuffle(seed=…)` order. Omitted: a fresh random order. */
  seed?: SeedEntropy;
  /** A Generator (from `defaultRng`) to draw the permutation from instead; takes precedence over `seed`. */
  generator?: Generator;
}
