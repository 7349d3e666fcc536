/**
 * Shapes shared by the model-quality engine (METRICS.md, "Model quality"). Metric names are the
 * ones `report.json` publishes; SageMaker's own names live in `metric-names.ts`.
 */
import type { ProblemType } from '../../contracts/problem-type.ts';

/** One input feature's value on a record: missing values are `null` (or an absent key). */
export type FeatureValue = number | string | null;

/** A record's input features by name. */
export type FeatureValues = Readonly<Record<string, FeatureValue | undefined>>;

/**
 * A captured prediction joined to its ground-truth label. Which fields matter depends on the
 * problem type:
 *
 * - BinaryClassification: `label` 0/1 (also `"1"`, `"0"`, `"1.0"`, `true`/`false`) and `score`
 *   (positive when `score >= threshold`); without a score, a 0/1 `prediction` serves as one.
 * - MulticlassClassification: `label` and `prediction`, compared as class names.
 * - Regression: `label` and `prediction`, numbers (or numeric text).
 *
 * `features` (optional) feeds the error analysis by slice.
 */
export interface LabelledPrediction {
  label: string | number | boolean;
  score?: number;
  prediction?: string | number;
  features?: FeatureValues;
}

/** Binary confusion matrix; the positive class is 1. */
export interface BinaryConfusionMatrix {
  tn: number;
  fp: number;
  fn: number;
  tp: number;
}

/** BinaryClassification metrics (METRICS.md). Undefined ratios are 0 (`zero_division=0`). */
export interface BinaryQualityMetrics {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** ROC AUC of the scores, ties counted half; `null` when only one class is present. */
  auc: number | null;
  confusionMatrix: BinaryConfusionMatrix;
}

/**
 * MulticlassClassification metrics (METRICS.md). `_macro` is the unweighted mean over the classes
 * present in labels or predictions, `_weighted` weighs each class by its label support.
 */
export interface MulticlassQualityMetrics {
  accuracy: number;
  precision_macro: number;
  recall_macro: number;
  f1_macro: number;
  precision_weighted: number;
  recall_weighted: number;
  f1_weighted: number;
}

/** Regression metrics (METRICS.md); `r2` = 1 - SS_res / SS_tot. */
export interface RegressionQualityMetrics {
  mae: number;
  mse: number;
  rmse: number;
  r2: number;
}

/** The metrics of each problem type, for code generic over {@link ProblemType}. */
export interface QualityMetricsByProblemType {
  BinaryClassification: BinaryQualityMetrics;
  MulticlassClassification: MulticlassQualityMetrics;
  Regression: RegressionQualityMetrics;
}

/** The metrics of any problem type, as `report.json`'s `quality.metrics` holds them. */
export type QualityMetrics = QualityMetricsByProblemType[ProblemType];
