/**
 * The Grafana dashboard against the fields Grafana's CloudWatch data source documents for a
 * metrics query (CloudWatchMetricsQuery in grafana/grafana's cloudwatch dataquery schema:
 * queryMode, metricQueryType 0 = Search, metricEditorMode 0 = Builder / 1 = Code, region,
 * namespace, metricName, dimensions, matchExact, statistic, period, refId, expression, label)
 * and the dashboard JSON model (panels with unique ids and non-overlapping gridPos on a 24-wide
 * grid, row panels, templating variables). No Grafana could be installed here (see the report).
 */
import { describe, expect, it } from 'vitest';
import { METRIC_NAMES } from '../../../functions/contracts/metric-names.ts';
import {
  type CloudWatchTarget,
  type GrafanaDashboard,
  type GrafanaEndpoint,
  type GrafanaPanel,
  grafanaDashboard,
  publishedQualityMetrics,
} from '../../../functions/engine/export/grafana-dashboard.ts';

const CHURN: GrafanaEndpoint = {
  name: 'xgb-churn',
  schedule: 'driftwatch-hourly',
  variants: ['AllTraffic'],
  features: ['Account Length', 'Day Mins', 'prix €', 'a,b'],
  featureThresholds: new Map([['Day Mins', 0.2]]),
  problemType: 'BinaryClassification',
  hasBias: true,
  hasAttribution: true,
};
const FRAUD: GrafanaEndpoint = {
  name: 'fraud',
  schedule: 'fraud-hourly',
  variants: ['blue', 'green'],
  hasBias: false,
};

/** The data-source variable, `${datasource}` (written so, as Grafana reads it). */
const DATASOURCE = { type: 'cloudwatch', uid: `$\{datasource}` };

const timeseries = (d: GrafanaDashboard) => d.panels.filter((p) => p.type === 'timeseries');
const targetsOf = (p: GrafanaPanel) => p.targets as CloudWatchTarget[];
/** The panels under each row, by row title. */
function rows(d: GrafanaDashboard): Map<string, GrafanaPanel[]> {
  const out = new Map<string, GrafanaPanel[]>();
  let current: GrafanaPanel[] = [];
  for (const p of d.panels) {
    if (p.type === 'row') {
      current = [];
      out.set(p.title, current);
    } else current.push(p);
  }
  return out;
}

