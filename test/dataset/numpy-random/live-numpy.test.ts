import { execFileSync } from "node:child_process";
import { randomBytes, randomInt } from "node:crypto";
import { describe, expect, it } from "vitest";
import { permutation } from "../../../src/dataset/numpy-random/index.js";
import { sha256Int32 } from "./numpy-fixtures.js";

/**
 * Live cross-check against numpy itself (Debian's python3-numpy, which CI installs), on pairs the
 * fixtures do not hold: fresh random (n, seed) each run. Missing python or numpy fails the test.
 */
const PYTHON = "/usr/bin/python3";

const SCRIPT = `
import hashlib, json, sys
import numpy as np
out = {"numpy": np.__version__, "results": []}
for n, seed in json.loads(sys.argv[1]):
    p = np.random.default_rng(int(seed)).permutation(n)
    out["results"].append({"head": [int(v) for v in p[:50]], "sha256": hashlib.sha256(np.asarray(p, dtype="<i4").tobytes()).hexdigest()})
print(json.dumps(out))
`;

function randomBigSeed(bytes: number): bigint {
  return BigInt(`0x${randomBytes(bytes).toString("hex")}`);
}

function runNumpy(pairs: [number, string][]): { numpy: string; results: { head: number[]; sha256: string }[] } {
  let stdout: string;
  try {
    stdout = execFileSync(PYTHON, ["-c", SCRIPT, JSON.stringify(pairs)], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    throw new Error(
      `The live numpy cross-check could not run ${PYTHON} with numpy: ${err.code === "ENOENT" ? `${PYTHON} not found` : (err.stderr || err.message).trim()}\n` +
        `  Install it (Debian/Ubuntu: apt-get install -y python3-numpy); CI's .ci/run does.`,
    );
  }
  return JSON.parse(stdout) as ReturnType<typeof runNumpy>;
}

describe("live cross-check with numpy", () => {
  it("permutation(n, seed) equals numpy's for random n and seeds of 32, 64 and 128+ bits", () => {
    const pairs: [number, string][] = [
      [randomInt(0, 20), String(randomInt(0, 2 ** 32))],
      [randomInt(20, 5000), String(randomInt(0, 2 ** 48 - 1))],
      [randomInt(5000, 70000), randomBigSeed(8).toString()],
      [randomInt(1000, 3000), randomBigSeed(16).toString()],
      [randomInt(100, 1000), randomBigSeed(40).toString()],
      [randomInt(150000, 300000), String(randomInt(0, 1000))],
    ];
    const numpy = runNumpy(pairs);
    pairs.forEach(([n, seed], k) => {
      const ours = permutation(n, BigInt(seed));
      const theirs = numpy.results[k]!;
      const where = `n=${n}, seed=${seed} (numpy ${numpy.numpy})`;
      expect(ours.slice(0, 50), where).toEqual(theirs.head);
      expect(sha256Int32(ours), where).toBe(theirs.sha256);
    });
  });
});
