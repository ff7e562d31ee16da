import { HubHttpError } from "../errors.js";
import { displayUrl, hubErrorFromResponse, networkError } from "./hub-error-from-response.js";
import type { HubSettings, RepoType } from "./hub-params.js";

/** What a request is about, for the messages of the errors it may raise. */
export interface HubRequestTarget {
  repoId: string;
  repoType: RepoType;
  revision: string;
  /** The repo file, when there is one. */
  path?: string;
}

export interface HubFetchOptions {
  settings: HubSettings;
  target: HubRequestTarget;
  /**
   * "follow" (default): follow every redirect, sending the token only to the endpoint's origin.
   * "hub-only": follow redirects within the endpoint's origin (a renamed repo) and return the first
   * one that leaves it unfollowed — Python's HEAD, which takes the CDN location from it.
   */
  redirect?: "follow" | "hub-only";
  /** Retry network errors, timeouts, 429 and 5xx with backoff (settings.retry). Default true. */
  retry?: boolean;
  /** With retry: at most this many attempts in all (settings.retry.maxAttempts caps it). */
  maxAttempts?: number;
  /** Milliseconds without a byte before the request is abandoned. Default settings.timeoutMs. */
  timeoutMs?: number;
  /** Read the whole body inside the retry loop (small JSON answers), so a failure mid-body is retried too. */
  buffer?: boolean;
  /** Sees the headers of a final error response before it becomes a thrown error (e.g. X-Repo-Commit of a 404). */
  onErrorResponse?: (headers: Headers) => void;
}

const MAX_REDIRECTS = 10;

/** A request that may succeed if tried again: network errors, timeouts, 429 and 5xx (Python's http_backoff set). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/** Whether a thrown error is worth another attempt. */
export function isRetryableError(e: unknown): boolean {
  return e instanceof HubHttpError && (e.status === undefined || isRetryableStatus(e.status));
}

/** Waits the backoff before attempt `attempt + 1`: base·2^(attempt−1), capped. */
export function backoffDelay(settings: HubSettings, attempt: number, retryAfterMs?: number): Promise<void> {
  const exp = settings.retry.baseDelayMs * 2 ** (attempt - 1);
  const ms = Math.min(settings.retry.maxDelayMs, retryAfterMs !== undefined ? Math.max(retryAfterMs, exp) : exp);
  return new Promise((r) => setTimeout(r, ms));
}

function retryAfterMs(resp: Response): number | undefined {
  const v = resp.headers.get("Retry-After");
  if (!v) return undefined;
  const secs = Number(v);
  if (Number.isFinite(secs)) return secs * 1000;
  const date = Date.parse(v);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function headersWithoutAuth(init: RequestInit["headers"]): Headers {
  const h = new Headers(init);
  h.delete("Authorization");
  return h;
}

/**
 * One request with its redirects. The token goes only to the endpoint's origin: each hop gets
 * an Authorization header, or not, by its own origin, so a redirect to a CDN never carries it.
 * The body is watched for stalls: no byte for `settings.timeoutMs` aborts it.
 */
async function fetchOnce(url: string, init: RequestInit, options: HubFetchOptions): Promise<{ resp: Response; url: string; stopped: boolean }> {
  const { settings } = options;
  const timeoutMs = options.timeoutMs ?? settings.timeoutMs;
  const hubOrigin = new URL(settings.endpoint).origin;
  const ac = new AbortController();
  let timedOut = false;
  // Whether the server has answered anything yet (a stalled accept never does).
  let answered = false;
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      ac.abort(new Error(`no data for ${timeoutMs} ms`));
    }, timeoutMs);
    // A body the caller stops reading must not keep the process alive until the timer fires.
    timer.unref();
  };
  const outer = init.signal;
  if (outer) {
    if (outer.aborted) ac.abort(outer.reason);
    else outer.addEventListener("abort", () => ac.abort(outer.reason), { once: true });
  }
  let current = url;
  let method = init.method ?? "GET";
  let body = init.body;
  try {
    for (let hop = 0; ; hop++) {
      const headers = headersWithoutAuth(init.headers);
      if (settings.accessToken && new URL(current).origin === hubOrigin) headers.set("Authorization", `Bearer ${settings.accessToken}`);
      arm();
      const resp = await settings.fetch(current, { ...init, method, body, headers, redirect: "manual", signal: ac.signal });
      answered = true;
      const location = resp.status >= 300 && resp.status < 400 ? resp.headers.get("Location") : null;
      if (location !== null) {
        const next = new URL(location, current).toString();
        const leaves = new URL(next).origin !== hubOrigin;
        if (options.redirect === "hub-only" && leaves) {
          clearTimeout(timer);
          await resp.body?.cancel().catch(() => {});
          return { resp, url: next, stopped: true };
        }
        if (hop >= MAX_REDIRECTS)
          throw new HubHttpError(`Too many redirects fetching ${displayUrl(url)}.`, { repoId: options.target.repoId, status: resp.status });
        await resp.body?.cancel().catch(() => {});
        if (resp.status === 303 || ((resp.status === 301 || resp.status === 302) && method === "POST")) {
          method = "GET";
          body = null;
        }
        current = next;
        continue;
      }
      if (!resp.body) {
        clearTimeout(timer);
        return { resp, url: current, stopped: false };
      }
      // Re-arm the stall timer at every chunk; on a stall the abort errors the reader.
      const watched = resp.body.pipeThrough(
        new TransformStream<Uint8Array, Uint8Array>({
          transform(chunk, controller) {
            arm();
            controller.enqueue(chunk);
          },
          flush() {
            clearTimeout(timer);
          },
        }),
      );
      const wrapped = new Response(options.buffer ? await new Response(watched).arrayBuffer() : watched, {
        status: resp.status,
        statusText: resp.statusText,
        headers: resp.headers,
      });
      Object.defineProperty(wrapped, "url", { value: current });
      return { resp: wrapped, url: current, stopped: false };
    }
  } catch (e) {
    clearTimeout(timer);
    if (e instanceof HubHttpError) throw e;
    throw networkError(e, url, options, timedOut, !answered);
  }
}

/**
 * fetch for the Hub: token confinement (see {@link fetchOnce}), retries with bounded exponential
 * backoff on network errors, 429 and 5xx (never on another 4xx), a stall timeout, and failures
 * as the typed errors of src/errors.ts. Returns ok responses (and, with redirect "hub-only", the
 * redirect that leaves the hub). The response's `url` is the final URL.
 */
export async function hubFetch(url: string, init: RequestInit, options: HubFetchOptions): Promise<Response> {
  const { settings } = options;
  const attempts = options.retry === false ? 1 : Math.max(1, Math.min(settings.retry.maxAttempts, options.maxAttempts ?? Infinity));
  for (let attempt = 1; ; attempt++) {
    let result: { resp: Response; url: string; stopped: boolean };
    try {
      result = await fetchOnce(url, init, options);
    } catch (e) {
      if (attempt < attempts && isRetryableError(e)) {
        await backoffDelay(settings, attempt);
        continue;
      }
      throw e;
    }
    const { resp } = result;
    if (resp.ok || result.stopped) return resp;
    if (attempt < attempts && isRetryableStatus(resp.status)) {
      await resp.body?.cancel().catch(() => {});
      await backoffDelay(settings, attempt, retryAfterMs(resp));
      continue;
    }
    options.onErrorResponse?.(resp.headers);
    throw await hubErrorFromResponse(resp, result.url, options);
  }
}
