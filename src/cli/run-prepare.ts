import { readFileSync } from "node:fs";
import { IntegrityError, InvalidArgumentError } from "../errors.js";
import { Dataset, DatasetDict, loadDataset, RaggedInt32Column, trainTestSplitIndices } from "../dataset/index.js";
import { loadTokenizer, type Tokenizer, type TokenizerSide } from "../tokenizer/index.js";
import {
  packDataset,
  prepareInstructionDataset,
  prepareWarnings,
  type ColumnOverride,
  type LabelsMode,
  type PackReport,
  type PreparedDataset,
  type PrepareOptions,
} from "../prep/index.js";
import { tokenLengthStats, type TokenLengthStats } from "../stats/index.js";
import { checkSplitIndices } from "./check-split-indices.js";
import { prepareToSpill } from "./prepare-to-spill.js";
import { readInputBatches } from "./read-input-batches.js";
import { trackCreatedFolders } from "./track-created-folders.js";
import { writeSplitFromSpill } from "./write-split-from-spill.js";
import { libraryVersion, splitFileName, writeSplits, writeStatsJson, type OutputFormat, type WrittenSplit } from "../io/index.js";

export interface RunPrepareOptions {
  /** Hub dataset id or local file/folder (what loadDataset takes). */
  dataset: string;
  /** The input split to read. Default "train". */
  split?: string;
  /** Revision (branch, tag, commit) of a Hub dataset. */
  revision?: string;
  /** Hub model id or local folder of the tokenizer. */
  tokenizer: string;
  /** Revision of a Hub tokenizer. */
  tokenizerRevision?: string;
  /** Prompt template (see prepareInstructionDataset); default per column kind. */
  template?: string;
  /** Jinja chat template for chat rows. */
  chatTemplate?: string;
  /** Columns to use instead of detecting them. */
  columns?: ColumnOverride;
  maxLength?: number;
  truncationSide?: TokenizerSide;
  labels?: LabelsMode;
  /** Pack each split (after splitting) into blocks of maxLength. */
  pack?: boolean;
  /** Share (0–1) or number of rows for the test split. Default 0.1. */
  testSize?: number;
  /** Seed of numpy's default_rng for the split. Default 123. */
  seed?: number;
  /** Output folder. Default "out". */
  out?: string;
  /** "parquet" (default) or "jsonl". */
  format?: OutputFormat;
  /** Read the Hugging Face cache only (also HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Progress bars on a terminal. Default true. */
  progress?: boolean;
  /** Where progress messages go (one line each). Default: nowhere. */
  log?: (message: string) => void;
  /** Where warnings go (empty rows, truncation, dropped pack tail). Default: log. */
  warn?: (message: string) => void;
  /**
   * Stream the input (default true): JSON Lines, JSON and Parquet files are read, prepared and
   * written batch by batch through a temporary file beside the output, so memory stays bounded
   * however many rows there are; the files are the same as without streaming. CSV is always read
   * whole (its column types are inferred from whole columns, as pandas does). false: the whole split
   * in memory as a Dataset.
   */
  streaming?: boolean;
}

/** One split of stats.json. */
export interface SplitStats {
  /** File name, relative to the output folder. */
  file: string;
  /** Rows in the file (blocks, when packed). */
  rows: number;
  /** Examples that went into it. */
  examples: number;
  /** Tokens in the file's input_ids. */
  tokens: number;
  bytes: number;
  /** Examples longer than maxLength (truncated, or run over into the next block when packed). */
  truncated: number;
  /** Length statistics of the split's examples before truncation. */
  tokenLengths: TokenLengthStats;
  /** Packing counts, when packed. */
  packing?: PackReport;
}

/** What stats.json holds. No credentials, ever: ids, settings and counts only. */
export interface PrepareStats {
  library: { name: "finetune-prep"; version: string };
  createdAt: string;
  dataset: { id: string; split: string; revision: string | null };
  tokenizer: { id: string; revision: string | null };
  columns: PreparedDataset["report"]["selection"];
  template: string | null;
  chatTemplate: boolean;
  maxLength: number;
  truncationSide: TokenizerSide;
  labels: LabelsMode;
  pack: boolean;
  testSize: number;
  seed: number;
  format: OutputFormat;
  rows: { input: number } & Record<string, number>;
  /** Blank lines the readers skipped (JSON Lines, CSV): not rows, counted so that nothing goes unseen. */
  skippedBlankLines: number;
  truncatedRows: number;
  emptyRows: number;
  emptyByColumn: Record<string, number>;
  fullyMaskedRows: number;
  boundaryMergedRows: number;
  splits: Record<string, SplitStats>;
}

