/**
 * First Wasserstein (earth mover's) distance between two (weighted) empirical distributions
 * (METRICS.md `wasserstein`).
 */

import { NeumaierSum } from './summation.ts';
import { prepareSample, type WeightedSample, weightOfFirst } from './weighted-sample.ts';

/**
 * W1 = integral over x of |F_b(x) - F_c(x)| dx, as `scipy.stats.wasserstein_distance(b, c)` (with
 * `u_weights`/`v_weights` in sketch mode). Both ECDFs are step functions that only change at
 * sample values, so one merge walk over the distinct values x_0 < x_1 < ... adds the strips
 * |F_b(x_k) - F_c(x_k)| (x_(k+1) - x_k), with compensated summation because the strips are
 * many and small. NaN when either sample is empty or has zero total weight (scipy raises).
 */
export function wasserstein(b: WeightedSample, c: WeightedSample): number {
  const pb = prepareSample(b);
  const pc = prepareSample(c);
  if (pb.total <= 0 || pc.total <= 0) return Number.NaN;
  const vb = pb.values;
  const vc = pc.values;
  const acc = new NeumaierSum();
  let i = 0;
  let j = 0;
  let previous = Number.NaN;
  let previousGap = 0;
  while (i < vb.length || j < vc.length) {
    const x = i < vb.length && (j >= vc.length || vb[i]! <= vc[j]!) ? vb[i]! : vc[j]!;
    // The strip from the previous distinct value to x uses the ECDFs as they stood at the
    // previous value (right-continuous, so constant on [previous, x)).
    if (i + j > 0) acc.add(previousGap * (x - previous));
    while (i < vb.length && vb[i]! <= x) i++;
    while (j < vc.length && vc[j]! <= x) j++;
    previousGap = Math.abs(weightOfFirst(pb, i) / pb.total - weightOfFirst(pc, j) / pc.total);
    previous = x;
  }
  return acc.value();
}
