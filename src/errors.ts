/**
 * Typed errors. Every error a user can meet is one of these: the message says what is wrong,
 * where (file, line, row, column) and what to do; the fields carry the same facts for programs.
 * The CLI prints `message` (never a stack) and exits 1; usage errors exit 2.
 */

/** Where in the input an error lies. Every field is optional: set what is known. */
export interface ErrorLocation {
  /** Path of the file at fault. */
  file?: string;
  /** 1-based line number in `file` (text formats). */
  line?: number;
  /** 0-based row index in the dataset. */
  row?: number;
  /** Column (field) name. */
  column?: string;
}

export interface FinetunePrepErrorOptions extends ErrorLocation {
  /** What the user can do about it; appended to the message on its own line. */
  hint?: string;
  /** The lower-level error this one explains. */
  cause?: unknown;
}

/** Base class of every error this library throws on purpose. */
export class FinetunePrepError extends Error {
  /** Stable, machine-readable kind, e.g. "MALFORMED_RECORD". */
  readonly code: string = "FINETUNE_PREP_ERROR";
  readonly file?: string;
  readonly line?: number;
  readonly row?: number;
  readonly column?: string;
  readonly hint?: string;

  constructor(message: string, options: FinetunePrepErrorOptions = {}) {
    super(options.hint ? `${message}\n  ${options.hint}` : message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.file !== undefined) this.file = options.file;
    if (options.line !== undefined) this.line = options.line;
    if (options.row !== undefined) this.row = options.row;
    if (options.column !== undefined) this.column = options.column;
    if (options.hint !== undefined) this.hint = options.hint;
  }
}

/** Formats a location as `file:line` / `row 3, column "answer"`, for messages. */
export function formatLocation(loc: ErrorLocation): string {
  const parts: string[] = [];
  if (loc.file !== undefined) parts.push(loc.line !== undefined ? `${loc.file}:${loc.line}` : loc.file);
  else if (loc.line !== undefined) parts.push(`line ${loc.line}`);
  if (loc.row !== undefined) parts.push(`row ${loc.row}`);
  if (loc.column !== undefined) parts.push(`column "${loc.column}"`);
  return parts.join(", ");
}

// ---------------------------------------------------------------- arguments

/** An option or argument out of its domain (Python's ValueError for arguments). */
export class InvalidArgumentError extends FinetunePrepError {
  override readonly code: string = "INVALID_ARGUMENT";
  /** The option's name as the user wrote it, e.g. "testSize". */
  readonly argument: string;
  readonly value: unknown;
  constructor(argument: string, value: unknown, message: string, options: FinetunePrepErrorOptions = {}) {
    super(message, options);
    this.argument = argument;
    this.value = value;
  }
}

// ---------------------------------------------------------------- data files

/** A data file could not be read as data: the base of the file-level errors below. */
export class DataFileError extends FinetunePrepError {
  override readonly code: string = "DATA_FILE";
}

/** A record that does not parse: a JSON Lines line, a CSV record. `file` and `line` are set. */
export class MalformedRecordError extends DataFileError {
  override readonly code: string = "MALFORMED_RECORD";
}

/** Bytes that are not valid UTF-8. `file` and `line` are set; `byteOffset` is the first bad byte. */
export class EncodingError extends DataFileError {
  override readonly code: string = "ENCODING";
  readonly byteOffset?: number;
  constructor(message: string, options: FinetunePrepErrorOptions & { byteOffset?: number } = {}) {
    super(message, options);
    if (options.byteOffset !== undefined) this.byteOffset = options.byteOffset;
  }
}

/** A data file with no rows at all. */
export class EmptyFileError extends DataFileError {
  override readonly code: string = "EMPTY_FILE";
}

/** A binary file (Parquet) that is truncated or corrupt. */
export class CorruptFileError extends DataFileError {
  override readonly code: string = "CORRUPT_FILE";
}

