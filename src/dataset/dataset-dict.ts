import { inspect } from "node:util";
import { InvalidArgumentError, SplitNotFoundError } from "../errors.js";
import type { Batch, BatchOutput, Dataset, FilterOptions, MapOptions, Row, ShuffleParams } from "./dataset.js";

type MaybePromise<T> = T | Promise<T>;

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return v !== null && typeof v === "object" && typeof (v as { then?: unknown }).then === "function";
}

/**
 * Python's `datasets.DatasetDict`: split name → Dataset, in order.
 *
 * `dd.train`, `dd.validation` and `dd.test` are typed getters (a SplitNotFoundError listing the splits
 * when absent); any other split is also an own property at run time, and always reachable with
 * `dd.get(name)`. Iterating gives `[name, dataset]` pairs.
 */
export class DatasetDict implements Iterable<[string, Dataset]> {
  readonly #splits: ReadonlyMap<string, Dataset>;

  constructor(splits: Readonly<Record<string, Dataset>> | Iterable<readonly [string, Dataset]>) {
    const entries = Symbol.iterator in splits ? [...(splits as Iterable<readonly [string, Dataset]>)] : Object.entries(splits);
    const map = new Map<string, Dataset>();
    for (const [name, ds] of entries) {
      if (map.has(name)) throw new InvalidArgumentError("splits", name, `DatasetDict: split "${name}" given twice.`);
      map.set(name, ds);
    }
    this.#splits = map;
    for (const name of map.keys()) {
      // Methods and the typed getters win over a split of the same name; dd.get() reaches every split.
      if (!(name in this)) Object.defineProperty(this, name, { get: () => map.get(name), enumerable: true });
    }
  }

  /** The split named `split`; SplitNotFoundError listing the splits when there is none. */
  get(split: string): Dataset {
    const ds = this.#splits.get(split);
    if (ds === undefined) throw new SplitNotFoundError(split, this.keys());
    return ds;
  }

  has(split: string): boolean {
    return this.#splits.has(split);
  }

  /** The "train" split. */
  get train(): Dataset {
    return this.get("train");
  }

  /** The "validation" split. */
  get validation(): Dataset {
    return this.get("validation");
  }

  /** The "test" split. */
  get test(): Dataset {
    return this.get("test");
  }

  keys(): string[] {
    return [...this.#splits.keys()];
  }

  values(): Dataset[] {
    return [...this.#splits.values()];
  }

  entries(): [string, Dataset][] {
    return [...this.#splits.entries()];
  }

  [Symbol.iterator](): Iterator<[string, Dataset]> {
    return this.#splits.entries();
  }

  /** Number of splits. */
  get size(): number {
    return this.#splits.size;
  }

  /** Rows per split (Python's `num_rows`). */
  get numRows(): Record<string, number> {
    return Object.fromEntries([...this.#splits].map(([k, ds]) => [k, ds.numRows]));
  }

  /** Column names per split (Python's `column_names`). */
  get columnNames(): Record<string, string[]> {
    return Object.fromEntries([...this.#splits].map(([k, ds]) => [k, ds.columnNames]));
  }

  #each(apply: (ds: Dataset) => MaybePromise<Dataset>): MaybePromise<DatasetDict> {
    const names = this.keys();
    const out: [string, Dataset][] = [];
    for (let i = 0; i < names.length; i++) {
      const r = apply(this.#splits.get(names[i]!)!);
      if (isThenable(r)) {
        return (async () => {
          out.push([names[i]!, await r]);
          for (let j = i + 1; j < names.length; j++) out.push([names[j]!, await apply(this.#splits.get(names[j]!)!)]);
          return new DatasetDict(out);
        })();
      }
      out.push([names[i]!, r]);
    }
    return new DatasetDict(out);
  }

  /** {@link Dataset.map} on every split; a promise when the function returns promises. */
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (row: Row, index: number) => Promise<Row | void | undefined>, options?: MapOptions & { batched?: false }): Promise<DatasetDict>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (row: Row, index: number) => Row | void | undefined, options?: MapOptions & { batched?: false }): DatasetDict;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (batch: Batch, indices: number[]) => Promise<BatchOutput | void | undefined>, options: MapOptions & { batched: true }): Promise<DatasetDict>;
  // biome-ignore lint/suspicious/noConfusingVoidType: a callback that returns nothing (it changed the row in place) is allowed, as in Python
  map(fn: (batch: Batch, indices: number[]) => BatchOutput | void | undefined, options: MapOptions & { batched: true }): DatasetDict;
  map(fn: (input: never, index: never) => unknown, options: MapOptions = {}): MaybePromise<DatasetDict> {
    return this.#each((ds) => (ds.map as (f: unknown, o: unknown) => MaybePromise<Dataset>)(fn, options));
  }

  /** {@link Dataset.filter} on every split; a promise when the function returns promises. */
  filter(fn: (row: Row, index: number) => Promise<unknown>, options?: FilterOptions & { batched?: false }): Promise<DatasetDict>;
  filter(fn: (row: Row, index: number) => unknown, options?: FilterOptions & { batched?: false }): DatasetDict;
  filter(fn: (batch: Batch, indices: number[]) => Promise<ArrayLike<unknown>>, options: FilterOptions & { batched: true }): Promise<DatasetDict>;
  filter(fn: (batch: Batch, indices: number[]) => ArrayLike<unknown>, options: FilterOptions & { batched: true }): DatasetDict;
  filter(fn: (input: never, index: never) => unknown, options: FilterOptions = {}): MaybePromise<DatasetDict> {
    return this.#each((ds) => (ds.filter as (f: unknown, o: unknown) => MaybePromise<Dataset>)(fn, options));
  }

  /** {@link Dataset.removeColumns} on every split. */
  removeColumns(names: string | readonly string[]): DatasetDict {
    return this.#each((ds) => ds.removeColumns(names)) as DatasetDict;
  }

  /** {@link Dataset.renameColumn} on every split. */
  renameColumn(originalName: string, newName: string): DatasetDict {
    return this.#each((ds) => ds.renameColumn(originalName, newName)) as DatasetDict;
  }

  /** {@link Dataset.shuffle} on every split, each with the same seed (as Python's `DatasetDict.shuffle(seed=…)`). */
  shuffle(params: ShuffleParams = {}): DatasetDict {
    return this.#each((ds) => ds.shuffle(params)) as DatasetDict;
  }

  /** Python's repr: `DatasetDict({` then each split's Dataset repr indented by four spaces, then `})`. */
  toString(): string {
    const body = [...this.#splits].map(([name, ds]) => `${name}: ${ds.toString()}`).join("\n");
    return `DatasetDict({\n${body.replace(/^/gm, "    ")}\n})`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}
