import type { HubSettings } from "./hub-params.js";

/** How long a Hub found unreachable is not asked again by this process (its cache answers instead). */
export const UNREACHABLE_MEMO_MS = 60_000;

interface Memo {
  reason: string;
  until: number;
}

const memos = new Map<string, Memo>();
let warned = false;

function originOf(endpoint: string): string {
  try {
    return new URL(endpoint).origin;
  } catch {
    return endpoint;
  }
}

/**
 * What this process knows of Hubs it could not reach. Once a request to an endpoint failed below
 * HTTP (refused, DNS, TLS, no answer), the next {@link UNREACHABLE_MEMO_MS} ms of calls go straight
 * to the cache — a cached file at once, an uncached one a HubUnreachableError at once — instead of
 * each waiting out its own connection attempt (a stalled accept costs a whole timeout per request).
 * Any answer from the Hub clears it.
 */
export const unreachableHubs = {
  /** Why `endpoint` was found unreachable in the last minute, or undefined. */
  reason(endpoint: string): string | undefined {
    const key = originOf(endpoint);
    const memo = memos.get(key);
    if (memo === undefined) return undefined;
    if (Date.now() >= memo.until) {
      memos.delete(key);
      return undefined;
    }
    return memo.reason;
  },
  /** Records that `endpoint` could not be reached. */
  note(endpoint: string, reason: string): void {
    memos.set(originOf(endpoint), { reason, until: Date.now() + UNREACHABLE_MEMO_MS });
  },
  /** The Hub answered: forget that it was unreachable. */
  clear(endpoint: string): void {
    memos.delete(originOf(endpoint));
  },
  /** Says, once per process, that cached files are used because the Hub could not be asked. */
  usingCache(settings: HubSettings, reason: string): void {
    if (warned) return;
    warned = true;
    settings.onWarning(`Hub unreachable (${reason}): using the cached files`);
  },
  /** Forgets everything (tests). */
  reset(): void {
    memos.clear();
    warned = false;
  },
};
