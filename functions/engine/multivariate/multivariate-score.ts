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
import { ExactSum } from '../stats/exact-sum.ts';
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
  /**
   * Rows not scored because their reconstruction error overflows the double range (values near
   * 1e160 and beyond): an extreme input, reported apart rather than as an infinite mean.
   */
  readonly overflowRows: number;
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

/** A score as parts exchange it (see {@link MultivariateScore.toJSON}): exact sums' partials. */
export interface MultivariateScoreJson {
  rows: number;
  overflowRows: number;
  /** Partials of the sum of (error - center) over the rows, center the baseline's chunk mean. */
  deviations: number[];
  /** Partials of the sum of (error - center)^2. */
  squaredDeviations: number[];
  /** Per model feature, partials of the sum of its squared residuals. */
  squaredResiduals: number[][];
}

/**
 * The running score of one window (or part of one) against one model. Its sums are exact
 * (stats/exact-sum.ts), so any split of the window into parts, merged in any order, gives the
 * bits of the window scored in one piece. Errors are summed as deviations from the baseline's
 * chunk mean, which a window's mean is near, so the sampling error loses no digits to
 * cancellation.
 */
export class MultivariateScore {
  private count = 0;
  /** Rows whose error overflows the double range: not in the mean. */
  private overflow = 0;
  /** The current block's rows and plain sums (see {@link beginBlock}). */
  private blockRows = 0;
  private blockDeviation = 0;
  private blockSquared = 0;
  /** The block's squared residuals as the reconstruction accumulates them (Reconstruction.addSquares). */
  private readonly blockSquares: Float64Array;
  /** A block's per-feature squared residuals, when it ends. */
  private readonly blockResiduals: Float64Array;
  private readonly center: number;
  private readonly deviations = new ExactSum();
  private readonly squaredDeviations = new ExactSum();
  private readonly squaredResiduals: ExactSum[];
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
    this.center = model.thresholds.chunkMean;
    this.squaredResiduals = model.features.map(() => new ExactSum());
    this.blockSquares = new Float64Array(this.reconstruction.squaresSize);
    this.blockResiduals = new Float64Array(model.features.length);
  }

  /** Rows scored so far. */
  get rows(): number {
    return this.count;
  }

  /**
   * Starts a block of rows: the rows of one capture object, which every split of a window reads
   * whole and in order (threads and fan-out workers split windows by object). A block's sums
   * are plain, in its own row order, so the same block always sums to the same bits; blocks
   * then join the exact sums, where their order no longer matters. This keeps the exact
   * summation off the per-row path.
   */
  beginBlock(): void {
    if (this.blockRows > 0) {
      const residuals = this.blockResiduals;
      this.reconstruction.featureSquares(this.blockSquares, residuals);
      this.deviations.add(this.blockDeviation);
      this.squaredDeviations.add(this.blockSquared);
      for (let j = 0; j < residuals.length; j++) this.squaredResiduals[j]!.add(residuals[j]!);
    }
    this.blockRows = 0;
    this.blockDeviation = 0;
    this.blockSquared = 0;
    this.blockSquares.fill(0);
  }

  /** Scores one row: its values in the model's feature order, or as the constructor's `columns` say. */
  addRow(row: FeatureRow): void {
    this.add(this.reconstruction.measure(row));
  }

  /** Scores one row already imputed and encoded, in the model's feature order (see multivariate-rows.ts). */
  addEncoded(encoded: Float64Array): void {
    this.add(this.reconstruction.measureEncoded(encoded));
  }

  private add(error: number): void {
    const deviation = error - this.center;
    const square = deviation * deviation;
    // A value near the double range (1e160 and up) overflows its standardised square (every
    // residual square is at most the total): the row is counted apart, as no finite mean holds it.
    if (!Number.isFinite(square)) {
      this.overflow++;
      return;
    }
    this.count++;
    this.blockRows++;
    this.blockDeviation += deviation;
    this.blockSquared += square;
    this.reconstruction.addSquares(this.blockSquares);
  }

  /** Adds another part's rows (scored against the same model's features). */
  merge(other: MultivariateScore): void {
    checkSameFeatures(this.model, other.model);
    this.beginBlock();
    other.beginBlock();
    this.count += other.count;
    this.overflow += other.overflow;
    this.deviations.merge(other.deviations);
    this.squaredDeviations.merge(other.squaredDeviations);
    for (let j = 0; j < this.squaredResiduals.length; j++)
      this.squaredResiduals[j]!.merge(other.squaredResiduals[j]!);
  }

  /** The state as plain JSON, for a part crossing a thread or a worker boundary. */
  toJSON(): MultivariateScoreJson {
    this.beginBlock();
    return {
      rows: this.count,
      overflowRows: this.overflow,
      deviations: this.deviations.state(),
      squaredDeviations: this.squaredDeviations.state(),
      squaredResiduals: this.squaredResiduals.map((s) => s.state()),
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
    score.count = readCount(fieldOf(o, 'rows'), at(path, 'rows'));
    score.overflow = readCount(fieldOf(o, 'overflowRows'), at(path, 'overflowRows'));
    const sum = (v: unknown, p: string): ExactSum => {
      if (!Array.isArray(v))
        throw new JsonShapeError(p, "must be a list of numbers (an exact sum's partials)");
      return ExactSum.of(v.map((x, i) => readNumber(x, at(p, i))));
    };
    score.deviations.merge(sum(fieldOf(o, 'deviations'), at(path, 'deviations')));
    score.squaredDeviations.merge(sum(fieldOf(o, 'squaredDeviations'), at(path, 'squaredDeviations')));
    const residualsPath = at(path, 'squaredResiduals');
    const residuals = fieldOf(o, 'squaredResiduals');
    if (!Array.isArray(residuals) || residuals.length !== model.features.length)
      throw new JsonShapeError(
        residualsPath,
        `must list ${model.features.length} sums, one per model feature; was the part scored against another model?`,
      );
    residuals.forEach((v, j) => {
      score.squaredResiduals[j]!.merge(sum(v, at(residualsPath, j)));
    });
    return score;
  }

  /** The window's result: value, sampling error, thresholds, verdict, contributions. */
  result(): MultivariateResult {
    this.beginBlock();
    const { model, count } = this;
    const sum = this.deviations.value();
    const value = count === 0 ? null : this.center + sum / count;
    // Sum of squared deviations from the window's own mean: sum(d^2) - (sum d)^2 / n.
    const m2 = Math.max(0, this.squaredDeviations.value() - (sum * sum) / Math.max(count, 1));
    const { lower, upper } = model.thresholds;
    return {
      method: MULTIVARIATE_METHOD,
      rows: count,
      overflowRows: this.overflow,
      components: model.pca.components.length,
      explainedVariance: model.pca.explainedVarianceRatio.reduce((s, r) => s + r, 0),
      value,
      samplingError: count < 2 ? null : Math.sqrt(m2 / (count - 1)) / Math.sqrt(count),
      lowerThreshold: lower,
      upperThreshold: upper,
      drifted: value !== null && (value > upper || value < lower),
      featureContributions: this.contributions(),
    };
  }

  private contributions(): FeatureContribution[] {
    const sums = this.squaredResiduals.map((s) => s.value());
    const total = sums.reduce((s, v) => s + v, 0);
    const list = this.model.features.map((f, j) => {
      const squares = sums[j]!;
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
