// The monitor Lambda end to end: capture and baseline in s3rver, CloudWatch and SNS mocked,
// the clock fixed. What reaches S3, CloudWatch and SNS is asserted exactly.
import { CloudWatchClient, type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FeatureDrift, Report } from '../../functions/engine/report-model.ts';
import { handler } from '../../functions/handlers/monitor.ts';
import type { MonitorRuntimeConfig } from '../../functions/handlers/monitor-config.ts';
import { type MonitorDeps, runMonitor } from '../../functions/pipeline/monitor-run.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';
import {
  BASELINE_URI,
  backfillObjects,
  CAPTURE_URI,
  type CapturedRecord,
  DATA_BUCKET,
  ENDPOINT,
  REPORTS_BUCKET,
  recordsIn,
  scheduledHourObjects,
  writeWorld,
} from './monitor-fixture.ts';

const SCHEDULE = 'churn-xgb-hourly';
const DATA_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:driftwatch-churn-xgb';
const PRICE = 0.0000133334;

const scheduled = scheduledHourObjects();
const backfill = backfillObjects();
let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3([DATA_BUCKET, REPORTS_BUCKET]);
  await writeWorld(s3.client, [...scheduled, ...backfill]);
});
afterAll(async () => {
  await s3?.stop();
});

function config(reportsPrefix: string): MonitorRuntimeConfig {
  return {
    endpoint: ENDPOINT,
    variants: ['AllTraffic', 'Canary'],
    scheduleName: SCHEDULE,
    captureUri: CAPTURE_URI,
    baselineUri: BASELINE_URI,
    reportsBucket: REPORTS_BUCKET,
    reportsPrefix,
    dataMetricsNamespace: DATA_NAMESPACE,
    modelMetricsNamespace: 'aws/sagemaker/Endpoints/model-metrics',
    topicArn: TOPIC,
  };
}

/** Fakes for one run: CloudWatch and SNS mocked, a clock starting at `startIso` that moves 1.5 s per reading. */
function fakes(reportsPrefix: string, startIso: string) {
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
  const sns = new SNSClient({ region: 'us-east-1' });
  const cw = mockClient(cloudwatch);
  cw.on(PutMetricDataCommand).resolves({});
  const topic = mockClient(sns);
  topic.on(PublishCommand).resolves({ MessageId: 'message-1' });
  let clock = Date.parse(startIso);
  const logs: string[] = [];
  const deps: MonitorDeps = {
    config: config(reportsPrefix),
    s3: s3.client,
    cloudwatch,
    sns,
    memoryMb: 1024,
    now: () => {
      const t = new Date(clock);
      clock += 1500;
      return t;
    },
    log: (line) => logs.push(line),
  };
  const metricRequests = () => cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input);
  const publishes = () => topic.commandCalls(PublishCommand).map((c) => c.args[0].input);
  return { deps, metricRequests, publishes, logs };
}

/** Every key under a reports prefix, and the text of each. */
async function reportObjects(reportsPrefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const listing = await s3.client.send(
    new ListObjectsV2Command({ Bucket: REPORTS_BUCKET, Prefix: `${reportsPrefix}/` }),
  );
  for (const o of listing.Contents ?? []) {
    const res = await s3.client.send(new GetObjectCommand({ Bucket: REPORTS_BUCKET, Key: o.Key! }));
    out.set(o.Key!.slice(reportsPrefix.length + 1), await res.Body!.transformToString());
  }
  return out;
}

const dims = [
  { Name: 'Endpoint', Value: ENDPOINT },
  { Name: 'MonitoringSchedule', Value: SCHEDULE },
];

/** The statistic set SageMaker publishes as feature_data_NAME, computed from the records. */
function statisticSet(values: number[]) {
  return {
    SampleCount: values.length,
    Sum: expect.closeTo(
      values.reduce((s, v) => s + v, 0),
      6,
    ),
    Minimum: Math.min(...values),
    Maximum: Math.max(...values),
  };
}

