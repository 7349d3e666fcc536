/**
 * SageMaker's model-quality `statistics.json`: the full metric set under SageMaker's names, each
 * `{ "value", "standard_deviation" }`, with the confusion matrix and (binary) the ROC and
 * precision-recall curves. Written by a quality baseline, read back to suggest constraints; a
 * file from SageMaker's own model-quality baseline job reads the same way.
 */

import { PROBLEM_TYPES, type ProblemType } from '../../contracts/problem-type.ts';
import {
  type QualityMetricValues,
  type SageMakerMetricName,
  STATISTICS_SECTION,
  sagemakerMetricNames,
} from '../../contracts/quality-metric-names.ts';
import {
  DEFAULT_CURVE_POINTS,
  type PrecisionRecallCurve,
  precisionRecallCurve,
  type RocCurve,
  rocAucFromCounts,
  rocCurve,
  thresholdCounts,
} from './binary-curves.ts';
import {
  type BinaryRates,
  binaryConfusionMatrix,
  confusionRates,
  DEFAULT_PROBABILITY_THRESHOLD,
} from './binary-metrics.ts';
import { bootstrapDeviations, DEFAULT_BOOTSTRAP_SEED, type Deviation } from './bootstrap-deviation.ts';
import { describeJson, isJsonObject } from './json-checks.ts';
import {
  type BinaryLabel,
  parseBinaryRecords,
  parseMulticlassRecords,
  parseRegressionRecords,
} from './labelled-records.ts';
import {
  multiclassAccuracy,
  multiclassConfusion,
  perClassFBeta,
  perClassPrecision,
  perClassRecall,
  weightedAverage,
} from './multiclass-metrics.ts';
import { divideOrZero, fBeta } from './precision-recall.ts';
import { regressionMetrics } from './regression-metrics.ts';
import type { BinaryConfusionMatrix, LabelledPrediction } from './types.ts';

/** One metric: its value ("NaN" when undefined, e.g. AUC with one class) and bootstrap deviation. */
export interface MetricWithDeviation {
  value: number | 'NaN';
  standard_deviation: Deviation;
}

/** Confusion matrix as SageMaker writes it: `{ actual: { predicted: count } }`, classes as text. */
export type ConfusionMatrixJson = Record<string, Record<string, number>>;

/** `binary_classification_metrics`. */
export type BinaryClassificationStatistics = {
  confusion_matrix: ConfusionMatrixJson;
  /** Always written here; optional because other writers may leave it out. */
  receiver_operating_characteristic_curve?: RocCurve;
  /** Always written here; optional because other writers may leave it out. */
  precision_recall_curve?: PrecisionRecallCurve;
} & Record<SageMakerMetricName<'BinaryClassification'>, MetricWithDeviation>;

/** `multiclass_classification_metrics`. */
export type MulticlassClassificationStatistics = {
  confusion_matrix: ConfusionMatrixJson;
} & Record<SageMakerMetricName<'MulticlassClassification'>, MetricWithDeviation>;

/** `regression_metrics`. */
export type RegressionStatistics = Record<SageMakerMetricName<'Regression'>, MetricWithDeviation>;

/** `dataset`: the record count, and the window when there is one (SageMaker writes ISO times). */
export interface QualityDataset {
  item_count: number;
  start_time?: string;
  end_time?: string;
  evaluation_time?: string;
}

interface StatisticsHeader {
  version: number;
  dataset: QualityDataset;
}

/** A model-quality `statistics.json`: one section, named after the problem type. */
export type ModelQualityStatistics =
  | (StatisticsHeader & { binary_classification_metrics: BinaryClassificationStatistics })
  | (StatisticsHeader & { multiclass_classification_metrics: MulticlassClassificationStatistics })
  | (StatisticsHeader & { regression_metrics: RegressionStatistics });

/** Options of {@link computeModelQualityStatistics}. */
export interface ModelQualityStatisticsOptions {
  /**
   * BinaryClassification: positive when score >= threshold.
   * @default 0.5
   */
  threshold?: number;
  /**
   * Seed of the bootstrap samples; the same seed gives the same deviations.
   * @default DEFAULT_BOOTSTRAP_SEED
   */
  seed?: number;
  /**
   * Most threshold points per binary curve.
   * @default DEFAULT_CURVE_POINTS (100)
   */
  maxCurvePoints?: number;
  /** Window times to write into `dataset`. */
  window?: Omit<QualityDataset, 'item_count'>;
}

