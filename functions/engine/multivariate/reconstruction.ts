/**
 * One row's reconstruction error (MULTIVARIATE.md, "Score, per window"): impute, encode and
 * standardise the row with the baseline's values, project it on the kept components and back,
 * and take the Euclidean norm of what the projection lost. The fit's second read (for the
 * thresholds) and the window score both call this, so they cannot compute it differently.
 */
import type { MultivariateFeature, MultivariateProjection } from './multivariate-model.ts';
import { categoryText, type FeatureRow, numericValue } from './row-values.ts';

/** A projection prepared for many rows: flat arrays, and scratch space reused row after row. */
export class Reconstruction {
  /** Features in the model's order. */
  readonly features: readonly MultivariateFeature[];
  private readonly d: number;
  private readonly k: number;
  private readonly mean: Float64Array;
  /** 1 / scale: a row multiplies where the standard scaler divides (within an ulp of it). */
  private readonly inverseScale: Float64Array;
  private readonly pcaMean: Float64Array;
  /** Row-major k x d. */
  private readonly components: Float64Array;
  /** The same, d x k: the rebuild reads it in order. */
  private readonly transposed: Float64Array;
  /**
   * The residual basis (the d - k eigenvectors not kept), row-major m x d, when the model has
   * it and it is smaller than the kept one: a row's residual is then W^T W c, its error |W c|.
   */
  private readonly residualBasis: Float64Array | null;
  private readonly m: number;
  private readonly columns: Int32Array;
  private readonly centred: Float64Array;
  private readonly encodedRow: Float64Array;
  private readonly scores: Float64Array;
  /** The last row's residual (rebuild mode) or its coordinates W c (residual-basis mode). */
  private readonly last: Float64Array;

  /**
   * @param columns where each feature's value sits in the rows this instance will read
   *   (`columns[j]` for feature j, -1 for a feature the rows lack, which then reads as missing);
   *   by default feature j is at index j (the model's order).
   */
  constructor(projection: MultivariateProjection, columns?: readonly number[]) {
    this.features = projection.features;
    const d = projection.features.length;
    const k = projection.pca.components.length;
    this.d = d;
    this.k = k;
    this.mean = Float64Array.from(projection.scaler.mean);
    this.inverseScale = Float64Array.from(projection.scaler.scale, (s) => 1 / s);
    this.pcaMean = Float64Array.from(projection.pca.mean);
    this.components = Float64Array.from(projection.pca.components.flat());
    this.transposed = new Float64Array(d * k);
    for (let c = 0; c < k; c++)
      for (let j = 0; j < d; j++) this.transposed[j * k + c] = this.components[c * d + j]!;
    const residual = projection.pca.residualComponents;
    this.residualBasis =
      residual !== undefined && residual.length < k ? Float64Array.from(residual.flat()) : null;
    this.m = this.residualBasis === null ? 0 : residual!.length;
    this.columns = Int32Array.from(columns ?? this.features.map((_, j) => j));
    this.centred = new Float64Array(d);
    this.encodedRow = new Float64Array(d);
    this.scores = new Float64Array(k);
    this.last = new Float64Array(this.residualBasis === null ? d : this.m);
  }

  /** Number of features a row supplies. */
  get dimension(): number {
    return this.d;
  }

  /**
   * ||z - z_hat|| for one row, z_hat = mean_pca + (z - mean_pca) V^T V. When `squaredResiduals`
   * is given, sets each feature's squared residual (z - z_hat)_j^2 in it: which features the
   * components fail to rebuild.
   */
  error(row: FeatureRow, squaredResiduals?: Float64Array): number {
    const e = this.measure(row);
    if (squaredResiduals !== undefined) {
      const residual = this.residualOfLast();
      for (let j = 0; j < this.d; j++) squaredResiduals[j] = residual[j]! * residual[j]!;
    }
    return e;
  }

  /**
   * The row's error; its residual stays with this instance until the next row, for
   * {@link addSquares}.
   */
  measure(row: FeatureRow): number {
    const encoded = this.encodedRow;
    for (let j = 0; j < this.d; j++) encoded[j] = this.encoded(j, row);
    return this.measureEncoded(encoded);
  }

