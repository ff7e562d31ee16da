import { mkdirSync, mkdtempSync, readdirSync, rmSync, lstatSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, vi } from "vitest";
import type { HubParams } from "../../src/hub/index.js";

const HF_VARS = [
  "HF_TOKEN",
  "HUGGING_FACE_HUB_TOKEN",
  "HF_TOKEN_PATH",
  "HF_HOME",
  "HF_HUB_CACHE",
  "HUGGINGFACE_HUB_CACHE",
  "XDG_CACHE_HOME",
  "HF_ENDPOINT",
  "HF_HUB_OFFLINE",
  "TRANSFORMERS_OFFLINE",
  "HF_DATASETS_OFFLINE",
  "HF_HUB_DOWNLOAD_TIMEOUT",
];

/**
 * Each test gets a temp folder (`ctx.dir`) with a cache in it (`ctx.cacheDir`), and an environment
 * with no Hugging Face variable set (HF_HOME points into the temp folder, so no real token file is read).
 */
export function useHubTestEnv(): { dir: string; cacheDir: string } {
  const ctx = { dir: "", cacheDir: "" };
  beforeEach(() => {
    ctx.dir = mkdtempSync(join(tmpdir(), "ftp-hub-"));
    ctx.cacheDir = join(ctx.dir, "cache");
    mkdirSync(ctx.cacheDir);
    for (const v of HF_VARS) vi.stubEnv(v, undefined);
    vi.stubEnv("HF_HOME", join(ctx.dir, "hf-home"));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(ctx.dir, { recursive: true, force: true });
  });
  return ctx;
}

/** Fast retries for tests: same policy, millisecond delays. */
export function fast(endpoint: string, cacheDir: string, extra: HubParams = {}): HubParams {
  return { endpoint, cacheDir, progress: false, retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 5 }, timeoutMs: 5_000, ...extra };
}

/** Every path under `dir` (files, links, folders), relative, sorted. */
export function tree(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const rel = prefix ? `${prefix}/${name}` : name;
    out.push(rel);
    const full = join(dir, name);
    if (lstatSync(full).isDirectory()) out.push(...tree(full, rel));
  }
  return out.sort();
}
