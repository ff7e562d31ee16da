export { type HfHubDownloadParams, hfHubDownload } from "./hf-hub-download.js";
export { type HfHubUrlParams, hfHubUrl } from "./hf-hub-url.js";
export { type HttpRangeParams, httpRange } from "./http-range.js";
export {
  DEFAULT_ENDPOINT,
  type HubParams,
  type HubSettings,
  hfHome,
  hfHubCache,
  hfToken,
  isOfflineEnv,
  type RepoType,
  type RetryOptions,
  repoFolderName,
  resolveHubSettings,
} from "./hub-params.js";
export { type ListRepoFilesParams, listRepoFiles } from "./list-repo-files.js";
export { type HubFile, type OpenHubFileParams, openHubFile } from "./open-hub-file.js";
export { RevisionNotFoundError } from "./revision-not-found-error.js";
export {
  assertSafeRepoPath,
  type CacheLookup,
  type CacheLookupParams,
  listCachedSnapshot,
  REGEX_COMMIT_HASH,
  resolveCachedRevision,
  tryToLoadFromCache,
} from "./try-to-load-from-cache.js";
export { validateRepoId, validateRevision } from "./validate-hub-args.js";
