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
import { DEFAULT_PROBABILITY_THRESHOLD } from './binary-metrics.ts';
import { type EstimatedQuality, EstimateSums } from './estimated-quality.ts';
import { parseFiniteNumber } from './labelled-records.ts';
import { type PartialMetrics, partialMetrics, type ScoreApproximation } from './partial-metrics.ts';
import type { SliceSpec } from './prediction-part.ts';
import {
  constraintsProblemType,
  evaluateQualityConstraints,
  type ModelQualityConstraints,
  type QualityViolation,
} from './quality-constraints.ts';
import type { QualityPartial } from './quality-partial.ts';
import { partialFromRecords } from './records-partial.ts';
import { slicesOfPartial } from './slice-analysis.ts';
import { type QualitySlice, type SliceBaseline, worstSlices } from './slices.ts';
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
  /**
   * Present only past the exact limit (20M labelled predictions a window): the ROC AUC and curves
   * come from a score histogram, the AUC within `aucErrorBound` of the exact value.
   */
  approximation?: ScoreApproximation;
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

/** Throws when `constraints` are for another problem type: a configuration mistake. */
function checkConstraintsType(problemType: ProblemType, constraints: ModelQualityConstraints | null): void {
  if (constraints !== null && constraintsProblemType(constraints) !== problemType) {
    const found = constraintsProblemType(constraints);
    throw new Error(
      `model-quality constraints hold ${CONSTRAINTS_SECTION[found]} but the problem type is ${problemType}; pass --problem-type ${found} or the baseline built for ${problemType}`,
    );
  }
}

/** Options of {@link reportOfPartial}: {@link QualityOptions} without what the partial holds. */
export type PartialReportOptions = Pick<
  QualityOptions,
  'join' | 'constraints' | 'minSliceSupport' | 'sliceLimit'
> & {
  /** Whether to list slices (the partial's sliced features). */
  slices: boolean;
};

/**
 * The `quality` object of `report.json` from a window's partial and its metrics
 * (partial-metrics.ts). Throws when the constraints are for another problem type.
 */
export function reportOfPartial(
  p: QualityPartial,
  pm: PartialMetrics,
  options: PartialReportOptions,
): QualityReport {
  const problemType = p.problemType;
  const constraints = options.constraints ?? null;
  checkConstraintsType(problemType, constraints);
  const metrics = pm.metrics;
  const violations =
    constraints === null || metrics === null
      ? []
      : evaluateQualityConstraints(constraints, withReportOnlyMetrics(problemType, pm.whole.values, metrics));
  const slices =
    !options.slices || metrics === null
      ? []
      : worstSlices(slicesOfPartial(p).slices, {
          minSupport: options.minSliceSupport ?? 30,
          limit: options.sliceLimit ?? 10,
        });
  return {
    problemType,
    threshold: problemType === 'BinaryClassification' ? p.threshold : null,
    matched: options.join.matched,
    unmatchedPredictions: options.join.unmatchedPredictions,
    unmatchedLabels: options.join.unmatchedLabels,
    duplicateLabels: options.join.duplicateLabels,
    invalidLabels: p.counts.invalidLabels,
    invalidPredictions: p.counts.invalidPredictions,
    evaluated: pm.whole.count,
    metrics,
    violations,
    slices,
    estimated: p.estimate?.estimate() ?? null,
    ...(pm.approximation ? { approximation: pm.approximation } : {}),
  };
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
  checkConstraintsType(problemType, options.constraints ?? null);
  const slices: SliceSpec[] = Object.entries(options.sliceBaselines ?? {}).map(([name, baseline]) => ({
    name,
    baseline,
  }));
  const p = partialFromRecords(problemType, records, { threshold, slices });
  if (options.windowScores !== undefined && problemType === 'BinaryClassification') {
    const sums = new EstimateSums(threshold);
    for (const s of options.windowScores) sums.add(parseFiniteNumber(s));
    return {
      ...reportOfPartial(p, partialMetrics(p), { ...options, slices: options.sliceBaselines !== undefined }),
      estimated: sums.estimate(),
    };
  }
  return reportOfPartial(p, partialMetrics(p), { ...options, slices: options.sliceBaselines !== undefined });
}
