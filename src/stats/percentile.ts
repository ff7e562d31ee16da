import { InvalidArgumentError } from "../errors.js";

/**
 * numpy's `np.percentile(a, p)` with its default "linear" method (Hyndman & Fan type 7), on values
 * already sorted ascending: the virtual index `(n - 1) * p / 100` between two neighbours, interpolated
 * with numpy's `_lerp` — `a + (b - a) * t`, or `b - (b - a) * (1 - t)` when `t >= 0.5` — so the
 * floating-point result is numpy's, bit for bit. Empty input: NaN (numpy warns and gives nan).
 */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (typeof p !== "number" || !(p >= 0 && p <= 100)) throw new InvalidArgumentError("p", p, `Percentiles must be in the range [0, 100], got ${String(p)}.`);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtual = (n - 1) * (p / 100);
  const previous = Math.floor(virtual);
  const next = Math.min(previous + 1, n - 1);
  const t = virtual - previous;
  const a = sorted[previous]!;
  const b = sorted[next]!;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
