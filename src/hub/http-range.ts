import { FinetunePrepError, HubHttpError } from "../errors.js";
import { resumesAt } from "./http-get.js";
import { displayUrl, networkError } from "./hub-error-from-response.js";
import { backoffDelay, type HubFetchOptions, hubFetch, isRetryableError } from "./hub-fetch.js";

export interface HttpRangeParams extends HubFetchOptions {
  /** Where the bytes are (the CDN location from the HEAD, or the resolve URL). */
  url: string;
  /** First byte wanted. */
  start: number;
  /** One past the last byte wanted (the file's size for "to the end"). */
  end: number;
}

/** The server answered something other than the bytes asked for: not retried. */
class RangeRefused extends Error {}

/**
 * The bytes `[start, end)` of a Hub file, as they arrive, over HTTP range requests (`Range:
 * bytes=start-(end-1)`), nothing written anywhere. Built on {@link hubFetch} (token sent only to the
 * endpoint's origin, typed errors, the stall timeout) with the download's reliability rules
 * ({@link httpGet}): a connection lost mid-body (reset, premature close, stall) is resumed with a
 * range request from the first byte not yet received; 429/5xx and network errors back off and
 * retry. The attempt count starts over whenever an attempt brought bytes, so a long stream survives
 * several drops; `settings.retry.maxAttempts` attempts in a row without a byte end it with the last
 * error. A server that ignores Range (200 with the whole file) is read from `start` on all the same;
 * a 206 that does not start where asked is an error.
 */
export async function* httpRange(params: HttpRangeParams): AsyncGenerator<Uint8Array, void, undefined> {
  const { url, end, settings, target } = params;
  let offset = params.start;
  let failures = 0;
  let lastError: unknown;
  while (offset < end) {
    if (failures > 0) {
      if (failures >= settings.retry.maxAttempts) throw lastError;
      await backoffDelay(settings, failures);
    }
    const before = offset;
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      const headers = { "Accept-Encoding": "identity", Range: `bytes=${offset}-${end - 1}` };
      const resp = await hubFetch(url, { method: "GET", headers }, { settings, target, retry: false });
      if (resp.status === 206 && !resumesAt(resp, offset)) {
        await resp.body?.cancel().catch(() => {});
        throw new RangeRefused(`a partial answer (${resp.headers.get("Content-Range") ?? "no Content-Range"}) where bytes ${offset}-${end - 1} were asked`);
      }
      // 200: the whole file from byte 0; skip what is not wanted.
      let skip = resp.status === 206 ? 0 : offset;
      reader = resp.body?.getReader();
      while (reader && offset < end) {
        const { done, value } = await reader.read();
        if (done) break;
        let chunk = value;
        if (skip > 0) {
          const n = Math.min(skip, chunk.length);
          skip -= n;
          chunk = chunk.subarray(n);
        }
        if (chunk.length > end - offset) chunk = chunk.subarray(0, end - offset);
        if (chunk.length === 0) continue;
        offset += chunk.length;
        failures = 0;
        yield chunk;
      }
      // A body that ended early (the connection closed cleanly mid-body): resume from `offset`.
      if (offset < end) throw new TypeError(`the answer ended after ${offset - before} bytes, ${end - before} were asked`);
    } catch (e) {
      if (e instanceof RangeRefused) {
        throw new HubHttpError(`${displayUrl(url)} did not answer the range request for ${target.path ?? "the file"}: ${e.message}.`, {
          repoId: target.repoId,
          hint: "A proxy between here and the Hub may not support range requests; run again later, or load without streaming.",
        });
      }
      if (e instanceof FinetunePrepError) {
        if (!isRetryableError(e)) throw e;
        lastError = e;
      } else {
        lastError = networkError(e, url, { settings, target });
      }
      failures++;
    } finally {
      await reader?.cancel().catch(() => {});
    }
  }
}
