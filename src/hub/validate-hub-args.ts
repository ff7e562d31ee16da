import { InvalidArgumentError } from "../errors.js";

// Python's huggingface_hub.utils._validators.REPO_ID_REGEX.
const REPO_ID_REGEX = /^(\b[\w\-.]+\b\/)?\b[\w\-.]{1,96}\b$/;

/**
 * Python's `validate_repo_id`: "NAME" or "ORG/NAME" of word characters, "-" and ".", no "--" or
 * "..", not ending in ".git". The id becomes both a URL path and a cache folder name, so anything
 * else is refused before it reaches either.
 */
export function validateRepoId(repoId: string): void {
  if (typeof repoId !== "string" || !REPO_ID_REGEX.test(repoId) || repoId.includes("--") || repoId.includes("..") || repoId.endsWith(".git")) {
    throw new InvalidArgumentError(
      "repoId",
      repoId,
      `Invalid repo id ${JSON.stringify(repoId)}: expected "NAME" or "ORG/NAME" (letters, digits, "-", "_", "."; no "--" or "..", at most 96 characters).`,
      {
        hint: "For a local file or folder, pass a path that exists; for a Hub repo, copy the id from its page (e.g. EleutherAI/pythia-70m).",
      },
    );
  }
}

/**
 * A revision becomes `refs/<revision>` inside the cache (nested for "refs/pr/1", as Python writes
 * it), so a revision that would leave the refs folder is refused.
 */
export function validateRevision(revision: string): void {
  const parts = typeof revision === "string" ? revision.split("/") : [];
  if (
    typeof revision !== "string" ||
    revision === "" ||
    revision.startsWith("/") ||
    revision.includes("\\") ||
    revision.includes("\0") ||
    parts.some((p) => p === "" || p === "." || p === "..")
  ) {
    throw new InvalidArgumentError("revision", revision, `Invalid revision ${JSON.stringify(revision)}: expected a branch, a tag or a commit hash.`);
  }
}
