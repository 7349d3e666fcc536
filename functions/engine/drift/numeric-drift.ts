/**
 * All drift metrics of one numeric feature (METRICS.md, "Numeric features"), from the two sides'
 * samples and exact moments.
 */

import { binEdges, binProportions } from '../stats/binning.ts';
import { jensenShannonDistance, psi } from '../stats/divergence.ts';
import type { KsResult } from '../stats/ks.ts';
import { ksPValue, ksStatistic, linfRobust } from '../stats/ks.ts';
import type { Moments } from '../stats/moments.ts';
import { wasserstein } from '../stats/wasserstein.ts';
import type { WeightedSample } from '../stats/weighted-sample.ts';

/** Baseline and current side of one statistic, as in the oracle files. */
export interface Sides<T> {
  baseline: T;
  current: T;
}

/** Metrics of a numeric feature (METRICS.md, "Numeric features"). */
export interface NumericMetrics {
  count: Sides<number>;
  ks: KsResult;
  linfRobust: number;
  binEdges: number[];
  binProportions: Sides<number[]>;
  psi: number;
  jensenShannon: number;
  wasserstein: number;
  /** `null` when the baseline's standard deviation is 0. */
  wassersteinNorm: number | null;
  mean: Sides<number>;
  stdDev: Sides<number>;
  min: Sides<number>;
  max: Sides<number>;
  sum: Sides<number>;
}

/**
 * One side of a numeric comparison. The moments come from the caller's profile and are exact
 * even in sketch mode; `count` (not the sample's total weight) is the n or m of the KS p-value
 * and the robust distance. Distribution-shaped metrics (KS, bins, Wasserstein) are computed
 * from `sample`, normalised by its own total weight.
 */
export interface NumericSide extends Moments {
  sample: WeightedSample;
}

function checkSide(side: NumericSide, name: string): void {
  if (!(side.count > 0) || side.sample.values.length === 0) {
    throw new RangeError(`${name} side has no values to compare; report the feature without metrics`);
  }
}

/**
 * Compares a baseline side `b` with a current side `c`. Bins are the baseline's deciles;
 * `wassersteinNorm` divides by the baseline's population standard deviation and is null when
 * that is 0. Throws a RangeError when either side is empty (the report then carries no metrics
 * for the feature).
 */
export function numericMetrics(b: NumericSide, c: NumericSide): NumericMetrics {
  checkSide(b, 'baseline');
  checkSide(c, 'current');
  const d = ksStatistic(b.sample, c.sample);
  const edges = binEdges(b.sample);
  const proportionsB = binProportions(b.sample, edges);
  const proportionsC = binProportions(c.sample, edges);
  const w = wasserstein(b.sample, c.sample);
  return {
    count: { baseline: b.count, current: c.count },
    ks: { statistic: d, pValue: ksPValue(d, b.count, c.count) },
    linfRobust: linfRobust(d, b.count, c.count),
    binEdges: edges,
    binProportions: { baseline: proportionsB, current: proportionsC },
    psi: psi(proportionsB, proportionsC),
    jensenShannon: jensenShannonDistance(proportionsB, proportionsC),
    wasserstein: w,
    wassersteinNorm: b.stdDev === 0 ? null : w / b.stdDev,
    mean: { baseline: b.mean, current: c.mean },
    stdDev: { baseline: b.stdDev, current: c.stdDev },
    min: { baseline: b.min, current: c.min },
    max: { baseline: b.max, current: c.max },
    sum: { baseline: b.sum, current: c.sum },
  };
}
