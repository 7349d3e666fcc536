/**
 * The one builder of the CloudWatch metric names and dimensions the monitor publishes.
 * Per-feature and quality names are SageMaker Model Monitor's, so alarms and dashboards written
 * for Model Monitor keep working.
 */

/** CloudWatch refuses metric names longer than this. */
export const MAX_METRIC_NAME_LENGTH = 255;

/** Dimension names, on every metric the monitor publishes. */
export const METRIC_DIMENSIONS = {
  endpoint: 'Endpoint',
  monitoringSchedule: 'MonitoringSchedule',
} as const;

/**
 * A name CloudWatch accepts: characters outside printable ASCII (32 to 126), which it refuses,
 * become `_`, one per code point; the result is cut to 255 characters. Feature names come from
 * the user's training data, so both cases happen.
 */
export function metricName(name: string): string {
  let out = '';
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    out += c >= 32 && c <= 126 ? ch : '_';
  }
  return out.slice(0, MAX_METRIC_NAME_LENGTH);
}

/** Every metric name the monitor publishes. */
export const METRIC_NAMES = {
  /** A feature's drift distance against the baseline (the one its drift decision uses). */
  featureBaselineDrift: (feature: string): string => metricName(`feature_baseline_drift_${feature}`),
  /** A feature's completeness in the window: share of non-missing values, 0 to 1. */
  featureNonNull: (feature: string): string => metricName(`feature_non_null_${feature}`),
  /** A numeric feature's values in the window as a statistic set (SampleCount, Sum, Minimum, Maximum). */
  featureData: (feature: string): string => metricName(`feature_data_${feature}`),
  /** A model-quality metric, under SageMaker's name (`accuracy`, `weighted_f1`, `rmse`, ...). */
  quality: (sagemakerName: string): string => metricName(sagemakerName),
  /** Share of monitored features that drifted, 0 to 1. */
  datasetDriftShare: 'dataset_drift_share',
  /** Constraint violations in the window. */
  violations: 'violations',
  /** Records profiled in the window. */
  recordsProfiled: 'records_profiled',
  /** Records rejected (malformed, unreadable) in the window. */
  recordsRejected: 'records_rejected',
  /** Wall-clock seconds the window took to process. */
  runDurationSeconds: 'run_duration_seconds',
  /** Estimated cost of processing the window in USD (Lambda GB-seconds times the price). */
  runCostUsd: 'run_cost_usd',
  /** The highest Model Registry package version serving the window, when the models have one. */
  modelVersion: 'model_version',
  /** 1 when the serving model changed inside the window (a deployment), else 0. */
  modelChanged: 'model_changed',
  /**
   * 1 when a run stopped before its deadline with hours left: a window it stopped inside
   * (report.json `complete: false`, for which nothing else is published), or hours it did not
   * start. Timestamped at the run, not the window, so the alarm fires for an old hour of a
   * backfill too.
   */
  windowsIncomplete: 'windows_incomplete',
  /**
   * Model namespace: predictions of the window joined to a label so far. Labels arrive late, so
   * an hourly run sees few; a backfill of the window later counts more.
   */
  labelsMatched: 'labels_matched',
} as const;
