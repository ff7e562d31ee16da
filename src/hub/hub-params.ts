import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

export type RepoType = "model" | "dataset" | "space";

/** How failed requests are retried: network errors, 429 and 5xx only (never another 4xx). */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 5. */
  maxAttempts?: number;
  /** Wait before the first retry, doubled at each further one. Default 1000 ms (Python's http_backoff). */
  baseDelayMs?: number;
  /** Cap on one wait (also on a 429's Retry-After). Default 8000 ms. */
  maxDelayMs?: number;
}

/** Options shared by everything that reads from the Hub or its cache. Each defaults as Python's huggingface_hub does. */
export interface HubParams {
  /** Branch, tag or 40-hex commit. Default "main". */
  revision?: string;
  /** The cache root (Python's HF_HUB_CACHE). Default `HF_HUB_CACHE`, else `HF_HOME/hub`, else `~/.cache/huggingface/hub`. */
  cacheDir?: string;
  /** Read the cache only, never the network. Default: `HF_HUB_OFFLINE` (or `TRANSFORMERS_OFFLINE`) set to 1/true. */
  offline?: boolean;
  /** Hub URL. Default `HF_ENDPOINT`, else https://huggingface.co. The token is only ever sent to this origin. */
  endpoint?: string;
  /** Access token for gated and private repos. Default `HF_TOKEN`, else the token file `hf auth login` writes (`HF_TOKEN_PATH`, else `HF_HOME/token`). */
  accessToken?: string;
  /** Show download progress (a bar on a terminal, a display in a notebook). Default true. */
  progress?: boolean;
  /** fetch to use (tests, proxies). Default the global fetch. */
  fetch?: typeof fetch;
  /** Retries of failed requests and downloads. Defaults as Python's `http_backoff`: 5 attempts, 1 s doubling to 8 s. */
  retry?: RetryOptions;
  /**
   * Milliseconds without a byte from the server (headers or body) before a request is abandoned
   * (and retried). Default `HF_HUB_DOWNLOAD_TIMEOUT` seconds, else 10 s, as Python.
   */
  timeoutMs?: number;
  /**
   * Milliseconds to wait for the Hub's answer to the HEAD request that asks which commit a file is
   * at (Python's `etag_timeout`). Default `HF_HUB_ETAG_TIMEOUT` seconds, else 10 s, as Python. When
   * it runs out and the file is cached, the cached copy is used.
   */
  etagTimeoutMs?: number;
  /**
   * Where the Hub layer's warnings go — today one: "Hub unreachable (reason): using the cached
   * files", said once per process. Default: process.emitWarning.
   */
  onWarning?: (message: string) => void;
}

/** HubParams with every default filled in. */
export interface HubSettings {
  revision: string;
  cacheDir: string;
  offline: boolean;
  endpoint: string;
  accessToken: string | undefined;
  progress: boolean;
  fetch: typeof fetch;
  retry: Required<RetryOptions>;
  timeoutMs: number;
  etagTimeoutMs: number;
  onWarning: (message: string) => void;
}

export const DEFAULT_ENDPOINT = "https://huggingface.co";

function isTrue(v: string | undefined): boolean {
  return v !== undefined && ["1", "on", "yes", "true"].includes(v.trim().toLowerCase());
}

/** HF_HOME as Python computes it: `HF_HOME`, else `$XDG_CACHE_HOME/huggingface`, else `~/.cache/huggingface`. */
export function hfHome(env: NodeJS.ProcessEnv = process.env): string {
  return env.HF_HOME || join(env.XDG_CACHE_HOME || join(homedir(), ".cache"), "huggingface");
}

/** The hub cache folder: `HF_HUB_CACHE`, else the legacy `HUGGINGFACE_HUB_CACHE`, else `HF_HOME/hub`. */
export function hfHubCache(env: NodeJS.ProcessEnv = process.env): string {
  return env.HF_HUB_CACHE || env.HUGGINGFACE_HUB_CACHE || join(hfHome(env), "hub");
}

/** Whether the environment asks for offline mode, as huggingface_hub reads it. */
export function isOfflineEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  return isTrue(env.HF_HUB_OFFLINE) || isTrue(env.TRANSFORMERS_OFFLINE) || isTrue(env.HF_DATASETS_OFFLINE);
}

/** The token: `HF_TOKEN`, else the file `hf auth login` writes. Never logged anywhere. */
export function hfToken(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const fromEnv = env.HF_TOKEN?.trim() || env.HUGGING_FACE_HUB_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  try {
    const fromFile = readFileSync(env.HF_TOKEN_PATH || join(hfHome(env), "token"), "utf8").trim();
    return fromFile || undefined;
  } catch {
    return undefined;
  }
}

function envSeconds(v: string | undefined): number | undefined {
  if (v === undefined || v.trim() === "") return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n > 0 ? n * 1000 : undefined;
}

export function resolveHubSettings(params: HubParams = {}, env: NodeJS.ProcessEnv = process.env): HubSettings {
  const retry = params.retry ?? {};
  return {
    revision: params.revision ?? "main",
    cacheDir: params.cacheDir ?? hfHubCache(env),
    offline: params.offline ?? isOfflineEnv(env),
    endpoint: (params.endpoint ?? (env.HF_ENDPOINT || DEFAULT_ENDPOINT)).replace(/\/+$/, ""),
    accessToken: params.accessToken ?? hfToken(env),
    progress: params.progress ?? true,
    fetch: params.fetch ?? globalThis.fetch,
    retry: {
      maxAttempts: Math.max(1, Math.floor(retry.maxAttempts ?? 5)),
      baseDelayMs: Math.max(0, retry.baseDelayMs ?? 1000),
      maxDelayMs: Math.max(0, retry.maxDelayMs ?? 8000),
    },
    timeoutMs: params.timeoutMs ?? envSeconds(env.HF_HUB_DOWNLOAD_TIMEOUT) ?? 10_000,
    etagTimeoutMs: params.etagTimeoutMs ?? envSeconds(env.HF_HUB_ETAG_TIMEOUT) ?? 10_000,
    onWarning: params.onWarning ?? ((message: string) => process.emitWarning(message, { code: "FINETUNE_PREP_HUB" })),
  };
}

/** `models--ORG--NAME`, `datasets--ORG--NAME`: the folder of a repo inside the cache. */
export function repoFolderName(repoId: string, repoType: RepoType = "model"): string {
  return [`${repoType}s`, ...repoId.split("/")].join("--");
}
