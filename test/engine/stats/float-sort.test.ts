/** sortFinite sorts like the native typed-array sort, on the shapes of data a window has. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFinite } from '../../../functions/engine/stats/float-sort.ts';
import { mulberry32 } from '../../../functions/engine/stats/seeded-random.ts';

function expectSortedLikeNative(values: ArrayLike<number>): void {
  const ours = Float64Array.from(values);
  const native = Float64Array.from(values).sort();
  sortFinite(ours);
  // === : the native sort puts -0 before 0, sortFinite keeps their order; both are sorted.
  for (let i = 0; i < native.length; i++) if (ours[i] !== native[i]) expect(ours[i]).toBe(native[i]);
  expect(ours.length).toBe(native.length);
}

describe('sortFinite', () => {
  it('sorts arbitrary finite values like the native sort', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true }), { maxLength: 300 }), (xs) =>
        expectSortedLikeNative(xs),
      ),
      { numRuns: 500 },
    );
  });

  it('sorts large windows of uniform, heavy-tailed, clustered and constant values', () => {
    const random = mulberry32(7);
    const n = 100_000;
    const shapes: Record<string, () => number> = {
      uniform: () => random() * 100 - 50,
      heavyTailed: () => 1 / (random() + 1e-9) ** 2,
      clustered: () => Math.floor(random() * 5) * 1e6 + random() * 1e-3,
      fewDistinct: () => Math.floor(random() * 3),
      constant: () => 42,
      hugeRange: () => (random() - 0.5) * 1e300,
    };
    for (const [name, next] of Object.entries(shapes)) {
      const xs = Array.from({ length: n }, next);
      expect(() => expectSortedLikeNative(xs), name).not.toThrow();
    }
  });
});
