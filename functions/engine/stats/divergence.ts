/**
 * Divergences between two discrete distributions (bin proportions or category shares):
 * METRICS.md `psi` and `jensenShannon`.
 */

import { NeumaierSum } from './summation.ts';

/** What a zero proportion becomes in PSI, so that ln(c / b) stays finite. */
export const PSI_ZERO_REPLACEMENT = 1e-4;

function checkSameLength(b: readonly number[], c: readonly number[]): void {
  if (b.length !== c.length)
    throw new RangeError(`distributions differ in length: ${b.length} vs ${c.length}`);
}

/**
 * Population stability index: sum over i of (c_i - b_i) ln(c_i / b_i), where every proportion
 * equal to 0 is first replaced by 1e-4. No renormalisation afterwards: that is the convention
 * of the oracle (and of the common PSI recipes), and it keeps identical inputs at exactly 0.
 */
export function psi(b: readonly number[], c: readonly number[]): number {
  checkSameLength(b, c);
  const acc = new NeumaierSum();
  for (let i = 0; i < b.length; i++) {
    const bi = b[i] === 0 ? PSI_ZERO_REPLACEMENT : b[i]!;
    const ci = c[i] === 0 ? PSI_ZERO_REPLACEMENT : c[i]!;
    acc.add((ci - bi) * Math.log(ci / bi));
  }
  return acc.value();
}

/** scipy.special.rel_entr for x >= 0, y >= 0: x ln(x / y), with 0 ln(0 / y) = 0. */
function relEntr(x: number, y: number): number {
  if (x === 0) return 0;
  if (y === 0) return Number.POSITIVE_INFINITY;
  return x * Math.log(x / y);
}

/**
 * Jensen-Shannon distance with log base 2 (in [0, 1]), as
 * `scipy.spatial.distance.jensenshannon(b, c, base=2)`: both vectors are first divided by their
 * sums (so slightly unnormalised proportions, e.g. from a sketch, are fine), M = (p + q) / 2,
 * JSD = (KL(p, M) + KL(q, M)) / 2 with terms where p_i = 0 contributing 0, result sqrt(JSD).
 *
 * One deliberate difference: a JSD that rounds to a tiny negative number (near-identical
 * inputs) gives 0 here, where scipy's sqrt would give NaN. NaN when a vector sums to 0.
 */
export function jensenShannonDistance(b: readonly number[], c: readonly number[]): number {
  checkSameLength(b, c);
  const sumB = new NeumaierSum();
  const sumC = new NeumaierSum();
  for (let i = 0; i < b.length; i++) {
    sumB.add(b[i]!);
    sumC.add(c[i]!);
  }
  const totalB = sumB.value();
  const totalC = sumC.value();
  if (!(totalB > 0 && totalC > 0)) return Number.NaN;
  const left = new NeumaierSum();
  const right = new NeumaierSum();
  for (let i = 0; i < b.length; i++) {
    const p = b[i]! / totalB;
    const q = c[i]! / totalC;
    const m = (p + q) / 2;
    left.add(relEntr(p, m));
    right.add(relEntr(q, m));
  }
  const js = (left.value() + right.value()) / Math.LN2;
  return Math.sqrt(Math.max(0, js / 2));
}
