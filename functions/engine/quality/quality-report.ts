/**
 * The `quality` object of `report.json` (INTERFACE.md): metrics of the joined records, their
 * constraint violations, the worst slices, and the estimate from scores alone.
 */

import type { ProblemType } from '../../contracts/problem-type.ts';
import {
  CONSTRAINTS_SECTION,
  metricNamesOf,
  type QualityMetricValues,
} from '../../contracts/quality-metric-names.ts';
import { binaryMetrics, DEFAULT_PROBABILITY_THRESHOLD } from './binary-metrics.ts';
import { type EstimatedQuality, estimateBinaryQuality } from './estimated-quality.ts';
import {
  type LabelledColumns,
  parseBinaryRecords,
  parseMulticlassRecords,
  parseRegressionRecords,
} from './labelled-records.ts';
import { multiclassMetrics } from './multiclass-metrics.ts';
import {
  constraintsProblemType,
  evaluateQualityConstraints,
  type ModelQualityConstraints,
  type QualityViolation,
} from './quality-constraints.ts';
import { regressionMetrics } from './regression-metrics.ts';
import { binaryStatisticValues, multiclassStatisticValues } from './sagemaker-quality-statistics.ts';
import { analyseSlices, type QualitySlice, type SliceBaseline, worstSlices } from './slices.ts';
import type { LabelledPrediction, QualityMetrics } from './types.ts';

/** What the join of labels to predictions found (the caller joins; see FORMATS.md). */
export interface JoinCounts {
  /** Predictions that found a label. */
  matched: number;
  /** Predictions in the look-back with no label (yet). */
  unmatchedPredictions: number;
  /** Labels whose prediction was not found. */
  unmatchedLabels: number;
  /** Labels that replaced an earlier label for the same id (the last one wins). */
  duplicateLabels: number;
}

/** Options of {@link computeQuality}. */
export interface QualityOptions {
  join: JoinCounts;
  /**
   * BinaryClassification: positive when score >= threshold.
   * @default 0.5
   */
  threshold?: number;
  /** The baseline's model-quality constraints; none evaluated when absent. */
  constraints?: ModelQualityConstraints | null;
  /** How to slice each input feature; no slices when absent. */
  sliceBaselines?: Readonly<Record<string, SliceBaseline>>;
  /**
   * Fewest records a listed slice has.
   * @default 30
   */
  minSliceSupport?: number;
  /**
   * Most slices listed.
   * @default 10
   */
  sliceLimit?: number;
  /**
   * BinaryClassification: the scores of every prediction of the window, labelled or not, for
   * `estimated` (a window whose labels have not arrived still gets an estimate).
   * @default the scores of `records`
   */
  windowScores?: readonly number[];
}

/** `report.json`'s `quality`. */
export interface QualityReport {
  problemType: ProblemType;
  /** BinaryClassification's probability threshold; `null` for the other problem types. */
  threshold: number | null;
  matched: number;
  unmatchedPredictions: number;
  unmatchedLabels: number;
  duplicateLabels: number;
  /** Matched records whose label does not parse for the problem type (left out, counted). */
  invalidLabels: number;
  /** Matched records with a good label whose prediction or score does not parse. */
  invalidPredictions: number;
  /** Records the metrics are computed on. */
  evaluated: number;
  /** METRICS.md's metrics; `null` when no record could be evaluated. */
  metrics: QualityMetrics | null;
  violations: QualityViolation[];
  /** The worst slices with enough support, worst first. */
  slices: QualitySlice[];
  /** BinaryClassification: the estimate from scores alone (calibration assumed); else `null`. */
  estimated: EstimatedQuality | null;
}

interface Evaluated {
  columns: LabelledColumns<unknown, unknown>;
  metrics: QualityMetrics | null;
  /** Values by canonical name, for the constraints; lazy, as only constraints need them. */
  values: () => QualityMetricValues;
}

