/**
 * A window's report as Prometheus metrics, in the text exposition format 0.0.4: what
 * node_exporter's textfile collector reads and the Pushgateway accepts. Samples carry no
 * timestamps (both refuse or ignore them); the window's start is a gauge of its own,
 * `driftwatch_window_start_seconds`, so a query can tell which hour a value describes.
 *
 * Metric names are constants of this file, never built from data: features, facets and
 * endpoints are label values, escaped as the format requires. Per-feature series exist for the
 * baseline's features only (as the CloudWatch metrics do): the endpoint's callers choose the
 * other keys, and each would be a new series.
 */

import { REPORT_METRICS } from '../../contracts/quality-metric-names.ts';
import { isBaselineFeature } from '../drift/compare.ts';
import { featurePValue, missingShare } from '../report/feature-values.ts';
import type { Report } from '../report/report-model.ts';

/** What the metrics are about, besides the report: the grouping labels of every series. */
export interface PrometheusContext {
  /** The SageMaker endpoint (label `endpoint`). */
  endpoint: string;
  /** The monitoring schedule's name (label `schedule`). */
  schedule: string;
}

/** The media type of the text format, for the Pushgateway's `Content-Type` and HTTP exposition. */
export const PROMETHEUS_TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** One metric family: its constant name, help and type, and its samples. */
interface Family {
  name: string;
  help: string;
  type: 'gauge';
  samples: Sample[];
}

interface Sample {
  /** Label names (constants) and values (data), in order. */
  labels: ReadonlyArray<readonly [string, string]>;
  value: number;
}

/**
 * Escapes a label value as the text format requires: backslash, double quote and line feed
 * become `\\`, `\"` and `\n`; everything else (any Unicode) stays. Lone surrogates, which UTF-8
 * cannot carry, become U+FFFD.
 */
