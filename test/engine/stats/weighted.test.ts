import { describe, expect, it } from 'vitest';
import { binEdges, binProportions } from '../../../functions/engine/stats/binning.ts';
import { ksStatistic } from '../../../functions/engine/stats/ks.ts';
import { exactMoments } from '../../../functions/engine/stats/moments.ts';
import { quantileType7, weightedQuantile } from '../../../functions/engine/stats/quantile.ts';
import { mulberry32 as rng } from '../../../functions/engine/stats/seeded-random.ts';
import { wasserstein } from '../../../functions/engine/stats/wasserstein.ts';
import {
  fromUnsorted,
  fromWeighted,
  prepareSample,
  totalWeight,
  type WeightedSample,
  weightAtOrBelow,
} from '../../../functions/engine/stats/weighted-sample.ts';

function duplicated(values: readonly number[], times: number): number[] {
  return values.flatMap((v) => Array<number>(times).fill(v));
}

describe('WeightedSample helpers', () => {
  it('fromUnsorted sorts numerically and rejects non-finite values', () => {
    expect([...fromUnsorted([10, 9, -1, 2.5]).values]).toEqual([-1, 2.5, 9, 10]);
    expect(() => fromUnsorted([1, Number.NaN])).toThrow(RangeError);
    expect(() => fromUnsorted([Number.POSITIVE_INFINITY])).toThrow(RangeError);
  });

  it('fromWeighted sorts the pairs together and validates weights', () => {
    const s = fromWeighted([3, 1, 2, 1], [4, 1, 2, 8]);
    expect([...s.values]).toEqual([1, 1, 2, 3]);
    // The two 1s keep their own weights (order among equal values is irrelevant).
    expect([...s.weights!].slice(0, 2).sort()).toEqual([1, 8]);
    expect(s.weights![2]).toBe(2);
    expect(s.weights![3]).toBe(4);
    expect(() => fromWeighted([1], [-1])).toThrow(RangeError);
    expect(() => fromWeighted([1, 2], [1])).toThrow(RangeError);
  });

  it('weightAtOrBelow sums the weights of values <= x', () => {
    const s = prepareSample(fromWeighted([1, 2, 2, 5], [1, 2, 4, 8]));
    expect(totalWeight(s)).toBe(15);
    expect(weightAtOrBelow(s, 0.5)).toBe(0);
    expect(weightAtOrBelow(s, 1)).toBe(1);
    expect(weightAtOrBelow(s, 2)).toBe(7);
    expect(weightAtOrBelow(s, 4.9)).toBe(7);
    expect(weightAtOrBelow(s, 5)).toBe(15);
    const exact = prepareSample(fromUnsorted([1, 2, 2, 5]));
    expect(totalWeight(exact)).toBe(4);
    expect(weightAtOrBelow(exact, 2)).toBe(3);
  });
});

describe('quantiles', () => {
  it('quantileType7 matches numpy.quantile', () => {
    const s = fromUnsorted([1, 2, 2, 3, 5.5, 8, 8, 9]).values;
    // numpy.quantile(s, [0.1, 0.25, 0.5, 0.77, 0.9]) = [1.7, 2, 4.25, 8, 8.3]
    const expected = [1.7, 2, 4.25, 8, 8.3];
    [0.1, 0.25, 0.5, 0.77, 0.9].forEach((p, i) => {
      expect(quantileType7(s, p)).toBeCloseTo(expected[i]!, 14);
    });
    expect(quantileType7(s, 0)).toBe(1);
    expect(quantileType7(s, 1)).toBe(9);
    expect(() => quantileType7(new Float64Array(0), 0.5)).toThrow(RangeError);
  });

  it('weightedQuantile with unit weights is quantileType7', () => {
    const values = [4, 1, 7, 7, 2, 9.5, 3];
    const exact = fromUnsorted(values);
    const unit = fromWeighted(
      values,
      values.map(() => 1),
    );
    for (let p = 0; p <= 1; p += 0.01) {
      expect(weightedQuantile(unit, p)).toBe(quantileType7(exact.values, p));
    }
  });

  it('weightedQuantile with integer weights is quantileType7 of the expanded sample', () => {
    const values = [4, 1, 7, 2, 9.5, 3];
    const weights = [1, 4, 2, 8, 1, 2];
    const expanded = fromUnsorted(values.flatMap((v, i) => duplicated([v], weights[i]!))).values;
    const sketch = fromWeighted(values, weights);
    for (let p = 0; p <= 1; p += 0.005) {
      expect(weightedQuantile(sketch, p)).toBe(quantileType7(expanded, p));
    }
  });

  it('weightedQuantile is monotone in p and spans [min, max], also for fractional weights', () => {
    const sketch = fromWeighted([5, 1, 3, 2], [0.5, 2.25, 1.5, 3]);
    let previous = Number.NEGATIVE_INFINITY;
    for (let p = 0; p <= 1; p += 0.01) {
      const q = weightedQuantile(sketch, p);
      expect(q).toBeGreaterThanOrEqual(previous);
      previous = q;
    }
    expect(weightedQuantile(sketch, 0)).toBe(1);
    expect(weightedQuantile(sketch, 1)).toBe(5);
  });
});

