/**
 * All drift metrics of one categorical feature (METRICS.md, "Categorical features"), from the
 * category counts of both sides.
 */

import type { ChiSquareResult } from '../stats/chi-square.ts';
import { chiSquareHomogeneity } from '../stats/chi-square.ts';
import { jensenShannonDistance, psi } from '../stats/divergence.ts';
import { linfRobust } from '../stats/ks.ts';
import { NeumaierSum } from '../stats/summation.ts';
import type { Sides } from './numeric-drift.ts';

/** Metrics of a categorical feature (METRICS.md, "Categorical features"). */
export interface CategoricalMetrics {
  count: Sides<number>;
  /** Sorted union of the categories of both sides. */
  categories: string[];
  proportions: Sides<number[]>;
  linf: number;
  linfRobust: number;
  chiSquare: ChiSquareResult;
  psi: number;
  jensenShannon: number;
}

/**
 * Code-unit string order (`<`), the order of Python's `sorted()` for the BMP (Python compares
 * code points, so the two orders differ only between astral characters and U+E000..U+FFFF).
 * Not localeCompare: category order must not depend on the runtime's locale.
 */
function compareCodeUnits(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

function sideTotal(counts: ReadonlyMap<string, number>, name: string): number {
  const acc = new NeumaierSum();
  for (const [category, count] of counts) {
    if (!(Number.isFinite(count) && count >= 0)) {
      throw new RangeError(`${name} count of category ${JSON.stringify(category)} is ${count}`);
    }
    acc.add(count);
  }
  const total = acc.value();
  if (!(total > 0)) {
    throw new RangeError(`${name} side has no values to compare; report the feature without metrics`);
  }
  return total;
}

/**
 * Compares baseline category counts `b` with current counts `c` (counts may be non-integer
 * sketch estimates). Categories are the sorted union of both sides' keys, leaving out any
 * category counted 0 on both sides (it was never seen). n and m, the side totals, scale the
 * shares and the robust distance. Throws a RangeError on a negative or non-finite count or an
 * empty side.
 */
export function categoricalMetrics(
  b: ReadonlyMap<string, number>,
  c: ReadonlyMap<string, number>,
): CategoricalMetrics {
  const n = sideTotal(b, 'baseline');
  const m = sideTotal(c, 'current');
  const union = new Set<string>();
  for (const [category, count] of b) if (count > 0) union.add(category);
  for (const [category, count] of c) if (count > 0) union.add(category);
  const categories = [...union].sort(compareCodeUnits);
  const countsB = categories.map((k) => b.get(k) ?? 0);
  const countsC = categories.map((k) => c.get(k) ?? 0);
  const sharesB = countsB.map((x) => x / n);
  const sharesC = countsC.map((x) => x / m);
  let linf = 0;
  for (let i = 0; i < categories.length; i++) {
    linf = Math.max(linf, Math.abs(sharesB[i]! - sharesC[i]!));
  }
  return {
    count: { baseline: n, current: m },
    categories,
    proportions: { baseline: sharesB, current: sharesC },
    linf,
    linfRobust: linfRobust(linf, n, m),
    chiSquare: chiSquareHomogeneity(countsB, countsC),
    psi: psi(sharesB, sharesC),
    jensenShannon: jensenShannonDistance(sharesB, sharesC),
  };
}
