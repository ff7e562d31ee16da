import { parseDocument } from "yaml";
import { DatasetCardError } from "./dataset-card-error.js";
import type { DataFilesSpec } from "./sanitize-patterns.js";

/** One entry of a README's `configs:` list (Python's MetadataConfigs). */
export interface DatasetCardConfig {
  /** `config_name`. */
  name: string;
  /** `data_files`: which files form each split; absent → the default split rules apply (under `dataDir`). */
  dataFiles?: DataFilesSpec;
  /** `data_dir`: the folder the config's files are in. */
  dataDir?: string;
  /** `default: true`. */
  default: boolean;
  /** The config's other keys (builder parameters such as `field`, `sep`). */
  params: Record<string, unknown>;
}

// huggingface_hub's REGEX_YAML_BLOCK, which datasets' DatasetCard.load uses.
const YAML_BLOCK = /^(\s*---[\r\n]+)([\S\s]*?)([\r\n]+---(\r\n|\n|$))/;

const DATA_FILES_EXAMPLES = `Expected data_files to be a string, a list of strings, or a list of {split, path}, e.g.
    data_files: data.csv
    data_files:
      - split: train
        path: train/*
      - split: test
        path: test/*`;

function validDataFiles(v: unknown): boolean {
  if (typeof v === "string") return true;
  if (!Array.isArray(v)) return false;
  return v.every(
    (item) =>
      typeof item === "string" ||
      (item !== null &&
        typeof item === "object" &&
        !Array.isArray(item) &&
        Object.keys(item).length === 2 &&
        "split" in item &&
        (typeof (item as { path?: unknown }).path === "string" || Array.isArray((item as { path?: unknown }).path))),
  );
}

/**
 * The `configs` of a dataset card (README.md) — its YAML front matter parsed as datasets parses it
 * (`MetadataConfigs.from_dataset_card_data`, with the same checks). A card without front matter or
 * without `configs` gives []. Invalid YAML or configs are a {@link DatasetCardError} naming `file` and line.
 */
export function readDatasetCard(text: string, file: string): DatasetCardConfig[] {
  const block = YAML_BLOCK.exec(text);
  if (!block) return [];
  const firstLine = block[1]!.split(/\r\n|\r|\n/).length; // 1-based line of the YAML's first line
  // YAML 1.1 is what PyYAML (and so Python's datasets) reads.
  const doc = parseDocument(block[2]!, { version: "1.1", uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    const line = firstLine + block[2]!.slice(0, e.pos[0]).split(/\r\n|\r|\n/).length - 1;
    throw new DatasetCardError(`${file}:${line}: invalid YAML front matter: ${e.message}`, { file, line, cause: e });
  }
  const data = doc.toJS() as unknown;
  if (data === null || typeof data !== "object" || Array.isArray(data)) return [];
  const configs = (data as Record<string, unknown>).configs;
  if (configs === undefined || configs === null) return [];
  const lineOfKey = (key: string) => {
    const i = block[2]!.split(/\r\n|\r|\n/).findIndex((l) => l.startsWith(`${key}:`));
    return i === -1 ? {} : { line: firstLine + i };
  };
  if (!Array.isArray(configs)) {
    throw new DatasetCardError(`${file}: "configs" in the YAML front matter must be a list, got ${JSON.stringify(configs)}.`, {
      file,
      ...lineOfKey("configs"),
    });
  }
  return configs.map((c: unknown, i: number) => {
    if (c === null || typeof c !== "object" || Array.isArray(c) || typeof (c as Record<string, unknown>).config_name !== "string") {
      throw new DatasetCardError(`${file}: configs[${i}] must include a config_name (the name of the config), got ${JSON.stringify(c)}.`, {
        file,
        ...lineOfKey("configs"),
      });
    }
    const { config_name, data_files, data_dir, default: isDefault, ...params } = c as Record<string, unknown>;
    if (data_files !== undefined && data_files !== null && !validDataFiles(data_files)) {
      throw new DatasetCardError(`${file}: config "${String(config_name)}" has data_files ${JSON.stringify(data_files)}. ${DATA_FILES_EXAMPLES}`, {
        file,
        ...lineOfKey("configs"),
      });
    }
    if (data_dir !== undefined && data_dir !== null && typeof data_dir !== "string") {
      throw new DatasetCardError(`${file}: config "${String(config_name)}" has data_dir ${JSON.stringify(data_dir)}, not a folder name.`, {
        file,
        ...lineOfKey("configs"),
      });
    }
    return {
      name: config_name as string,
      ...(data_files === undefined || data_files === null ? {} : { dataFiles: data_files as DataFilesSpec }),
      ...(typeof data_dir === "string" ? { dataDir: data_dir.replace(/^\.?\/+|\/+$/g, "") } : {}),
      default: isDefault === true,
      params,
    };
  });
}