export function escapeLabelValue(value: string): string {
  return value
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/[\\"\n]/g, (c) => (c === '\\' ? '\\\\' : c === '"' ? '\\"' : '\\n'));
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Escapes `# HELP` text: backslash and line feed (quotes stay as they are there). */
function escapeHelp(text: string): string {
  return text.replace(/[\\\n]/g, (c) => (c === '\\' ? '\\\\' : '\\n'));
}

/** A sample value as the format writes it: Go's float syntax, with `NaN`, `+Inf` and `-Inf`. */
export function formatSampleValue(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Number.POSITIVE_INFINITY) return '+Inf';
  if (x === Number.NEGATIVE_INFINITY) return '-Inf';
  return Object.is(x, -0) ? '0' : String(x);
}

/**
 * The report's metrics as exposition text (every family once, `# HELP` and `# TYPE` first, a
 * line feed at the end). A family without samples is left out (no quality without ground
 * truth, no multivariate score without a model).
 */
export function prometheusText(report: Report, ctx: PrometheusContext): string {
  const families = prometheusFamilies(report, ctx);
  const lines: string[] = [];
  for (const f of families) {
    if (f.samples.length === 0) continue;
    lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.type}`);
    const seen = new Set<string>();
    for (const s of f.samples) {
      const labels = s.labels.map(([k, v]) => `${k}="${escapeLabelValue(v)}"`).join(',');
      // Two names that differ only in lone surrogates render alike: one series, the first.
      if (seen.has(labels)) continue;
      seen.add(labels);
      lines.push(`${f.name}{${labels}} ${formatSampleValue(s.value)}`);
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

function prometheusFamilies(report: Report, ctx: PrometheusContext): Family[] {
  const base: Array<readonly [string, string]> = [
    ['endpoint', ctx.endpoint],
    ['schedule', ctx.schedule],
  ];
  const families: Family[] = [];
  const family = (name: string, help: string): Family => {
    const f: Family = { name, help, type: 'gauge', samples: [] };
    families.push(f);
    return f;
  };
  const add = (
    f: Family,
    value: number | null | undefined,
    labels: Array<readonly [string, string]> = [],
  ) => {
    if (value === null || value === undefined) return;
    f.samples.push({ labels: [...base, ...labels], value });
  };
  const flag = (b: boolean) => (b ? 1 : 0);

  const start = family(
    'driftwatch_window_start_seconds',
    'Start of the window the other values describe, in seconds since the epoch.',
  );
  const end = family(
    'driftwatch_window_end_seconds',
    'End of the window (exclusive), in seconds since the epoch.',
  );
  add(start, epochSeconds(report.window.start));
  add(end, epochSeconds(report.window.end));
  add(
    family(
      'driftwatch_window_complete',
      '1 when the whole window was read, 0 when the run stopped part way.',
    ),
    flag(report.complete !== false),
  );

  const records = family(
    'driftwatch_window_records',
    'Capture records of the window by outcome: profiled, rejected (malformed), outside_window.',
  );
  add(records, report.records.profiled, [['outcome', 'profiled']]);
  add(records, report.records.rejected, [['outcome', 'rejected']]);
  add(records, report.records.outsideWindow, [['outcome', 'outside_window']]);

  const known = report.features.filter(isBaselineFeature);
  add(
    family(
      'driftwatch_unknown_features',
      'Features of the window the baseline does not have (no series of their own).',
    ),
    report.features.length - known.length,
  );
  const distance = family(
    'driftwatch_feature_drift_distance',
    "A feature's drift distance against the baseline (the one its drift decision uses).",
  );
  const threshold = family(
    'driftwatch_feature_drift_threshold',
    "The distance at and above which the feature counts as drifted (the feature's threshold).",
  );
  const drifted = family('driftwatch_feature_drifted', '1 when the feature drifted in the window, else 0.');
  const pValue = family(
    'driftwatch_feature_drift_p_value',
    "p-value of the feature's two-sample test (KS for numeric, chi-squared for categorical).",
  );
  const missing = family(
    'driftwatch_feature_missing_ratio',
    "Share of the feature's values missing in the window, 0 to 1.",
  );
  for (const f of known) {
    const labels: Array<readonly [string, string]> = [
      ['feature', f.name],
      ['role', f.role],
    ];
    if (f.monitored) {
      add(distance, f.distance, labels);
      add(threshold, f.threshold, labels);
      add(drifted, flag(f.drifted), labels);
    }
    add(pValue, featurePValue(f), labels);
    add(missing, missingShare(f), labels);
  }

  const dd = report.datasetDrift;
  add(
    family('driftwatch_dataset_drift_share', 'Share of monitored features that drifted, 0 to 1.'),
    dd.share,
  );
  add(
    family(
      'driftwatch_dataset_drift_threshold',
      'Share of drifted features at and above which the dataset counts as drifted.',
    ),
    dd.threshold,
  );
  add(
    family('driftwatch_dataset_drift_detected', '1 when dataset drift was detected, else 0.'),
    flag(dd.detected),
  );
  add(family('driftwatch_monitored_features', 'Features compared with the baseline.'), dd.monitoredFeatures);
  add(family('driftwatch_drifted_features', 'Monitored features that drifted.'), dd.driftedFeatures);
  add(
    family(
      'driftwatch_violations',
      'Constraint violations of the window (data quality, drift, multivariate, attribution).',
    ),
    report.violations.length,
  );

  const q = report.quality;
  const quality = family(
    'driftwatch_model_quality',
    "Model-quality metrics of the window's predictions joined to ground truth, by metric.",
  );
  if (q?.metrics) {
    // The names come from the fixed table of report.json's metrics, never from the object's keys.
    const values = q.metrics as unknown as Readonly<Record<string, unknown>>;
    for (const name of REPORT_METRICS[q.problemType]) {
      const v = Object.hasOwn(values, name) ? values[name] : undefined;
      if (typeof v === 'number') add(quality, v, [['metric', name]]);
    }
  }
  add(
    family('driftwatch_quality_violations', 'Model-quality constraint violations of the window.'),
    q?.violations.length,
  );
  add(
    family('driftwatch_quality_labels_matched', 'Predictions of the window joined to a label so far.'),
    q?.matched,
  );

  const m = report.multivariate;
  add(
    family(
      'driftwatch_multivariate_reconstruction_error',
      "Mean PCA reconstruction error of the window's rows against the baseline's model.",
    ),
    m?.value,
  );
  add(
    family(
      'driftwatch_multivariate_lower_threshold',
      'Lower edge of the baseline band of the reconstruction error.',
    ),
    m?.lowerThreshold,
  );
  add(
    family(
      'driftwatch_multivariate_upper_threshold',
      'Upper edge of the baseline band of the reconstruction error.',
    ),
    m?.upperThreshold,
  );
  add(
    family(
      'driftwatch_multivariate_drifted',
      '1 when the reconstruction error left the baseline band, else 0.',
    ),
    m ? flag(m.drifted) : null,
  );

  const b = report.bias;
  add(family('driftwatch_bias_violations', 'Significant bias violations of the window.'), b?.violations);
  const biasMetric = family(
    'driftwatch_bias_metric',
    'A Clarify bias metric of the window, by facet, facet value, stage and metric.',
  );
  for (const e of b?.facets ?? [])
    add(biasMetric, e.window, [
      ['facet', e.facet],
      ['facet_value', e.value],
      ['stage', e.stage],
      ['metric', e.metric],
    ]);

  const a = report.attribution;
  add(
    family(
      'driftwatch_attribution_ndcg',
      "nDCG of the window's feature-attribution ranking against the baseline's.",
    ),
    a?.ndcg,
  );
  add(
    family('driftwatch_attribution_threshold', 'nDCG below which feature attribution counts as drifted.'),
    a?.threshold,
  );
  add(
    family('driftwatch_attribution_drifted', '1 when feature attribution drifted, else 0.'),
    a ? flag(a.drifted) : null,
  );

  const versions = report.model?.variants.flatMap((v) => v.modelPackageVersion ?? []) ?? [];
  add(
    family('driftwatch_model_version', 'Highest Model Registry package version serving the window.'),
    versions.length ? Math.max(...versions) : null,
  );
  add(
    family(
      'driftwatch_model_changed',
      '1 when the serving model changed inside the window (a deployment), else 0.',
    ),
    report.modelChangedDuringWindow === undefined ? null : flag(report.modelChangedDuringWindow),
  );
  return families;
}

/** ISO-8601 to seconds since the epoch; `null` for an open window end or an unparsable time. */
function epochSeconds(iso: string | null): number | null {
  if (iso === null) return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms / 1000;
}
