/**
 * The scalar model-quality metrics under SageMaker's names, from confusion counts (and the ROC
 * AUC): what `statistics.json` holds for the window and for each bootstrap sample, and what
 * constraints are checked against.
 */
import type { SageMakerMetricName } from '../../contracts/quality-metric-names.ts';
import { type BinaryRates, confusionRates } from './binary-metrics.ts';
import {
  type MulticlassConfusion,
  multiclassAccuracy,
  multiclassConfusionOf,
  perClassFBeta,
  perClassPrecision,
  perClassRecall,
  weightedAverage,
} from './multiclass-metrics.ts';
import { divideOrZero, fBeta } from './precision-recall.ts';
import type { BinaryConfusionMatrix } from './types.ts';

/** Metric values by SageMaker name; `null` where undefined (AUC with one class). */
export type StatisticValues<P extends 'BinaryClassification' | 'MulticlassClassification'> = Record<
  SageMakerMetricName<P>,
  number | null
>;

/**
 * The scalar BinaryClassification metrics under SageMaker's names. The best constant classifier
 * of each metric is the better of "always positive" and "always negative" for that metric, so
 * recall's is 1, precision's the prevalence, and accuracy's the majority share.
 */
export function binaryValuesOf(
  m: BinaryConfusionMatrix,
  auc: number | null,
): StatisticValues<'BinaryClassification'> {
  const rates = confusionRates(m);
  const positives = m.tp + m.fn;
  const negatives = m.tn + m.fp;
  const alwaysPositive: BinaryConfusionMatrix = { tp: positives, fp: negatives, fn: 0, tn: 0 };
  const alwaysNegative: BinaryConfusionMatrix = { tp: 0, fp: 0, fn: positives, tn: negatives };
  const constants = [confusionRates(alwaysPositive), confusionRates(alwaysNegative)];
  const best = (metric: (r: BinaryRates) => number) => Math.max(...constants.map(metric));
  const bestF = (beta: number) => best((r) => fBeta(r.precision, r.recall, beta));
  return {
    recall: rates.recall,
    precision: rates.precision,
    accuracy: rates.accuracy,
    recall_best_constant_classifier: best((r) => r.recall),
    precision_best_constant_classifier: best((r) => r.precision),
    accuracy_best_constant_classifier: best((r) => r.accuracy),
    true_positive_rate: rates.recall,
    true_negative_rate: divideOrZero(m.tn, negatives),
    false_positive_rate: divideOrZero(m.fp, negatives),
    false_negative_rate: divideOrZero(m.fn, positives),
    auc,
    f0_5: fBeta(rates.precision, rates.recall, 0.5),
    f0_5_best_constant_classifier: bestF(0.5),
    f1: fBeta(rates.precision, rates.recall, 1),
    f1_best_constant_classifier: bestF(1),
    f2: fBeta(rates.precision, rates.recall, 2),
    f2_best_constant_classifier: bestF(2),
  };
}

function weighted(c: MulticlassConfusion) {
  const w = (values: number[]) => weightedAverage(values, c.support);
  return {
    accuracy: multiclassAccuracy(c),
    recall: w(perClassRecall(c)),
    precision: w(perClassPrecision(c)),
    f0_5: w(perClassFBeta(c, 0.5)),
    f1: w(perClassFBeta(c, 1)),
    f2: w(perClassFBeta(c, 2)),
  };
}

/**
 * The scalar MulticlassClassification metrics under SageMaker's names. The best constant
 * classifier predicts the most frequent label (the first in class order on a tie): that one
 * constant maximises every weighted metric at once.
 */
export function multiclassValuesOf(c: MulticlassConfusion): StatisticValues<'MulticlassClassification'> {
  const model = weighted(c);
  let majority = -1;
  c.support.forEach((s, i) => {
    if (s > 0 && (majority < 0 || s > c.support[majority]!)) majority = i;
  });
  const constantPairs: [string, string, number][] =
    majority < 0
      ? []
      : c.classes.flatMap((a, i) => (c.support[i]! > 0 ? [[a, c.classes[majority]!, c.support[i]!]] : []));
  const constant = weighted(multiclassConfusionOf(constantPairs as [string, string, number][]));
  return {
    accuracy: model.accuracy,
    weighted_recall: model.recall,
    weighted_precision: model.precision,
    weighted_f0_5: model.f0_5,
    weighted_f1: model.f1,
    weighted_f2: model.f2,
    accuracy_best_constant_classifier: constant.accuracy,
    weighted_recall_best_constant_classifier: constant.recall,
    weighted_precision_best_constant_classifier: constant.precision,
    weighted_f0_5_best_constant_classifier: constant.f0_5,
    weighted_f1_best_constant_classifier: constant.f1,
    weighted_f2_best_constant_classifier: constant.f2,
  };
}
