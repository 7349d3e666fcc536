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
  private readonly scale: Float64Array;
  private readonly pcaMean: Float64Array;
  /** Row-major k x d. */
  private readonly components: Float64Array;
  private readonly columns: Int32Array;
  private readonly centred: Float64Array;
  private readonly scores: Float64Array;

  /**
   * @param columns where each feature's value sits in the rows this instance will read
   *   (`columns[j]` for feature j, -1 for a feature the rows lack, which then reads as missing);
   *   by default feature j is at index j (the model's order).
   */
  constructor(projection: MultivariateProjection, columns?: readonly number[]) {
    this.features = projection.features;
    this.d = projection.features.length;
    this.k = projection.pca.components.length;
    this.mean = Float64Array.from(projection.scaler.mean);
    this.scale = Float64Array.from(projection.scaler.scale);
    this.pcaMean = Float64Array.from(projection.pca.mean);
    this.components = Float64Array.from(projection.pca.components.flat());
    this.columns = Int32Array.from(columns ?? this.features.map((_, j) => j));
    this.centred = new Float64Array(this.d);
    this.scores = new Float64Array(this.k);
  }

  /** Number of features a row supplies. */
  get dimension(): number {
    return this.d;
  }

  /**
   * ||z - z_hat|| for one row, z_hat = mean_pca + (z - mean_pca) V^T V. When `squaredResiduals`
   * is given, adds each feature's squared residual (z - z_hat)_j^2 to it: which features the
   * components fail to rebuild.
   */
  error(row: FeatureRow, squaredResiduals?: Float64Array): number {
    const { d, k, components, centred, scores } = this;
    for (let j = 0; j < d; j++) {
      const z = (this.encoded(j, row) - this.mean[j]!) / this.scale[j]!;
      centred[j] = z - this.pcaMean[j]!;
    }
    for (let c = 0; c < k; c++) {
      let t = 0;
      for (let j = 0; j < d; j++) t += centred[j]! * components[c * d + j]!;
      scores[c] = t;
    }
    let sum = 0;
    for (let j = 0; j < d; j++) {
      let rebuilt = 0;
      for (let c = 0; c < k; c++) rebuilt += scores[c]! * components[c * d + j]!;
      const residual = centred[j]! - rebuilt;
      const square = residual * residual;
      sum += square;
      if (squaredResiduals !== undefined) squaredResiduals[j]! += square;
    }
    return Math.sqrt(sum);
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
