/**
 * A bias report as CloudWatch metric data, the way Clarify's bias monitor publishes it (BIAS.md):
 * `bias_metric_NAME` in the namespace `aws/sagemaker/Endpoints/bias-metrics`, with the
 * dimensions Endpoint, MonitoringSchedule, BiasStage (`Pre-training` | `Post-Training`), Label,
 * LabelValue, Facet and FacetValue. Plain data, no SDK: the sink sends it.
 *
 * Only the configuration decides which metrics exist: one per configured facet value and
 * configured metric, whatever the report holds, so data can never create metrics (each is
 * billed). LabelValue and FacetValue are the configured values (`60`, not the interval `(60,
 * 89]`, whose maximum changes every window and would make a new metric each time).
 *
 * CloudWatch's limits (API reference, `Dimension` and `MetricDatum`): a dimension value is 1 to
 * 1024 characters of ASCII, without control characters, with at least one non-blank character;
 * a value must lie within -2^360 to 2^360, and NaN and the infinities are refused.
 */
import { METRIC_DIMENSIONS, metricNameHash } from '../../contracts/metric-names.ts';
import { type BiasConfig, ruleText } from './analysis-config.ts';
import { type BiasAnalysis, facetValueKey, stageResult } from './analysis-json.ts';
import type { BiasStage } from './bias-metrics.ts';

/** Clarify's namespace of the bias metrics. */
/** Clarify's namespace, from the contracts (infra grants PutMetricData on it). */
/** A window's significant bias violations (driftwatch's; dimensions Endpoint, MonitoringSchedule): the contracts' name, which the alarms use too. */
export { BIAS_METRICS_NAMESPACE, BIAS_VIOLATIONS_METRIC } from '../../contracts/metric-names.ts';

/**
 * What an infinite metric is published as: 2^360 (2.348543e108 to seven digits, BIAS.md's
 * figure), the largest magnitude CloudWatch takes.
 */
export const CLOUDWATCH_INFINITY = 2 ** 360;

/** CloudWatch's longest dimension value. */
export const MAX_DIMENSION_VALUE_LENGTH = 1024;

/** The BiasStage dimension's values, spelled as SageMaker's documentation spells them. */
export const BIAS_STAGE_DIMENSION: Readonly<Record<BiasStage, string>> = {
  pre_training: 'Pre-training',
  post_training: 'Post-Training',
};

/** The metric name of a bias metric. */
export function biasMetricName(metric: string): string {
  return `bias_metric_${metric}`;
}

/** One PutMetricData datum. */
export interface BiasMetricDatum {
  MetricName: string;
  Value: number;
  Dimensions: { Name: string; Value: string }[];
  Unit: 'None';
  Timestamp?: Date;
}

/** Where the report comes from. */
export interface BiasMetricContext {
  endpoint: string;
  /** The monitoring schedule's name. */
  schedule: string;
  /** The configuration: which facet values and metrics are published. */
  config: BiasConfig;
  /** The window's start, when the data should carry it. */
  timestamp?: Date;
}

/**
 * A dimension value CloudWatch takes. Printable ASCII within 1024 characters and not blank is
 * kept as given. Otherwise each character outside printable ASCII becomes `_`, the text is cut
 * to leave room, and `_` plus the stable hash of the whole original (contracts' metric-name
 * rule) is appended, so two values that differ only past the cut, or only in such characters,
 * stay two dimension values.
 */
export function dimensionValue(text: string): string {
  let out = '';
  let changed = false;
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    const printable = c >= 32 && c <= 126;
    out += printable ? ch : '_';
    changed ||= !printable;
  }
  if (!changed && out.length <= MAX_DIMENSION_VALUE_LENGTH && out.trim() !== '') return out;
  const suffix = `_${metricNameHash(text)}`;
  return `${out.slice(0, MAX_DIMENSION_VALUE_LENGTH - suffix.length)}${suffix}`;
}

/** A metric value as CloudWatch takes it: infinities as +/-2^360; `null` for none. */
export function cloudWatchBiasValue(value: number | null): number | null {
  if (value === null || Number.isNaN(value)) return null;
  if (value === Number.POSITIVE_INFINITY || value > CLOUDWATCH_INFINITY) return CLOUDWATCH_INFINITY;
  if (value === Number.NEGATIVE_INFINITY || value < -CLOUDWATCH_INFINITY) return -CLOUDWATCH_INFINITY;
  // CloudWatch refuses magnitudes below 2^-360; they are 0 for any bias metric.
  return Math.abs(value) < 2 ** -360 ? 0 : value;
}

/**
 * The metric data of a bias report: for each stage, configured facet value and configured
 * metric, the report's value (metrics without a value are left out).
 */
export function biasMetricData(analysis: BiasAnalysis, context: BiasMetricContext): BiasMetricDatum[] {
  const { config } = context;
  const labelValue = dimensionValue(ruleText(config.positive));
  const data: BiasMetricDatum[] = [];
  const stages = [
    ['pre_training', config.methods.preTraining],
    ['post_training', config.methods.postTraining],
  ] as const;
  for (const [stage, metrics] of stages) {
    const result = stageResult(analysis, stage);
    if (result === null) continue;
    for (const facet of config.facets) {
      const key = facetValueKey(facet.value);
      const entry = result.facets
        .find((f) => f.name === facet.name)
        ?.values.find((v) => facetValueKey(v.value) === key);
      if (entry === undefined) continue;
      const dimensions = [
        { Name: METRIC_DIMENSIONS.endpoint, Value: dimensionValue(context.endpoint) },
        { Name: METRIC_DIMENSIONS.monitoringSchedule, Value: dimensionValue(context.schedule) },
        { Name: 'BiasStage', Value: BIAS_STAGE_DIMENSION[stage] },
        { Name: 'Label', Value: dimensionValue(config.label) },
        { Name: 'LabelValue', Value: labelValue },
        { Name: 'Facet', Value: dimensionValue(facet.name) },
        { Name: 'FacetValue', Value: dimensionValue(facet.value) },
      ];
      for (const name of [...metrics].sort()) {
        const value = cloudWatchBiasValue(entry.metrics.find((m) => m.name === name)?.value ?? null);
        if (value === null) continue;
        const datum: BiasMetricDatum = {
          MetricName: biasMetricName(name),
          Value: value,
          Dimensions: dimensions,
          Unit: 'None',
        };
        if (context.timestamp !== undefined) datum.Timestamp = context.timestamp;
        data.push(datum);
      }
    }
  }
  return data;
}
