import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { InvalidArgumentError } from "../../src/errors.js";
import { percentile, tokenLengthStats } from "../../src/stats/index.js";

interface Case {
  name: string;
  values: number[];
  percentiles: [number, number][];
  median: number;
  mean: number;
}
// numpy's answers, computed offline by fixtures/generate.py.
const fixture = JSON.parse(readFileSync(new URL("./fixtures/percentiles.json", import.meta.url), "utf8")) as { cases: Case[] };

describe("percentile = np.percentile (method linear), bit for bit", () => {
  for (const c of fixture.cases) {
    it(c.name, () => {
      const sorted = Float64Array.from(c.values).sort();
      for (const [q, expected] of c.percentiles) expect([q, percentile(sorted, q)]).toEqual([q, expected]);
    });
  }

  it("refuses p outside [0, 100]; empty input gives NaN", () => {
    expect(() => percentile([1], 101)).toThrow(InvalidArgumentError);
    expect(() => percentile([1], -1)).toThrow(InvalidArgumentError);
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("tokenLengthStats", () => {
  it("count, min, max, mean, median and p90/p95/p99 as numpy gives them", () => {
    for (const c of fixture.cases.filter((x) => x.values.every(Number.isInteger))) {
      const s = tokenLengthStats(Int32Array.from(c.values));
      const p = new Map(c.percentiles);
      expect(s.count).toBe(c.values.length);
      expect(s.total).toBe(c.values.reduce((a, b) => a + b, 0));
      expect(s.min).toBe(Math.min(...c.values));
      expect(s.max).toBe(Math.max(...c.values));
      expect(s.mean).toBe(c.mean);
      expect(s.median).toBe(c.median);
      expect([s.p90, s.p95, s.p99]).toEqual([p.get(90), p.get(95), p.get(99)]);
      // number[] and Int32Array give the same.
      expect(tokenLengthStats(c.values)).toEqual(s);
    }
  });

  it("counts the rows maxLength truncates (longer than it, not equal)", () => {
    const s = tokenLengthStats([5, 10, 11, 20], { maxLength: 10 });
    expect(s.maxLength).toBe(10);
    expect(s.truncated).toBe(2);
    expect(tokenLengthStats([5, 10]).truncated).toBeUndefined();
  });

  it("padding waste: pad-to-longest per batch in dataset order, pad-to-maxLength, packing", () => {
    // Batches of 2: [2, 4] pads 2; [6, 1] pads 5; [3] pads 0 → 7 pad tokens for 16 real ones.
    const s = tokenLengthStats([2, 4, 6, 1, 3], { batchSize: 2, maxLength: 5 });
    // Rows are cut to maxLength before padding: 6 → 5, so [5, 1] pads 4: 6 pad tokens, 15 real.
    expect(s.paddingWaste.longest).toEqual({ batchSize: 2, padTokens: 6, share: 6 / 21 });
    // Every row padded to 5: 25 slots, 15 real.
    expect(s.paddingWaste.maxLength).toEqual({ padTokens: 10, share: 10 / 25 });
    // Packing the 16 tokens into blocks of 5: 4 blocks, the last one with 4 empty slots.
    expect(s.paddingWaste.packing).toEqual({ blocks: 4, padTokens: 4, share: 4 / 20 });
    const noMax = tokenLengthStats([2, 4, 6, 1, 3], { batchSize: 2 });
    expect(noMax.paddingWaste.longest).toEqual({ batchSize: 2, padTokens: 7, share: 7 / 23 });
    expect(noMax.paddingWaste.maxLength).toBeUndefined();
    expect(noMax.paddingWaste.packing).toBeUndefined();
    // Default batch size 8: one batch here.
    expect(tokenLengthStats([1, 3]).paddingWaste.longest).toEqual({ batchSize: 8, padTokens: 2, share: 2 / 6 });
  });

  it("no rows: counts of zero, nulls for the statistics", () => {
    const s = tokenLengthStats([], { maxLength: 4 });
    expect(s).toMatchObject({ count: 0, total: 0, min: null, max: null, mean: null, median: null, p90: null, truncated: 0 });
    expect(s.paddingWaste.longest.share).toBe(0);
    expect(s.paddingWaste.packing).toEqual({ blocks: 0, padTokens: 0, share: 0 });
  });

  it.each([
    [[1, -2], {}],
    [[1, 2.5], {}],
    [[1], { maxLength: 0 }],
    [[1], { batchSize: 0 }],
  ])("refuses %j with %j", (lengths, params) => {
    expect(() => tokenLengthStats(lengths, params)).toThrow(InvalidArgumentError);
  });
});
