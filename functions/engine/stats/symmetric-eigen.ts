/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method
 * (Rutishauser's variant, as in Numerical Recipes' `jacobi`). The multivariate monitor needs
 * the principal components of a covariance matrix of a few dozen columns: Jacobi is short,
 * needs no library, and computes small eigenvalues to high relative accuracy, which keeps the
 * kept-component subspace (and so the reconstruction errors) within 1e-9 of LAPACK's.
 */

/** The eigen-decomposition of a symmetric matrix A: A v_i = values[i] v_i. */
export interface SymmetricEigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /**
   * `vectors[i]` is the unit eigenvector of `values[i]`. Sign convention (scikit-learn's
   * `svd_flip` on the component rows, `u_based_decision=False`, as `PCA` uses since 1.5): the
   * entry of largest magnitude is positive (the first such entry on a tie).
   */
  vectors: Float64Array[];
}

/** Sweeps after which a matrix that has not converged is reported (real inputs take under 20). */
const MAX_SWEEPS = 100;

/**
 * Eigen-decomposition of the symmetric matrix `matrix` (rows; only the upper triangle and the
 * diagonal are read). Throws a RangeError for a matrix that is not square or holds a value that
 * is not finite.
 */
export function symmetricEigen(matrix: readonly ArrayLike<number>[]): SymmetricEigen {
  const n = matrix.length;
  const a = upperTriangle(matrix);
  const v = identity(n);
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = a[i * n + i]!;
  jacobiSweeps(a, v, d, n);
  return sortedAndSigned(d, v, n);
}

/** A dense row-major copy of `matrix`'s upper triangle (diagonal included), checked. */
function upperTriangle(matrix: readonly ArrayLike<number>[]): Float64Array {
  const n = matrix.length;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = matrix[i]!;
    if (row.length !== n) throw new RangeError(`matrix row ${i} has ${row.length} entries, not ${n}`);
    for (let j = i; j < n; j++) {
      const x = row[j]!;
      if (!Number.isFinite(x)) throw new RangeError(`matrix entry [${i}][${j}] is ${x}, not a finite number`);
      a[i * n + j] = x;
    }
  }
  return a;
}

function identity(n: number): Float64Array {
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  return v;
}

/**
 * Cyclic sweeps over the upper triangle of `a` until every off-diagonal entry is exactly 0:
 * `d` ends as the eigenvalues and the columns of `v` as the eigenvectors. Diagonal updates are
 * accumulated in `z` and folded in once per sweep (less rounding than updating `d` in place);
 * an entry too small to change either diagonal entry is set to 0 after the fourth sweep, which
 * is what makes the loop end.
 */
function jacobiSweeps(a: Float64Array, v: Float64Array, d: Float64Array, n: number): void {
  const b = Float64Array.from(d);
  const z = new Float64Array(n);
  for (let sweep = 1; sweep <= MAX_SWEEPS; sweep++) {
    const off = offDiagonalSum(a, n);
    if (off === 0) return;
    // Early sweeps rotate only the larger entries; later ones rotate all of them.
    const threshold = sweep < 4 ? (0.2 * off) / (n * n) : 0;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        const g = 100 * Math.abs(apq);
        if (sweep > 4 && Math.abs(d[p]!) + g === Math.abs(d[p]!) && Math.abs(d[q]!) + g === Math.abs(d[q]!)) {
          a[p * n + q] = 0;
        } else if (Math.abs(apq) > threshold) {
          const h = rotate(a, v, d, n, p, q);
          z[p]! -= h;
          z[q]! += h;
        }
      }
    }
    for (let i = 0; i < n; i++) {
      b[i]! += z[i]!;
      d[i] = b[i]!;
      z[i] = 0;
    }
  }
  throw new RangeError(`the Jacobi eigen-solver did not converge in ${MAX_SWEEPS} sweeps`);
}

function offDiagonalSum(a: Float64Array, n: number): number {
  let sum = 0;
  for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) sum += Math.abs(a[p * n + q]!);
  return sum;
}

/**
 * One Jacobi rotation zeroing a[p][q]: updates the diagonal `d`, the rest of the upper triangle
 * and the eigenvector columns of `v`. Returns t a[p][q], the amount moved from d[p] to d[q].
 */
function rotate(a: Float64Array, v: Float64Array, d: Float64Array, n: number, p: number, q: number): number {
  const apq = a[p * n + q]!;
  const g = 100 * Math.abs(apq);
  const diff = d[q]! - d[p]!;
  let t: number;
  if (Math.abs(diff) + g === Math.abs(diff)) {
    t = apq / diff;
  } else {
    const theta = (0.5 * diff) / apq;
    t = 1 / (Math.abs(theta) + Math.sqrt(1 + theta * theta));
    if (theta < 0) t = -t;
  }
  const c = 1 / Math.sqrt(1 + t * t);
  const s = t * c;
  const tau = s / (1 + c);
  const h = t * apq;
  d[p]! -= h;
  d[q]! += h;
  a[p * n + q] = 0;
  // The upper triangle holds a[i][j] for i < j: each entry of rows/columns p and q is read there.
  for (let j = 0; j < p; j++) turn(a, j * n + p, j * n + q, s, tau);
  for (let j = p + 1; j < q; j++) turn(a, p * n + j, j * n + q, s, tau);
  for (let j = q + 1; j < n; j++) turn(a, p * n + j, q * n + j, s, tau);
  for (let j = 0; j < n; j++) turn(v, j * n + p, j * n + q, s, tau);
  return h;
}

/** The plane rotation of the pair (m[i], m[k]) by the sine `s`, written with tau = s / (1 + c). */
function turn(m: Float64Array, i: number, k: number, s: number, tau: number): void {
  const g = m[i]!;
  const h = m[k]!;
  m[i] = g - s * (h + g * tau);
  m[k] = h + s * (g - h * tau);
}

/** Eigenpairs ordered by eigenvalue, largest first (stable), each vector signed as documented. */
function sortedAndSigned(d: Float64Array, v: Float64Array, n: number): SymmetricEigen {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, k) => d[k]! - d[i]!);
  const values = new Float64Array(n);
  const vectors: Float64Array[] = [];
  order.forEach((col, rank) => {
    values[rank] = d[col]!;
    const vector = new Float64Array(n);
    for (let j = 0; j < n; j++) vector[j] = v[j * n + col]!;
    vectors.push(signed(vector));
  });
  return { values, vectors };
}

/** `vector` flipped, when needed, so its entry of largest magnitude (the first on a tie) is positive. */
function signed(vector: Float64Array): Float64Array {
  let at = 0;
  for (let j = 1; j < vector.length; j++) if (Math.abs(vector[j]!) > Math.abs(vector[at]!)) at = j;
  if (vector[at]! < 0) for (let j = 0; j < vector.length; j++) vector[j] = -vector[j]!;
  return vector;
}
