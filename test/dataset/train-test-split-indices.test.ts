import { describe, expect, it } from "vitest";
import { defaultRng } from "../../src/dataset/numpy-random/index.js";
import { trainTestSplitIndices } from "../../src/dataset/train-test-split-indices.js";
import { InvalidArgumentError } from "../../src/errors.js";
import { referenceSplit } from "../helpers/shared.js";
import { numpyFixture, sha256Int32 } from "./numpy-random/numpy-fixtures.js";

interface SplitCase {
  n: number;
  testSize: number | null;
  trainSize: number | null;
  shuffle: boolean;
  seed: string | null;
  train?: number[];
  test?: number[];
  trainSha256?: string;
  testSha256?: string;
  trainLength?: number;
  testLength?: number;
  trainHead?: number[];
  testHead?: number[];
  error?: string;
}

// Written by test/fixtures/numpy/generate.py, which runs datasets' own size logic (copied verbatim) with numpy.
const cases = numpyFixture<SplitCase>("train-test-split.json").cases;

/** Numbers in a message, as values: Python writes 11.0 where we write 11. */
function numbersIn(message: string): number[] {
  return (message.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi) ?? []).map(Number);
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("trainTestSplitIndices equals datasets' train_test_split", () => {
  it("splits the 1,400 lamini rows as ../shared/reference/split_n1400_seed123.json", () => {
    const ref = referenceSplit();
    const { train, test } = trainTestSplitIndices(ref.n, { testSize: ref.test_size, seed: ref.seed });
    expect(test.length).toBe(ref.n_test);
    expect(test).toEqual(ref.test_indices);
    expect(train).toEqual(ref.train_indices);
  });

  it("has fixture cases for sizes, shuffles and every error", () => {
    expect(cases.length).toBe(43);
    expect(cases.filter((c) => c.error).length).toBe(17);
  });

  for (const c of cases) {
    const opts = {
      ...(c.testSize !== null ? { testSize: c.testSize } : {}),
      ...(c.trainSize !== null ? { trainSize: c.trainSize } : {}),
      shuffle: c.shuffle,
      ...(c.seed !== null ? { seed: BigInt(c.seed) } : {}),
    };
    const name = `n=${c.n} testSize=${c.testSize} trainSize=${c.trainSize} shuffle=${c.shuffle} seed=${c.seed}`;
    if (c.error) {
      it(`${name} → error like Python's "${c.error}"`, () => {
        const err = caught(() => trainTestSplitIndices(c.n, opts));
        expect(err).toBeInstanceOf(InvalidArgumentError);
        const ours = numbersIn((err as Error).message);
        for (const v of numbersIn(c.error!)) expect(ours, (err as Error).message).toContain(v);
      });
    } else {
      it(name, () => {
        const { train, test } = trainTestSplitIndices(c.n, opts);
        if (c.train && c.test) {
          expect({ train, test }).toEqual({ train: c.train, test: c.test });
        } else {
          expect([train.length, test.length]).toEqual([c.trainLength, c.testLength]);
          expect([train.slice(0, 20), test.slice(0, 20)]).toEqual([c.trainHead, c.testHead]);
          expect([sha256Int32(train), sha256Int32(test)]).toEqual([c.trainSha256, c.testSha256]);
        }
      });
    }
  }
});

