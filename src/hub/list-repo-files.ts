import { listFiles } from "@huggingface/hub";
import { join } from "node:path";
import { NotCachedError } from "../errors.js";
import { repoFolderName, resolveHubSettings, type HubParams, type RepoType } from "./hub-params.js";
import { listCachedSnapshot, resolveCachedRevision } from "./try-to-load-from-cache.js";
import { existsSync } from "node:fs";

export interface ListRepoFilesParams extends HubParams {
  repoId: string;
  /** Default "model". */
  repoType?: RepoType;
}

/**
 * Python's `list_repo_files`: every file path in the repo at a revision, sorted. Offline, the
 * files of the cached snapshot (what a previous download left there).
 */
export async function listRepoFiles(params: ListRepoFilesParams): Promise<string[]> {
  const s = resolveHubSettings(params);
  const repoType = params.repoType ?? "model";
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
  const out: string[] = [];
  for await (const entry of listFiles({
    repo: { type: repoType, name: params.repoId },
    recursive: true,
    revision: s.revision,
    hubUrl: s.endpoint,
    fetch: s.fetch,
    ...(s.accessToken ? { accessToken: s.accessToken } : {}),
  })) {
    if (entry.type === "file") out.push(entry.path);
  }
  return out.sort();
}
