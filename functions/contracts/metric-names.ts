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

/** Hex digits of the hash a changed name ends in (48 bits: names of a window never meet by chance). */
export const METRIC_NAME_HASH_DIGITS = 12;

/**
 * A name CloudWatch accepts, one per name. A name of printable ASCII (32 to 126) within 255
 * characters is kept as it is (SageMaker Model Monitor's names). Any other name is changed, and
 * a changed name says which name it was: each character outside printable ASCII becomes `_`, the
 * result is cut to leave room, and `_` plus {@link metricNameHash} of the whole original name is
 * appended. So `prix €` and `prix £`, or two 300-character names that share their first 255,
 * get metrics of their own instead of sharing one. The rule depends on the name alone, so the
 * stack's alarms (infra/) and the monitor name a feature's metric alike.
 */
export function metricName(name: string): string {
  let out = '';
  let changed = false;
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    const printable = c >= 32 && c <= 126;
    out += printable ? ch : '_';
    changed ||= !printable;
  }
  if (!changed && out.length <= MAX_METRIC_NAME_LENGTH) return out;
  const suffix = `_${metricNameHash(name)}`;
  return `${out.slice(0, MAX_METRIC_NAME_LENGTH - suffix.length)}${suffix}`;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/**
 * The stable hash {@link metricName} appends: FNV-1a (64 bits) of the name's UTF-8 bytes (a lone
 * surrogate encoded as its three bytes), its first {@link METRIC_NAME_HASH_DIGITS} hex digits.
 */
export function metricNameHash(name: string): string {
  let h = FNV_OFFSET;
  const byte = (b: number) => {
    h = ((h ^ BigInt(b)) * FNV_PRIME) & MASK_64;
  };
  for (const ch of name) {
    const c = ch.codePointAt(0)!;
    if (c < 0x80) byte(c);
    else if (c < 0x800) {
      byte(0xc0 | (c >> 6));
      byte(0x80 | (c & 0x3f));
    } else if (c < 0x10000) {
      byte(0xe0 | (c >> 12));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    } else {
      byte(0xf0 | (c >> 18));
      byte(0x80 | ((c >> 12) & 0x3f));
      byte(0x80 | ((c >> 6) & 0x3f));
      byte(0x80 | (c & 0x3f));
    }
  }
  return h.toString(16).padStart(16, '0').slice(0, METRIC_NAME_HASH_DIGITS);
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
  /**
   * Features of the window that the baseline does not have (capture keys or columns it never
   * saw). They get no metrics of their own: each would be a new billed metric, and anyone who
   * can call the endpoint can invent them. This counts them, once per window.
   */
  unknownFeatures: 'unknown_features',
  /** Share of monitored features that drifted, 0 to 1. */
  datasetDriftShare: 'dataset_drift_share',
  /** Constraint violations in the window. */
  violations: 'violations',
  /**
   * The window's multivariate drift score: the mean PCA reconstruction error of its rows against
   * the baseline's model (report.json `multivariate.value`); not published without a value.
   */
  multivariateReconstructionError: 'multivariate_reconstruction_error',
  /** 1 when the window's reconstruction error left the baseline's band (`multivariate.drifted`), else 0. */
  multivariateDrift: 'multivariate_drift',
  /**
   * The baseline's band the reconstruction error is compared with (`multivariate.upperThreshold`
   * and `lowerThreshold`), published with each value so a dashboard draws the band: it is the
   * baseline's, unknown when the stack is built, and changes when the baseline is remade.
   */
  multivariateUpperThreshold: 'multivariate_upper_threshold',
  multivariateLowerThreshold: 'multivariate_lower_threshold',
  /**
   * nDCG of the window's feature-attribution ranking against the baseline's (report.json
   * `attribution.ndcg`); published only when the window was explained.
   */
  attributionNdcg: 'attribution_ndcg',
  /** 1 when the ranking drifted (nDCG below 0.9, `attribution.drifted`), else 0; only with an nDCG. */
  attributionDrift: 'attribution_drift',
  /** Rows sent to the explaining endpoint for the window (`attribution.modelRows`). */
  attributionModelRows: 'attribution_model_rows',
  /** 1 when explaining the window failed (`attribution.error`: refused, throttled, timed out), else 0. */
  attributionFailures: 'attribution_failures',
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

/** Clarify's bias-metrics namespace (SageMaker's documentation), where `bias_metric_NAME` and `bias_violations` go. */
export const BIAS_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/bias-metrics';

/** A window's significant bias violations, in {@link BIAS_METRICS_NAMESPACE} (dimensions Endpoint, MonitoringSchedule). */
export const BIAS_VIOLATIONS_METRIC = 'bias_violations';

/** Clarify's explainability-metrics namespace for real-time endpoints (SageMaker's documentation). */
export const EXPLAINABILITY_METRICS_NAMESPACE = 'aws/sagemaker/Endpoints/explainability-metrics';

/**
 * Clarify's feature attribution metrics: `feature_NAME` (a feature's global SHAP value) and
 * `ExpectedValue`, with dimensions Endpoint, MonitoringSchedule, ExplainabilityMethod, Label and
 * ValueType (SageMaker's "CloudWatch Metrics for Feature Drift Analysis").
 */
export const EXPLAINABILITY_METRICS = {
  /** A feature's global SHAP value; the name is built as every per-feature name is ({@link metricName}). */
  feature: (feature: string): string => metricName(`feature_${feature}`),
  expectedValue: 'ExpectedValue',
  dimensions: {
    explainabilityMethod: 'ExplainabilityMethod',
    label: 'Label',
    valueType: 'ValueType',
  },
  /** The `ExplainabilityMethod` Clarify publishes (exact Shapley values are what Kernel SHAP estimates). */
  method: 'KernelShap',
  valueTypes: { global: 'GlobalShapValues', expected: 'ExpectedValue' },
} as const;
