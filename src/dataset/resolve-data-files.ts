import { existsSync, readFileSync, statSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, resolve } from "node:path";
import { InvalidArgumentError, NoDataFilesError, UnsupportedFormatError } from "../errors.js";
import { hfHubDownload } from "../hub/hf-hub-download.js";
import { type HubParams, resolveHubSettings } from "../hub/hub-params.js";
import { listRepoFiles } from "../hub/list-repo-files.js";
import { openHubFile } from "../hub/open-hub-file.js";
import { DatasetCardError } from "./data-files/dataset-card-error.js";
import { getDataPatterns } from "./data-files/get-data-patterns.js";
import { hasMagic } from "./data-files/glob.js";
import { inferModule, moduleExtensions } from "./data-files/infer-module.js";
import { listLocalFiles } from "./data-files/list-local-files.js";
import { ALL_ALLOWED_EXTENSIONS } from "./data-files/patterns.js";
import { type DatasetCardConfig, readDatasetCard } from "./data-files/read-dataset-card.js";
import { resolvePattern } from "./data-files/resolve-pattern.js";
import { type DataFilesSpec, sanitizePatterns } from "./data-files/sanitize-patterns.js";
import { type DataFormat, formatOfFile, SUPPORTED_EXTENSIONS } from "./readers/data-format.js";

export interface ResolveDataFilesParams extends HubParams {
  /**
   * Which files form each split (Python's `data_files`): a pattern or list of patterns (the "train"
   * split), a dict split → pattern(s), or a list of {split, path}. Patterns are relative to the repo
   * root, the folder, or (with a format name as path) the working directory. Overrides README configs.
   */
  dataFiles?: DataFilesSpec;
  /** The README config to use (Python's `name`). Default: the one named "default" or marked `default: true`, or the only one. */
  name?: string;
  /** Streaming mode: a Hub repo's README is read over HTTP and not written to the cache (offline, the cached one is read). Default false. */
  streaming?: boolean;
}

/** One split's files. */
export interface ResolvedSplit {
  /** How the files are read. */
  format: DataFormat;
  /** The files, in reading order: repo paths (Hub) or absolute paths (local). */
  files: string[];
  /** Files the split's patterns matched that are of another format than the split's; not read (datasets leaves them out too). */
  skipped: string[];
}

/** Where a dataset's data is and which files form each split (Python datasets' DataFilesDict and builder choice). */
export interface ResolvedDataFiles {
  /** "hub": `base` is a repo id and files are repo paths; "local": files are absolute paths. */
  source: "hub" | "local";
  /** The Hub repo id, or the local folder (or file) the dataset was found at. */
  base: string;
  /** The README config whose data files were used, if any. */
  config?: string;
  /** Split name → files, in split order. */
  splits: Map<string, ResolvedSplit>;
  /** Reader parameters given by the config (`field` for JSON, `sep` for CSV). */
  readerOptions: { field?: string; sep?: string };
}

const PACKAGED = new Set<string>(["json", "csv", "parquet"]);
const REPO_ID = /^(?![.-])[\w.-]{1,96}(\/(?![.-])[\w.-]{1,96})?$/;

function expandHome(p: string): string {
  return p === "~" || p.startsWith("~/") ? homedir() + p.slice(1) : p;
}

function looksLocal(p: string): boolean {
  return p.startsWith(".") || p.startsWith("~") || isAbsolute(p) || p.includes("\\") || p.split("/").length > 2;
}

const posix = (p: string) => p.split("\\").join("/");

function listPreview(files: readonly string[]): string {
  return files.length === 0 ? "none" : JSON.stringify(files.slice(0, 20)) + (files.length > 20 ? ` and ${files.length - 20} more` : "");
}

/** Python's config choice: the named one, else the default one, else the only one. */
function selectConfig(configs: readonly DatasetCardConfig[], name: string | undefined, where: string, readme: string): DatasetCardConfig | undefined {
  const names = configs.map((c) => c.name);
  if (name !== undefined) {
    const found = configs.find((c) => c.name === name);
    if (found) return found;
    if (configs.length === 0 && name === "default") return undefined;
    throw new InvalidArgumentError(
      "name",
      name,
      `Config "${name}" not found in ${where}. Available: ${JSON.stringify(configs.length === 0 ? ["default"] : names)}.`,
    );
  }
  if (configs.length === 0) return undefined;
  const defaults = configs.filter((c) => c.name === "default" || c.default);
  if (defaults.length > 1) {
    throw new DatasetCardError(`${readme}: the dataset has several default configs: "${defaults[0]!.name}" and "${defaults[1]!.name}".`, { file: readme });
  }
  if (defaults.length === 1) return defaults[0];
  if (configs.length === 1) return configs[0];
  throw new InvalidArgumentError(
    "name",
    undefined,
    `Config name is missing: ${where} has several configs. Pick one among the available configs: ${JSON.stringify(names)}.`,
    {
      hint: `Example: loadDataset(${JSON.stringify(where)}, { name: ${JSON.stringify(names[0])} }).`,
    },
  );
}

