/**
 * BPE merge ranks as an open-addressing hash table over one typed array: the pair of token ids
 * (left, right) → its rank (position in tokenizer.json's merges) and the id of the merged token.
 * What the Rust engine keeps in its `AHashMap<Pair, (rank, new_id)>`, without a JS object or string
 * key per merge. Each slot holds its four numbers side by side (left, right, rank, id), so a probe
 * touches one cache line (half a million merges for Gemma 3 build in a few tens of milliseconds).
 */
export class PairTable {
  private readonly mask: number;
  /**
   * Four numbers per slot: left id (-1: empty), right id, rank, merged id. {@link find} returns
   * the index of a slot's first number: its rank is `slots[s + 2]`, its merged id `slots[s + 3]`.
   */
  readonly slots: Int32Array;
  size = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity * 0.6 < expected) capacity *= 2;
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * 4).fill(-1);
  }

  private home(left: number, right: number): number {
    let h = Math.imul(left, 0x9e3779b1) ^ Math.imul(right + 0x632be5ab, 0x85ebca77);
    h ^= h >>> 15;
    h = Math.imul(h, 0x2c1b3c6d);
    h ^= h >>> 13;
    return h & this.mask;
  }

  /** Sets (or overwrites: a later duplicate merge wins, as in the Rust engine's map) one pair. Ids must be >= 0. */
  set(left: number, right: number, rank: number, id: number): void {
    const slots = this.slots;
    const mask = this.mask;
    let k = this.home(left, right);
    for (;;) {
      const s = k << 2;
      const l = slots[s] as number;
      if (l < 0) {
        slots[s] = left;
        slots[s + 1] = right;
        this.size++;
      } else if (l !== left || slots[s + 1] !== right) {
        k = (k + 1) & mask;
        continue;
      }
      slots[s + 2] = rank;
      slots[s + 3] = id;
      return;
    }
  }

  /** The index in {@link slots} of the pair's slot, or -1 when it has no merge. */
  find(left: number, right: number): number {
    const slots = this.slots;
    const mask = this.mask;
    let k = this.home(left, right);
    for (;;) {
      const s = k << 2;
      const l = slots[s] as number;
      if (l === left && slots[s + 1] === right) return s;
      if (l < 0) return -1;
      k = (k + 1) & mask;
    }
  }
}
