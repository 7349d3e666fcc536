/**
 * Score-threshold sweeps of a binary classifier: the cumulative counts at every distinct score,
 * and the ROC and precision-recall curves SageMaker writes into model-quality `statistics.json`.
 */

import type { BinaryLabel } from './labelled-records.ts';
import { divideOrZero } from './precision-recall.ts';

/**
 * Cumulative counts over the distinct scores, highest first: at `thresholds[i]`, the records with
 * a score >= that threshold hold `truePositives[i]` positives and `falsePositives[i]` negatives.
 * The last entry therefore counts every record.
 */
export interface ThresholdCounts {
  thresholds: number[];
  truePositives: number[];
  falsePositives: number[];
  positives: number;
  negatives: number;
}

/** ROC curve points, SageMaker's field names. */
export interface RocCurve {
  false_positive_rates: number[];
  true_positive_rates: number[];
}

/** Precision-recall curve points, SageMaker's field names. */
export interface PrecisionRecallCurve {
  precisions: number[];
  recalls: number[];
}

/**
 * How many threshold points a curve keeps at most by default. Every distinct score would make
 * a window of 100,000 records write megabytes of curve; 100 points draw the same picture.
 */
export const DEFAULT_CURVE_POINTS = 100;

function sortedScores(labels: readonly BinaryLabel[], scores: readonly number[], label: BinaryLabel) {
  const out: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] === label) out.push(scores[i]!);
  // A typed array sorts numerically without a comparator, much faster than Array.sort.
  return Float64Array.from(out).sort();
}

/** Sweeps the distinct scores from the highest down, merging the two classes' sorted scores. */
export function thresholdCounts(labels: readonly BinaryLabel[], scores: readonly number[]): ThresholdCounts {
  return thresholdCountsOfSorted(sortedScores(labels, scores, 1), sortedScores(labels, scores, 0));
}

/** {@link thresholdCounts} of the positives' and the negatives' scores, each sorted ascending. */
function thresholdCountsOfSorted(pos: Float64Array, neg: Float64Array): ThresholdCounts {
  const out: ThresholdCounts = {
    thresholds: [],
    truePositives: [],
    falsePositives: [],
    positives: pos.length,
    negatives: neg.length,
  };
  let i = pos.length - 1;
  let j = neg.length - 1;
  while (i >= 0 || j >= 0) {
    const threshold = Math.max(i >= 0 ? pos[i]! : -Infinity, j >= 0 ? neg[j]! : -Infinity);
    while (i >= 0 && pos[i] === threshold) i--;
    while (j >= 0 && neg[j] === threshold) j--;
    out.thresholds.push(threshold);
    out.truePositives.push(pos.length - 1 - i);
    out.falsePositives.push(neg.length - 1 - j);
  }
  return out;
}

/**
 * ROC AUC with ties counted half (the Mann-Whitney statistic, scikit-learn's `roc_auc_score`),
 * `null` when only one class is present. The trapezoids are summed as integers
 * (Δfp · (tp_before + tp_after)) and divided once, so the result is exact up to one rounding.
 */
export function rocAucFromCounts(counts: ThresholdCounts): number | null {
  if (counts.positives === 0 || counts.negatives === 0) return null;
  let twiceArea = 0;
  let tpBefore = 0;
  let fpBefore = 0;
  for (let k = 0; k < counts.thresholds.length; k++) {
    const tp = counts.truePositives[k]!;
    const fp = counts.falsePositives[k]!;
    twiceArea += (fp - fpBefore) * (tp + tpBefore);
    tpBefore = tp;
    fpBefore = fp;
  }
  return twiceArea / (2 * counts.positives * counts.negatives);
}

/**
 * Indices of the thresholds a curve keeps: all of them up to `maxPoints`, else `maxPoints`
 * evenly spaced ones ending at the last (so the curve still reaches recall 1).
 */
function keptThresholds(length: number, maxPoints: number): number[] {
  const points = Math.max(1, Math.floor(maxPoints));
  if (length <= points) return Array.from({ length }, (_, k) => k);
  return Array.from({ length: points }, (_, k) => Math.ceil(((k + 1) * length) / points) - 1);
}

/**
 * The ROC curve from (0, 0) through each kept threshold, highest first; the last threshold is
 * (1, 1). A rate of a class with no records is 0 (the curve is degenerate then anyway).
 */
export function rocCurve(counts: ThresholdCounts, maxPoints = DEFAULT_CURVE_POINTS): RocCurve {
  const curve: RocCurve = { false_positive_rates: [0], true_positive_rates: [0] };
  for (const k of keptThresholds(counts.thresholds.length, maxPoints)) {
    curve.false_positive_rates.push(divideOrZero(counts.falsePositives[k]!, counts.negatives));
    curve.true_positive_rates.push(divideOrZero(counts.truePositives[k]!, counts.positives));
  }
  return curve;
}

/**
 * The precision-recall curve as Spark's `BinaryClassificationMetrics.pr()` draws it (SageMaker's
 * analyzer runs on Spark): a first point at recall 0 carrying the first threshold's precision,
 * then one point per kept threshold, recall ascending.
 */
export function precisionRecallCurve(
  counts: ThresholdCounts,
  maxPoints = DEFAULT_CURVE_POINTS,
): PrecisionRecallCurve {
  const curve: PrecisionRecallCurve = { precisions: [], recalls: [] };
  for (const k of keptThresholds(counts.thresholds.length, maxPoints)) {
    const tp = counts.truePositives[k]!;
    curve.precisions.push(divideOrZero(tp, tp + counts.falsePositives[k]!));
    curve.recalls.push(divideOrZero(tp, counts.positives));
  }
  curve.precisions.unshift(curve.precisions[0] ?? 1);
  curve.recalls.unshift(0);
  return curve;
}
