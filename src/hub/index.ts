export { hfHome, hfHubCache, hfToken, isOfflineEnv, repoFolderName, resolveHubSettings, DEFAULT_ENDPOINT, type HubParams, type HubSettings, type RepoType, type RetryOptions } from "./hub-params.js";
export { tryToLoadFromCache, resolveCachedRevision, listCachedSnapshot, assertSafeRepoPath, REGEX_COMMIT_HASH, type CacheLookup, type CacheLookupParams } from "./try-to-load-from-cache.js";
export { hfHubDownload, type HfHubDownloadParams } from "./hf-hub-download.js";
export { listRepoFiles, type ListRepoFilesParams } from "./list-repo-files.js";
export { hfHubUrl, type HfHubUrlParams } from "./hf-hub-url.js";
export { RevisionNotFoundError } from "./revision-not-found-error.js";
export { validateRepoId, validateRevision } from "./validate-hub-args.js";
export { openHubFile, type OpenHubFileParams, type HubFile } from "./open-hub-file.js";
export { httpRange, type HttpRangeParams } from "./http-range.js";
