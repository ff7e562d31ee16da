import { describe, expect, it } from "vitest";
import { defaultRng, PCG64, SeedSequence } from "../../../src/dataset/numpy-random/index.js";
import { numpyFixture, seedOf } from "./numpy-fixtures.js";

interface Pcg64Case {
  seed: string;
  state: string;
  inc: string;
  randomRaw: string[];
  random: number[];
  interleaved: { uint32a: number[]; random: number; uint32b: number[] };
}

const cases = numpyFixture<Pcg64Case>("pcg64.json").cases;

describe("PCG64 equals numpy's", () => {
  it("has a fixture case per seed", () => {
    expect(cases.map((c) => c.seed)).toContain((2n ** 128n + 7n).toString());
    expect(cases.length).toBe(12);
  });

  for (const c of cases) {
    describe(`seed ${c.seed}`, () => {
      it("seeds the same 128-bit state and increment", () => {
        const s = new PCG64(seedOf(c.seed)).state;
        expect(s.state.toString()).toBe(c.state);
        expect(s.inc.toString()).toBe(c.inc);
        expect(s.hasUint32).toBe(false);
      });

      it("gives the same raw 64-bit outputs", () => {
        expect(new PCG64(seedOf(c.seed)).randomRaw(8).map(String)).toEqual(c.randomRaw);
      });

      it("gives the same random() floats", () => {
        const rng = defaultRng(seedOf(c.seed));
        expect(c.random.map(() => rng.random())).toEqual(c.random);
      });

      it("hands out 32-bit halves low first, keeping the high half across a 64-bit draw", () => {
        const rng = defaultRng(seedOf(c.seed));
        const bg = rng.bitGenerator;
        const a = [bg.nextUint32(), bg.nextUint32(), bg.nextUint32()];
        expect(bg.state.hasUint32).toBe(true);
        const f = rng.random();
        const b = [bg.nextUint32(), bg.nextUint32(), bg.nextUint32()];
        expect({ a, f, b }).toEqual({ a: c.interleaved.uint32a, f: c.interleaved.random, b: c.interleaved.uint32b });
      });
    });
  }

  it("takes a SeedSequence and keeps it", () => {
    const ss = new SeedSequence(42);
    const bg = new PCG64(ss);
    expect(bg.seedSeq).toBe(ss);
    expect(bg.randomRaw(3)).toEqual(new PCG64(42).randomRaw(3));
  });

  it("splits each 64-bit output into the two 32-bit draws", () => {
    const raw = new PCG64(7).nextUint64();
    const bg = new PCG64(7);
    const lo = BigInt(bg.nextUint32());
    const hi = BigInt(bg.nextUint32());
    expect((hi << 32n) | lo).toBe(raw);
  });
});