export interface RunPrepareResult {
  stats: PrepareStats;
  statsPath: string;
  files: Record<string, WrittenSplit>;
}

/** `@path` reads a template from a file (its content exactly); `@@…` is a literal "@…". */
export function readTemplateArgument(value: string): string {
  if (value.startsWith("@@")) return value.slice(1);
  if (!value.startsWith("@")) return value;
  const file = value.slice(1);
  try {
    return readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  } catch (e) {
    throw new InvalidArgumentError("template", value, `Cannot read the template file ${file}: ${(e as Error).message}`, {
      file,
      cause: e,
      hint: 'A template starting with "@" is read from that file; write "@@" for a template that starts with a literal "@".',
    });
  }
}

/** The whole input split in memory (the in-memory pipeline). */
async function read(options: RunPrepareOptions): Promise<{ dataset: Dataset; skippedBlankLines: number }> {
  let skippedBlankLines = 0;
  const dataset = await loadDataset(options.dataset, {
    split: options.split ?? "train",
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    ...(options.offline ? { offline: true } : {}),
    progress: options.progress ?? true,
    onFileRead: (summary) => void (skippedBlankLines += summary.blankLines ?? 0),
  });
  return { dataset, skippedBlankLines };
}

async function tokenizer(options: RunPrepareOptions): Promise<Tokenizer> {
  return loadTokenizer(options.tokenizer, {
    ...(options.tokenizerRevision !== undefined ? { revision: options.tokenizerRevision } : {}),
    ...(options.offline ? { offline: true } : {}),
    progress: options.progress ?? true,
  });
}

interface WrittenSplitSummary {
  name: string;
  /** The split's input rows, in written order. */
  indices: number[];
  written: WrittenSplit;
  /** Rows in the file (blocks when packed). */
  rows: number;
  /** Tokens in the file's input_ids. */
  tokens: number;
  packing?: PackReport;
}

/** The options with their defaults filled in, and the tokenizer. */
interface Settings {
  tok: Tokenizer;
  split: string;
  labels: LabelsMode;
  maxLength: number;
  truncationSide: TokenizerSide;
  pack: boolean;
  testSize: number;
  seed: number;
  format: OutputFormat;
  out: string;
  progress: boolean;
  log: (message: string) => void;
  warn: (message: string) => void;
}

/** Packing's block size and separator: the tokenizer's EOS token goes between examples. */
function packParams(settings: Settings): { blockSize: number; separatorId: number } {
  const { tok } = settings;
  if (tok.eosTokenId === null) throw new IntegrityError(`${tok.nameOrPath} has no EOS token to put between packed examples.`);
  return { blockSize: settings.maxLength, separatorId: tok.eosTokenId };
}

function warnDroppedTokens(settings: Settings, split: string, packing: PackReport | undefined): void {
  if (packing && packing.droppedTokens > 0) settings.warn(`${split}: packing dropped the last partial block, ${packing.droppedTokens} tokens.`);
}

function checkPreparedRows(report: { rowsOut: number }, inputRows: number): void {
  if (report.rowsOut !== inputRows) throw new IntegrityError(`Preparation gave ${report.rowsOut} rows for ${inputRows} input rows.`);
}

/** What was read: the input rows, and the blank lines the readers skipped. */
interface InputCounts {
  rows: number;
  skippedBlankLines: number;
}

