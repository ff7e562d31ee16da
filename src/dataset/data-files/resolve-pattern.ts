import { globMatch } from "./glob.js";
import { FILES_TO_IGNORE } from "./patterns.js";

const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);
const parts = (p: string) => p.split("/").filter((s) => s !== "" && s !== ".");

/** datasets: a path inside `__pycache__`-like folders matches only if the pattern names such a folder too. */
function isInsideUnrequestedSpecialDir(path: string, pattern: string): boolean {
  const special = (ps: string[]) => ps.slice(0, -1).filter((s) => s.startsWith("__")).length;
  return special(parts(path)) !== special(parts(pattern));
}

/** datasets: hidden files and folders (a name starting with ".") match only if the pattern spells out as many hidden parts. */
function isUnrequestedHidden(path: string, pattern: string): boolean {
  const hidden = (ps: string[]) => ps.filter((s) => s.startsWith(".") && !/^\.+$/.test(s)).length;
  return hidden(parts(path)) !== hidden(parts(pattern));
}

/** Code-point order, as Python sorts the paths fsspec's glob returns. */
export function comparePaths(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * Python datasets' `resolve_pattern` over a list of file paths ("/"-separated, relative to the same
 * base as the pattern): the files the glob matches, sorted, without README.md & co (unless the pattern
 * names them), hidden files and `__special__` folders not asked for, and — when `allowedExtensions` is
 * given — files none of whose suffixes is allowed.
 */
export function resolvePattern(pattern: string, files: readonly string[], allowedExtensions?: ReadonlySet<string>): string[] {
  const ignore = new Set(FILES_TO_IGNORE);
  ignore.delete(basename(pattern));
  const out: string[] = [];
  for (const file of files) {
    if (ignore.has(basename(file))) continue;
    if (!globMatch(file, pattern)) continue;
    if (isInsideUnrequestedSpecialDir(file, pattern) || isUnrequestedHidden(file, pattern)) continue;
    if (
      allowedExtensions &&
      !basename(file)
        .split(".")
        .slice(1)
        .some((s) => allowedExtensions.has(`.${s}`))
    )
      continue;
    out.push(file);
  }
  return out.sort(comparePaths);
}
