/**
 * BPE merge ranks as an open-addressing hash table over typed arrays: the pair of token ids
 * (left, right) → its rank (position in tokenizer.json's merges) and the id of the merged token.
 * What the Rust engine keeps in its `AHashMap<Pair, (rank, new_id)>`, without a JS object or string
 * key per merge (half a million merges for Gemma 3 build in a few tens of milliseconds).
 */
export class PairTable {
  private readonly mask: number;
  private readonly lefts: Int32Array;
  private readonly rights: Int32Array;
  /** Rank of the pair in slot k (valid where lefts[k] >= 0). */
  readonly ranks: Int32Array;
  /** Id of the merged token in slot k. */
  readonly ids: Int32Array;
  size = 0;

  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.mask = capacity - 1;
    this.lefts = new Int32Array(capacity).fill(-1);
    this.rights = new Int32Array(capacity);
    this.ranks = new Int32Array(capacity);
    this.ids = new Int32Array(capacity);
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
    let k = this.home(left, right);
    for (;;) {
      const l = this.lefts[k] as number;
      if (l < 0) {
        this.lefts[k] = left;
        this.rights[k] = right;
        this.size++;
        break;
      }
      if (l === left && this.rights[k] === right) break;
      k = (k + 1) & this.mask;
    }
    this.ranks[k] = rank;
    this.ids[k] = id;
  }

  /** The slot of the pair, or -1 when it has no merge. */
  find(left: number, right: number): number {
    let k = this.home(left, right);
    const lefts = this.lefts;
    for (;;) {
      const l = lefts[k] as number;
      if (l === left && this.rights[k] === right) return k;
      if (l < 0) return -1;
      k = (k + 1) & this.mask;
    }
  }
}
