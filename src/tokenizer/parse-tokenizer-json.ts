import { isUtf8 } from "node:buffer";
import { ByteVocab, HASH_SEED, hashBytes } from "./fast/byte-vocab.js";
import { PairTable } from "./fast/pair-table.js";

type Json = Record<string, unknown>;

/**
 * A BPE model's vocabulary and merges read straight from tokenizer.json's bytes, for the native
 * encoder: what JSON.parse plus the tables built from its objects gave, without a JS string or
 * object per token or merge.
 */
export interface PreparsedBpe {
  /** tokenizer.json with the model's vocab as {} and merges as [] (plain data). */
  shell: Json;
  vocab: ByteVocab;
  merges: PairTable;
  /** Left tokens of the merges whose right token starts with "▁" and whose left does not end with it, in merge order. */
  unsafeLefts: string[];
  /** The file's bytes. */
  bytes: Uint8Array;
}

const preparsed = new WeakMap<object, PreparsedBpe>();

/** The tables {@link parseTokenizerJson} read for this tokenizer.json object, if it made it. */
export function preparsedBpe(json: object): PreparsedBpe | undefined {
  return preparsed.get(json);
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/** Thrown inside the scanner when the fast reading does not apply; the caller then parses the usual way. */
class Decline extends Error {}

const decline = (): never => {
  throw new Decline();
};

/** A scanner over tokenizer.json's bytes. */
class Scanner {
  p = 0;
  /** Hash of the string {@link plain} read last. */
  h = 0;
  /** Decoded string bytes. */
  out: Uint8Array = new Uint8Array(1024);

  constructor(readonly b: Uint8Array) {}

  ws(): void {
    const b = this.b;
    let p = this.p;
    while (p < b.length && isSpace(b[p] as number)) p++;
    this.p = p;
  }

  expect(c: number): void {
    this.ws();
    if (this.b[this.p] !== c) decline();
    this.p++;
  }

  /** Skips the string at p (its opening quote); returns whether it had escapes. */
  skipString(): boolean {
    const b = this.b;
    let p = this.p + 1;
    let escaped = false;
    for (;;) {
      if (p >= b.length) decline();
      const c = b[p] as number;
      if (c === QUOTE) break;
      if (c === BACKSLASH) {
        escaped = true;
        p += 2;
      } else p++;
    }
    this.p = p + 1;
    return escaped;
  }

  /** Skips one value (lightly: the text outside the model's tables is checked by JSON.parse). */
  skipValue(): void {
    this.ws();
    const b = this.b;
    const c = b[this.p];
    if (c === QUOTE) {
      this.skipString();
      return;
    }
    if (c === 0x7b || c === 0x5b) {
      let depth = 0;
      for (;;) {
        if (this.p >= b.length) decline();
        const d = b[this.p] as number;
        if (d === QUOTE) {
          this.skipString();
          continue;
        }
        this.p++;
        if (d === 0x7b || d === 0x5b) depth++;
        else if (d === 0x7d || d === 0x5d) {
          if (--depth === 0) return;
        }
      }
    }
    while (this.p < b.length) {
      const d = b[this.p] as number;
      if (d === 0x2c || d === 0x7d || d === 0x5d || isSpace(d)) return;
      this.p++;
    }
  }

  /** The key at p (its opening quote) when it is short, else ""; skips it. Declines an escaped key (it could spell "model"). */
  key(): string {
    const start = this.p + 1;
    if (this.skipString()) decline();
    const end = this.p - 1;
    if (end - start > 16) return "";
    let name = "";
    for (let i = start; i < end; i++) name += String.fromCharCode(this.b[i] as number);
    return name;
  }

  private put(k: number, byte: number): number {
    if (k >= this.out.length) {
      const bigger = new Uint8Array(this.out.length * 2);
      bigger.set(this.out);
      this.out = bigger;
    }
    this.out[k] = byte;
    return k + 1;
  }

  private hex4(p: number): number {
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = this.b[p + i] as number;
      const d = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;
      if (d < 0) decline();
      v = (v << 4) | d;
    }
    return v;
  }

  /**
   * The string at p (its opening quote) when it has no escapes: returns the end of its bytes
   * (they start at p + 1), with their hash in {@link h}, and moves past it. -1 when it has escapes
   * (p unmoved). Declines raw control characters (JSON.parse refuses them).
   */
  plain(): number {
    const b = this.b;
    const n = b.length;
    let p = this.p + 1;
    let h = HASH_SEED;
    for (;;) {
      if (p >= n) decline();
      const c = b[p] as number;
      if (c === QUOTE) break;
      if (c === BACKSLASH) return -1;
      if (c < 0x20) decline();
      h = Math.imul(h ^ c, 0x01000193);
      p++;
    }
    this.h = h;
    this.p = p + 1;
    return p;
  }

  /**
   * The string at p (its opening quote), unescaped, as UTF-8 into `out` from `k`; returns the end
   * in `out`. (The file is valid UTF-8: checked once.) Declines lone surrogates and raw control characters.
   */
  decode(k: number): number {
    const b = this.b;
    let p = this.p;
    if (b[p] !== QUOTE) decline();
    p++;
    for (;;) {
      if (p >= b.length) decline();
      const c = b[p] as number;
      if (c === QUOTE) break;
      if (c < 0x20) decline();
      if (c !== BACKSLASH) {
        k = this.put(k, c);
        p++;
        continue;
      }
      const e = b[p + 1];
      let v: number;
      if (e === 0x75) {
        v = this.hex4(p + 2);
        p += 6;
        if (v >= 0xd800 && v <= 0xdfff) {
          if (v >= 0xdc00 || b[p] !== BACKSLASH || b[p + 1] !== 0x75) decline();
          const low = this.hex4(p + 2);
          if (low < 0xdc00 || low > 0xdfff) decline();
          p += 6;
          v = 0x10000 + ((v - 0xd800) << 10) + (low - 0xdc00);
        }
      } else {
        v =
          e === QUOTE
            ? 0x22
            : e === BACKSLASH
              ? 0x5c
              : e === 0x2f
                ? 0x2f
                : e === 0x62
                  ? 8
                  : e === 0x66
                    ? 12
                    : e === 0x6e
                      ? 10
                      : e === 0x72
                        ? 13
                        : e === 0x74
                          ? 9
                          : -1;
        if (v < 0) decline();
        p += 2;
      }
      if (v < 0x80) k = this.put(k, v);
      else if (v < 0x800) {
        k = this.put(k, 0xc0 | (v >> 6));
        k = this.put(k, 0x80 | (v & 0x3f));
      } else if (v < 0x10000) {
        k = this.put(k, 0xe0 | (v >> 12));
        k = this.put(k, 0x80 | ((v >> 6) & 0x3f));
        k = this.put(k, 0x80 | (v & 0x3f));
      } else {
        k = this.put(k, 0xf0 | (v >> 18));
        k = this.put(k, 0x80 | ((v >> 12) & 0x3f));
        k = this.put(k, 0x80 | ((v >> 6) & 0x3f));
        k = this.put(k, 0x80 | (v & 0x3f));
      }
    }
    this.p = p + 1;
    return k;
  }

  /** A non-negative integer id as JSON writes it (no sign, fraction or exponent), at most 2^31 - 1. */
  readId(): number {
    this.ws();
    const b = this.b;
    let p = this.p;
    let v = 0;
    const start = p;
    while (p < b.length) {
      const c = b[p] as number;
      if (c < 0x30 || c > 0x39) break;
      v = v * 10 + (c - 0x30);
      p++;
    }
    if (p === start || p - start > 10 || v > 0x7fffffff || (b[start] === 0x30 && p - start > 1)) decline();
    const c = b[p];
    if (c === 0x2e || c === 0x65 || c === 0x45) decline();
    this.p = p;
    return v;
  }
}

