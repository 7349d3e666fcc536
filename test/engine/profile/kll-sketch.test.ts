/**
 * The KLL quantile sketch: its weight is the number of values it stands for, its size stays
 * bounded, its ranks stay within 0.01, it merges, and it reads back SageMaker's level layout.
 */

import { describe, expect, it } from 'vitest';
import { KLL_DEFAULT_C, KLL_DEFAULT_K, KllSketch } from '../../../functions/engine/profile/kll-sketch.ts';
import { mulberry32 as rng } from '../../../functions/engine/stats/seeded-random.ts';

/** Share of the sketch's weight at or below x. */
function sketchRank(s: KllSketch, x: number): number {
  const { values, weights } = s.weightedItems();
  let below = 0;
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += weights[i]!;
    if (values[i]! <= x) below += weights[i]!;
  }
  return below / total;
}

/** Largest rank error over the deciles and tails of a sorted exact sample. */
function maxRankError(s: KllSketch, sorted: Float64Array): number {
  let worst = 0;
  for (const q of [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999]) {
    const i = Math.floor(q * (sorted.length - 1));
    const x = sorted[i]!;
    // True rank of x: share of values <= x (ties included).
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === x) j++;
    worst = Math.max(worst, Math.abs(sketchRank(s, x) - (j + 1) / sorted.length));
  }
  return worst;
}

function stream(count: number, seed: number): Float64Array {
  const next = rng(seed);
  const out = new Float64Array(count);
  // Heavy-tailed and rounded: ties and a long right tail.
  for (let i = 0; i < count; i++) out[i] = Math.round(Math.log(1 - next()) ** 2 * 1000) / 1000;
  return out;
}

