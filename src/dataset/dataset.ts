import { inspect } from "node:util";
import { InvalidArgumentError, MissingColumnError } from "../errors.js";
import { collectRows } from "./collect-rows.js";
import type { Column } from "./columns/column.js";
import { ColumnBuilder } from "./columns/column-builder.js";
import { RaggedInt32Column } from "./columns/ragged-int32-column.js";
import type { DatasetDict } from "./dataset-dict.js";
import type { Batch, BatchOutput, FilterOptions, MapOptions, Row, ShuffleParams } from "./dataset-types.js";
import { type DataFrame, toDataFrame } from "./export/to-data-frame.js";
import { Features } from "./features/features.js";
import { inferFeature } from "./features/infer-feature.js";
import { permutation } from "./numpy-random/permutation.js";
import { type TrainTestSplitParams, trainTestSplit } from "./train-test-split.js";
import { isThenable, type MaybePromise } from "./transforms/drive.js";
import { filterRows } from "./transforms/filter-rows.js";
import { type MappedColumns, mapColumns } from "./transforms/map-columns.js";
import type { TransformSource } from "./transforms/transform-source.js";
import { describeValue as describe, isPlainObject } from "./util/describe-value.js";
import { pyStrList } from "./util/py-repr.js";

// The types of rows, batches and options live beside the class; imported from here as before.
export type { Batch, BatchOutput, FilterOptions, MapOptions, Row, ShuffleParams } from "./dataset-types.js";
export type { DataFrame } from "./export/to-data-frame.js";

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
      process.emitWarning(
        `Dataset.fromList takes its columns from the first row (as Python's from_list); these keys are not in it and were left out: ${list}.`,
        {
          code: "FINETUNE_PREP_FROM_LIST_KEYS",
        },
      );
    }
    return new Dataset(new Map(names.map((n, c) => [n, builders[c]!.finish()])), rows.length);
  }

  /**
   * Python's `Dataset.from_dict`: column name → values (an object or a Map). All columns must have
   * the same length. Arrays are copied; a RaggedInt32Column is used as is.
   */
  static fromDict(
    columns: Readonly<Record<string, readonly unknown[] | RaggedInt32Column>> | ReadonlyMap<string, readonly unknown[] | RaggedInt32Column>,
  ): Dataset {
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
        throw new InvalidArgumentError(
          "columns",
          values,
          `fromDict: column "${name}" has ${values.length} values but column "${firstName}" has ${numRows}. All columns must have the same length.`,
          {
            column: name,
          },
        );
      }
      out.set(name, values instanceof RaggedInt32Column ? values : buildColumn(values));
    }
    return new Dataset(out, numRows ?? 0);
  }

  /**
   * A Dataset of the rows of an iterable, sync or async (an {@link IterableDataset}, a generator),
   * at most `limit` of them: Python's `Dataset.from_generator` / `Dataset.from_list(list(islice(it, limit)))`.
   * Columns are the union of the rows' keys in order of appearance, null where a row lacks one.
   */
  static async fromIterable(rows: Iterable<Row> | AsyncIterable<Row>, options: { limit?: number } = {}): Promise<Dataset> {
    return Dataset.fromDict(await collectRows(rows, options.limit));
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
      throw new InvalidArgumentError("index", i, `Index ${i} is out of range for a dataset of ${n} rows.`, {
        hint: n > 0 ? `Use 0 … ${n - 1}, or -${n} … -1 from the end.` : "The dataset is empty.",
      });
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

  /** What map and filter read. */
  #source(): TransformSource {
    return { columns: this.#columns, numRows: this.#numRows, rowAt: (i) => this.#rowAt(i) };
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
      throw new MissingColumnError(`Column "${name}" not in the dataset. Current columns in the dataset: ${pyStrList(this.columnNames)}.`, {
        column: name,
        columns: this.columnNames,
      });
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
      throw new MissingColumnError(
        `${what}: column${missing.length > 1 ? "s" : ""} ${pyStrList(missing)} not in the dataset. Current columns in the dataset: ${pyStrList(this.columnNames)}.`,
        {
          column: missing[0]!,
          columns: this.columnNames,
        },
      );
    }
    return list;
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
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (row: Row, index: number) => Promise<Row | void | undefined>, options?: MapOptions & { batched?: false }): Promise<Dataset>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (row: Row, index: number) => Row | void | undefined, options?: MapOptions & { batched?: false }): Dataset;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (batch: Batch, indices: number[]) => Promise<BatchOutput | void | undefined>, options: MapOptions & { batched: true }): Promise<Dataset>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (batch: Batch, indices: number[]) => BatchOutput | void | undefined, options: MapOptions & { batched: true }): Dataset;
  map(fn: (input: never, index: never) => unknown, options: MapOptions = {}): MaybePromise<Dataset> {
    const remove = new Set(this.#checkNames(options.removeColumns, "map removeColumns"));
    const mapped = mapColumns(this.#source(), fn as (input: unknown, index: unknown) => unknown, options, remove);
    const wrap = ({ columns, numRows }: MappedColumns) => new Dataset(columns, numRows);
    return isThenable(mapped) ? mapped.then(wrap) : wrap(mapped);
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
    const keep = filterRows(this.#source(), fn as (input: unknown, index: unknown) => unknown, options);
    return isThenable(keep) ? keep.then((k) => this.select(k)) : this.select(keep);
  }

  /**
   * Python's `Dataset.select`: the rows at `indices`, in that order (repeats allowed). An index
   * outside 0 … numRows - 1 is an InvalidArgumentError naming it and its position.
   */
  select(indices: Iterable<number> | ArrayLike<number>): Dataset {
    const idx: ArrayLike<number> =
      Array.isArray(indices) || ArrayBuffer.isView(indices) ? (indices as ArrayLike<number>) : Array.from(indices as Iterable<number>);
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
      throw new InvalidArgumentError("name", name, `addColumn: column "${name}" already exists. Current columns: ${pyStrList(this.columnNames)}.`, {
        column: name,
        hint: "Remove or rename it first, or use map to replace its values.",
      });
    }
    if (!(values instanceof RaggedInt32Column) && !Array.isArray(values)) {
      throw new InvalidArgumentError("values", values, `addColumn("${name}"): values is ${describe(values)}, not an array.`, { column: name });
    }
    if (values.length !== this.#numRows) {
      throw new InvalidArgumentError(
        "values",
        values.length,
        `addColumn("${name}"): ${values.length} values for a dataset of ${this.#numRows} rows; the lengths must be equal.`,
        { column: name },
      );
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
    if (newName === originalName)
      throw new InvalidArgumentError("newName", newName, `renameColumn: the new name "${newName}" is the original name.`, { column: newName });
    if (this.#columns.has(newName)) {
      throw new InvalidArgumentError("newName", newName, `renameColumn: column "${newName}" already exists. Current columns: ${pyStrList(this.columnNames)}.`, {
        column: newName,
      });
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
    return toDataFrame(this.#columns, this.#numRows);
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
