import { randomBytes } from "node:crypto";
import { inspect } from "node:util";
import { InvalidArgumentError, MissingColumnError } from "../errors.js";
import { RaggedInt32Column } from "./columns/ragged-int32-column.js";
import { type Batch, Dataset, type Row } from "./dataset.js";
import { defaultRng } from "./numpy-random/default-rng.js";
import type { Generator } from "./numpy-random/generator.js";
import type { SeedEntropy } from "./numpy-random/seed-sequence.js";

/**
 * Where an IterableDataset's rows come from (Python's `ExamplesIterable`). Called once per
 * iteration. `shuffle`, when the dataset is iterated shuffled, makes a fresh copy of the shuffling
 * generator: a source made of several shards (data files) reorders them with it, as Python's
 * `shuffle_data_sources` does; a source that cannot ignores it.
 */
export type RowSource = (shuffle: (() => Generator) | undefined) => AsyncIterable<Row>;

export interface IterableDatasetOptions {
  /** The column names, when known before reading (Python's `column_names`; undefined: unknown until read). */
  columnNames?: readonly string[];
  /** How many shards (data files) the source reads (Python's `n_shards`). Default 1. */
  numShards?: number;
}

export interface IterableMapOptions {
  /** Call the function on batches (a dict of column arrays) instead of single rows. Default false. */
  batched?: boolean;
  /** Rows per batch when `batched`. Default 1000, as datasets. */
  batchSize?: number;
  /** Drop a last batch smaller than `batchSize` instead of passing it to the function. Default false. */
  dropLastBatch?: boolean;
  /** Columns to drop, removed before the function's output is merged (a column the function returns under one of these names is kept: datasets' rule). */
  removeColumns?: string | readonly string[];
}

export interface IterableFilterOptions {
  /** Call the predicate on batches; it returns one boolean per row. Default false. */
  batched?: boolean;
  /** Rows per batch when `batched`. Default 1000. */
  batchSize?: number;
}

export interface IterableShuffleParams {
  /** Seed of numpy's `default_rng` for the shard order and the buffer. Omitted: a random seed drawn now (so each iteration of the result gives the same order). */
  seed?: SeedEntropy;
  /** A Generator (from `defaultRng`) to draw the seed from instead of `seed`. */
  generator?: Generator;
  /** Rows held in the shuffle buffer. Default 1000, as datasets. */
  bufferSize?: number;
}

export interface IterBatchesOptions {
  /** Rows per batch. Default 1000. */
  batchSize?: number;
  /** Drop a last batch smaller than `batchSize`. Default false. */
  dropLastBatch?: boolean;
}

/** Splits of a streamed dataset (Python's `IterableDatasetDict`): split name → IterableDataset. */
export type IterableDatasetDict = Readonly<Record<string, IterableDataset>>;

type MaybePromise<T> = T | Promise<T>;

function wholeNumber(name: string, n: unknown, min: number): number {
  if (typeof n !== "number" || !Number.isSafeInteger(n) || n < min)
    throw new InvalidArgumentError(name, n, `${name} must be a whole number ≥ ${min}, got ${String(n)}.`);
  return n;
}

function namesOf(v: string | readonly string[] | undefined): string[] {
  return v === undefined ? [] : typeof v === "string" ? [v] : [...v];
}

/** Rows → a batch: the union of their keys in order of appearance, null where a row lacks one. */
function toBatch(rows: readonly Row[]): Batch {
  const batch: Batch = {};
  rows.forEach((row, i) => {
    for (const name of Object.keys(row)) if (!Object.hasOwn(batch, name)) batch[name] = new Array<unknown>(rows.length).fill(null);
    for (const [name, values] of Object.entries(batch)) values[i] = Object.hasOwn(row, name) && row[name] !== undefined ? row[name] : null;
  });
  return batch;
}

