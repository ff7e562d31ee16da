import { webcrypto } from "node:crypto";
import { InvalidArgumentError } from "../../errors.js";

/** A seed as numpy takes it: a non-negative integer of any size. Use a bigint above 2^53. */
export type Seed = number | bigint;

/** What SeedSequence mixes: one integer, or a sequence of them (numpy's `int` or `sequence[int]`). */
export type SeedEntropy = Seed | readonly Seed[];

export interface SeedSequenceParams {
  /** Number of 32-bit words in the entropy pool. Default 4 (128 bits), as numpy; must be at least 4. */
  poolSize?: number;
}

// Constants of numpy/random/bit_generator.pyx (after O'Neill's seed_seq_fe).
const DEFAULT_POOL_SIZE = 4;
const INIT_A = 0x43b0d7e5;
const MULT_A = 0x931e8875;
const INIT_B = 0x8b51f9dd;
const MULT_B = 0x58f38ded;
const MIX_MULT_L = 0xca01f9dd;
const MIX_MULT_R = 0x4973f715;
const XSHIFT = 16;

/** Checks one seed and returns it as a bigint. Argument name "seed": that is what users pass. */
function toSeedBigInt(value: unknown): bigint {
  if (typeof value === "bigint") {
    if (value < 0n) throw new InvalidArgumentError("seed", value, `seed must be a non-negative integer, got ${value}n.`);
    return value;
  }
  if (typeof value === "number") {
    if (!Number.isInteger(value)) {
      throw new InvalidArgumentError("seed", value, `seed must be an integer, got ${value}.`, {
        hint: "numpy refuses float seeds (TypeError: seed must be integer); pass a whole number.",
      });
    }
    if (value < 0) throw new InvalidArgumentError("seed", value, `seed must be a non-negative integer, got ${value}.`);
    if (!Number.isSafeInteger(value)) {
      throw new InvalidArgumentError("seed", value, `seed ${value} is above Number.MAX_SAFE_INTEGER (2^53 - 1), so its low digits are already lost.`, {
        hint: "Pass seeds above 2^53 as a bigint, e.g. 18446744073709551616n for 2**64.",
      });
    }
    return BigInt(value);
  }
  throw new InvalidArgumentError("seed", value, `seed must be a non-negative integer (number or bigint), got ${typeof value}.`);
}

/** numpy's `_int_to_uint32_array`: 32-bit words, lowest first; 0 is one word [0]. */
function intToWords(n: bigint, out: number[]): void {
  if (n === 0n) {
    out.push(0);
    return;
  }
  while (n > 0n) {
    out.push(Number(n & 0xffffffffn));
    n >>= 32n;
  }
}

function hashmix(value: number, hashConst: { h: number }): number {
  value = (value ^ hashConst.h) >>> 0;
  hashConst.h = Math.imul(hashConst.h, MULT_A) >>> 0;
  value = Math.imul(value, hashConst.h) >>> 0;
  return (value ^ (value >>> XSHIFT)) >>> 0;
}

function mix(x: number, y: number): number {
  // uint32 arithmetic: the difference of the two wrapped products, wrapped again.
  const result = (Math.imul(MIX_MULT_L, x) - Math.imul(MIX_MULT_R, y)) >>> 0;
  return (result ^ (result >>> XSHIFT)) >>> 0;
}

function randomEntropy(bits: number): bigint {
  const words = webcrypto.getRandomValues(new Uint32Array(bits / 32));
  let n = 0n;
  for (const w of words) n = (n << 32n) | BigInt(w);
  return n;
}

/**
 * numpy's `SeedSequence` (numpy/random/bit_generator.pyx): hashes the seed into a pool of 32-bit
 * words and derives the initial state of a bit generator from it, bit for bit as numpy does.
 *
 * `new SeedSequence(123).generateState(4, "uint64")` equals
 * `np.random.SeedSequence(123).generate_state(4, np.uint64)`.
 */
export class SeedSequence {
  /** The entropy mixed in: the seed given, or the fresh OS entropy drawn when none was (log it to reproduce a run). */
  readonly entropy: bigint | readonly bigint[];
  /** Size of the pool in 32-bit words. */
  readonly poolSize: number;
  /** The mixed entropy pool (numpy's `pool`). */
  readonly pool: Uint32Array;

