/** FNV-1a's offset basis: the hash of no bytes. */
export const HASH_SEED = 0x811c9dc5 | 0;

/** FNV-1a of `src[start..end)` continuing from `h` (so the hash of a + b is `hashBytes(hashBytes(HASH_SEED, a), b)`). */
export function hashBytes(h: number, src: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ (src[i] as number), 0x01000193);
  return h;
}

/** UTF-8 of a string into `out` (3 bytes per UTF-16 unit at most; a lone surrogate as its 3-byte form, which no valid UTF-8 key has). Returns the length. */
export function utf8Encode(s: string, out: Uint8Array): number {
  let k = 0;
  const n = s.length;
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) out[k++] = c;
    else if (c < 0x800) {
      out[k++] = 0xc0 | (c >> 6);
      out[k++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      const low = s.charCodeAt(i + 1);
      c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
      i++;
      out[k++] = 0xf0 | (c >> 18);
      out[k++] = 0x80 | ((c >> 12) & 0x3f);
      out[k++] = 0x80 | ((c >> 6) & 0x3f);
      out[k++] = 0x80 | (c & 0x3f);
    } else {
      out[k++] = 0xe0 | (c >> 12);
      out[k++] = 0x80 | ((c >> 6) & 0x3f);
      out[k++] = 0x80 | (c & 0x3f);
    }
  }
  return k;
}

/**
 * A BPE vocabulary keyed by the tokens' UTF-8 bytes: token → id in an open-addressing hash table
 * over typed arrays, the keys' bytes in one arena. Filled straight from tokenizer.json's bytes (no
 * JS string per token), and looked up by byte ranges — a merge "a b" finds a, b and a + b without
 * building a string — or by string.
 */
export class ByteVocab {
  private arena: Uint8Array;
  private arenaEnd = 0;
  /** Four numbers per slot: the key's hash, its start in the arena + 1 (0: empty slot), its length, its id. */
  private slots: Int32Array;
  private mask: number;
  private scratch = new Uint8Array(256);
  /** Distinct tokens. */
  size = 0;

  constructor(expected = 1024) {
    let capacity = 16;
    while (capacity * 0.6 < expected) capacity *= 2;
    this.slots = new Int32Array(capacity * 4);
    this.mask = capacity - 1;
    this.arena = new Uint8Array(Math.max(1024, expected * 8));
  }

  private static home(h: number, mask: number): number {
    h ^= h >>> 16;
    h = Math.imul(h, 0x7feb352d);
    h ^= h >>> 15;
    return h & mask;
  }

  /** Sets the id of the token `src[start..end)` whose hash is `h` (a later duplicate wins, as in JSON.parse). Ids must be >= 0. */
  set(src: Uint8Array, start: number, end: number, h: number, id: number): void {
    const found = this.findSlot(src, start, end, end, end, h);
    if (found >= 0) {
      this.slots[found + 3] = id;
      return;
    }
    const len = end - start;
    if (this.arenaEnd + len > this.arena.length) {
      const bigger = new Uint8Array(Math.max(this.arena.length * 2, this.arenaEnd + len));
      bigger.set(this.arena.subarray(0, this.arenaEnd));
      this.arena = bigger;
    }
    const arena = this.arena;
    const at = this.arenaEnd;
    for (let i = start; i < end; i++) arena[at + i - start] = src[i] as number;
    this.arenaEnd = at + len;
    this.size++;
    if (this.size > (this.mask + 1) * 0.6) this.rehash();
    this.place(h, at + 1, len, id);
  }

  private place(h: number, start1: number, len: number, id: number): void {
    const mask = this.mask;
    const slots = this.slots;
    let k = ByteVocab.home(h, mask);
    while (slots[k * 4 + 1] !== 0) k = (k + 1) & mask;
    const s = k * 4;
    slots[s] = h;
    slots[s + 1] = start1;
    slots[s + 2] = len;
    slots[s + 3] = id;
  }

  private rehash(): void {
    const old = this.slots;
    this.slots = new Int32Array(old.length * 2);
    this.mask = (old.length >> 1) - 1;
    for (let s = 0; s < old.length; s += 4)
      if (old[s + 1] !== 0) this.place(old[s] as number, old[s + 1] as number, old[s + 2] as number, old[s + 3] as number);
  }

  /** The slot (index of its first number) of the token whose bytes are `src[aStart..aEnd)` then `src[bStart..bEnd)` (hash `h`), or -1. */
  private findSlot(src: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number, h: number): number {
    const len = aEnd - aStart + (bEnd - bStart);
    const mask = this.mask;
    const slots = this.slots;
    const arena = this.arena;
    let k = ByteVocab.home(h, mask);
    for (;;) {
      const s = k * 4;
      const start1 = slots[s + 1] as number;
      if (start1 === 0) return -1;
      if (slots[s] === h && slots[s + 2] === len) {
        let p = start1 - 1;
        let same = true;
        for (let i = aStart; i < aEnd; i++) {
          if (arena[p++] !== src[i]) {
            same = false;
            break;
          }
        }
        if (same) {
          for (let i = bStart; i < bEnd; i++) {
            if (arena[p++] !== src[i]) {
              same = false;
              break;
            }
          }
        }
        if (same) return s;
      }
      k = (k + 1) & mask;
    }
  }

  /** Id of the token `src[start..end)` (hash `h`), or -1. */
  find(src: Uint8Array, start: number, end: number, h: number): number {
    const s = this.findSlot(src, start, end, end, end, h);
    return s < 0 ? -1 : (this.slots[s + 3] as number);
  }

  /** Id of the token made of `src[aStart..aEnd)` followed by `src[bStart..bEnd)` (hash `h` of the whole), or -1. */
  find2(src: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number, h: number): number {
    const s = this.findSlot(src, aStart, aEnd, bStart, bEnd, h);
    return s < 0 ? -1 : (this.slots[s + 3] as number);
  }

  /** Id of `token`, or undefined. */
  get(token: string): number | undefined {
    if (this.scratch.length < token.length * 3) this.scratch = new Uint8Array(token.length * 3);
    const n = utf8Encode(token, this.scratch);
    const id = this.find(this.scratch, 0, n, hashBytes(HASH_SEED, this.scratch, 0, n));
    return id < 0 ? undefined : id;
  }

  has(token: string): boolean {
    return this.get(token) !== undefined;
  }
}