function expectedMetrics(report: Report, records: CapturedRecord[], timestamp: Date, violations: number) {
  const feature = (name: string) => report.features.find((f) => f.name === name) as FeatureDrift;
  const datum = (MetricName: string, Value: number, Unit = 'None'): MetricDatum => ({
    MetricName,
    Dimensions: dims,
    Timestamp: timestamp,
    Value,
    Unit: Unit as MetricDatum['Unit'],
  });
  const data = (MetricName: string, values: number[]) => ({
    MetricName,
    Dimensions: dims,
    Timestamp: timestamp,
    StatisticValues: statisticSet(values),
    Unit: 'None',
  });
  const tenures = records.flatMap((r) => (r.tenure === null ? [] : [r.tenure]));
  return [
    datum('feature_baseline_drift_tenure', 0),
    datum('feature_non_null_tenure', tenures.length / records.length),
    data('feature_data_tenure', tenures),
    datum('feature_baseline_drift_charges', feature('charges').distance!),
    datum('feature_non_null_charges', 1),
    data(
      'feature_data_charges',
      records.map((r) => r.charges),
    ),
    datum('feature_baseline_drift_plan', feature('plan').distance!),
    datum('feature_non_null_plan', 1),
    datum('feature_baseline_drift_score', 0),
    datum('feature_non_null_score', 1),
    data(
      'feature_data_score',
      records.map((r) => r.score),
    ),
    datum('dataset_drift_share', report.datasetDrift.share),
    datum('violations', violations, 'Count'),
    datum('records_profiled', records.length, 'Count'),
    datum('records_rejected', report.records.rejected, 'Count'),
    datum('run_duration_seconds', 1.5, 'Seconds'),
    datum('run_cost_usd', (1024 / 1024) * 1.5 * PRICE),
  ];
}

const withoutGeneratedAt = (json: string) => json.replace(/"generatedAt": "[^"]*"/, '"generatedAt": "-"');

