/**
 * Quantiles for the bin edges (METRICS.md, `binEdges`): numpy's default linear interpolation on
 * exact samples, and its natural extension to weighted (sketch) samples.
 */

import { prepareSample, type WeightedSample } from './weighted-sample.ts';

/**
 * numpy's `_lerp`: a + (b - a) t, evaluated from the nearer endpoint when t >= 0.5. The two forms
 * round differently; copying numpy keeps edges bit-identical, which matters for `unique()` when
 * neighbouring quantiles nearly coincide.
 */
function lerp(a: number, b: number, t: number): number {
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

function checkProbability(p: number): void {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability ${p} is not in [0, 1]`);
}

/**
 * Quantile of a sorted, non-empty array with linear interpolation ("type 7", numpy's default):
 * h = (n - 1) p, q = x[floor h] + (h - floor h) (x[floor h + 1] - x[floor h]).
 */
export function quantileType7(sorted: Float64Array, p: number): number {
  checkProbability(p);
  const n = sorted.length;
  if (n === 0) throw new RangeError('quantile of an empty sample');
  const h = (n - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, n - 1);
  return lerp(sorted[lo]!, sorted[hi]!, h - lo);
}

/**
 * Index of the item holding position `pos` (an integer) of the expanded sample: the first i with
 * S_i >= pos + 1, clamped to the last item. For integer weights that is the item whose copies
 * occupy positions S_(i-1) .. S_i - 1; the ">= pos + 1" form (rather than "> pos") also keeps
 * the last item reachable at p = 1 when weights are fractional.
 */
function itemAtPosition(cumulative: Float64Array, pos: number): number {
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cumulative[mid]! >= pos + 1) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Quantile of a weighted sample: type 7 on the multiset the weights stand for.
 *
 * Item i with weight w_i occupies the positions [S_(i-1), S_i) of an expanded sample of total
 * weight W (S the cumulative weights, 0-based positions). As in type 7, h = (W - 1) p, and the
 * result interpolates linearly between the items at positions floor(h) and floor(h) + 1. With
 * integer weights (KLL weights are powers of 2) this is exactly `quantileType7` of the sample
 * with every value repeated w_i times, and with unit weights it is `quantileType7` itself, so
 * bin edges do not jump when a profile switches from exact to sketch mode.
 *
 * Weights are meant to be counts. Non-integer weights go through the same formula, which stays
 * monotone in p and gives the maximum at p = 1; the minimum at p = 0 needs a first weight >= 1.
 * A total weight below 1 is not a sample of counts: h is clamped to 0.
 */
export function weightedQuantile(sample: WeightedSample, p: number): number {
  checkProbability(p);
  const s = prepareSample(sample);
  if (s.values.length === 0 || s.total <= 0) throw new RangeError('quantile of an empty sample');
  if (s.cumulative === null) return quantileType7(s.values, p);
  const h = Math.max(0, (s.total - 1) * p);
  const lo = Math.floor(h);
  const a = s.values[itemAtPosition(s.cumulative, lo)]!;
  const b = s.values[itemAtPosition(s.cumulative, lo + 1)]!;
  return lerp(a, b, h - lo);
}