/** Reads model.vocab (an object) at its opening brace into `vocab`. */
function readVocab(s: Scanner, vocab: ByteVocab): void {
  const b = s.b;
  s.p++;
  s.ws();
  if (b[s.p] === 0x7d) {
    s.p++;
    return;
  }
  for (;;) {
    s.ws();
    if (b[s.p] !== QUOTE) decline();
    const start = s.p + 1;
    const end = s.plain();
    let src = b;
    let from = start;
    let to = end;
    let h = s.h;
    if (end < 0) {
      // (decode may replace s.out with a bigger array: read it after.)
      to = s.decode(0);
      src = s.out;
      from = 0;
      h = hashBytes(HASH_SEED, src, 0, to);
    }
    s.expect(0x3a);
    const id = s.readId();
    vocab.set(src, from, to, h, id);
    s.ws();
    const c = b[s.p++];
    if (c === 0x7d) return;
    if (c !== 0x2c) decline();
  }
}

/** Whether src[start..end) begins with "▁" (E2 96 81). */
function startsWithMetaspace(src: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && src[start] === 0xe2 && src[start + 1] === 0x96 && src[start + 2] === 0x81;
}

function endsWithMetaspace(src: Uint8Array, start: number, end: number): boolean {
  return end - start >= 3 && src[end - 3] === 0xe2 && src[end - 2] === 0x96 && src[end - 1] === 0x81;
}