describe('the monitor Lambda', () => {
  it('profiles the last complete hour of two variants (1,104 objects) and sends one summary, also when re-run', async () => {
    const hour = '2026/11/26/05/';
    const folder = `reports/${ENDPOINT}/${SCHEDULE}/${hour}`;
    const location = `s3://${REPORTS_BUCKET}/scheduled/${folder}`;
    const inWindow = recordsIn(scheduled, '2026-11-26T05:00:00Z', '2026-11-26T06:00:00Z');
    const first = fakes('scheduled', '2026-11-26T06:10:00Z');

    const result = await runMonitor(first.deps, {});

    expect(result).toEqual({
      endpoint: ENDPOINT,
      scheduleName: SCHEDULE,
      windows: [
        {
          start: '2026-11-26T05:00:00.000Z',
          end: '2026-11-26T06:00:00.000Z',
          objects: 1104,
          records: { total: 3305, profiled: 3304, rejected: 1 },
          driftedFeatures: 2,
          violations: 3,
          reportLocation: location,
          metricRequests: 1,
          summary: 'sent',
          seconds: 1.5,
        },
      ],
    });
    expect(inWindow).toHaveLength(3304);

    const written = await reportObjects('scheduled');
    expect([...written.keys()]).toEqual(
      [
        'constraint_violations.json',
        'report.html',
        'report.json',
        'statistics.json',
        'summary-sent.json',
      ].map((f) => `${folder}${f}`),
    );
    const report = JSON.parse(written.get(`${folder}report.json`)!) as Report;
    expect(report).toMatchObject({
      window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-26T06:00:00.000Z' },
      generatedAt: '2026-11-26T06:10:01.500Z',
      records: { total: 3305, profiled: 3304, rejected: 1, rejectedByReason: { invalid_json: 1 } },
      datasetDrift: { monitoredFeatures: 4, driftedFeatures: 2, share: 0.5, threshold: 0.5, detected: true },
      baseline: { source: 'driftwatch', path: `${BASELINE_URI}/` },
    });
    expect(report.features.map((f) => [f.name, f.drifted])).toEqual([
      ['tenure', false],
      ['charges', true],
      ['plan', true],
      ['score', false],
    ]);
    expect(report.violations.map((v) => [v.feature_name, v.constraint_check_type])).toEqual([
      ['tenure', 'completeness_check'],
      ['charges', 'baseline_drift_check'],
      ['plan', 'baseline_drift_check'],
    ]);
    expect(JSON.parse(written.get(`${folder}constraint_violations.json`)!)).toEqual({
      violations: report.violations,
    });
    expect(written.get(`${folder}report.html`)).toContain(
      '<title>driftwatch report: churn-xgb 2026-11-26 05:00 UTC</title>',
    );

    expect(first.metricRequests()).toEqual([
      {
        Namespace: DATA_NAMESPACE,
        MetricData: expectedMetrics(report, inWindow, new Date('2026-11-26T05:00:00Z'), 3),
      },
    ]);
    expect(first.publishes()).toEqual([
      {
        TopicArn: TOPIC,
        Subject: 'driftwatch: churn-xgb 2026-11-26 05:00 UTC: 2 features drifted, 1 other violation',
        Message: [
          'driftwatch found violations on endpoint churn-xgb (schedule churn-xgb-hourly) in the window 2026-11-26T05:00:00.000Z to 2026-11-26T06:00:00.000Z.',
          '',
          'Dataset drift: detected: 2 of 4 monitored features drifted (share 0.5; drift from 0.5).',
          '',
          'Drifted features:',
          '  "charges": distance 0.9201 (linfRobust), threshold 0.1',
          '  "plan": distance 0.7201 (linfRobust), threshold 0.1',
          '',
          'Other violations: 1',
          '  completeness_check: 1',
          '',
          'Records: 3305 read, 3304 profiled, 1 rejected.',
          '',
          `Report: ${location}report.html`,
          `Violations: ${location}constraint_violations.json`,
          '',
        ].join('\n'),
        MessageAttributes: {
          'driftwatch.kind': { DataType: 'String', StringValue: 'window-summary' },
          'driftwatch.endpoint': { DataType: 'String', StringValue: ENDPOINT },
          'driftwatch.schedule': { DataType: 'String', StringValue: SCHEDULE },
          'driftwatch.windowStart': { DataType: 'String', StringValue: '2026-11-26T05:00:00.000Z' },
          'driftwatch.windowEnd': { DataType: 'String', StringValue: '2026-11-26T06:00:00.000Z' },
          'driftwatch.report': { DataType: 'String', StringValue: location },
          'driftwatch.datasetDrift': { DataType: 'String', StringValue: 'true' },
          'driftwatch.qualityViolations': { DataType: 'Number', StringValue: '0' },
        },
      },
    ]);
    expect(first.logs.map((l) => JSON.parse(l))).toEqual([
      {
        level: 'info',
        message: 'window monitored',
        endpoint: ENDPOINT,
        schedule: SCHEDULE,
        window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-26T06:00:00.000Z' },
        objects: 1104,
        records: { total: 3305, profiled: 3304, rejected: 1 },
        driftedFeatures: 2,
        violations: 3,
        durationSeconds: 1.5,
        metricRequests: 1,
        summary: 'sent',
        report: location,
      },
    ]);

    // The same window again, ten minutes later: the same files and metrics, no second summary.
    const again = fakes('scheduled', '2026-11-26T06:20:00Z');

    const rerun = await runMonitor(again.deps, {});

    expect(rerun.windows[0]?.summary).toBe('already-sent');
    expect(again.publishes()).toEqual([]);
    expect(again.metricRequests()).toEqual(first.metricRequests());
    const rewritten = await reportObjects('scheduled');
    expect([...rewritten.keys()]).toEqual([...written.keys()]);
    for (const [key, body] of written) {
      if (key.endsWith('report.json')) {
        expect(JSON.parse(rewritten.get(key)!).generatedAt).toBe('2026-11-26T06:20:01.500Z');
        expect(withoutGeneratedAt(rewritten.get(key)!)).toBe(withoutGeneratedAt(body));
      } else expect(rewritten.get(key), key).toBe(body);
    }
  });

  it('backfills {endpoint, start, end} hour by hour, each window timestamped at its start', async () => {
    const { deps, metricRequests, publishes, logs } = fakes('backfill', '2026-11-26T06:10:00Z');

    const result = await runMonitor(deps, {
      endpoint: ENDPOINT,
      start: '2026-11-25T10:00:00Z',
      end: '2026-11-25T12:00:00Z',
    });

    // Hour 10 also lists folder 11 (late files), whose records all fall outside it.
    expect(
      result.windows.map((w) => [w.start, w.objects, w.records.profiled, w.driftedFeatures, w.summary]),
    ).toEqual([
      ['2026-11-25T10:00:00.000Z', 25, 30, 0, 'no-violations'],
      ['2026-11-25T11:00:00.000Z', 16, 46, 2, 'sent'],
    ]);
    const written = await reportObjects('backfill');
    const base = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/25/`;
    expect([...written.keys()]).toEqual([
      ...['constraint_violations.json', 'report.html', 'report.json', 'statistics.json'].map(
        (f) => `${base}10/${f}`,
      ),
      ...[
        'constraint_violations.json',
        'report.html',
        'report.json',
        'statistics.json',
        'summary-sent.json',
      ].map((f) => `${base}11/${f}`),
    ]);
    const requests = metricRequests();
    expect(requests).toHaveLength(2);
    for (const [i, hour] of ['10', '11'].entries()) {
      const report = JSON.parse(written.get(`${base}${hour}/report.json`)!) as Report;
      const start = `2026-11-25T${hour}:00:00Z`;
      const records = recordsIn(backfill, start, `2026-11-25T${Number(hour) + 1}:00:00Z`);
      expect(requests[i]).toEqual({
        Namespace: DATA_NAMESPACE,
        MetricData: expectedMetrics(report, records, new Date(start), report.violations.length),
      });
    }
    expect(publishes()).toEqual([
      expect.objectContaining({
        TopicArn: TOPIC,
        Subject: 'driftwatch: churn-xgb 2026-11-25 11:00 UTC: 2 features drifted',
      }),
    ]);
    expect(logs.map((l) => JSON.parse(l).window.start)).toEqual([
      '2026-11-25T10:00:00.000Z',
      '2026-11-25T11:00:00.000Z',
    ]);
  });

  it('writes the reports of a window older than two weeks but publishes no metrics (CloudWatch would refuse them)', async () => {
    const { deps, metricRequests, logs } = fakes('old', '2026-12-20T00:10:00Z');

    const result = await runMonitor(deps, {
      endpoint: ENDPOINT,
      start: '2026-11-25T10:00:00Z',
      end: '2026-11-25T11:00:00Z',
    });

    expect(result.windows.map((w) => [w.start, w.metricRequests])).toEqual([['2026-11-25T10:00:00.000Z', 0]]);
    expect(metricRequests()).toEqual([]);
    expect([...(await reportObjects('old')).keys()]).toHaveLength(4);
    expect(JSON.parse(logs[0]!).metricsSkipped).toMatch(/older than CloudWatch takes/);
  });

  it('fails a window whose capture cannot be read, before publishing or writing anything of it', async () => {
    const { deps, metricRequests, publishes } = fakes('failing', '2026-11-26T06:10:00Z');
    const client = s3.newClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const key = (args.input as { Key?: string }).Key ?? '';
        if (context.commandName === 'GetObjectCommand' && key.includes('/Canary/2026/11/25/11/0003'))
          throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        return next(args);
      },
      { step: 'initialize' },
    );
    deps.s3 = client;

    await expect(
      runMonitor(deps, { endpoint: ENDPOINT, start: '2026-11-25T11:00:00Z', end: '2026-11-25T12:00:00Z' }),
    ).rejects.toThrow('socket hang up');
    client.destroy();

    expect(metricRequests()).toEqual([]);
    expect(publishes()).toEqual([]);
    expect((await reportObjects('failing')).size).toBe(0);
  });

  it('names the field when MONITOR_CONFIG is wrong', async () => {
    vi.stubEnv('MONITOR_CONFIG', JSON.stringify({ ...config('x'), variants: [] }));
    try {
      await expect(handler({}, { memoryLimitInMB: '1024' })).rejects.toThrow(
        'MONITOR_CONFIG.variants must be a non-empty list of variant names, e.g. ["AllTraffic"]; got []',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});
