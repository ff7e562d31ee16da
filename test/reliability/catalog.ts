/**
 * The catalog of bad inputs: what each one gives, in the library (error class, its fields) and on
 * the command line (exit code, message). The README's table is rendered from these rows
 * ({@link renderCatalogTable}) and catalog.test.ts checks every message against the real error,
 * so the table cannot drift from what users see.
 *
 * `message` is the text a user reads, with `<file>` / `<dir>` for the path at fault and `…` where
 * the text varies (a parser's reason, a count). `matchesMessage` checks the fixed pieces, in order.
 */
export interface CatalogEntry {
  /** Stable id, used by the tests. */
  id: string;
  /** The input, as the README names it. */
  input: string;
  /** The error class thrown by the library (`null`: accepted). */
  error: string | null;
  /** The fields set on that error, for programs. */
  fields: string;
  /** The message (first line) a user sees, library and CLI alike; for accepted inputs, what happens. */
  message: string;
  /** `finetune-prep prepare` exit code: 0 done, 1 data error, 2 usage error. */
  exit: 0 | 1 | 2;
  /** A second CLI form, when the CLI refuses the value as a usage error first. */
  usage?: string;
}

export const CATALOG: readonly CatalogEntry[] = [
  {
    id: "malformed-jsonl",
    input: "A JSON Lines line that is not JSON",
    error: "MalformedRecordError",
    fields: "file, line",
    message: "<file>:3: not valid JSON: …",
    exit: 1,
  },
  {
    id: "jsonl-not-object",
    input: "A JSON Lines line that is JSON but not an object",
    error: "MalformedRecordError",
    fields: "file, line",
    message: "<file>:2: the line holds an array, not a JSON object; each line must be one object (one row).",
    exit: 1,
  },
  {
    id: "not-utf8",
    input: "Bytes that are not UTF-8 (JSON Lines, JSON, CSV)",
    error: "EncodingError",
    fields: "file, line, byteOffset",
    message: "<file>:2: bytes that are not valid UTF-8 at byte offset ….",
    exit: 1,
  },
  {
    id: "bom-crlf-blank",
    input: "A UTF-8 BOM, CRLF line ends, blank lines",
    error: null,
    fields: "`blankLines` in the reader's summary, `skippedBlankLines` in stats.json",
    message: "Accepted: the same rows as without them; blank lines are skipped and counted, in stats.json and the summary: 4 blank lines skipped.",
    exit: 0,
  },
  {
    id: "empty-file",
    input: "An empty file (or only blank lines)",
    error: "EmptyFileError",
    fields: "file",
    message: "<file>: no rows: the file is empty.",
    exit: 1,
  },
  {
    id: "missing-column",
    input: "No instruction columns, or a named column that is not there",
    error: "MissingColumnError",
    fields: "columns (the ones there are), column",
    message:
      'No instruction columns found. The dataset\'s columns are ["q","a"]; expected question/answer, instruction/response, input/output, text, or messages (chat).',
    exit: 1,
  },
  {
    id: "null-value",
    input: "null in a text column",
    error: "ColumnTypeError",
    fields: "row, column, found",
    message: 'Row 2, column "answer": expected text, found null.',
    exit: 1,
  },
  {
    id: "number-value",
    input: "A number in a text column",
    error: "ColumnTypeError",
    fields: "row, column, found",
    message: 'Row 2, column "answer": expected text, found a number.',
    exit: 1,
  },
  {
    id: "object-value",
    input: "An object in a text column",
    error: "ColumnTypeError",
    fields: "row, column, found",
    message: 'Row 2, column "answer": expected text, found an object.',
    exit: 1,
  },
  {
    id: "empty-strings",
    input: "Empty strings in a text column",
    error: null,
    fields: "`emptyRows`, `emptyByColumn` in the report and stats.json",
    message: 'Kept and counted, with a warning: 2 rows have an empty string (1 in "answer", 1 in "question"); kept as they are.',
    exit: 0,
  },
  {
    id: "long-row",
    input: "A very long row",
    error: null,
    fields: "`truncatedRows`, `truncatedTokens` in the report, `truncatedRows` in stats.json; past the readers' limit, `RecordTooLargeError` (file, line)",
    message:
      "Handled: cut to maxLength and counted: 1 row was longer than maxLength 2048 and truncated (… tokens cut). A line over the readers' limit (256 MiB) is refused: <file>:2: line longer than … bytes, the limit.",
    exit: 0,
  },
  {
    id: "csv-field-count",
    input: "A CSV record with more or fewer fields than the header",
    error: "MalformedRecordError",
    fields: "file, line",
    message: "<file>:3: 3 fields where the header has 2.",
    exit: 1,
  },
  {
    id: "duplicate-columns",
    input: "The same column name twice in a CSV header",
    error: "DuplicateColumnError",
    fields: "file, line, column",
    message: '<file>:1: column "question" appears twice in the header (fields 1 and 3).',
    exit: 1,
  },
  {
    id: "truncated-parquet",
    input: "A truncated Parquet file",
    error: "CorruptFileError",
    fields: "file",
    message: "<file>: not a readable Parquet file (…).",
    exit: 1,
  },
  {
    id: "corrupt-parquet",
    input: "A damaged Parquet file (page headers or data)",
    error: "CorruptFileError",
    fields: "file, column (or row)",
    message: '<file>: row group 0, column "answer": …; the file is corrupt.',
    exit: 1,
  },
  {
    id: "parquet-inflated-sizes",
    input:
      "A Parquet file declaring sizes it cannot hold (a page larger than its codec can expand to, a column chunk larger than the file, Zstandard frames larger than their page)",
    error: "CorruptFileError",
    fields: "file, column",
    message:
      '<file>: row group 0, column "answer": a page of … bytes (SNAPPY) that declares … bytes uncompressed, more than SNAPPY can expand it to (page at byte …); the file is corrupt.',
    exit: 1,
  },
  {
    id: "parquet-row-group-too-large",
    input: "A Parquet row group larger than the memory budget (256 MiB; maxRowGroupBytes, --max-row-group-mb)",
    error: "RecordTooLargeError",
    fields: "file, row",
    message:
      "<file>: row group 0 holds … rows that take about … in memory in the columns read (…), more than the … a row group may take (maxRowGroupBytes). " +
      "Row groups are read whole: rewrite the file with smaller row groups, e.g. with pyarrow pq.write_table(pq.read_table(src), dst, row_group_size=100_000) " +
      "or with DuckDB COPY (SELECT * FROM 'src.parquet') TO 'dst.parquet' (FORMAT parquet, ROW_GROUP_SIZE 100000); or raise the limit (maxRowGroupBytes, --max-row-group-mb) if the memory is there.",
    exit: 1,
  },
  {
    id: "unknown-extension",
    input: "An unknown file extension",
    error: "UnsupportedFormatError",
    fields: "file",
    message: "<file>: no reader for this file type. Supported: .parquet, .geoparquet, .gpq, .json, .jsonl, .csv, .tsv, .json.gz, .jsonl.gz, .csv.gz, .tsv.gz.",
    exit: 1,
  },
  {
    id: "unknown-placeholder",
    input: "A template placeholder that is not a column",
    error: "TemplateError",
    fields: "placeholder",
    message: 'The template\'s placeholder {quest} is not a column of the dataset. Columns: ["question","answer"].',
    exit: 1,
  },
  {
    id: "test-size",
    input: "testSize or trainSize out of range",
    error: "InvalidArgumentError",
    fields: "argument, value",
    message: "testSize=10 should be either positive and smaller than the number of samples 10 or a float in the (0, 1) range.",
    exit: 1,
    usage: "option '--test-size <n>' argument '1.5' is invalid. expected a fraction in (0, 1) or a whole number of rows.",
  },
  {
    id: "max-length",
    input: "maxLength < 1",
    error: "InvalidArgumentError",
    fields: "argument, value",
    message: "maxLength must be a whole number ≥ 1 (or Infinity), got 0.",
    exit: 2,
    usage: "option '--max-length <n>' argument '0' is invalid. expected a whole number ≥ 1.",
  },
  {
    id: "no-tokenizer-json",
    input: "A tokenizer folder without tokenizer.json",
    error: "TokenizerFileError",
    fields: "file",
    message: "No tokenizer.json in the folder <dir>. It holds: config.json.",
    exit: 1,
  },
  {
    id: "hub-unreachable-cached",
    input: "The Hub unreachable (connection refused, DNS or TLS failure, no answer), HF_HUB_OFFLINE not set, the files in the cache",
    error: null,
    fields: "the cached files; optional files not cached (chat_template.jinja, special_tokens_map.json, a dataset's README) count as absent",
    message: "Accepted: the cached files are used at once, no retry is waited out; said once: Hub unreachable (…): using the cached files",
    exit: 0,
  },
  {
    id: "hub-unreachable-not-cached",
    input: "The Hub unreachable and a needed file not in the cache",
    error: "HubUnreachableError",
    fields: "repoId, file, reason",
    message:
      "Hub unreachable (…): could not reach …/resolve/main/tokenizer.json, and tokenizer.json of model … (revision main) is not in the cache …. Looked at: …",
    exit: 1,
  },
  {
    id: "template-range",
    input: "A chat template with `range()` over more than 100,000 items",
    error: "TemplateError",
    fields: "",
    message: "The chat template of <dir> raised OverflowError: Range too big. The sandbox blocks ranges larger than MAX_RANGE (100000).",
    exit: 1,
  },
  {
    id: "template-budget",
    input: "A chat template that loops or builds text without bound",
    error: "TemplateError",
    fields: "",
    message: "The chat template of <dir> was stopped: the template … (…).",
    exit: 1,
  },
];