/** A file whose extension or format no reader handles. */
export class UnsupportedFormatError extends DataFileError {
  override readonly code: string = "UNSUPPORTED_FORMAT";
}

/** The same column name twice in a header (CSV). */
export class DuplicateColumnError extends DataFileError {
  override readonly code: string = "DUPLICATE_COLUMN";
}

/** A row longer than the readers accept; the message names the limit. */
export class RecordTooLargeError extends DataFileError {
  override readonly code: string = "RECORD_TOO_LARGE";
}

// ---------------------------------------------------------------- columns and values

/** A column the operation needs is not there. `columns` lists the ones there are. */
export class MissingColumnError extends FinetunePrepError {
  override readonly code: string = "MISSING_COLUMN";
  readonly columns: readonly string[];
  constructor(message: string, options: FinetunePrepErrorOptions & { columns: readonly string[] }) {
    super(message, options);
    this.columns = options.columns;
  }
}

/** A value of the wrong type: null, a number or an object where text is needed. `row` and `column` are set. */
export class ColumnTypeError extends FinetunePrepError {
  override readonly code: string = "COLUMN_TYPE";
  /** What was found, e.g. "null", "number", "object". */
  readonly found?: string;
  constructor(message: string, options: FinetunePrepErrorOptions & { found?: string } = {}) {
    super(message, options);
    if (options.found !== undefined) this.found = options.found;
  }
}

/** A prompt template that cannot be applied: an unknown placeholder, bad syntax. */
export class TemplateError extends FinetunePrepError {
  override readonly code: string = "TEMPLATE";
  /** The placeholder at fault, when there is one. */
  readonly placeholder?: string;
  constructor(message: string, options: FinetunePrepErrorOptions & { placeholder?: string } = {}) {
    super(message, options);
    if (options.placeholder !== undefined) this.placeholder = options.placeholder;
  }
}

/** A split name that the dataset does not have. `splits` lists the ones it has. */
export class SplitNotFoundError extends FinetunePrepError {
  override readonly code: string = "SPLIT_NOT_FOUND";
  readonly split: string;
  readonly splits: readonly string[];
  constructor(split: string, splits: readonly string[], message?: string) {
    super(message ?? `Unknown split "${split}". Should be one of ${JSON.stringify(splits)}.`);
    this.split = split;
    this.splits = splits;
  }
}

/** A dataset repo or folder in which no data files were found. `files` lists what was there. */
export class NoDataFilesError extends FinetunePrepError {
  override readonly code: string = "NO_DATA_FILES";
  readonly files: readonly string[];
  constructor(message: string, options: FinetunePrepErrorOptions & { files: readonly string[] }) {
    super(message, options);
    this.files = options.files;
  }
}

/** A dataset's README.md whose YAML front matter (the `configs` that list its data files) cannot be used. `file` and, when known, `line` are set. */
export class DatasetCardError extends FinetunePrepError {
  override readonly code: string = "DATASET_CARD";
}

/** An invariant of the pipeline broke at run time (rows lost or duplicated). A bug, never the user's fault. */
export class IntegrityError extends FinetunePrepError {
  override readonly code: string = "INTEGRITY";
}

// ---------------------------------------------------------------- tokenizer

/** A tokenizer folder or file that cannot be used (no tokenizer.json, unreadable config). */
export class TokenizerFileError extends FinetunePrepError {
  override readonly code: string = "TOKENIZER_FILE";
}

/**
 * The tokenizer loads and encodes, but one operation cannot be done exactly for its pipeline
 * (e.g. character spans for a normalizer whose offsets are not tracked). Raised instead of
 * returning numbers that might differ from Python's.
 */
export class UnsupportedTokenizerError extends TokenizerFileError {
  override readonly code: string = "UNSUPPORTED_TOKENIZER";
}

// ---------------------------------------------------------------- hub and cache

