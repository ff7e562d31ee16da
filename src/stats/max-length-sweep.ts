import { InvalidArgumentError } from "../errors.js";
import { type PaddingWaste, tokenLengthStats } from "./token-length-stats.js";

export interface MaxLengthSweepParams {
  /**
   * The max_length values to measure, each a whole number ≥ 1. Default: 64, 128, … (multiples of
   * 64, thinned to at most `maxSteps`) below the longest example, then the longest example itself.
   */
  maxLengths?: readonly number[];
  /** At most this many default steps (when `maxLengths` is not given). Default 48. */
  maxSteps?: number;
  /** Rows per batch for dynamic padding (each batch padded to its longest row, dataset order). Default 8. */
  batchSize?: number;
}

/** What one max_length does to the examples. */
export interface MaxLengthStep {
  maxLength: number;
  /** Examples of at most maxLength tokens (kept whole). */
  keptWhole: number;
  /** keptWhole / examples; 1 when there are none. */
  keptWholeShare: number;
  /** Examples longer than maxLength (truncation cuts them). */
  truncated: number;
  /** Tokens truncation removes: the sum of (length − maxLength) over the longer examples. */
  tokensCut: number;
  /** tokensCut / all tokens; 0 when there are none. */
  tokensCutShare: number;
  /** Every example (cut to maxLength) padded to maxLength. */
  padToMaxLength: PaddingWaste;
  /** Each batch of `batchSize` examples (cut to maxLength) padded to its longest: dynamic padding. */
  dynamicPadding: PaddingWaste & { batchSize: number };
  /** All tokens packed into blocks of maxLength (nothing cut): only the last block is partly empty. */
  packing: PaddingWaste & { blocks: number };
}

/** The default steps: multiples of 64 from 64 below `longest` (evenly thinned), then `longest`. */
function defaultSteps(longest: number, maxSteps: number): number[] {
  if (longest <= 64) return [Math.max(1, longest)];
  const multiples = Math.ceil(longest / 64) - 1; // 64·k < longest for k = 1…multiples
  const every = Math.max(1, Math.ceil(multiples / Math.max(1, maxSteps - 1)));
  const steps: number[] = [];
  for (let k = 1; k <= multiples; k += every) steps.push(64 * k);
  steps.push(longest);
  return steps;
}

/**
 * What each of a range of `max_length` values does to a dataset whose examples have these token
 * lengths: the share of examples kept whole, the tokens truncation cuts, and the padding share of
 * three ways to batch (pad to max_length, dynamic padding, packing) — the numbers a token-length
 * explorer shows as its max_length slider moves. Each step is {@link tokenLengthStats} at that
 * max_length (numpy-exact) plus the tokens cut.
 */
export function maxLengthSweep(lengths: ArrayLike<number>, params: MaxLengthSweepParams = {}): MaxLengthStep[] {
  const base = tokenLengthStats(lengths, params.batchSize === undefined ? {} : { batchSize: params.batchSize });
  const maxSteps = params.maxSteps ?? 48;
  if (!Number.isInteger(maxSteps) || maxSteps < 2)
    throw new InvalidArgumentError("maxSteps", maxSteps, `maxSteps must be a whole number ≥ 2, got ${String(maxSteps)}.`);
  const maxLengths = params.maxLengths ?? defaultSteps(base.max ?? 0, maxSteps);
  if (!Array.isArray(maxLengths) || maxLengths.length === 0)
    throw new InvalidArgumentError("maxLengths", maxLengths, "maxLengths must be a non-empty array of whole numbers ≥ 1.");
  return maxLengths.map((maxLength) => {
    const s = tokenLengthStats(lengths, { maxLength, ...(params.batchSize === undefined ? {} : { batchSize: params.batchSize }) });
    let tokensCut = 0;
    for (let i = 0; i < lengths.length; i++) tokensCut += Math.max(0, lengths[i]! - maxLength);
    const truncated = s.truncated!;
    return {
      maxLength,
      keptWhole: s.count - truncated,
      keptWholeShare: s.count === 0 ? 1 : (s.count - truncated) / s.count,
      truncated,
      tokensCut,
      tokensCutShare: s.total === 0 ? 0 : tokensCut / s.total,
      padToMaxLength: s.paddingWaste.maxLength!,
      dynamicPadding: s.paddingWaste.longest,
      packing: s.paddingWaste.packing!,
    };
  });
}
