import type { Column } from "./column.js";
import { isInt32, RaggedInt32Column } from "./ragged-int32-column.js";

/**
 * Collects a column value by value (or column by column) and stores lists of int32 compactly: while
 * every value is an array of whole numbers in int32 range (or an Int32Array) the values go into flat
 * typed storage; the first value that is not turns the column into a plain array.
 */
export class ColumnBuilder {
  #plain: unknown[] | undefined;
  #values = new Int32Array(1024);
  #size = 0;
  #offsets = new Uint32Array(256);
  #rows = 0;

  get length(): number {
    return this.#plain ? this.#plain.length : this.#rows;
  }

  push(value: unknown): void {
    if (this.#plain) {
      this.#plain.push(value === undefined ? null : value);
      return;
    }
    if (!this.#tryPushList(value)) {
      this.#toPlain();
      this.#plain!.push(value === undefined ? null : value);
    }
  }

  /** Appends all of `column`'s rows. */
  pushColumn(column: Column): void {
    if (column instanceof RaggedInt32Column) {
      if (this.#plain) {
        for (let i = 0; i < column.length; i++) this.#plain.push(column.toArray(i));
        return;
      }
      this.#reserveRows(column.length);
      this.#reserveValues(column.values.length);
      this.#values.set(column.values, this.#size);
      for (let i = 1; i <= column.length; i++) this.#offsets[this.#rows + i] = this.#size + column.offsets[i]!;
      this.#rows += column.length;
      this.#size += column.values.length;
      return;
    }
    for (let i = 0; i < column.length; i++) this.push(column[i]);
  }

  finish(): Column {
    if (this.#plain) return this.#plain;
    if (this.#rows === 0) return [];
    return new RaggedInt32Column(this.#values.slice(0, this.#size), this.#offsets.slice(0, this.#rows + 1));
  }

  #reserveRows(n: number): void {
    const need = this.#rows + n + 1;
    if (need <= this.#offsets.length) return;
    const next = new Uint32Array(Math.max(need, this.#offsets.length * 2));
    next.set(this.#offsets.subarray(0, this.#rows + 1));
    this.#offsets = next;
  }

  #reserveValues(n: number): void {
    const need = this.#size + n;
    if (need <= this.#values.length) return;
    if (need > 0xffffffff) throw new RangeError("A token column cannot hold more than 2^32 - 1 values.");
    const next = new Int32Array(Math.min(0xffffffff, Math.max(need, this.#values.length * 2)));
    next.set(this.#values.subarray(0, this.#size));
    this.#values = next;
  }

  #tryPushList(value: unknown): boolean {
    if (value instanceof Int32Array) {
      this.#reserveRows(1);
      this.#reserveValues(value.length);
      this.#values.set(value, this.#size);
      this.#size += value.length;
      this.#offsets[++this.#rows] = this.#size;
      return true;
    }
    if (!Array.isArray(value)) return false;
    this.#reserveValues(value.length);
    for (let j = 0; j < value.length; j++) {
      if (!isInt32(value[j])) return false;
      this.#values[this.#size + j] = value[j] as number;
    }
    this.#reserveRows(1);
    this.#size += value.length;
    this.#offsets[++this.#rows] = this.#size;
    return true;
  }

  #toPlain(): void {
    const plain = new Array<unknown>(this.#rows);
    for (let i = 0; i < this.#rows; i++) plain[i] = Array.from(this.#values.subarray(this.#offsets[i]!, this.#offsets[i + 1]!));
    this.#plain = plain;
  }
}
