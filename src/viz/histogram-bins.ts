import { InvalidArgumentError } from "../errors.js";

/** Counts per bin: bin k holds lengths in [k·binSize, (k+1)·binSize). */
export interface HistogramBins {
  binSize: number;
  /** Start of each bin (0, binSize, 2·binSize, …) up to the one holding the largest value. */
  starts: number[];
  counts: number[];
}

/** A bin width from 1, 2, 5 × 10^k giving about `target` bins up to `max`. */
export function niceBinSize(max: number, target = 50): number {
  if (max <= target) return 1;
  const raw = max / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 5, 10]) if (m * power >= raw) return m * power;
  return 10 * power;
}

/** Bins non-negative integer lengths into equal-width bins starting at 0. */
export function histogramBins(values: ArrayLike<number>, binSize: number): HistogramBins {
  if (!Number.isInteger(binSize) || binSize < 1)
    throw new InvalidArgumentError("binSize", binSize, `binSize must be a positive integer (tokens), got ${String(binSize)}.`);
  let max = 0;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  const n = values.length === 0 ? 0 : Math.floor(max / binSize) + 1;
  const counts = new Array<number>(n).fill(0);
  for (let i = 0; i < values.length; i++) counts[Math.floor(values[i]! / binSize)]!++;
  return { binSize, starts: counts.map((_, k) => k * binSize), counts };
}
