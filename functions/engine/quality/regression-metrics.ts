/**
 * Regression metrics (METRICS.md, "Model quality"), equal to scikit-learn 1.2's
 * `mean_absolute_error`, `mean_squared_error` and `r2_score`. Sums are compensated: the squared
 * errors of a large window span many magnitudes and the oracle is matched to 1e-9.
 */

import { NeumaierSum } from '../stats/summation.ts';
import type { RegressionQualityMetrics } from './types.ts';

/**
 * MAE, MSE, RMSE and R² = 1 - SS_res / SS_tot. When every label is the same (SS_tot = 0), R² is
 * 1 for a perfect prediction and 0 otherwise, as scikit-learn's `force_finite` default has it.
 * Throws a RangeError on no records (the caller reports `metrics: null` instead).
 */
export function regressionMetrics(
  labels: readonly number[],
  predictions: readonly number[],
): RegressionQualityMetrics {
  const n = labels.length;
  if (n !== predictions.length) {
    throw new RangeError(
      `regressionMetrics: ${n} labels but ${predictions.length} predictions; pass one prediction per label`,
    );
  }
  if (n === 0) throw new RangeError('regressionMetrics: no records; report metrics as null instead');
  const absolute = new NeumaierSum();
  const squared = new NeumaierSum();
  const labelSum = new NeumaierSum();
  for (let i = 0; i < n; i++) {
    const error = labels[i]! - predictions[i]!;
    absolute.add(Math.abs(error));
    squared.add(error * error);
    labelSum.add(labels[i]!);
  }
  const mean = labelSum.value() / n;
  const total = new NeumaierSum();
  for (const y of labels) total.add((y - mean) * (y - mean));
  const ssRes = squared.value();
  const ssTot = total.value();
  const mse = ssRes / n;
  return {
    mae: absolute.value() / n,
    mse,
    rmse: Math.sqrt(mse),
    r2: ssTot === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / ssTot,
  };
}

/** The sums {@link regressionMetricsOf} reads (quality-partial.ts keeps them per sample). */
export interface RegressionTotals {
  n: number;
  absolute: { value(): number };
  squared: { value(): number };
  /** Sum of the labels' squared deviations from their mean (SS_tot). */
  m2: number;
}

/** MAE, MSE, RMSE and R² from sums, with {@link regressionMetrics}'s rules; `n` must be positive. */
export function regressionMetricsOf(t: RegressionTotals): RegressionQualityMetrics {
  const ssRes = t.squared.value();
  const mse = ssRes / t.n;
  return {
    mae: t.absolute.value() / t.n,
    mse,
    rmse: Math.sqrt(mse),
    r2: t.m2 === 0 ? (ssRes === 0 ? 1 : 0) : 1 - ssRes / t.m2,
  };
}
