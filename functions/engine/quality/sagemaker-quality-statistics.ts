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
  rocCurve,
} from './binary-curves.ts';
import { DEFAULT_PROBABILITY_THRESHOLD } from './binary-metrics.ts';
import { bootstrapDeviations, type Deviation } from './bootstrap-deviation.ts';
import { describeJson, isJsonObject } from './json-checks.ts';
import { type PartialMetrics, partialMetrics } from './partial-metrics.ts';
import { partialFromRecords } from './records-partial.ts';
import type { LabelledPrediction } from './types.ts';

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
   * Records here have no join key: each gets `seed:index` as one, which chooses its bootstrap
   * samples; the same seed gives the same deviations.
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
  const threshold = options.threshold ?? DEFAULT_PROBABILITY_THRESHOLD;
  const partial = partialFromRecords(problemType, records, { threshold, seed: options.seed });
  const metrics = partialMetrics(partial);
  if (metrics.whole.count === 0) {
    throw new RangeError(
      `model-quality statistics: no record with a valid label and prediction among ${records.length}; check the label and prediction columns`,
    );
  }
  return statisticsOfMetrics(problemType, metrics, options);
}

/**
 * The model-quality `statistics.json` of a window's metrics (partial-metrics.ts), with each
 * metric's bootstrap deviation. The caller makes sure at least one record was evaluated.
 */
export function statisticsOfMetrics(
  problemType: ProblemType,
  pm: PartialMetrics,
  options: Pick<ModelQualityStatisticsOptions, 'maxCurvePoints' | 'window'> = {},
): ModelQualityStatistics {
  const head: StatisticsHeader = { version: 0.0, dataset: { item_count: pm.whole.count, ...options.window } };
  const draws = pm.samples.map((s) => s.values);

  if (problemType === 'BinaryClassification') {
    const names = sagemakerMetricNames('BinaryClassification');
    const deviations = bootstrapDeviations(pm.whole.count, names, draws);
    const m = pm.binaryConfusion!;
    const metrics = withDeviations(names, pm.whole.values as Values<'BinaryClassification'>, deviations);
    const counts = pm.counts!;
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
    const names = sagemakerMetricNames('MulticlassClassification');
    const deviations = bootstrapDeviations(pm.whole.count, names, draws);
    const c = pm.multiclassConfusion!;
    const section: MulticlassClassificationStatistics = {
      confusion_matrix: confusionJson(c.classes, c.counts),
      ...withDeviations(names, pm.whole.values as Values<'MulticlassClassification'>, deviations),
    };
    return { ...head, multiclass_classification_metrics: section };
  }

  const names = sagemakerMetricNames('Regression');
  const deviations = bootstrapDeviations(pm.whole.count, names, draws);
  return {
    ...head,
    regression_metrics: withDeviations(names, pm.whole.values as Values<'Regression'>, deviations),
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
