/**
 * The CloudWatch metric names and dimensions the monitor Lambda publishes, in one place so the
 * alarms, the dashboard and the tests name them the same way. Per-feature and quality names follow
 * SageMaker Model Monitor's, so alarms written for Model Monitor keep working.
 */
export const DRIFTWATCH_METRICS = {
  /** Dimension names, on every custom metric. */
  dimensions: {
    endpoint: 'Endpoint',
    monitoringSchedule: 'MonitoringSchedule',
  },
  /** The feature's drift distance against the baseline (data-metrics namespace). */
  featureBaselineDrift: (feature: string): string => `feature_baseline_drift_${feature}`,
  /** The feature's completeness: share of non-missing values in the window, 0..1. */
  featureNonNull: (feature: string): string => `feature_non_null_${feature}`,
  /** The feature's numeric values as a statistic set (Min, Max, Sum, SampleCount). */
  featureData: (feature: string): string => `feature_data_${feature}`,
  /** Share of monitored features that drifted in the window, 0..1. */
  datasetDriftShare: 'dataset_drift_share',
  /** Constraint violations in the window: data quality in the data namespace, model quality in the model one. */
  violations: 'violations',
  /** Records profiled in the window (0 when the window had no capture). */
  recordsProfiled: 'records_profiled',
  /** Records rejected (malformed) in the window. */
  recordsRejected: 'records_rejected',
  /** Wall-clock seconds the run took. */
  runDurationSeconds: 'run_duration_seconds',
  /** Estimated cost of the run in USD (GB-seconds times the Lambda price). */
  runCostUsd: 'run_cost_usd',
} as const;

export type ProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';

/** Whether a larger value of a quality metric is better (alarm when below) or worse (alarm when above). */
export type QualityDirection = 'higherIsBetter' | 'lowerIsBetter';

/**
 * SageMaker's model-quality metric names per problem type (published in the model-metrics
 * namespace), with the direction that makes a value bad.
 */
export const QUALITY_METRICS: Readonly<Record<ProblemType, Readonly<Record<string, QualityDirection>>>> = {
  BinaryClassification: {
    accuracy: 'higherIsBetter',
    precision: 'higherIsBetter',
    recall: 'higherIsBetter',
    f0_5: 'higherIsBetter',
    f1: 'higherIsBetter',
    f2: 'higherIsBetter',
    auc: 'higherIsBetter',
    true_positive_rate: 'higherIsBetter',
    true_negative_rate: 'higherIsBetter',
    false_positive_rate: 'lowerIsBetter',
    false_negative_rate: 'lowerIsBetter',
  },
  MulticlassClassification: {
    accuracy: 'higherIsBetter',
    weighted_precision: 'higherIsBetter',
    weighted_recall: 'higherIsBetter',
    weighted_f0_5: 'higherIsBetter',
    weighted_f1: 'higherIsBetter',
    weighted_f2: 'higherIsBetter',
  },
  Regression: {
    mae: 'lowerIsBetter',
    mse: 'lowerIsBetter',
    rmse: 'lowerIsBetter',
    r2: 'higherIsBetter',
  },
};

/** The quality metrics drawn on the dashboard when no alarm names them. */
export const HEADLINE_QUALITY_METRICS: Readonly<Record<ProblemType, readonly string[]>> = {
  BinaryClassification: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
  MulticlassClassification: ['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f1'],
  Regression: ['mae', 'rmse', 'r2'],
};
