/**
 * MulticlassClassification metrics (METRICS.md, "Model quality"), equal to scikit-learn 1.2's
 * `accuracy_score` and `precision_recall_fscore_support` with `average='macro'` / `'weighted'`,
 * `zero_division=0`, over the classes present in labels or predictions.
 */

import { NeumaierSum } from '../stats/summation.ts';
import { parseFiniteNumber } from './labelled-records.ts';
import { divideOrZero, fBeta } from './precision-recall.ts';
import type { MulticlassQualityMetrics } from './types.ts';

/** Counts per class pair and per class; classes sorted by {@link sortClasses}. */
export interface MulticlassConfusion {
  classes: string[];
  /** `counts[a][p]`: records of actual class `classes[a]` predicted as `classes[p]`. */
  counts: number[][];
  /** Records whose label is each class. */
  support: number[];
  /** Records predicted as each class. */
  predicted: number[];
  /** Records of each class predicted right. */
  correct: number[];
  total: number;
}

/**
 * Sorts class names numerically when they are all numbers (`"2"` before `"10"`), else by UTF-16
 * code units as numpy sorts strings. Only the order of reports depends on it, not the metrics.
 */
export function sortClasses(classes: Iterable<string>): string[] {
  const list = [...new Set(classes)];
  const numbers = list.map((c) => parseFiniteNumber(c));
  if (numbers.every((n) => n !== null)) {
    const byName = new Map(list.map((c, i) => [c, numbers[i]!]));
    return list.sort((a, b) => byName.get(a)! - byName.get(b)!);
  }
  return list.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The confusion counts over the union of the classes in `labels` and `predictions`. */
export function multiclassConfusion(
  labels: readonly string[],
  predictions: readonly string[],
): MulticlassConfusion {
  if (labels.length !== predictions.length) {
    throw new RangeError(
      `multiclassConfusion: ${labels.length} labels but ${predictions.length} predictions; pass one prediction per label`,
    );
  }
  const cells = new Map<string, number>();
  const pairs: [string, string, number][] = [];
  for (let i = 0; i < labels.length; i++) {
    // Class names are data: a Map, keyed by the pair with a separator no class key holds alone.
    const key = `${labels[i]!}\u0000${predictions[i]!}`;
    const at = cells.get(key);
    if (at === undefined) {
      cells.set(key, pairs.length);
      pairs.push([labels[i]!, predictions[i]!, 1]);
    } else pairs[at]![2]++;
  }
  return multiclassConfusionOf(pairs);
}

/**
 * The confusion of counted (label class, predicted class, records) triples, over the classes
 * present in either; pairs may repeat (their counts add up).
 */
export function multiclassConfusionOf(
  pairs: Iterable<readonly [string, string, number]>,
): MulticlassConfusion {
  const list = [...pairs];
  const names: string[] = [];
  for (const [label, prediction] of list) names.push(label, prediction);
  const classes = sortClasses(names);
  const index = new Map(classes.map((c, i) => [c, i]));
  const k = classes.length;
  const counts = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const support = new Array<number>(k).fill(0);
  const predicted = new Array<number>(k).fill(0);
  const correct = new Array<number>(k).fill(0);
  let total = 0;
  for (const [label, prediction, n] of list) {
    const a = index.get(label)!;
    const p = index.get(prediction)!;
    counts[a]![p]! += n;
    support[a]! += n;
    predicted[p]! += n;
    if (a === p) correct[a]! += n;
    total += n;
  }
  return { classes, counts, support, predicted, correct, total };
}

/** Per-class precision (right / predicted as the class), 0 for a class never predicted. */
export function perClassPrecision(c: MulticlassConfusion): number[] {
  return c.correct.map((right, i) => divideOrZero(right, c.predicted[i]!));
}

/** Per-class recall (right / labelled as the class), 0 for a class never labelled. */
export function perClassRecall(c: MulticlassConfusion): number[] {
  return c.correct.map((right, i) => divideOrZero(right, c.support[i]!));
}

/** Per-class F-beta from the per-class precision and recall. */
export function perClassFBeta(c: MulticlassConfusion, beta: number): number[] {
  const recall = perClassRecall(c);
  return perClassPrecision(c).map((p, i) => fBeta(p, recall[i]!, beta));
}

/** Unweighted mean over the classes (scikit-learn's `average='macro'`). */
export function macroAverage(values: readonly number[]): number {
  const sum = new NeumaierSum();
  for (const v of values) sum.add(v);
  return divideOrZero(sum.value(), values.length);
}

/** Mean weighted by label support (scikit-learn's `average='weighted'`); 0 with no support. */
export function weightedAverage(values: readonly number[], support: readonly number[]): number {
  const sum = new NeumaierSum();
  let weight = 0;
  values.forEach((v, i) => {
    sum.add(v * support[i]!);
    weight += support[i]!;
  });
  return divideOrZero(sum.value(), weight);
}

/** Share of records predicted right. */
export function multiclassAccuracy(c: MulticlassConfusion): number {
  return divideOrZero(
    c.correct.reduce((a, b) => a + b, 0),
    c.total,
  );
}

/**
 * All MulticlassClassification metrics of `report.json`. Throws a RangeError on no records,
 * where accuracy has no meaning (the caller reports `metrics: null` instead).
 */
export function multiclassMetrics(
  labels: readonly string[],
  predictions: readonly string[],
): MulticlassQualityMetrics {
  if (labels.length === 0) {
    throw new RangeError('multiclassMetrics: no records; report metrics as null instead');
  }
  return multiclassMetricsOf(multiclassConfusion(labels, predictions));
}

/** The metrics of `report.json` from a confusion. */
export function multiclassMetricsOf(c: MulticlassConfusion): MulticlassQualityMetrics {
  const precision = perClassPrecision(c);
  const recall = perClassRecall(c);
  const f1 = perClassFBeta(c, 1);
  return {
    accuracy: multiclassAccuracy(c),
    precision_macro: macroAverage(precision),
    recall_macro: macroAverage(recall),
    f1_macro: macroAverage(f1),
    precision_weighted: weightedAverage(precision, c.support),
    recall_weighted: weightedAverage(recall, c.support),
    f1_weighted: weightedAverage(f1, c.support),
  };
}
