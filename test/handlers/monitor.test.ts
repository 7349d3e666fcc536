import { type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import type { FeatureDrift } from '../../functions/engine/drift/compare.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { handler } from '../../functions/handlers/monitor.ts';
import { runMonitor } from '../../functions/pipeline/monitor-run.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';
import {
  DATA_NAMESPACE,
  MODEL_NAMESPACE,
  MONITOR_ROLE,
  monitorConfig,
  monitorFakes,
  monitorRole,
  SCHEDULE,
  TOPIC,
} from '../support/monitor-fakes.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';
import {
  BASELINE_URI,
  backfillObjects,
  CAPTURE_URI,
  type CapturedRecord,
  DATA_BUCKET,
  ENDPOINT,
  GROUND_TRUTH_URI,
  type LabelledRecord,
  labelFile,
  putObjects,
  QUALITY_HOUR,
  qualityHourObjects,
  REPORTS_BUCKET,
  recordsIn,
  scheduledHourObjects,
  uploadQualityBaseline as uploadQualityBaselineTo,
  writeWorld,
} from './monitor-fixture.ts';

/** The endpoint's index.html, under a reports prefix. */
const INDEX = `reports/${ENDPOINT}/${SCHEDULE}/index.html`;
const PRICE = 0.0000133334;

const scheduled = scheduledHourObjects();
const backfill = backfillObjects();
let s3: LocalS3;

beforeAll(async () => {
  // The runs' requests are answered as S3 answers the monitor role (no ListBucket outside its
  // prefixes: a GET of a missing key is 403); the tests set up and read back as s3rver's owner.
  s3 = await startLocalS3([DATA_BUCKET, REPORTS_BUCKET], {
    principals: {
      [MONITOR_ROLE]: monitorRole({
        baselines: [`baselines/${ENDPOINT}`, `baselines/${ENDPOINT}-quality`, SAGEMAKER_BASELINE_KEYS],
        labels: ['ground-truth-late', 'ground-truth-rerun', 'ground-truth-sagemaker'],
      }),
    },
  });
  await writeWorld(s3.client, [...scheduled, ...backfill]);
});
afterAll(async () => {
  await s3?.stop();
});

function config(reportsPrefix: string): MonitorRuntimeConfig {
  return monitorConfig(reportsPrefix);
}

/** Fakes for one run: CloudWatch and SNS mocked, a clock starting at `startIso` that moves 1.5 s per reading. */
function fakes(reportsPrefix: string, startIso: string, over: Partial<MonitorRuntimeConfig> = {}) {
  const { deps, metricRequests, publishes, logs } = monitorFakes(
    s3.clientAs(MONITOR_ROLE),
    monitorConfig(reportsPrefix, over),
    startIso,
  );
  return { deps, metricRequests, publishes, logs };
}

/** Every key under a reports prefix, and the text of each. */
/** The objects under `PREFIX/reports/` (`history: true`: under `PREFIX/history/`), by key below PREFIX. */
async function reportObjects(reportsPrefix: string, history = false): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const listing = await s3.client.send(
    new ListObjectsV2Command({
      Bucket: REPORTS_BUCKET,
      Prefix: `${reportsPrefix}/${history ? 'history' : 'reports'}/`,
    }),
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
    datum('unknown_features', 0, 'Count'),
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
      index: { location: `s3://${REPORTS_BUCKET}/scheduled/${INDEX}`, windows: 1 },
    });
    expect(inWindow).toHaveLength(3304);

    const written = await reportObjects('scheduled');
    expect([...written.keys()]).toEqual([
      ...[
        'constraint_violations.json',
        'report.html',
        'report.json',
        'statistics.json',
        'summary-sent.json',
      ].map((f) => `${folder}${f}`),
      INDEX,
    ]);
    expect(written.get(INDEX)).toContain('href="2026/11/26/05/report.html"');
    // The window's history lines, beside the reports, where the Glue tables read them.
    const history = await reportObjects('scheduled', true);
    const partition = `endpoint=${ENDPOINT}/schedule=${SCHEDULE}/dt=2026-11-26/05.jsonl`;
    expect([...history.keys()]).toEqual([`history/features/${partition}`, `history/windows/${partition}`]);
    const windowLine = JSON.parse(history.get(`history/windows/${partition}`)!.trim());
    expect(windowLine).toMatchObject({
      window_start: '2026-11-26 05:00:00.000',
      records_profiled: 3304,
      violations: 3,
    });
    expect(history.get(`history/features/${partition}`)!.trim().split('\n')).toHaveLength(
      JSON.parse(written.get(`${folder}report.json`)!).features.length,
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
      INDEX,
    ]);
    // The index is rebuilt once, after the run, over both windows, linked relative to itself.
    expect(result.index).toEqual({ location: `s3://${REPORTS_BUCKET}/backfill/${INDEX}`, windows: 2 });
    expect(written.get(INDEX)).toContain('href="2026/11/25/10/report.html"');
    expect(written.get(INDEX)).toContain('href="2026/11/25/11/report.html"');
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
    expect([...(await reportObjects('old')).keys()]).toHaveLength(5);
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

  it('a PutMetricData failure fails the run after the reports are written; the retry publishes and sends one summary', async () => {
    const { deps } = fakes('metrics-fail', '2026-11-26T06:10:00Z');
    const event = { endpoint: ENDPOINT, start: '2026-11-25T11:00:00Z', end: '2026-11-25T12:00:00Z' };
    // Fresh mocks of the same clients, to fail them and count their calls.
    const cw = mockClient(deps.cloudwatch);
    const topic = mockClient(deps.sns);
    topic.on(PublishCommand).resolves({ MessageId: 'message-1' });
    const publishes = () => topic.commandCalls(PublishCommand);
    cw.on(PutMetricDataCommand).rejects(
      Object.assign(new Error('Internal failure'), { name: 'InternalServiceFault' }),
    );

    await expect(runMonitor(deps, event)).rejects.toThrow('Internal failure');
    const written = await reportObjects('metrics-fail');
    const folder = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/25/11/`;
    expect(written.has(`${folder}report.json`)).toBe(true);
    expect(written.has(`${folder}summary-sent.json`)).toBe(false);
    expect(publishes()).toEqual([]);

    cw.on(PutMetricDataCommand).resolves({});
    const retry = await runMonitor(deps, event);

    expect(retry.windows.map((w) => w.summary)).toEqual(['sent']);
    expect(cw.commandCalls(PutMetricDataCommand).length).toBeGreaterThan(1);
    expect(publishes()).toHaveLength(1);
  });

  it('an SNS failure marks the summary failed and fails the run; the retry sends it, once', async () => {
    const { deps } = fakes('sns-fail', '2026-11-26T06:10:00Z');
    const event = { endpoint: ENDPOINT, start: '2026-11-25T11:00:00Z', end: '2026-11-25T12:00:00Z' };
    const topic = mockClient(deps.sns);
    const publishes = () => topic.commandCalls(PublishCommand).map((c) => c.args[0].input);
    topic
      .on(PublishCommand)
      .rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException' }));

    await expect(runMonitor(deps, event)).rejects.toThrow('Service unavailable');
    const marker = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/25/11/summary-sent.json`;
    expect(JSON.parse((await reportObjects('sns-fail')).get(marker)!).state).toBe('failed');

    topic.on(PublishCommand).resolves({ MessageId: 'message-2' });
    const retry = await runMonitor(deps, event);
    const again = await runMonitor(deps, event);

    expect(retry.windows.map((w) => w.summary)).toEqual(['sent']);
    expect(again.windows.map((w) => w.summary)).toEqual(['already-sent']);
    expect(JSON.parse((await reportObjects('sns-fail')).get(marker)!).state).toBe('sending');
    expect(publishes().filter((p) => p.Subject?.includes('2026-11-25 11:00'))).toHaveLength(2);
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

/** The test's own oracle: confusion counts, accuracy, precision, recall, F1 and ROC AUC at threshold 0.5. */
function binaryOracle(records: readonly LabelledRecord[]) {
  const positive = (r: LabelledRecord) => r.score >= 0.5;
  const tp = records.filter((r) => positive(r) && r.label === 1).length;
  const fp = records.filter((r) => positive(r) && r.label === 0).length;
  const fn = records.filter((r) => !positive(r) && r.label === 1).length;
  const tn = records.length - tp - fp - fn;
  const precision = tp / (tp + fp);
  const recall = tp / (tp + fn);
  let wins = 0;
  const labelled = (l: 0 | 1) => records.filter((r) => r.label === l);
  for (const p of labelled(1))
    for (const n of labelled(0)) wins += p.score > n.score ? 1 : p.score === n.score ? 0.5 : 0;
  return {
    tp,
    fp,
    fn,
    tn,
    accuracy: (tp + tn) / records.length,
    precision,
    recall,
    f1: (2 * precision * recall) / (precision + recall),
    auc: wins / (labelled(1).length * labelled(0).length),
  };
}

const QUALITY_BASELINE_URI = `s3://${DATA_BUCKET}/baselines/${ENDPOINT}-quality`;
/** A baseline as SageMaker's baselining job leaves it: statistics.json and constraints.json, no model-quality/. */
const SAGEMAKER_BASELINE_KEYS = `baselines/${ENDPOINT}-sagemaker`;

const uploadQualityBaseline = () => uploadQualityBaselineTo(s3.client, QUALITY_BASELINE_URI);

describe('the monitor Lambda with ground truth', () => {
  const { objects, records } = qualityHourObjects();
  const hourFolder = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/24/08/`;
  const windowStart = new Date(QUALITY_HOUR);
  /** Labels collected in H+1: records 0 to 11 and one id of no prediction of the window. */
  const firstLabels = labelFile('2026-11-24T09:00:00Z', [
    ...records.slice(0, 12),
    { id: 'an-id-of-another-hour', label: 1 },
  ]);
  /** Labels collected in H+2: records 12 to 23. Records 24 to 29 are never labelled in the look-back. */
  const secondLabels = labelFile('2026-11-24T10:00:00Z', records.slice(12, 24));
  /** A label of record 29 collected 26 h after the window: past the 24 h look-back, never read. */
  const tooLate = labelFile('2026-11-25T10:00:00Z', records.slice(29));
  const quality = (groundTruthUri: string): Partial<MonitorRuntimeConfig> => ({
    variants: ['AllTraffic'],
    baselineUri: QUALITY_BASELINE_URI,
    groundTruthUri,
    problemType: 'BinaryClassification',
  });

  beforeAll(async () => {
    await putObjects(s3.client, CAPTURE_URI, objects);
    expect(await uploadQualityBaseline()).toEqual([
      'baseline.json',
      'constraints.json',
      'model-quality/constraints.json',
      'model-quality/quality-baseline.json',
      'model-quality/statistics.json',
      'multivariate.json',
      'statistics.json',
    ]);
  });

  it('computes the hour with the labels in so far, then all of them when backfilled; publishes quality under SageMaker names', async () => {
    const labels = `${GROUND_TRUTH_URI}-late`;
    await putObjects(s3.client, labels, [firstLabels, tooLate]);
    const scheduled = fakes('quality', '2026-11-24T09:10:00Z', quality(labels));

    // The scheduled run ten minutes after the hour: only H+1's labels are in.
    const early = await runMonitor(scheduled.deps, {});

    expect(early.windows.map((w) => [w.start, w.objects, w.labelsMatched, w.summary])).toEqual([
      ['2026-11-24T08:00:00.000Z', 10, 12, 'sent'],
    ]);
    const earlyReport = JSON.parse(
      (await reportObjects('quality')).get(`${hourFolder}report.json`)!,
    ) as Report;
    expect(earlyReport.quality).toMatchObject({
      matched: 12,
      unmatchedPredictions: 18,
      unmatchedLabels: 1,
      join: { labelFiles: 1, labels: 13, rows: 30 },
    });
    // The estimate comes from all 30 scores, labelled or not.
    expect(earlyReport.quality?.estimated).toMatchObject({ method: 'confidence-based', count: 30 });

    // H+2's labels arrive; a backfill of the hour two days later joins them too.
    await putObjects(s3.client, labels, [secondLabels]);
    const backfill = fakes('quality', '2026-11-26T06:10:00Z', quality(labels));

    const later = await runMonitor(backfill.deps, {
      endpoint: ENDPOINT,
      start: '2026-11-24T08:00:00Z',
      end: '2026-11-24T09:00:00Z',
    });

    expect(later.windows.map((w) => [w.labelsMatched, w.summary])).toEqual([[24, 'already-sent']]);
    expect(backfill.publishes()).toEqual([]);
    const written = await reportObjects('quality');
    expect([...written.keys()]).toEqual([
      ...[
        'constraint_violations.json',
        'model_quality_constraint_violations.json',
        'model_quality_statistics.json',
        'report.html',
        'report.json',
        'statistics.json',
        'summary-sent.json',
      ].map((f) => `${hourFolder}${f}`),
      INDEX,
    ]);
    const report = JSON.parse(written.get(`${hourFolder}report.json`)!) as Report;
    const oracle = binaryOracle(records.slice(0, 24));
    expect(oracle).toMatchObject({ tp: 8, fp: 3, fn: 2, tn: 11 });
    expect(report.quality).toMatchObject({
      problemType: 'BinaryClassification',
      threshold: 0.5,
      matched: 24,
      unmatchedPredictions: 6,
      unmatchedLabels: 1,
      duplicateLabels: 0,
      metrics: { confusionMatrix: { tp: 8, fp: 3, fn: 2, tn: 11 } },
      join: {
        labelHours: { start: '2026-11-24T08:00:00.000Z', end: '2026-11-25T09:00:00.000Z' },
        lookbackHours: 24,
        labelFiles: 2,
        labels: 25,
        rows: 30,
      },
    });
    const qualityViolations = JSON.parse(
      written.get(`${hourFolder}model_quality_constraint_violations.json`)!,
    );
    // The window does better than the training set the constraints were suggested from.
    expect(qualityViolations).toEqual({ violations: [] });
    expect(report.quality?.violations).toEqual([]);
    const statistics = JSON.parse(written.get(`${hourFolder}model_quality_statistics.json`)!);
    expect(statistics).toMatchObject({
      dataset: {
        item_count: 24,
        start_time: '2026-11-24T08:00:00.000Z',
        end_time: '2026-11-24T09:00:00.000Z',
        evaluation_time: report.generatedAt,
      },
      binary_classification_metrics: {
        accuracy: { value: oracle.accuracy },
        confusion_matrix: { '0': { '0': 11, '1': 3 }, '1': { '0': 2, '1': 8 } },
      },
    });

    const requests = backfill.metricRequests();
    expect(requests.map((r) => r.Namespace)).toEqual([DATA_NAMESPACE, MODEL_NAMESPACE]);
    const datum = (MetricName: string, Value: unknown, Unit = 'None') => ({
      MetricName,
      Dimensions: dims,
      Timestamp: windowStart,
      Value,
      Unit,
    });
    expect(requests[1]).toEqual({
      Namespace: MODEL_NAMESPACE,
      MetricData: [
        datum('accuracy', oracle.accuracy),
        datum('precision', expect.closeTo(oracle.precision, 12)),
        datum('recall', expect.closeTo(oracle.recall, 12)),
        datum('f1', expect.closeTo(oracle.f1, 12)),
        datum('auc', expect.closeTo(oracle.auc, 12)),
        datum('violations', 0, 'Count'),
        datum('labels_matched', 24, 'Count'),
      ],
    });
    // The scheduled run published the same names for the labels it had.
    expect(scheduled.metricRequests()[1]?.MetricData?.at(-1)).toEqual(datum('labels_matched', 12, 'Count'));
    expect(JSON.parse(backfill.logs[0]!).quality).toEqual({
      matched: 24,
      unmatchedPredictions: 6,
      violations: 0,
    });
  });

  it('with a baseline SageMaker made (no model-quality files), computes quality without constraints', async () => {
    // SageMaker's baselining job leaves statistics.json and constraints.json, and no model-quality/:
    // the monitor role may list the folder but a GET of a missing file answers 403, not 404.
    const sagemakerBaseline = new S3Store(s3.client, `s3://${DATA_BUCKET}/${SAGEMAKER_BASELINE_KEYS}/`);
    const built = new S3Store(s3.client, BASELINE_URI);
    for (const file of ['statistics.json', 'constraints.json'])
      await sagemakerBaseline.putText(file, (await built.getText(file))!, 'application/json');
    const labels = `s3://${DATA_BUCKET}/ground-truth-sagemaker`;
    await putObjects(s3.client, labels, [firstLabels, secondLabels]);
    const run = fakes('quality-sagemaker', '2026-11-26T06:10:00Z', {
      ...quality(labels),
      baselineUri: sagemakerBaseline.location,
    });

    const result = await runMonitor(run.deps, {
      endpoint: ENDPOINT,
      start: '2026-11-24T08:00:00Z',
      end: '2026-11-24T09:00:00Z',
    });

    expect(result.windows.map((w) => [w.start, w.labelsMatched])).toEqual([['2026-11-24T08:00:00.000Z', 24]]);
    const report = JSON.parse(
      (await reportObjects('quality-sagemaker')).get(`${hourFolder}report.json`)!,
    ) as Report;
    expect(report.quality).toMatchObject({
      problemType: 'BinaryClassification',
      threshold: 0.5,
      matched: 24,
      metrics: { confusionMatrix: { tp: 8, fp: 3, fn: 2, tn: 11 } },
      violations: [],
    });
  });

  it('re-running a window with quality writes the same files but for the run time, and sends no second summary', async () => {
    const labels = `${GROUND_TRUTH_URI}-rerun`;
    await putObjects(s3.client, labels, [firstLabels, secondLabels]);
    const event = { endpoint: ENDPOINT, start: '2026-11-24T08:00:00Z', end: '2026-11-24T09:00:00Z' };
    const first = fakes('quality-rerun', '2026-11-26T06:10:00Z', quality(labels));
    await runMonitor(first.deps, event);
    const written = await reportObjects('quality-rerun');
    const again = fakes('quality-rerun', '2026-11-26T07:40:00Z', quality(labels));

    const rerun = await runMonitor(again.deps, event);

    expect(first.publishes()).toHaveLength(1);
    expect(rerun.windows.map((w) => w.summary)).toEqual(['already-sent']);
    expect(again.publishes()).toEqual([]);
    expect(again.metricRequests()).toEqual(first.metricRequests());
    const rewritten = await reportObjects('quality-rerun');
    expect([...rewritten.keys()]).toEqual([...written.keys()]);
    expect([...written.keys()]).toContain(`${hourFolder}model_quality_statistics.json`);
    // The run's time is in report.json's generatedAt and the statistics' evaluation_time only.
    const runTime = (json: string) => json.replace(/"(generatedAt|evaluation_time)": "[^"]*"/g, '"$1": "-"');
    expect(
      JSON.parse(rewritten.get(`${hourFolder}model_quality_statistics.json`)!).dataset.evaluation_time,
    ).toBe('2026-11-26T07:40:01.500Z');
    for (const [key, body] of written) {
      if (key.endsWith('.json')) expect(runTime(rewritten.get(key)!), key).toBe(runTime(body));
      else expect(rewritten.get(key), key).toBe(body);
    }
  });
});

