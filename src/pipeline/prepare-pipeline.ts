import { availableParallelism } from "node:os";
import { trainTestSplitIndices } from "../dataset/index.js";
import { IntegrityError, InvalidArgumentError } from "../errors.js";
import { type OutputFormat, splitFileName, type WrittenSplit, writeStatsJson } from "../io/index.js";
import { type ColumnOverride, type LabelsMode, type PrepareOptions, prepareWarnings } from "../prep/index.js";
import { loadTokenizer, type Tokenizer, type TokenizerSide } from "../tokenizer/index.js";
import { checkSplitIndices } from "./check-split-indices.js";
import { type InputRows, openInput } from "./open-input.js";
import { type PipelineProgress, stageProgress } from "./pipeline-progress.js";
import { PreparePool } from "./prepare-pool.js";
import { buildPrepareStats, type PrepareStats, type WrittenSplitSummary } from "./prepare-stats.js";
import { prepareToSpill, type SpilledPreparation } from "./prepare-to-spill.js";
import { trackCreatedFolders } from "./track-created-folders.js";
import { writeSplitFromSpill } from "./write-split-from-spill.js";

export interface PreparePipelineParams {
  /** Hub dataset id, or a local file or folder (what loadDataset takes). */
  dataset: string;
  /** The input split to read. Default "train". */
  split?: string;
  /** Revision (branch, tag, commit) of a Hub dataset. */
  revision?: string;
  /** Hub model id or local folder of the tokenizer, or a tokenizer already loaded (loadTokenizer). */
  tokenizer: string | Tokenizer;
  /** Revision of a Hub tokenizer (when `tokenizer` is an id). */
  tokenizerRevision?: string;
  /** Prompt template with {column} placeholders (see prepareInstructionDataset); default per column kind. */
  template?: string;
  /** Jinja chat template for chat rows, when the tokenizer has none (or to use another). */
  chatTemplate?: string;
  /** Further chat-template variables (Python's `**kwargs`), e.g. `{ enable_thinking: false }` for Qwen 3. */
  chatTemplateKwargs?: Record<string, unknown>;
  /** Columns to use instead of detecting them. */
  columns?: ColumnOverride;
  /** Longest row in tokens; the block size with `pack`. Default 2048. */
  maxLength?: number;
  /** Which end of a longer row is cut. Default "left" (the original notebook's). */
  truncationSide?: TokenizerSide;
  /** "copy": labels = input_ids (default); "mask-prompt": -100 on the prompt's tokens. */
  labels?: LabelsMode;
  /** Pack each split (after splitting) into blocks of exactly maxLength tokens, EOS between examples. Default false. */
  pack?: boolean;
  /** Share (0–1) or number of rows for the test split. Default 0.1. */
  testSize?: number;
  /** Seed of numpy's default_rng for the split. Default 123. */
  seed?: number;
  /** Output folder, created if missing. Default "out". */
  out?: string;
  /** "parquet" (default) or "jsonl". */
  format?: OutputFormat;
  /** Read the Hugging Face cache only (also HF_HUB_OFFLINE=1). */
  offline?: boolean;
  /** Parquet input: the most one row group may take in memory, in bytes (row groups are read whole). Default 256 MiB. */
  maxRowGroupBytes?: number;
  /** Progress displays: bars on a terminal, updating outputs in a notebook. Default true. */
  progress?: boolean;
  /** Called as rows are prepared and written (whether or not displays are shown). */
  onProgress?: (event: PipelineProgress) => void;
  /** Called with each step's one-line message ("Loading tokenizer …", "Prepared 1,400 rows", …). Default: nowhere. */
  onLog?: (message: string) => void;
  /**
   * Called with each warning (empty rows, truncation, a dropped pack tail, "Hub unreachable (…):
   * using the cached files"). Default: process.emitWarning.
   */
  onWarning?: (message: string) => void;
  /**
   * Read the input file by file, batch by batch (default true) — JSON Lines, JSON and Parquet; CSV
   * is always read whole (its column types are inferred from whole columns, as pandas does). false:
   * read the whole split with loadDataset first. Only the reading differs: the same steps follow,
   * and the files are the same.
   */
  streaming?: boolean;
  /**
   * Worker threads that prepare batches (templates, ids, labels) while this thread reads the input,
   * then encode Parquet row groups while this thread reads the prepared rows back and writes; this
   * thread does the jobs no worker has room for. 0 does everything in this thread. Same
   * files either way. Default: one less than the cores (`os.availableParallelism()`), at most 3, when
   * the input has at least 50,000 rows (as far as known before reading: JSON Lines lines, Parquet
   * footers, a split read whole); else 0. Each worker holds its own copy of the tokenizer; workers
   * need the built package (this thread prepares everything otherwise).
   */
  workers?: number;
}

