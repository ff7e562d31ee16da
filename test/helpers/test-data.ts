/**
 * The test suite's data, laid out as ../shared is (`hf-home/`, `data/`, `reference/`), so that the
 * suite runs on a machine that has ../shared (CI here) and on one that has only a clone:
 *
 * - Inputs that come from the Hub — Pythia-70m's tokenizer files and the lamini dataset — are read
 *   from ../shared/hf-home when it is there; otherwise they are downloaded once, with the project's
 *   own downloader (src/hub, `hfHubDownload`), into a Hugging Face cache of the suite's own
 *   (build/test-data/hf-home; later runs find them there, offline). `data/lamini_docs.jsonl` is
 *   ../shared's, or the dataset's Parquet file written as JSON Lines (read by DuckDB, an independent
 *   reader).
 * - Reference data that can be computed is computed on every run, from the oracles at hand:
 *   `reference/pythia70m_lamini_ids.jsonl` from the Rust engine behind Python's fast tokenizers (npm
 *   `tokenizers`), `reference/split_n1400_seed123.json` from numpy itself (Debian's python3-numpy).
 *   When ../shared holds Python's own files for them, the computed ones must equal them, or the
 *   setup fails.
 *
 * test/helpers/global-setup.ts runs {@link prepareTestData} once before the tests; test/helpers/shared.ts
 * reads what it wrote.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { Tokenizer as RustTokenizer } from "tokenizers";
import { hfHubDownload } from "../../src/hub/index.js";

/** Where each part of the ../shared layout is on this run. */
export interface TestDataRoots {
  /** "shared": ../shared was there; "hub": its inputs came from the Hub (or from an earlier download). */
  source: "shared" | "hub";
  /** A Hugging Face home (its `hub/` is the cache) holding the Pythia tokenizer and the lamini dataset. */
  "hf-home": string;
  /** A folder holding lamini_docs.jsonl. */
  data: string;
  /** A folder holding pythia70m_lamini_ids.jsonl and split_n1400_seed123.json (computed). */
  reference: string;
}

export interface PrepareTestDataParams {
  /** The shared folder to use when it exists (../shared, or FINETUNE_PREP_SHARED). */
  sharedDir: string;
  /** Where the computed data (and, without sharedDir, the suite's Hugging Face cache) goes. */
  outDir: string;
  /** The Hub's URL, for downloads (default: HF_ENDPOINT, else huggingface.co). */
  endpoint?: string;
}

/** The Hub files the suite reads: [repo type, repo id, paths]. */
export const HUB_FILES = [
  ["model", "EleutherAI/pythia-70m", ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "config.json"]],
  ["dataset", "kotzeje/lamini_docs.jsonl", ["README.md", "data/train-00000-of-00001.parquet"]],
] as const;

/** The prompt template of the reference ids: the original notebook's. */
const TEMPLATE = (question: string) => `### Question:\n${question}\n\n### Answer:`;

/** Writes a file atomically: runs started at the same time never read one half-written. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The Hub files in `cacheDir`: from the cache when there (no network), else downloaded. */
async function fetchHubFiles(cacheDir: string, endpoint: string | undefined): Promise<void> {
  for (const [repoType, repoId, paths] of HUB_FILES) {
    for (const path of paths) {
      const params = { repoId, repoType, path, cacheDir, progress: false, ...(endpoint !== undefined ? { endpoint } : {}) };
      try {
        await hfHubDownload({ ...params, offline: true });
      } catch {
        try {
          await hfHubDownload({ ...params, offline: false });
        } catch (e) {
          throw new Error(
            `The test data needs ${repoId}/${path} from the Hugging Face Hub and could not download it (${(e as Error).message}). ` +
              `Clone the repository beside a ../shared folder that holds it, or let the Hub be reached once (HF_ENDPOINT for a mirror).`,
            { cause: e },
          );
        }
      }
    }
  }
}

/** The commit `refs/main` names in a cached repo, and its snapshot folder. */
export function snapshotDir(hubCache: string, folder: string): string {
  const repo = join(hubCache, folder);
  return join(repo, "snapshots", readFileSync(join(repo, "refs", "main"), "utf8").trim());
}

