/**
 * Feature attribution drift in the deployed monitor (s3rver, CloudWatch and SNS mocked, a local
 * stand-in for the SageMaker runtime serving the oracle case's linear model through the real
 * `SageMakerRuntimeClient`): a baseline made by `driftwatch baseline --explain-endpoint`, a
 * window of the oracle's rows in S3. The window's attributions and nDCG to 1e-6, Clarify's
 * metrics and driftwatch's own exactly; an endpoint that throttles, a deadline that passes, a
 * baseline without the explainability files, and a window profiled in parts.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MetricDatum } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { createProfileWorkerHandler } from '../../functions/handlers/profile-worker.ts';
import { createReduceWindowHandler } from '../../functions/handlers/reduce-window.ts';
import { type ManifestItem, planMonitor } from '../../functions/pipeline/fan-out.ts';
import { deployedMonitorDeps } from '../../functions/pipeline/monitor-deps.ts';
import { runMonitor } from '../../functions/pipeline/monitor-run.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';
import { captureLine, csvSide } from '../support/capture-lines.ts';
import { cliRunner } from '../support/cli-run.ts';
import { linearFunction, ModelEndpointStandIn } from '../support/model-endpoint.ts';
import { monitorConfig, monitorFakes, SCHEDULE } from '../support/monitor-fakes.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

interface OracleCase {
  features: string[];
  model: { weights: number[]; bias: number };
  baseline: number[][];
  expected_baseline: Record<string, number>;
  windows: {
    name: string;
    rows: number[][];
    predictions: number[];
    expected: { attributions: Record<string, number>; ndcg: number; violation: boolean };
  }[];
}

const ORACLE = JSON.parse(
  await readFile(new URL('../fixtures/oracle/attribution-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };
const CASE = ORACLE.cases[0]!;
/** The window whose ranking drifted: the top feature shrinks, the last one grows. */
const WINDOW = CASE.windows.find((w) => w.expected.violation)!;
const D = CASE.features.length;
const TOLERANCE = 1e-6;

const DATA = 'attr-data';
const REPORTS = 'attr-reports';
const ENDPOINT = 'churn';
const SHADOW = 'churn-shadow';
const HOUR = '2026-12-06T10:00:00Z';
const WINDOW_EVENT = { endpoint: ENDPOINT, start: HOUR, end: '2026-12-06T11:00:00Z' };
const FOLDER = `reports/${ENDPOINT}/${SCHEDULE}/2026/12/06/10/`;
const EXPLAIN_NS = 'aws/sagemaker/Endpoints/explainability-metrics';
const DATA_NS = 'aws/sagemaker/Endpoints/data-metrics';

let s3: LocalS3;
let standIn: ModelEndpointStandIn;
let runtime: SageMakerRuntimeClient;

