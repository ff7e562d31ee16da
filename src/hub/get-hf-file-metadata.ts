import { HubHttpError, UnsafePathError } from "../errors.js";
import { displayUrl } from "./hub-error-from-response.js";
import { type HubFetchOptions, hubFetch } from "./hub-fetch.js";
import { REGEX_COMMIT_HASH } from "./try-to-load-from-cache.js";

/** What a HEAD on a file's resolve URL tells (Python's `HfFileMetadata`). */
export interface HfFileMetadata {
  /** The commit the revision resolved to (`X-Repo-Commit`). */
  commitHash: string;
  /** `X-Linked-Etag` (LFS: the file's sha256), else `ETag` (the git blob sha1), without quotes or `W/`. The blob's name in the cache. */
  etag: string;
  /** Where to GET the bytes: the CDN location of a redirect, else the resolve URL. */
  location: string;
  /** `X-Linked-Size`, else `Content-Length`: the file's size in bytes. */
  size: number;
}

export interface GetHfFileMetadataParams extends HubFetchOptions {
  /** A resolve URL (see hfHubUrl). */
  url: string;
}

/** Python's `_normalize_etag`: `W/"abc"` and `"abc"` → `abc`. */
function normalizeEtag(etag: string): string {
  return etag.replace(/^W\//, "").replace(/^"+|"+$/g, "");
}

// The etag names a file in blobs/: only plain names (hex digests in practice) are accepted.
const SAFE_ETAG = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/**
 * Python's `get_hf_file_metadata`: a HEAD request (no compression, so sizes are real sizes) that
 * follows redirects inside the Hub only; a redirect off the Hub (LFS files to their CDN) is not
 * followed, its Location is where the bytes will be fetched from, without the token. It waits
 * `settings.etagTimeoutMs` for an answer (Python's etag_timeout).
 */
export async function getHfFileMetadata(params: GetHfFileMetadataParams): Promise<HfFileMetadata> {
  const { url, ...options } = params;
  const resp = await hubFetch(
    url,
    { method: "HEAD", headers: { "Accept-Encoding": "identity" } },
    { ...options, redirect: "hub-only", timeoutMs: options.timeoutMs ?? options.settings.etagTimeoutMs },
  );
  const h = resp.headers;
  const where = displayUrl(url);
  const fail = (what: string) =>
    new HubHttpError(`${where} answered without ${what}: it does not look like a Hugging Face Hub.`, {
      repoId: options.target.repoId,
      hint: "Check HF_ENDPOINT and any proxy or firewall between here and the Hub.",
    });
  const commitHash = h.get("X-Repo-Commit");
  if (!commitHash) throw fail("an X-Repo-Commit header");
  if (!REGEX_COMMIT_HASH.test(commitHash)) {
    throw new UnsafePathError(
      `Refusing the commit ${JSON.stringify(commitHash.slice(0, 80))} sent by ${where}: not a 40-hex commit hash (it names a cache folder).`,
      { repoId: options.target.repoId },
    );
  }
  const rawEtag = h.get("X-Linked-Etag") ?? h.get("ETag");
  if (!rawEtag) throw fail("an ETag");
  const etag = normalizeEtag(rawEtag);
  if (!SAFE_ETAG.test(etag)) {
    throw new UnsafePathError(
      `Refusing the ETag ${JSON.stringify(etag.slice(0, 80))} sent by ${where}: it names a file in the cache and must be a plain name.`,
      { repoId: options.target.repoId },
    );
  }
  const sizeText = h.get("X-Linked-Size") ?? h.get("Content-Length");
  const size = sizeText === null ? NaN : Number(sizeText);
  if (!Number.isSafeInteger(size) || size < 0) throw fail("a file size (X-Linked-Size or Content-Length)");
  const redirect = resp.status >= 300 && resp.status < 400 ? h.get("Location") : null;
  const location = redirect !== null ? new URL(redirect, resp.url || url).toString() : resp.url || url;
  return { commitHash, etag, location, size };
}
