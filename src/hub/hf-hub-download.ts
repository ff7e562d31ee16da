import { downloadFileToCacheDir } from "@huggingface/hub";
import { join } from "node:path";
import { EntryNotFoundError, NotCachedError } from "../errors.js";
import { repoFolderName, resolveHubSettings, type HubParams, type RepoType } from "./hub-params.js";
import { tryToLoadFromCache } from "./try-to-load-from-cache.js";

export interface HfHubDownloadParams extends HubParams {
  /** "ORG/NAME" on the Hub. */
  repoId: string;
  /** Default "model". */
  repoType?: RepoType;
  /** File path inside the repo, "/"-separated. */
  path: string;
}

/**
 * Python's `hf_hub_download`: the local path of one repo file, from the cache when it is there,
 * else downloaded into it (Python's layout, so either language reuses the other's downloads).
 * Offline, a file not in the cache is a {@link NotCachedError} naming the path looked at.
 */
export async function hfHubDownload(params: HfHubDownloadParams): Promise<string> {
  const s = resolveHubSettings(params);
  const repoType = params.repoType ?? "model";
  const lookup = tryToLoadFromCache({ repoId: params.repoId, repoType, path: params.path, revision: s.revision, cacheDir: s.cacheDir });
  if (lookup.status === "found") return lookup.path;
  if (lookup.status === "known-missing") {
    throw new EntryNotFoundError(`${params.path} does not exist in ${repoType} repo ${params.repoId} at revision ${s.revision} (the cache records it as missing).`, { repoId: params.repoId, file: params.path });
  }
  if (s.offline) {
    const where = lookup.commit ? join(lookup.repoDir, "snapshots", lookup.commit, params.path) : join(s.cacheDir, repoFolderName(params.repoId, repoType), "refs", s.revision);
    throw new NotCachedError(
      `Offline mode, and ${params.path} of ${repoType} ${params.repoId} (revision ${s.revision}) is not in the cache. Looked at: ${where}`,
      {
        repoId: params.repoId,
        file: where,
        hint: "Set HF_HOME (or HF_HUB_CACHE) to a cache that holds it, unset HF_HUB_OFFLINE to download it, or pass a local folder instead of a Hub id.",
      },
    );
  }
  return downloadFileToCacheDir({
    repo: { type: repoType, name: params.repoId },
    path: params.path,
    revision: s.revision,
    hubUrl: s.endpoint,
    cacheDir: s.cacheDir,
    fetch: s.fetch,
    ...(s.accessToken ? { accessToken: s.accessToken } : {}),
  });
}