/** Checks the written splits against the input and the split, then writes stats.json (last). */
function finish(options: RunPrepareOptions, settings: Settings, input: InputCounts, report: PreparedDataset["report"], parts: WrittenSplitSummary[]): RunPrepareResult {
  const inputRows = input.rows;
  const { maxLength, format } = settings;
  const splitStats: Record<string, SplitStats> = {};
  const rows: { input: number } & Record<string, number> = { input: inputRows };
  const files: Record<string, WrittenSplit> = {};
  for (const part of parts) {
    const { name, indices, written } = part;
    if (written.rows !== part.rows) throw new IntegrityError(`${written.path} received ${written.rows} rows, the ${name} split has ${part.rows}.`);
    const lengths = Int32Array.from(indices, (i) => report.lengths[i]!);
    const tokenLengths = tokenLengthStats(lengths, { maxLength });
    splitStats[name] = {
      file: splitFileName(name, format),
      rows: part.rows,
      examples: indices.length,
      tokens: part.tokens,
      bytes: written.bytes,
      truncated: tokenLengths.truncated ?? 0,
      tokenLengths,
      ...(part.packing ? { packing: part.packing } : {}),
    };
    rows[name] = part.rows;
    files[name] = written;
  }
  const examples = Object.values(splitStats).reduce((s, x) => s + x.examples, 0);
  if (examples !== inputRows) throw new IntegrityError(`The splits hold ${examples} examples for ${inputRows} input rows.`);

  const stats: PrepareStats = {
    library: { name: "finetune-prep", version: libraryVersion() },
    createdAt: new Date().toISOString(),
    dataset: { id: options.dataset, split: settings.split, revision: options.revision ?? null },
    tokenizer: { id: settings.tok.nameOrPath, revision: options.tokenizerRevision ?? null },
    columns: report.selection,
    template: report.template ?? null,
    chatTemplate: report.selection.kind === "chat",
    maxLength,
    truncationSide: settings.truncationSide,
    labels: settings.labels,
    pack: settings.pack,
    testSize: settings.testSize,
    seed: settings.seed,
    format,
    rows,
    skippedBlankLines: input.skippedBlankLines,
    truncatedRows: report.truncatedRows,
    emptyRows: report.emptyRows,
    emptyByColumn: report.emptyByColumn,
    fullyMaskedRows: report.fullyMaskedRows,
    boundaryMergedRows: report.boundaryMergedRows,
    splits: splitStats,
  };
  const statsPath = writeStatsJson(settings.out, stats as unknown as Record<string, unknown>);
  return { stats, statsPath, files };
}

/** The split's row indices, checked to cover the input exactly once. */
function splitIndices(n: number, settings: Settings): [string, number[]][] {
  const indices = trainTestSplitIndices(n, { testSize: settings.testSize, seed: settings.seed });
  checkSplitIndices(n, indices);
  return [
    ["train", indices.train],
    ["test", indices.test],
  ];
}

/**
 * The streaming pipeline, for inputs of any size in bounded memory: read batches → prepare each
 * ({@link prepareBatch}, the code prepareInstructionDataset runs) → spill the prepared rows to a
 * temp file in input order → split (numpy's permutation) → write each split in permutation order a
 * row group at a time, gathering the rows from the temp file. Undefined when the input is not
 * streamed (CSV, or no rows): the caller reads it whole.
 */
async function runStreaming(options: RunPrepareOptions, settings: Settings): Promise<RunPrepareResult | undefined> {
  const { pack, progress, log, warn } = settings;
  const input = await readInputBatches({
    dataset: options.dataset,
    split: settings.split,
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    ...(options.offline ? { offline: true } : {}),
    progress,
  });
  if (input === undefined) return undefined;
  log(`Reading and preparing ${options.dataset} (split "${settings.split}", ${input.files.length} file${input.files.length === 1 ? "" : "s"}, streamed)`);
  const prepared = await prepareToSpill({
    batches: input.batches(),
    tok: settings.tok,
    prepare: prepareOptions(options, settings),
    dir: settings.out,
    estimatedRows: input.estimatedRows,
    progress,
  });
  if (prepared === undefined) return undefined;
  const { spill, plan, rows: n } = prepared;
  try {
    const report = { ...prepared.report, selection: plan.selection, template: plan.template, lengths: prepared.lengths };
    checkPreparedRows(report, n);
    for (const message of prepareWarnings(prepared.report, plan.maxLength)) warn(message);
    log(`Prepared ${n.toLocaleString("en-US")} rows`);
    const parts = splitIndices(n, settings);
    const packing = pack ? packParams(settings) : undefined;
    log(`Writing ${parts.map(([s]) => splitFileName(s, settings.format)).join(", ")} to ${settings.out}`);
    const written: WrittenSplitSummary[] = [];
    for (const [name, indices] of parts) {
      const result = await writeSplitFromSpill({
        spill,
        indices,
        outDir: settings.out,
        name,
        format: settings.format,
        progress,
        ...(packing ? { pack: packing } : {}),
      });
      warnDroppedTokens(settings, name, result.packing);
      written.push({ name, indices, written: result.written, rows: result.rows, tokens: result.tokens, ...(result.packing ? { packing: result.packing } : {}) });
    }
    const skippedBlankLines = input.summaries.reduce((sum, s) => sum + (s.blankLines ?? 0), 0);
    return finish(options, settings, { rows: n, skippedBlankLines }, report, written);
  } finally {
    spill.remove();
  }
}

