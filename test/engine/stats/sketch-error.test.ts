/**
 * METRICS.md "Exact and sketched distributions": past the exact cap, the KS statistic and the
 * bin proportions must stay within 0.01 of the exact values. A crude sketch (every 8th sorted
 * value, weight 8) is much coarser than KLL in places, so passing here leaves margin.
 */

import { describe, expect, it } from 'vitest';
import { binEdges, binProportions } from '../../../functions/engine/stats/binning.ts';
import { ksStatistic } from '../../../functions/engine/stats/ks.ts';
import { mulberry32 as rng } from '../../../functions/engine/stats/seeded-random.ts';
import {
  fromUnsorted,
  fromWeighted,
  type WeightedSample,
} from '../../../functions/engine/stats/weighted-sample.ts';

/** Box-Muller normals from a seeded uniform generator. */
function normals(count: number, seed: number, mean = 0, sd = 1): number[] {
  const next = rng(seed);
  const out: number[] = [];
  while (out.length < count) {
    const u = 1 - next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    out.push(mean + sd * r * Math.cos(2 * Math.PI * v), mean + sd * r * Math.sin(2 * Math.PI * v));
  }
  return out.slice(0, count);
}

/** Keeps every 8th value of the sorted sample, each standing for 8 values. */
function crudeSketch(sample: WeightedSample): WeightedSample {
  const kept: number[] = [];
  for (let i = 3; i < sample.values.length; i += 8) kept.push(sample.values[i]!);
  return fromWeighted(
    kept,
    kept.map(() => 8),
  );
}

describe('sketch-mode error', () => {
  const exactBaseline = fromUnsorted(normals(100_000, 1));
  const sketchBaseline = crudeSketch(exactBaseline);
  const current = fromUnsorted(normals(20_000, 2, 0.1, 1.1));

  it('keeps the KS statistic within 0.01 of exact', () => {
    const exact = ksStatistic(exactBaseline, current);
    expect(exact).toBeGreaterThan(0.03);
    expect(Math.abs(ksStatistic(sketchBaseline, current) - exact)).toBeLessThan(0.01);
    // The sketch's own distance from the sample it summarises.
    expect(ksStatistic(sketchBaseline, exactBaseline)).toBeLessThan(0.01);
  });

  it('keeps the bin proportions within 0.01 of exact', () => {
    const exactEdges = binEdges(exactBaseline);
    const sketchEdges = binEdges(sketchBaseline);
    expect(sketchEdges).toHaveLength(exactEdges.length);
    const pairs: [number[], number[]][] = [
      [binProportions(exactBaseline, exactEdges), binProportions(sketchBaseline, sketchEdges)],
      [binProportions(current, exactEdges), binProportions(current, sketchEdges)],
    ];
    for (const [exact, sketched] of pairs) {
      expect(sketched).toHaveLength(exact.length);
      exact.forEach((e, i) => {
        expect(Math.abs(sketched[i]! - e)).toBeLessThan(0.01);
      });
    }
  });
});
