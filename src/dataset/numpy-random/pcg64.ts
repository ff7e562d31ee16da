import { type SeedEntropy, SeedSequence } from "./seed-sequence.js";

const MASK128 = (1n << 128n) - 1n;
/** PCG_DEFAULT_MULTIPLIER_128 of numpy/random/src/pcg64/pcg64.h. */
const MULTIPLIER = (2549297995355413924n << 64n) | 4865540595714422341n;

// The multiplier as 16-bit limbs, lowest first: 16×16-bit products stay below 2^32 and a column
// of them (plus carry) far below 2^53, so plain doubles do the 128-bit arithmetic exactly.
const M0 = Number(MULTIPLIER & 0xffffn);
const M1 = Number((MULTIPLIER >> 16n) & 0xffffn);
const M2 = Number((MULTIPLIER >> 32n) & 0xffffn);
const M3 = Number((MULTIPLIER >> 48n) & 0xffffn);
const M4 = Number((MULTIPLIER >> 64n) & 0xffffn);
const M5 = Number((MULTIPLIER >> 80n) & 0xffffn);
const M6 = Number((MULTIPLIER >> 96n) & 0xffffn);
const M7 = Number((MULTIPLIER >> 112n) & 0xffffn);

/** The state of a PCG64, as numpy's `PCG64().state` shows it. */
export interface PCG64State {
  /** The 128-bit LCG state. */
  state: bigint;
  /** The 128-bit odd increment (the stream). */
  inc: bigint;
  /** Whether the high half of the last 64-bit output is waiting to be handed out by `nextUint32`. */
  hasUint32: boolean;
  /** That waiting high half. */
  uinteger: number;
}

/**
 * numpy's PCG64 bit generator (PCG XSL RR 128/64, numpy/random/_pcg64.pyx and src/pcg64/pcg64.h):
 * a 128-bit LCG whose output is the xor of its halves rotated by the top 6 bits. Seeded through
 * `SeedSequence` exactly as numpy (`generate_state(4, uint64)` → state and stream), so
 * `new PCG64(seed)` produces the same stream as `np.random.PCG64(seed)`.
 *
 * The 128-bit state lives in eight 16-bit limbs of plain numbers: a BigInt step measured over 2×
 * slower, before converting its output. BigInt is used only when seeding and to report the state.
 */
export class PCG64 {
  /** The SeedSequence the state was derived from (numpy's `seed_seq`). */
  readonly seedSeq: SeedSequence;

  // state, 16-bit limbs, lowest first
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private s4 = 0;
  private s5 = 0;
  private s6 = 0;
  private s7 = 0;
  // increment, 16-bit limbs
  private readonly i0: number;
  private readonly i1: number;
  private readonly i2: number;
  private readonly i3: number;
  private readonly i4: number;
  private readonly i5: number;
  private readonly i6: number;
  private readonly i7: number;
  // the last 64-bit output, as two uint32 halves
  private outLo = 0;
  private outHi = 0;
  // next_uint32's buffer: numpy hands out the low half of a 64-bit output, then the high half
  private hasUint32 = false;
  private uinteger = 0;

  /**
   * @param seed A non-negative integer (bigint above 2^53), an array of them, or a SeedSequence.
   *   Omitted: fresh OS entropy (see `seedSeq.entropy`).
   */
  constructor(seed?: SeedEntropy | SeedSequence) {
    this.seedSeq = seed instanceof SeedSequence ? seed : new SeedSequence(seed);
    // pcg64_set_seed + pcg_setseq_128_srandom_r (the native __uint128_t path numpy builds on 64-bit Linux/macOS).
    const val = this.seedSeq.generateState(4, "uint64");
    const initState = (val[0]! << 64n) | val[1]!;
    const initSeq = (val[2]! << 64n) | val[3]!;
    const inc = ((initSeq << 1n) | 1n) & MASK128;
    let state = inc; // state = 0; step → 0 * M + inc
    state = (state + initState) & MASK128;
    state = (state * MULTIPLIER + inc) & MASK128;
    this.i0 = Number(inc & 0xffffn);
    this.i1 = Number((inc >> 16n) & 0xffffn);
    this.i2 = Number((inc >> 32n) & 0xffffn);
    this.i3 = Number((inc >> 48n) & 0xffffn);
    this.i4 = Number((inc >> 64n) & 0xffffn);
    this.i5 = Number((inc >> 80n) & 0xffffn);
    this.i6 = Number((inc >> 96n) & 0xffffn);
    this.i7 = Number((inc >> 112n) & 0xffffn);
    this.loadState(state);
  }

  private loadState(state: bigint): void {
    this.s0 = Number(state & 0xffffn);
    this.s1 = Number((state >> 16n) & 0xffffn);
    this.s2 = Number((state >> 32n) & 0xffffn);
    this.s3 = Number((state >> 48n) & 0xffffn);
    this.s4 = Number((state >> 64n) & 0xffffn);
    this.s5 = Number((state >> 80n) & 0xffffn);
    this.s6 = Number((state >> 96n) & 0xffffn);
    this.s7 = Number((state >> 112n) & 0xffffn);
  }

