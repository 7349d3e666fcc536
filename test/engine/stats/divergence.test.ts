import { describe, expect, it } from 'vitest';
import { jensenShannonDistance, psi } from '../../../functions/engine/stats/divergence.ts';

describe('psi', () => {
  it('replaces zero proportions by 1e-4 without renormalising', () => {
    const b = [0.5, 0.5, 0];
    const c = [0.5, 0, 0.5];
    const expected = (1e-4 - 0.5) * Math.log(1e-4 / 0.5) + (0.5 - 1e-4) * Math.log(0.5 / 1e-4);
    expect(psi(b, c)).toBeCloseTo(expected, 14);
  });

  it('is 0 for identical inputs, including bins that are empty on both sides', () => {
    expect(psi([0.2, 0, 0.8], [0.2, 0, 0.8])).toBe(0);
  });

  it('rejects vectors of different lengths', () => {
    expect(() => psi([1], [0.5, 0.5])).toThrow(RangeError);
  });
});

describe('jensenShannonDistance', () => {
  it('is 1 for disjoint supports and 0 for identical ones (base 2)', () => {
    expect(jensenShannonDistance([1, 0], [0, 1])).toBeCloseTo(1, 15);
    expect(jensenShannonDistance([0.3, 0.7], [0.3, 0.7])).toBe(0);
  });

  it('normalises both vectors by their sums first, like scipy', () => {
    expect(jensenShannonDistance([2, 6], [1, 1])).toBeCloseTo(
      jensenShannonDistance([0.25, 0.75], [0.5, 0.5]),
      15,
    );
  });
});
