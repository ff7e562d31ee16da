import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { UnsafePathError } from "../errors.js";
import { type RepoType, repoFolderName } from "./hub-params.js";
import { validateRevision } from "./validate-hub-args.js";

export const REGEX_COMMIT_HASH = /^[0-9a-f]{40}$/;

export interface CacheLookupParams {
  repoId: string;
  repoType?: RepoType;
  /** File path inside the repo, with "/" separators. */
  path: string;
  /** Branch, tag or commit. Default "main". */
  revision?: string;
  /** The hub cache folder (see {@link hfHubCache}). */
  cacheDir: string;
}

/** What the cache knows of a file: where it is, that the Hub said it does not exist, or nothing. */
export type CacheLookup =
  | { status: "found"; path: string; commit: string }
  | { status: "known-missing"; commit: string }
  | { status: "absent"; repoDir: string; commit?: string };

/** Refuses repo paths that would leave the snapshot folder when joined to it. */
export function assertSafeRepoPath(path: string, repoId?: string): void {
  const parts = path.split("/");
  if (
    path === "" ||
    path.startsWith("/") ||
    /^[A-Za-z]:/.test(path) ||
    path.includes("\\") ||
    path.includes("\0") ||
    parts.some((p) => p === ".." || p === "." || p === "")
  ) {
    throw new UnsafePathError(
      `Refusing the repo path ${JSON.stringify(path)}: it is absolute or leaves the repo folder.`,
      repoId === undefined ? {} : { repoId },
    );
  }
}

/** The commit a revision points to in the cache (refs/<revision>), the revision itself if it is a commit, or undefined. */
export function resolveCachedRevision(repoDir: string, revision: string): string | undefined {
  validateRevision(revision);
  const ref = join(repoDir, "refs", ...revision.split("/"));
  if (existsSync(ref) && statSync(ref).isFile()) {
    // The content names a snapshot folder: anything but a commit hash is not followed.
    const commit = readFileSync(ref, "utf8").trim();
    return REGEX_COMMIT_HASH.test(commit) ? commit : undefined;
  }
  if (REGEX_COMMIT_HASH.test(revision)) return revision;
  return undefined;
}

/**
 * Python's `huggingface_hub.try_to_load_from_cache`: resolve `refs/<revision>` to a commit, then
 * `snapshots/<commit>/<path>` (a plain file, or a symlink into `blobs/`). `.no_exist/<commit>/<path>`
 * records a file the Hub said is not there.
 */
export function tryToLoadFromCache(params: CacheLookupParams): CacheLookup {
  assertSafeRepoPath(params.path, params.repoId);
  const repoDir = join(params.cacheDir, repoFolderName(params.repoId, params.repoType ?? "model"));
  const commit = existsSync(repoDir) ? resolveCachedRevision(repoDir, params.revision ?? "main") : undefined;
  if (commit === undefined) return { status: "absent", repoDir };
  if (existsSync(join(repoDir, ".no_exist", commit, ...params.path.split("/")))) return { status: "known-missing", commit };
  const file = join(repoDir, "snapshots", commit, ...params.path.split("/"));
  // statSync follows symlinks: a dangling link into blobs/ is not a cached file.
  try {
    if (statSync(file).isFile()) return { status: "found", path: file, commit };
  } catch {
    /* not cached */
  }
  return { status: "absent", repoDir, commit };
}

/** Every file path (with "/" separators) in a cached snapshot, sorted. */
export function listCachedSnapshot(snapshotDir: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full, rel);
      else if (entry.isFile() || (entry.isSymbolicLink() && existsSync(full) && statSync(full).isFile())) out.push(rel);
    }
  };
  walk(snapshotDir, "");
  return out.sort();
}
