/**
 * A window's report as CloudWatch metrics (SageMaker Model Monitor's names, see metric-names.ts)
 * and their publication with PutMetricData, batched within the API's limits.
 */

import { type CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { EXPLAINABILITY_METRICS, METRIC_DIMENSIONS, METRIC_NAMES } from '../contracts/metric-names.ts';
import { canonicalMetricName, findMetricName } from '../contracts/quality-metric-names.ts';
import { type AnalysisJson, parseAnalysisJson } from '../engine/bias/analysis-json.ts';
import {
  BIAS_VIOLATIONS_METRIC,
  type BiasMetricContext,
  biasMetricData,
} from '../engine/bias/bias-metric-data.ts';
import { type FeatureDrift, isBaselineFeature } from '../engine/drift/compare.ts';
import type { NumericMetrics } from '../engine/drift/numeric-drift.ts';
import type { Report } from '../engine/report/report-model.ts';

/** What a report's metrics are about, besides the report. */
export interface MetricContext {
  endpoint: string;
  scheduleName: string;
  /** Every datum is timestamped at the window's start, as SageMaker's are. */
  windowStart: Date;
  /** Wall-clock seconds the window took. */
  runSeconds: number;
  /** Estimated cost of the window in USD. */
  costUsd: number;
}

/** A report's metrics, by namespace. */
export interface ReportMetrics {
  /** Data quality and the run: the data-metrics namespace. */
  data: MetricDatum[];
  /** Model quality: the model-metrics namespace; empty when the report has no quality. */
  model: MetricDatum[];
}

/**
 * The metrics of one window: per-feature metrics for the baseline's features only (the others
 * are counted in `unknown_features`), then the window's own. Values CloudWatch refuses (NaN, infinities, magnitudes past
 * 2^360) are left out rather than failing the whole request.
 */
export function metricsForReport(report: Report, ctx: MetricContext): ReportMetrics {
  const dimensions = [
    { Name: METRIC_DIMENSIONS.endpoint, Value: ctx.endpoint },
    { Name: METRIC_DIMENSIONS.monitoringSchedule, Value: ctx.scheduleName },
  ];
  const datum = (name: string, value: number, unit: 'None' | 'Count' | 'Seconds' = 'None'): MetricDatum[] => {
    const v = cloudWatchValue(value);
    return v === null
      ? []
      : [{ MetricName: name, Dimensions: dimensions, Timestamp: ctx.windowStart, Value: v, Unit: unit }];
  };

  const data: MetricDatum[] = [];
  let unknown = 0;
  for (const f of report.features) {
    // Only the baseline's features have metrics of their own: a key the baseline never saw
    // would be a new billed metric each window, and the endpoint's callers choose the keys.
    if (!isBaselineFeature(f)) {
      unknown++;
      continue;
    }
    if (f.monitored && f.distance !== null)
      data.push(...datum(METRIC_NAMES.featureBaselineDrift(f.name), f.distance));
    // Completeness as the completeness check counts it: a value of the wrong type is still there.
    const present = f.count + f.typeMismatch;
    if (present + f.missing > 0)
      data.push(...datum(METRIC_NAMES.featureNonNull(f.name), present / (present + f.missing)));
    const stats = numericStatistics(f);
    if (stats)
      data.push({
        MetricName: METRIC_NAMES.featureData(f.name),
        Dimensions: dimensions,
        Timestamp: ctx.windowStart,
        StatisticValues: stats,
        Unit: 'None',
      });
  }
  data.push(
    ...datum(METRIC_NAMES.unknownFeatures, unknown, 'Count'),
    ...datum(METRIC_NAMES.datasetDriftShare, report.datasetDrift.share),
    ...datum(METRIC_NAMES.violations, report.violations.length, 'Count'),
    ...multivariateData(report, datum),
    ...attributionData(report, datum),
    ...datum(METRIC_NAMES.recordsProfiled, report.records.profiled, 'Count'),
    ...datum(METRIC_NAMES.recordsRejected, report.records.rejected, 'Count'),
    ...datum(METRIC_NAMES.runDurationSeconds, ctx.runSeconds, 'Seconds'),
    ...datum(METRIC_NAMES.runCostUsd, ctx.costUsd),
  );
  // What served the window, when known: the dashboard marks deployments with these.
  if (report.model) {
    const versions = report.model.variants.flatMap((v) => v.modelPackageVersion ?? []);
    if (versions.length) data.push(...datum(METRIC_NAMES.modelVersion, Math.max(...versions)));
    if (report.modelChangedDuringWindow !== undefined)
      data.push(...datum(METRIC_NAMES.modelChanged, report.modelChangedDuringWindow ? 1 : 0, 'Count'));
  }

  const model: MetricDatum[] = [];
  const { quality } = report;
  if (quality?.metrics) {
    for (const [name, value] of Object.entries(quality.metrics)) {
      if (typeof value !== 'number') continue; // the confusion matrix; `null` AUC
      const known = findMetricName(quality.problemType, name);
      if (known) model.push(...datum(METRIC_NAMES.quality(canonicalMetricName(known)), value));
    }
    model.push(...datum(METRIC_NAMES.violations, quality.violations.length, 'Count'));
  }
  if (quality) model.push(...datum(METRIC_NAMES.labelsMatched, quality.matched, 'Count'));
  return { data, model };
}

/**
 * The window's multivariate drift: the reconstruction error (when the window had rows to score)
 * and the drift flag; nothing when the report has no multivariate result (no model in the
 * baseline, or a report from before the monitor existed).
 */
function multivariateData(
  report: Report,
  datum: (name: string, value: number, unit?: 'None' | 'Count') => MetricDatum[],
): MetricDatum[] {
  const m = report.multivariate;
  if (!m) return [];
  return [
    ...(m.value === null ? [] : datum(METRIC_NAMES.multivariateReconstructionError, m.value)),
    ...datum(METRIC_NAMES.multivariateDrift, m.drifted ? 1 : 0, 'Count'),
    ...datum(METRIC_NAMES.multivariateUpperThreshold, m.upperThreshold),
    ...datum(METRIC_NAMES.multivariateLowerThreshold, m.lowerThreshold),
  ];
}

/**
 * The window's feature attribution: the nDCG and the drift flag when it was measured, and the
 * model rows and the failure flag whenever the window was to be explained; nothing without an
 * attribution section (no attribution block, or no explainability files in the baseline).
 */
function attributionData(
  report: Report,
  datum: (name: string, value: number, unit?: 'None' | 'Count') => MetricDatum[],
): MetricDatum[] {
  const a = report.attribution;
  if (!a) return [];
  return [
    ...(a.ndcg === null
      ? []
      : [
          ...datum(METRIC_NAMES.attributionNdcg, a.ndcg),
          ...datum(METRIC_NAMES.attributionDrift, a.drifted ? 1 : 0, 'Count'),
        ]),
    ...datum(METRIC_NAMES.attributionModelRows, a.modelRows, 'Count'),
    ...datum(METRIC_NAMES.attributionFailures, a.error === null ? 0 : 1, 'Count'),
  ];
}

/**
 * Clarify's feature attribution metrics of the window, for its explainability namespace: each
 * feature's global SHAP value (`feature_NAME`, ValueType GlobalShapValues) and `ExpectedValue`,
 * with Clarify's dimensions. Only the features of the baseline's explainability analysis get a
 * metric (the report's `attribution.baseline`), never a name from captured data, each name once;
 * nothing when the window has no global attributions.
 */
export function explainabilityMetricsForReport(
  report: Report,
  ctx: Pick<MetricContext, 'endpoint' | 'scheduleName' | 'windowStart'>,
): MetricDatum[] {
  const a = report.attribution;
  if (!a || a.window === null) return [];
  const { dimensions: d, valueTypes } = EXPLAINABILITY_METRICS;
  const datum = (name: string, value: number, valueType: string): MetricDatum[] => {
    const v = cloudWatchValue(value);
    return v === null
      ? []
      : [
          {
            MetricName: name,
            Dimensions: [
              { Name: METRIC_DIMENSIONS.endpoint, Value: ctx.endpoint },
              { Name: METRIC_DIMENSIONS.monitoringSchedule, Value: ctx.scheduleName },
              { Name: d.explainabilityMethod, Value: EXPLAINABILITY_METRICS.method },
              { Name: d.label, Value: a.label },
              { Name: d.valueType, Value: valueType },
            ],
            Timestamp: ctx.windowStart,
            Value: v,
            Unit: 'None',
          },
        ];
  };
  const out: MetricDatum[] = [];
  const names = new Set<string>();
  for (const feature of Object.keys(a.baseline)) {
    if (!Object.hasOwn(a.window, feature)) continue;
    const name = EXPLAINABILITY_METRICS.feature(feature);
    if (names.has(name)) continue;
    names.add(name);
    out.push(...datum(name, a.window[feature]!, valueTypes.global));
  }
  if (a.expectedValue.window !== null)
    out.push(...datum(EXPLAINABILITY_METRICS.expectedValue, a.expectedValue.window, valueTypes.expected));
  return out;
}

/**
 * What is published when a run stops before its deadline with hours left: `windows_incomplete`
 * = 1, at `at` (the run's time, so an alarm sees it however old the window is). A window it
 * stopped inside publishes only this: its partial numbers would read as a real drop in traffic
 * or a real drift.
 */
export function incompleteWindowMetrics(
  ctx: Pick<MetricContext, 'endpoint' | 'scheduleName'>,
  at: Date,
): MetricDatum[] {
  return [
    {
      MetricName: METRIC_NAMES.windowsIncomplete,
      Dimensions: [
        { Name: METRIC_DIMENSIONS.endpoint, Value: ctx.endpoint },
        { Name: METRIC_DIMENSIONS.monitoringSchedule, Value: ctx.scheduleName },
      ],
      Timestamp: at,
      Value: 1,
      Unit: 'Count',
    },
  ];
}

/** A numeric feature's current values as a statistic set; null without values. */
function numericStatistics(f: FeatureDrift): MetricDatum['StatisticValues'] | null {
  if (f.type !== 'numeric' || f.metrics === null || !('sum' in f.metrics)) return null;
  const m: NumericMetrics = f.metrics;
  if (m.count.current <= 0) return null;
  const sum = cloudWatchValue(m.sum.current);
  const min = cloudWatchValue(m.min.current);
  const max = cloudWatchValue(m.max.current);
  if (sum === null || min === null || max === null) return null;
  return { SampleCount: m.count.current, Sum: sum, Minimum: min, Maximum: max };
}

const LARGEST = 2 ** 360;
const SMALLEST = 2 ** -360;

/** The value as CloudWatch takes it, or null when it refuses it; magnitudes below 2^-360 become 0. */
function cloudWatchValue(x: number): number | null {
  if (!Number.isFinite(x) || Math.abs(x) > LARGEST) return null;
  return Math.abs(x) < SMALLEST ? 0 : x;
}

/** PutMetricData takes at most this many metrics per request. */
export const MAX_METRICS_PER_REQUEST = 1000;
/** PutMetricData takes requests up to 1 MB; this leaves room for the request's own framing. */
export const MAX_REQUEST_BYTES = 1_000_000;
/** Room for the request's framing (action, version, namespace key), namespace excluded. */
const REQUEST_OVERHEAD_BYTES = 256;
/** Room for a field's name and separators: `MetricData.member.1000.Dimensions.member.30.Value=` and `&`. */
const FIELD_OVERHEAD_BYTES = 56;

/**
 * An upper bound of a datum's size in a request, in either protocol CloudWatch speaks (JSON, as
 * the current SDK sends, or the older form-encoded query): every field's name and separators,
 * and its value as if each character needed percent-encoding of its UTF-8 bytes.
 */
export function datumBytes(d: MetricDatum): number {
  let bytes = 0;
  const walk = (v: unknown): void => {
    if (v === undefined || v === null) return;
    if (typeof v === 'string') bytes += FIELD_OVERHEAD_BYTES + encodedBytes(v);
    else if (typeof v === 'number' || typeof v === 'boolean') bytes += FIELD_OVERHEAD_BYTES + 24;
    else if (v instanceof Date) bytes += FIELD_OVERHEAD_BYTES + 32;
    else if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object') Object.values(v).forEach(walk);
  };
  walk(d);
  return bytes;
}

/** Bytes of `s` percent-encoded (an upper bound of its JSON-escaped size too, but for control characters). */
function encodedBytes(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (/[A-Za-z0-9\-_.~]/.test(ch)) n += 1;
    else if (c < 32)
      n += 6; // JSON's \u00XX
    else if (c < 128) n += 3;
    else n += 3 * Buffer.byteLength(ch, 'utf8');
  }
  return n;
}