  /** The current state, as numpy's `bit_generator.state["state"]` plus the uint32 buffer. */
  get state(): PCG64State {
    const limbs = [this.s0, this.s1, this.s2, this.s3, this.s4, this.s5, this.s6, this.s7];
    const incLimbs = [this.i0, this.i1, this.i2, this.i3, this.i4, this.i5, this.i6, this.i7];
    const join = (l: number[]) => l.reduceRight((acc, limb) => (acc << 16n) | BigInt(limb), 0n);
    return { state: join(limbs), inc: join(incLimbs), hasUint32: this.hasUint32, uinteger: this.uinteger };
  }

  /** One LCG step (state = state * M + inc mod 2^128), then the XSL RR output into outLo/outHi. */
  private step(): void {
    const s0 = this.s0,
      s1 = this.s1,
      s2 = this.s2,
      s3 = this.s3,
      s4 = this.s4,
      s5 = this.s5,
      s6 = this.s6,
      s7 = this.s7;
    // Column k of the schoolbook product, limbs i + j = k only (the rest overflow 2^128).
    // `t & 0xffff` is exact for integers below 2^53 (ToInt32 keeps the low bits); (t - r) / 65536 is an exact shift.
    let t = s0 * M0 + this.i0;
    const r0 = t & 0xffff;
    t = (t - r0) / 65536 + s0 * M1 + s1 * M0 + this.i1;
    const r1 = t & 0xffff;
    t = (t - r1) / 65536 + s0 * M2 + s1 * M1 + s2 * M0 + this.i2;
    const r2 = t & 0xffff;
    t = (t - r2) / 65536 + s0 * M3 + s1 * M2 + s2 * M1 + s3 * M0 + this.i3;
    const r3 = t & 0xffff;
    t = (t - r3) / 65536 + s0 * M4 + s1 * M3 + s2 * M2 + s3 * M1 + s4 * M0 + this.i4;
    const r4 = t & 0xffff;
    t = (t - r4) / 65536 + s0 * M5 + s1 * M4 + s2 * M3 + s3 * M2 + s4 * M1 + s5 * M0 + this.i5;
    const r5 = t & 0xffff;
    t = (t - r5) / 65536 + s0 * M6 + s1 * M5 + s2 * M4 + s3 * M3 + s4 * M2 + s5 * M1 + s6 * M0 + this.i6;
    const r6 = t & 0xffff;
    t = (t - r6) / 65536 + s0 * M7 + s1 * M6 + s2 * M5 + s3 * M4 + s4 * M3 + s5 * M2 + s6 * M1 + s7 * M0 + this.i7;
    const r7 = t & 0xffff;
    this.s0 = r0;
    this.s1 = r1;
    this.s2 = r2;
    this.s3 = r3;
    this.s4 = r4;
    this.s5 = r5;
    this.s6 = r6;
    this.s7 = r7;
    // pcg_output_xsl_rr_128_64: rotr64(high64 ^ low64, state >> 122)
    let lo = ((r1 << 16) | r0) ^ ((r5 << 16) | r4);
    let hi = ((r3 << 16) | r2) ^ ((r7 << 16) | r6);
    let rot = r7 >>> 10;
    if (rot >= 32) {
      const x = lo;
      lo = hi;
      hi = x;
      rot -= 32;
    }
    if (rot !== 0) {
      const nlo = (lo >>> rot) | (hi << (32 - rot));
      hi = (hi >>> rot) | (lo << (32 - rot));
      lo = nlo;
    }
    this.outLo = lo >>> 0;
    this.outHi = hi >>> 0;
  }

  /**
   * numpy's `next_uint32` (pcg64_next32): the low half of a fresh 64-bit output, and on the next
   * call its high half. The buffered half survives 64-bit draws in between, as in numpy.
   */
  nextUint32(): number {
    if (this.hasUint32) {
      this.hasUint32 = false;
      return this.uinteger;
    }
    this.step();
    this.hasUint32 = true;
    this.uinteger = this.outHi;
    return this.outLo;
  }

  /** numpy's `next_uint64` (also `random_raw()`): one 64-bit output, as a bigint. */
  nextUint64(): bigint {
    this.step();
    return (BigInt(this.outHi) << 32n) | BigInt(this.outLo);
  }

  /** numpy's `next_double`: the top 53 bits of a 64-bit output scaled into [0, 1). */
  nextDouble(): number {
    this.step();
    return (this.outHi * 2097152 + (this.outLo >>> 11)) / 9007199254740992;
  }

  /** numpy's `random_raw(size)`: `size` raw 64-bit outputs. */
  randomRaw(size: number): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i < size; i++) out.push(this.nextUint64());
    return out;
  }
}