/** The lamini rows of the dataset's Parquet file, in file order, as DuckDB reads them. */
async function laminiRowsFromParquet(file: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(":memory:");
  const con = await instance.connect();
  try {
    const path = file.replace(/'/g, "''");
    const rows = (await con.runAndReadAll(`SELECT * FROM read_parquet('${path}', file_row_number = true) ORDER BY file_row_number`)).getRowObjectsJS();
    return rows.map(({ file_row_number: _, ...row }) => row);
  } finally {
    con.closeSync();
    instance.closeSync();
  }
}

/** Python's fast tokenizer's ids for each row's templated text, and the templated question's token count, from the Rust engine. */
async function computeReferenceIds(tokenizerJson: string, rows: { question: string; answer: string }[]): Promise<string> {
  const rust = RustTokenizer.fromFile(tokenizerJson);
  const prompts = rows.map((row) => TEMPLATE(row.question));
  const full = await rust.encodeBatch(rows.map((row, i) => prompts[i]! + row.answer));
  const promptOnly = await rust.encodeBatch(prompts);
  const lines = rows.map((_, index) => JSON.stringify({ index, prompt_tokens: promptOnly[index]!.getIds().length, input_ids: full[index]!.getIds() }));
  return `${lines.join("\n")}\n`;
}

/** `datasets.Dataset.train_test_split(test_size=0.1, seed=123)`'s indices for n rows, from numpy itself. */
function computeReferenceSplit(n: number, seed: number, testSize: number): string {
  const script = [
    "import json, math, sys",
    "import numpy as np",
    "n, seed, test_size = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])",
    // datasets: n_test = ceil(test_size * n); permutation[:n_test] is test, the rest train.
    "n_test = math.ceil(test_size * n)",
    "perm = np.random.default_rng(seed).permutation(n)",
    "print(json.dumps({'n': n, 'seed': seed, 'test_size': test_size, 'n_test': n_test, 'test_indices': perm[:n_test].tolist(), 'train_indices': perm[n_test:].tolist()}))",
  ].join("\n");
  try {
    return execFileSync("/usr/bin/python3", ["-c", script, String(n), String(seed), String(testSize)], { encoding: "utf8" });
  } catch (e) {
    throw new Error(
      `numpy (python3) computes the reference split: install it with scripts/install-system-packages.sh (Debian's python3-numpy). ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** Same numbers, however each JSON file spells them. */
function sameJson(a: string, b: string): boolean {
  const parse = (s: string) =>
    s
      .split("\n")
      .filter((l) => l.trim() !== "")
      .map((l) => JSON.parse(l) as unknown);
  return JSON.stringify(parse(a)) === JSON.stringify(parse(b));
}

/** Lays out the test data under `outDir` (see the file's header) and returns where each part is. */
export async function prepareTestData(params: PrepareTestDataParams): Promise<TestDataRoots> {
  const { sharedDir, outDir } = params;
  const shared = existsSync(sharedDir);
  const reference = join(outDir, "reference");
  mkdirSync(reference, { recursive: true });

  let hfHome: string;
  let data: string;
  if (shared) {
    hfHome = join(sharedDir, "hf-home");
    data = join(sharedDir, "data");
  } else {
    hfHome = join(outDir, "hf-home");
    data = join(outDir, "data");
    mkdirSync(data, { recursive: true });
    await fetchHubFiles(join(hfHome, "hub"), params.endpoint);
    const parquet = join(snapshotDir(join(hfHome, "hub"), "datasets--kotzeje--lamini_docs.jsonl"), "data", "train-00000-of-00001.parquet");
    const rows = await laminiRowsFromParquet(parquet);
    writeAtomic(join(data, "lamini_docs.jsonl"), `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`);
  }

  const rows = readFileSync(join(data, "lamini_docs.jsonl"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { question: string; answer: string });
  const tokenizerJson = join(snapshotDir(join(hfHome, "hub"), "models--EleutherAI--pythia-70m"), "tokenizer.json");
  const computed = {
    "pythia70m_lamini_ids.jsonl": await computeReferenceIds(tokenizerJson, rows),
    "split_n1400_seed123.json": computeReferenceSplit(rows.length, 123, 0.1),
  };
  for (const [name, text] of Object.entries(computed)) {
    const python = join(sharedDir, "reference", name);
    if (shared && existsSync(python) && !sameJson(text, readFileSync(python, "utf8"))) {
      throw new Error(`The computed ${name} differs from Python's own, ${python}: the oracle (or its input) is not what the tests assume.`);
    }
    writeAtomic(join(reference, name), text);
  }
  return { source: shared ? "shared" : "hub", "hf-home": hfHome, data, reference };
}
