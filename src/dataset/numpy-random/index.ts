// numpy.random, as far as a seeded shuffle needs it: results equal numpy's for the same seed.

export { defaultRng } from "./default-rng.js";
export { Generator, MAX_PERMUTATION_LENGTH, type MutableArrayLike } from "./generator.js";
export { PCG64, type PCG64State } from "./pcg64.js";
export { permutation } from "./permutation.js";
export { type Seed, type SeedEntropy, SeedSequence, type SeedSequenceParams } from "./seed-sequence.js";
