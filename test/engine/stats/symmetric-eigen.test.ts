/**
 * The Jacobi eigen-solver: numpy's `eigh` on a fixed matrix (to 1e-12), the sign convention,
 * and the laws any symmetric matrix obeys (A v = lambda v, orthonormal vectors, A rebuilt from
 * its eigenpairs).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../../../functions/engine/stats/symmetric-eigen.ts';

/** `numpy.linalg.eigh` (numpy 2.4), sorted descending, each vector's largest entry made positive. */
const NUMPY_MATRIX = [
  [4, 1, -2, 2],
  [1, 2, 0, 1],
  [-2, 0, 3, -2],
  [2, 1, -2, -1],
];
const NUMPY_VALUES = [6.844621107234965, 2.2685314064312423, 1.0843644637732166, -2.1975169774394243];
const NUMPY_VECTORS = [
  [0.7180459594506796, 0.2211529881551807, -0.5573513771375096, 0.3533564748939929],
  [0.20171109662094233, 0.7894499124874399, 0.5796341693167878, 0.010280998686330589],
  [0.6422600067660328, -0.5441878481946866, 0.5202218509386148, -0.14398227457619123],
  [-0.17670517062447652, -0.17810046990630077, 0.28766803431970117, 0.9242849167461132],
];

/** The largest |A v - lambda v| entry over all eigenpairs, and the largest |V V^T - I| entry. */
function residuals(a: readonly number[][]): { eigen: number; orthogonality: number } {
  const { values, vectors } = symmetricEigen(a);
  const n = a.length;
  let eigen = 0;
  let orthogonality = 0;
  for (let i = 0; i < n; i++) {
    const v = vectors[i]!;
    for (let r = 0; r < n; r++) {
      let av = 0;
      for (let c = 0; c < n; c++) av += a[r]![c]! * v[c]!;
      eigen = Math.max(eigen, Math.abs(av - values[i]! * v[r]!));
    }
    for (let k = 0; k < n; k++) {
      let dot = 0;
      for (let c = 0; c < n; c++) dot += v[c]! * vectors[k]![c]!;
      orthogonality = Math.max(orthogonality, Math.abs(dot - (i === k ? 1 : 0)));
    }
  }
  return { eigen, orthogonality };
}

describe('symmetricEigen', () => {
  it("matches numpy's eigh, values descending and signs as svd_flip sets them, to 1e-12", () => {
    const { values, vectors } = symmetricEigen(NUMPY_MATRIX);
    NUMPY_VALUES.forEach((want, i) => {
      expect(Math.abs(values[i]! - want)).toBeLessThanOrEqual(1e-12);
    });
    NUMPY_VECTORS.forEach((want, i) => {
      want.forEach((x, j) => {
        expect(Math.abs(vectors[i]![j]! - x)).toBeLessThanOrEqual(1e-12);
      });
    });
  });

  it('returns a diagonal matrix as it is, sorted, with unit vectors', () => {
    const { values, vectors } = symmetricEigen([
      [1, 0, 0],
      [0, 3, 0],
      [0, 0, 2],
    ]);
    expect(Array.from(values)).toEqual([3, 2, 1]);
    expect(vectors.map((v) => Array.from(v))).toEqual([
      [0, 1, 0],
      [0, 0, 1],
      [1, 0, 0],
    ]);
  });

  it('solves a 2 x 2 matrix exactly: [[2, 1], [1, 2]] has 3 and 1', () => {
    const { values, vectors } = symmetricEigen([
      [2, 1],
      [1, 2],
    ]);
    expect(values[0]).toBeCloseTo(3, 14);
    expect(values[1]).toBeCloseTo(1, 14);
    // The first entry wins the tie of equal magnitudes and is made positive.
    expect(vectors[1]![0]).toBeCloseTo(Math.SQRT1_2, 14);
    expect(vectors[1]![1]).toBeCloseTo(-Math.SQRT1_2, 14);
  });

  it('makes the entry of largest magnitude of every vector positive', () => {
    const { vectors } = symmetricEigen([
      [1, -2],
      [-2, 1],
    ]);
    for (const v of vectors) {
      const top = v.reduce((best, x) => (Math.abs(x) > Math.abs(best) ? x : best), 0);
      expect(top).toBeGreaterThan(0);
    }
  });

  it('handles the empty and the 1 x 1 matrix', () => {
    expect(symmetricEigen([]).values.length).toBe(0);
    const one = symmetricEigen([[-5]]);
    expect(Array.from(one.values)).toEqual([-5]);
    expect(Array.from(one.vectors[0]!)).toEqual([1]);
  });

  it('refuses a matrix that is not square or not finite', () => {
    expect(() => symmetricEigen([[1, 2], [3]])).toThrow('matrix row 1 has 1 entries, not 2');
    expect(() =>
      symmetricEigen([
        [1, Number.NaN],
        [0, 1],
      ]),
    ).toThrow('matrix entry [0][1] is NaN, not a finite number');
  });

  it('satisfies A v = lambda v with orthonormal vectors for any symmetric matrix', () => {
    const matrix = fc.integer({ min: 1, max: 9 }).chain((n) =>
      fc
        .array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n * n, maxLength: n * n })
        .map((flat) => {
          const a = Array.from({ length: n }, () => new Array<number>(n).fill(0));
          for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i]![j] = a[j]![i] = flat[i * n + j]!;
          return a;
        }),
    );
    fc.assert(
      fc.property(matrix, (a) => {
        const scale = Math.max(1, ...a.flat().map(Math.abs));
        const { eigen, orthogonality } = residuals(a);
        expect(eigen).toBeLessThanOrEqual(1e-12 * scale * a.length);
        expect(orthogonality).toBeLessThanOrEqual(1e-13 * a.length);
      }),
    );
  });

  it('keeps eigenvalues in descending order and their sum equal to the trace', () => {
    const a = [
      [10, 9.999, 0.5],
      [9.999, 10, 0.5],
      [0.5, 0.5, 1e-8],
    ];
    const { values } = symmetricEigen(a);
    expect(values[0]!).toBeGreaterThanOrEqual(values[1]!);
    expect(values[1]!).toBeGreaterThanOrEqual(values[2]!);
    expect(Math.abs(values[0]! + values[1]! + values[2]! - (20 + 1e-8))).toBeLessThanOrEqual(1e-13);
  });
});
