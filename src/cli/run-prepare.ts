import { readFileSync } from "node:fs";
import { IntegrityError, InvalidArgumentError } from "../errors.js";
import { Dataset, DatasetDict, loadDataset, RaggedInt32Column, trainTestSplitIndices } from "../dataset/index.js";
import { loadTokenizer, type Tokenizer, type TokenizerSide } from "../tokenizer/index.js";
import {
  packDataset,
  prepareInstructionDataset,
  type ColumnOverride,
  type LabelsMode,
  type PackReport,
  type PreparedDataset,
} from "../prep/index.js";
import { tokenLengthStats, type TokenLengthStats } from "../stats/index.js";
import { checkSplitIndices } from "./check-split-indices.js";
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

async function read(options: RunPrepareOptions): Promise<Dataset> {
  // Stage 1. Whole split in memory for now; a streaming reader can take its place (rows in batches).
  return loadDataset(options.dataset, {
    split: options.split ?? "train",
    ...(options.revision !== undefined ? { revision: options.revision } : {}),
    ...(options.offline ? { offline: true } : {}),
    progress: options.progress ?? true,
  });
}

async function tokenizer(options: RunPrepareOptions): Promise<Tokenizer> {
  return loadTokenizer(options.tokenizer, {
    ...(options.tokenizerRevision !== undefined ? { revision: options.tokenizerRevision } : {}),
    ...(options.offline ? { offline: true } : {}),
    progress: options.progress ?? true,
  });
}

/**
 * `finetune-prep prepare` as a function: read the input split → prepare (template, tokenize,
 * truncate, labels: {@link prepareInstructionDataset}) → split 90/10 with numpy's seed-123
 * permutation exactly as Python `datasets` does → pack each split (with `pack`) → write
 * `out/train.parquet`, `out/test.parquet` (or .jsonl) → write `out/stats.json` last.
 *
 * Checks its own work at run time: train + test cover every input row once, and the rows each
 * file received equal the counts in stats.json (IntegrityError otherwise, before stats.json is written).
 */
export async function runPrepare(options: RunPrepareOptions): Promise<RunPrepareResult> {
  const log = options.log ?? (() => {});
  const warn = options.warn ?? log;
  const progress = options.progress ?? true;
  const labels = options.labels ?? "copy";
  const maxLength = options.maxLength ?? 2048;
  const truncationSide = options.truncationSide ?? "left";
  const pack = options.pack ?? false;
  const testSize = options.testSize ?? 0.1;
  const seed = options.seed ?? 123;
  const format = options.format ?? "parquet";
  const out = options.out ?? "out";
  const split = options.split ?? "train";

  log(`Loading tokenizer ${options.tokenizer}`);
  const tok = await tokenizer(options);
  log(`Reading ${options.dataset} (split "${split}")`);
  const input = await read(options);
  log(`Preparing ${input.numRows.toLocaleString("en-US")} rows`);
  const prepared = await prepareInstructionDataset(input, tok, {
    labels,
    truncationSide,
    // Packed rows are not truncated: a long example runs over into the next block.
    maxLength: pack ? Infinity : maxLength,
    progress,
    onWarning: warn,
    ...(options.template !== undefined ? { template: options.template } : {}),
    ...(options.chatTemplate !== undefined ? { chatTemplate: options.chatTemplate } : {}),
    ...(options.columns !== undefined ? { columns: options.columns } : {}),
  });
  const report = prepared.report;
  if (report.rowsOut !== input.numRows) throw new IntegrityError(`Preparation gave ${report.rowsOut} rows for ${input.numRows} input rows.`);

  const indices = trainTestSplitIndices(prepared.numRows, { testSize, seed });
  checkSplitIndices(prepared.numRows, indices);
  const parts: [string, number[]][] = [
    ["train", indices.train],
    ["test", indices.test],
  ];
  const packing: Record<string, PackReport> = {};
  const splits = new DatasetDict(
    parts.map(([name, idx]) => {
      let ds = prepared.select(idx);
      if (pack) {
        if (tok.eosTokenId === null) throw new IntegrityError(`${tok.nameOrPath} has no EOS token to put between packed examples.`);
        const packed = packDataset(ds, { blockSize: maxLength, separatorId: tok.eosTokenId });
        ds = packed.dataset;
        packing[name] = packed.report;
        if (packed.report.droppedTokens > 0) warn(`${name}: packing dropped the last partial block, ${packed.report.droppedTokens} tokens.`);
      }
      return [name, ds] as const;
    }),
  );

  log(`Writing ${splits.keys().map((s) => splitFileName(s, format)).join(", ")} to ${out}`);
  const files = await writeSplits(splits, out, { format, progress });

  const splitStats: Record<string, SplitStats> = {};
  const rows: { input: number } & Record<string, number> = { input: input.numRows };
  for (const [name, idx] of parts) {
    const ds = splits.get(name);
    const written = files[name]!;
    if (written.rows !== ds.numRows) throw new IntegrityError(`${written.path} received ${written.rows} rows, the ${name} split has ${ds.numRows}.`);
    const lengths = Int32Array.from(idx, (i) => report.lengths[i]!);
    const tokenLengths = tokenLengthStats(lengths, { maxLength });
    const ids = ds.rawColumn("input_ids");
    const tokens = ids instanceof RaggedInt32Column ? ids.values.length : 0;
    splitStats[name] = {
      file: splitFileName(name, format),
      rows: ds.numRows,
      examples: idx.length,
      tokens,
      bytes: written.bytes,
      truncated: tokenLengths.truncated ?? 0,
      tokenLengths,
      ...(packing[name] ? { packing: packing[name] } : {}),
    };
    rows[name] = ds.numRows;
  }
  const examples = Object.values(splitStats).reduce((s, x) => s + x.examples, 0);
  if (examples !== input.numRows) throw new IntegrityError(`The splits hold ${examples} examples for ${input.numRows} input rows.`);

  const stats: PrepareStats = {
    library: { name: "finetune-prep", version: libraryVersion() },
    createdAt: new Date().toISOString(),
    dataset: { id: options.dataset, split, revision: options.revision ?? null },
    tokenizer: { id: tok.nameOrPath, revision: options.tokenizerRevision ?? null },
    columns: report.selection,
    template: report.template ?? null,
    chatTemplate: report.selection.kind === "chat",
    maxLength,
    truncationSide,
    labels,
    pack,
    testSize,
    seed,
    format,
    rows,
    truncatedRows: report.truncatedRows,
    emptyRows: report.emptyRows,
    emptyByColumn: report.emptyByColumn,
    fullyMaskedRows: report.fullyMaskedRows,
    boundaryMergedRows: report.boundaryMergedRows,
    splits: splitStats,
  };
  const statsPath = writeStatsJson(out, stats as unknown as Record<string, unknown>);
  return { stats, statsPath, files };
}
