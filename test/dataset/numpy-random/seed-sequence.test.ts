import { describe, expect, it } from "vitest";
import { SeedSequence } from "../../../src/dataset/numpy-random/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { thrown } from "../../helpers/failures.js";
import { numpyFixture } from "./numpy-fixtures.js";

interface SeedSequenceCase {
  entropy: string | string[];
  poolSize: number;
  pool: number[];
  uint32x4: number[];
  uint32x11: number[];
  uint64x4: string[];
}

const cases = numpyFixture<SeedSequenceCase>("seed-sequence.json").cases;

describe("SeedSequence equals numpy's", () => {
  it("has fixture cases for every seed kind (ints up to 10**30, sequences, pool sizes 4 and 8)", () => {
    expect(cases.length).toBe(34);
  });

  for (const c of cases) {
    const entropy = Array.isArray(c.entropy) ? c.entropy.map(BigInt) : BigInt(c.entropy);
    it(`entropy=${JSON.stringify(c.entropy)} poolSize=${c.poolSize}`, () => {
      const ss = new SeedSequence(entropy, { poolSize: c.poolSize });
      expect(Array.from(ss.pool)).toEqual(c.pool);
      expect(Array.from(ss.generateState(4))).toEqual(c.uint32x4);
      expect(Array.from(ss.generateState(4, "uint32"))).toEqual(c.uint32x4);
      expect(Array.from(ss.generateState(11, "uint32"))).toEqual(c.uint32x11);
      expect(Array.from(ss.generateState(4, "uint64"), String)).toEqual(c.uint64x4);
    });
  }

  it("takes a number and the same bigint alike", () => {
    expect(Array.from(new SeedSequence(123).pool)).toEqual(Array.from(new SeedSequence(123n).pool));
    expect(Array.from(new SeedSequence([1, 2n, 3]).pool)).toEqual(Array.from(new SeedSequence([1n, 2n, 3n]).pool));
  });

  it("draws 128 bits of OS entropy when no seed is given, and records it", () => {
    const a = new SeedSequence();
    const b = new SeedSequence();
    expect(typeof a.entropy).toBe("bigint");
    expect(a.entropy).not.toBe(b.entropy);
    expect(a.entropy as bigint).toBeLessThan(1n << 128n);
    expect(Array.from(new SeedSequence(a.entropy as bigint).generateState(4))).toEqual(Array.from(a.generateState(4)));
  });
});

describe("SeedSequence validation", () => {
  const bad: [string, unknown, RegExp][] = [
    ["a negative number", -1, /non-negative integer, got -1/],
    ["a negative bigint", -5n, /non-negative integer, got -5n/],
    ["a fraction", 1.5, /must be an integer, got 1.5/],
    ["NaN", Number.NaN, /must be an integer, got NaN/],
    ["an unsafe number", 2 ** 53, /above Number.MAX_SAFE_INTEGER/],
    ["a string", "42", /number or bigint\), got string/],
    ["a negative array element", [1, -2], /non-negative integer, got -2/],
    ["a nested array", [1, [2]], /nested sequences/],
  ];
  for (const [what, value, message] of bad) {
    it(`refuses ${what}`, () => {
      const err = thrown(() => new SeedSequence(value as never));
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).argument).toBe("seed");
      expect((err as Error).message).toMatch(message);
    });
  }

  it("tells to use a bigint above 2^53", () => {
    expect(() => new SeedSequence(2 ** 64)).toThrow(/bigint/);
  });

  it("refuses a pool smaller than 4 words", () => {
    expect(() => new SeedSequence(1, { poolSize: 3 })).toThrow(InvalidArgumentError);
    expect(() => new SeedSequence(1, { poolSize: 3 })).toThrow(/at least 4/);
  });

  it("refuses a bad word count or dtype", () => {
    const ss = new SeedSequence(1);
    expect(() => ss.generateState(-1)).toThrow(InvalidArgumentError);
    expect(() => ss.generateState(2, "uint16" as never)).toThrow(/only support uint32 or uint64/);
  });
});