export interface PreparePipelineResult {
  /** What stats.json holds. */
  stats: PrepareStats;
  /** Path of stats.json. */
  statsPath: string;
  /** Each split's file, as written. */
  files: Record<string, WrittenSplit>;
}

/** The params with their defaults filled in. */
type Settings = Required<
  Pick<
    PreparePipelineParams,
    "split" | "labels" | "maxLength" | "truncationSide" | "pack" | "testSize" | "seed" | "format" | "out" | "progress" | "streaming" | "offline"
  >
> & {
  log: (message: string) => void;
  warn: (message: string) => void;
};

function settingsOf(params: PreparePipelineParams): Settings {
  const log = params.onLog ?? (() => {});
  return {
    split: params.split ?? "train",
    labels: params.labels ?? "copy",
    maxLength: params.maxLength ?? 2048,
    truncationSide: params.truncationSide ?? "left",
    pack: params.pack ?? false,
    testSize: params.testSize ?? 0.1,
    seed: params.seed ?? 123,
    format: params.format ?? "parquet",
    out: params.out ?? "out",
    progress: params.progress ?? true,
    streaming: params.streaming ?? true,
    offline: params.offline ?? false,
    log,
    warn: params.onWarning ?? ((m: string) => process.emitWarning(m, { code: "FINETUNE_PREP_PREPARE" })),
  };
}

async function tokenizerOf(params: PreparePipelineParams, s: Settings): Promise<Tokenizer> {
  if (typeof params.tokenizer !== "string") return params.tokenizer;
  s.log(`Loading tokenizer ${params.tokenizer}`);
  return loadTokenizer(params.tokenizer, {
    ...(params.tokenizerRevision !== undefined ? { revision: params.tokenizerRevision } : {}),
    ...(s.offline ? { offline: true } : {}),
    progress: s.progress,
    onWarning: s.warn,
  });
}

function prepareOptions(params: PreparePipelineParams, s: Settings): PrepareOptions {
  return {
    labels: s.labels,
    truncationSide: s.truncationSide,
    // Packed rows are not truncated: a long example runs over into the next block.
    maxLength: s.pack ? Infinity : s.maxLength,
    ...(params.template !== undefined ? { template: params.template } : {}),
    ...(params.chatTemplate !== undefined ? { chatTemplate: params.chatTemplate } : {}),
    ...(params.chatTemplateKwargs !== undefined ? { chatTemplateKwargs: params.chatTemplateKwargs } : {}),
    ...(params.columns !== undefined ? { columns: params.columns } : {}),
  };
}

/**
 * Rows from which batches go to worker threads by default. A worker costs this thread a copy of the
 * tokenizer's files (structured clone: ~0.2 s for Llama 3's, ~0.5 s for Gemma 3's) and saves about a
 * third of the tokenizing time, ~1 s per 100,000 rows on this project's bench machine: below this,
 * it costs about what it saves (docs/performance.md).
 */
const WORKER_MIN_ROWS = 50_000;
/** Workers by default at most: each holds a copy of the tokenizer (up to a few hundred MB for large vocabularies). */
const MAX_DEFAULT_WORKERS = 3;

