/** What a cached piece encodes to: one id or several. */
export type PieceIds = number | Int32Array;

/**
 * The native encoder's cache of encoded pieces, looked up by a range of a text (no substring
 * built on a hit): an open-addressing table keyed by the piece's UTF-16 units (FNV-1a hash, then
 * the units compared). Emptied when it reaches `limit` entries, so memory stays bounded on any input.
 */
export class PieceCache {
  private keys: string[] = [];
  private values: PieceIds[] = [];
  private hashes = new Int32Array(1024);
  /** Entry index + 1 per slot; 0: empty. */
  private slots = new Int32Array(2048);
  private mask = 2047;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.keys.length;
  }

  /** FNV-1a of text[start..end)'s UTF-16 units. */
  static hash(text: string, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    return h;
  }

  /**
   * {@link hash} of the normalized text's [start, end): `off` "▁" (0 or 1) then `text` with each
   * space as "▁" (indices in the normalized text).
   */
  static hashMetaspaced(text: string, off: number, start: number, end: number): number {
    let h = 0x811c9dc5 | 0;
    for (let j = start; j < end; j++) {
      const c = j < off ? 0x2581 : text.charCodeAt(j - off);
      h = Math.imul(h ^ (c === 0x20 ? 0x2581 : c), 0x01000193);
    }
    return h;
  }

  private static home(h: number, mask: number): number {
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return h & mask;
  }

  /** The ids cached for text[start..end) (hash `h`), or undefined. */
  get(text: string, start: number, end: number, h: number): PieceIds | undefined {
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let s = PieceCache.home(h, mask);
    for (;;) {
      const e = (slots[s] as number) - 1;
      if (e < 0) return undefined;
      if (this.hashes[e] === h) {
        const key = this.keys[e] as string;
        if (key.length === len) {
          let i = 0;
          while (i < len && key.charCodeAt(i) === text.charCodeAt(start + i)) i++;
          if (i === len) return this.values[e];
        }
      }
      s = (s + 1) & mask;
    }
  }

  /** {@link get} for the normalized text's [start, end) (see {@link hashMetaspaced}). */
  getMetaspaced(text: string, off: number, start: number, end: number, h: number): PieceIds | undefined {
    const len = end - start;
    const slots = this.slots;
    const mask = this.mask;
    let s = PieceCache.home(h, mask);
    for (;;) {
      const e = (slots[s] as number) - 1;
      if (e < 0) return undefined;
      if (this.hashes[e] === h) {
        const key = this.keys[e] as string;
        if (key.length === len) {
          let i = 0;
          for (; i < len; i++) {
            const j = start + i;
            const c = j < off ? 0x2581 : text.charCodeAt(j - off);
            if (key.charCodeAt(i) !== (c === 0x20 ? 0x2581 : c)) break;
          }
          if (i === len) return this.values[e];
        }
      }
      s = (s + 1) & mask;
    }
  }

  /** Caches the ids of `key` (hash `h`, not cached yet). */
  set(key: string, h: number, ids: PieceIds): void {
    if (this.keys.length >= this.limit) this.clear();
    const e = this.keys.length;
    if (e === this.hashes.length) {
      const bigger = new Int32Array(e * 2);
      bigger.set(this.hashes);
      this.hashes = bigger;
    }
    this.keys.push(key);
    this.values.push(ids);
    this.hashes[e] = h;
    if ((e + 1) * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2);
      this.mask = this.slots.length - 1;
      for (let k = 0; k <= e; k++) this.place(k);
    } else this.place(e);
  }

  private place(e: number): void {
    const mask = this.mask;
    let s = PieceCache.home(this.hashes[e] as number, mask);
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.slots[s] = e + 1;
  }

  clear(): void {
    this.keys = [];
    this.values = [];
    this.slots.fill(0);
  }
}