function prepareOptions(options: RunPrepareOptions, settings: Settings): PrepareOptions {
  return {
    labels: settings.labels,
    truncationSide: settings.truncationSide,
    // Packed rows are not truncated: a long example runs over into the next block.
    maxLength: settings.pack ? Infinity : settings.maxLength,
    ...(options.template !== undefined ? { template: options.template } : {}),
    ...(options.chatTemplate !== undefined ? { chatTemplate: options.chatTemplate } : {}),
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
  };
}

/** The in-memory pipeline: the whole split as a Dataset (CSV inputs, or `streaming: false`). */
async function runInMemory(options: RunPrepareOptions, settings: Settings): Promise<RunPrepareResult> {
  const { tok, pack, format, progress, log, warn } = settings;
  log(`Reading ${options.dataset} (split "${settings.split}")`);
  const { dataset: input, skippedBlankLines } = await read(options);
  log(`Preparing ${input.numRows.toLocaleString("en-US")} rows`);
  const prepared = await prepareInstructionDataset(input, tok, { ...prepareOptions(options, settings), progress, onWarning: warn });
  const report = prepared.report;
  checkPreparedRows(report, input.numRows);
  log(`Prepared ${input.numRows.toLocaleString("en-US")} rows`);

  const parts = splitIndices(prepared.numRows, settings);
  const packing: Record<string, PackReport> = {};
  const splits = new DatasetDict(
    parts.map(([name, idx]) => {
      let ds = prepared.select(idx);
      if (pack) {
        const packed = packDataset(ds, packParams(settings));
        ds = packed.dataset;
        packing[name] = packed.report;
        warnDroppedTokens(settings, name, packed.report);
      }
      return [name, ds] as const;
    }),
  );

  log(`Writing ${splits.keys().map((s) => splitFileName(s, format)).join(", ")} to ${settings.out}`);
  const files = await writeSplits(splits, settings.out, { format, progress });
  const written = parts.map(([name, indices]): WrittenSplitSummary => {
    const ds = splits.get(name);
    const ids = ds.rawColumn("input_ids");
    return {
      name,
      indices,
      written: files[name]!,
      rows: ds.numRows,
      tokens: ids instanceof RaggedInt32Column ? ids.values.length : 0,
      ...(packing[name] ? { packing: packing[name] } : {}),
    };
  });
  return finish(options, settings, { rows: input.numRows, skippedBlankLines }, report, written);
}

/**
 * `finetune-prep prepare` as a function: read the input split → prepare (template, tokenize,
 * truncate, labels: {@link prepareInstructionDataset}) → split 90/10 with numpy's seed-123
 * permutation exactly as Python `datasets` does → pack each split (with `pack`) → write
 * `out/train.parquet`, `out/test.parquet` (or .jsonl) → write `out/stats.json` last.
 *
 * JSON Lines, JSON and Parquet inputs are streamed (see {@link RunPrepareOptions.streaming}): memory
 * stays bounded whatever the number of rows (about 30 bytes per row beyond a fixed amount), with
 * the same files as the in-memory pipeline gives.
 *
 * Checks its own work at run time: train + test cover every input row once, and the rows each
 * file received equal the counts in stats.json (IntegrityError otherwise, before stats.json is written).
 */
export async function runPrepare(options: RunPrepareOptions): Promise<RunPrepareResult> {
  const log = options.log ?? (() => {});
  log(`Loading tokenizer ${options.tokenizer}`);
  const settings: Settings = {
    tok: await tokenizer(options),
    split: options.split ?? "train",
    labels: options.labels ?? "copy",
    maxLength: options.maxLength ?? 2048,
    truncationSide: options.truncationSide ?? "left",
    pack: options.pack ?? false,
    testSize: options.testSize ?? 0.1,
    seed: options.seed ?? 123,
    format: options.format ?? "parquet",
    out: options.out ?? "out",
    progress: options.progress ?? true,
    log,
    warn: options.warn ?? log,
  };
  // A run that fails leaves no --out folder it created (the writers have removed their temp files).
  const created = trackCreatedFolders(settings.out);
  try {
    if (options.streaming ?? true) {
      const streamed = await runStreaming(options, settings);
      if (streamed !== undefined) return streamed;
    }
    return await runInMemory(options, settings);
  } catch (e) {
    created.removeIfEmpty();
    throw e;
  }
}
