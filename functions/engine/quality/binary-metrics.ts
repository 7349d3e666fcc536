/**
 * BinaryClassification metrics (METRICS.md, "Model quality"), equal to scikit-learn 1.2's
 * `accuracy_score`, `precision_score`, `recall_score`, `f1_score` (all `zero_division=0`) and
 * `roc_auc_score`.
 */

import { rocAucFromCounts, thresholdCounts } from './binary-curves.ts';
import type { BinaryLabel } from './labelled-records.ts';
import { divideOrZero, fBeta } from './precision-recall.ts';
import type { BinaryConfusionMatrix, BinaryQualityMetrics } from './types.ts';

/** A record is predicted positive when its score is at or above this (METRICS.md). */
export const DEFAULT_PROBABILITY_THRESHOLD = 0.5;

function assertSameLength(what: string, labels: readonly unknown[], predictions: readonly unknown[]): void {
  if (labels.length !== predictions.length) {
    throw new RangeError(
      `${what}: ${labels.length} labels but ${predictions.length} predictions; pass one prediction per label`,
    );
  }
}

/** Counts of the four outcomes, a record being predicted positive when `score >= threshold`. */
export function binaryConfusionMatrix(
  labels: readonly BinaryLabel[],
  scores: readonly number[],
  threshold: number = DEFAULT_PROBABILITY_THRESHOLD,
): BinaryConfusionMatrix {
  assertSameLength('binaryConfusionMatrix', labels, scores);
  const m: BinaryConfusionMatrix = { tn: 0, fp: 0, fn: 0, tp: 0 };
  for (let i = 0; i < labels.length; i++) {
    const predictedPositive = scores[i]! >= threshold;
    if (labels[i] === 1) {
      if (predictedPositive) m.tp++;
      else m.fn++;
    } else if (predictedPositive) m.fp++;
    else m.tn++;
  }
  return m;
}

/** The ratios every binary metric is built from. */
export interface BinaryRates {
  accuracy: number;
  precision: number;
  recall: number;
}

/** Accuracy, precision and recall read off a confusion matrix (`zero_division=0`). */
export function confusionRates(m: BinaryConfusionMatrix): BinaryRates {
  return {
    accuracy: divideOrZero(m.tp + m.tn, m.tp + m.tn + m.fp + m.fn),
    precision: divideOrZero(m.tp, m.tp + m.fp),
    recall: divideOrZero(m.tp, m.tp + m.fn),
  };
}

/** ROC AUC of the scores with ties counted half; `null` when only one class is present. */
export function rocAuc(labels: readonly BinaryLabel[], scores: readonly number[]): number | null {
  assertSameLength('rocAuc', labels, scores);
  return rocAucFromCounts(thresholdCounts(labels, scores));
}

/**
 * All BinaryClassification metrics of `report.json`. Throws a RangeError on no records, where
 * accuracy has no meaning (the caller reports `metrics: null` instead).
 */
export function binaryMetrics(
  labels: readonly BinaryLabel[],
  scores: readonly number[],
  threshold: number = DEFAULT_PROBABILITY_THRESHOLD,
): BinaryQualityMetrics {
  if (labels.length === 0) throw new RangeError('binaryMetrics: no records; report metrics as null instead');
  return binaryMetricsOf(binaryConfusionMatrix(labels, scores, threshold), rocAuc(labels, scores));
}

/** The metrics of `report.json` from the confusion counts at the threshold and the ROC AUC. */
export function binaryMetricsOf(
  confusionMatrix: BinaryConfusionMatrix,
  auc: number | null,
): BinaryQualityMetrics {
  const rates = confusionRates(confusionMatrix);
  return {
    accuracy: rates.accuracy,
    precision: rates.precision,
    recall: rates.recall,
    f1: fBeta(rates.precision, rates.recall, 1),
    auc,
    confusionMatrix,
  };
}