  /**
   * {@link measure} of a row already imputed and encoded (numbers as they are, categories as
   * their frequencies), in the model's feature order.
   */
  measureEncoded(encoded: Float64Array): number {
    const { d, k, centred, mean, inverseScale, pcaMean, last } = this;
    for (let j = 0; j < d; j++) centred[j] = (encoded[j]! - mean[j]!) * inverseScale[j]! - pcaMean[j]!;
    const basis = this.residualBasis;
    let sum = 0;
    if (basis !== null) {
      for (let a = 0, at = 0; a < this.m; a++) {
        let t = 0;
        for (let j = 0; j < d; j++, at++) t += centred[j]! * basis[at]!;
        last[a] = t;
        sum += t * t;
      }
      return Math.sqrt(sum);
    }
    const { components, transposed, scores } = this;
    for (let c = 0, at = 0; c < k; c++) {
      let t = 0;
      for (let j = 0; j < d; j++, at++) t += centred[j]! * components[at]!;
      scores[c] = t;
    }
    for (let j = 0, at = 0; j < d; j++) {
      let rebuilt = 0;
      for (let c = 0; c < k; c++, at++) rebuilt += scores[c]! * transposed[at]!;
      const residual = centred[j]! - rebuilt;
      last[j] = residual;
      sum += residual * residual;
    }
    return Math.sqrt(sum);
  }

  /** Length of the accumulator {@link addSquares} fills. */
  get squaresSize(): number {
    return this.residualBasis === null ? this.d : (this.m * (this.m + 1)) / 2;
  }

  /**
   * Adds the last measured row's squared residuals to `block`: per feature, or (residual-basis
   * mode) the packed upper triangle of (W c)(W c)^T, m(m+1)/2 numbers instead of d x m a row.
   */
  addSquares(block: Float64Array): void {
    const last = this.last;
    if (this.residualBasis === null) {
      for (let j = 0; j < this.d; j++) block[j]! += last[j]! * last[j]!;
      return;
    }
    for (let a = 0, at = 0; a < this.m; a++) {
      const x = last[a]!;
      for (let b = a; b < this.m; b++, at++) block[at]! += x * last[b]!;
    }
  }

  /** Per feature, the squared residuals summed in `block` (see {@link addSquares}), into `out`. */
  featureSquares(block: Float64Array, out: Float64Array): void {
    const basis = this.residualBasis;
    if (basis === null) {
      out.set(block);
      return;
    }
    // diag(W^T S W): out_j = sum_a,b W_aj W_bj S_ab, S symmetric from its upper triangle.
    const { d, m } = this;
    for (let j = 0; j < d; j++) {
      let total = 0;
      for (let a = 0, at = 0; a < m; a++) {
        const wa = basis[a * d + j]!;
        total += wa * wa * block[at]!;
        at++;
        for (let b = a + 1; b < m; b++, at++) total += 2 * wa * basis[b * d + j]! * block[at]!;
      }
      out[j] = total;
    }
  }

  /** The last row's residual vector (computed from W c in residual-basis mode). */
  private residualOfLast(): Float64Array {
    const basis = this.residualBasis;
    if (basis === null) return this.last;
    const { d, m, last, centred } = this;
    // Reuses `centred` (no longer needed for this row) for r = W^T (W c).
    for (let j = 0; j < d; j++) {
      let r = 0;
      for (let a = 0; a < m; a++) r += basis[a * d + j]! * last[a]!;
      centred[j] = r;
    }
    return centred;
  }

  /** Feature j's imputed, encoded value in `row`. */
  private encoded(j: number, row: FeatureRow): number {
    const feature = this.features[j]!;
    const v = row[this.columns[j]!];
    if (feature.kind === 'numeric') {
      const x = numericValue(v);
      return Number.isNaN(x) ? feature.imputation : x;
    }
    const category = categoryText(v) ?? feature.imputation;
    return feature.frequencies.get(category) ?? 0;
  }
}
