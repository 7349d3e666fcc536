/**
 * The monitor's dashboard for Grafana's CloudWatch data source (Amazon Managed Grafana or
 * self-hosted), from the deployed configuration: the panels of the stack's CloudWatch dashboard
 * (infra/constructs/endpoint-dashboard.ts), one row per endpoint, and a first row comparing the
 * endpoints chosen in the `endpoint` variable, with a panel per feature chosen in `feature`.
 *
 * Queries follow the data source's documented query model (Grafana's CloudWatchMetricsQuery):
 * `queryMode: "Metrics"`, `metricQueryType` 0 (Search) with `metricEditorMode` 0 (Builder:
 * namespace, metricName, dimensions, statistic, matchExact) or 1 (Code: a SEARCH expression).
 * Every panel and query names the data source `${datasource}`, a data-source variable.
 */

import {
  BIAS_METRICS_NAMESPACE,
  BIAS_VIOLATIONS_METRIC,
  METRIC_DIMENSIONS,
  METRIC_NAMES,
} from '../../contracts/metric-names.ts';
import type { ProblemType } from '../../contracts/problem-type.ts';
import { canonicalMetricName, findMetricName, REPORT_METRICS } from '../../contracts/quality-metric-names.ts';

/** One monitored endpoint, as the dashboard needs it. */
export interface GrafanaEndpoint {
  name: string;
  /** The `MonitoringSchedule` dimension (the config's `scheduleName`). */
  schedule: string;
  /** @default ["AllTraffic"] */
  variants?: readonly string[];
  /** Features drawn one panel each, as the config lists them. @default [] */
  features?: readonly string[];
  /** Per-feature drift thresholds drawn on the feature panels. @default none */
  featureThresholds?: ReadonlyMap<string, number>;
  /** The drift threshold of the features without their own. @default 0.1 */
  driftThreshold?: number;
  /** Dataset drift share threshold drawn on its panel. @default 0.5 */
  datasetDriftShare?: number;
  /** The model's problem type: model-quality panels when set. @default none */
  problemType?: ProblemType;
  /** A bias configuration: the bias panels. */
  hasBias: boolean;
  /** Feature attribution drift is monitored (an `attribution` block): its panels. @default false */
  hasAttribution?: boolean;
}

/** What the dashboard is built from. */
export interface GrafanaDashboardInput {
  /** The AWS region queried. @default "default" (the data source's default region) */
  region?: string;
  /** The monitor's namespaces. @default SageMaker Model Monitor's */
  namespaces?: { data?: string; model?: string };
  endpoints: readonly GrafanaEndpoint[];
  /** @default "driftwatch" */
  title?: string;
  /** @default "driftwatch" */
  uid?: string;
}

/** SageMaker Model Monitor's namespaces, the monitor's defaults. */
export const DEFAULT_NAMESPACES = {
  data: 'aws/sagemaker/Endpoints/data-metrics',
  model: 'aws/sagemaker/Endpoints/model-metrics',
} as const;

const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';
const SAGEMAKER_INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';
/** `${name}` as Grafana writes a variable or CloudWatch a dynamic label, written out literally. */
const placeholder = (name: string) => `$\{${name}}`;
/** The data source every panel and query uses: the dashboard's data-source variable. */
const DATASOURCE = { type: 'cloudwatch', uid: placeholder('datasource') } as const;
/** CloudWatch's dynamic label: the series' Endpoint dimension. */
const ENDPOINT_LABEL = placeholder("PROP('Dim.Endpoint')");
const HOUR = '3600';
const FIVE_MINUTES = '300';
const FULL = 24;
const THIRD = 8;
const HEIGHT = 8;

/** A CloudWatch query of a panel (Grafana's CloudWatchMetricsQuery). */
export interface CloudWatchTarget {
  refId: string;
  datasource: typeof DATASOURCE;
  queryMode: 'Metrics';
  /** 0: Search (metric stat or SEARCH expression); 1 would be Metrics Insights. */
  metricQueryType: 0;
  /** 0: Builder (namespace, metricName, dimensions); 1: Code (`expression`). */
  metricEditorMode: 0 | 1;
  id: string;
  region: string;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string | string[]>;
  matchExact: boolean;
  statistic: string;
  period: string;
  expression: string;
  label: string;
}

