import { defaultRng } from "./default-rng.js";
import type { SeedEntropy } from "./seed-sequence.js";

/**
 * `np.random.default_rng(seed).permutation(n)`: the numbers 0 … n-1 in numpy's shuffled order for
 * that seed. This is the order `datasets`' `Dataset.shuffle(seed=…)` and
 * `train_test_split(seed=…)` use.
 *
 * @param n Row count, a whole number from 0 to 2^32 - 1.
 * @param seed A non-negative integer (bigint above 2^53 - 1). Omitted: fresh OS entropy, a
 *   different order each call.
 */
export function permutation(n: number, seed?: SeedEntropy): number[] {
  return defaultRng(seed).permutation(n);
}
