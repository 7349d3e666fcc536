import { describe, expect, it } from 'vitest';
import { CategoricalProfile } from '../../../functions/engine/profile/categorical-profile.ts';

/** Naive counting with the same limit: the oracle for the profile's fast path. */
function naive(values: string[], max: number): { counts: Map<string, number>; overflow: number } {
  const counts = new Map<string, number>();
  let overflow = 0;
  for (const v of values) {
    const c = counts.get(v);
    if (c !== undefined) counts.set(v, c + 1);
    else if (counts.size < max) counts.set(v, 1);
    else overflow++;
  }
  return { counts, overflow };
}

describe('CategoricalProfile counting', () => {
  it('counts exactly with few and many distinct values, reads interleaved with adds', () => {
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const distinct of [1, 3, 8, 9, 20, 5000]) {
      for (const max of [2, 8, 10_000]) {
        const values = Array.from({ length: 6000 }, () => `v${Math.floor(rand() * distinct)}`);
        const p = new CategoricalProfile(max);
        values.forEach((v, i) => {
          p.add(v);
          if (i % 1777 === 0) expect(p.counts.size).toBeLessThanOrEqual(max);
        });
        const want = naive(values, max);
        expect(p.counts).toEqual(want.counts);
        expect(p.overflow).toBe(want.overflow);
        expect(p.count).toBe(values.length);
        const merged = new CategoricalProfile(max);
        merged.merge(p);
        expect(CategoricalProfile.fromJSON(p.toJSON()).counts).toEqual(want.counts);
        expect(merged.counts).toEqual(want.counts);
      }
    }
  });
});
