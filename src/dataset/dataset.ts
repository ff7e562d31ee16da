import { inspect } from "node:util";
import { InvalidArgumentError, MissingColumnError } from "../errors.js";
import { createProgress, type Progress } from "../util/progress.js";
import { ColumnBuilder } from "./columns/column-builder.js";
import type { Column } from "./columns/column.js";
import { RaggedInt32Column } from "./columns/ragged-int32-column.js";
import type { DatasetDict } from "./dataset-dict.js";
import { Features } from "./features/features.js";
import { inferFeature } from "./features/infer-feature.js";
import type { Generator } from "./numpy-random/generator.js";
import { permutation } from "./numpy-random/permutation.js";
import type { SeedEntropy } from "./numpy-random/seed-sequence.js";
import { trainTestSplit, type TrainTestSplitParams } from "./train-test-split.js";
import { pyStrList } from "./util/py-repr.js";
import { requireOptional } from "../util/require-optional.js";

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

type MaybePromise<T> = T | Promise<T>;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && (typeof v === "object" || typeof v === "function") && typeof (v as { then?: unknown }).then === "function";
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  return typeof v === "object" ? `a ${v.constructor?.name ?? "object"}` : `a ${typeof v}`;
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((k) => set.has(k));
}

/**
 * Runs `step(0) … step(count - 1)` and then `finish`, synchronously while every step returns a plain
 * value; from the first step that returns a promise on, the rest run awaited and the result is a promise.
 * `stop` runs once either way (also on error).
 */
function drive<R>(count: number, step: (i: number) => unknown, handle: (result: unknown, i: number) => void, finish: () => R, stop: () => void): MaybePromise<R> {
  let async = false;
  try {
    for (let i = 0; i < count; i++) {
      const r = step(i);
      if (isThenable(r)) {
        async = true;
        return (async () => {
          try {
            handle(await r, i);
            for (let j = i + 1; j < count; j++) handle(await step(j), j);
            return finish();
          } finally {
            stop();
          }
        })();
      }
      handle(r, i);
    }
    return finish();
  } finally {
    if (!async) stop();
  }
}

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

/**
 * Python's `datasets.Dataset`: rows of named columns, stored by column. Immutable: every operation
 * returns a new Dataset (sharing the columns it does not change).
 *
 * Columns of int32 lists (token ids) are stored flat ({@link RaggedInt32Column}); rows still give
 * them as number[].
 */
export class Dataset implements Iterable<Row> {
  readonly #columns: ReadonlyMap<string, Column>;
  readonly #numRows: number;
  #features: Features | undefined;

  private constructor(columns: ReadonlyMap<string, Column>, numRows: number) {
    this.#columns = columns;
    this.#numRows = numRows;
  }

