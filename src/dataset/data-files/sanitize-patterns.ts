import { InvalidArgumentError } from "../../errors.js";

/** One split's files given by name: `{ split: "train", path: "data/train-*.jsonl" }`, as in README `configs`. */
export interface SplitDataFiles {
  split: string;
  path: string | readonly string[];
}

/**
 * Data files as users (and README `configs`) give them, as Python's `data_files`: a pattern, a list of
 * patterns (both: the "train" split), a dict split → pattern(s), or a list of {split, path}.
 */
export type DataFilesSpec = string | readonly string[] | Readonly<Record<string, string | readonly string[]>> | readonly SplitDataFiles[];

/** Python datasets' `sanitize_patterns`: any {@link DataFilesSpec} as split → list of patterns, in the order given. */
export function sanitizePatterns(spec: DataFilesSpec, argument = "dataFiles"): Map<string, string[]> {
  if (typeof spec === "string") return new Map([["train", [spec]]]);
  if (Array.isArray(spec)) {
    const list = spec as readonly unknown[];
    if (!list.some((p) => p !== null && typeof p === "object")) {
      const bad = list.find((p) => typeof p !== "string");
      if (bad !== undefined) throw new InvalidArgumentError(argument, spec, `${argument}: every pattern must be a string, got ${JSON.stringify(bad)}.`);
      return new Map([["train", [...(list as string[])]]]);
    }
    const out = new Map<string, string[]>();
    for (const item of list) {
      const ok =
        item !== null &&
        typeof item === "object" &&
        Object.keys(item).length === 2 &&
        typeof (item as SplitDataFiles).split === "string" &&
        (typeof (item as SplitDataFiles).path === "string" || Array.isArray((item as SplitDataFiles).path));
      if (!ok) {
        throw new InvalidArgumentError(
          argument,
          spec,
          `${argument}: invalid entry ${JSON.stringify(item)}. Each item must be {split: <split name>, path: <pattern or list of patterns>}.`,
        );
      }
      const { split, path } = item as SplitDataFiles;
      if (out.has(split)) throw new InvalidArgumentError(argument, spec, `${argument}: split "${split}" is listed twice.`);
      out.set(split, typeof path === "string" ? [path] : [...path]);
    }
    return out;
  }
  if (spec !== null && typeof spec === "object") {
    const out = new Map<string, string[]>();
    for (const [k, v] of Object.entries(spec as Record<string, unknown>)) {
      if (typeof v !== "string" && !(Array.isArray(v) && v.every((p) => typeof p === "string"))) {
        throw new InvalidArgumentError(argument, spec, `${argument}: split "${k}" must map to a pattern or a list of patterns, got ${JSON.stringify(v)}.`);
      }
      out.set(k, typeof v === "string" ? [v] : [...(v as string[])]);
    }
    return out;
  }
  throw new InvalidArgumentError(
    argument,
    spec,
    `${argument} must be a pattern, a list of patterns, a dict split → pattern(s) or a list of {split, path}; got ${String(spec)}.`,
  );
}