/** A batch → rows; every column must have the same length. */
function fromBatch(batch: Record<string, readonly unknown[] | RaggedInt32Column>, what: string): Row[] {
  const entries = Object.entries(batch).map(([name, v]) => [name, v instanceof RaggedInt32Column ? v.toArrays() : v] as const);
  for (const [name, values] of entries) {
    if (!Array.isArray(values)) throw new InvalidArgumentError("function", values, `${what}: column "${name}" is not an array.`);
  }
  const lengths = new Set(entries.map(([, v]) => v.length));
  if (lengths.size > 1) {
    throw new InvalidArgumentError(
      "function",
      undefined,
      `${what}: the columns have different lengths (${entries.map(([n, v]) => `${n}: ${v.length}`).join(", ")}).`,
    );
  }
  const n = entries[0]?.[1].length ?? 0;
  const rows: Row[] = [];
  for (let i = 0; i < n; i++) {
    const row: Row = {};
    for (const [name, values] of entries) row[name] = values[i];
    rows.push(row);
  }
  return rows;
}

async function* batches(rows: AsyncIterable<Row>, size: number, dropLast: boolean): AsyncGenerator<Row[]> {
  let pending: Row[] = [];
  for await (const row of rows) {
    pending.push(row);
    if (pending.length === size) {
      yield pending;
      pending = [];
    }
  }
  if (pending.length > 0 && !dropLast) yield pending;
}

/**
 * Python's `datasets.IterableDataset`, camelCased: rows arrive as they are read (a streamed
 * `loadDataset(id, { streaming: true, split })`, or any generator), and every operation is lazy —
 * it returns a new IterableDataset and runs only when iterated (`for await (const row of ds)`).
 * Each iteration reads the source again from the start.
 *
 * `shuffle` is a buffer shuffle (Python's `BufferShuffledExamplesIterable`): it is NOT the
 * permutation `Dataset.shuffle` gives, and it is only as random as the buffer is large.
 */
export class IterableDataset implements AsyncIterable<Row> {
  readonly #source: RowSource;
  readonly #columnNames: readonly string[] | undefined;
  readonly #numShards: number;
  /** Fresh copies of the shuffling generator, when `shuffle` was called (Python's `_shuffling`). */
  readonly #shuffling: (() => Generator) | undefined;

  constructor(source: RowSource, options: IterableDatasetOptions = {}, shuffling?: () => Generator) {
    if (typeof source !== "function")
      throw new InvalidArgumentError("source", source, "IterableDataset needs a function that returns the rows (an async iterable).");
    this.#source = source;
    this.#columnNames = options.columnNames ? [...options.columnNames] : undefined;
    this.#numShards = options.numShards ?? 1;
    this.#shuffling = shuffling;
  }

  /**
   * Python's `IterableDataset.from_generator`: rows from a function returning an iterable (sync or
   * async; a generator function), called anew at each iteration. An iterable that can be iterated
   * again (an array) may be given instead.
   */
  static fromGenerator(generator: (() => Iterable<Row> | AsyncIterable<Row>) | Iterable<Row> | AsyncIterable<Row>): IterableDataset {
    const make = typeof generator === "function" ? generator : () => generator;
    return new IterableDataset(() => {
      const it = make();
      return (async function* () {
        yield* it as AsyncIterable<Row>;
      })();
    });
  }

  /** Column names, when known without reading (Python's `column_names`, None when unknown). */
  get columnNames(): string[] | undefined {
    return this.#columnNames ? [...this.#columnNames] : undefined;
  }

  /** Shards (data files) the rows come from (Python's `n_shards`). */
  get numShards(): number {
    return this.#numShards;
  }