  /**
   * Python's `Dataset.from_list`: the columns are the first row's keys; a later row missing a key
   * gives null there. Keys that the first row lacks are not kept (as in Python); a warning names them.
   */
  static fromList(rows: readonly Row[]): Dataset {
    if (rows.length === 0) return new Dataset(new Map(), 0);
    const first = rows[0]!;
    if (!isPlainObject(first)) throw new InvalidArgumentError("rows", first, `fromList: row 0 is ${describe(first)}, not an object.`, { row: 0 });
    const names = Object.keys(first);
    const builders = names.map(() => new ColumnBuilder());
    const known = new Set(names);
    const extra = new Map<string, number>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      if (!isPlainObject(row)) throw new InvalidArgumentError("rows", row, `fromList: row ${i} is ${describe(row)}, not an object.`, { row: i });
      for (let c = 0; c < names.length; c++) builders[c]!.push(row[names[c]!]);
      if (i > 0) for (const k of Object.keys(row)) if (!known.has(k)) extra.set(k, (extra.get(k) ?? 0) + 1);
    }
    if (extra.size > 0) {
      const list = [...extra].map(([k, n]) => `"${k}" (${n} row${n === 1 ? "" : "s"})`).join(", ");
      process.emitWarning(`Dataset.fromList takes its columns from the first row (as Python's from_list); these keys are not in it and were left out: ${list}.`, {
        code: "FINETUNE_PREP_FROM_LIST_KEYS",
      });
    }
    return new Dataset(new Map(names.map((n, c) => [n, builders[c]!.finish()])), rows.length);
  }

  /**
   * Python's `Dataset.from_dict`: column name → values (an object or a Map). All columns must have
   * the same length. Arrays are copied; a RaggedInt32Column is used as is.
   */
  static fromDict(columns: Readonly<Record<string, readonly unknown[] | RaggedInt32Column>> | ReadonlyMap<string, readonly unknown[] | RaggedInt32Column>): Dataset {
    // A Map keeps names like "0" in their place; object keys that look like integers come first in JS.
    const entries = columns instanceof Map ? [...columns] : Object.entries(columns);
    let numRows: number | undefined;
    let firstName = "";
    const out = new Map<string, Column>();
    for (const [name, values] of entries) {
      if (!(values instanceof RaggedInt32Column) && !Array.isArray(values)) {
        throw new InvalidArgumentError("columns", values, `fromDict: column "${name}" is ${describe(values)}, not an array.`, { column: name });
      }
      if (numRows === undefined) {
        numRows = values.length;
        firstName = name;
      } else if (values.length !== numRows) {
        throw new InvalidArgumentError("columns", values, `fromDict: column "${name}" has ${values.length} values but column "${firstName}" has ${numRows}. All columns must have the same length.`, {
          column: name,
        });
      }
      out.set(name, values instanceof RaggedInt32Column ? values : buildColumn(values));
    }
    return new Dataset(out, numRows ?? 0);
  }

  /** Number of rows (Python's `num_rows`, `len(ds)`). */
  get numRows(): number {
    return this.#numRows;
  }

  /** Number of columns. */
  get numColumns(): number {
    return this.#columns.size;
  }

  /** Column names in order (Python's `column_names`). */
  get columnNames(): string[] {
    return [...this.#columns.keys()];
  }

  /**
   * Column types as Python's `datasets` would report them (`ds.features`), inferred from the values
   * (see {@link inferFeature}). A column mixing incompatible types is a ColumnTypeError here.
   */
  get features(): Features {
    if (!this.#features) {
      const f = new Features();
      for (const [name, col] of this.#columns) f.set(name, inferFeature(col, name));
      this.#features = f;
    }
    return this.#features;
  }

  #rowIndex(i: number): number {
    const n = this.#numRows;
    if (!Number.isInteger(i) || i < -n || i >= n) {
      throw new InvalidArgumentError("index", i, `Index ${i} is out of range for a dataset of ${n} rows.`, { hint: n > 0 ? `Use 0 … ${n - 1}, or -${n} … -1 from the end.` : "The dataset is empty." });
    }
    return i < 0 ? i + n : i;
  }

  #rowAt(i: number): Row {
    const row: Row = {};
    for (const [name, col] of this.#columns) {
      const v = col instanceof RaggedInt32Column ? col.toArray(i) : col[i];
      // A "__proto__" column stays a field: plain assignment would replace the row's prototype.
      if (name === "__proto__") Object.defineProperty(row, name, { value: v, enumerable: true, writable: true, configurable: true });
      else row[name] = v;
    }
    return row;
  }

  /** Row `i` as an object (Python's `ds[i]`); negative counts from the end. */
  row(i: number): Row {
    return this.#rowAt(this.#rowIndex(i));
  }

  *[Symbol.iterator](): Iterator<Row> {
    for (let i = 0; i < this.#numRows; i++) yield this.#rowAt(i);
  }

  #column(name: string): Column {
    const col = this.#columns.get(name);
    if (col === undefined) {
      throw new MissingColumnError(`Column "${name}" not in the dataset. Current columns in the dataset: ${pyStrList(this.columnNames)}.`, { column: name, columns: this.columnNames });
    }
    return col;
  }

  /** A column's values as a new array (Python's `ds["name"]`); token-id columns give number[][]. */
  column(name: string): unknown[] {
    const col = this.#column(name);
    return col instanceof RaggedInt32Column ? col.toArrays() : col.slice();
  }

  /** A column's storage, not copied: a RaggedInt32Column for token ids, else the values array. Read-only. */
  rawColumn(name: string): Column {
    return this.#column(name);
  }

  #checkNames(names: string | readonly string[] | undefined, what: string): string[] {
    const list = names === undefined ? [] : typeof names === "string" ? [names] : [...names];
    const missing = list.filter((n) => !this.#columns.has(n));
    if (missing.length > 0) {
      throw new MissingColumnError(`${what}: column${missing.length > 1 ? "s" : ""} ${pyStrList(missing)} not in the dataset. Current columns in the dataset: ${pyStrList(this.columnNames)}.`, {
        column: missing[0]!,
        columns: this.columnNames,
      });
    }
    return list;
  }

  #batch(start: number, end: number): Batch {
    const batch: Batch = {};
    for (const [name, col] of this.#columns) {
      // Columns are materialized on first access: a function reading one column does not pay for all.
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

  /**
   * Python's `Dataset.map`: applies `fn` to every row (or batch) and merges what it returns into the
   * dataset — returned columns replace existing ones of that name or are appended.
   *
   * - Row mode: `fn(row, index)` returns an object of new/updated values, or nothing (no change).
   *   Every row must return the same keys.
   * - Batched (`batched: true`): `fn(batch, indices)` gets column arrays and returns column arrays
   *   (plain arrays, number[][] or a RaggedInt32Column) of one common length. A batch may return
   *   more or fewer rows than it got only if every input column it does not return is removed.
   *
   * Lists of int32 the function returns are stored compactly. With a function that returns promises
   * the result is a promise (`await ds.map(async …)`); otherwise the Dataset itself.
   */
  map(fn: (row: Row, index: number) => Promise<Row | void | undefined>, options?: MapOptions & { batched?: false }): Promise<Dataset>;
  map(fn: (row: Row, index: number) => Row | void | undefined, options?: MapOptions & { batched?: false }): Dataset;
  map(fn: (batch: Batch, indices: number[]) => Promise<BatchOutput | void | undefined>, options: MapOptions & { batched: true }): Promise<Dataset>;
  map(fn: (batch: Batch, indices: number[]) => BatchOutput | void | undefined, options: MapOptions & { batched: true }): Dataset;
  map(fn: (input: never, index: never) => unknown, options: MapOptions = {}): MaybePromise<Dataset> {
    const remove = new Set(this.#checkNames(options.removeColumns, "map removeColumns"));
    const n = this.#numRows;
    const batched = options.batched === true;
    const batchSize = batched ? (options.batchSize === undefined ? 1000 : options.batchSize <= 0 ? Math.max(n, 1) : options.batchSize) : 1;
    if (!Number.isInteger(batchSize)) throw new InvalidArgumentError("batchSize", options.batchSize, `batchSize must be a whole number, got ${options.batchSize}.`);
    const steps = Math.ceil(n / batchSize);
    const call = fn as (input: unknown, index: unknown) => unknown;

    let outKeys: string[] | undefined;
    let noUpdate = false;
    let builders: ColumnBuilder[] = [];
    let outRows = 0;
    const kept = this.columnNames.filter((c) => !remove.has(c));
    const progress: Progress = createProgress({ total: n, label: options.desc ?? "Map", unit: "examples", progress: options.progress });

    const step = (s: number): unknown => {
      if (!batched) return call(this.#rowAt(s), s);
      const start = s * batchSize;
      const end = Math.min(n, start + batchSize);
      const indices = Array.from({ length: end - start }, (_, j) => start + j);
      return call(this.#batch(start, end), indices);
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
          throw new InvalidArgumentError("fn", result, `map: the function returned ${describe(result)} for ${where(s)}; it must return an object (${batched ? "column name → array" : "column name → value"}) or nothing.`);
        }
        outKeys = Object.keys(result);
        builders = outKeys.map(() => new ColumnBuilder());
      } else if (noUpdate) {
        if (result !== undefined && result !== null) {
          throw new InvalidArgumentError("fn", result, `map: the function returned nothing for ${where(0)} but ${describe(result)} for ${where(s)}. Return an object every time, or never.`);
        }
        return;
      } else if (!isPlainObject(result) || !sameKeys(outKeys!, Object.keys(result))) {
        const got = isPlainObject(result) ? pyStrList(Object.keys(result)) : describe(result);
        throw new InvalidArgumentError("fn", result, `map: the function returned ${got} for ${where(s)} but ${pyStrList(outKeys!)} for ${where(0)}. Every ${batched ? "batch" : "row"} must return the same columns.`);
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
          throw new InvalidArgumentError("fn", v, `map: for ${where(s)} the function returned ${describe(v)} for column "${k}"; a batched function returns an array per column.`, { column: k });
        }
        if (len === undefined) len = v.length;
        else if (v.length !== len) {
          throw new InvalidArgumentError("fn", v, `map: for ${where(s)} the function returned columns of different lengths: "${outKeys![0]}" has ${len} values, "${k}" has ${v.length}.`, { column: k });
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
            { hint: `A batched function may change the number of rows only if the input columns it does not return are removed: removeColumns: ${JSON.stringify(stale)}.` },
          );
        }
      }
      for (let c = 0; c < outKeys!.length; c++) builders[c]!.pushColumn(out[outKeys![c]!] as Column);
      outRows += len;
    };

    const finish = (): Dataset => {
      const columns = new Map<string, Column>();
      for (const name of kept) columns.set(name, this.#columns.get(name)!);
      if (noUpdate || outKeys === undefined) return new Dataset(columns, n);
      outKeys.forEach((k, c) => columns.set(k, builders[c]!.finish()));
      // Rows changed count only when no input column survives unreplaced (checked per batch above).
      return new Dataset(columns, outKeys.length > 0 ? outRows : n);
    };

    return drive(steps, step, handle, finish, () => progress.stop());
  }

  /**
   * Python's `Dataset.filter`: keeps the rows for which `fn(row, index)` is truthy, or, batched, for
   * which the array `fn(batch, indices)` returns is truthy (one entry per row of the batch).
   * Promise-returning functions make the result a promise.
   */
  filter(fn: (row: Row, index: number) => Promise<unknown>, options?: FilterOptions & { batched?: false }): Promise<Dataset>;
  filter(fn: (row: Row, index: number) => unknown, options?: FilterOptions & { batched?: false }): Dataset;
  filter(fn: (batch: Batch, indices: number[]) => Promise<ArrayLike<unknown>>, options: FilterOptions & { batched: true }): Promise<Dataset>;
  filter(fn: (batch: Batch, indices: number[]) => ArrayLike<unknown>, options: FilterOptions & { batched: true }): Dataset;
  filter(fn: (input: never, index: never) => unknown, options: FilterOptions = {}): MaybePromise<Dataset> {
    const n = this.#numRows;
    const batched = options.batched === true;
    const batchSize = batched ? (options.batchSize === undefined ? 1000 : options.batchSize <= 0 ? Math.max(n, 1) : options.batchSize) : 1;
    const steps = Math.ceil(n / batchSize);
    const call = fn as (input: unknown, index: unknown) => unknown;
    const keep: number[] = [];
    const progress = createProgress({ total: n, label: options.desc ?? "Filter", unit: "examples", progress: options.progress });
    const step = (s: number): unknown => {
      if (!batched) return call(this.#rowAt(s), s);
      const start = s * batchSize;
      const end = Math.min(n, start + batchSize);
      return call(this.#batch(start, end), Array.from({ length: end - start }, (_, j) => start + j));
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
        throw new InvalidArgumentError("fn", result, `filter: for the batch of rows ${start}–${end - 1} the function returned ${flags && typeof flags === "object" && typeof flags.length === "number" ? `${flags.length} flags` : describe(flags)}; it must return one boolean per row (${end - start}).`);
      }
      for (let j = 0; j < flags.length; j++) if (flags[j]) keep.push(start + j);
      progress.increment(end - start);
    };
    return drive(steps, step, handle, () => this.select(keep), () => progress.stop());
  }

  /**
   * Python's `Dataset.select`: the rows at `indices`, in that order (repeats allowed). An index
   * outside 0 … numRows - 1 is an InvalidArgumentError naming it and its position.
   */
  select(indices: Iterable<number> | ArrayLike<number>): Dataset {
    const idx: ArrayLike<number> = Array.isArray(indices) || ArrayBuffer.isView(indices) ? (indices as ArrayLike<number>) : Array.from(indices as Iterable<number>);
    const n = this.#numRows;
    for (let j = 0; j < idx.length; j++) {
      const i = idx[j]!;
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new InvalidArgumentError("indices", i, `select: index ${i} (at position ${j}) is out of range for a dataset of ${n} rows.`, { row: j });
      }
    }
    const columns = new Map<string, Column>();
    for (const [name, col] of this.#columns) {
      if (col instanceof RaggedInt32Column) {
        columns.set(name, col.take(idx));
      } else {
        const out = new Array<unknown>(idx.length);
        for (let j = 0; j < idx.length; j++) out[j] = col[idx[j]!];
        columns.set(name, out);
      }
    }
    return new Dataset(columns, idx.length);
  }

  /**
   * Python's `Dataset.add_column`: a new column with one value per row. A RaggedInt32Column is shared,
   * not copied (e.g. `addColumn("labels", ds.rawColumn("input_ids"))`).
   */
  addColumn(name: string, values: readonly unknown[] | RaggedInt32Column): Dataset {
    if (this.#columns.has(name)) {
      throw new InvalidArgumentError("name", name, `addColumn: column "${name}" already exists. Current columns: ${pyStrList(this.columnNames)}.`, { column: name, hint: "Remove or rename it first, or use map to replace its values." });
    }
    if (!(values instanceof RaggedInt32Column) && !Array.isArray(values)) {
      throw new InvalidArgumentError("values", values, `addColumn("${name}"): values is ${describe(values)}, not an array.`, { column: name });
    }
    if (values.length !== this.#numRows) {
      throw new InvalidArgumentError("values", values.length, `addColumn("${name}"): ${values.length} values for a dataset of ${this.#numRows} rows; the lengths must be equal.`, { column: name });
    }
    const columns = new Map(this.#columns);
    columns.set(name, values instanceof RaggedInt32Column ? values : buildColumn(values));
    return new Dataset(columns, this.#numRows);
  }

  /** Python's `Dataset.remove_columns`. An unknown name is a MissingColumnError listing the columns. */
  removeColumns(names: string | readonly string[]): Dataset {
    const drop = new Set(this.#checkNames(names, "removeColumns"));
    return new Dataset(new Map([...this.#columns].filter(([k]) => !drop.has(k))), this.#numRows);
  }

  /** Python's `Dataset.rename_column`: same position, new name. */
  renameColumn(originalName: string, newName: string): Dataset {
    this.#checkNames(originalName, "renameColumn");
    if (newName === originalName) throw new InvalidArgumentError("newName", newName, `renameColumn: the new name "${newName}" is the original name.`, { column: newName });
    if (this.#columns.has(newName)) {
      throw new InvalidArgumentError("newName", newName, `renameColumn: column "${newName}" already exists. Current columns: ${pyStrList(this.columnNames)}.`, { column: newName });
    }
    return new Dataset(new Map([...this.#columns].map(([k, v]) => [k === originalName ? newName : k, v] as [string, Column])), this.#numRows);
  }

  /** Every row as an object (Python's `to_list`). */
  toRows(): Row[] {
    return [...this];
  }

  /**
   * A danfojs DataFrame of the rows, for display (Python's `to_pandas`). Lists and objects are shown
   * as JSON text, since DataFrame cells are scalars. danfojs is loaded on first call.
   */
  toDataFrame(): DataFrame {
    const { DataFrame } = loadDanfo();
    const data: Record<string, unknown[]> = {};
    for (const [name, col] of this.#columns) {
      data[name] = col instanceof RaggedInt32Column ? Array.from({ length: col.length }, (_, i) => JSON.stringify(Array.from(col.get(i)))) : col.map(toCell);
    }
    return new DataFrame(this.#numRows === 0 ? [] : data, this.#numRows === 0 ? { columns: this.columnNames } : undefined);
  }

  /** Python's `Dataset.train_test_split`: see {@link trainTestSplit}. */
  trainTestSplit(params: TrainTestSplitParams = {}): DatasetDict {
    return trainTestSplit(this, params);
  }

  /**
   * Python's `Dataset.shuffle`: the rows in the order of numpy's
   * `default_rng(seed).permutation(numRows)` — the same order Python gives for the same seed.
   */
  shuffle(params: ShuffleParams = {}): Dataset {
    const order = params.generator ? params.generator.permutation(this.#numRows) : permutation(this.#numRows, params.seed);
    return this.select(order);
  }

  /** Python's repr: `Dataset({\n    features: ['question', 'answer'],\n    num_rows: 1400\n})`. */
  toString(): string {
    return `Dataset({\n    features: ${pyStrList(this.columnNames)},\n    num_rows: ${this.#numRows}\n})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

function buildColumn(values: readonly unknown[]): Column {
  const b = new ColumnBuilder();
  for (let i = 0; i < values.length; i++) b.push(values[i]);
  return b.finish();
}
