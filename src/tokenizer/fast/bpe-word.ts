import type { PairTable } from "./pair-table.js";

const TWO_32 = 4294967296;

/**
 * The Rust engine's BPE merge loop (`Word::merge_all` in huggingface/tokenizers
 * `models/bpe/word.rs`), on reusable typed arrays: symbols in a linked list, a min-heap of
 * candidate merges ordered by (rank, position), stale entries skipped exactly as there (the symbol
 * gone, no right neighbour, or the pair now merging into another id). Dropout is not supported.
 *
 * Use: {@link reset}, {@link add} each initial symbol, {@link mergeAll}, then read the result with
 * {@link count} / {@link writeIds}.
 */
export class BpeWord {
  private c = new Int32Array(64);
  private len = new Int32Array(64);
  private prev = new Int32Array(64);
  private next = new Int32Array(64);
  private n = 0;
  private heapKeys = new Float64Array(192);
  private heapIds = new Int32Array(192);
  private heapSize = 0;

  constructor(private readonly merges: PairTable) {}

  reset(): void {
    this.n = 0;
  }

  /** Appends a symbol: token id and its length in bytes (Rust's `Word::add`). */
  add(id: number, byteLen: number): void {
    if (this.n === this.c.length) this.grow();
    const i = this.n++;
    this.c[i] = id;
    this.len[i] = byteLen;
    this.prev[i] = i - 1;
    this.next[i] = i + 1;
  }

  private grow(): void {
    const size = this.c.length * 2;
    const copy = (a: Int32Array) => {
      const b = new Int32Array(size);
      b.set(a);
      return b;
    };
    this.c = copy(this.c);
    this.len = copy(this.len);
    this.prev = copy(this.prev);
    this.next = copy(this.next);
  }

  private push(key: number, id: number): void {
    if (this.heapSize === this.heapKeys.length) {
      const keys = new Float64Array(this.heapKeys.length * 2);
      keys.set(this.heapKeys);
      const ids = new Int32Array(this.heapIds.length * 2);
      ids.set(this.heapIds);
      this.heapKeys = keys;
      this.heapIds = ids;
    }
    const keys = this.heapKeys;
    const ids = this.heapIds;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent] as number;
      if (pk <= key) break;
      keys[i] = pk;
      ids[i] = ids[parent] as number;
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
  }

  /** Removes the top; its key and id must have been read first. */
  private pop(): void {
    const keys = this.heapKeys;
    const ids = this.heapIds;
    const size = --this.heapSize;
    if (size === 0) return;
    const key = keys[size] as number;
    const id = ids[size] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (keys[right] as number) < (keys[child] as number)) child = right;
      const ck = keys[child] as number;
      if (ck >= key) break;
      keys[i] = ck;
      ids[i] = ids[child] as number;
      i = child;
    }
    keys[i] = key;
    ids[i] = id;
  }

  mergeAll(): void {
    const n = this.n;
    if (n < 2) return;
    const merges = this.merges;
    // A slot's rank is at s + 2, its merged id at s + 3 (see PairTable.slots).
    const slots = merges.slots;
    const c = this.c;
    const len = this.len;
    const prev = this.prev;
    const next = this.next;
    next[n - 1] = -1;
    this.heapSize = 0;
    for (let i = 0; i < n - 1; i++) {
      const s = merges.find(c[i] as number, c[i + 1] as number);
      if (s >= 0) this.push((slots[s + 2] as number) * TWO_32 + i, slots[s + 3] as number);
    }
    while (this.heapSize > 0) {
      const key = this.heapKeys[0] as number;
      const newId = this.heapIds[0] as number;
      this.pop();
      const pos = key % TWO_32;
      if (len[pos] === 0) continue;
      const right = next[pos] as number;
      if (right === -1) continue;
      const s = merges.find(c[pos] as number, c[right] as number);
      if (s < 0 || slots[s + 3] !== newId) continue;
      c[pos] = newId;
      len[pos] = (len[pos] as number) + (len[right] as number);
      const after = next[right] as number;
      next[pos] = after;
      len[right] = 0;
      if (after > -1 && after < n) prev[after] = pos;
      const before = prev[pos] as number;
      if (before >= 0) {
        const t = merges.find(c[before] as number, newId);
        if (t >= 0) this.push((slots[t + 2] as number) * TWO_32 + before, slots[t + 3] as number);
      }
      if (after > -1 && after < n) {
        const t = merges.find(newId, c[after] as number);
        if (t >= 0) this.push((slots[t + 2] as number) * TWO_32 + pos, slots[t + 3] as number);
      }
    }
  }

  /** Symbols left after merging. */
  count(): number {
    let k = 0;
    for (let i = 0; i < this.n; i++) if (this.len[i] !== 0) k++;
    return k;
  }

  /** The ids left after merging, in order, into `target` from `at`. */
  writeIds(target: Int32Array, at: number): void {
    let k = at;
    for (let i = 0; i < this.n; i++) if (this.len[i] !== 0) target[k++] = this.c[i] as number;
  }
}
