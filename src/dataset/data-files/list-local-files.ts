import { type Dirent, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { comparePaths } from "./resolve-pattern.js";

/**
 * Every file under `root`, as "/"-separated paths relative to it, sorted; symlinks to files count,
 * symlinked folders are not entered (no cycles). `maxDepth` 1 lists `root`'s own files only.
 */
export function listLocalFiles(root: string, maxDepth = Infinity): string[] {
  const out: string[] = [];
  const walk = (dir: string, prefix: string, depth: number) => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      const full = join(dir, e.name);
      if (e.isDirectory()) {
        if (depth < maxDepth) walk(full, rel, depth + 1);
      } else if (e.isFile()) out.push(rel);
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(full).isFile()) out.push(rel);
        } catch {
          /* dangling link */
        }
      }
    }
  };
  walk(root, "", 1);
  return out.sort(comparePaths);
}