const utf8 = new TextDecoder();

/** The merges as (left, right, merged) id triples, in rank order, with the left tokens that keep "▁" from cutting words. */
class MergeRows {
  rows = new Int32Array(3 * 4096);
  count = 0;
  readonly unsafeLefts: string[] = [];

  constructor(private readonly vocab: ByteVocab) {}

  /** The merge of src[aStart..aEnd) and src[bStart..bEnd) (hashes of a, b, a + b). */
  add(src: Uint8Array, aStart: number, aEnd: number, bStart: number, bEnd: number, ha: number, hb: number, hab: number): void {
    const vocab = this.vocab;
    const left = vocab.find(src, aStart, aEnd, ha);
    const right = vocab.find(src, bStart, bEnd, hb);
    const merged = vocab.find2(src, aStart, aEnd, bStart, bEnd, hab);
    if (left < 0 || right < 0 || merged < 0) decline();
    let rows = this.rows;
    const at = this.count * 3;
    if (at + 3 > rows.length) {
      rows = new Int32Array(rows.length * 2);
      rows.set(this.rows);
      this.rows = rows;
    }
    rows[at] = left;
    rows[at + 1] = right;
    rows[at + 2] = merged;
    this.count++;
    if (startsWithMetaspace(src, bStart, bEnd) && !endsWithMetaspace(src, aStart, aEnd)) this.unsafeLefts.push(utf8.decode(src.subarray(aStart, aEnd)));
  }

  /** A merge string "a b" decoded into out[0..n). */
  addSpaced(out: Uint8Array, n: number): void {
    let space = -1;
    for (let i = 0; i < n; i++) {
      if (out[i] === 0x20) {
        if (space >= 0) decline();
        space = i;
      }
    }
    if (space < 0) decline();
    const ha = hashBytes(HASH_SEED, out, 0, space);
    this.add(out, 0, space, space + 1, n, ha, hashBytes(HASH_SEED, out, space + 1, n), hashBytes(ha, out, space + 1, n));
  }

  table(): PairTable {
    const rows = this.rows;
    const merges = new PairTable(this.count);
    for (let r = 0; r < this.count; r++) merges.set(rows[r * 3] as number, rows[r * 3 + 1] as number, r, rows[r * 3 + 2] as number);
    return merges;
  }
}

