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
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < count; i++) {
    const x = values[i]!;
    if (x < min) min = x;
    if (x > max) max = x;
  }
  const total = new NeumaierSum();
  if (min === max) {
    for (let i = 0; i < count; i++) total.add(values[i]!);
    return { count, sum: total.value(), mean: min, stdDev: 0, min, max };
  }
  // Squares of deviations past about 1e154 overflow, and so may the sum near 1e308: such a
  // sample is computed scaled by a power of two (exact), so mean and stdDev stay right and only
  // a sum that is itself beyond the double range comes out infinite. Ordinary samples take
  // scale 1 and the same arithmetic as before.
  const big = Math.max(Math.abs(min), Math.abs(max));
  const shift = big > HUGE ? Math.ceil(Math.log2(big)) : 0;
  // Two factors each: 2^1024 itself is beyond the double range and 2^-1024 is subnormal.
  const d1 = 2 ** -Math.ceil(shift / 2);
  const d2 = 2 ** -Math.floor(shift / 2);
  for (let i = 0; i < count; i++) total.add(values[i]! * d1 * d2);
  const scaledSum = total.value();
  const sMin = min * d1 * d2;
  const sMax = max * d1 * d2;
  // Rounding cannot push the true mean outside [min, max]; clamp so it never looks like it did.
  const scaledMean = Math.min(sMax, Math.max(sMin, scaledSum / count));
  const squares = new NeumaierSum();
  const deviations = new NeumaierSum();
  for (let i = 0; i < count; i++) {
    const d = values[i]! * d1 * d2 - scaledMean;
    squares.add(d * d);
    deviations.add(d);
  }
  const dev = deviations.value();
  const variance = Math.max(0, (squares.value() - (dev * dev) / count) / count);
  const up = (x: number) => x * 2 ** Math.ceil(shift / 2) * 2 ** Math.floor(shift / 2);
  return { count, sum: up(scaledSum), mean: up(scaledMean), stdDev: up(Math.sqrt(variance)), min, max };
}

/** Magnitude (2^500) past which {@link exactMoments} scales a sample before squaring. */
const HUGE = 2 ** 500;
