// Checks a `prepare` output against Python's split: the rows of test and train are the input rows
// at numpy's default_rng(seed).permutation(n) positions, in that order (datasets' train_test_split:
// test = permutation[:n_test], train = the rest). Rows are compared by a digest of their text.
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { generateRows } from "./generate-rows.mjs";

/** numpy's permutation, from numpy itself when python3 has it; else undefined. */
function numpyPermutation(n, seed) {
  const script =
    "import sys, numpy as np; sys.stdout.buffer.write(np.random.default_rng(int(sys.argv[1])).permutation(int(sys.argv[2])).astype('<i4').tobytes())";
  for (const python of ["python3", "/usr/bin/python3"]) {
    try {
      const out = execFileSync(python, ["-c", script, String(seed), String(n)], { maxBuffer: 8 * n + 1024, stdio: ["ignore", "pipe", "ignore"] });
      return { source: `numpy (${python})`, permutation: new Int32Array(out.buffer, out.byteOffset, n) };
    } catch {
      // Try the next interpreter.
    }
  }
  return undefined;
}

const digest = (text) => createHash("sha1").update(text).digest().subarray(0, 16);

export async function checkSplit({ lib, source, count, seed, outDir, format, splitSeed = 123, testSize = 0.1 }) {
  const numpy = numpyPermutation(count, splitSeed);
  const permutation = numpy?.permutation ?? Int32Array.from(lib.permutation(count, splitSeed));
  // One digest per input row, of the text prepare writes: the formatted question, then the answer.
  const rows = Buffer.alloc(16 * count);
  let i = 0;
  for (const row of generateRows(source, count, seed)) digest(`### Question:\n${row.question}\n\n### Answer:\u0000${row.answer}`).copy(rows, 16 * i++);
  const nTest = Math.ceil(testSize * count);
  const result = { permutationFrom: numpy?.source ?? "the library's port (no python3 with numpy found)", splits: {} };
  for (const [name, from, to] of [
    ["test", 0, nTest],
    ["train", nTest, count],
  ]) {
    const expected = createHash("sha256");
    for (let j = from; j < to; j++) expected.update(rows.subarray(16 * permutation[j], 16 * permutation[j] + 16));
    const actual = createHash("sha256");
    let n = 0;
    for await (const batch of lib.readDataFile(join(outDir, `${name}.${format}`), { columns: ["question", "answer"] })) {
      for (const r of batch) actual.update(digest(`${r.question}\u0000${r.answer}`));
      n += batch.length;
    }
    result.splits[name] = { rows: n, expectedRows: to - from, inPermutationOrder: n === to - from && expected.digest("hex") === actual.digest("hex") };
  }
  result.ok = Object.values(result.splits).every((s) => s.inPermutationOrder);
  return result;
}