/** Worker threads for prepare, when asked for and possible: the built package, and tokenizer settings that can be sent to another thread. */
function startPool(tok: Tokenizer, size: number, onWarning: (message: string) => void): PreparePool | undefined {
  if (size <= 0 || !PreparePool.available()) return undefined;
  try {
    return new PreparePool({ tok, size, onWarning });
  } catch {
    // DataCloneError (a tokenizer setting that cannot be copied to another thread): this thread does everything.
    return undefined;
  }
}

/** Reads and prepares the input into the spill file; an input that streamed no row is read whole once more (its columns, or its error). */
async function readAndPrepare(
  params: PreparePipelineParams,
  s: Settings,
  tok: Tokenizer,
  /** Where the worker threads started here are kept, for the writing and for the caller to close. */
  workers: { pool?: PreparePool | undefined },
): Promise<{ input: InputRows; prepared: SpilledPreparation }> {
  const open = (streaming: boolean) =>
    openInput({
      dataset: params.dataset,
      split: s.split,
      streaming,
      progress: s.progress,
      onWarning: s.warn,
      ...(params.revision !== undefined ? { revision: params.revision } : {}),
      ...(s.offline ? { offline: true } : {}),
      ...(params.maxRowGroupBytes !== undefined ? { maxRowGroupBytes: params.maxRowGroupBytes } : {}),
    });
  let poolDecided = false;
  const prepare = async (input: InputRows) => {
    // Started once, for the first input opened (its row estimate decides the default).
    if (!poolDecided) {
      poolDecided = true;
      const size = params.workers ?? (input.estimatedRows >= WORKER_MIN_ROWS ? Math.min(availableParallelism() - 1, MAX_DEFAULT_WORKERS) : 0);
      workers.pool = startPool(tok, size, s.warn);
    }
    const { pool } = workers;
    const progress = stageProgress({
      stage: "prepare",
      total: input.estimatedRows,
      label: "Preparing",
      unit: "examples",
      display: s.progress,
      ...(params.onProgress ? { onProgress: params.onProgress } : {}),
    });
    try {
      return await prepareToSpill({
        batches: input.batches(),
        tok,
        prepare: prepareOptions(params, s),
        dir: s.out,
        progress,
        ...(pool ? { pool } : {}),
        ...(input.columns ? { columns: input.columns } : {}),
      });
    } finally {
      progress.stop();
    }
  };
  let input = await open(s.streaming);
  s.log(
    `Reading and preparing ${params.dataset} (split "${s.split}"${input.streamed ? `, ${input.files} file${input.files === 1 ? "" : "s"}, streamed` : ""})`,
  );
  let prepared = await prepare(input);
  if (prepared === undefined && input.streamed) {
    input = await open(false);
    prepared = await prepare(input);
  }
  // A split read whole always has its columns, so prepareToSpill gives a spill file.
  if (prepared === undefined) throw new IntegrityError(`${params.dataset} was read whole and gave neither rows nor columns.`);
  return { input, prepared };
}

/**
 * `finetune-prep prepare` as a library call, for any number of rows in bounded memory: read the
 * input split (streamed: JSON Lines, JSON, Parquet) → prepare each batch (template, tokenize,
 * truncate, labels: the code {@link prepareInstructionDataset} runs) into a temporary file beside
 * the output, in input order → split with numpy's seed-123 permutation exactly as Python `datasets`'
 * `train_test_split` → write each split in permutation order a row group at a time, packed with
 * `pack` → write `stats.json` last. Memory holds about 30 bytes per row beyond a fixed amount.
 *
 * Checks its own work: train + test cover every input row once, and each file received the rows
 * stats.json counts (IntegrityError otherwise, before stats.json is written). Every file is written
 * to a temporary name and renamed into place; a run that fails leaves no file, and no output folder
 * it created.
 *
 * @example
 * const { stats } = await preparePipeline({ dataset: "kotzeje/lamini_docs.jsonl", tokenizer: "EleutherAI/pythia-70m", out: "out" });
 * stats.rows; // { input: 1400, train: 1260, test: 140 }
 */