describe('KllSketch', () => {
  it("defaults to SageMaker's parameters (k 2048, c 0.64)", () => {
    const s = new KllSketch();

    expect([s.k, s.c, KLL_DEFAULT_K, KLL_DEFAULT_C]).toEqual([2048, 0.64, 2048, 0.64]);
    expect(s.count).toBe(0);
    expect(s.levelItems()).toEqual([[]]);
  });

  it('keeps every value while fewer than k have been added', () => {
    const s = new KllSketch();
    const xs = [5, -1, 3.5, 3.5, 0, 1e300];

    for (const x of xs) s.update(x);

    expect(s.count).toBe(6);
    expect(s.retained).toBe(6);
    expect(Array.from(s.weightedItems().values)).toEqual([-1, 0, 3.5, 3.5, 5, 1e300]);
    expect(Array.from(s.weightedItems().weights)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  it('has a count equal to the number of updates, at every step', () => {
    const s = new KllSketch(64);
    const xs = stream(20_000, 1);

    for (let i = 0; i < xs.length; i++) {
      s.update(xs[i]!);
      if ((i + 1) % 997 === 0) expect(s.count).toBe(i + 1);
    }

    expect(s.count).toBe(20_000);
    const { weights } = s.weightedItems();
    expect(weights.reduce((t, w) => t + w, 0)).toBe(20_000);
  });

  it('updateMany counts the same as update one by one', () => {
    const xs = stream(30_000, 2);
    const one = new KllSketch(128);
    const many = new KllSketch(128);

    for (const x of xs) one.update(x);
    many.updateMany(xs, 0, 10_000);
    many.updateMany(xs, 10_000);

    expect(many.count).toBe(30_000);
    expect(many.levelItems()).toEqual(one.levelItems());
  });

  for (const k of [200, KLL_DEFAULT_K]) {
    // KLL's k / (1 - c) = 2.78k items, plus the k/4 that level 0 holds at least.
    it(`retains fewer than 3.2k items after 1,000,000 updates (k = ${k})`, () => {
      const s = new KllSketch(k);
      const next = rng(3);
      let peak = 0;

      for (let i = 0; i < 1_000_000; i++) {
        s.update(next());
        if (s.retained > peak) peak = s.retained;
      }

      expect(s.count).toBe(1_000_000);
      expect(peak).toBeLessThan(3.2 * k);
    });
  }

  it('answers ranks within 0.01 on 200,000 heavy-tailed values', () => {
    const xs = stream(200_000, 4);
    const s = new KllSketch();

    s.updateMany(xs);

    expect(maxRankError(s, xs.slice().sort())).toBeLessThanOrEqual(0.01);
  });

  it('answers ranks within 0.01 on sorted and reverse-sorted input (adversarial orders)', () => {
    const xs = stream(100_000, 5).sort();
    const up = new KllSketch();
    const down = new KllSketch();

    up.updateMany(xs);
    for (let i = xs.length - 1; i >= 0; i--) down.update(xs[i]!);

    expect(maxRankError(up, xs)).toBeLessThanOrEqual(0.01);
    expect(maxRankError(down, xs)).toBeLessThanOrEqual(0.01);
  });

  it('merges: count adds up, size stays bounded, ranks of the union within 0.01', () => {
    const a = stream(150_000, 6);
    const b = stream(60_000, 7).map((x) => x + 2);
    const sa = new KllSketch();
    const sb = new KllSketch(KLL_DEFAULT_K, KLL_DEFAULT_C, 12345);
    sa.updateMany(a);
    sb.updateMany(b);

    sa.merge(sb);

    expect(sa.count).toBe(210_000);
    expect(sb.count).toBe(60_000);
    expect(sa.retained).toBeLessThan(3 * KLL_DEFAULT_K);
    const union = new Float64Array(210_000);
    union.set(a);
    union.set(b, a.length);
    expect(maxRankError(sa, union.sort())).toBeLessThanOrEqual(0.01);
  });

  it('merges many small sketches (fan-out) into one within 0.01', () => {
    const xs = stream(100_000, 8);
    const total = new KllSketch();

    for (let part = 0; part < 50; part++) {
      const s = new KllSketch(KLL_DEFAULT_K, KLL_DEFAULT_C, part);
      s.updateMany(xs, part * 2000, (part + 1) * 2000);
      total.merge(s);
    }

    expect(total.count).toBe(100_000);
    expect(maxRankError(total, xs.slice().sort())).toBeLessThanOrEqual(0.01);
  });

  it('merging into an empty sketch and merging an empty sketch change nothing', () => {
    const s = new KllSketch(64);
    s.updateMany(stream(5000, 9));
    const before = s.levelItems();

    s.merge(new KllSketch(64));
    const copy = new KllSketch(64);
    copy.merge(s);

    expect(s.levelItems()).toEqual(before);
    expect(copy.count).toBe(5000);
    expect(copy.weightedItems()).toEqual(s.weightedItems());
  });

  it('round-trips through levelItems / fromLevels and toJSON / fromJSON', () => {
    const s = new KllSketch(100, 0.64, 42);
    s.updateMany(stream(10_000, 10));

    const fromLevels = KllSketch.fromLevels(s.levelItems(), 100, 0.64);
    const fromJson = KllSketch.fromJSON(JSON.parse(JSON.stringify(s.toJSON())));

    expect(fromLevels.levelItems()).toEqual(s.levelItems());
    expect(fromLevels.count).toBe(10_000);
    expect(fromJson.toJSON()).toEqual(s.toJSON());
    // The restored sketch goes on exactly as the original would (same coin flips).
    const more = stream(3000, 11);
    s.updateMany(more);
    fromJson.updateMany(more);
    expect(fromJson.levelItems()).toEqual(s.levelItems());
  });

  it("reads SageMaker's sketch.data layout: an item at level L weighs 2^L", () => {
    const s = KllSketch.fromLevels([[5, 1], [2], [], [7]]);

    expect(s.count).toBe(2 + 2 + 8);
    expect(s.weightedItems()).toEqual({
      values: Float64Array.from([1, 2, 5, 7]),
      weights: Float64Array.from([1, 2, 1, 8]),
    });
  });

  it('is deterministic: same seed and input give the same levels; another seed differs', () => {
    const xs = stream(50_000, 12);
    const run = (seed: number) => {
      const s = new KllSketch(KLL_DEFAULT_K, KLL_DEFAULT_C, seed);
      s.updateMany(xs);
      return s.levelItems();
    };

    expect(run(7)).toEqual(run(7));
    expect(run(8)).not.toEqual(run(7));
  });
});