export function catalogEntry(id: string): CatalogEntry {
  const entry = CATALOG.find((e) => e.id === id);
  if (!entry) throw new Error(`No catalog entry "${id}"`);
  return entry;
}

/**
 * Whether `actual` shows `pattern`: its fixed pieces (between `…`) appear in order, with `<file>`
 * and `<dir>` replaced by the given paths.
 */
export function matchesMessage(actual: string, pattern: string, paths: { file?: string; dir?: string } = {}): boolean {
  let from = 0;
  for (const piece of pattern.split("…")) {
    const fixed = piece.replaceAll("<file>", paths.file ?? "<file>").replaceAll("<dir>", paths.dir ?? "<dir>");
    if (fixed === "") continue;
    const at = actual.indexOf(fixed, from);
    if (at === -1) return false;
    from = at + fixed.length;
  }
  return true;
}

const cell = (s: string) => s.replaceAll("|", "\\|");

/** The README's table, one row per catalog entry. */
export function renderCatalogTable(): string {
  const code = (s: string) => `\`${s}\``;
  const lines = ["| Input | Library: error class (fields) | What the user sees (library message; CLI: `error: ` + message) | CLI exit |", "|---|---|---|---|"];
  for (const e of CATALOG) {
    const error = e.error === null ? `accepted (${e.fields})` : `${code(e.error)} (${e.fields})`;
    const seen = e.error === null ? e.message : code(e.message);
    // Values the CLI's option parser refuses never reach the library: a usage error, exit 2.
    const exitCell =
      e.usage === undefined ? String(e.exit) : e.exit === 2 ? `2: ${code(e.usage)}` : `${e.exit}; 2 for a value out of the option's domain: ${code(e.usage)}`;
    lines.push(`| ${cell(e.input)} | ${cell(error)} | ${cell(seen)} | ${cell(exitCell)} |`);
  }
  return lines.join("\n");
}
