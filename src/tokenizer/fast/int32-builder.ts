/** A growable run of int32 values: token ids appended one text after another without a JS array per text. */
export class Int32Builder {
  private buffer: Int32Array;
  /** Values written so far. */
  length = 0;

  constructor(capacity = 1 << 16) {
    this.buffer = new Int32Array(Math.max(16, capacity));
  }

  /** Makes room for `n` more values. */
  reserve(n: number): void {
    const need = this.length + n;
    if (need <= this.buffer.length) return;
    const next = new Int32Array(Math.max(need, this.buffer.length * 2));
    next.set(this.buffer.subarray(0, this.length));
    this.buffer = next;
  }

  push(value: number): void {
    if (this.length === this.buffer.length) this.reserve(1);
    this.buffer[this.length++] = value;
  }

  pushAll(values: ArrayLike<number>): void {
    this.reserve(values.length);
    if (values instanceof Int32Array) this.buffer.set(values, this.length);
    else for (let k = 0; k < values.length; k++) this.buffer[this.length + k] = values[k] as number;
    this.length += values.length;
  }

  /** Forgets values from `length` on (to drop a text that has to be encoded another way). */
  truncate(length: number): void {
    this.length = Math.min(this.length, length);
  }

  /** A view of values `[start, end)` (valid until the next write that grows the buffer). */
  view(start = 0, end = this.length): Int32Array {
    return this.buffer.subarray(start, end);
  }

  /** The values, copied into an array of exactly their length. */
  toInt32Array(): Int32Array {
    return this.buffer.slice(0, this.length);
  }
}