type Values<P extends ProblemType> = Record<SageMakerMetricName<P>, number | null>;

function pick<T>(values: readonly T[], positions: Uint32Array): T[] {
  return Array.from(positions, (i) => values[i]!);
}

/**
 * The scalar BinaryClassification metrics under SageMaker's names. The best constant classifier
 * of each metric is the better of "always positive" and "always negative" for that metric, so
 * recall's is 1, precision's the prevalence, and accuracy's the majority share.
 */
export function binaryStatisticValues(
  labels: readonly BinaryLabel[],
  scores: readonly number[],
  threshold: number = DEFAULT_PROBABILITY_THRESHOLD,
): Values<'BinaryClassification'> {
  const m = binaryConfusionMatrix(labels, scores, threshold);
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
    auc: rocAucFromCounts(thresholdCounts(labels, scores)),
    f0_5: fBeta(rates.precision, rates.recall, 0.5),
    f0_5_best_constant_classifier: bestF(0.5),
    f1: fBeta(rates.precision, rates.recall, 1),
    f1_best_constant_classifier: bestF(1),
    f2: fBeta(rates.precision, rates.recall, 2),
    f2_best_constant_classifier: bestF(2),
  };
}

function weightedMulticlass(labels: readonly string[], predictions: readonly string[]) {
  const c = multiclassConfusion(labels, predictions);
  const weighted = (values: number[]) => weightedAverage(values, c.support);
  return {
    accuracy: multiclassAccuracy(c),
    recall: weighted(perClassRecall(c)),
    precision: weighted(perClassPrecision(c)),
    f0_5: weighted(perClassFBeta(c, 0.5)),
    f1: weighted(perClassFBeta(c, 1)),
    f2: weighted(perClassFBeta(c, 2)),
  };
}

/**
 * The scalar MulticlassClassification metrics under SageMaker's names. The best constant
 * classifier predicts the most frequent label (the first in class order on a tie): that one
 * constant maximises every weighted metric at once.
 */
