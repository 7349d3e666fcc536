/**
 * Two-sample Kolmogorov-Smirnov statistic and its asymptotic p-value (METRICS.md, "Numeric
 * features": `ks.statistic`, `ks.pValue`, `linfRobust`).
 */

import { prepareSample, type WeightedSample, weightOfFirst } from './weighted-sample.ts';

/** Kolmogorov-Smirnov two-sample test result. */
export interface KsResult {
  statistic: number;
  pValue: number;
}

/**
 * D = sup over x of |F_b(x) - F_c(x)|, with right-continuous (weighted) ECDFs F(x) = share of
 * weight at values <= x. Same as `scipy.stats.ks_2samp(b, c).statistic` in exact mode.
 *
 * One merge walk over both sorted samples: the supremum is attained at a sample value, and the
 * difference is read only after every copy of that value has been consumed on both sides.
 * Reading it mid-tie would compare a partial step with a full one and overstate D whenever the
 * samples share values (integer or rounded data).
 *
 * In exact mode the differences are compared as integers, |i m - j n|, and divided by n m once
 * at the end: D is then the correctly rounded rational, bit-identical to what `ks_2samp` reports
 * in its exact mode (it rounds D to h / lcm(n, m)), and ties between candidate maxima are decided
 * exactly. Its asymptotic mode (over 10,000 values) reports i/n - j/m instead, which can differ
 * in the last bit (the oracle's `large` case: 0.06257000000000001 against 0.06257).
 *
 * Returns 0 when either sample is empty or has zero total weight (no evidence of a difference).
 */
export function ksStatistic(b: WeightedSample, c: WeightedSample): number {
  const pb = prepareSample(b);
  const pc = prepareSample(c);
  if (pb.total <= 0 || pc.total <= 0) return 0;
  const n = pb.total;
  const m = pc.total;
  // Integer numerators are exact while every i m and j n stays below 2^53.
  const integral = pb.cumulative === null && pc.cumulative === null && n * m <= Number.MAX_SAFE_INTEGER;
  const vb = pb.values;
  const vc = pc.values;
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < vb.length || j < vc.length) {
    const x = i < vb.length && (j >= vc.length || vb[i]! <= vc[j]!) ? vb[i]! : vc[j]!;
    while (i < vb.length && vb[i]! <= x) i++;
    while (j < vc.length && vc[j]! <= x) j++;
    const diff = integral
      ? Math.abs(i * m - j * n)
      : Math.abs(weightOfFirst(pb, i) / n - weightOfFirst(pc, j) / m);
    if (diff > d) d = diff;
  }
  return integral ? d / (n * m) : d;
}

/** Below this t the alternating series converges too slowly; METRICS.md switches series at 1. */
const SERIES_CUTOVER = 1;
const SQRT_2PI = Math.sqrt(2 * Math.PI);
const PI2_OVER_8 = (Math.PI * Math.PI) / 8;

/**
 * Survival function of the Kolmogorov distribution, `scipy.stats.kstwobign.sf(t)`:
 * P(sqrt(n) D_n > t) in the large-sample limit.
 *
 * - t <= 0: 1.
 * - 0 < t < 1: 1 - (sqrt(2 pi) / t) * sum_{k>=1} exp(-(2k-1)^2 pi^2 / (8 t^2)) (Jacobi theta form of
 *   the CDF; its terms fall off like exp(-k^2 pi^2 / 2) at worst).
 * - t >= 1: 2 * sum_{k>=1} (-1)^(k-1) exp(-2 k^2 t^2), which keeps full relative accuracy in the far
 *   tail (no 1 - CDF cancellation), where p-values like 1e-76 live.
 *
 * Both series stop once a term no longer changes the sum in double precision.
 */
export function kolmogorovSf(t: number): number {
  if (Number.isNaN(t)) return Number.NaN;
  if (t <= 0) return 1;
  if (t < SERIES_CUTOVER) {
    const w = PI2_OVER_8 / (t * t);
    let sum = 0;
    for (let k = 1; k < 100; k++) {
      const odd = 2 * k - 1;
      const term = Math.exp(-odd * odd * w);
      sum += term;
      if (term <= sum * Number.EPSILON * 0.5) break;
    }
    return 1 - (SQRT_2PI / t) * sum;
  }
  const a = -2 * t * t;
  let sum = 0;
  for (let k = 1; k < 100; k++) {
    const term = Math.exp(a * k * k);
    sum += k % 2 === 1 ? term : -term;
    if (term <= Math.abs(sum) * Number.EPSILON * 0.5) break;
  }
  // The alternating sum is positive for t >= 1 (the first term dominates), so 2*sum is in (0, 1].
  return Math.min(1, 2 * sum);
}

/**
 * Asymptotic two-sample KS p-value: `kstwobign.sf(d * sqrt(n m / (n + m)))`, n and m the
 * baseline and current counts. Note this is not what `ks_2samp` reports by default (it uses the
 * exact distribution for small samples and `kstwo` otherwise); METRICS.md fixes the asymptotic
 * form, which also works for sketch-mode counts.
 */
export function ksPValue(d: number, n: number, m: number): number {
  if (!(n > 0 && m > 0)) return Number.NaN;
  return kolmogorovSf(d * Math.sqrt((n * m) / (n + m)));
}

/**
 * SageMaker's "Robust" distance: max(0, d - 1.8 * sqrt((n + m) / (n m))). The subtracted term is
 * a conservative critical value of D, so sampling noise alone rarely yields a positive distance.
 */
export function linfRobust(d: number, n: number, m: number): number {
  if (!(n > 0 && m > 0)) return Number.NaN;
  return Math.max(0, d - 1.8 * Math.sqrt((n + m) / (n * m)));
}
