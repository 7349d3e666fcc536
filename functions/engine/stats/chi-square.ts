/**
 * Pearson chi-squared test of homogeneity for categorical drift (METRICS.md `chiSquare`).
 */

import gammainc from '@stdlib/math-base-special-gammainc';
import { NeumaierSum } from './summation.ts';

/** Pearson chi-squared test of homogeneity result. */
export interface ChiSquareResult {
  statistic: number;
  pValue: number;
}

/**
 * Pearson chi-squared test of homogeneity on the 2 x K table whose rows are `countsB` and
 * `countsC` (same category order), without continuity correction, as
 * `scipy.stats.chi2_contingency(table, correction=False)`:
 *
 * - expected_ij = row_i col_j / total; statistic = sum (observed - expected)^2 / expected;
 * - dof = K - 1 over the categories present (a column that is 0 on both rows is dropped rather
 *   than dividing by a zero expectation, which scipy would reject);
 * - p-value = Q(dof / 2, statistic / 2), the regularized upper incomplete gamma function, taken
 *   from stdlib directly so tiny p-values keep their relative accuracy (no 1 - CDF);
 * - K <= 1: statistic 0, p-value 1 (nothing to compare, scipy's dof = 0 convention).
 *
 * Counts may be non-integer estimates (from sketches). Throws a RangeError on negative or
 * non-finite counts, on rows of different lengths, and when a row sums to 0 (an empty side has
 * no distribution to test).
 */
export function chiSquareHomogeneity(
  countsB: readonly number[],
  countsC: readonly number[],
): ChiSquareResult {
  if (countsB.length !== countsC.length) {
    throw new RangeError(`count rows differ in length: ${countsB.length} vs ${countsC.length}`);
  }
  const rowB = new NeumaierSum();
  const rowC = new NeumaierSum();
  const present: number[] = [];
  for (let k = 0; k < countsB.length; k++) {
    const ob = countsB[k]!;
    const oc = countsC[k]!;
    if (!(Number.isFinite(ob) && ob >= 0 && Number.isFinite(oc) && oc >= 0)) {
      throw new RangeError(`category ${k} has invalid counts ${ob}, ${oc}`);
    }
    rowB.add(ob);
    rowC.add(oc);
    if (ob + oc > 0) present.push(k);
  }
  const nB = rowB.value();
  const nC = rowC.value();
  if (!(nB > 0 && nC > 0)) throw new RangeError('chi-squared test needs counts on both sides');
  if (present.length <= 1) return { statistic: 0, pValue: 1 };
  const total = nB + nC;
  const statistic = new NeumaierSum();
  for (const k of present) {
    const ob = countsB[k]!;
    const oc = countsC[k]!;
    const column = ob + oc;
    const eb = (nB * column) / total;
    const ec = (nC * column) / total;
    statistic.add(((ob - eb) * (ob - eb)) / eb);
    statistic.add(((oc - ec) * (oc - ec)) / ec);
  }
  const chi2 = statistic.value();
  const dof = present.length - 1;
  // gammainc(x, s, regularized, upper) = Q(s, x).
  return { statistic: chi2, pValue: gammainc(chi2 / 2, dof / 2, true, true) };
}
