export { hfHome, hfHubCache, hfToken, isOfflineEnv, repoFolderName, resolveHubSettings, DEFAULT_ENDPOINT, type HubParams, type HubSettings, type RepoType } from "./hub-params.js";
export { tryToLoadFromCache, resolveCachedRevision, listCachedSnapshot, assertSafeRepoPath, REGEX_COMMIT_HASH, type CacheLookup, type CacheLookupParams } from "./try-to-load-from-cache.js";
export { hfHubDownload, type HfHubDownloadParams } from "./hf-hub-download.js";
export { listRepoFiles, type ListRepoFilesParams } from "./list-repo-files.js";
