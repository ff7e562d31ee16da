import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { repoRoot } from "../../helpers/shared.js";

/** test/fixtures/numpy/<name>, written by test/fixtures/numpy/generate.py from numpy itself. */
export function numpyFixture<T>(name: string): { cases: T[] } {
  return JSON.parse(readFileSync(join(repoRoot, "test", "fixtures", "numpy", name), "utf8")) as { cases: T[] };
}

/** Seeds are stored as decimal strings (most do not fit a double). */
export const seedOf = (s: string): bigint => BigInt(s);

/** sha256 of the values as little-endian int32, as generate.py hashes numpy's arrays. */
export function sha256Int32(values: ArrayLike<number>): string {
  const buf = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) buf.writeInt32LE(values[i]!, i * 4);
  return createHash("sha256").update(buf).digest("hex");
}

export interface PermutationCase {
  n: number;
  seed: string;
  values?: number[];
  sha256?: string;
  head?: number[];
  tail?: number[];
}
