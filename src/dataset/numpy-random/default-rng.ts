import { Generator } from "./generator.js";
import { PCG64 } from "./pcg64.js";
import type { SeedEntropy, SeedSequence } from "./seed-sequence.js";

/**
 * numpy's `np.random.default_rng(seed)`: a Generator over PCG64 seeded through SeedSequence, so
 * every draw equals numpy's for the same seed.
 *
 * @param seed A non-negative integer — a number up to 2^53 - 1, a bigint of any size (2**64,
 *   10**30…) — or an array of them, a SeedSequence, a PCG64 (wrapped) or a Generator (returned as
 *   is). Omitted: fresh, unpredictable OS entropy, as numpy (`rng.bitGenerator.seedSeq.entropy`
 *   tells which). A negative, fractional or unsafe (> 2^53 - 1) number is an InvalidArgumentError.
 */
export function defaultRng(seed?: SeedEntropy | SeedSequence | PCG64 | Generator): Generator {
  if (seed instanceof Generator) return seed;
  if (seed instanceof PCG64) return new Generator(seed);
  return new Generator(new PCG64(seed));
}
