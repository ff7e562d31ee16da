// Shared by the bench scripts: where things are, the library import, hashing ids, the machine.
import { createHash } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { availableParallelism, cpus, loadavg, totalmem } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const benchDir = dirname(dirname(fileURLToPath(import.meta.url)));
export const repoRoot = dirname(benchDir);
export const dataDir = join(benchDir, "data");

/** The built library: `dist/` of the repo, or FINETUNE_PREP_DIST. */
export function distDir() {
  return resolve(process.env.FINETUNE_PREP_DIST ?? join(repoRoot, "dist"));
}

export async function importLibrary() {
  return import(pathToFileURL(join(distDir(), "index.js")).href);
}

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Refuses to measure a build that is missing or older than the sources (the numbers would be of other code). */
export function checkBuild() {
  const entry = join(distDir(), "index.js");
  if (!existsSync(entry)) throw new Error(`No build at ${entry}: run \`npm run build\` first.`);
  const src = newestMtime(join(repoRoot, "src"));
  if (statSync(entry).mtimeMs < src) throw new Error(`${entry} is older than src/: run \`npm run build\` first (or pass --stale to measure it anyway).`);
}

/**
 * Where the Pythia tokenizer and the lamini dataset come from: the Hugging Face cache (HF_HOME).
 * When HF_HOME is not set and the repo's sibling ../shared/hf-home exists (the project's reference
 * data), that one, offline.
 */
export function hubEnv() {
  const env = { ...process.env };
  const shared = resolve(repoRoot, "..", "shared", "hf-home");
  if (env.HF_HOME === undefined && existsSync(shared)) {
    env.HF_HOME = shared;
    env.HF_HUB_OFFLINE = env.HF_HUB_OFFLINE ?? "1";
  }
  return env;
}

/** A digest of ids and row boundaries: equal digests, equal ids row for row. */
export class IdsHash {
  #hash = createHash("sha256");
  rows = 0;
  tokens = 0;
  /** Adds rows given flat (values + offsets, as a RaggedInt32Column). */
  addFlat(values, offsets) {
    const n = offsets.length - 1;
    for (let i = 0; i < n; i++) {
      const row = values.subarray(offsets[i], offsets[i + 1]);
      this.#hash.update(Buffer.from(Int32Array.of(row.length).buffer));
      this.#hash.update(Buffer.from(row.buffer, row.byteOffset, row.byteLength));
    }
    this.rows += n;
    this.tokens += values.length;
  }
  /** Adds one row given as an array. */
  addRow(ids) {
    const row = Int32Array.from(ids);
    this.#hash.update(Buffer.from(Int32Array.of(row.length).buffer));
    this.#hash.update(Buffer.from(row.buffer));
    this.rows++;
    this.tokens += row.length;
  }
  digest() {
    return this.#hash.digest("hex").slice(0, 16);
  }
}

export function machine() {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    availableParallelism: availableParallelism(),
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    // Other work on the machine slows both engines, the multi-threaded one more: recorded with the numbers.
    loadAverage1m: Number(loadavg()[0].toFixed(2)),
  };
}

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Peak resident set size of this process so far, in MB. */
export function peakRssMB() {
  return process.resourceUsage().maxRSS / 1024;
}
