import { InvalidArgumentError } from "../errors.js";
import { percentile } from "./percentile.js";

export interface TokenLengthStatsParams {
  /** A maximum length: `truncated` counts the longer rows, and padding to it / packing into blocks of it is measured. */
  maxLength?: number;
  /** Rows per batch for the pad-to-longest measure, taken in dataset order. Default 8 (the Trainer's per-device batch size). */
  batchSize?: number;
}

/** Pad tokens a strategy adds, and their share of everything it feeds the model. */
export interface PaddingWaste {
  /** Pad tokens added. */
  padTokens: number;
  /** padTokens / (real tokens + padTokens); 0 when there is nothing. */
  share: number;
}

/** Length statistics of a dataset's rows, in tokens. */
export interface TokenLengthStats {
  /** Rows. */
  count: number;
  /** Tokens in all. */
  total: number;
  /** Shortest / longest row; null when there are no rows. */
  min: number | null;
  max: number | null;
  /** Average length (numpy `mean`); null when there are no rows. */
  mean: number | null;
  /** numpy `median`; null when there are no rows. */
  median: number | null;
  /** numpy `percentile(lengths, 90 | 95 | 99)`, default "linear" method; null when there are no rows. */
  p90: number | null;
  p95: number | null;
  p99: number | null;
  /** The maxLength given, if any. */
  maxLength?: number;
  /** Rows longer than maxLength (those truncation cuts). Only with maxLength. */
  truncated?: number;
  /** Padding waste of three ways to batch the rows. */
  paddingWaste: {
    /** Pad each batch of `batchSize` rows (dataset order) to its longest row (rows cut to maxLength first, if given). */
    longest: PaddingWaste & { batchSize: number };
    /** Pad every row to maxLength (rows cut to it first). Only with maxLength. */
    maxLength?: PaddingWaste;
    /** Pack all tokens into blocks of maxLength: only the last block is partly empty. Only with maxLength. */
    packing?: PaddingWaste & { blocks: number };
  };
}

function waste(padTokens: number, realTokens: number): PaddingWaste {
  const all = padTokens + realTokens;
  return { padTokens, share: all === 0 ? 0 : padTokens / all };
}

/**
 * Token-length statistics of a dataset: count, min, max, mean, median and the 90th/95th/99th
 * percentiles as numpy computes them (np.percentile's default "linear" method, see
 * {@link percentile}); with `maxLength`, how many rows it truncates; and the padding waste (share of
 * pad tokens) of padding each batch to its longest row, padding every row to maxLength, and packing
 * into blocks of maxLength. Accepts number[] or Int32Array (e.g. a RaggedInt32Column's row lengths).
 */
export function tokenLengthStats(lengths: ArrayLike<number>, params: TokenLengthStatsParams = {}): TokenLengthStats {
  if (lengths === null || typeof lengths !== "object" || typeof lengths.length !== "number") {
    throw new InvalidArgumentError("lengths", lengths, "tokenLengthStats: lengths must be an array of token counts (number[] or Int32Array).");
  }
  const { maxLength } = params;
  const batchSize = params.batchSize ?? 8;
  if (maxLength !== undefined && (!Number.isInteger(maxLength) || maxLength < 1)) {
    throw new InvalidArgumentError("maxLength", maxLength, `maxLength must be a whole number ≥ 1, got ${String(maxLength)}.`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new InvalidArgumentError("batchSize", batchSize, `batchSize must be a whole number ≥ 1, got ${String(batchSize)}.`);
  const n = lengths.length;
  const sorted = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = lengths[i]!;
    if (!Number.isInteger(v) || v < 0)
      throw new InvalidArgumentError("lengths", v, `tokenLengthStats: lengths[${i}] is ${String(v)}, not a token count (a whole number ≥ 0).`, { row: i });
    sorted[i] = v;
    total += v;
  }
  sorted.sort();
  const some = n > 0;
  const mid = n >> 1;
  const stats: TokenLengthStats = {
    count: n,
    total,
    min: some ? sorted[0]! : null,
    max: some ? sorted[n - 1]! : null,
    mean: some ? total / n : null,
    // numpy's median: the middle value, or the mean of the two middle values.
    median: some ? (n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2) : null,
    p90: some ? percentile(sorted, 90) : null,
    p95: some ? percentile(sorted, 95) : null,
    p99: some ? percentile(sorted, 99) : null,
    paddingWaste: { longest: { batchSize, ...waste(0, 0) } },
  };

  const cut = (v: number) => (maxLength === undefined ? v : Math.min(v, maxLength));
  let pad = 0;
  let real = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    let longest = 0;
    let sum = 0;
    for (let i = start; i < end; i++) {
      const v = cut(lengths[i]!);
      longest = Math.max(longest, v);
      sum += v;
    }
    pad += longest * (end - start) - sum;
    real += sum;
  }
  stats.paddingWaste.longest = { batchSize, ...waste(pad, real) };

  if (maxLength !== undefined) {
    let truncated = 0;
    for (let i = 0; i < n; i++) if (lengths[i]! > maxLength) truncated++;
    stats.maxLength = maxLength;
    stats.truncated = truncated;
    stats.paddingWaste.maxLength = waste(n * maxLength - real, real);
    const blocks = Math.ceil(total / maxLength);
    stats.paddingWaste.packing = { blocks, ...waste(blocks * maxLength - total, total) };
  }
  return stats;
}
