import { existsSync, rmdirSync } from "node:fs";
import { dirname, resolve } from "node:path";

/** The folders of `dir`'s path that do not exist yet, and a way to remove them again. */
export interface CreatedFolders {
  /** The missing folders, deepest first: what `mkdir -p dir` creates. */
  readonly folders: readonly string[];
  /** Removes those folders, deepest first, while they are empty; stops at the first that is not. Never throws. */
  removeIfEmpty(): void;
}

/**
 * Notes which folders of `dir`'s path are missing before a run creates them, so that a run that fails
 * can take back the folders it made and leave no empty `--out` behind. A folder that existed before,
 * or that holds anything (a file written before the failure, or someone else's), is never removed.
 */
export function trackCreatedFolders(dir: string): CreatedFolders {
  const folders: string[] = [];
  for (let d = resolve(dir); !existsSync(d); d = dirname(d)) {
    folders.push(d);
    if (dirname(d) === d) break;
  }
  return {
    folders,
    removeIfEmpty() {
      for (const folder of folders) {
        try {
          rmdirSync(folder);
        } catch {
          // Not empty, or never created (the run failed first): it and the folders above it stay.
          return;
        }
      }
    },
  };
}
