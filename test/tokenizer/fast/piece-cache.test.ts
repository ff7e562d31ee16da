// The native encoder's piece cache (src/tokenizer/fast/piece-cache.ts): looked up by a range of a
// text, it must find exactly the piece stored (not a longer or shorter one, not another with the
// same hash), grow past its first size, and empty itself at its limit.
import { describe, expect, it } from "vitest";
import { PieceCache } from "../../../src/tokenizer/fast/piece-cache.js";

const put = (cache: PieceCache, key: string, ids: number | Int32Array) => cache.set(key, PieceCache.hash(key, 0, key.length), ids);
const lookup = (cache: PieceCache, text: string, start: number, end: number) => cache.get(text, start, end, PieceCache.hash(text, start, end));

describe("PieceCache", () => {
  it("finds a piece by any range spelling it, and nothing else", () => {
    const cache = new PieceCache(100);
    put(cache, "ing", 7);
    put(cache, "in", new Int32Array([1, 2]));
    put(cache, " 😀", 9);
    expect(lookup(cache, "walking", 4, 7)).toBe(7);
    expect(lookup(cache, "into", 0, 2)).toEqual(new Int32Array([1, 2]));
    expect(lookup(cache, "a 😀!", 1, 4)).toBe(9);
    expect(lookup(cache, "walking", 4, 6)).toEqual(new Int32Array([1, 2]));
    expect(lookup(cache, "walking", 3, 7)).toBeUndefined();
    expect(lookup(cache, "ING", 0, 3)).toBeUndefined();
    expect(lookup(cache, "a 😀!", 1, 3)).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it("tells apart keys with the same hash", () => {
    const cache = new PieceCache(100);
    const h = PieceCache.hash("a", 0, 1);
    cache.set("a", h, 1);
    cache.set("b", h, 2);
    expect(cache.get("xb", 1, 2, h)).toBe(2);
    expect(cache.get("a", 0, 1, h)).toBe(1);
    expect(cache.get("c", 0, 1, h)).toBeUndefined();
  });

  it("grows past its first size, then empties itself at its limit", () => {
    const cache = new PieceCache(5000);
    for (let i = 0; i < 5000; i++) put(cache, `p${i}`, i);
    expect(cache.size).toBe(5000);
    for (let i = 0; i < 5000; i += 7) expect(lookup(cache, `<p${i}>`, 1, `p${i}`.length + 1)).toBe(i);
    put(cache, "new", 1);
    expect(cache.size).toBe(1);
    expect(lookup(cache, "p1", 0, 2)).toBeUndefined();
    expect(lookup(cache, "new", 0, 3)).toBe(1);
  });
});
