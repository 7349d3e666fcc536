/**
 * A window's multivariate drift score (MULTIVARIATE.md, "Score, per window"): the mean
 * reconstruction error of its rows against the baseline's model, its sampling error, and the
 * verdict against the baseline's thresholds. The state is a count, a mean and a sum of squared
 * deviations (Welford, merged with Chan et al.'s update) and per-feature sums of squared
 * residuals, so scores of parts (files, worker threads, fan-out workers) merge like profiles.
 */
import {
  at,
  fieldOf,
  JsonShapeError,
  readCount,
  readNumber,
  readObject,
} from '../../contracts/json-fields.ts';
import { MULTIVARIATE_METHOD, type MultivariateModel } from './multivariate-model.ts';
import { Reconstruction } from './reconstruction.ts';
import type { FeatureRow } from './row-values.ts';

/** How much one feature adds to the window's reconstruction error. */
export interface FeatureContribution {
  readonly feature: string;
  /** The feature's share of all squared residuals of the window (0 when there are none). */
  readonly share: number;
  /** Its squared residual (in standardised units) averaged over the window's rows. */
  readonly meanSquaredResidual: number;
}

/** A window's multivariate drift result, as the report shows it. */
export interface MultivariateResult {
  readonly method: typeof MULTIVARIATE_METHOD;
  /** Rows scored. */
  readonly rows: number;
  /** Principal components kept by the baseline model. */
  readonly components: number;
  /** Share of the baseline's standardised variance the kept components explain (their ratios summed). */
  readonly explainedVariance: number;
  /** Mean reconstruction error over the window's rows; `null` without rows. */
  readonly value: number | null;
  /** std(errors, ddof 1) / sqrt(n); `null` below two rows. */
  readonly samplingError: number | null;
  readonly lowerThreshold: number;
  readonly upperThreshold: number;
  /** The value is above the upper threshold or below the lower one. */
  readonly drifted: boolean;
  /** Every feature, largest share first (ties in model order). */
  readonly featureContributions: readonly FeatureContribution[];
}

/** A score as parts exchange it (see {@link MultivariateScore.toJSON}). */
export interface MultivariateScoreJson {
  rows: number;
  mean: number;
  m2: number;
  squaredResiduals: number[];
}

/** The running score of one window (or part of one) against one model. */
export class MultivariateScore {
  private count = 0;
  private mean = 0;
  /** Sum of squared deviations of the errors from their mean. */
  private m2 = 0;
  private readonly squaredResiduals: Float64Array;
  private readonly reconstruction: Reconstruction;

  /**
   * @param columns where each model feature sits in the rows given to {@link addRow}
   *   (`featureColumns` builds it from a header); by default rows are in the model's order.
   */
  constructor(
    readonly model: MultivariateModel,
    columns?: readonly number[],
  ) {
    this.reconstruction = new Reconstruction(model, columns);
    this.squaredResiduals = new Float64Array(model.features.length);
  }

  /** Rows scored so far. */
  get rows(): number {
    return this.count;
  }

  /** Scores one row: its values in the model's feature order, or as the constructor's `columns` say. */
  addRow(row: FeatureRow): void {
    const error = this.reconstruction.error(row, this.squaredResiduals);
    this.count++;
    const delta = error - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (error - this.mean);
  }

  /** Adds another part's rows (scored against the same model's features). */
  merge(other: MultivariateScore): void {
    checkSameFeatures(this.model, other.model);
    this.mergeMoments(other.count, other.mean, other.m2);
    for (let j = 0; j < this.squaredResiduals.length; j++)
      this.squaredResiduals[j]! += other.squaredResiduals[j]!;
  }

  private mergeMoments(count: number, mean: number, m2: number): void {
    if (count === 0) return;
    const total = this.count + count;
    const delta = mean - this.mean;
    this.m2 += m2 + (delta * delta * this.count * count) / total;
    this.mean = this.count === 0 ? mean : this.mean + (delta * count) / total;
    this.count = total;
  }

  /** The state as plain JSON, for a part crossing a thread or a worker boundary. */
  toJSON(): MultivariateScoreJson {
    return {
      rows: this.count,
      mean: this.mean,
      m2: this.m2,
      squaredResiduals: Array.from(this.squaredResiduals),
    };
  }

  /**
   * A score rebuilt from {@link toJSON}'s output against `model`; errors name the field
   * (`path` prefixes it).
   */
  static fromJSON(
    model: MultivariateModel,
    json: unknown,
    path = 'multivariateScore',
    columns?: readonly number[],
  ): MultivariateScore {
    const o = readObject(json, path);
    const score = new MultivariateScore(model, columns);
    const rows = readCount(fieldOf(o, 'rows'), at(path, 'rows'));
    const mean = readNumber(fieldOf(o, 'mean'), at(path, 'mean'), { min: 0 });
    const m2 = readNumber(fieldOf(o, 'm2'), at(path, 'm2'), { min: 0 });
    const residualsPath = at(path, 'squaredResiduals');
    const residuals = fieldOf(o, 'squaredResiduals');
    if (!Array.isArray(residuals) || residuals.length !== model.features.length)
      throw new JsonShapeError(
        residualsPath,
        `must list ${model.features.length} numbers, one per model feature; was the part scored against another model?`,
      );
    residuals.forEach((v, j) => {
      score.squaredResiduals[j] = readNumber(v, at(residualsPath, j), { min: 0 });
    });
    score.mergeMoments(rows, mean, m2);
    return score;
  }

  /** The window's result: value, sampling error, thresholds, verdict, contributions. */
  result(): MultivariateResult {
    const { model, count } = this;
    const value = count === 0 ? null : this.mean;
    const { lower, upper } = model.thresholds;
    return {
      method: MULTIVARIATE_METHOD,
      rows: count,
      components: model.pca.components.length,
      explainedVariance: model.pca.explainedVarianceRatio.reduce((s, r) => s + r, 0),
      value,
      samplingError: count < 2 ? null : Math.sqrt(this.m2 / (count - 1)) / Math.sqrt(count),
      lowerThreshold: lower,
      upperThreshold: upper,
      drifted: value !== null && (value > upper || value < lower),
      featureContributions: this.contributions(),
    };
  }

  private contributions(): FeatureContribution[] {
    const total = this.squaredResiduals.reduce((s, v) => s + v, 0);
    const list = this.model.features.map((f, j) => {
      const squares = this.squaredResiduals[j]!;
      return {
        feature: f.name,
        share: total > 0 ? squares / total : 0,
        meanSquaredResidual: this.count > 0 ? squares / this.count : 0,
      };
    });
    // Array.prototype.sort is stable: equal shares keep the model's order.
    return list.sort((a, b) => b.share - a.share);
  }
}

function checkSameFeatures(a: MultivariateModel, b: MultivariateModel): void {
  if (a === b) return;
  const same =
    a.features.length === b.features.length && a.features.every((f, j) => f.name === b.features[j]!.name);
  if (!same)
    throw new RangeError(
      'cannot merge multivariate scores of different models; score every part against the same multivariate.json',
    );
}
