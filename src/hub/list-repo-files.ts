import { existsSync } from "node:fs";
import { join } from "node:path";
import { listFiles } from "@huggingface/hub";
import { FinetunePrepError, HubHttpError, HubUnreachableError, NotCachedError, UnsafePathError } from "../errors.js";
import { networkError } from "./hub-error-from-response.js";
import { type HubRequestTarget, hubFetch, isRetryableError } from "./hub-fetch.js";
import { type HubParams, type HubSettings, type RepoType, repoFolderName, resolveHubSettings } from "./hub-params.js";
import { assertSafeRepoPath, listCachedSnapshot, resolveCachedRevision } from "./try-to-load-from-cache.js";
import { unreachableHubs } from "./unreachable-hubs.js";
import { validateRepoId, validateRevision } from "./validate-hub-args.js";

export interface ListRepoFilesParams extends HubParams {
  /** "ORG/NAME" on the Hub. */
  repoId: string;
  /** Default "model". */
  repoType?: RepoType;
}

/** Connection-level failures with no cached snapshot: attempts in all (see hfHubDownload). */
const UNREACHABLE_ATTEMPTS = 3;

/** The cached snapshot folder of the revision, if the cache has one. */
function cachedSnapshot(repoDir: string, revision: string): string | undefined {
  const commit = existsSync(repoDir) ? resolveCachedRevision(repoDir, revision) : undefined;
  const snapshot = commit === undefined ? undefined : join(repoDir, "snapshots", commit);
  return snapshot !== undefined && existsSync(snapshot) ? snapshot : undefined;
}

/** The Hub's tree API, every page; `retry` false: one attempt per request. */
async function listOnline(params: ListRepoFilesParams, s: HubSettings, repoType: RepoType, retry: boolean, maxAttempts?: number): Promise<string[]> {
  const target: HubRequestTarget = { repoId: params.repoId, repoType, revision: s.revision };
  const out: string[] = [];
  try {
    for await (const entry of listFiles({
      repo: { type: repoType, name: params.repoId },
      recursive: true,
      // listFiles puts the revision in the URL as is: quote it whole, as Python does ("refs/pr/1").
      revision: encodeURIComponent(s.revision),
      hubUrl: s.endpoint,
      // No accessToken here: hubFetch adds it, and only for the Hub's origin (pagination links included).
      fetch: (input, init) =>
        hubFetch(input instanceof Request ? input.url : String(input), init ?? {}, {
          settings: s,
          target,
          buffer: true,
          retry,
          ...(maxAttempts !== undefined ? { maxAttempts } : {}),
        }),
    })) {
      if (entry.type !== "file") continue;
      try {
        assertSafeRepoPath(entry.path, params.repoId);
      } catch (e) {
        throw new UnsafePathError(
          `The Hub listing of ${repoType} repo ${params.repoId} (revision ${s.revision}) holds the path ${JSON.stringify(entry.path)}, which is absolute or leaves the repo folder: refused, nothing was written.`,
          {
            repoId: params.repoId,
            cause: e,
            hint: "Ask the repo owner to rename the file; do not use this repo until then.",
          },
        );
      }
      out.push(entry.path);
    }
  } catch (e) {
    if (e instanceof FinetunePrepError) throw e;
    // Anything else from listFiles is a broken answer (a JSON body cut short, a network error).
    throw networkError(e, `${s.endpoint}/api/${repoType}s/${params.repoId}/tree/${encodeURIComponent(s.revision)}`, { settings: s, target });
  }
  return out.sort();
}

/**
 * Python's `list_repo_files`: every file path in the repo at a revision, sorted. Online, the Hub's
 * tree API (recursive, paginated, via @huggingface/hub's listFiles over {@link hubFetch}: the
 * token stays on the Hub's origin, failures are retried and typed). A listed path that is
 * absolute or climbs out with `..` is refused (UnsafePathError) — it would later be joined onto
 * the cache folder. Offline, the files of the cached snapshot (what earlier downloads left there).
 *
 * When the Hub cannot be reached (refused, DNS, TLS, no answer, 5xx) and the cache holds a
 * snapshot of the revision, that snapshot's files at once (as offline, as datasets falls back to
 * its cache), saying once per process "Hub unreachable (reason): using the cached files".
 */
export async function listRepoFiles(params: ListRepoFilesParams): Promise<string[]> {
  const s = resolveHubSettings(params);
  const repoType = params.repoType ?? "model";
  validateRepoId(params.repoId);
  validateRevision(s.revision);
  const repoDir = join(s.cacheDir, repoFolderName(params.repoId, repoType));
  const notCached = (lookedAt: string) =>
    new NotCachedError(`Offline mode, and ${repoType} ${params.repoId} (revision ${s.revision}) is not in the cache. Looked at: ${lookedAt}`, {
      repoId: params.repoId,
      file: lookedAt,
      hint: "Set HF_HOME (or HF_HUB_CACHE) to a cache that holds it, unset HF_HUB_OFFLINE to download it, or pass a local path instead of a Hub id.",
    });
  const unreachable = (reason: string, cause?: unknown) => {
    const lookedAt = join(repoDir, "refs", s.revision);
    return new HubUnreachableError(
      `Hub unreachable (${reason}), and ${repoType} ${params.repoId} (revision ${s.revision}) is not in the cache ${s.cacheDir}. Looked at: ${lookedAt}`,
      {
        repoId: params.repoId,
        file: lookedAt,
        reason,
        hint: "Check the network connection (and HF_ENDPOINT) and try again, or point HF_HOME / HF_HUB_CACHE at a cache that holds it.",
        ...(cause !== undefined ? { cause } : {}),
      },
    );
  };
  if (s.offline) {
    const snapshot = cachedSnapshot(repoDir, s.revision);
    if (snapshot === undefined) {
      const commit = existsSync(repoDir) ? resolveCachedRevision(repoDir, s.revision) : undefined;
      throw notCached(commit === undefined ? join(repoDir, "refs", s.revision) : join(repoDir, "snapshots", commit));
    }
    return listCachedSnapshot(snapshot);
  }
  const knownUnreachable = unreachableHubs.reason(s.endpoint);
  if (knownUnreachable !== undefined) {
    const snapshot = cachedSnapshot(repoDir, s.revision);
    if (snapshot === undefined) throw unreachable(knownUnreachable);
    unreachableHubs.usingCache(s, knownUnreachable);
    return listCachedSnapshot(snapshot);
  }
  try {
    // First without retries, as hfHubDownload's HEAD: if the Hub cannot answer, a cached snapshot does at once.
    const files = await listOnline(params, s, repoType, false);
    unreachableHubs.clear(s.endpoint);
    return files;
  } catch (e) {
    if (!(e instanceof HubHttpError) || !isRetryableError(e)) throw e;
    if (e instanceof HubUnreachableError) unreachableHubs.note(s.endpoint, e.reason);
    const snapshot = cachedSnapshot(repoDir, s.revision);
    if (snapshot !== undefined) {
      unreachableHubs.usingCache(s, e instanceof HubUnreachableError ? e.reason : `HTTP ${e.status ?? "error"}`);
      return listCachedSnapshot(snapshot);
    }
    try {
      const files = await listOnline(params, s, repoType, true, e instanceof HubUnreachableError ? UNREACHABLE_ATTEMPTS : undefined);
      unreachableHubs.clear(s.endpoint);
      return files;
    } catch (e2) {
      if (e2 instanceof HubUnreachableError) {
        unreachableHubs.note(s.endpoint, e2.reason);
        throw unreachable(e2.reason, e2);
      }
      throw e2;
    }
  }
}