/** Reads model.merges ("a b" strings or [a, b] pairs) at its opening bracket. */
function readMerges(s: Scanner, rows: MergeRows): void {
  const b = s.b;
  const n = b.length;
  s.p++;
  s.ws();
  if (b[s.p] === 0x5d) {
    s.p++;
    return;
  }
  for (;;) {
    s.ws();
    const open = s.p;
    if (b[open] === QUOTE) {
      // "a b": the hashes of a, b and a + b in one pass over the bytes.
      let p = open + 1;
      let h = HASH_SEED;
      let space = -1;
      let ha = 0;
      let hb = 0;
      for (;;) {
        if (p >= n) decline();
        const c = b[p] as number;
        if (c === QUOTE || c === BACKSLASH) break;
        if (c < 0x20) decline();
        if (c === 0x20) {
          if (space >= 0) decline();
          space = p;
          ha = h;
          hb = HASH_SEED;
        } else {
          h = Math.imul(h ^ c, 0x01000193);
          hb = Math.imul(hb ^ c, 0x01000193);
        }
        p++;
      }
      if (b[p] === QUOTE) {
        if (space < 0) decline();
        s.p = p + 1;
        rows.add(b, open + 1, space, space + 1, p, ha, hb, h);
      } else {
        const end = s.decode(0);
        rows.addSpaced(s.out, end);
      }
    } else if (b[open] === 0x5b) {
      s.p++;
      s.ws();
      if (b[s.p] !== QUOTE) decline();
      const aStart = s.p + 1;
      const aEnd = s.plain();
      const ha = s.h;
      let done = false;
      if (aEnd >= 0) {
        s.expect(0x2c);
        s.ws();
        if (b[s.p] !== QUOTE) decline();
        const bStart = s.p + 1;
        const bEnd = s.plain();
        if (bEnd >= 0) {
          rows.add(b, aStart, aEnd, bStart, bEnd, ha, s.h, hashBytes(ha, b, bStart, bEnd));
          done = true;
        }
      }
      if (!done) {
        // Escapes: both decoded, one after the other.
        s.p = open + 1;
        s.ws();
        const na = s.decode(0);
        s.expect(0x2c);
        s.ws();
        const nb = s.decode(na);
        const out = s.out;
        const h = hashBytes(HASH_SEED, out, 0, na);
        rows.add(out, 0, na, na, nb, h, hashBytes(HASH_SEED, out, na, nb), hashBytes(h, out, na, nb));
      }
      s.expect(0x5d);
    } else decline();
    s.ws();
    const c = b[s.p++];
    if (c === 0x5d) return;
    if (c !== 0x2c) decline();
  }
}

/**
 * tokenizer.json's bytes parsed as JSON.parse would (BOM skipped), reading a BPE model's vocab and
 * merges straight into the native encoder's tables (see {@link preparsedBpe}). The returned object
 * has the model's `vocab` and `merges` as lazy properties: the first read of either parses the
 * whole file (decode, the library tokenizer). Null when the file is not such a BPE file or has
 * anything the fast reading does not take (escaped keys, odd numbers, a merge outside the
 * vocabulary, invalid JSON...): the caller then parses the text the usual way, with its errors.
 */