export function multiclassStatisticValues(
  labels: readonly string[],
  predictions: readonly string[],
): Values<'MulticlassClassification'> {
  const model = weightedMulticlass(labels, predictions);
  const c = multiclassConfusion(labels, labels);
  let majority = 0;
  c.support.forEach((s, i) => {
    if (s > c.support[majority]!) majority = i;
  });
  const constant = weightedMulticlass(
    labels,
    new Array<string>(labels.length).fill(c.classes[majority] ?? ''),
  );
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

/** `{ actual: { predicted: count } }` over every class, zeros included. */
function confusionJson(
  classes: readonly string[],
  counts: readonly (readonly number[])[],
): ConfusionMatrixJson {
  // Class names are data: no prototype, so a class named `__proto__` is a key like any other.
  const out: ConfusionMatrixJson = Object.create(null);
  classes.forEach((actual, a) => {
    const row: Record<string, number> = Object.create(null);
    classes.forEach((predicted, p) => {
      row[predicted] = counts[a]![p]!;
    });
    out[actual] = row;
  });
  return out;
}

function withDeviations<N extends string>(
  names: readonly N[],
  values: Record<N, number | null>,
  deviations: Record<string, Deviation>,
): Record<N, MetricWithDeviation> {
  const out = {} as Record<N, MetricWithDeviation>;
  for (const name of names) {
    const value = values[name];
    out[name] = { value: value === null ? 'NaN' : value, standard_deviation: deviations[name] ?? 'NaN' };
  }
  return out;
}

/**
 * The model-quality `statistics.json` of labelled records. Records whose label or prediction
 * does not parse are left out (`item_count` counts the rest; `labelled-records.ts` says how to
 * count them). Throws a RangeError when no record is left.
 */
export function computeModelQualityStatistics(
  problemType: ProblemType,
  records: readonly LabelledPrediction[],
  options: ModelQualityStatisticsOptions = {},
): ModelQualityStatistics {
  const seed = options.seed ?? DEFAULT_BOOTSTRAP_SEED;
  const header = (n: number): StatisticsHeader => {
    if (n === 0) {
      throw new RangeError(
        `model-quality statistics: no record with a valid label and prediction among ${records.length}; check the label and prediction columns`,
      );
    }
    return { version: 0.0, dataset: { item_count: n, ...options.window } };
  };

  if (problemType === 'BinaryClassification') {
    const threshold = options.threshold ?? DEFAULT_PROBABILITY_THRESHOLD;
    const { labels, predictions: scores } = parseBinaryRecords(records);
    const head = header(labels.length);
    const names = sagemakerMetricNames('BinaryClassification');
    const deviations = bootstrapDeviations(
      labels.length,
      names,
      (s) => binaryStatisticValues(pick(labels, s), pick(scores, s), threshold),
      seed,
    );
    const m = binaryConfusionMatrix(labels, scores, threshold);
    const metrics = withDeviations(names, binaryStatisticValues(labels, scores, threshold), deviations);
    const counts = thresholdCounts(labels, scores);
    const maxPoints = options.maxCurvePoints ?? DEFAULT_CURVE_POINTS;
    // Spelled out to keep SageMaker's key order: matrix, rates, curves, then AUC and F scores.
    const section: BinaryClassificationStatistics = {
      confusion_matrix: { '0': { '0': m.tn, '1': m.fp }, '1': { '0': m.fn, '1': m.tp } },
      recall: metrics.recall,
      precision: metrics.precision,
      accuracy: metrics.accuracy,
      recall_best_constant_classifier: metrics.recall_best_constant_classifier,
      precision_best_constant_classifier: metrics.precision_best_constant_classifier,
      accuracy_best_constant_classifier: metrics.accuracy_best_constant_classifier,
      true_positive_rate: metrics.true_positive_rate,
      true_negative_rate: metrics.true_negative_rate,
      false_positive_rate: metrics.false_positive_rate,
      false_negative_rate: metrics.false_negative_rate,
      receiver_operating_characteristic_curve: rocCurve(counts, maxPoints),
      precision_recall_curve: precisionRecallCurve(counts, maxPoints),
      auc: metrics.auc,
      f0_5: metrics.f0_5,
      f0_5_best_constant_classifier: metrics.f0_5_best_constant_classifier,
      f1: metrics.f1,
      f1_best_constant_classifier: metrics.f1_best_constant_classifier,
      f2: metrics.f2,
      f2_best_constant_classifier: metrics.f2_best_constant_classifier,
    };
    return { ...head, binary_classification_metrics: section };
  }

  if (problemType === 'MulticlassClassification') {
    const { labels, predictions } = parseMulticlassRecords(records);
    const head = header(labels.length);
    const names = sagemakerMetricNames('MulticlassClassification');
    const deviations = bootstrapDeviations(
      labels.length,
      names,
      (s) => multiclassStatisticValues(pick(labels, s), pick(predictions, s)),
      seed,
    );
    const c = multiclassConfusion(labels, predictions);
    const section: MulticlassClassificationStatistics = {
      confusion_matrix: confusionJson(c.classes, c.counts),
      ...withDeviations(names, multiclassStatisticValues(labels, predictions), deviations),
    };
    return { ...head, multiclass_classification_metrics: section };
  }

  const { labels, predictions } = parseRegressionRecords(records);
  const head = header(labels.length);
  const names = sagemakerMetricNames('Regression');
  const deviations = bootstrapDeviations(
    labels.length,
    names,
    (s) => ({ ...regressionMetrics(pick(labels, s), pick(predictions, s)) }),
    seed,
  );
  return {
    ...head,
    regression_metrics: withDeviations(names, regressionMetrics(labels, predictions), deviations),
  };
}

/** Which problem type a model-quality `statistics.json` is for. */
export function statisticsProblemType(statistics: ModelQualityStatistics): ProblemType {
  if ('binary_classification_metrics' in statistics) return 'BinaryClassification';
  if ('multiclass_classification_metrics' in statistics) return 'MulticlassClassification';
  return 'Regression';
}

/** The scalar values of a `statistics.json` by SageMaker name; "NaN" becomes `null`. */
export function statisticsValues(statistics: ModelQualityStatistics): QualityMetricValues {
  const problemType = statisticsProblemType(statistics);
  const section = (statistics as unknown as Record<string, Record<string, MetricWithDeviation>>)[
    STATISTICS_SECTION[problemType]
  ]!;
  const out: Record<string, number | null> = {};
  for (const name of sagemakerMetricNames(problemType)) {
    const v = section[name]?.value;
    out[name] = typeof v === 'number' ? v : null;
  }
  return out;
}

const REBUILD_HINT =
  'rebuild it with `driftwatch baseline --problem-type ...` or SageMaker’s model-quality baseline job';

/**
 * Reads a model-quality `statistics.json` (ours or SageMaker's) as parsed JSON, checking the
 * parts the monitor uses: `dataset.item_count`, exactly one metrics section, every scalar metric
 * of it as `{value, standard_deviation}` (numbers or "NaN"), the confusion matrix, and the
 * curves when present. Errors name the file, the field and the fix.
 *
 * @param source how to name the file in errors, e.g. its path.
 */
export function parseModelQualityStatistics(
  json: unknown,
  source = 'statistics.json',
): ModelQualityStatistics {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}; ${REBUILD_HINT}`);
  };
  if (!isJsonObject(json)) return fail(`expected a JSON object, found ${describeJson(json)}`);
  if (typeof json.version !== 'number')
    return fail(`"version" is ${describeJson(json.version)}, expected 0.0`);
  const dataset = json.dataset;
  if (!isJsonObject(dataset) || typeof dataset.item_count !== 'number') {
    return fail(
      `"dataset.item_count" is ${describeJson(isJsonObject(dataset) ? dataset.item_count : dataset)}`,
    );
  }
  const present = PROBLEM_TYPES.filter((p) => STATISTICS_SECTION[p] in json);
  if (present.length !== 1) {
    const names = Object.values(STATISTICS_SECTION).join(', ');
    return fail(
      present.length === 0
        ? `no model-quality metrics section (one of ${names}); is this a data-quality statistics.json?`
        : `${present.length} metrics sections (${present.map((p) => STATISTICS_SECTION[p]).join(', ')}); expected exactly one`,
    );
  }
  const problemType = present[0]!;
  const sectionName = STATISTICS_SECTION[problemType];
  const section = json[sectionName];
  if (!isJsonObject(section)) return fail(`"${sectionName}" is ${describeJson(section)}, expected an object`);

  const isNumberOrNaN = (v: unknown) => typeof v === 'number' || v === 'NaN';
  for (const name of sagemakerMetricNames(problemType)) {
    const metric = section[name];
    if (!isJsonObject(metric)) return fail(`"${sectionName}.${name}" is ${describeJson(metric)}`);
    if (!isNumberOrNaN(metric.value)) {
      return fail(
        `"${sectionName}.${name}.value" is ${describeJson(metric.value)}, expected a number or "NaN"`,
      );
    }
    if (!isNumberOrNaN(metric.standard_deviation)) {
      return fail(
        `"${sectionName}.${name}.standard_deviation" is ${describeJson(metric.standard_deviation)}, expected a number or "NaN"`,
      );
    }
  }
  if (problemType !== 'Regression') {
    const matrix = section.confusion_matrix;
    const rowsOk =
      isJsonObject(matrix) &&
      Object.values(matrix).every(
        (r) => isJsonObject(r) && Object.values(r).every((n) => typeof n === 'number'),
      );
    if (!rowsOk) {
      return fail(`"${sectionName}.confusion_matrix" is not { actual: { predicted: count } }`);
    }
  }
  if (problemType === 'BinaryClassification') {
    const curves: [string, string, string][] = [
      ['receiver_operating_characteristic_curve', 'false_positive_rates', 'true_positive_rates'],
      ['precision_recall_curve', 'precisions', 'recalls'],
    ];
    for (const [curveName, x, y] of curves) {
      const curve = section[curveName];
      if (curve === undefined) continue;
      const ok =
        isJsonObject(curve) &&
        [x, y].every(
          (k) => Array.isArray(curve[k]) && (curve[k] as unknown[]).every((v) => typeof v === 'number'),
        );
      if (!ok) return fail(`"${sectionName}.${curveName}" is not { ${x}: [numbers], ${y}: [numbers] }`);
    }
  }
  return json as unknown as ModelQualityStatistics;
}
