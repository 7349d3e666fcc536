/**
 * Exact summary statistics of a numeric sample (METRICS.md: `count`, `sum`, `mean`, `stdDev`,
 * `min`, `max`).
 */

import { NeumaierSum } from './summation.ts';

/** Exact moments of a sample. `stdDev` is the population standard deviation (divide by n). */
export interface Moments {
  count: number;
  sum: number;
  mean: number;
  stdDev: number;
  min: number;
  max: number;
}

/**
 * Two-pass moments: compensated sum, mean, then the corrected two-pass variance
 * (sum d^2 - (sum d)^2 / n) / n with d = x - mean, whose second term cancels the rounding error
 * of the mean. A sample whose values are all equal gets stdDev exactly 0 (and mean exactly that
 * value), so `wassersteinNorm` is reliably null for a constant baseline instead of dividing by
 * a rounding residue. An empty sample has count 0, sum 0 and NaN elsewhere.
 */
export function exactMoments(values: ArrayLike<number>): Moments {
  const count = values.length;
  if (count === 0) {
    return { count: 0, sum: 0, mean: Number.NaN, stdDev: Number.NaN, min: Number.NaN, max: Number.NaN };
  }
  const total = new NeumaierSum();
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const x = values[i]!;
    total.add(x);
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const sum = total.value();
  if (min === max) return { count, sum, mean: min, stdDev: 0, min, max };
  // Rounding cannot push the true mean outside [min, max]; clamp so it never looks like it did.
  const mean = Math.min(max, Math.max(min, sum / count));
  const squares = new NeumaierSum();
  const deviations = new NeumaierSum();
  for (let i = 0; i < count; i++) {
    const d = values[i]! - mean;
    squares.add(d * d);
    deviations.add(d);
  }
  const dev = deviations.value();
  const variance = Math.max(0, (squares.value() - (dev * dev) / count) / count);
  return { count, sum, mean, stdDev: Math.sqrt(variance), min, max };
}
