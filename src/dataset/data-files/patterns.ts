// The constants of Python datasets' data_files.py (fsspec >= 2023.12 variant) and load.py that decide
// which files of a repo or folder are data, and which split each belongs to.

/** `data/train-00000-of-00003.parquet`: the layout `push_to_hub` writes. Checked first. */
export const SPLIT_PATTERN_SHARDED = "data/{split}-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*";

/** Python's `string_to_dict` turns the pattern's basename into this regex to read the split name. */
export const SHARDED_SPLIT_REGEX = /(.+)-[0-9][0-9][0-9][0-9][0-9]-of-[0-9][0-9][0-9][0-9][0-9]*.*/;

/** datasets' `_split_re`: what a split name may be. */
export const SPLIT_NAME_REGEX = /^[\p{L}\p{N}_]+(\.[\p{L}\p{N}_]+)*$/u;

export const DEFAULT_SPLITS = ["train", "validation", "test"] as const;

const SPLIT_KEYWORDS: Readonly<Record<(typeof DEFAULT_SPLITS)[number], readonly string[]>> = {
  train: ["train", "training"],
  validation: ["validation", "valid", "dev", "val"],
  test: ["test", "testing", "eval", "evaluation"],
};

const NON_WORDS_CHARS = "-._ 0-9";
const KEYWORDS_IN_FILENAME_BASE_PATTERNS = ["**/{keyword}[{sep}]*", "**/*[{sep}]{keyword}[{sep}]*"];
const KEYWORDS_IN_DIR_NAME_BASE_PATTERNS = ["**/{keyword}/**", "**/{keyword}[{sep}]*/**", "**/*[{sep}]{keyword}/**", "**/*[{sep}]{keyword}[{sep}]*/**"];

function splitPatterns(bases: readonly string[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const split of DEFAULT_SPLITS) {
    out[split] = SPLIT_KEYWORDS[split].flatMap((keyword) => bases.map((p) => p.replaceAll("{keyword}", keyword).replaceAll("{sep}", NON_WORDS_CHARS)));
  }
  return out;
}

const DEFAULT_PATTERNS_SPLIT_IN_DIR_NAME = splitPatterns(KEYWORDS_IN_DIR_NAME_BASE_PATTERNS);
const DEFAULT_PATTERNS_SPLIT_IN_FILENAME = splitPatterns(KEYWORDS_IN_FILENAME_BASE_PATTERNS);
const DEFAULT_PATTERNS_ALL: Record<string, string[]> = { train: ["**"] };

/**
 * Tried in order after the sharded layout; the first group in which some split matches a file wins.
 * (Recent datasets also try `**\/*.eval` → "logs" and Harbor task files → "test" first: formats this
 * library does not read, left out.)
 */
export const ALL_DEFAULT_PATTERNS: readonly Record<string, string[]>[] = [
  DEFAULT_PATTERNS_SPLIT_IN_DIR_NAME,
  DEFAULT_PATTERNS_SPLIT_IN_FILENAME,
  DEFAULT_PATTERNS_ALL,
];

/** Never data, unless a pattern names them explicitly. */
export const FILES_TO_IGNORE = ["README.md", "config.json", "dataset_info.json", "dataset_infos.json", "dummy_data.zip", "dataset_dict.json"];

const IMAGE = [
  ".blp",
  ".bmp",
  ".dib",
  ".bufr",
  ".cur",
  ".pcx",
  ".dcx",
  ".dds",
  ".ps",
  ".eps",
  ".fit",
  ".fits",
  ".fli",
  ".flc",
  ".ftc",
  ".ftu",
  ".gbr",
  ".gif",
  ".grib",
  ".h5",
  ".hdf",
  ".png",
  ".apng",
  ".jp2",
  ".j2k",
  ".jpc",
  ".jpf",
  ".jpx",
  ".j2c",
  ".icns",
  ".ico",
  ".im",
  ".iim",
  ".tif",
  ".tiff",
  ".jfif",
  ".jpe",
  ".jpg",
  ".jpeg",
  ".mpg",
  ".mpeg",
  ".msp",
  ".pcd",
  ".pxr",
  ".pbm",
  ".pgm",
  ".ppm",
  ".pnm",
  ".psd",
  ".bw",
  ".rgb",
  ".rgba",
  ".sgi",
  ".ras",
  ".tga",
  ".icb",
  ".vda",
  ".vst",
  ".webp",
  ".wmf",
  ".emf",
  ".xbm",
  ".xpm",
];
const AUDIO = [
  ".aiff",
  ".au",
  ".avr",
  ".caf",
  ".flac",
  ".htk",
  ".svx",
  ".mat4",
  ".mat5",
  ".mpc2k",
  ".ogg",
  ".paf",
  ".pvf",
  ".raw",
  ".rf64",
  ".sd2",
  ".sds",
  ".ircam",
  ".voc",
  ".w64",
  ".wav",
  ".nist",
  ".wavex",
  ".wve",
  ".xi",
  ".mp3",
  ".opus",
];
const VIDEO = [".mkv", ".mp4", ".avi", ".mpeg", ".mov"];

/**
 * datasets' `_EXTENSION_TO_MODULE`: which builder reads an extension. Only "parquet", "json" and
 * "csv" are read here; the others are listed so that format inference picks what Python picks (and
 * says so, instead of silently reading something else).
 */
export const EXTENSION_TO_MODULE: ReadonlyMap<string, string> = new Map<string, string>([
  [".csv", "csv"],
  [".tsv", "csv"],
  [".json", "json"],
  [".jsonl", "json"],
  [".parquet", "parquet"],
  [".geoparquet", "parquet"],
  [".gpq", "parquet"],
  [".arrow", "arrow"],
  [".txt", "text"],
  [".tar", "webdataset"],
  [".xml", "xml"],
  [".hdf5", "hdf5"],
  [".pdf", "pdffolder"],
  [".nii", "niftifolder"],
  ...IMAGE.flatMap((e) => [[e, "imagefolder"] as [string, string], [e.toUpperCase(), "imagefolder"] as [string, string]]),
  ...AUDIO.flatMap((e) => [[e, "audiofolder"] as [string, string], [e.toUpperCase(), "audiofolder"] as [string, string]]),
  ...VIDEO.flatMap((e) => [[e, "videofolder"] as [string, string], [e.toUpperCase(), "videofolder"] as [string, string]]),
]);

/** datasets' `ALL_ALLOWED_EXTENSIONS`: data files are files with one of these (as any of their suffixes). */
export const ALL_ALLOWED_EXTENSIONS: ReadonlySet<string> = new Set([...EXTENSION_TO_MODULE.keys(), ".zip"]);

/** `metadata.csv` & co describe a folder's files; format inference ranks them last. */
export const METADATA_FILENAMES = new Set(["metadata.csv", "metadata.jsonl", "metadata.parquet"]);
