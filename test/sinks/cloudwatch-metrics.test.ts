import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricName, metricNameHash } from '../../functions/contracts/metric-names.ts';
import { NOT_IN_BASELINE } from '../../functions/engine/drift/compare.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import {
  batchMetrics,
  datumBytes,
  explainabilityMetricsForReport,
  incompleteWindowMetrics,
  MAX_METRICS_PER_REQUEST,
  metricsForReport,
  publishMetrics,
} from '../../functions/sinks/cloudwatch-metrics.ts';
import {
  attributionSection,
  attributionViolation,
  feature,
  multivariateResult,
  multivariateViolation,
  numericMetrics,
  report,
} from './report-fixture.ts';

const WINDOW_START = new Date('2026-11-26T05:00:00Z');
const CONTEXT = {
  endpoint: 'churn-xgb',
  scheduleName: 'churn-xgb-hourly',
  windowStart: WINDOW_START,
  runSeconds: 12.5,
  costUsd: 0.00016,
};
const DIMENSIONS = [
  { Name: 'Endpoint', Value: 'churn-xgb' },
  { Name: 'MonitoringSchedule', Value: 'churn-xgb-hourly' },
];
const value = (MetricName: string, Value: number, Unit = 'None') => ({
  MetricName,
  Dimensions: DIMENSIONS,
  Timestamp: WINDOW_START,
  Value,
  Unit,
});

const ONE_MB = 1024 * 1024;

/** The request as the AWS JSON protocol sends it (timestamps as epoch seconds). */
function jsonBytes(namespace: string, data: MetricDatum[]): number {
  return Buffer.byteLength(
    JSON.stringify({ Namespace: namespace, MetricData: data }, (_k, v) =>
      typeof v === 'string' && /^\d{4}-\d\d-\d\dT/.test(v) ? Date.parse(v) / 1000 : v,
    ),
  );
}

/** The request as the older query protocol sends it (form-encoded, every field its own key). */
function queryBytes(namespace: string, data: MetricDatum[]): number {
  const pairs: string[] = [
    'Action=PutMetricData',
    'Version=2010-08-01',
    `Namespace=${encodeURIComponent(namespace)}`,
  ];
  const add = (key: string, v: unknown): void => {
    if (v instanceof Date) pairs.push(`${key}=${encodeURIComponent(v.toISOString())}`);
    else if (Array.isArray(v)) for (const [i, x] of v.entries()) add(`${key}.member.${i + 1}`, x);
    else if (v !== null && typeof v === 'object')
      for (const [k, x] of Object.entries(v)) add(`${key}.${k}`, x);
    else if (v !== undefined) pairs.push(`${key}=${encodeURIComponent(String(v))}`);
  };
  add('MetricData', data);
  return Buffer.byteLength(pairs.join('&'));
}