/** The builder for a split, as datasets infers it, and the files that builder reads. */
function chooseFormat(split: string, files: string[], where: string): ResolvedSplit {
  const module = inferModule(files);
  if (module === undefined) {
    throw new NoDataFilesError(`No (supported) data files found in ${where} for split "${split}". Files matched: ${listPreview(files)}.`, { files });
  }
  if (!PACKAGED.has(module)) {
    throw new UnsupportedFormatError(
      `${where}: split "${split}" holds data that datasets reads with its "${module}" builder (${files.length} file${files.length === 1 ? "" : "s"}, e.g. ${files[0]}); only Parquet, JSON/JSON Lines and CSV are read here (${SUPPORTED_EXTENSIONS.join(", ")}).`,
      { file: files[0]! },
    );
  }
  const exts = moduleExtensions(module).map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const keep = new RegExp(`.*(${exts.join("|")})(\\..+)?$`);
  return { format: module as DataFormat, files: files.filter((f) => keep.test(f)), skipped: files.filter((f) => !keep.test(f)) };
}

interface Plan {
  patterns: Map<string, string[]>;
  config?: DatasetCardConfig;
  /** Folder (relative) the patterns are relative to. */
  dataDir: string;
}

/** Which patterns give each split: user dataFiles, else the chosen README config, else datasets' default rules. */
function plan(files: readonly string[], configs: readonly DatasetCardConfig[], params: ResolveDataFilesParams, where: string, readme: string): Plan {
  if (params.dataFiles !== undefined) return { patterns: sanitizePatterns(params.dataFiles), dataDir: "" };
  const config = selectConfig(configs, params.name, where, readme);
  const dataDir = config?.dataDir ?? "";
  if (config?.dataFiles !== undefined) {
    return { patterns: sanitizePatterns(config.dataFiles, `${readme} configs[${config.name}].data_files`), config, dataDir };
  }
  const under = dataDir ? files.filter((f) => f.startsWith(`${dataDir}/`)).map((f) => f.slice(dataDir.length + 1)) : files;
  return { patterns: getDataPatterns(under, dataDir ? `${where}/${dataDir}` : where), ...(config ? { config } : {}), dataDir };
}

function readerOptionsOf(config: DatasetCardConfig | undefined): ResolvedDataFiles["readerOptions"] {
  const p = config?.params ?? {};
  const sep = typeof p.sep === "string" ? p.sep : typeof p.delimiter === "string" ? p.delimiter : undefined;
  return { ...(typeof p.field === "string" ? { field: p.field } : {}), ...(sep !== undefined ? { sep } : {}) };
}

/**
 * Files of a pattern on the local disk: the pattern's literal leading folders are walked (only as
 * deep as the pattern reaches), then datasets' matching rules apply.
 */
function resolveLocalPattern(absPattern: string, allowed: ReadonlySet<string> | undefined, cache: Map<string, string[]>): string[] {
  const segs = absPattern.split("/");
  const i = segs.findIndex(hasMagic);
  if (i === -1) {
    try {
      if (!statSync(absPattern).isFile()) return [];
    } catch {
      return [];
    }
    return resolvePattern(segs[segs.length - 1]!, [segs[segs.length - 1]!], allowed).length > 0 ? [absPattern] : [];
  }
  const root = segs.slice(0, i).join("/") || "/";
  const rest = segs.slice(i).join("/");
  const depth = rest.includes("**") ? Infinity : segs.length - i;
  const key = `${root}\0${depth}`;
  let listing = cache.get(key);
  if (!listing) {
    listing = listLocalFiles(root, depth);
    cache.set(key, listing);
  }
  return resolvePattern(rest, listing, allowed).map((f) => (root.endsWith("/") ? root + f : `${root}/${f}`));
}

/**
 * Each split's files from its patterns (`find` resolves one pattern), as datasets' DataFilesDict: a
 * literal path that matches nothing is an error, a glob that matches nothing is not, a split left
 * without files is. Then the split's format: `format` when forced, else inferred from the files.
 */
function resolveSplits(
  patterns: Map<string, string[]>,
  find: (pattern: string) => string[],
  where: string,
  listing: readonly string[],
  format?: DataFormat,
): Map<string, ResolvedSplit> {
  const splits = new Map<string, ResolvedSplit>();
  for (const [split, list] of patterns) {
    const matched: string[] = [];
    for (const p of list) {
      const found = find(p);
      if (found.length === 0 && !hasMagic(p)) {
        throw new NoDataFilesError(`Unable to find '${p}' in ${where}${format ? "" : " with a supported extension"} (data files of split "${split}").`, {
          files: listing,
        });
      }
      matched.push(...found);
    }
    if (matched.length === 0) {
      throw new NoDataFilesError(`${where}: no data files match split "${split}" (${JSON.stringify(list)}). Files found: ${listPreview(listing)}.`, {
        files: listing,
      });
    }
    const files = [...new Set(matched)];
    splits.set(split, format ? { format, files, skipped: [] } : chooseFormat(split, files, where));
  }
  return splits;
}

