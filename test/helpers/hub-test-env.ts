// The setup every test that talks to a Hub (or reads a Hugging Face cache) shares: a neutral
// environment with a temp cache per test, and the loopback Hub server for a test file or describe.
import { lstatSync, mkdirSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, vi } from "vitest";
import type { HubParams } from "../../src/hub/index.js";
import { unreachableHubs } from "../../src/hub/unreachable-hubs.js";
import { type HubServer, type HubServerOptions, startHubServer } from "./hub-server.js";
import { tempDirPerTest } from "./temp-dir.js";

/** Every variable huggingface_hub (and so src/hub) reads: unset for each test. */
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
  "HF_HUB_ETAG_TIMEOUT",
];

/**
 * Each test gets a temp folder (`ctx.dir`) with an empty cache in it (`ctx.cacheDir`), and an
 * environment with no Hugging Face variable set (HF_HOME points into the temp folder, so no real
 * token file or cache of the machine is read). Call it in a describe, or at the top of a test file.
 */
export function useHubTestEnv(): { readonly dir: string; readonly cacheDir: string } {
  const tmp = tempDirPerTest("ftp-hub-");
  beforeEach(() => {
    mkdirSync(tmp.path("cache"));
    for (const v of HF_VARS) vi.stubEnv(v, undefined);
    // A Hub found unreachable by an earlier test (a closed port the OS may hand out again) is forgotten.
    unreachableHubs.reset();
    vi.stubEnv("HF_HOME", tmp.path("hf-home"));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
  });
  return {
    get dir() {
      return tmp.dir;
    },
    get cacheDir() {
      return tmp.path("cache");
    },
  };
}

/**
 * The loopback Hub (test/helpers/hub-server.ts) started before the tests of the enclosing describe
 * (or file) and closed after them. The object returned stands for the running server.
 */
export function useHubServer(options: HubServerOptions = {}): HubServer {
  let server: HubServer | undefined;
  beforeAll(async () => {
    server = await startHubServer(options);
  });
  afterAll(async () => {
    await server?.close();
    server = undefined;
  });
  return new Proxy({} as HubServer, {
    get(_target, key) {
      if (server === undefined) throw new Error("useHubServer: the server runs only while the tests of its describe (or file) run.");
      const value: unknown = Reflect.get(server, key, server);
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(server) : value;
    },
  });
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
