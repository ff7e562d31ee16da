import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root (this file is test/helpers/shared.ts). */
export const repoRoot = resolve(fileURLToPath(new URL("../..", import.meta.url)));

/**
 * `../shared` beside the repo: the reference data the tests compare against. It is never copied into
 * the repo; when it is missing the tests that need it fail (loudly, with this message), they do not skip.
 */
export const sharedDir = resolve(repoRoot, "..", "shared");

export function sharedPath(...parts: string[]): string {
  if (!existsSync(sharedDir)) {
    throw new Error(
      `Reference data not found at ${sharedDir}. The tests read ../shared beside the repository ` +
        `(hf-home/, data/, reference/); clone the repo next to it.`,
    );
  }
  const p = join(sharedDir, ...parts);
  if (!existsSync(p)) throw new Error(`Reference file missing: ${p}`);
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

/** ../shared/reference/pythia70m_lamini_ids.jsonl, parsed. */
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

/** ../shared/data/lamini_docs.jsonl, parsed (1,400 rows). */
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

export function referenceSplit(): ReferenceSplit {
  return JSON.parse(readFileSync(sharedPath("reference", "split_n1400_seed123.json"), "utf8")) as ReferenceSplit;
}
