import { listFiles } from "@huggingface/hub";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { FinetunePrepError, NotCachedError, UnsafePathError } from "../errors.js";
import { networkError } from "./hub-error-from-response.js";
import { hubFetch, type HubRequestTarget } from "./hub-fetch.js";
import { repoFolderName, resolveHubSettings, type HubParams, type RepoType } from "./hub-params.js";
import { assertSafeRepoPath, listCachedSnapshot, resolveCachedRevision } from "./try-to-load-from-cache.js";
import { validateRepoId, validateRevision } from "./validate-hub-args.js";

export interface ListRepoFilesParams extends HubParams {
  /** "ORG/NAME" on the Hub. */
  repoId: string;
  /** Default "model". */
  repoType?: RepoType;
}

/**
 * Python's `list_repo_files`: every file path in the repo at a revision, sorted. Online, the Hub's
 * tree API (recursive, paginated, via @huggingface/hub's listFiles over {@link hubFetch}: the
 * token stays on the Hub's origin, failures are retried and typed). A listed path that is
 * absolute or climbs out with `..` is refused (UnsafePathError) — it would later be joined onto
 * the cache folder. Offline, the files of the cached snapshot (what earlier downloads left there).
 */
export async function listRepoFiles(params: ListRepoFilesParams): Promise<string[]> {
  const s = resolveHubSettings(params);
  const repoType = params.repoType ?? "model";
  validateRepoId(params.repoId);
  validateRevision(s.revision);
  if (s.offline) {
    const repoDir = join(s.cacheDir, repoFolderName(params.repoId, repoType));
    const commit = existsSync(repoDir) ? resolveCachedRevision(repoDir, s.revision) : undefined;
    const snapshot = commit === undefined ? undefined : join(repoDir, "snapshots", commit);
    if (snapshot === undefined || !existsSync(snapshot)) {
      throw new NotCachedError(`Offline mode, and ${repoType} ${params.repoId} (revision ${s.revision}) is not in the cache. Looked at: ${snapshot ?? join(repoDir, "refs", s.revision)}`, {
        repoId: params.repoId,
        file: snapshot ?? join(repoDir, "refs", s.revision),
        hint: "Set HF_HOME (or HF_HUB_CACHE) to a cache that holds it, unset HF_HUB_OFFLINE to download it, or pass a local path instead of a Hub id.",
      });
    }
    return listCachedSnapshot(snapshot);
  }
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
      fetch: (input, init) => hubFetch(input instanceof Request ? input.url : String(input), init ?? {}, { settings: s, target, buffer: true }),
    })) {
      if (entry.type !== "file") continue;
      try {
        assertSafeRepoPath(entry.path, params.repoId);
      } catch (e) {
        throw new UnsafePathError(`The Hub listing of ${repoType} repo ${params.repoId} (revision ${s.revision}) holds the path ${JSON.stringify(entry.path)}, which is absolute or leaves the repo folder: refused, nothing was written.`, {
          repoId: params.repoId,
          cause: e,
          hint: "Ask the repo owner to rename the file; do not use this repo until then.",
        });
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
