import { getHfFileMetadata } from "./get-hf-file-metadata.js";
import { hfHubUrl } from "./hf-hub-url.js";
import { httpRange } from "./http-range.js";
import type { HubRequestTarget } from "./hub-fetch.js";
import { type HubParams, type RepoType, resolveHubSettings } from "./hub-params.js";
import { validateRepoId, validateRevision } from "./validate-hub-args.js";

export interface OpenHubFileParams extends HubParams {
  /** "ORG/NAME" on the Hub. */
  repoId: string;
  /** Default "model". */
  repoType?: RepoType;
  /** File path inside the repo, "/"-separated. */
  path: string;
}

/** A Hub file read in place, over HTTP: nothing is written to the cache. */
export interface HubFile {
  /** The repo path. */
  path: string;
  /** Its size in bytes. */
  size: number;
  /** The commit the revision resolved to (`X-Repo-Commit`): pass it as `revision` to read more files of the same commit. */
  commitHash: string;
  /** The bytes `[start, end)`, whole. */
  read(start: number, end: number): Promise<Uint8Array>;
  /** The bytes from `start` (default 0) to the end, as they arrive. */
  stream(start?: number): AsyncGenerator<Uint8Array, void, undefined>;
}

/**
 * Opens a Hub file for reading in place (Python `datasets`' streaming mode, which reads Hub files
 * through fsspec's HTTP file system): one HEAD (Python's `get_hf_file_metadata`: the size, the
 * commit, and the CDN location of LFS files), then range requests for the bytes read
 * ({@link httpRange}: resumed after a dropped connection, retried on 429/5xx). HF_TOKEN, the
 * endpoint, the revision and the token's confinement to the endpoint's origin hold as for
 * {@link hfHubDownload}; a gated, private or missing repo or file is the same typed error.
 * Offline mode has no network to read from: use {@link hfHubDownload} (which reads the cache).
 */
export async function openHubFile(params: OpenHubFileParams): Promise<HubFile> {
  const settings = resolveHubSettings(params);
  const repoType = params.repoType ?? "model";
  validateRepoId(params.repoId);
  validateRevision(settings.revision);
  const target: HubRequestTarget = { repoId: params.repoId, repoType, revision: settings.revision, path: params.path };
  const url = hfHubUrl({ repoId: params.repoId, repoType, revision: settings.revision, path: params.path, endpoint: settings.endpoint });
  const meta = await getHfFileMetadata({ url, settings, target });
  const stream = (start = 0, end = meta.size) => httpRange({ url: meta.location, start, end, settings, target });
  return {
    path: params.path,
    size: meta.size,
    commitHash: meta.commitHash,
    async read(start, end) {
      const parts: Uint8Array[] = [];
      for await (const chunk of stream(start, Math.min(end, meta.size))) parts.push(chunk);
      return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    },
    stream: (start = 0) => stream(start),
  };
}