describe('a sample with weights 2 equals the sample with each value duplicated', () => {
  const next = rng(7);
  const rawB = Array.from({ length: 257 }, () => Math.round(next() * 40) / 4);
  const rawC = Array.from({ length: 190 }, () => Math.round(next() * 44) / 4);
  const weightedB: WeightedSample = fromWeighted(
    rawB,
    rawB.map(() => 2),
  );
  const weightedC: WeightedSample = fromWeighted(
    rawC,
    rawC.map(() => 2),
  );
  const dupB = fromUnsorted(duplicated(rawB, 2));
  const dupC = fromUnsorted(duplicated(rawC, 2));

  it('for the KS statistic', () => {
    // Equal up to rounding: exact mode forms D as one integer ratio, weighted mode as a
    // difference of two ratios.
    expect(ksStatistic(weightedB, weightedC)).toBeCloseTo(ksStatistic(dupB, dupC), 15);
    expect(ksStatistic(weightedB, fromUnsorted(rawC))).toBeCloseTo(ksStatistic(dupB, fromUnsorted(rawC)), 15);
    expect(ksStatistic(weightedB, weightedC)).toBeGreaterThan(0.05);
  });

  it('for bin edges and bin proportions', () => {
    const edges = binEdges(weightedB);
    expect(edges).toEqual(binEdges(dupB));
    expect(binProportions(weightedB, edges)).toEqual(binProportions(dupB, edges));
    expect(binProportions(weightedC, edges)).toEqual(binProportions(dupC, edges));
  });

  it('for the Wasserstein distance', () => {
    expect(wasserstein(weightedB, weightedC)).toBeCloseTo(wasserstein(dupB, dupC), 14);
  });
});

describe('wasserstein', () => {
  it('matches scipy.stats.wasserstein_distance, with and without weights', () => {
    const b = [1, 2, 2, 3, 5.5];
    const c = [2, 2, 4, 4, 4, 7];
    expect(wasserstein(fromUnsorted(b), fromUnsorted(c))).toBeCloseTo(1.2333333333333334, 14);
    const wb = fromWeighted(b, [1, 2, 1, 1, 3]);
    const wc = fromWeighted(c, [1, 1, 2, 1, 1, 1]);
    expect(wasserstein(wb, wc)).toBeCloseTo(1.2410714285714286, 14);
    expect(wasserstein(fromUnsorted(b), fromUnsorted(b))).toBe(0);
  });
});

describe('binning', () => {
  it('uses right-closed bins: a value equal to an edge falls in the bin below it', () => {
    const s = fromUnsorted([1, 2, 3]);
    expect(binProportions(s, [2])).toEqual([2 / 3, 1 / 3]);
    expect(binProportions(s, [0.5, 3])).toEqual([0, 1, 0]);
  });

  it('merges edges of a tied baseline', () => {
    expect(binEdges(fromUnsorted([3, 3, 3, 3]))).toEqual([3]);
  });
});

describe('exactMoments', () => {
  it('gives the population standard deviation', () => {
    const m = exactMoments([2, 4, 4, 4, 5, 5, 7, 9]);
    expect(m).toEqual({ count: 8, sum: 40, mean: 5, stdDev: 2, min: 2, max: 9 });
  });

  it('gives exactly 0 spread for a constant sample whose mean does not round-trip', () => {
    const m = exactMoments([0.1, 0.1, 0.1]);
    expect(m.stdDev).toBe(0);
    expect(m.mean).toBe(0.1);
  });
});
