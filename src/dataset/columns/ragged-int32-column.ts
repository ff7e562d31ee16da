import { inspect } from "node:util";
import { InvalidArgumentError } from "../../errors.js";

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** True for a whole number that fits an Int32Array slot unchanged. */
export function isInt32(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX && !Object.is(v, -0);
}

/**
 * A column of int32 lists stored flat, as Arrow stores a list column: every row's values one after
 * the other in `values`, row `i` being `values[offsets[i] .. offsets[i + 1])`. This is how token-id
 * columns (input_ids, attention_mask, labels) are kept: one allocation instead of a JS array per row.
 *
 * Treat both arrays as read-only: datasets share them (select, addColumn) instead of copying.
 */
export class RaggedInt32Column implements Iterable<Int32Array> {
  /** Every row's values, concatenated. */
  readonly values: Int32Array;
  /** `length + 1` boundaries into `values`: `offsets[0] = 0`, `offsets[length] = values.length`. */
  readonly offsets: Uint32Array;

  /** Wraps existing storage (not copied). Offsets must start at 0, never decrease and end at `values.length`. */
  constructor(values: Int32Array, offsets: Uint32Array) {
    if (offsets.length === 0 || offsets[0] !== 0 || offsets[offsets.length - 1] !== values.length) {
      throw new InvalidArgumentError(
        "offsets",
        offsets,
        `RaggedInt32Column: offsets must start at 0 and end at values.length (${values.length}); got ${offsets.length === 0 ? "no offsets" : `${offsets[0]} … ${offsets[offsets.length - 1]}`}.`,
      );
    }
    for (let i = 1; i < offsets.length; i++) {
      if (offsets[i]! < offsets[i - 1]!) {
        throw new InvalidArgumentError("offsets", offsets, `RaggedInt32Column: offsets decrease at row ${i - 1} (${offsets[i - 1]} then ${offsets[i]}).`);
      }
    }
    this.values = values;
    this.offsets = offsets;
  }

  /**
   * Builds the flat storage from one array of integers per row. A value that is not a whole number in
   * int32 range is an InvalidArgumentError naming the row and position.
   */
  static fromArrays(rows: ArrayLike<ArrayLike<number>>): RaggedInt32Column {
    let total = 0;
    for (let i = 0; i < rows.length; i++) total += rows[i]!.length;
    const values = new Int32Array(total);
    const offsets = new Uint32Array(rows.length + 1);
    let at = 0;
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!;
      for (let j = 0; j < row.length; j++) {
        const v = row[j];
        if (!isInt32(v)) {
          throw new InvalidArgumentError("rows", v, `RaggedInt32Column: row ${i}, position ${j} holds ${String(v)}, not a whole number in int32 range.`, {
            row: i,
          });
        }
        values[at++] = v;
      }
      offsets[i + 1] = at;
    }
    return new RaggedInt32Column(values, offsets);
  }

  /** Joins columns end to end. */
  static concat(columns: readonly RaggedInt32Column[]): RaggedInt32Column {
    let rows = 0;
    let total = 0;
    for (const c of columns) {
      rows += c.length;
      total += c.values.length;
    }
    const values = new Int32Array(total);
    const offsets = new Uint32Array(rows + 1);
    let row = 0;
    let base = 0;
    for (const c of columns) {
      values.set(c.values, base);
      for (let i = 1; i <= c.length; i++) offsets[row + i] = base + c.offsets[i]!;
      row += c.length;
      base += c.values.length;
    }
    return new RaggedInt32Column(values, offsets);
  }

  /** Number of rows. */
  get length(): number {
    return this.offsets.length - 1;
  }

  #check(i: number): void {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) {
      throw new InvalidArgumentError("index", i, `Row ${i} is out of range for a column of ${this.length} rows.`);
    }
  }

  /** Row `i` as a view into `values` (no copy). */
  get(i: number): Int32Array {
    this.#check(i);
    return this.values.subarray(this.offsets[i]!, this.offsets[i + 1]!);
  }

  /** Number of values in row `i`. */
  lengthOf(i: number): number {
    this.#check(i);
    return this.offsets[i + 1]! - this.offsets[i]!;
  }

  /** Row `i` as a plain array (a copy). */
  toArray(i: number): number[] {
    return Array.from(this.get(i));
  }

  /** Every row as a plain array. */
  toArrays(): number[][] {
    const out = new Array<number[]>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = Array.from(this.values.subarray(this.offsets[i]!, this.offsets[i + 1]!));
    return out;
  }

  /** Rows `start` to `end` (exclusive) as a new column (the values are copied). */
  slice(start: number, end: number = this.length): RaggedInt32Column {
    const s = Math.max(0, Math.min(start, this.length));
    const e = Math.max(s, Math.min(end, this.length));
    const base = this.offsets[s]!;
    const offsets = new Uint32Array(e - s + 1);
    for (let i = s; i <= e; i++) offsets[i - s] = this.offsets[i]! - base;
    return new RaggedInt32Column(this.values.slice(base, this.offsets[e]!), offsets);
  }

  /** The rows at `indices`, in that order (repeats allowed). Indices are assumed in range (Dataset.select checks them). */
  take(indices: ArrayLike<number>): RaggedInt32Column {
    const offsets = new Uint32Array(indices.length + 1);
    let total = 0;
    for (let j = 0; j < indices.length; j++) {
      const i = indices[j]!;
      total += this.offsets[i + 1]! - this.offsets[i]!;
      offsets[j + 1] = total;
    }
    const values = new Int32Array(total);
    for (let j = 0; j < indices.length; j++) {
      const i = indices[j]!;
      values.set(this.values.subarray(this.offsets[i]!, this.offsets[i + 1]!), offsets[j]!);
    }
    return new RaggedInt32Column(values, offsets);
  }

  *[Symbol.iterator](): Iterator<Int32Array> {
    for (let i = 0; i < this.length; i++) yield this.values.subarray(this.offsets[i]!, this.offsets[i + 1]!);
  }

  [inspect.custom](): string {
    return `RaggedInt32Column(${this.length} rows, ${this.values.length} values)`;
  }
}