export async function preparePipeline(params: PreparePipelineParams): Promise<PreparePipelineResult> {
  if (params.workers !== undefined && !(Number.isInteger(params.workers) && params.workers >= 0))
    throw new InvalidArgumentError("workers", params.workers, `workers must be a whole number of worker threads (0: none), got ${String(params.workers)}.`);
  const s = settingsOf(params);
  const tok = await tokenizerOf(params, s);
  if (s.pack && tok.eosTokenId === null) {
    throw new InvalidArgumentError("pack", true, `Packing puts an EOS token between examples, but ${tok.nameOrPath} has no EOS token.`, {
      hint: "Use a tokenizer with an EOS token, or do not pack.",
    });
  }
  // A run that fails leaves no output folder it created (the writers have removed their temp files).
  const created = trackCreatedFolders(s.out);
  const workers: { pool?: PreparePool | undefined } = {};
  try {
    const { input, prepared } = await readAndPrepare(params, s, tok, workers);
    const { pool } = workers;
    const { spill, plan, rows: n } = prepared;
    try {
      if (prepared.report.rowsOut !== n) throw new IntegrityError(`Preparation gave ${prepared.report.rowsOut} rows for ${n} input rows.`);
      const report = { ...prepared.report, selection: plan.selection, template: plan.template, lengths: prepared.lengths };
      for (const message of prepareWarnings(prepared.report, plan.maxLength)) s.warn(message);
      const { batches } = prepared;
      const threads = prepared.workers;
      const onWorkers = threads > 0 ? ` (${batches.onWorkers} of ${batches.total} batches on ${threads} worker thread${threads === 1 ? "" : "s"})` : "";
      s.log(`Prepared ${n.toLocaleString("en-US")} rows${onWorkers}`);
      const indices = trainTestSplitIndices(n, { testSize: s.testSize, seed: s.seed });
      checkSplitIndices(n, indices);
      const parts: [string, number[]][] = [
        ["train", indices.train],
        ["test", indices.test],
      ];
      s.log(`Writing ${parts.map(([name]) => splitFileName(name, s.format)).join(", ")} to ${s.out}`);
      const splits: WrittenSplitSummary[] = [];
      for (const [name, idx] of parts) {
        const progress = stageProgress({
          stage: "write",
          split: name,
          total: idx.length,
          label: `Writing ${name}`,
          unit: "rows",
          display: s.progress,
          ...(params.onProgress ? { onProgress: params.onProgress } : {}),
        });
        try {
          const result = await writeSplitFromSpill({
            spill,
            indices: idx,
            outDir: s.out,
            name,
            format: s.format,
            progress,
            ...(s.pack ? { pack: { blockSize: s.maxLength, separatorId: tok.eosTokenId! } } : {}),
            ...(pool ? { encoder: pool.encode.bind(pool) } : {}),
          });
          if (result.packing && result.packing.droppedTokens > 0)
            s.warn(`${name}: packing dropped the last partial block, ${result.packing.droppedTokens} tokens.`);
          splits.push({
            name,
            indices: idx,
            written: result.written,
            rows: result.rows,
            tokens: result.tokens,
            ...(result.packing ? { packing: result.packing } : {}),
          });
        } finally {
          progress.stop();
        }
      }
      const stats = buildPrepareStats({
        settings: {
          dataset: { id: params.dataset, split: s.split, revision: params.revision ?? null },
          tokenizer: { id: tok.nameOrPath, revision: params.tokenizerRevision ?? null },
          maxLength: s.maxLength,
          truncationSide: s.truncationSide,
          labels: s.labels,
          pack: s.pack,
          testSize: s.testSize,
          seed: s.seed,
          format: s.format,
        },
        inputRows: n,
        skippedBlankLines: input.skippedBlankLines(),
        report,
        splits,
      });
      const statsPath = writeStatsJson(s.out, stats as unknown as Record<string, unknown>);
      return { stats, statsPath, files: Object.fromEntries(splits.map((x) => [x.name, x.written])) };
    } finally {
      spill.remove();
    }
  } catch (e) {
    created.removeIfEmpty();
    throw e;
  } finally {
    await workers.pool?.close();
  }
}