/** Base of errors talking to the Hub or reading its cache. */
export class HubError extends FinetunePrepError {
  override readonly code: string = "HUB";
  readonly repoId?: string;
  constructor(message: string, options: FinetunePrepErrorOptions & { repoId?: string } = {}) {
    super(message, options);
    if (options.repoId !== undefined) this.repoId = options.repoId;
  }
}

/** The repo (or revision) does not exist on the Hub, or is private and no token was given. */
export class RepoNotFoundError extends HubError {
  override readonly code: string = "REPO_NOT_FOUND";
}

/**
 * The repo exists but the branch, tag or commit asked for does not (the Hub's `X-Error-Code:
 * RevisionNotFound`). Python's `RevisionNotFoundError`; a kind of {@link RepoNotFoundError}, as
 * that class describes ("the repo (or revision) does not exist"), so code catching the wider class
 * keeps working.
 */
export class RevisionNotFoundError extends RepoNotFoundError {
  override readonly code: string = "REVISION_NOT_FOUND";
  /** The revision asked for. */
  readonly revision: string;
  constructor(message: string, options: FinetunePrepErrorOptions & { repoId?: string; revision: string }) {
    super(message, options);
    this.revision = options.revision;
  }
}

/** The repo is gated or private: HF_TOKEN is missing or lacks access. */
export class GatedRepoError extends HubError {
  override readonly code: string = "GATED_REPO";
}

/** Offline (HF_HUB_OFFLINE=1) and the cache does not hold what was asked. `file` is the path looked at. */
export class NotCachedError extends HubError {
  override readonly code: string = "NOT_CACHED";
}

/** A file listed by the Hub that is missing (404 on a file of an existing repo). */
export class EntryNotFoundError extends HubError {
  override readonly code: string = "ENTRY_NOT_FOUND";
}

/** An HTTP or network failure that retries did not cure. */
export class HubHttpError extends HubError {
  override readonly code: string = "HUB_HTTP";
  readonly status?: number;
  constructor(message: string, options: FinetunePrepErrorOptions & { repoId?: string; status?: number } = {}) {
    super(message, options);
    if (options.status !== undefined) this.status = options.status;
  }
}

/**
 * The Hub could not be reached at all: connection refused, DNS failure, TLS failure, or no answer
 * within the timeout (a stalled accept). `reason` says which, in a few words ("connection refused").
 */
export class HubUnreachableError extends HubHttpError {
  override readonly code: string = "HUB_UNREACHABLE";
  readonly reason: string;
  constructor(message: string, options: FinetunePrepErrorOptions & { repoId?: string; reason: string }) {
    super(message, options);
    this.reason = options.reason;
  }
}

/** Downloaded bytes that do not match what the Hub announced (size or ETag hash). Nothing was cached. */
export class DownloadIntegrityError extends HubError {
  override readonly code: string = "DOWNLOAD_INTEGRITY";
}

/** A path from a Hub listing that would escape the cache (`..`, absolute). Refused. */
export class UnsafePathError extends HubError {
  override readonly code: string = "UNSAFE_PATH";
}

// ---------------------------------------------------------------- outputs

/** An output file that could not be written (no space, no permission, a column type no format holds). `file` is set. */
export class OutputFileError extends FinetunePrepError {
  override readonly code: string = "OUTPUT_FILE";
  constructor(message: string, options: FinetunePrepErrorOptions = {}) {
    super(message, options);
  }
}

// ---------------------------------------------------------------- optional packages

/**
 * A function needs a package that is an optional peer dependency of finetune-prep (the notebook
 * displays: danfojs-node, plotly.js-dist) and it is not installed. `packageName` is the package.
 */
export class MissingDependencyError extends FinetunePrepError {
  override readonly code: string = "MISSING_DEPENDENCY";
  readonly packageName: string;
  constructor(packageName: string, message: string, options: FinetunePrepErrorOptions = {}) {
    super(message, options);
    this.packageName = packageName;
  }
}
