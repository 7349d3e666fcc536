import { describe, expect, it } from 'vitest';
import { categoricalMetrics } from '../../../functions/engine/drift/categorical-drift.ts';
import { chiSquareHomogeneity } from '../../../functions/engine/stats/chi-square.ts';

describe('chiSquareHomogeneity', () => {
  it('matches scipy chi2_contingency(correction=False)', () => {
    const r = chiSquareHomogeneity([10, 20, 30], [15, 5, 40]);
    expect(r.statistic).toBeCloseTo(11.428571428571429, 12);
    expect(r.pValue).toBeCloseTo(0.003298505755939092, 14);
  });

  it('accepts non-integer counts and applies no continuity correction at dof 1', () => {
    const r = chiSquareHomogeneity([10.5, 20.25], [15, 5.75]);
    expect(r.statistic).toBeCloseTo(7.21078270703385, 12);
    expect(r.pValue).toBeCloseTo(0.007246688519648126, 14);
  });

  it('gives statistic 0 and p-value 1 with one category', () => {
    expect(chiSquareHomogeneity([50], [70])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('drops a category that is 0 on both sides instead of dividing by 0', () => {
    expect(chiSquareHomogeneity([10, 0, 20, 30], [15, 0, 5, 40])).toEqual(
      chiSquareHomogeneity([10, 20, 30], [15, 5, 40]),
    );
    expect(chiSquareHomogeneity([5, 0], [7, 0])).toEqual({ statistic: 0, pValue: 1 });
  });

  it('rejects an empty side and invalid counts', () => {
    expect(() => chiSquareHomogeneity([0, 0], [1, 2])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([1, -1], [1, 2])).toThrow(RangeError);
    expect(() => chiSquareHomogeneity([1], [1, 2])).toThrow(RangeError);
  });
});

describe('categoricalMetrics', () => {
  it('sorts categories by code units and aligns the shares', () => {
    const m = categoricalMetrics(
      new Map([
        ['b', 2],
        ['B', 1],
        ['a', 1],
      ]),
      new Map([
        ['a', 3],
        ['10', 1],
        ['9', 0],
      ]),
    );
    // '9' is counted 0 on both sides, so it is not a category; '10' < 'B' < 'a' < 'b'.
    expect(m.categories).toEqual(['10', 'B', 'a', 'b']);
    expect(m.proportions.baseline).toEqual([0, 0.25, 0.25, 0.5]);
    expect(m.proportions.current).toEqual([0.25, 0, 0.75, 0]);
    expect(m.count).toEqual({ baseline: 4, current: 4 });
    expect(m.linf).toBe(0.5);
  });

  it('rejects an empty side', () => {
    expect(() => categoricalMetrics(new Map(), new Map([['a', 1]]))).toThrow(RangeError);
  });
});