  #derive(source: RowSource, columnNames: readonly string[] | undefined = this.#columnNames): IterableDataset {
    return new IterableDataset(source, { ...(columnNames ? { columnNames } : {}), numShards: this.#numShards }, this.#shuffling);
  }

  [Symbol.asyncIterator](): AsyncIterator<Row> {
    return this.#source(this.#shuffling)[Symbol.asyncIterator]();
  }

  /** Batches of rows as dicts of column arrays (Python's `iter(batch_size)`). */
  async *iter(options: IterBatchesOptions = {}): AsyncGenerator<Batch> {
    const size = wholeNumber("batchSize", options.batchSize ?? 1000, 1);
    for await (const rows of batches(this, size, options.dropLastBatch ?? false)) yield toBatch(rows);
  }

  /** The first `n` rows (Python's `take`): reading stops there, so only what they need is read. */
  take(n: number): IterableDataset {
    wholeNumber("n", n, 0);
    const parent = this.#source;
    // As Python's TakeExamplesIterable, the shard order is not shuffled under a take.
    return this.#derive(async function* () {
      if (n === 0) return;
      let i = 0;
      for await (const row of parent(undefined)) {
        yield row;
        if (++i >= n) return;
      }
    });
  }

  /** All rows but the first `n` (Python's `skip`); the skipped rows are still read. */
  skip(n: number): IterableDataset {
    wholeNumber("n", n, 0);
    const parent = this.#source;
    return this.#derive(async function* () {
      let i = 0;
      for await (const row of parent(undefined)) if (i++ >= n) yield row;
    });
  }

  /**
   * Python's `IterableDataset.map`, run as rows are read: `fn(row, index)` returns the columns to
   * set (merged over the row; undefined leaves it as is), or with `batched`, `fn(batch, indices)`
   * gets a dict of column arrays and returns one (possibly with another number of rows, if every
   * input column is removed). The function may be async.
   */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (row: Row, index: number) => MaybePromise<Row | undefined | void>, options?: IterableMapOptions & { batched?: false }): IterableDataset;
  map(
    // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the batch in place) is allowed, as in Python
    fn: (batch: Batch, indices: number[]) => MaybePromise<Record<string, readonly unknown[] | RaggedInt32Column> | undefined | void>,
    options: IterableMapOptions & { batched: true },
  ): IterableDataset;
  map(fn: (input: never, index: never) => unknown, options: IterableMapOptions = {}): IterableDataset {
    if (typeof fn !== "function") throw new InvalidArgumentError("fn", fn, "map needs a function.");
    const remove = namesOf(options.removeColumns);
    const known = this.#columnNames;
    if (known) {
      const missing = remove.filter((c) => !known.includes(c));
      if (missing.length > 0)
        throw new MissingColumnError(`map: removeColumns names ${JSON.stringify(missing)}, not columns of the dataset ${JSON.stringify(known)}.`, {
          column: missing[0]!,
          columns: [...known],
        });
    }
    const parent = this.#source;
    const strip = (row: Row): Row => {
      if (remove.length === 0) return { ...row };
      const out: Row = {};
      for (const [k, v] of Object.entries(row)) if (!remove.includes(k)) out[k] = v;
      return out;
    };
    if (!options.batched) {
      // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
      const f = fn as unknown as (row: Row, index: number) => MaybePromise<Row | undefined | void>;
      return this.#derive(async function* (shuffle) {
        let i = 0;
        for await (const row of parent(shuffle)) {
          const result = await f({ ...row }, i++);
          if (result !== undefined && (result === null || typeof result !== "object" || Array.isArray(result))) {
            throw new InvalidArgumentError(
              "fn",
              result,
              `map: the function returned ${result === null ? "null" : Array.isArray(result) ? "an array" : typeof result} for row ${i - 1}; it must return an object (column → value) or nothing.`,
              { row: i - 1 },
            );
          }
          yield result ? { ...strip(row), ...result } : strip(row);
        }
      }, undefined);
    }
    const size = wholeNumber("batchSize", options.batchSize ?? 1000, 1);
    const dropLast = options.dropLastBatch ?? false;
    // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
    const f = fn as unknown as (batch: Batch, indices: number[]) => MaybePromise<Record<string, readonly unknown[] | RaggedInt32Column> | undefined | void>;
    return this.#derive(async function* (shuffle) {
      let start = 0;
      for await (const rows of batches(parent(shuffle), size, dropLast)) {
        const indices = rows.map((_, k) => start + k);
        const result = await f(toBatch(rows), indices);
        const kept = rows.map(strip);
        if (result === undefined) yield* kept;
        else {
          if (result === null || typeof result !== "object" || Array.isArray(result)) {
            throw new InvalidArgumentError(
              "fn",
              result,
              `map (batched): the function returned ${result === null ? "null" : typeof result} for the batch of rows ${start}–${start + rows.length - 1}; it must return a dict of column arrays.`,
            );
          }
          const out = fromBatch(result, `map (batched), rows ${start}–${start + rows.length - 1}`);
          const keptColumns = kept.some((r) => Object.keys(r).length > 0);
          if (out.length !== rows.length && keptColumns) {
            throw new InvalidArgumentError(
              "fn",
              undefined,
              `map (batched): the function returned ${out.length} rows for a batch of ${rows.length} (rows ${start}–${start + rows.length - 1}) while input columns are kept; remove them (removeColumns) to change the number of rows.`,
            );
          }
          for (let k = 0; k < out.length; k++) yield keptColumns ? { ...kept[k], ...out[k] } : out[k]!;
        }
        start += rows.length;
      }
    }, undefined);
  }

  /**
   * Python's `IterableDataset.filter`: keeps the rows for which `fn(row, index)` is truthy, or with
   * `batched`, `fn(batch, indices)` returns one boolean per row. The function may be async.
   */
  filter(fn: (row: Row, index: number) => unknown, options?: IterableFilterOptions & { batched?: false }): IterableDataset;
  filter(fn: (batch: Batch, indices: number[]) => MaybePromise<readonly unknown[]>, options: IterableFilterOptions & { batched: true }): IterableDataset;
  filter(fn: (input: never, index: never) => unknown, options: IterableFilterOptions = {}): IterableDataset {
    if (typeof fn !== "function") throw new InvalidArgumentError("fn", fn, "filter needs a function.");
    const parent = this.#source;
    if (!options.batched) {
      const f = fn as unknown as (row: Row, index: number) => unknown;
      return this.#derive(async function* (shuffle) {
        let i = 0;
        for await (const row of parent(shuffle)) if (await f({ ...row }, i++)) yield row;
      });
    }
    const size = wholeNumber("batchSize", options.batchSize ?? 1000, 1);
    const f = fn as unknown as (batch: Batch, indices: number[]) => MaybePromise<readonly unknown[]>;
    return this.#derive(async function* (shuffle) {
      let start = 0;
      for await (const rows of batches(parent(shuffle), size, false)) {
        const keep = await f(
          toBatch(rows),
          rows.map((_, k) => start + k),
        );
        if (!Array.isArray(keep) || keep.length !== rows.length) {
          throw new InvalidArgumentError(
            "fn",
            keep,
            `filter (batched): the function must return one boolean per row (${rows.length} for rows ${start}–${start + rows.length - 1}).`,
          );
        }
        for (let k = 0; k < rows.length; k++) if (keep[k]) yield rows[k]!;
        start += rows.length;
      }
    });
  }

  /**
   * Python's `IterableDataset.shuffle`: the shards (data files) are read in a shuffled order, and
   * the rows pass through a buffer of `bufferSize` rows: once it is full, each new row takes the
   * place of one drawn at random from it, which is yielded; at the end the rest of the buffer is
   * shuffled. A row can thus only move about `bufferSize` places forward: this is not the
   * permutation `Dataset.shuffle` gives (use `toDataset()` then `shuffle` for that). The same seed
   * gives the same order at every iteration. The shard order is numpy's `shuffle` of the file list
   * with `default_rng(seed)`, as Python's; the draws from the buffer are not Python's.
   */
  shuffle(params: IterableShuffleParams = {}): IterableDataset {
    const bufferSize = wholeNumber("bufferSize", params.bufferSize ?? 1000, 1);
    let seed: SeedEntropy;
    if (params.generator !== undefined) seed = Math.floor(params.generator.random() * 2 ** 53);
    else if (params.seed !== undefined) seed = params.seed;
    else seed = randomBytes(8).readBigUInt64LE();
    defaultRng(seed); // a bad seed fails here, not at the first iteration
    const parent = this.#source;
    const source: RowSource = async function* (shuffle) {
      const rng = (shuffle ?? (() => defaultRng(seed)))();
      const buffer: Row[] = [];
      for await (const row of parent(shuffle)) {
        if (buffer.length === bufferSize) {
          const i = Math.floor(rng.random() * bufferSize);
          yield buffer[i]!;
          buffer[i] = row;
        } else buffer.push(row);
      }
      rng.shuffle(buffer);
      yield* buffer;
    };
    return new IterableDataset(source, { ...(this.#columnNames ? { columnNames: this.#columnNames } : {}), numShards: this.#numShards }, () =>
      defaultRng(seed),
    );
  }

  /** Only these columns, in this order (Python's `select_columns`). A name a row lacks is a MissingColumnError. */
  selectColumns(names: string | readonly string[]): IterableDataset {
    const wanted = namesOf(names);
    const known = this.#columnNames;
    const missing = known ? wanted.filter((c) => !known.includes(c)) : [];
    if (known && missing.length > 0) {
      throw new MissingColumnError(
        `selectColumns: no column${missing.length > 1 ? "s" : ""} ${JSON.stringify(missing)}; the columns are ${JSON.stringify(known)}.`,
        { column: missing[0]!, columns: [...known] },
      );
    }
    const parent = this.#source;
    return this.#derive(async function* (shuffle) {
      let i = 0;
      for await (const row of parent(shuffle)) {
        const out: Row = {};
        for (const name of wanted) {
          if (!Object.hasOwn(row, name)) {
            throw new MissingColumnError(`selectColumns: row ${i} has no column "${name}"; its columns are ${JSON.stringify(Object.keys(row))}.`, {
              column: name,
              columns: Object.keys(row),
              row: i,
            });
          }
          out[name] = row[name];
        }
        i++;
        yield out;
      }
    }, wanted);
  }

  /** Without these columns (Python's `remove_columns`). */
  removeColumns(names: string | readonly string[]): IterableDataset {
    const drop = namesOf(names);
    const known = this.#columnNames;
    const missing = known ? drop.filter((c) => !known.includes(c)) : [];
    if (known && missing.length > 0) {
      throw new MissingColumnError(
        `removeColumns: no column${missing.length > 1 ? "s" : ""} ${JSON.stringify(missing)}; the columns are ${JSON.stringify(known)}.`,
        { column: missing[0]!, columns: [...known] },
      );
    }
    const parent = this.#source;
    return this.#derive(
      async function* (shuffle) {
        for await (const row of parent(shuffle)) {
          const out: Row = {};
          for (const [k, v] of Object.entries(row)) if (!drop.includes(k)) out[k] = v;
          yield out;
        }
      },
      known?.filter((c) => !drop.includes(c)),
    );
  }

  /** The column `from` renamed `to` (Python's `rename_column`). */
  renameColumn(from: string, to: string): IterableDataset {
    const known = this.#columnNames;
    if (known && !known.includes(from))
      throw new MissingColumnError(`renameColumn: no column "${from}"; the columns are ${JSON.stringify(known)}.`, { column: from, columns: [...known] });
    const parent = this.#source;
    return this.#derive(
      async function* (shuffle) {
        for await (const row of parent(shuffle)) {
          const out: Row = {};
          for (const [k, v] of Object.entries(row)) out[k === from ? to : k] = v;
          yield out;
        }
      },
      known?.map((c) => (c === from ? to : c)),
    );
  }

  /** The rows read into a Dataset, at most `limit` of them (stops reading there): a sample to work on in memory. */
  toDataset(limit?: number): Promise<Dataset> {
    return Dataset.fromIterable(this, limit === undefined ? {} : { limit });
  }

  /** The rows as a list, at most `limit`. */
  async toList(limit = Infinity): Promise<Row[]> {
    if (limit !== Infinity) wholeNumber("limit", limit, 0);
    const out: Row[] = [];
    if (limit === 0) return out;
    for await (const row of this) {
      out.push(row);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** As Python prints it: `IterableDataset({ features: [...] | Unknown, num_shards: n })`. */
  toString(): string {
    const features = this.#columnNames ? `[${this.#columnNames.map((c) => `'${c.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`).join(", ")}]` : "Unknown";
    return `IterableDataset({\n    features: ${features},\n    num_shards: ${this.#numShards}\n})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