/**
 * Splits metrics into PutMetricData requests: at most 1,000 metrics and an estimated 1 MB each,
 * in order.
 */
export function batchMetrics(namespace: string, data: readonly MetricDatum[]): MetricDatum[][] {
  const budget = MAX_REQUEST_BYTES - REQUEST_OVERHEAD_BYTES - encodedBytes(namespace);
  const batches: MetricDatum[][] = [];
  let batch: MetricDatum[] = [];
  let bytes = 0;
  for (const d of data) {
    const size = datumBytes(d);
    if (batch.length > 0 && (batch.length === MAX_METRICS_PER_REQUEST || bytes + size > budget)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(d);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Publishes metrics to `namespace`, one request at a time. Throttling and server errors are
 * retried by the client (give it `maxAttempts`); an error that remains names the request that
 * failed. Returns the number of requests sent.
 */
export async function publishMetrics(
  client: CloudWatchClient,
  namespace: string,
  data: readonly MetricDatum[],
): Promise<number> {
  const batches = batchMetrics(namespace, data);
  for (const [i, batch] of batches.entries()) {
    try {
      await client.send(new PutMetricDataCommand({ Namespace: namespace, MetricData: batch }));
    } catch (e) {
      throw new Error(
        `PutMetricData to namespace ${namespace} failed on request ${i + 1} of ${batches.length} (${batch.length} metrics; ${i} requests before it were sent): ${(e as Error).message}`,
        { cause: e },
      );
    }
  }
  return batches.length;
}

/**
 * Clarify's bias metrics of the window (`bias_metric_NAME` per stage, facet value and metric,
 * with Clarify's dimensions) and `bias_violations`, its significant violations, in Clarify's
 * namespace.
 */
export function biasMetricsForReport(
  analysis: AnalysisJson,
  violations: number,
  ctx: BiasMetricContext,
): MetricDatum[] {
  const data: MetricDatum[] = biasMetricData(parseAnalysisJson(analysis), ctx);
  data.push({
    MetricName: BIAS_VIOLATIONS_METRIC,
    Value: violations,
    Unit: 'Count',
    Dimensions: [
      { Name: 'Endpoint', Value: ctx.endpoint },
      { Name: 'MonitoringSchedule', Value: ctx.schedule },
    ],
    ...(ctx.timestamp ? { Timestamp: ctx.timestamp } : {}),
  });
  return data;
}
