import { IntegrityError } from "../errors.js";

/**
 * The split covers every one of the `n` input rows exactly once (train and test disjoint, nothing lost):
 * anything else is a bug, stopped here with an IntegrityError before a file is written.
 */
export function checkSplitIndices(n: number, indices: { train: number[]; test: number[] }): void {
  const seen = new Uint8Array(n);
  for (const i of [...indices.train, ...indices.test]) {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new IntegrityError(`The split holds row ${i}, outside the ${n} input rows.`);
    if (seen[i]) throw new IntegrityError(`Row ${i} is in the split twice (train and test must be disjoint).`);
    seen[i] = 1;
  }
  if (indices.train.length + indices.test.length !== n) {
    throw new IntegrityError(`train (${indices.train.length}) + test (${indices.test.length}) rows ≠ ${n} input rows.`);
  }
}