/** A remaining-time clock with plenty of time until it has been asked `checks` times, then 30 s. */
function runsOutAfter(checks: number): () => number {
  let asked = 0;
  return () => (++asked >= checks ? 30_000 : 600_000);
}

describe('the monitor Lambda near its deadline', () => {
  const backfillEvent = { endpoint: ENDPOINT, start: '2026-11-25T10:00:00Z', end: '2026-11-25T12:00:00Z' };
  const incompleteDatum = (at: string) => ({
    MetricName: 'windows_incomplete',
    Dimensions: dims,
    Timestamp: new Date(at),
    Value: 1,
    Unit: 'Count',
  });

  it('stops between capture objects, writes the partial report as incomplete, publishes only windows_incomplete and lists the hours left', async () => {
    const { deps, metricRequests, publishes, logs } = fakes('deadline', '2026-11-26T06:10:00Z');
    // Asked between objects: the fifth check comes after five objects are read.
    deps.remainingMs = runsOutAfter(5);

    const result = await runMonitor(deps, backfillEvent);

    const folder = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/25/10/`;
    const incomplete = {
      objectsRead: 5,
      objectsTotal: 25,
      reason: "the function's remaining time fell below its 45 s safety margin",
    };
    expect(result.windows).toEqual([
      expect.objectContaining({
        start: '2026-11-25T10:00:00.000Z',
        objects: 5,
        records: { total: 15, profiled: 15, rejected: 0 },
        summary: 'incomplete',
        metricRequests: 1,
        incomplete,
      }),
    ]);
    expect(result.hoursLeft).toEqual({
      hours: ['2026-11-25T10:00:00.000Z', '2026-11-25T11:00:00.000Z'],
      resend: { endpoint: ENDPOINT, start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T12:00:00.000Z' },
    });
    expect(result.index).toBeUndefined();
    const written = await reportObjects('deadline');
    // The window's files only: no summary marker, hour 11 not started, the index not rebuilt.
    expect([...written.keys()]).toEqual(
      ['constraint_violations.json', 'report.html', 'report.json', 'statistics.json'].map(
        (f) => `${folder}${f}`,
      ),
    );
    const report = JSON.parse(written.get(`${folder}report.json`)!) as Report;
    expect(report).toMatchObject({ complete: false, incomplete, records: { total: 15, profiled: 15 } });
    expect(report.warnings.at(-1)).toMatch(/^Incomplete window: 5 of 25 capture objects were read/);
    expect(written.get(`${folder}report.html`)).toContain('Incomplete window: 5 of 25');
    // Timestamped at the run (the clock's third reading), not at the window.
    expect(metricRequests()).toEqual([
      { Namespace: DATA_NAMESPACE, MetricData: [incompleteDatum('2026-11-26T06:10:03Z')] },
    ]);
    expect(publishes()).toEqual([]);
    expect(logs.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        level: 'warn',
        message:
          'window incomplete: stopped before the deadline; no metrics but windows_incomplete, no summary',
        window: { start: '2026-11-25T10:00:00.000Z', end: '2026-11-25T11:00:00.000Z' },
        incomplete,
        summary: 'incomplete',
      }),
      {
        level: 'warn',
        message: 'run stopped before its deadline; resend the hours left',
        endpoint: ENDPOINT,
        schedule: SCHEDULE,
        hoursLeft: 2,
        resend: result.hoursLeft?.resend,
        indexRefreshed: false,
      },
    ]);
  });

  it('does not start the next hour of a backfill within the margin, and says which hours are left', async () => {
    const { deps, metricRequests, publishes } = fakes('deadline-between', '2026-11-26T06:10:00Z');
    // Hour 10's 25 objects take 24 checks; the 25th, before hour 11, finds the time short.
    deps.remainingMs = runsOutAfter(25);

    const result = await runMonitor(deps, backfillEvent);

    expect(result.windows.map((w) => [w.start, w.objects, w.summary, w.incomplete])).toEqual([
      ['2026-11-25T10:00:00.000Z', 25, 'no-violations', undefined],
    ]);
    expect(result.hoursLeft).toEqual({
      hours: ['2026-11-25T11:00:00.000Z'],
      resend: { endpoint: ENDPOINT, start: '2026-11-25T11:00:00.000Z', end: '2026-11-25T12:00:00.000Z' },
    });
    const requests = metricRequests();
    expect(requests).toHaveLength(2);
    expect(requests[0]?.MetricData?.map((d) => d.MetricName)).toContain('feature_baseline_drift_charges');
    expect(requests[1]).toEqual({
      Namespace: DATA_NAMESPACE,
      MetricData: [incompleteDatum('2026-11-26T06:10:04.500Z')],
    });
    expect(publishes()).toEqual([]);
    const keys = [...(await reportObjects('deadline-between')).keys()];
    expect(keys.every((k) => k.includes('/2026/11/25/10/'))).toBe(true);
  });
});