beforeAll(async () => {
  const f = linearFunction(CASE.model.weights, CASE.model.bias);
  standIn = await ModelEndpointStandIn.start((row) => f(row.map((v) => Number(v))));
  runtime = new SageMakerRuntimeClient({
    region: 'us-east-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
  s3 = await startLocalS3([DATA, REPORTS]);

  // The baseline, as the CLI makes it against the stand-in.
  vi.stubEnv('AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME', standIn.url);
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDTEST');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test-secret');
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-attribution-monitor-'));
  try {
    await writeFile(
      join(dir, 'train.csv'),
      `${[CASE.features.join(','), ...CASE.baseline.map((r) => r.join(','))].join('\n')}\n`,
    );
    const made = await cliRunner(HOUR)(
      'baseline',
      join(dir, 'train.csv'),
      '--out',
      join(dir, 'baseline'),
      '--no-multivariate',
      '--explain-endpoint',
      SHADOW,
      '--region',
      'us-east-1',
      '--explain-records',
      '100000',
      '--explain-max-rows',
      '100000000',
      '--explain-rate',
      '1000',
    );
    expect(made.code, made.stderr).toBe(0);
    const local = new LocalStore(join(dir, 'baseline'));
    const full = new S3Store(s3.client, `s3://${DATA}/baseline`);
    const plain = new S3Store(s3.client, `s3://${DATA}/baseline-plain`);
    for await (const o of local.list()) {
      const body = (await local.getText(o.key))!;
      await full.putText(o.key, body, 'application/json');
      if (!o.key.startsWith('explainability/')) await plain.putText(o.key, body, 'application/json');
    }
  } finally {
    vi.unstubAllEnvs();
    await rm(dir, { recursive: true, force: true });
  }

  // The window: three capture files of the oracle's rows, one request each.
  const data = new S3Store(s3.client, `s3://${DATA}/`);
  const per = Math.ceil(WINDOW.rows.length / 3);
  for (let p = 0; p < 3; p++) {
    const lines = WINDOW.rows.slice(p * per, (p + 1) * per).map((row, i) =>
      captureLine({
        input: csvSide(row.join(',')),
        output: csvSide(String(WINDOW.predictions[p * per + i])),
        time: `2026-12-06T10:0${p}:${String(i % 60).padStart(2, '0')}Z`,
        eventId: `req-${p * per + i}`,
      }),
    );
    await data.putText(
      `capture/${ENDPOINT}/AllTraffic/2026/12/06/10/0${p}-00-000-part.jsonl`,
      `${lines.join('\n')}\n`,
      'application/jsonlines',
    );
  }
}, 120_000);

afterAll(async () => {
  runtime?.destroy();
  await standIn?.close();
  await s3?.stop();
});

afterEach(() => {
  standIn.errors.length = 0;
  standIn.delayMs = 0;
});

/** The endpoint's config with an attribution block that explains every row of the window. */
const config = (prefix: string, over: Partial<MonitorRuntimeConfig> = {}): MonitorRuntimeConfig =>
  monitorConfig(prefix, {
    endpoint: ENDPOINT,
    variants: ['AllTraffic'],
    captureUri: `s3://${DATA}/capture`,
    baselineUri: `s3://${DATA}/baseline`,
    reportsBucket: REPORTS,
    attribution: { endpointName: SHADOW, records: 100_000, maxRows: 100_000_000, requestsPerSecond: 1000 },
    ...over,
  });

const text = async (key: string) =>
  (await s3.client.send(new GetObjectCommand({ Bucket: REPORTS, Key: key }))).Body!.transformToString();
const reportAt = async (prefix: string) => JSON.parse(await text(`${prefix}/${FOLDER}report.json`)) as Report;
const inOrder = (o: Record<string, number>) =>
  CASE.features.map((f) => (Object.hasOwn(o, f) ? o[f]! : Number.NaN));
const close = (actual: readonly number[], expected: readonly number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((v, i) => {
    expect(Math.abs(v - expected[i]!)).toBeLessThan(TOLERANCE);
  });
};
type Requests = { Namespace?: string; MetricData?: MetricDatum[] }[];
const attributionData = (requests: Requests) =>
  requests
    .filter((r) => r.Namespace === DATA_NS)
    .flatMap((r) => r.MetricData ?? [])
    .filter((d) => d.MetricName!.startsWith('attribution_'))
    .map((d) => ({ name: d.MetricName, value: d.Value, unit: d.Unit }));

describe('the monitor with an attribution block', () => {
  it("explains the window with the endpoint: attributions and nDCG to 1e-6, Clarify's metrics and its own exactly", async () => {
    const before = standIn.received.length;
    const run = monitorFakes(s3.client, config('whole'), '2026-12-06T11:10:00Z');

    const result = await runMonitor({ ...run.deps, sagemakerRuntime: runtime }, WINDOW_EVENT);

    const report = await reportAt('whole');
    const a = report.attribution!;
    expect(a.error).toBeNull();
    expect(a.stoppedEarly).toBeNull();
    expect(a.endpoint).toBe(SHADOW);
    close(inOrder(a.window!), inOrder(WINDOW.expected.attributions));
    close(inOrder(a.baseline), inOrder(CASE.expected_baseline));
    expect(Math.abs(a.ndcg! - WINDOW.expected.ndcg)).toBeLessThan(TOLERANCE);
    expect(a.drifted).toBe(true);
    expect(a.recordsExplained).toBe(WINDOW.rows.length);
    expect(a.modelRows).toBe(WINDOW.rows.length * (2 ** D - 1) + 1);
    const sent = standIn.received.slice(before);
    expect(a.requests).toBe(sent.length);
    expect(sent.every((q) => q.endpoint === SHADOW)).toBe(true);
    expect(sent.reduce((s, q) => s + q.rows.length, 0)).toBe(a.modelRows);
    expect(report.violations.map((v) => v.constraint_check_type)).toContain(
      'feature_attribution_drift_check',
    );
    // Clarify's files of the window, beside the report.
    const analysis = JSON.parse(await text(`whole/${FOLDER}explainability/analysis.json`));
    close(inOrder(analysis.explanations.kernel_shap.label0.global_shap_values), inOrder(a.window!));
    const violations = JSON.parse(await text(`whole/${FOLDER}explainability/constraint_violations.json`));
    expect(violations.violations).toHaveLength(1);

    // Clarify's namespace: one request, a feature_NAME per baseline feature and ExpectedValue.
    const explain = run.metricRequests().filter((r) => r.Namespace === EXPLAIN_NS);
    const dimensions = (valueType: string) => [
      { Name: 'Endpoint', Value: ENDPOINT },
      { Name: 'MonitoringSchedule', Value: SCHEDULE },
      { Name: 'ExplainabilityMethod', Value: 'KernelShap' },
      { Name: 'Label', Value: 'label0' },
      { Name: 'ValueType', Value: valueType },
    ];
    expect(explain).toEqual([
      {
        Namespace: EXPLAIN_NS,
        MetricData: [
          ...CASE.features.map((f) => ({
            MetricName: `feature_${f}`,
            Dimensions: dimensions('GlobalShapValues'),
            Timestamp: new Date(HOUR),
            Value: a.window![f],
            Unit: 'None',
          })),
          {
            MetricName: 'ExpectedValue',
            Dimensions: dimensions('ExpectedValue'),
            Timestamp: new Date(HOUR),
            Value: a.expectedValue.window,
            Unit: 'None',
          },
        ],
      },
    ]);
    expect(attributionData(run.metricRequests())).toEqual([
      { name: 'attribution_ndcg', value: a.ndcg, unit: 'None' },
      { name: 'attribution_drift', value: 1, unit: 'Count' },
      { name: 'attribution_model_rows', value: WINDOW.rows.length * 63 + 1, unit: 'Count' },
      { name: 'attribution_failures', value: 0, unit: 'Count' },
    ]);
    expect(result.windows[0]!.metricRequests).toBe(run.metricRequests().length);
    // The summary: the verdict in the body, the flag for the retraining trigger in the attributes.
    const [published] = run.publishes();
    expect(published?.Message).toContain(
      `Feature attribution: nDCG ${Number(a.ndcg!.toPrecision(4))} against the baseline's ranking (threshold 0.9): DRIFTED; 400 of 400 rows explained, 25,201 model rows in ${a.requests} requests to ${SHADOW}.`,
    );
    expect(published?.MessageAttributes?.['driftwatch.attributionDrift']).toEqual({
      DataType: 'String',
      StringValue: 'true',
    });
    const line = JSON.parse(run.logs.find((l) => l.includes('window monitored'))!);
    expect(line.attribution).toEqual({
      ndcg: a.ndcg,
      drifted: true,
      recordsExplained: WINDOW.rows.length,
      modelRows: a.modelRows,
      requests: a.requests,
      stoppedEarly: false,
      failed: false,
    });
  }, 120_000);

  it('contains an endpoint that throttles: attribution.error, attribution_failures 1, the rest published', async () => {
    for (let i = 0; i < 5; i++) standIn.errors.push({ status: 429, type: 'ThrottlingException' });
    const run = monitorFakes(s3.client, config('throttled'), '2026-12-06T11:10:00Z');

    const result = await runMonitor({ ...run.deps, sagemakerRuntime: runtime }, WINDOW_EVENT);

    const report = await reportAt('throttled');
    expect(report.attribution!.error).toBe(
      `model call 1 failed: InvokeEndpoint "${SHADOW}": request 1 failed: ThrottlingException (HTTP 429)`,
    );
    expect(report.attribution!.ndcg).toBeNull();
    expect(report.attribution!.window).toBeNull();
    expect(report.warnings).toContain(
      `feature attribution drift not measured: ${report.attribution!.error} (the rest of the window is complete)`,
    );
    expect(report.records.profiled).toBe(WINDOW.rows.length);
    expect(result.windows[0]!.records.profiled).toBe(WINDOW.rows.length);
    const data = run
      .metricRequests()
      .filter((r) => r.Namespace === DATA_NS)
      .flatMap((r) => r.MetricData ?? []);
    expect(data.find((d) => d.MetricName === 'records_profiled')?.Value).toBe(WINDOW.rows.length);
    expect(data.filter((d) => d.MetricName!.startsWith('feature_baseline_drift_'))).toHaveLength(D);
    expect(attributionData(run.metricRequests())).toEqual([
      { name: 'attribution_model_rows', value: 1, unit: 'Count' },
      { name: 'attribution_failures', value: 1, unit: 'Count' },
    ]);
    expect(run.metricRequests().filter((r) => r.Namespace === EXPLAIN_NS)).toEqual([]);
  }, 120_000);

  it('stops at the deadline between batches and says how far it got', async () => {
    const before = standIn.received.length;
    const run = monitorFakes(s3.client, config('deadline'), '2026-12-06T11:10:00Z');
    // Plenty of time until the endpoint has answered three requests; then none.
    const remainingMs = () => (standIn.received.length - before >= 3 ? 0 : 600_000);

    await runMonitor(
      { ...run.deps, sagemakerRuntime: runtime, remainingMs, safetyMarginMs: 1000 },
      WINDOW_EVENT,
    );

    const a = (await reportAt('deadline')).attribution!;
    // v(∅) (one request), then one batch of 4,096 rows (five requests): 65 whole records.
    expect(a.stoppedEarly).toBe(`deadline passed after 65 of ${WINDOW.rows.length} records`);
    expect(a.error).toBeNull();
    expect(a.recordsExplained).toBe(65);
    expect(a.modelRows).toBe(1 + 4096);
    expect(a.requests).toBe(6);
    expect(a.ndcg).not.toBeNull();
  }, 120_000);

  it('aborts the request in flight at the deadline and reports it as stopped, not failed', async () => {
    standIn.delayMs = 20_000;
    const run = monitorFakes(s3.client, config('abort'), '2026-12-06T11:10:00Z');
    const margin = 1000;
    const end = Date.now() + margin + 4000;
    const started = Date.now();

    await runMonitor(
      {
        ...run.deps,
        sagemakerRuntime: runtime,
        remainingMs: () => end - Date.now(),
        safetyMarginMs: margin,
      },
      WINDOW_EVENT,
    );

    const report = await reportAt('abort');
    expect(report.complete).not.toBe(false);
    const a = report.attribution!;
    expect(a.error).toBeNull();
    expect(a.stoppedEarly).toBe(
      `deadline passed after 0 of ${WINDOW.rows.length} records (the request in flight was stopped)`,
    );
    expect(a.window).toBeNull();
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(attributionData(run.metricRequests())).toEqual([
      { name: 'attribution_model_rows', value: 1, unit: 'Count' },
      { name: 'attribution_failures', value: 0, unit: 'Count' },
    ]);
  }, 60_000);

  it('gives a baseline without explainability files attribution null and a warning, and calls no endpoint', async () => {
    const before = standIn.received.length;
    const run = monitorFakes(
      s3.client,
      config('plain', { baselineUri: `s3://${DATA}/baseline-plain` }),
      '2026-12-06T11:10:00Z',
    );

    await runMonitor({ ...run.deps, sagemakerRuntime: runtime }, WINDOW_EVENT);

    const report = await reportAt('plain');
    expect(report.attribution).toBeNull();
    expect(report.warnings).toContain(
      `feature attribution drift not measured: s3://${DATA}/baseline-plain/explainability/explain-settings.json: is missing; make the baseline with \`driftwatch baseline DATA --out DIR --explain-endpoint NAME\` (it writes both files)`,
    );
    expect(standIn.received.length).toBe(before);
    expect(attributionData(run.metricRequests())).toEqual([]);
    expect(run.metricRequests().filter((r) => r.Namespace === EXPLAIN_NS)).toEqual([]);
  }, 120_000);

  it('gives a window profiled in parts the attribution of the window profiled whole, explained once', async () => {
    const parts = monitorFakes(
      s3.client,
      config('parts', { fanOut: { maxObjects: 1, maxBytes: 1 << 30 } }),
      '2026-12-06T11:10:00Z',
    );
    const deps = { ...parts.deps, sagemakerRuntime: runtime };
    const planned = await planMonitor(deps, { fanOut: { runId: 'attr' }, event: WINDOW_EVENT });
    const plan = planned.fanOut!;
    const items = JSON.parse(await text(plan.manifestKey)) as ManifestItem[];
    expect(items).toHaveLength(3);
    const worker = createProfileWorkerHandler(() => deps);
    for (const item of items) await worker({ Items: [item], BatchInput: { runId: 'attr' } });
    const before = standIn.received.length;
    await createReduceWindowHandler(() => deps)({
      runId: 'attr',
      plannedAt: plan.plannedAt,
      window: plan.windows[0],
    });

    const whole = await reportAt('whole');
    const fromParts = await reportAt('parts');
    expect(fromParts.attribution).toEqual(whole.attribution);
    expect(standIn.received.length - before).toBe(whole.attribution!.requests);
    expect(await text(`parts/${FOLDER}explainability/analysis.json`)).toBe(
      await text(`whole/${FOLDER}explainability/analysis.json`),
    );
  }, 120_000);
});

describe('the deployed deps', () => {
  it('build a SageMaker runtime client only for an endpoint with an attribution block', () => {
    const env = (c: MonitorRuntimeConfig) => ({ MONITOR_CONFIG: JSON.stringify(c) });
    const { attribution: _, ...without } = config('');

    const on = deployedMonitorDeps(env(config('')));
    const off = deployedMonitorDeps(env(without));

    expect(on.sagemakerRuntime).toBeInstanceOf(SageMakerRuntimeClient);
    expect(on.config.attribution).toEqual({
      endpointName: SHADOW,
      records: 100_000,
      maxRows: 100_000_000,
      requestsPerSecond: 1000,
    });
    expect('sagemakerRuntime' in off).toBe(false);
    on.sagemakerRuntime?.destroy();
  });
});
