import { EXTENSION_TO_MODULE, METADATA_FILENAMES } from "./patterns.js";

const RANKED = [".parquet", ".jsonl", ".json", ".csv"];

/**
 * Python datasets' `infer_module_for_data_files_list`: the builder for a split's files — that of
 * the most common extension (every suffix of a name counts: `a.jsonl.gz` is `.jsonl` and `.gz`);
 * ties go to .parquet, then .jsonl, .json, .csv, then the extension last in alphabetical order;
 * `metadata.*` files rank below everything. Only the first 200 files are looked at (datasets'
 * DATA_FILES_MAX_NUMBER_FOR_MODULE_INFERENCE). Undefined when no extension names a builder.
 */
export function inferModule(files: readonly string[]): string | undefined {
  const counts = new Map<string, { ext: string; metadata: boolean; count: number }>();
  for (const file of files.slice(0, 200)) {
    const name = file.slice(file.lastIndexOf("/") + 1);
    const metadata = METADATA_FILENAMES.has(name);
    for (const suffix of name.split(".").slice(1)) {
      const ext = `.${suffix.toLowerCase()}`;
      const key = `${ext}\0${metadata}`;
      const entry = counts.get(key) ?? { ext, metadata, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
  }
  // Python sorts by (not metadata, count, is .parquet, is .jsonl, is .json, is .csv, ext), descending.
  const ranked = [...counts.values()].sort((a, b) => {
    if (a.metadata !== b.metadata) return a.metadata ? 1 : -1;
    if (a.count !== b.count) return b.count - a.count;
    for (const e of RANKED) if ((a.ext === e) !== (b.ext === e)) return a.ext === e ? -1 : 1;
    return a.ext < b.ext ? 1 : a.ext > b.ext ? -1 : 0;
  });
  for (const { ext } of ranked) {
    const module = EXTENSION_TO_MODULE.get(ext);
    if (module) return module;
    if (ext === ".zip") return "zip";
  }
  return undefined;
}

/** The extensions a builder reads (datasets' `_MODULE_TO_EXTENSIONS`). */
export function moduleExtensions(module: string): string[] {
  return [...EXTENSION_TO_MODULE].filter(([, m]) => m === module).map(([e]) => e);
}
