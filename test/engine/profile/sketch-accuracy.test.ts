// Past the exact cap a window's numeric profile is a KLL sketch; METRICS.md bounds the error:
// KS statistic, L-infinity distances and bin proportions within 0.01 of the exact values.
// Checked here at a million values, against the exact computation on the same values.
import { describe, expect, it } from 'vitest';
import { NumericProfile } from '../../../functions/engine/profile/numeric-profile.ts';
import { binEdges, binProportions } from '../../../functions/engine/stats/binning.ts';
import { ksStatistic, linfRobust } from '../../../functions/engine/stats/ks.ts';
import { exactMoments } from '../../../functions/engine/stats/moments.ts';
import { mulberry32 } from '../../../functions/engine/stats/seeded-random.ts';
import { fromUnsorted } from '../../../functions/engine/stats/weighted-sample.ts';

function normals(n: number, mean: number, sd: number, seed: number): Float64Array {
  const rand = mulberry32(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++)
    out[i] = mean + sd * Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  return out;
}

describe('sketch mode at a million values', () => {
  const baselineValues = normals(200_000, 0, 1, 7);
  const baseline = fromUnsorted(baselineValues);
  const edges = binEdges(baseline);

  it.each([
    ['no drift', 0, 1],
    ['a shift of 0.1 sd', 0.1, 1],
    ['a wider spread', 0, 1.3],
  ])('%s: KS, L-infinity and bin proportions within 0.01 of exact', (_name, mean, sd) => {
    const values = normals(1_000_000, mean, sd, 11);
    const profile = new NumericProfile(); // default exact cap: 100,000, so this is a sketch
    for (const v of values) profile.add(v);
    expect(profile.isExact).toBe(false);

    const exact = fromUnsorted(values);
    const sketch = profile.weightedSample();
    const ksExact = ksStatistic(baseline, exact);
    const ksSketch = ksStatistic(baseline, sketch);
    expect(Math.abs(ksSketch - ksExact)).toBeLessThan(0.01);
    const n = baselineValues.length;
    const m = values.length;
    expect(Math.abs(linfRobust(ksSketch, n, m) - linfRobust(ksExact, n, m))).toBeLessThan(0.01);
    const pExact = binProportions(exact, edges);
    const pSketch = binProportions(sketch, edges);
    for (const [i, p] of pExact.entries()) expect(Math.abs(pSketch[i]! - p), `bin ${i}`).toBeLessThan(0.01);
    // Memory does not grow with the window: the sketch keeps a few thousand items.
    expect(sketch.values.length).toBeLessThan(10_000);
    expect(profile.moments().count).toBe(1_000_000);
    // Moments stay exact-grade past the cap (streamed from the exact values' moments on).
    const streamed = profile.moments();
    const e = exactMoments(exact.values);
    for (const k of ['mean', 'stdDev', 'sum', 'min', 'max'] as const)
      expect(Math.abs(streamed[k] - e[k]) / Math.max(1, Math.abs(e[k])), k).toBeLessThan(1e-9);
  });
});
