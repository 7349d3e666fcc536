/**
 * The one table of model-quality metric names: SageMaker's (model-quality `statistics.json`,
 * `constraints.json`, violations) next to `report.json`'s (METRICS.md), with which way is better.
 * Everything that maps, lists or suggests metric names reads it.
 */

import type { ProblemType } from './problem-type.ts';

/** One scalar metric. */
export interface QualityMetricName {
  problemType: ProblemType;
  /** SageMaker's name; `null` for a metric only `report.json` has. */
  sagemaker: string | null;
  /** `report.json`'s name (METRICS.md); `null` for a metric only SageMaker's statistics have. */
  report: string | null;
  /** Which way is better: decides the comparison operator of a suggested constraint. */
  better: 'higher' | 'lower';
  /** Whether a baseline suggests a constraint on it (as SageMaker's suggestion does). */
  suggested: boolean;
}

// `const` type parameters keep each row's names as literal types, so the types of the
// statistics sections below are derived from this table instead of repeating it.
function row<const P extends ProblemType, const S extends string | null, const N extends string | null>(
  problemType: P,
  sagemaker: S,
  report: N,
  better: 'higher' | 'lower',
  suggested: boolean,
): QualityMetricName & { problemType: P; sagemaker: S; report: N } {
  return { problemType, sagemaker, report, better, suggested };
}

const B = 'BinaryClassification';
const M = 'MulticlassClassification';
const R = 'Regression';

/**
 * Every scalar metric, SageMaker's first and in the order SageMaker writes them. Not here: the
 * confusion matrices and curves, which are not scalars and never constrained.
 */
export const QUALITY_METRIC_NAMES = [
  row(B, 'recall', 'recall', 'higher', true),
  row(B, 'precision', 'precision', 'higher', true),
  row(B, 'accuracy', 'accuracy', 'higher', true),
  row(B, 'recall_best_constant_classifier', null, 'higher', false),
  row(B, 'precision_best_constant_classifier', null, 'higher', false),
  row(B, 'accuracy_best_constant_classifier', null, 'higher', false),
  row(B, 'true_positive_rate', null, 'higher', true),
  row(B, 'true_negative_rate', null, 'higher', true),
  row(B, 'false_positive_rate', null, 'lower', true),
  row(B, 'false_negative_rate', null, 'lower', true),
  row(B, 'auc', 'auc', 'higher', true),
  row(B, 'f0_5', null, 'higher', true),
  row(B, 'f0_5_best_constant_classifier', null, 'higher', false),
  row(B, 'f1', 'f1', 'higher', true),
  row(B, 'f1_best_constant_classifier', null, 'higher', false),
  row(B, 'f2', null, 'higher', true),
  row(B, 'f2_best_constant_classifier', null, 'higher', false),

  row(M, 'accuracy', 'accuracy', 'higher', true),
  row(M, 'weighted_recall', 'recall_weighted', 'higher', true),
  row(M, 'weighted_precision', 'precision_weighted', 'higher', true),
  row(M, 'weighted_f0_5', null, 'higher', true),
  row(M, 'weighted_f1', 'f1_weighted', 'higher', true),
  row(M, 'weighted_f2', null, 'higher', true),
  row(M, 'accuracy_best_constant_classifier', null, 'higher', false),
  row(M, 'weighted_recall_best_constant_classifier', null, 'higher', false),
  row(M, 'weighted_precision_best_constant_classifier', null, 'higher', false),
  row(M, 'weighted_f0_5_best_constant_classifier', null, 'higher', false),
  row(M, 'weighted_f1_best_constant_classifier', null, 'higher', false),
  row(M, 'weighted_f2_best_constant_classifier', null, 'higher', false),
  row(M, null, 'precision_macro', 'higher', false),
  row(M, null, 'recall_macro', 'higher', false),
  row(M, null, 'f1_macro', 'higher', false),

  row(R, 'mae', 'mae', 'lower', true),
  row(R, 'mse', 'mse', 'lower', true),
  row(R, 'rmse', 'rmse', 'lower', true),
  row(R, 'r2', 'r2', 'higher', true),
] as const;

type MetricRow = (typeof QUALITY_METRIC_NAMES)[number];

/** SageMaker's scalar metric names of one problem type, as a type. */
export type SageMakerMetricName<P extends ProblemType> = Extract<
  MetricRow,
  { problemType: P; sagemaker: string }
>['sagemaker'];

/** The table's rows for one problem type, in order. */
export function metricNamesOf(problemType: ProblemType): QualityMetricName[] {
  return (QUALITY_METRIC_NAMES as readonly QualityMetricName[]).filter((m) => m.problemType === problemType);
}

/** SageMaker's scalar metric names of one problem type, in the order SageMaker writes them. */
export function sagemakerMetricNames<P extends ProblemType>(problemType: P): SageMakerMetricName<P>[] {
  return metricNamesOf(problemType).flatMap((m) =>
    m.sagemaker === null ? [] : [m.sagemaker as SageMakerMetricName<P>],
  );
}

/**
 * The row a metric name denotes, given in either vocabulary (`weighted_f1` or `f1_weighted`);
 * `undefined` for a name the problem type does not have.
 */
export function findMetricName(problemType: ProblemType, name: string): QualityMetricName | undefined {
  return metricNamesOf(problemType).find((m) => m.sagemaker === name || m.report === name);
}

/**
 * The key a metric's value goes under in a {@link QualityMetricValues} map: SageMaker's name,
 * or `report.json`'s for a metric SageMaker does not have.
 */
export function canonicalMetricName(m: QualityMetricName): string {
  return m.sagemaker ?? m.report!;
}

/**
 * Scalar metric values by canonical name ({@link canonicalMetricName}); `null` where a metric is
 * undefined for the data (AUC with one class).
 */
export type QualityMetricValues = Readonly<Record<string, number | null>>;

/** The `statistics.json` section holding each problem type's metrics. */
export const STATISTICS_SECTION = {
  BinaryClassification: 'binary_classification_metrics',
  MulticlassClassification: 'multiclass_classification_metrics',
  Regression: 'regression_metrics',
} as const satisfies Record<ProblemType, string>;

/** The `constraints.json` section holding each problem type's constraints. */
export const CONSTRAINTS_SECTION = {
  BinaryClassification: 'binary_classification_constraints',
  MulticlassClassification: 'multiclass_classification_constraints',
  Regression: 'regression_constraints',
} as const satisfies Record<ProblemType, string>;

/** report.json's scalar quality metrics per problem type, in reading order (METRICS.md's). */
export const REPORT_METRICS: Readonly<Record<ProblemType, readonly string[]>> = {
  BinaryClassification: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
  MulticlassClassification: [
    'accuracy',
    'precision_macro',
    'recall_macro',
    'f1_macro',
    'precision_weighted',
    'recall_weighted',
    'f1_weighted',
  ],
  Regression: ['mae', 'mse', 'rmse', 'r2'],
};