describe('metricsForReport', () => {
  it("gives each feature SageMaker's drift, completeness and data metrics, then the window's own", () => {
    const r = report([
      feature('price', {
        type: 'numeric',
        count: 8,
        missing: 1,
        typeMismatch: 1,
        distance: 0.3,
        drifted: true,
        metrics: numericMetrics(8, 100.5, 2, 30),
      }),
      feature('plan', { distance: 0.05 }),
      feature('notes', { distance: 0.7, monitored: false, note: 'comparison disabled in constraints.json' }),
      feature('empty', {
        type: 'numeric',
        count: 0,
        distance: null,
        monitored: false,
        note: 'no values in this window',
      }),
    ]);

    const { data, model } = metricsForReport(r, CONTEXT);

    expect(data).toEqual([
      value('feature_baseline_drift_price', 0.3),
      value('feature_non_null_price', 0.9),
      {
        MetricName: 'feature_data_price',
        Dimensions: DIMENSIONS,
        Timestamp: WINDOW_START,
        StatisticValues: { SampleCount: 8, Sum: 100.5, Minimum: 2, Maximum: 30 },
        Unit: 'None',
      },
      value('feature_baseline_drift_plan', 0.05),
      value('feature_non_null_plan', 1),
      value('feature_non_null_notes', 1),
      value('unknown_features', 0, 'Count'),
      value('dataset_drift_share', 0.5),
      value('violations', 0, 'Count'),
      value('records_profiled', 118, 'Count'),
      value('records_rejected', 2, 'Count'),
      value('run_duration_seconds', 12.5, 'Seconds'),
      value('run_cost_usd', 0.00016),
    ]);
    expect(model).toEqual([]);
  });

  it('publishes the multivariate reconstruction error and drift flag beside the violations, in the data namespace', async () => {
    const drifted = report([feature('plan')], [multivariateViolation()], {
      multivariate: multivariateResult(),
    });
    const calm = report([feature('plan')], [], {
      multivariate: multivariateResult({ value: 1.01, drifted: false }),
    });
    const unscored = report([feature('plan')], [], {
      multivariate: multivariateResult({ rows: 0, value: null, samplingError: null, drifted: false }),
    });
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(PutMetricDataCommand).resolves({});

    const sent = await publishMetrics(
      cloudwatch as unknown as CloudWatchClient,
      'aws/sagemaker/Endpoints/data-metrics',
      metricsForReport(drifted, CONTEXT).data,
    );

    expect(sent).toBe(1);
    const requests = cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(requests).toEqual([
      {
        Namespace: 'aws/sagemaker/Endpoints/data-metrics',
        MetricData: [
          value('feature_baseline_drift_plan', 0.05),
          value('feature_non_null_plan', 1),
          value('unknown_features', 0, 'Count'),
          value('dataset_drift_share', 0),
          value('violations', 1, 'Count'),
          value('multivariate_reconstruction_error', 1.23),
          value('multivariate_drift', 1, 'Count'),
          value('multivariate_upper_threshold', 1.08),
          value('multivariate_lower_threshold', 0.95),
          value('records_profiled', 118, 'Count'),
          value('records_rejected', 2, 'Count'),
          value('run_duration_seconds', 12.5, 'Seconds'),
          value('run_cost_usd', 0.00016),
        ],
      },
    ]);
    const multivariate = (r: Report) =>
      metricsForReport(r, CONTEXT).data.filter((d) => d.MetricName?.startsWith('multivariate_'));
    // The band goes with the value, so a dashboard draws it (the stack cannot know it).
    expect(multivariate(calm)).toEqual([
      value('multivariate_reconstruction_error', 1.01),
      value('multivariate_drift', 0, 'Count'),
      value('multivariate_upper_threshold', 1.08),
      value('multivariate_lower_threshold', 0.95),
    ]);
    // No rows: the flag and band but no value; no model (null) or an older report (absent): nothing.
    expect(multivariate(unscored)).toEqual([
      value('multivariate_drift', 0, 'Count'),
      value('multivariate_upper_threshold', 1.08),
      value('multivariate_lower_threshold', 0.95),
    ]);
    expect(multivariate(report([feature('plan')], [], { multivariate: null }))).toEqual([]);
    expect(multivariate(report([feature('plan')]))).toEqual([]);
  });

  it('publishes the attribution nDCG, drift flag, model rows and failure flag in the data namespace', async () => {
    const drifted = report([feature('plan')], [attributionViolation()], {
      attribution: attributionSection(),
    });
    const failed = report([feature('plan')], [], {
      attribution: attributionSection({
        window: null,
        ndcg: null,
        drifted: false,
        modelRows: 1,
        error: 'model call 1 failed',
      }),
    });
    const cloudwatch = mockClient(CloudWatchClient);
    cloudwatch.on(PutMetricDataCommand).resolves({});

    await publishMetrics(
      cloudwatch as unknown as CloudWatchClient,
      'aws/sagemaker/Endpoints/data-metrics',
      metricsForReport(drifted, CONTEXT).data,
    );

    const requests = cloudwatch.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(requests).toEqual([
      {
        Namespace: 'aws/sagemaker/Endpoints/data-metrics',
        MetricData: [
          value('feature_baseline_drift_plan', 0.05),
          value('feature_non_null_plan', 1),
          value('unknown_features', 0, 'Count'),
          value('dataset_drift_share', 0),
          value('violations', 1, 'Count'),
          value('attribution_ndcg', 0.6123),
          value('attribution_drift', 1, 'Count'),
          value('attribution_model_rows', 701, 'Count'),
          value('attribution_failures', 0, 'Count'),
          value('records_profiled', 118, 'Count'),
          value('records_rejected', 2, 'Count'),
          value('run_duration_seconds', 12.5, 'Seconds'),
          value('run_cost_usd', 0.00016),
        ],
      },
    ]);
    const attribution = (r: Report) =>
      metricsForReport(r, CONTEXT).data.filter((d) => d.MetricName?.startsWith('attribution_'));
    // Failed: no verdict to publish, the failure counted; not explained (null, absent): nothing.
    expect(attribution(failed)).toEqual([
      value('attribution_model_rows', 1, 'Count'),
      value('attribution_failures', 1, 'Count'),
    ]);
    expect(attribution(report([feature('plan')], [], { attribution: null }))).toEqual([]);
    expect(attribution(report([feature('plan')]))).toEqual([]);
  });

  it("gives Clarify's feature_NAME and ExpectedValue only for the baseline analysis's features, each name once and valid", () => {
    const dimensions = (valueType: string) => [
      ...DIMENSIONS,
      { Name: 'ExplainabilityMethod', Value: 'KernelShap' },
      { Name: 'Label', Value: 'label0' },
      { Name: 'ValueType', Value: valueType },
    ];
    const explained = (MetricName: string, Value: number, valueType = 'GlobalShapValues') => ({
      MetricName,
      Dimensions: dimensions(valueType),
      Timestamp: WINDOW_START,
      Value,
      Unit: 'None',
    });
    const long = 'x'.repeat(300);
    const baseline: Record<string, number> = { 'Day Mins': 0.7, 'prix €': 0.2, [long]: 0.1 };
    Object.defineProperty(baseline, '__proto__', {
      value: 0.05,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    // The window holds a key the baseline never had (a hand-edited report): it mints no metric.
    const window: Record<string, number> = { 'Day Mins': 0.1, 'prix €': 0.3, [long]: 0.4, invented: 9 };
    Object.defineProperty(window, '__proto__', {
      value: 0.6,
      enumerable: true,
      configurable: true,
      writable: true,
    });
    const r = report([feature('plan')], [], {
      attribution: attributionSection({
        baseline,
        window,
        expectedValue: { baseline: 0.31, window: Number.NaN },
      }),
    });

    const data = explainabilityMetricsForReport(r, CONTEXT);

    expect(data).toEqual([
      explained('feature_Day Mins', 0.1),
      explained(metricName('feature_prix €'), 0.3),
      explained(metricName(`feature_${long}`), 0.4),
      explained('feature___proto__', 0.6),
    ]);
    expect(metricName('feature_prix €')).toBe(`feature_prix __${metricNameHash('feature_prix €')}`);
    expect(data.every((d) => d.MetricName!.length <= 255)).toBe(true);
    const ok = report([feature('plan')], [], { attribution: attributionSection() });
    expect(explainabilityMetricsForReport(ok, CONTEXT).at(-1)).toEqual(
      explained('ExpectedValue', 0.35, 'ExpectedValue'),
    );
    expect(
      explainabilityMetricsForReport(
        report([feature('plan')], [], { attribution: attributionSection({ window: null, ndcg: null }) }),
        CONTEXT,
      ),
    ).toEqual([]);
  });

  it("publishes model quality under SageMaker's names, in the model namespace's list", () => {
    const quality = (problemType: string, metrics: object | null, violations: object[] = [], matched = 40) =>
      ({ problemType, metrics, violations, matched }) as unknown as Report['quality'];
    const binary = report([], [], {
      quality: quality(
        'BinaryClassification',
        {
          accuracy: 0.9,
          precision: 0.8,
          recall: 0.7,
          f1: 0.75,
          auc: null,
          confusionMatrix: { tn: 1, fp: 2, fn: 3, tp: 4 },
        },
        [{ metric_name: 'recall', constraint_check_type: 'LessThanThreshold', description: '' }],
      ),
    });
    const multiclass = report([], [], {
      quality: quality('MulticlassClassification', { accuracy: 0.6, precision_weighted: 0.5, f1_macro: 0.4 }),
    });

    expect(metricsForReport(binary, CONTEXT).model).toEqual([
      value('accuracy', 0.9),
      value('precision', 0.8),
      value('recall', 0.7),
      value('f1', 0.75),
      value('violations', 1, 'Count'),
      value('labels_matched', 40, 'Count'),
    ]);
    expect(metricsForReport(multiclass, CONTEXT).model.map((d) => [d.MetricName, d.Value])).toEqual([
      ['accuracy', 0.6],
      ['weighted_precision', 0.5],
      ['f1_macro', 0.4],
      ['violations', 0],
      ['labels_matched', 40],
    ]);
  });

  it('publishes how many labels matched also before any has (no quality metrics yet)', () => {
    const waiting = report([], [], {
      quality: {
        problemType: 'BinaryClassification',
        metrics: null,
        violations: [],
        matched: 0,
      } as unknown as Report['quality'],
    });

    expect(metricsForReport(waiting, CONTEXT).model).toEqual([value('labels_matched', 0, 'Count')]);
  });

  it('leaves out values CloudWatch refuses and keeps names within its rules', () => {
    const r = report([
      feature('nan', { distance: Number.NaN }),
      feature('inf', { type: 'numeric', metrics: numericMetrics(3, Number.POSITIVE_INFINITY, 0, 1) }),
      feature('tiny', { distance: 1e-200 }),
      feature(`prix €\n${'x'.repeat(300)}`, { distance: 0.2 }),
    ]);

    const names = metricsForReport(r, CONTEXT).data.map((d) => [d.MetricName, d.Value]);

    expect(names.slice(0, 6)).toEqual([
      ['feature_non_null_nan', 1],
      ['feature_baseline_drift_inf', 0.05],
      ['feature_non_null_inf', 1],
      ['feature_baseline_drift_tiny', 0],
      ['feature_non_null_tiny', 1],
      [
        `feature_baseline_drift_prix __${'x'.repeat(255 - 'feature_baseline_drift_prix __'.length - 13)}_${metricNameHash(`feature_baseline_drift_prix €\n${'x'.repeat(300)}`)}`,
        0.2,
      ],
    ]);
  });
});

describe('metrics only for what the baseline knows', () => {
  /** What a report's data metrics come to on the wire: the PutMetricData requests, exactly. */
  async function requestsFor(r: Report) {
    const client = new CloudWatchClient({ region: 'us-east-1' });
    const cw = mockClient(client);
    cw.on(PutMetricDataCommand).resolves({});
    await publishMetrics(client, 'driftwatch/data', metricsForReport(r, CONTEXT).data);
    return cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
  }
  const extra = (name: string) =>
    feature(name, {
      distance: null,
      threshold: null,
      distanceMetric: null,
      monitored: false,
      note: NOT_IN_BASELINE,
    });
  const windowOwn = (unknown: number) => [
    value('unknown_features', unknown, 'Count'),
    value('dataset_drift_share', 0),
    value('violations', 0, 'Count'),
    value('records_profiled', 118, 'Count'),
    value('records_rejected', 2, 'Count'),
    value('run_duration_seconds', 12.5, 'Seconds'),
    value('run_cost_usd', 0.00016),
  ];

  it('publishes no metric of a capture key the baseline does not have, and counts such keys in one', async () => {
    const r = report([
      feature('plan', { distance: 0.05 }),
      extra('x_injected_1'),
      extra('x_injected_2'),
      extra('tenure '),
    ]);

    expect(await requestsFor(r)).toEqual([
      {
        Namespace: 'driftwatch/data',
        MetricData: [
          value('feature_baseline_drift_plan', 0.05),
          value('feature_non_null_plan', 1),
          ...windowOwn(3),
        ],
      },
    ]);
  });

  it('publishes the same metric names whatever keys a window invents (property)', async () => {
    const known = report([feature('plan', { distance: 0.05 })]);
    const names = (r: Report) => metricsForReport(r, CONTEXT).data.map((d) => d.MetricName);
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ unit: 'binary', maxLength: 60 }), { maxLength: 12 }), (keys) => {
        const r = report([...known.features, ...keys.filter((k) => k !== 'plan').map(extra)]);
        expect(names(r)).toEqual(names(known));
      }),
    );
  });

  it('gives two names that read alike once sanitised or cut metrics of their own', async () => {
    const long = 'x'.repeat(240);
    const r = report([
      feature('prix €', { distance: 0.1 }),
      feature('prix £', { distance: 0.2 }),
      feature(`${long}_a`, { distance: 0.3 }),
      feature(`${long}_b`, { distance: 0.4 }),
    ]);
    const drift = (name: string, v: number) => [
      value(metricName(`feature_baseline_drift_${name}`), v),
      value(metricName(`feature_non_null_${name}`), 1),
    ];

    const sent = await requestsFor(r);

    expect(sent).toEqual([
      {
        Namespace: 'driftwatch/data',
        MetricData: [
          ...drift('prix €', 0.1),
          ...drift('prix £', 0.2),
          ...drift(`${long}_a`, 0.3),
          ...drift(`${long}_b`, 0.4),
          ...windowOwn(0),
        ],
      },
    ]);
    const names = sent[0]!.MetricData!.map((d) => d.MetricName!);
    expect(new Set(names).size).toBe(names.length);
    expect(names[0]).toBe(`feature_baseline_drift_prix __${metricNameHash('feature_baseline_drift_prix €')}`);
    for (const n of names) expect(n.length).toBeLessThanOrEqual(255);
  });
});

