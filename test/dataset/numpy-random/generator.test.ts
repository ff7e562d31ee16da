import { describe, expect, it } from "vitest";
import { defaultRng, Generator, MAX_PERMUTATION_LENGTH, PCG64, permutation, SeedSequence } from "../../../src/dataset/numpy-random/index.js";
import { InvalidArgumentError } from "../../../src/errors.js";
import { referenceSplit } from "../../helpers/shared.js";
import { numpyFixture, type PermutationCase, seedOf, sha256Int32 } from "./numpy-fixtures.js";

const perms = numpyFixture<PermutationCase>("permutations.json").cases;

interface SequenceCase {
  seed: string;
  calls: ({ n: number; values: number[] } | { shuffleList: string[] })[];
  randomAfterPermutations: number;
}
const sequences = numpyFixture<SequenceCase>("generator-sequences.json").cases;

describe("permutation(n, seed) equals np.random.default_rng(seed).permutation(n)", () => {
  it("reproduces ../shared/reference/split_n1400_seed123.json (datasets' split of the lamini rows)", () => {
    const ref = referenceSplit();
    expect(ref.test_indices.slice(0, 5)).toEqual([602, 1120, 271, 634, 548]);
    const p = permutation(ref.n, ref.seed);
    expect(p.slice(0, ref.n_test)).toEqual(ref.test_indices);
    expect(p.slice(ref.n_test)).toEqual(ref.train_indices);
  });

  it("covers every (n, seed) pair of the fixture", () => {
    expect(perms.length).toBe(12 * 11);
    expect(new Set(perms.map((c) => c.n))).toEqual(new Set([0, 1, 2, 3, 10, 100, 1000, 1400, 65537, 100000, 1000000]));
  });

  for (const c of perms) {
    it(`n=${c.n} seed=${c.seed}`, () => {
      const p = permutation(c.n, seedOf(c.seed));
      expect(p.length).toBe(c.n);
      if (c.values) {
        expect(p).toEqual(c.values);
      } else {
        // head/tail first: a mismatch then shows where the orders part.
        expect(p.slice(0, 20)).toEqual(c.head);
        expect(p.slice(-20)).toEqual(c.tail);
        expect(sha256Int32(p)).toBe(c.sha256);
      }
    });
  }

  it("is a permutation of 0..n-1 (1,000,000 rows)", () => {
    const p = permutation(1_000_000, 2n ** 64n + 12345n);
    const seen = new Uint8Array(p.length);
    for (const v of p) seen[v] = 1;
    expect(seen.every((x) => x === 1)).toBe(true);
  });

  it("takes the seed as number or bigint alike", () => {
    expect(permutation(50, 123)).toEqual(permutation(50, 123n));
  });
});

describe("one Generator drawing many times equals numpy's", () => {
  for (const s of sequences) {
    it(`seed ${s.seed}: permutations of 5, 0, 1, 7, 2, 10, 3, 33, then random(), then a list shuffle`, () => {
      const rng = defaultRng(seedOf(s.seed));
      for (const call of s.calls) {
        if ("n" in call) {
          expect(rng.permutation(call.n)).toEqual(call.values);
        }
      }
      expect(rng.random()).toBe(s.randomAfterPermutations);
      const list = "abcdefghij".split("");
      rng.shuffle(list);
      const expected = s.calls.flatMap((c) => ("shuffleList" in c ? [c.shuffleList] : []));
      expect(expected).toHaveLength(1);
      expect(list).toEqual(expected[0]);
    });
  }
});

describe("Generator", () => {
  it("shuffles typed arrays and plain arrays the same way", () => {
    const a = Int32Array.from({ length: 300 }, (_, i) => i);
    const b = Array.from({ length: 300 }, (_, i) => i);
    defaultRng(9).shuffle(a);
    defaultRng(9).shuffle(b);
    expect(Array.from(a)).toEqual(b);
    expect(b).toEqual(permutation(300, 9));
  });

  it("permutation(array) is a shuffled copy in numpy's order, leaving the input alone", () => {
    const rows = ["a", "b", "c", "d", "e", "f", "g"];
    const out = defaultRng(5).permutation(rows);
    expect(rows).toEqual(["a", "b", "c", "d", "e", "f", "g"]);
    expect(out).toEqual(permutation(7, 5).map((i) => rows[i]));
  });

  it("defaultRng passes a Generator through and wraps a PCG64 or SeedSequence", () => {
    const g = defaultRng(1);
    expect(defaultRng(g)).toBe(g);
    const bg = new PCG64(1);
    expect(defaultRng(bg).bitGenerator).toBe(bg);
    expect(defaultRng(new SeedSequence(77)).permutation(20)).toEqual(permutation(20, 77));
  });

  it("without a seed draws from OS entropy, reproducible from the recorded entropy", () => {
    const a = defaultRng();
    const b = defaultRng();
    const pa = a.permutation(100);
    expect(pa).not.toEqual(b.permutation(100));
    expect(permutation(100, a.bitGenerator.seedSeq.entropy as bigint)).toEqual(pa);
    expect(permutation(100).length).toBe(100);
  });

  it("refuses a row count that is negative, fractional or too large", () => {
    for (const n of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, MAX_PERMUTATION_LENGTH + 1]) {
      expect(() => permutation(n, 1)).toThrow(InvalidArgumentError);
    }
    expect(() => permutation(-1, 1)).toThrow(/between 0 and 4294967295, got -1/);
  });

  it("refuses a bad seed before drawing", () => {
    expect(() => permutation(10, -3)).toThrow(/non-negative integer/);
    expect(() => permutation(10, 0.5)).toThrow(InvalidArgumentError);
  });

  it("needs a PCG64", () => {
    expect(() => new Generator({} as PCG64)).toThrow(InvalidArgumentError);
  });
});
