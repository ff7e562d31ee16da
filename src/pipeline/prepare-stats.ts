import { IntegrityError } from "../errors.js";
import { libraryVersion, type OutputFormat, splitFileName, type WrittenSplit } from "../io/index.js";
import type { LabelsMode, PackReport, PrepareInstructionReport } from "../prep/index.js";
import { type TokenLengthStats, tokenLengthStats } from "../stats/index.js";
import type { TokenizerSide } from "../tokenizer/index.js";

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
  columns: PrepareInstructionReport["selection"];
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

/** One split as written. */
export interface WrittenSplitSummary {
  name: string;
  /** The split's input rows, in written order. */
  indices: readonly number[];
  written: WrittenSplit;
  /** Rows in the file (blocks when packed). */
  rows: number;
  /** Tokens in the file's input_ids. */
  tokens: number;
  packing?: PackReport;
}

export interface BuildPrepareStatsParams {
  /** Everything stats.json records of the settings, as they were used. */
  settings: Pick<PrepareStats, "dataset" | "tokenizer" | "maxLength" | "truncationSide" | "labels" | "pack" | "testSize" | "seed" | "format">;
  /** Input rows read. */
  inputRows: number;
  skippedBlankLines: number;
  /** The preparation's report, with every input row's length (input order). */
  report: Pick<
    PrepareInstructionReport,
    "selection" | "template" | "lengths" | "truncatedRows" | "emptyRows" | "emptyByColumn" | "fullyMaskedRows" | "boundaryMergedRows"
  >;
  splits: readonly WrittenSplitSummary[];
}

/**
 * stats.json's content, checked against what was written: each file received the rows its split
 * has, and the splits hold every input row (IntegrityError otherwise, so that no stats.json is
 * written for files that do not match it).
 */
export function buildPrepareStats(params: BuildPrepareStatsParams): PrepareStats {
  const { settings, inputRows, report } = params;
  const splitStats: Record<string, SplitStats> = {};
  const rows: { input: number } & Record<string, number> = { input: inputRows };
  for (const part of params.splits) {
    const { name, indices, written } = part;
    if (written.rows !== part.rows) throw new IntegrityError(`${written.path} received ${written.rows} rows, the ${name} split has ${part.rows}.`);
    const lengths = Int32Array.from(indices, (i) => report.lengths[i]!);
    const tokenLengths = tokenLengthStats(lengths, { maxLength: settings.maxLength });
    splitStats[name] = {
      file: splitFileName(name, settings.format),
      rows: part.rows,
      examples: indices.length,
      tokens: part.tokens,
      bytes: written.bytes,
      truncated: tokenLengths.truncated ?? 0,
      tokenLengths,
      ...(part.packing ? { packing: part.packing } : {}),
    };
    rows[name] = part.rows;
  }
  const examples = Object.values(splitStats).reduce((s, x) => s + x.examples, 0);
  if (examples !== inputRows) throw new IntegrityError(`The splits hold ${examples} examples for ${inputRows} input rows.`);
  return {
    library: { name: "finetune-prep", version: libraryVersion() },
    createdAt: new Date().toISOString(),
    dataset: settings.dataset,
    tokenizer: settings.tokenizer,
    columns: report.selection,
    template: report.template ?? null,
    chatTemplate: report.selection.kind === "chat",
    maxLength: settings.maxLength,
    truncationSide: settings.truncationSide,
    labels: settings.labels,
    pack: settings.pack,
    testSize: settings.testSize,
    seed: settings.seed,
    format: settings.format,
    rows,
    skippedBlankLines: params.skippedBlankLines,
    truncatedRows: report.truncatedRows,
    emptyRows: report.emptyRows,
    emptyByColumn: report.emptyByColumn,
    fullyMaskedRows: report.fullyMaskedRows,
    boundaryMergedRows: report.boundaryMergedRows,
    splits: splitStats,
  };
}
