import { InvalidArgumentError } from "../errors.js";
import { defaultRng } from "./numpy-random/default-rng.js";
import { type Generator, MAX_PERMUTATION_LENGTH } from "./numpy-random/generator.js";
import type { SeedEntropy } from "./numpy-random/seed-sequence.js";

export interface TrainTestSplitIndicesParams {
  /**
   * Size of the test split. A fraction in (0, 1) is a share of the rows, rounded up
   * (`ceil(testSize * n)`); a whole number is a row count in [1, n - 1]. Default: the rows
   * `trainSize` leaves, or 0.25 when `trainSize` is not set either.
   *
   * Python tells `1` from `1.0`; JavaScript cannot, so a whole number is always a count (Python's
   * `test_size=1.0` is an error there, `testSize: 1` is one row here).
   */
  testSize?: number;
  /**
   * Size of the train split. A fraction in (0, 1) is a share of the rows, rounded down
   * (`floor(trainSize * n)`); a whole number is a row count in [1, n - 1]. Default: the rows
   * `testSize` leaves.
   */
  trainSize?: number;
  /** Shuffle before cutting. Default true, as datasets. false: train is the first rows, test the ones after. */
  shuffle?: boolean;
  /**
   * Seed of numpy's `default_rng` for the shuffle: a non-negative integer (bigint above 2^53 - 1).
   * Omitted: fresh OS entropy, a different split each call (datasets draws from numpy's global
   * state instead; neither is reproducible). Unused when `shuffle` is false or `generator` is given.
   */
  seed?: SeedEntropy;
  /** A Generator (from `defaultRng`) to draw the permutation from, as datasets' `generator`. Takes precedence over `seed`. */
  generator?: Generator;
}

/** Row indices of each split, in the order the rows go into it (plain number[]). */
export interface TrainTestSplitIndices {
  train: number[];
  test: number[];
}

function readSize(name: "testSize" | "trainSize", value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new InvalidArgumentError(name, value, `Invalid value for ${name}: ${String(value)} of type ${typeof value}.`, {
      hint: `${name} is a fraction in (0, 1) or a whole number of rows.`,
    });
  }
  return value;
}

const show = (v: number | undefined) => (v === undefined ? "unset" : String(v));

function range(from: number, to: number): number[] {
  const out = new Array<number>(to - from);
  for (let i = from; i < to; i++) out[i - from] = i;
  return out;
}

/**
 * The row indices of `datasets.Dataset.train_test_split` for a dataset of `n` rows: the same size
 * rules, the same validation errors (as InvalidArgumentError), and with `shuffle` (the default) the
 * same rows in the same order — `test` is the first `nTest` entries of
 * `np.random.default_rng(seed).permutation(n)`, `train` the next `nTrain`.
 *
 * Ported from huggingface/datasets src/datasets/arrow_dataset.py (`train_test_split`).
 * `stratify_by_column` is not supported.
 *
 * `n = 0` gives two empty splits without looking at the options, as datasets does.
 */
export function trainTestSplitIndices(n: number, params: TrainTestSplitIndicesParams = {}): TrainTestSplitIndices {
  if (!Number.isSafeInteger(n) || n < 0 || n > MAX_PERMUTATION_LENGTH) {
    throw new InvalidArgumentError("n", n, `The number of rows must be a whole number between 0 and ${MAX_PERMUTATION_LENGTH}, got ${n}.`);
  }
  if (n === 0) return { train: [], test: [] };

  let testSize = readSize("testSize", params.testSize);
  const trainSize = readSize("trainSize", params.trainSize);
  if (testSize === undefined && trainSize === undefined) testSize = 0.25;

  const isCount = Number.isInteger;
  const sizeHint = `A fraction in (0, 1) is a share of the ${n} rows; a whole number is a row count from 1 to ${n - 1}.`;
  for (const [name, size] of [
    ["testSize", testSize],
    ["trainSize", trainSize],
  ] as const) {
    if (size === undefined) continue;
    if (isCount(size) ? size >= n || size <= 0 : size <= 0 || size >= 1) {
      throw new InvalidArgumentError(
        name,
        size,
        `${name}=${size} should be either positive and smaller than the number of samples ${n} or a float in the (0, 1) range.`,
        {
          hint: sizeHint,
        },
      );
    }
  }
  if (testSize !== undefined && trainSize !== undefined && !isCount(testSize) && !isCount(trainSize) && trainSize + testSize > 1) {
    throw new InvalidArgumentError(
      "testSize",
      testSize,
      `The sum of testSize and trainSize = ${trainSize + testSize}, should be in the (0, 1) range. Reduce testSize and/or trainSize.`,
    );
  }

  let nTest = testSize === undefined ? undefined : isCount(testSize) ? testSize : Math.ceil(testSize * n);
  let nTrain = trainSize === undefined ? undefined : isCount(trainSize) ? trainSize : Math.floor(trainSize * n);
  if (nTrain === undefined) nTrain = n - nTest!;
  else if (nTest === undefined) nTest = n - nTrain;
  if (nTrain + nTest! > n) {
    throw new InvalidArgumentError(
      "testSize",
      testSize,
      `testSize and trainSize add up to ${nTrain + nTest!} rows, more than the number of samples ${n}. Reduce testSize and/or trainSize.`,
      {
        hint: `testSize=${show(testSize)} gives ${nTest} test rows, trainSize=${show(trainSize)} gives ${nTrain} train rows.`,
      },
    );
  }
  // As datasets, only an empty train split is refused (an empty test split cannot arise from valid sizes).
  if (nTrain === 0) {
    throw new InvalidArgumentError(
      trainSize === undefined ? "testSize" : "trainSize",
      trainSize ?? testSize,
      `With n_samples=${n}, testSize=${show(testSize)} and trainSize=${show(trainSize)}, the resulting train set will be empty. Adjust any of the aforementioned parameters.`,
      { hint: "Lower testSize or raise trainSize (or split a larger dataset)." },
    );
  }
  const nTestRows = nTest!;

  if (params.shuffle === false) return { train: range(0, nTrain), test: range(nTrain, nTrain + nTestRows) };
  const perm = (params.generator ?? defaultRng(params.seed)).permutation(n);
  return { train: perm.slice(nTestRows, nTestRows + nTrain), test: perm.slice(0, nTestRows) };
}