/**
 * Python datasets' data-file resolution for `load_dataset(path, …)`, without reading anything:
 * - `path` "json" | "csv" | "parquet": those files (`dataFiles`, relative to the working directory;
 *   else the split rules over it), read in that format whatever their extension;
 * - a local file: one "train" split, the format from the extension;
 * - a local folder or a Hub dataset repo ("org/name"): `dataFiles` if given, else the README's
 *   `configs` (see `name`), else datasets' split rules ({@link getDataPatterns}); each split's format
 *   is inferred from its files' extensions as datasets does.
 * Hub repos are listed and their README read through the Hugging Face cache ({@link listRepoFiles},
 * {@link hfHubDownload}), offline too when the cache holds them.
 */
export async function resolveDataFiles(path: string, params: ResolveDataFilesParams = {}): Promise<ResolvedDataFiles> {
  if (PACKAGED.has(path)) {
    const format = path as DataFormat;
    const base = posix(process.cwd());
    const cache = new Map<string, string[]>();
    const patterns = params.dataFiles !== undefined ? sanitizePatterns(params.dataFiles) : getDataPatterns(listLocalFiles(base), base);
    const find = (p: string) => resolveLocalPattern(posix(resolve(base, expandHome(p))), undefined, cache);
    return { source: "local", base, splits: resolveSplits(patterns, find, base, [], format), readerOptions: {} };
  }

  const local = resolve(expandHome(path));
  if (existsSync(local) && statSync(local).isFile()) {
    const format = formatOfFile(local);
    if (!format) {
      throw new UnsupportedFormatError(`${local}: no reader for this file type. Supported: ${SUPPORTED_EXTENSIONS.join(", ")}.`, {
        file: local,
        hint: 'To read it as one of these formats anyway, name the format: loadDataset("json" | "csv" | "parquet", { dataFiles: path }).',
      });
    }
    return { source: "local", base: posix(local), splits: new Map([["train", { format, files: [posix(local)], skipped: [] }]]), readerOptions: {} };
  }

  if (existsSync(local) && statSync(local).isDirectory()) {
    const base = posix(local);
    const files = listLocalFiles(local);
    const readme = `${base}/README.md`;
    const configs = files.includes("README.md") ? readDatasetCard(readFileSync(readme, "utf8"), readme) : [];
    const { patterns, config, dataDir } = plan(files, configs, params, base, readme);
    const root = dataDir ? `${base}/${dataDir}` : base;
    const cache = new Map<string, string[]>([[`${base}\0${Infinity}`, files]]);
    const find = (p: string) => resolveLocalPattern(posix(resolve(root, expandHome(p))), ALL_ALLOWED_EXTENSIONS, cache);
    const splits = resolveSplits(patterns, find, root, files);
    return { source: "local", base, ...(config ? { config: config.name } : {}), splits, readerOptions: readerOptionsOf(config) };
  }

  if (looksLocal(path) || !REPO_ID.test(path)) {
    throw new NoDataFilesError(
      `No such file or folder: ${local}${REPO_ID.test(path) ? "" : ` (and ${JSON.stringify(path)} is not a Hub dataset id either)`}.`,
      {
        files: [],
        file: local,
        hint: 'Pass a local file or folder, a Hub dataset id ("org/name"), or a format with dataFiles: loadDataset("json", { dataFiles: "data/*.jsonl" }).',
      },
    );
  }

  const repoId = path;
  const hub: HubParams = params;
  const files = await listRepoFiles({ ...hub, repoId, repoType: "dataset" });
  const where = `dataset repo ${repoId}`;
  let configs: DatasetCardConfig[] = [];
  if (files.includes("README.md")) {
    const text =
      params.streaming && !resolveHubSettings(hub).offline
        ? Buffer.from(await (await openHubFile({ ...hub, repoId, repoType: "dataset", path: "README.md" })).read(0, Infinity)).toString("utf8")
        : readFileSync(await hfHubDownload({ ...hub, repoId, repoType: "dataset", path: "README.md" }), "utf8");
    configs = readDatasetCard(text, `${repoId}/README.md`);
  }
  const { patterns, config, dataDir } = plan(files, configs, params, repoId, `${repoId}/README.md`);
  const find = (p: string) => resolvePattern((dataDir ? `${dataDir}/${p}` : p).replace(/^\.?\/+/, ""), files, ALL_ALLOWED_EXTENSIONS);
  const splits = resolveSplits(patterns, find, dataDir ? `${where}/${dataDir}` : where, files);
  return { source: "hub", base: repoId, ...(config ? { config: config.name } : {}), splits, readerOptions: readerOptionsOf(config) };
}