function evaluate(
  problemType: ProblemType,
  records: readonly LabelledPrediction[],
  threshold: number,
): Evaluated {
  if (problemType === 'BinaryClassification') {
    const c = parseBinaryRecords(records);
    const metrics = c.labels.length === 0 ? null : binaryMetrics(c.labels, c.predictions, threshold);
    return { columns: c, metrics, values: () => binaryStatisticValues(c.labels, c.predictions, threshold) };
  }
  if (problemType === 'MulticlassClassification') {
    const c = parseMulticlassRecords(records);
    const metrics = c.labels.length === 0 ? null : multiclassMetrics(c.labels, c.predictions);
    return { columns: c, metrics, values: () => multiclassStatisticValues(c.labels, c.predictions) };
  }
  const c = parseRegressionRecords(records);
  const metrics = c.labels.length === 0 ? null : regressionMetrics(c.labels, c.predictions);
  return { columns: c, metrics, values: () => ({ ...metrics }) };
}

/**
 * Adds the metrics only `report.json` names (the macro averages) to SageMaker's, so a
 * constraint may name either.
 */
function withReportOnlyMetrics(
  problemType: ProblemType,
  values: QualityMetricValues,
  metrics: QualityMetrics,
): QualityMetricValues {
  const out: Record<string, number | null> = { ...values };
  for (const m of metricNamesOf(problemType)) {
    if (m.sagemaker !== null || m.report === null) continue;
    const value = (metrics as unknown as Record<string, unknown>)[m.report];
    if (typeof value === 'number') out[m.report] = value;
  }
  return out;
}

/**
 * The `quality` object of `report.json` for joined records. Labels or predictions that do not
 * parse are counted (`invalidLabels`, `invalidPredictions`) and left out, never thrown.
 * Throws when `constraints` are for another problem type: that is a configuration mistake.
 */
export function computeQuality(
  problemType: ProblemType,
  records: readonly LabelledPrediction[],
  options: QualityOptions,
): QualityReport {
  const threshold = options.threshold ?? DEFAULT_PROBABILITY_THRESHOLD;
  const constraints = options.constraints ?? null;
  if (constraints !== null && constraintsProblemType(constraints) !== problemType) {
    const found = constraintsProblemType(constraints);
    throw new Error(
      `model-quality constraints hold ${CONSTRAINTS_SECTION[found]} but the problem type is ${problemType}; pass --problem-type ${found} or the baseline built for ${problemType}`,
    );
  }

  const { columns, metrics, values } = evaluate(problemType, records, threshold);
  const violations =
    constraints === null || metrics === null
      ? []
      : evaluateQualityConstraints(constraints, withReportOnlyMetrics(problemType, values(), metrics));
  const slices =
    options.sliceBaselines === undefined || metrics === null
      ? []
      : worstSlices(analyseSlices(problemType, records, options.sliceBaselines, { threshold }).slices, {
          minSupport: options.minSliceSupport ?? 30,
          limit: options.sliceLimit ?? 10,
        });

  let estimated: EstimatedQuality | null = null;
  if (problemType === 'BinaryClassification') {
    // A 0/1 predicted label standing in for a missing score is no probability: leave it out.
    const scores =
      options.windowScores ??
      columns.kept.flatMap((i) => (records[i]!.score === undefined ? [] : [records[i]!.score]));
    estimated = estimateBinaryQuality(scores, threshold);
  }

  return {
    problemType,
    threshold: problemType === 'BinaryClassification' ? threshold : null,
    matched: options.join.matched,
    unmatchedPredictions: options.join.unmatchedPredictions,
    unmatchedLabels: options.join.unmatchedLabels,
    duplicateLabels: options.join.duplicateLabels,
    invalidLabels: columns.invalidLabels,
    invalidPredictions: columns.invalidPredictions,
    evaluated: columns.labels.length,
    metrics,
    violations,
    slices,
    estimated,
  };
}