describe("trainTestSplitIndices sizes and options", () => {
  it("defaults to a shuffled 25% test split", () => {
    const { train, test } = trainTestSplitIndices(8, { seed: 3 });
    expect([train.length, test.length]).toEqual([6, 2]);
    expect([...test, ...train].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("keeps order with shuffle: false", () => {
    expect(trainTestSplitIndices(5, { testSize: 2, shuffle: false })).toEqual({ train: [0, 1, 2], test: [3, 4] });
  });

  it("leaves rows out when both sizes are set and sum below n", () => {
    expect(trainTestSplitIndices(10, { testSize: 2, trainSize: 5, shuffle: false })).toEqual({ train: [0, 1, 2, 3, 4], test: [5, 6] });
  });

  it("rounds a test fraction up and a train fraction down", () => {
    const s = trainTestSplitIndices(7, { testSize: 0.3, trainSize: 0.3, shuffle: false });
    expect([s.train.length, s.test.length]).toEqual([2, 3]);
  });

  it("draws from a given Generator, ahead of seed", () => {
    const fromGenerator = trainTestSplitIndices(30, { testSize: 0.2, generator: defaultRng(11), seed: 999 });
    expect(fromGenerator).toEqual(trainTestSplitIndices(30, { testSize: 0.2, seed: 11 }));
  });

  it("is reproducible with a seed and differs without one", () => {
    expect(trainTestSplitIndices(200, { seed: 5 })).toEqual(trainTestSplitIndices(200, { seed: 5 }));
    expect(trainTestSplitIndices(200, {}).test).not.toEqual(trainTestSplitIndices(200, {}).test);
  });

  it("returns two empty splits for 0 rows whatever the sizes, as datasets", () => {
    expect(trainTestSplitIndices(0, { testSize: 5, trainSize: 9 })).toEqual({ train: [], test: [] });
  });

  it("treats a whole number as a row count (Python's 1.0 float cannot be told from 1)", () => {
    expect(trainTestSplitIndices(4, { testSize: 1, shuffle: false })).toEqual({ train: [0, 1, 2], test: [3] });
  });

  it("splits 1,000,000 rows into disjoint sets covering every row", () => {
    const { train, test } = trainTestSplitIndices(1_000_000, { testSize: 0.1, seed: 123 });
    expect([train.length, test.length]).toEqual([900_000, 100_000]);
    const seen = new Uint8Array(1_000_000);
    for (const i of [...train, ...test]) seen[i]! += 1;
    expect(seen.every((x) => x === 1)).toBe(true);
  });
});

describe("trainTestSplitIndices validation", () => {
  const bad: [string, number, Parameters<typeof trainTestSplitIndices>[1], string, RegExp][] = [
    ["int testSize equal to n", 10, { testSize: 10 }, "testSize", /testSize=10 should be either positive and smaller than the number of samples 10/],
    ["int testSize 0", 10, { testSize: 0 }, "testSize", /testSize=0 should be/],
    ["negative testSize", 10, { testSize: -2 }, "testSize", /testSize=-2/],
    ["float testSize above 1", 10, { testSize: 1.5 }, "testSize", /\(0, 1\) range/],
    ["negative float trainSize", 10, { trainSize: -0.5 }, "trainSize", /trainSize=-0.5/],
    ["int trainSize above n", 10, { trainSize: 12 }, "trainSize", /trainSize=12/],
    ["Infinity", 10, { testSize: Number.POSITIVE_INFINITY }, "testSize", /testSize=Infinity/],
    ["fractions summing above 1", 10, { testSize: 0.6, trainSize: 0.5 }, "testSize", /sum of testSize and trainSize = 1.1/],
    ["counts summing above n", 10, { testSize: 6, trainSize: 5 }, "testSize", /add up to 11 rows, more than the number of samples 10/],
    ["a count and a fraction above n", 10, { testSize: 0.55, trainSize: 5 }, "testSize", /add up to 11 rows/],
    [
      "an empty train split from testSize",
      3,
      { testSize: 0.9 },
      "testSize",
      /n_samples=3, testSize=0.9 and trainSize=unset, the resulting train set will be empty/,
    ],
    ["an empty train split from trainSize", 10, { trainSize: 0.05 }, "trainSize", /resulting train set will be empty/],
    ["NaN", 10, { testSize: Number.NaN }, "testSize", /Invalid value for testSize: NaN/],
    ["a string", 10, { trainSize: "0.5" as unknown as number }, "trainSize", /Invalid value for trainSize: 0.5 of type string/],
  ];
  for (const [what, n, opts, argument, message] of bad) {
    it(`refuses ${what}`, () => {
      const err = caught(() => trainTestSplitIndices(n, opts));
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as InvalidArgumentError).argument).toBe(argument);
      expect((err as Error).message).toMatch(message);
    });
  }

  it("refuses a row count that is negative or fractional", () => {
    expect(() => trainTestSplitIndices(-1)).toThrow(InvalidArgumentError);
    expect(() => trainTestSplitIndices(2.5)).toThrow(/whole number/);
  });

  it("refuses a bad seed", () => {
    expect(() => trainTestSplitIndices(10, { seed: -1 })).toThrow(InvalidArgumentError);
  });
});
