import { type MinimatchOptions, minimatch } from "minimatch";

/**
 * fsspec's glob (>= 2023.12, as datasets uses it) behaves as Python's glob: `*` and `?` stay inside a
 * path segment, `**` as a whole segment spans any number of them, `[...]` classes. No braces, no
 * extglobs, no negation. Hidden files are matched here; datasets' own rules (see resolvePattern)
 * decide about them. Case-sensitive, as fsspec is.
 */
const OPTIONS: MinimatchOptions = { dot: true, nobrace: true, noext: true, nonegate: true, nocomment: true };

export function globMatch(path: string, pattern: string): boolean {
  return minimatch(path, pattern, OPTIONS);
}

/** Python's `glob.has_magic`: whether a pattern has wildcards at all. */
export function hasMagic(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}
