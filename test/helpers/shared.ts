import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestDataRoots } from "./test-data.js";

/** The repository root (this file is test/helpers/shared.ts). */
export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * `../shared` beside the repo (or the folder FINETUNE_PREP_SHARED names): the reference data CI has.
 * It is optional: without it the suite downloads the Hub's files once and computes the rest (see
 * test-data.ts). Never copied into the repo.
 */
export const sharedDir = resolve(process.env.FINETUNE_PREP_SHARED ?? join(repoRoot, "..", "shared"));

/** Where the suite's own test data goes: computed reference files, and the Hub's files when there is no ../shared. */
export const testDataDir = resolve(process.env.FINETUNE_PREP_TEST_DATA ?? join(repoRoot, "build", "test-data"));

/** The file in testDataDir that says where each part of the data is ({@link TestDataRoots}), written by the global setup. */
export const TEST_DATA_ROOTS_FILE = "roots.json";

let roots: TestDataRoots | undefined;
function dataRoots(): TestDataRoots {
  if (!roots) {
    const file = join(testDataDir, TEST_DATA_ROOTS_FILE);
    if (!existsSync(file))
      throw new Error(
        `No test data at ${file}: run the tests with vitest and test/vitest.config.ts, whose global setup (test/helpers/global-setup.ts) lays it out.`,
      );
    roots = JSON.parse(readFileSync(file, "utf8")) as TestDataRoots;
  }
  return roots;
}

/**
 * A path in ../shared's layout — `hf-home/…` (Pythia-70m and the lamini dataset in a Hugging Face
 * cache), `data/lamini_docs.jsonl`, `reference/…` — wherever this run has it: in ../shared, or in
 * the suite's own test data. A missing file fails loudly.
 */
export function sharedPath(...parts: string[]): string {
  const [first, ...rest] = parts;
  if (first !== "hf-home" && first !== "data" && first !== "reference")
    throw new Error(`sharedPath: no "${first}" in the test data; it has hf-home/, data/ and reference/.`);
  const p = join(dataRoots()[first], ...rest);
  if (!existsSync(p)) throw new Error(`Test data file missing: ${p}`);
  return p;
}

/** HF_HOME holding the Pythia-70m tokenizer and the lamini dataset, in Python's cache layout. */
export const hfHome = () => sharedPath("hf-home");

/** The snapshot folder of EleutherAI/pythia-70m inside ../shared/hf-home. */
export function pythiaDir(): string {
  const repo = sharedPath("hf-home", "hub", "models--EleutherAI--pythia-70m");
  const commit = readFileSync(join(repo, "refs", "main"), "utf8").trim();
  return join(repo, "snapshots", commit);
}

export interface ReferenceIds {
  index: number;
  prompt_tokens: number;
  input_ids: number[];
}

/** reference/pythia70m_lamini_ids.jsonl, parsed: the Rust engine's ids (= Python's fast tokenizer's) for the 1,400 lamini rows. */
export function referenceIds(): ReferenceIds[] {
  return readFileSync(sharedPath("reference", "pythia70m_lamini_ids.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as ReferenceIds);
}

export interface LaminiRow {
  question: string;
  answer: string;
}

/** data/lamini_docs.jsonl, parsed (1,400 rows). */
export function laminiRows(): LaminiRow[] {
  return readFileSync(sharedPath("data", "lamini_docs.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LaminiRow);
}

export interface ReferenceSplit {
  n: number;
  seed: number;
  test_size: number;
  n_test: number;
  test_indices: number[];
  train_indices: number[];
}

/** reference/split_n1400_seed123.json: numpy's permutation cut as datasets' train_test_split(test_size=0.1, seed=123). */
export function referenceSplit(): ReferenceSplit {
  return JSON.parse(readFileSync(sharedPath("reference", "split_n1400_seed123.json"), "utf8")) as ReferenceSplit;
}