/** A panel of the dashboard JSON model (a row or a time series). */
export interface GrafanaPanel {
  id: number;
  type: 'row' | 'timeseries';
  title: string;
  gridPos: { x: number; y: number; w: number; h: number };
  [field: string]: unknown;
}

/** The dashboard JSON model, as Grafana imports it. */
export interface GrafanaDashboard {
  uid: string;
  title: string;
  tags: string[];
  timezone: 'utc';
  editable: boolean;
  graphTooltip: number;
  schemaVersion: number;
  version: number;
  time: { from: string; to: string };
  refresh: string;
  annotations: { list: unknown[] };
  templating: { list: Array<Record<string, unknown>> };
  panels: GrafanaPanel[];
}

/** A metric a panel draws. */
interface Series {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string | string[]>;
  statistic: string;
  period: string;
  label: string;
  matchExact?: boolean;
}

/** Builds the dashboard. Throws when there is no endpoint, or two share a name. */
export function grafanaDashboard(input: GrafanaDashboardInput): GrafanaDashboard {
  if (input.endpoints.length === 0) throw new Error('grafana: the configuration lists no endpoint');
  const names = input.endpoints.map((e) => e.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new Error(`grafana: endpoint ${JSON.stringify(twice)} is listed twice`);

  const region = input.region ?? 'default';
  const ns = { ...DEFAULT_NAMESPACES, ...input.namespaces };
  const layout = new Layout();

  const target = (s: Series, i: number): CloudWatchTarget => ({
    refId: refId(i),
    datasource: DATASOURCE,
    queryMode: 'Metrics',
    metricQueryType: 0,
    metricEditorMode: 0,
    id: '',
    region,
    namespace: s.namespace,
    metricName: s.metricName,
    dimensions: s.dimensions,
    matchExact: s.matchExact ?? true,
    statistic: s.statistic,
    period: s.period,
    expression: '',
    label: s.label,
  });
  const search = (namespace: string, expression: string, i: number): CloudWatchTarget => ({
    ...target(
      { namespace, metricName: '', dimensions: {}, statistic: 'Maximum', period: HOUR, label: '' },
      i,
    ),
    metricEditorMode: 1,
    matchExact: false,
    expression,
  });
  const panel = (
    title: string,
    targets: CloudWatchTarget[],
    width: number,
    options: {
      thresholds?: Array<{ value: number; label: string }>;
      unit?: string;
      extra?: Record<string, unknown>;
    } = {},
  ) =>
    layout.panel(width, HEIGHT, {
      type: 'timeseries',
      title,
      datasource: DATASOURCE,
      targets,
      ...fieldConfig(options),
      ...options.extra,
    });

  // The comparison row: the endpoints and features chosen in the variables.
  layout.row('All endpoints: $endpoint');
  const chosen = { [METRIC_DIMENSIONS.endpoint]: '$endpoint' };
  panel(
    'Dataset drift share by endpoint',
    [
      target(
        {
          namespace: ns.data,
          metricName: METRIC_NAMES.datasetDriftShare,
          dimensions: chosen,
          statistic: 'Maximum',
          period: HOUR,
          label: ENDPOINT_LABEL,
          matchExact: false,
        },
        0,
      ),
    ],
    THIRD,
  );
  panel(
    'Violations by endpoint',
    [
      target(
        {
          namespace: ns.data,
          metricName: METRIC_NAMES.violations,
          dimensions: chosen,
          statistic: 'Maximum',
          period: HOUR,
          label: ENDPOINT_LABEL,
          matchExact: false,
        },
        0,
      ),
    ],
    THIRD,
  );
  panel(
    'Drift: $feature',
    [
      target(
        {
          namespace: ns.data,
          metricName: '$feature',
          dimensions: chosen,
          statistic: 'Maximum',
          period: HOUR,
          label: ENDPOINT_LABEL,
          matchExact: false,
        },
        0,
      ),
    ],
    THIRD,
    { extra: { repeat: 'feature', repeatDirection: 'h', maxPerRow: 3 } },
  );

  for (const e of input.endpoints) {
    const dims = { [METRIC_DIMENSIONS.endpoint]: e.name, [METRIC_DIMENSIONS.monitoringSchedule]: e.schedule };
    const data = (metricName: string, statistic: string, label: string): Series => ({
      namespace: ns.data,
      metricName,
      dimensions: dims,
      statistic,
      period: HOUR,
      label,
    });
    const variants = e.variants?.length ? e.variants : ['AllTraffic'];
    const perVariant = (
      namespace: string,
      metricName: string,
      variant: string,
      statistic: string,
      label: string,
    ): Series => ({
      namespace,
      metricName,
      dimensions: { EndpointName: e.name, VariantName: variant },
      statistic,
      period: FIVE_MINUTES,
      label,
    });

    layout.row(`Endpoint ${e.name} (schedule ${e.schedule})`);
    panel(
      'Dataset drift share',
      [target(data(METRIC_NAMES.datasetDriftShare, 'Maximum', 'dataset drift share'), 0)],
      THIRD,
      {
        thresholds: [{ value: e.datasetDriftShare ?? 0.5, label: 'dataset drift' }],
        unit: 'percentunit',
      },
    );
    panel(
      'Constraint violations',
      [target(data(METRIC_NAMES.violations, 'Maximum', 'violations'), 0)],
      THIRD,
    );
    panel(
      'Records per window',
      [
        target(data(METRIC_NAMES.recordsProfiled, 'Maximum', 'profiled'), 0),
        target(data(METRIC_NAMES.recordsRejected, 'Maximum', 'rejected'), 1),
      ],
      THIRD,
    );

    const features = e.features ?? [];
    for (const f of features)
      panel(`Drift: ${f}`, [target(data(METRIC_NAMES.featureBaselineDrift(f), 'Maximum', f), 0)], THIRD, {
        thresholds: [{ value: e.featureThresholds?.get(f) ?? e.driftThreshold ?? 0.1, label: 'threshold' }],
      });
    if (features.length > 0)
      panel(
        'Completeness (non-null share)',
        features.map((f, i) => target(data(METRIC_NAMES.featureNonNull(f), 'Minimum', f), i)),
        THIRD,
        { unit: 'percentunit' },
      );

    if (e.hasBias) {
      panel(
        'Bias: significant violations per window',
        [
          target(
            {
              ...data(BIAS_VIOLATIONS_METRIC, 'Maximum', 'bias_violations'),
              namespace: BIAS_METRICS_NAMESPACE,
            },
            0,
          ),
        ],
        THIRD,
      );
      // Facet values are in the deployed analysis_config.json, unknown here: a SEARCH finds them.
      for (const [metric, title] of [
        ['DPPL', 'Bias: DPPL per facet value (ideal 0)'],
        ['DI', 'Bias: disparate impact per facet value (ideal 1)'],
      ] as const)
        panel(title, [search(BIAS_METRICS_NAMESPACE, biasSearch(e, metric), 0)], THIRD);
    }

    panel(
      'Multivariate drift: reconstruction error against the baseline band',
      [
        target(data(METRIC_NAMES.multivariateReconstructionError, 'Maximum', 'reconstruction error'), 0),
        target(data(METRIC_NAMES.multivariateUpperThreshold, 'Maximum', 'upper threshold'), 1),
        target(data(METRIC_NAMES.multivariateLowerThreshold, 'Maximum', 'lower threshold'), 2),
        target(data(METRIC_NAMES.multivariateDrift, 'Maximum', 'outside the baseline band (1)'), 3),
      ],
      FULL,
    );

    if (e.hasAttribution) {
      panel(
        'Feature attribution: nDCG against the baseline ranking (drift below 0.9)',
        [target(data(METRIC_NAMES.attributionNdcg, 'Minimum', 'nDCG'), 0)],
        THIRD,
      );
      panel(
        'Feature attribution: model rows sent',
        [target(data(METRIC_NAMES.attributionModelRows, 'Sum', 'model rows'), 0)],
        THIRD,
      );
      panel(
        'Feature attribution: failed explanations',
        [target(data(METRIC_NAMES.attributionFailures, 'Sum', 'failures'), 0)],
        THIRD,
      );
    }

    if (e.problemType) {
      const metrics = publishedQualityMetrics(e.problemType);
      panel(
        `Model quality (${e.problemType})`,
        metrics.map((m, i) =>
          target({ ...data(METRIC_NAMES.quality(m), 'Average', m), namespace: ns.model }, i),
        ),
        FULL,
      );
    }

    panel(
      'Latency, average and maximum (µs)',
      variants.flatMap((v, i) => [
        target(perVariant(SAGEMAKER_NAMESPACE, 'ModelLatency', v, 'Average', `${v} model avg`), 4 * i),
        target(perVariant(SAGEMAKER_NAMESPACE, 'ModelLatency', v, 'Maximum', `${v} model max`), 4 * i + 1),
        target(
          perVariant(SAGEMAKER_NAMESPACE, 'OverheadLatency', v, 'Average', `${v} overhead avg`),
          4 * i + 2,
        ),
        target(
          perVariant(SAGEMAKER_NAMESPACE, 'OverheadLatency', v, 'Maximum', `${v} overhead max`),
          4 * i + 3,
        ),
      ]),
      THIRD,
      { unit: 'µs' },
    );
    panel(
      'Invocations',
      variants.map((v, i) => target(perVariant(SAGEMAKER_NAMESPACE, 'Invocations', v, 'Sum', v), i)),
      THIRD,
    );
    panel(
      'Invocation errors',
      variants.flatMap((v, i) => [
        target(perVariant(SAGEMAKER_NAMESPACE, 'Invocation4XXErrors', v, 'Sum', `${v} 4XX`), 2 * i),
        target(perVariant(SAGEMAKER_NAMESPACE, 'Invocation5XXErrors', v, 'Sum', `${v} 5XX`), 2 * i + 1),
      ]),
      THIRD,
    );
    for (const [metric, title] of [
      ['CPUUtilization', 'CPU utilization (%, summed over vCPUs)'],
      ['MemoryUtilization', 'Memory utilization (%)'],
      ['DiskUtilization', 'Disk utilization (%)'],
    ] as const)
      panel(
        title,
        variants.map((v, i) => target(perVariant(SAGEMAKER_INSTANCE_NAMESPACE, metric, v, 'Average', v), i)),
        THIRD,
        { unit: 'percent' },
      );

    panel(
      'Serving model: version and deployments',
      [
        target(data(METRIC_NAMES.modelVersion, 'Maximum', 'model package version'), 0),
        target(data(METRIC_NAMES.modelChanged, 'Maximum', 'deployed during the window'), 1),
      ],
      FULL,
    );
    panel(
      'Monitor run duration (s)',
      [target(data(METRIC_NAMES.runDurationSeconds, 'Maximum', 'seconds'), 0)],
      THIRD,
      {
        unit: 's',
      },
    );
    panel('Monitor run cost (USD)', [target(data(METRIC_NAMES.runCostUsd, 'Sum', 'USD'), 0)], THIRD, {
      unit: 'currencyUSD',
    });
    panel(
      'Windows left incomplete',
      [target(data(METRIC_NAMES.windowsIncomplete, 'Maximum', 'windows_incomplete'), 0)],
      THIRD,
    );
  }

  const allFeatures = uniqueFeatures(input.endpoints);
  return {
    uid: input.uid ?? 'driftwatch',
    title: input.title ?? 'driftwatch',
    tags: ['driftwatch', 'sagemaker', 'model-monitor'],
    timezone: 'utc',
    editable: true,
    graphTooltip: 1,
    schemaVersion: 39,
    version: 1,
    time: { from: 'now-7d', to: 'now' },
    refresh: '',
    annotations: { list: [] },
    templating: {
      list: [
        {
          type: 'datasource',
          name: 'datasource',
          label: 'CloudWatch data source',
          query: 'cloudwatch',
          current: {},
          hide: 0,
          refresh: 1,
          regex: '',
          options: [],
        },
        customVariable(
          'endpoint',
          'Endpoint',
          input.endpoints.map((e) => ({ text: e.name, value: e.name })),
        ),
        customVariable(
          'feature',
          'Feature',
          allFeatures.map((f) => ({ text: f, value: METRIC_NAMES.featureBaselineDrift(f) })),
        ),
      ],
    },
    panels: layout.panels,
  };
}

/**
 * The quality metrics the monitor publishes for a problem type (metricsForReport: report.json's
 * metrics under SageMaker's names, or report.json's where SageMaker has none), in reading order.
 */
export function publishedQualityMetrics(problemType: ProblemType): string[] {
  return REPORT_METRICS[problemType].flatMap((name) => {
    const known = findMetricName(problemType, name);
    return known ? [canonicalMetricName(known)] : [];
  });
}

/** Clarify's metric per facet value of one endpoint: a SEARCH over the bias namespace's dimensions. */
function biasSearch(e: GrafanaEndpoint, metric: string): string {
  const dims = [
    BIAS_METRICS_NAMESPACE,
    'Endpoint',
    'MonitoringSchedule',
    'BiasStage',
    'Label',
    'LabelValue',
    'Facet',
    'FacetValue',
  ].join(',');
  return `SEARCH('{${dims}} Endpoint="${searchText(e.name)}" MonitoringSchedule="${searchText(e.schedule)}" MetricName="bias_metric_${metric}"', 'Maximum', 3600)`;
}

/** A value inside a SEARCH expression's quoted term: quotes and backslashes escaped, as CloudWatch's search syntax takes them. */
function searchText(s: string): string {
  return s.replace(/[\\"']/g, (c) => `\\${c}`);
}

/** refId A, B, ... Z, AA, AB, ... */
function refId(i: number): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return s;
}

/** Each feature once, in the order the endpoints list them. */
function uniqueFeatures(endpoints: readonly GrafanaEndpoint[]): string[] {
  const seen = new Set<string>();
  for (const e of endpoints) for (const f of e.features ?? []) seen.add(f);
  return [...seen];
}

/**
 * A custom variable, multi-value with "All". `options` and `current` are written out (Grafana
 * does not fill them in from `query` on import); `query` is the comma-separated form, commas in
 * values escaped as `\,`, and `text : value` where they differ.
 */
function customVariable(name: string, label: string, options: Array<{ text: string; value: string }>) {
  const escapeCommas = (s: string) => s.replace(/,/g, '\\,');
  return {
    type: 'custom',
    name,
    label,
    query: options
      .map((o) =>
        o.text === o.value ? escapeCommas(o.value) : `${escapeCommas(o.text)} : ${escapeCommas(o.value)}`,
      )
      .join(','),
    multi: true,
    includeAll: true,
    current: { selected: true, text: ['All'], value: ['$__all'] },
    options: [
      { selected: true, text: 'All', value: '$__all' },
      ...options.map((o) => ({ selected: false, text: o.text, value: o.value })),
    ],
    hide: 0,
    skipUrlSync: false,
  };
}

/** A panel's field config: unit and threshold lines. */
function fieldConfig(options: { thresholds?: Array<{ value: number; label: string }>; unit?: string }) {
  const lines = options.thresholds ?? [];
  return {
    fieldConfig: {
      defaults: {
        ...(options.unit ? { unit: options.unit } : {}),
        custom: {
          drawStyle: 'line',
          showPoints: 'auto',
          thresholdsStyle: { mode: lines.length ? 'line' : 'off' },
        },
        thresholds: {
          mode: 'absolute',
          steps: [{ color: 'green', value: null }, ...lines.map((l) => ({ color: 'red', value: l.value }))],
        },
      },
      overrides: [],
    },
    options: {
      legend: { displayMode: 'list', placement: 'bottom', showLegend: true },
      tooltip: { mode: 'multi', sort: 'none' },
    },
  };
}

/** Places panels left to right in rows of 24 columns, a row header spanning the width. */
class Layout {
  readonly panels: GrafanaPanel[] = [];
  private x = 0;
  private y = 0;
  private lineHeight = 0;

  row(title: string): void {
    this.newLine();
    this.panels.push({
      id: this.panels.length + 1,
      type: 'row',
      title,
      collapsed: false,
      panels: [],
      gridPos: { x: 0, y: this.y, w: FULL, h: 1 },
    });
    this.y += 1;
  }

  panel(w: number, h: number, body: Omit<GrafanaPanel, 'id' | 'gridPos'>): void {
    if (this.x + w > FULL) this.newLine();
    this.panels.push({
      ...body,
      id: this.panels.length + 1,
      gridPos: { x: this.x, y: this.y, w, h },
    } as GrafanaPanel);
    this.x += w;
    this.lineHeight = Math.max(this.lineHeight, h);
  }

  private newLine(): void {
    this.y += this.lineHeight;
    this.x = 0;
    this.lineHeight = 0;
  }
}