describe('grafanaDashboard', () => {
  const d = grafanaDashboard({ region: 'eu-west-1', endpoints: [CHURN, FRAUD] });

  it('has a comparison row, then one row per endpoint', () => {
    expect([...rows(d).keys()]).toEqual([
      'All endpoints: $endpoint',
      'Endpoint xgb-churn (schedule driftwatch-hourly)',
      'Endpoint fraud (schedule fraud-hourly)',
    ]);
    for (const row of d.panels.filter((p) => p.type === 'row'))
      expect(row).toMatchObject({ collapsed: false, panels: [], gridPos: { x: 0, w: 24, h: 1 } });
  });

  it('gives every target the documented CloudWatch query fields and the data-source variable', () => {
    const targets = timeseries(d).flatMap(targetsOf);
    expect(targets.length).toBeGreaterThan(40);
    for (const t of targets) {
      expect(t).toMatchObject({
        datasource: DATASOURCE,
        queryMode: 'Metrics',
        metricQueryType: 0,
        region: 'eu-west-1',
      });
      expect([0, 1]).toContain(t.metricEditorMode);
      expect(t.refId).toMatch(/^[A-Z]+$/);
      expect(typeof t.namespace).toBe('string');
      expect(t.namespace.length).toBeGreaterThan(0);
      expect(['Average', 'Maximum', 'Minimum', 'Sum']).toContain(t.statistic);
      expect(t.period).toMatch(/^\d+$/);
      if (t.metricEditorMode === 0) {
        expect(t.metricName.length).toBeGreaterThan(0);
        expect(Object.keys(t.dimensions).length).toBeGreaterThan(0);
        expect(typeof t.matchExact).toBe('boolean');
        expect(t.expression).toBe('');
      } else expect(t.expression).toMatch(/^SEARCH\('\{/);
    }
    for (const p of timeseries(d)) {
      expect(p.datasource).toEqual(DATASOURCE);
      const refIds = targetsOf(p).map((t) => t.refId);
      expect(new Set(refIds).size).toBe(refIds.length);
    }
  });

  it('queries the metrics the monitor publishes, with its dimensions', () => {
    const churn = rows(d).get('Endpoint xgb-churn (schedule driftwatch-hourly)')!;
    const byTitle = new Map(churn.map((p) => [p.title, targetsOf(p)]));

    expect(byTitle.get('Dataset drift share')).toEqual([
      expect.objectContaining({
        namespace: 'aws/sagemaker/Endpoints/data-metrics',
        metricName: 'dataset_drift_share',
        dimensions: { Endpoint: 'xgb-churn', MonitoringSchedule: 'driftwatch-hourly' },
        matchExact: true,
        statistic: 'Maximum',
        period: '3600',
      }),
    ]);
    expect(byTitle.get('Drift: prix €')![0]!.metricName).toBe(METRIC_NAMES.featureBaselineDrift('prix €'));
    expect(byTitle.get('Drift: prix €')![0]!.metricName).toMatch(
      /^feature_baseline_drift_prix __[0-9a-f]{12}$/,
    );
    expect(byTitle.get('Completeness (non-null share)')!.map((t) => [t.metricName, t.statistic])).toEqual(
      CHURN.features!.map((f) => [METRIC_NAMES.featureNonNull(f), 'Minimum']),
    );
    expect(
      byTitle.get('Model quality (BinaryClassification)')!.map((t) => [t.namespace, t.metricName]),
    ).toEqual(
      ['accuracy', 'precision', 'recall', 'f1', 'auc'].map((m) => [
        'aws/sagemaker/Endpoints/model-metrics',
        m,
      ]),
    );
    expect(
      byTitle
        .get('Feature attribution: nDCG against the baseline ranking (drift below 0.9)')!
        .map((t) => [t.metricName, t.statistic]),
    ).toEqual([['attribution_ndcg', 'Minimum']]);
    expect(byTitle.get('Feature attribution: failed explanations')![0]!.metricName).toBe(
      'attribution_failures',
    );
    // The band travels with each value (the baseline's, unknown to the dashboard).
    expect(
      byTitle
        .get('Multivariate drift: reconstruction error against the baseline band')!
        .map((t) => t.metricName),
    ).toEqual([
      'multivariate_reconstruction_error',
      'multivariate_upper_threshold',
      'multivariate_lower_threshold',
      'multivariate_drift',
    ]);
    expect(byTitle.get('Bias: significant violations per window')![0]).toMatchObject({
      namespace: 'aws/sagemaker/Endpoints/bias-metrics',
      metricName: 'bias_violations',
    });
    expect(byTitle.get('Bias: DPPL per facet value (ideal 0)')![0]!.expression).toBe(
      `SEARCH('{aws/sagemaker/Endpoints/bias-metrics,Endpoint,MonitoringSchedule,BiasStage,Label,LabelValue,Facet,FacetValue} Endpoint="xgb-churn" MonitoringSchedule="driftwatch-hourly" MetricName="bias_metric_DPPL"', 'Maximum', 3600)`,
    );
    expect(
      churn.find((p) => p.title === 'Drift: Day Mins')!.fieldConfig as {
        defaults: { thresholds: { steps: Array<{ value: number | null }> } };
      },
    ).toMatchObject({ defaults: { thresholds: { steps: [{ value: null }, { value: 0.2 }] } } });

    const fraud = new Map(
      rows(d)
        .get('Endpoint fraud (schedule fraud-hourly)')!
        .map((p) => [p.title, targetsOf(p)]),
    );
    expect(
      [...fraud.keys()].some(
        (t) => t.startsWith('Bias') || t.startsWith('Model quality') || t.startsWith('Drift:'),
      ),
    ).toBe(false);
    expect(fraud.get('Invocations')!.map((t) => [t.namespace, t.dimensions, t.statistic, t.period])).toEqual([
      ['AWS/SageMaker', { EndpointName: 'fraud', VariantName: 'blue' }, 'Sum', '300'],
      ['AWS/SageMaker', { EndpointName: 'fraud', VariantName: 'green' }, 'Sum', '300'],
    ]);
    expect(fraud.get('Memory utilization (%)')![0]).toMatchObject({
      namespace: '/aws/sagemaker/Endpoints',
      metricName: 'MemoryUtilization',
      statistic: 'Average',
    });
    expect(fraud.get('Latency, average and maximum (µs)')!.map((t) => t.refId)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
    ]);
  });

  it('has datasource, endpoint and feature variables, the feature one valued with metric names', () => {
    const vars = d.templating.list;
    expect(vars.map((v) => [v.name, v.type])).toEqual([
      ['datasource', 'datasource'],
      ['endpoint', 'custom'],
      ['feature', 'custom'],
    ]);
    expect(vars[0]).toMatchObject({ query: 'cloudwatch' });
    expect(vars[1]).toMatchObject({
      query: 'xgb-churn,fraud',
      multi: true,
      includeAll: true,
      current: { value: ['$__all'] },
    });
    expect((vars[2]!.options as Array<{ text: string; value: string }>).slice(1)).toEqual(
      CHURN.features!.map((f) => ({ selected: false, text: f, value: METRIC_NAMES.featureBaselineDrift(f) })),
    );
    // A comma in a value is escaped in the custom query.
    expect(vars[2]!.query).toContain('a\\,b : feature_baseline_drift_a\\,b');
    const repeated = d.panels.find((p) => p.repeat === 'feature')!;
    expect(repeated.title).toBe('Drift: $feature');
    expect(targetsOf(repeated)[0]).toMatchObject({
      metricName: '$feature',
      dimensions: { Endpoint: '$endpoint' },
      matchExact: false,
    });
  });

  it('has unique panel ids and panels that never overlap, inside the 24-column grid', () => {
    const ids = d.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of d.panels) {
      const g = p.gridPos;
      expect(g.x).toBeGreaterThanOrEqual(0);
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      expect(g.w).toBeGreaterThan(0);
      expect(g.h).toBeGreaterThan(0);
    }
    for (const [i, a] of d.panels.entries())
      for (const b of d.panels.slice(i + 1)) {
        const overlap =
          a.gridPos.x < b.gridPos.x + b.gridPos.w &&
          b.gridPos.x < a.gridPos.x + a.gridPos.w &&
          a.gridPos.y < b.gridPos.y + b.gridPos.h &&
          b.gridPos.y < a.gridPos.y + a.gridPos.h;
        expect(overlap, `${a.title} overlaps ${b.title}`).toBe(false);
      }
    // Rows come in reading order: each row starts below everything before it.
    for (const [i, p] of d.panels.entries())
      if (p.type === 'row')
        for (const before of d.panels.slice(0, i))
          expect(before.gridPos.y + before.gridPos.h).toBeLessThanOrEqual(p.gridPos.y);
  });

  it('is the same JSON for the same input, and serialises without loss', () => {
    const again = grafanaDashboard({ region: 'eu-west-1', endpoints: [CHURN, FRAUD] });
    expect(JSON.parse(JSON.stringify(d))).toEqual(JSON.parse(JSON.stringify(again)));
    expect(d).toMatchObject({
      uid: 'driftwatch',
      timezone: 'utc',
      schemaVersion: 39,
      time: { from: 'now-7d', to: 'now' },
    });
  });

  it('defaults the region to the data source default and refuses empty or duplicate endpoint lists', () => {
    const t = timeseries(grafanaDashboard({ endpoints: [FRAUD] })).flatMap(targetsOf);
    expect(new Set(t.map((x) => x.region))).toEqual(new Set(['default']));
    expect(() => grafanaDashboard({ endpoints: [] })).toThrow('grafana: the configuration lists no endpoint');
    expect(() => grafanaDashboard({ endpoints: [FRAUD, FRAUD] })).toThrow(
      'grafana: endpoint "fraud" is listed twice',
    );
  });
});

describe('publishedQualityMetrics', () => {
  it('names the quality metrics as the monitor publishes them', () => {
    expect(publishedQualityMetrics('MulticlassClassification')).toEqual([
      'accuracy',
      'precision_macro',
      'recall_macro',
      'f1_macro',
      'weighted_precision',
      'weighted_recall',
      'weighted_f1',
    ]);
    expect(publishedQualityMetrics('Regression')).toEqual(['mae', 'mse', 'rmse', 'r2']);
  });
});
