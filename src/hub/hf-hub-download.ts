import { randomBytes } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { EntryNotFoundError, GatedRepoError, HubHttpError, HubUnreachableError, NotCachedError, RepoNotFoundError } from "../errors.js";
import { createSymlink } from "./create-symlink.js";
import { getHfFileMetadata, type HfFileMetadata } from "./get-hf-file-metadata.js";
import { hfHubUrl } from "./hf-hub-url.js";
import { httpGet } from "./http-get.js";
import { type HubRequestTarget, isRetryableError } from "./hub-fetch.js";
import { type HubParams, type HubSettings, type RepoType, repoFolderName, resolveHubSettings } from "./hub-params.js";
import { RevisionNotFoundError } from "./revision-not-found-error.js";
import { type CacheLookup, REGEX_COMMIT_HASH, tryToLoadFromCache } from "./try-to-load-from-cache.js";
import { unreachableHubs } from "./unreachable-hubs.js";
import { validateRepoId, validateRevision } from "./validate-hub-args.js";

export interface HfHubDownloadParams extends HubParams {
  /** "ORG/NAME" on the Hub. */
  repoId: string;
  /** Default "model". */
  repoType?: RepoType;
  /** File path inside the repo, "/"-separated. */
  path: string;
}

/** Writes a small file atomically (temp + rename): a concurrent reader never sees it empty. */
async function writeAtomic(file: string, text: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`;
  try {
    await writeFile(tmp, text);
    await rename(tmp, file);
  } finally {
    await rm(tmp, { force: true }).catch(() => {});
  }
}

/**
 * Python's `_cache_commit_hash_for_specific_revision`: `refs/<revision>` holds the commit (no
 * newline), written only when the revision is a branch or tag and the content changes.
 */
async function cacheRef(storage: string, revision: string, commit: string): Promise<void> {
  if (revision === commit) return;
  const ref = join(storage, "refs", ...revision.split("/"));
  const current = await readFile(ref, "utf8").catch(() => undefined);
  if (current !== commit) await writeAtomic(ref, commit);
}

/** A plain file (or a symlink to one) — a dangling link is not a cached file. */
function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Connection-level failures (refused, DNS, TLS, no answer) with nothing cached: tried this many
 * times in all. Python retries them 5 more times with backoff; a failure to connect seldom heals
 * within a run, so this keeps a short retry (1 s, 2 s) for a network that blinks, no more.
 */
const UNREACHABLE_ATTEMPTS = 3;

/** Where the cache would hold a file (the snapshot file, or the ref that names no commit yet). */
function cachedPathLookedAt(lookup: CacheLookup, storage: string, path: string, revision: string): string {
  if (lookup.status === "absent" && lookup.commit) return join(lookup.repoDir, "snapshots", lookup.commit, path);
  return join(storage, "refs", revision);
}

/** The Hub cannot be reached and the cache does not hold the file: name both. */
function unreachableNotCached(
  reason: string,
  params: HfHubDownloadParams,
  s: HubSettings,
  repoType: RepoType,
  lookedAt: string,
  cause?: unknown,
): HubUnreachableError {
  const url = hfHubUrl({ repoId: params.repoId, repoType, revision: s.revision, path: params.path, endpoint: s.endpoint });
  return new HubUnreachableError(
    `Hub unreachable (${reason}): could not reach ${url}, and ${params.path} of ${repoType} ${params.repoId} (revision ${s.revision}) is not in the cache ${s.cacheDir}. Looked at: ${lookedAt}`,
    {
      repoId: params.repoId,
      file: lookedAt,
      reason,
      hint: "Check the network connection (and HF_ENDPOINT) and try again, or point HF_HOME / HF_HUB_CACHE at a cache that holds the file.",
      ...(cause !== undefined ? { cause } : {}),
    },
  );
}

/** Python's `_raise_on_head_call_error`: nothing cached to fall back on, so say why the Hub could not be asked. */
function headCallError(e: unknown, params: HfHubDownloadParams, s: HubSettings, repoType: RepoType, lookedAt: string): unknown {
  if (e instanceof RepoNotFoundError || e instanceof GatedRepoError || (e instanceof HubHttpError && e.status === 401)) return e;
  if (e instanceof HubUnreachableError) return unreachableNotCached(e.reason, params, s, repoType, lookedAt, e);
  if (e instanceof HubHttpError) {
    return new HubHttpError(
      `${e.message.split("\n")[0]} ${params.path} of ${repoType} ${params.repoId} (revision ${s.revision}) is not in the cache ${s.cacheDir} either.`,
      {
        repoId: params.repoId,
        ...(e.status !== undefined ? { status: e.status } : {}),
        hint: "Check the network connection (and HF_ENDPOINT) and try again, or point HF_HOME / HF_HUB_CACHE at a cache that holds the file.",
        cause: e,
      },
    );
  }
  return e;
}

/**
 * Python's `hf_hub_download` (to the cache): the local path of one repo file,
 * `<cache>/<type>s--ORG--NAME/snapshots/<commit>/<path>`, a relative symlink to `blobs/<etag>`,
 * with `refs/<revision>` holding the commit — exactly what Python leaves, so each language reuses
 * the other's downloads.
 *
 * - A revision that is a commit hash and already cached: returned without any request.
 * - Otherwise a HEAD asks the Hub which commit the revision is at and the file's ETag; if the
 *   cache holds that file, nothing is downloaded. If the Hub cannot be reached (network down,
 *   5xx, private repo…) a cached copy for the revision is returned at once, as Python does, and
 *   "Hub unreachable (reason): using the cached files" is said once per process (settings.onWarning).
 *   A Hub that could not be connected to at all (refused, DNS, TLS, no answer within
 *   `etagTimeoutMs`) is not asked again for a minute: cached files come at once, uncached ones are
 *   a HubUnreachableError at once (see unreachableHubs). Without a cached copy a failure to connect
 *   is tried 3 times in all (1 s, 2 s apart), a 5xx as settings.retry says.
 * - A file the Hub says is missing is recorded in `.no_exist/<commit>/<path>` (EntryNotFoundError).
 * - Offline (`offline` / HF_HUB_OFFLINE): the cache only; a miss is a NotCachedError naming the path looked at.
 * - Downloads are verified (size, sha256 or git sha1) before they enter the cache, retried with
 *   backoff, resumed after a broken connection, and safe against concurrent processes (see httpGet).
 */
export async function hfHubDownload(params: HfHubDownloadParams): Promise<string> {
  const s = resolveHubSettings(params);
  const repoType = params.repoType ?? "model";
  validateRepoId(params.repoId);
  validateRevision(s.revision);
  const lookup = tryToLoadFromCache({ repoId: params.repoId, repoType, path: params.path, revision: s.revision, cacheDir: s.cacheDir });
  const storage = join(s.cacheDir, repoFolderName(params.repoId, repoType));
  const knownMissing = (commit: string) =>
    new EntryNotFoundError(
      `${params.path} does not exist in ${repoType} repo ${params.repoId} at revision ${s.revision} (the cache records it as missing: ${join(storage, ".no_exist", commit, params.path)}).`,
      {
        repoId: params.repoId,
        file: params.path,
      },
    );

  if (s.offline) {
    if (lookup.status === "found") return lookup.path;
    if (lookup.status === "known-missing") throw knownMissing(lookup.commit);
    const where = lookup.commit ? join(lookup.repoDir, "snapshots", lookup.commit, params.path) : join(storage, "refs", s.revision);
    throw new NotCachedError(
      `Offline mode, and ${params.path} of ${repoType} ${params.repoId} (revision ${s.revision}) is not in the cache. Looked at: ${where}`,
      {
        repoId: params.repoId,
        file: where,
        hint: "Set HF_HOME (or HF_HUB_CACHE) to a cache that holds it, unset HF_HUB_OFFLINE to download it, or pass a local folder instead of a Hub id.",
      },
    );
  }

  // A commit never changes: what the cache holds for it is final (Python's shortcut).
  if (REGEX_COMMIT_HASH.test(s.revision)) {
    if (lookup.status === "found") return lookup.path;
    if (lookup.status === "known-missing") throw knownMissing(lookup.commit);
  }

  const lookedAt = cachedPathLookedAt(lookup, storage, params.path, s.revision);
  // The Hub was found unreachable moments ago: the cache answers, without another wait.
  const knownUnreachable = unreachableHubs.reason(s.endpoint);
  if (knownUnreachable !== undefined) {
    if (lookup.status === "found") {
      unreachableHubs.usingCache(s, knownUnreachable);
      return lookup.path;
    }
    if (lookup.status === "known-missing") throw knownMissing(lookup.commit);
    throw unreachableNotCached(knownUnreachable, params, s, repoType, lookedAt);
  }

  const target: HubRequestTarget = { repoId: params.repoId, repoType, revision: s.revision, path: params.path };
  const url = hfHubUrl({ repoId: params.repoId, repoType, revision: s.revision, path: params.path, endpoint: s.endpoint });
  let missingCommit: string | undefined;
  const head = (retry: boolean, maxAttempts?: number) =>
    getHfFileMetadata({
      url,
      settings: s,
      target,
      retry,
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
      onErrorResponse: (h) => {
        const c = h.get("X-Repo-Commit");
        if (h.get("X-Error-Code") === "EntryNotFound" && c && REGEX_COMMIT_HASH.test(c)) missingCommit = c;
      },
    });

  let meta: HfFileMetadata;
  try {
    // First HEAD without retries, as Python: if it fails, a cached copy answers at once.
    meta = await head(false);
    unreachableHubs.clear(s.endpoint);
  } catch (e) {
    if (e instanceof EntryNotFoundError) {
      if (missingCommit !== undefined) {
        // Python caches the non-existence so that the next offline call can answer too; a cache
        // it cannot write to (read-only, shared) only loses that shortcut, as in Python.
        const marker = join(storage, ".no_exist", missingCommit, ...params.path.split("/"));
        await mkdir(dirname(marker), { recursive: true })
          .then(() => writeFile(marker, ""))
          .then(() => cacheRef(storage, s.revision, missingCommit!))
          .catch(() => {});
      }
      throw e;
    }
    if (e instanceof RevisionNotFoundError || !(e instanceof HubHttpError || e instanceof RepoNotFoundError || e instanceof GatedRepoError)) throw e;
    if (e instanceof HubUnreachableError) unreachableHubs.note(s.endpoint, e.reason);
    if (lookup.status === "found") {
      if (isRetryableError(e)) unreachableHubs.usingCache(s, e instanceof HubUnreachableError ? e.reason : `HTTP ${(e as HubHttpError).status ?? "error"}`);
      return lookup.path;
    }
    if (!isRetryableError(e)) throw headCallError(e, params, s, repoType, lookedAt);
    try {
      meta = await head(true, e instanceof HubUnreachableError ? UNREACHABLE_ATTEMPTS : undefined);
      unreachableHubs.clear(s.endpoint);
    } catch (e2) {
      if (e2 instanceof HubUnreachableError) unreachableHubs.note(s.endpoint, e2.reason);
      throw headCallError(e2, params, s, repoType, lookedAt);
    }
  }

  const blobPath = join(storage, "blobs", meta.etag);
  const pointerPath = join(storage, "snapshots", meta.commitHash, ...params.path.split("/"));
  // Written only when it changes, so a cache that already holds everything is only read.
  await cacheRef(storage, s.revision, meta.commitHash);
  if (isFile(pointerPath)) return pointerPath;
  await mkdir(dirname(blobPath), { recursive: true });
  if (!existsSync(blobPath)) await httpGet({ url: meta.location, blobPath, etag: meta.etag, size: meta.size, settings: s, target });
  await createSymlink(blobPath, pointerPath, dirname(blobPath));
  return pointerPath;
}
