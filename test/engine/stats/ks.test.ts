import { describe, expect, it } from 'vitest';
import { kolmogorovSf, ksPValue, ksStatistic, linfRobust } from '../../../functions/engine/stats/ks.ts';
import { fromUnsorted } from '../../../functions/engine/stats/weighted-sample.ts';

/** `scipy.stats.kstwobign.sf(t)` (scipy 1.17). */
const SCIPY_KSTWOBIGN_SF: readonly [number, number][] = [
  [0.05, 1.0],
  [0.3, 0.9999906941986655],
  [0.5, 0.9639452436648751],
  [0.8, 0.5441424115741981],
  [0.82, 0.5119717052984973],
  [0.9, 0.3927307079406543],
  [0.999999, 0.27000074362745646],
  [1.0, 0.26999967167735456],
  [1.000001, 0.26999859973033974],
  [1.2, 0.11224966667072497],
  [2, 0.0006709252557796953],
  [5, 3.8574996959278356e-22],
  [10, 2.767793053473475e-87],
];

describe('ksStatistic', () => {
  it('reads the ECDF difference only after all copies of a tied value', () => {
    // scipy.stats.ks_2samp(b, c).statistic = 0.4666666666666667 = 7/15 correctly rounded (4/5 -
    // 2/6 in floating point would be 1 ulp higher), reached at x = 3. A walk that
    // read the difference after b's copies of 2 but before c's would see F_b = 3/5 against
    // F_c = 0 and report 0.6.
    const b = fromUnsorted([1, 2, 2, 3, 5.5]);
    const c = fromUnsorted([4, 2, 4, 7, 2, 4]);
    expect(ksStatistic(b, c)).toBe(0.4666666666666667);
    expect(ksStatistic(c, b)).toBe(0.4666666666666667);
  });

  it('is 0 for identical samples with many ties and 1 for disjoint ones', () => {
    const s = fromUnsorted([3, 3, 3, 1, 1, 2]);
    expect(ksStatistic(s, fromUnsorted([1, 2, 3, 3, 1, 3]))).toBe(0);
    expect(ksStatistic(fromUnsorted([1, 2]), fromUnsorted([3, 4, 5]))).toBe(1);
  });
});

describe('ksPValue', () => {
  it('is exactly 1 at t = 0', () => {
    expect(ksPValue(0, 100, 80)).toBe(1);
    expect(kolmogorovSf(0)).toBe(1);
  });

  it('matches scipy kstwobign.sf on both series, to 1e-13 relative', () => {
    for (const [t, expected] of SCIPY_KSTWOBIGN_SF) {
      expect(Math.abs(kolmogorovSf(t) - expected)).toBeLessThanOrEqual(1e-13 * expected);
    }
  });

  it('is continuous across the series switch at t = 1', () => {
    const below = kolmogorovSf(1 - 1e-12);
    const at = kolmogorovSf(1);
    const above = kolmogorovSf(1 + 1e-12);
    // The derivative of the sf near 1 is about -1.07, so steps of 1e-12 move it by ~1e-12.
    expect(Math.abs(below - at)).toBeLessThan(1e-11);
    expect(Math.abs(at - above)).toBeLessThan(1e-11);
    expect(below).toBeGreaterThan(above);
  });

  it('is monotone decreasing in t', () => {
    let previous = 1;
    for (let t = 0.01; t < 6; t += 0.01) {
      const p = kolmogorovSf(t);
      expect(p).toBeLessThanOrEqual(previous);
      previous = p;
    }
  });

  it('scales d by sqrt(n m / (n + m))', () => {
    // t = 0.5 * sqrt(400 * 100 / 500) = 0.5 * sqrt(80)
    expect(ksPValue(0.5, 400, 100)).toBe(kolmogorovSf(0.5 * Math.sqrt(80)));
  });
});

describe('linfRobust', () => {
  it('subtracts 1.8 sqrt((n + m) / (n m)) and floors at 0', () => {
    expect(linfRobust(0.3, 100, 100)).toBeCloseTo(0.3 - 1.8 * Math.sqrt(0.02), 15);
    expect(linfRobust(0.1, 100, 100)).toBe(0);
  });
});
