import { NoDataFilesError } from "../../errors.js";
import { ALL_DEFAULT_PATTERNS, DEFAULT_SPLITS, SHARDED_SPLIT_REGEX, SPLIT_NAME_REGEX, SPLIT_PATTERN_SHARDED } from "./patterns.js";
import { resolvePattern } from "./resolve-pattern.js";

/**
 * Python datasets' `get_data_patterns`: which glob patterns give each split's files in a repo or
 * folder with no `configs` in its README. In order:
 * 1. `data/{split}-00000-of-00001.*` (push_to_hub's layout): one split per name found, train,
 *    validation, test first, then the others sorted;
 * 2. split keywords in folder names (`train/`, `data/validation-2/`, `my_test/`…);
 * 3. split keywords in file names (`train.csv`, `data/dev_0.jsonl`, `my-eval.parquet`…), with
 *    datasets' keywords (train/training, validation/valid/dev/val, test/testing/eval/evaluation) and
 *    separators (`-._ ` and digits);
 * 4. everything as one "train" split.
 * The first rule that matches a file decides. `files` are "/"-separated paths relative to the root.
 * No file at all is a NoDataFilesError.
 */
export function getDataPatterns(files: readonly string[], where = "The dataset"): Map<string, string[]> {
  const sharded = resolvePattern(SPLIT_PATTERN_SHARDED.replace("{split}", "*"), files);
  if (sharded.length > 0) {
    const splits = new Set<string>();
    for (const p of sharded) {
      const m = SHARDED_SPLIT_REGEX.exec(p.slice(p.lastIndexOf("/") + 1));
      if (m) splits.add(m[1]!);
    }
    const bad = [...splits].filter((s) => !SPLIT_NAME_REGEX.test(s));
    if (bad.length > 0) {
      throw new NoDataFilesError(
        `${where}: the split names ${JSON.stringify(bad)} read from data/{split}-00000-of-00001.* file names are not valid (letters, digits, "_" and "." only).`,
        {
          files: sharded,
          hint: "Rename the files, or list the data files per split in the README's configs.",
        },
      );
    }
    const ordered = [...DEFAULT_SPLITS.filter((s) => splits.has(s)), ...[...splits].filter((s) => !(DEFAULT_SPLITS as readonly string[]).includes(s)).sort()];
    return new Map(ordered.map((s) => [s, [SPLIT_PATTERN_SHARDED.replace("{split}", s)]]));
  }
  for (const group of ALL_DEFAULT_PATTERNS) {
    const found = Object.entries(group).filter(([, patterns]) => patterns.some((p) => resolvePattern(p, files).length > 0));
    if (found.length > 0) return new Map(found);
  }
  throw new NoDataFilesError(
    `${where} doesn't contain any data files. Files found: ${files.length === 0 ? "none" : JSON.stringify(files.slice(0, 20))}${files.length > 20 ? ` and ${files.length - 20} more` : ""}.`,
    {
      files,
    },
  );
}
