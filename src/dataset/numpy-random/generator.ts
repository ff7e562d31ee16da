import { InvalidArgumentError } from "../../errors.js";
import { PCG64 } from "./pcg64.js";

/** Anything indexable and writable with a length: arrays and typed arrays. */
export interface MutableArrayLike<T> {
  readonly length: number;
  [index: number]: T;
}

/** The largest n `permutation` takes: a JavaScript array holds at most 2^32 - 1 elements. */
export const MAX_PERMUTATION_LENGTH = 2 ** 32 - 1;

/**
 * numpy's `random_interval(bitgen, max)` (src/distributions/distributions.c): a uniform integer in
 * [0, max] by masked rejection sampling — draw, keep the bits under the smallest all-ones mask
 * ≥ max, retry while above max. Ranges within 32 bits draw `next_uint32`, so two candidates come
 * from each 64-bit output. (`max` ≤ 2^32 - 1 here; numpy's 64-bit branch cannot occur for arrays
 * a JavaScript engine can hold.)
 */
function randomInterval(bitgen: PCG64, max: number): number {
  if (max === 0) return 0;
  let mask = max;
  mask |= mask >>> 1;
  mask |= mask >>> 2;
  mask |= mask >>> 4;
  mask |= mask >>> 8;
  mask |= mask >>> 16;
  let value: number;
  do value = (bitgen.nextUint32() & mask) >>> 0;
  while (value > max);
  return value;
}

/**
 * numpy's `Generator` (numpy/random/_generator.pyx), reduced to what a train/test split needs:
 * `permutation`, `shuffle` and `random`, each drawing from the bit generator exactly as numpy
 * does, so the results equal numpy's for the same seed. Build one with `defaultRng(seed)`.
 *
 * Which bounded-integer routine the shuffle uses matters for exactness: numpy's `Generator.shuffle`
 * (hence `permutation`) calls `random_interval` (masked rejection, 32-bit draws for ranges within
 * 32 bits) on every path (1-d fast path, n-d, lists). Lemire's `random_bounded_uint64` — also
 * through `_shuffle_int` — serves `integers` and `choice(replace=False)` only; it would give other
 * orders. Checked against numpy 1.24 and 2.4, which give identical permutations.
 */
export class Generator {
  /** The PCG64 bit generator the draws come from (numpy's `bit_generator`). */
  readonly bitGenerator: PCG64;

  constructor(bitGenerator: PCG64) {
    if (!(bitGenerator instanceof PCG64)) {
      throw new InvalidArgumentError("bitGenerator", bitGenerator, "Generator needs a PCG64 bit generator; use defaultRng(seed) to build one.");
    }
    this.bitGenerator = bitGenerator;
  }

  /** numpy's `random()`: one float64 in [0, 1) from the top 53 bits of a 64-bit draw. */
  random(): number {
    return this.bitGenerator.nextDouble();
  }

  /**
   * numpy's `shuffle(x)` for a 1-d array or list: Fisher–Yates from the last index down, the swap
   * partner of index i drawn by `random_interval(i)`. Shuffles `x` in place.
   */
  shuffle<T>(x: MutableArrayLike<T>): void {
    const bitgen = this.bitGenerator;
    for (let i = x.length - 1; i > 0; i--) {
      const j = randomInterval(bitgen, i);
      const tmp = x[i]!;
      x[i] = x[j]!;
      x[j] = tmp;
    }
  }

  /**
   * numpy's `permutation(x)`. For a number n: `np.arange(n)` shuffled, as a number[] (numpy gives an
   * int64 array). For an array: a shuffled copy (the input is left alone).
   *
   * Unlike numpy, which returns an empty array for a negative n, a negative or fractional n is an
   * InvalidArgumentError.
   */
  permutation(n: number): number[];
  permutation<T>(x: readonly T[]): T[];
  permutation<T>(x: number | readonly T[]): number[] | T[] {
    if (typeof x !== "number") {
      if (!Array.isArray(x)) throw new InvalidArgumentError("x", x, "permutation takes a row count or an array.");
      const copy = x.slice();
      this.shuffle(copy);
      return copy;
    }
    if (!Number.isSafeInteger(x) || x < 0 || x > MAX_PERMUTATION_LENGTH) {
      throw new InvalidArgumentError("n", x, `permutation(n) needs a whole number of rows between 0 and ${MAX_PERMUTATION_LENGTH}, got ${x}.`);
    }
    // Shuffling a typed array, then copying into a plain array, measured faster than either alone.
    const arr = x <= 0x7fffffff ? new Int32Array(x) : new Float64Array(x);
    for (let i = 0; i < x; i++) arr[i] = i;
    this.shuffle(arr);
    const out = new Array<number>(x);
    for (let i = 0; i < x; i++) out[i] = arr[i]!;
    return out;
  }
}