describe('publishMetrics', () => {
  const datum = (i: number, name = `feature_baseline_drift_f${i}`): MetricDatum => ({
    MetricName: name,
    Dimensions: DIMENSIONS,
    Timestamp: WINDOW_START,
    Value: i / 7,
    Unit: 'None',
  });

  it('sends at most 1,000 metrics per request, in order', async () => {
    const client = new CloudWatchClient({ region: 'us-east-1' });
    const cw = mockClient(client);
    cw.on(PutMetricDataCommand).resolves({});
    const data = Array.from({ length: 2500 }, (_, i) => datum(i));

    const requests = await publishMetrics(client, 'driftwatch/data', data);

    const sent = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
    expect(requests).toBe(3);
    expect(sent.map((r) => [r.Namespace, r.MetricData?.length])).toEqual([
      ['driftwatch/data', 1000],
      ['driftwatch/data', 1000],
      ['driftwatch/data', 500],
    ]);
    expect(sent.flatMap((r) => r.MetricData)).toEqual(data);
  });

  it('keeps each request under 1 MB in either protocol when names are long', async () => {
    const client = new CloudWatchClient({ region: 'us-east-1' });
    const cw = mockClient(client);
    cw.on(PutMetricDataCommand).resolves({});
    // 255-character names of characters that need escaping: the byte limit binds before the count.
    const data = Array.from({ length: 3000 }, (_, i) =>
      datum(i, `feature_data_${String(i).padStart(4, '0')}_${'% '.repeat(200)}`.slice(0, 255)),
    );

    await publishMetrics(client, 'driftwatch/data', data);

    const sent = cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input.MetricData!);
    expect(sent.flat()).toEqual(data);
    expect(sent.length).toBeGreaterThan(3);
    for (const [i, batch] of sent.entries()) {
      expect(batch.length).toBeLessThan(MAX_METRICS_PER_REQUEST);
      expect(jsonBytes('driftwatch/data', batch)).toBeLessThan(ONE_MB);
      expect(queryBytes('driftwatch/data', batch)).toBeLessThan(ONE_MB);
      // Full requests are not needlessly small.
      if (i < sent.length - 1) expect(queryBytes('driftwatch/data', batch)).toBeGreaterThan(0.8 * ONE_MB);
    }
  });

  it('names the request that failed and how many went before it', async () => {
    const client = new CloudWatchClient({ region: 'us-east-1' });
    const cw = mockClient(client);
    cw.on(PutMetricDataCommand).resolvesOnce({}).rejectsOnce(new Error('Internal failure'));
    const data = Array.from({ length: 2001 }, (_, i) => datum(i));

    await expect(publishMetrics(client, 'driftwatch/data', data)).rejects.toThrow(
      'PutMetricData to namespace driftwatch/data failed on request 2 of 3 (1000 metrics; 1 requests before it were sent): Internal failure',
    );
    expect(cw.commandCalls(PutMetricDataCommand)).toHaveLength(2);
  });

  it('estimates no datum smaller than it is in a request, whatever its names (property)', () => {
    const text = fc.string({ unit: 'binary', minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(
        text,
        text,
        fc.double(),
        fc.option(
          fc.record({ SampleCount: fc.nat(), Sum: fc.double(), Minimum: fc.double(), Maximum: fc.double() }),
        ),
        (name, dimension, v, stats) => {
          const d: MetricDatum = {
            MetricName: name,
            Dimensions: [{ Name: 'Endpoint', Value: dimension }],
            Timestamp: WINDOW_START,
            ...(stats ? { StatisticValues: stats } : { Value: v }),
            Unit: 'None',
          };
          const framing = queryBytes('n', []);
          expect(datumBytes(d)).toBeGreaterThanOrEqual(queryBytes('n', [d]) - framing);
          expect(datumBytes(d)).toBeGreaterThanOrEqual(jsonBytes('n', [d]) - jsonBytes('n', []));
        },
      ),
    );
  });

  it('puts nothing in an empty batch list', () => {
    expect(batchMetrics('n', [])).toEqual([]);
  });
});

describe('incompleteWindowMetrics', () => {
  it('is windows_incomplete = 1 at the time given, with the monitor dimensions', () => {
    const at = new Date('2026-12-01T10:04:00Z');

    expect(incompleteWindowMetrics(CONTEXT, at)).toEqual([
      { MetricName: 'windows_incomplete', Dimensions: DIMENSIONS, Timestamp: at, Value: 1, Unit: 'Count' },
    ]);
  });
});