export function parseTokenizerJson(bytes: Uint8Array): Json | null {
  // Valid UTF-8 (else the text decoder's U+FFFD would be in the tokens): then the strings' bytes are the tokens' UTF-8.
  if (!isUtf8(bytes)) return null;
  const s = new Scanner(bytes);
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) s.p = 3;
  const begin = s.p;
  // Spans [at, end) of the model's vocab and merges in the bytes.
  let vocabAt = -1;
  let vocabEnd = -1;
  let mergesAt = -1;
  let mergesEnd = -1;
  // Some 70 bytes of file per vocabulary entry (the merges take the most).
  const vocab = new ByteVocab(Math.max(1024, bytes.length >> 6));
  const rows = new MergeRows(vocab);
  try {
    s.expect(0x7b);
    let models = 0;
    s.ws();
    if (s.b[s.p] === 0x7d) return null;
    for (;;) {
      s.ws();
      if (s.b[s.p] !== QUOTE) return null;
      const isModel = s.key() === "model";
      s.expect(0x3a);
      s.ws();
      if (isModel && models++ === 0 && s.b[s.p] === 0x7b) {
        s.p++;
        s.ws();
        if (s.b[s.p] !== 0x7d) {
          for (;;) {
            s.ws();
            if (s.b[s.p] !== QUOTE) return null;
            const name = s.key();
            s.expect(0x3a);
            s.ws();
            if (name === "vocab") {
              if (vocabAt >= 0 || s.b[s.p] !== 0x7b) return null;
              vocabAt = s.p;
              readVocab(s, vocab);
              vocabEnd = s.p;
            } else if (name === "merges") {
              if (mergesAt >= 0 || s.b[s.p] !== 0x5b) return null;
              mergesAt = s.p;
              // Merges before the vocabulary (not how the library writes them): read once the vocabulary is.
              if (vocabAt >= 0) readMerges(s, rows);
              else s.skipValue();
              mergesEnd = s.p;
            } else s.skipValue();
            s.ws();
            const c = s.b[s.p++];
            if (c === 0x7d) break;
            if (c !== 0x2c) return null;
          }
        } else s.p++;
      } else {
        if (isModel && models > 1) return null;
        s.skipValue();
      }
      s.ws();
      const c = s.b[s.p++];
      if (c === 0x7d) break;
      if (c !== 0x2c) return null;
    }
    if (vocabAt < 0 || mergesAt < 0) return null;
    if (mergesAt < vocabAt) {
      s.p = mergesAt;
      readMerges(s, rows);
      if (s.p !== mergesEnd) return null;
    }
    const merges = rows.table();
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const [first, firstEnd, second, secondEnd] = vocabAt < mergesAt ? [vocabAt, vocabEnd, mergesAt, mergesEnd] : [mergesAt, mergesEnd, vocabAt, vocabEnd];
    const rest =
      text.toString("utf8", begin, first) +
      (first === vocabAt ? "{}" : "[]") +
      text.toString("utf8", firstEnd, second) +
      (second === vocabAt ? "{}" : "[]") +
      text.toString("utf8", secondEnd, bytes.length);
    let shell: Json;
    try {
      shell = JSON.parse(rest) as Json;
    } catch {
      return null;
    }
    const model = shell?.model as Json | undefined;
    if (shell === null || typeof shell !== "object" || Array.isArray(shell) || model === null || typeof model !== "object") return null;
    const v = model.vocab;
    const m = model.merges;
    if (v === null || typeof v !== "object" || Array.isArray(v) || Object.keys(v).length > 0 || !Array.isArray(m) || m.length > 0) return null;
    const json = { ...shell, model: lazyModel(model, bytes, begin) };
    preparsed.set(json, { shell, vocab, merges, unsafeLefts: rows.unsafeLefts, bytes });
    return json;
  } catch (e) {
    if (e instanceof Decline) return null;
    throw e;
  }
}

/** tokenizer.json from its bytes: {@link parseTokenizerJson}, else JSON.parse of the text (BOM skipped). */
export function tokenizerJsonFromBytes(bytes: Uint8Array): Json {
  return (
    parseTokenizerJson(bytes) ??
    (JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
        .toString("utf8")
        .replace(/^\uFEFF/, ""),
    ) as Json)
  );
}

/** A copy of the shell's model whose vocab and merges, when first read, come from parsing the whole file. */
function lazyModel(model: Json, bytes: Uint8Array, begin: number): Json {
  const lazy: Json = { ...model };
  const full = () => {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("utf8", begin);
    const whole = (JSON.parse(text) as { model: Json }).model;
    for (const key of ["vocab", "merges"]) Object.defineProperty(lazy, key, { value: whole[key], writable: true, enumerable: true, configurable: true });
  };
  for (const key of ["vocab", "merges"]) {
    Object.defineProperty(lazy, key, {
      get() {
        full();
        return lazy[key];
      },
      set(value: unknown) {
        full();
        lazy[key] = value;
      },
      enumerable: true,
      configurable: true,
    });
  }
  return lazy;
}