  /**
   * @param entropy A non-negative integer (number up to 2^53 - 1, or bigint of any size), or an array
   *   of them. Omitted: 128 bits of fresh entropy from the OS (`crypto.getRandomValues`), as numpy's
   *   `secrets.randbits`; the run is then not reproducible unless `entropy` is recorded.
   */
  constructor(entropy?: SeedEntropy, params: SeedSequenceParams = {}) {
    const poolSize = params.poolSize ?? DEFAULT_POOL_SIZE;
    if (!Number.isSafeInteger(poolSize) || poolSize < DEFAULT_POOL_SIZE) {
      throw new InvalidArgumentError("poolSize", poolSize, `The size of the entropy pool should be at least ${DEFAULT_POOL_SIZE}, got ${poolSize}.`);
    }
    this.poolSize = poolSize;
    const words: number[] = [];
    if (entropy === undefined || entropy === null) {
      const drawn = randomEntropy(poolSize * 32);
      this.entropy = drawn;
      intToWords(drawn, words);
    } else if (Array.isArray(entropy)) {
      const list = (entropy as readonly unknown[]).map((e) => {
        if (Array.isArray(e)) throw new InvalidArgumentError("seed", entropy, "SeedSequence does not accept nested sequences.");
        return toSeedBigInt(e);
      });
      this.entropy = list;
      for (const e of list) intToWords(e, words);
    } else {
      const n = toSeedBigInt(entropy);
      this.entropy = n;
      intToWords(n, words);
    }
    this.pool = new Uint32Array(poolSize);
    this.mixEntropy(words);
  }

  /** numpy's `mix_entropy`: hash the words into the pool, then mix every pool word into every other. */
  private mixEntropy(entropy: readonly number[]): void {
    const mixer = this.pool;
    const n = mixer.length;
    const hc = { h: INIT_A };
    for (let i = 0; i < n; i++) mixer[i] = hashmix(i < entropy.length ? entropy[i]! : 0, hc);
    for (let src = 0; src < n; src++) {
      for (let dst = 0; dst < n; dst++) {
        if (src !== dst) mixer[dst] = mix(mixer[dst]!, hashmix(mixer[src]!, hc));
      }
    }
    for (let src = n; src < entropy.length; src++) {
      for (let dst = 0; dst < n; dst++) mixer[dst] = mix(mixer[dst]!, hashmix(entropy[src]!, hc));
    }
  }

  /**
   * numpy's `generate_state(n_words, dtype)`: `nWords` words of seeding material.
   * "uint64" draws twice as many 32-bit words and pairs them little-endian (low word first), as numpy.
   */
  generateState(nWords: number, dtype?: "uint32"): Uint32Array;
  generateState(nWords: number, dtype: "uint64"): BigUint64Array;
  generateState(nWords: number, dtype: "uint32" | "uint64" = "uint32"): Uint32Array | BigUint64Array {
    if (!Number.isSafeInteger(nWords) || nWords < 0) {
      throw new InvalidArgumentError("nWords", nWords, `nWords must be a non-negative integer, got ${nWords}.`);
    }
    if (dtype !== "uint32" && dtype !== "uint64") {
      throw new InvalidArgumentError("dtype", dtype, `only support uint32 or uint64, got ${String(dtype)}.`);
    }
    const count = dtype === "uint64" ? nWords * 2 : nWords;
    const state = new Uint32Array(count);
    let hashConst = INIT_B;
    for (let i = 0; i < count; i++) {
      let v = this.pool[i % this.poolSize]!;
      v = (v ^ hashConst) >>> 0;
      hashConst = Math.imul(hashConst, MULT_B) >>> 0;
      v = Math.imul(v, hashConst) >>> 0;
      state[i] = (v ^ (v >>> XSHIFT)) >>> 0;
    }
    if (dtype === "uint32") return state;
    const out = new BigUint64Array(nWords);
    for (let i = 0; i < nWords; i++) out[i] = (BigInt(state[2 * i + 1]!) << 32n) | BigInt(state[2 * i]!);
    return out;
  }
}
