// Model versions in the monitor: each report records what served its window (SageMaker mocked,
// capture and reports in s3rver), the window that spans a deployment says so in the report, the
// metrics and the summary, and SageMaker is read once per run. The runs' S3 requests are answered
// as S3 answers the monitor role (test/support/s3rver.ts): a GET of a missing key is 403.
import { type MetricDatum, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { PublishCommand } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, ServingModel } from '../../functions/engine/report/report-model.ts';
import { runMonitor } from '../../functions/pipeline/monitor-run.ts';
import {
  backfillObjects,
  DATA_BUCKET,
  ENDPOINT,
  REPORTS_BUCKET,
  writeWorld,
} from '../handlers/monitor-fixture.ts';
import {
  MONITOR_ROLE,
  monitorConfig,
  monitorFakes,
  monitorRole,
  SCHEDULE,
} from '../support/monitor-fakes.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

const PACKAGE = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb';
const BACKFILL = { endpoint: ENDPOINT, start: '2026-11-25T10:00:00Z', end: '2026-11-25T12:00:00Z' };

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3([DATA_BUCKET, REPORTS_BUCKET], {
    principals: { [MONITOR_ROLE]: monitorRole({ baselines: [`baselines/${ENDPOINT}`] }) },
  });
  await writeWorld(s3.client, backfillObjects(), { multivariate: true });
});
afterAll(async () => {
  await s3?.stop();
});

/** SageMaker serving config 7 (AllTraffic on package version 6, Canary on 7), updated at `updated`. */
function sageMaker(updated: string | Error) {
  const client = new SageMakerClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  if (updated instanceof Error) mock.on(DescribeEndpointCommand).rejects(updated);
  else
    mock.on(DescribeEndpointCommand).resolves({
      EndpointName: ENDPOINT,
      EndpointConfigName: 'churn-xgb-config-7',
      LastModifiedTime: new Date(updated),
    });
  mock.on(DescribeEndpointConfigCommand).resolves({
    ProductionVariants: [
      { VariantName: 'AllTraffic', ModelName: 'churn-xgb-v6' },
      { VariantName: 'Canary', ModelName: 'churn-xgb-v7' },
    ],
  });
  mock.on(DescribeModelCommand, { ModelName: 'churn-xgb-v6' }).resolves({
    PrimaryContainer: { ModelPackageName: `${PACKAGE}/6` },
  });
  mock.on(DescribeModelCommand, { ModelName: 'churn-xgb-v7' }).resolves({
    PrimaryContainer: { ModelPackageName: `${PACKAGE}/7` },
  });
  return { client, mock };
}

const SERVING = (updated: string): ServingModel => ({
  endpointName: ENDPOINT,
  endpointConfigName: 'churn-xgb-config-7',
  lastModifiedTime: new Date(updated).toISOString(),
  variants: [
    {
      variantName: 'AllTraffic',
      modelName: 'churn-xgb-v6',
      modelPackageArn: `${PACKAGE}/6`,
      modelPackageVersion: 6,
    },
    {
      variantName: 'Canary',
      modelName: 'churn-xgb-v7',
      modelPackageArn: `${PACKAGE}/7`,
      modelPackageVersion: 7,
    },
  ],
});

function fakes(reportsPrefix: string, sagemaker: SageMakerClient) {
  // The clock reads 06:10:01 first, then a second later at each reading.
  const { deps, logs, cw, topic } = monitorFakes(
    s3.clientAs(MONITOR_ROLE),
    monitorConfig(reportsPrefix),
    '2026-11-26T06:10:01Z',
    {
      stepMs: 1000,
      sagemaker,
      messageId: 'm',
    },
  );
  /** The model metrics of each PutMetricData request, by name. */
  const modelMetrics = () =>
    cw
      .commandCalls(PutMetricDataCommand)
      .map((c) =>
        Object.fromEntries(
          (c.args[0].input.MetricData as MetricDatum[])
            .filter((d) => d.MetricName === 'model_version' || d.MetricName === 'model_changed')
            .map((d) => [d.MetricName, d.Value]),
        ),
      );
  const messages = () => topic.commandCalls(PublishCommand).map((c) => c.args[0].input.Message!);
  return { deps, logs, modelMetrics, messages };
}

async function report(reportsPrefix: string, hour: string): Promise<Report> {
  const key = `${reportsPrefix}/reports/${ENDPOINT}/${SCHEDULE}/2026/11/25/${hour}/report.json`;
  const res = await s3.client.send(new GetObjectCommand({ Bucket: REPORTS_BUCKET, Key: key }));
  return JSON.parse(await res.Body!.transformToString()) as Report;
}

describe('model versions in the monitor', () => {
  it('records what served each window, reading SageMaker once per run', async () => {
    const { client, mock } = sageMaker('2026-11-20T09:30:00Z');
    const { deps, logs, modelMetrics } = fakes('steady', client);

    const result = await runMonitor(deps, BACKFILL);

    for (const hour of ['10', '11']) {
      const r = await report('steady', hour);
      expect(r.model).toEqual(SERVING('2026-11-20T09:30:00Z'));
      expect(r.modelChangedDuringWindow).toBe(false);
      expect(r.warnings).toEqual([]);
    }
    expect(mock.commandCalls(DescribeEndpointCommand)).toHaveLength(1);
    expect(mock.commandCalls(DescribeModelCommand)).toHaveLength(2);
    expect(result.windows.map((w) => w.endpointConfig)).toEqual(['churn-xgb-config-7', 'churn-xgb-config-7']);
    expect(modelMetrics()).toEqual([
      { model_version: 7, model_changed: 0 },
      { model_version: 7, model_changed: 0 },
    ]);
    expect(JSON.parse(logs[0]!).model).toEqual({
      endpointConfig: 'churn-xgb-config-7',
      changedDuringWindow: false,
    });
  });

  it('says when a window spans a deployment, and records no model for a window before it', async () => {
    const { client } = sageMaker('2026-11-25T11:20:00Z');
    const { deps, modelMetrics, messages } = fakes('deployed', client);

    const result = await runMonitor(deps, BACKFILL);

    const before = await report('deployed', '10');
    expect(before.model).toBeNull();
    expect(before.modelChangedDuringWindow).toBeUndefined();
    expect(before.warnings).toEqual([
      'the endpoint was updated at 2026-11-25T11:20:00.000Z, after this window; what served the window is not known, so no model is recorded (endpoint config churn-xgb-config-7: AllTraffic churn-xgb-v6 (package churn-xgb/6), Canary churn-xgb-v7 (package churn-xgb/7) serves now)',
    ]);
    const spanning = await report('deployed', '11');
    expect(spanning.model).toEqual(SERVING('2026-11-25T11:20:00Z'));
    expect(spanning.modelChangedDuringWindow).toBe(true);
    expect(spanning.warnings).toEqual([
      'the endpoint was updated at 2026-11-25T11:20:00.000Z, inside this window: records before that may come from the model served before (now serving endpoint config churn-xgb-config-7: AllTraffic churn-xgb-v6 (package churn-xgb/6), Canary churn-xgb-v7 (package churn-xgb/7))',
    ]);
    expect(result.windows.map((w) => w.endpointConfig)).toEqual([null, 'churn-xgb-config-7']);
    // No model metrics for the unknown window; the deployment marks the spanning one.
    expect(modelMetrics()).toEqual([{}, { model_version: 7, model_changed: 1 }]);
    expect(messages()).toHaveLength(1);
    expect(messages()[0]).toContain(
      'The endpoint was updated inside this window (at 2026-11-25T11:20:00.000Z): records before that may come from the model served before. Now serving endpoint config churn-xgb-config-7',
    );
  });

  it('does not call an update a deployment when the previous window was served by the same config and models', async () => {
    // The hour before was recorded with the same config and models (then unchanged since 09:00).
    const earlier = fakes('scaled', sageMaker('2026-11-25T09:00:00Z').client);
    await runMonitor(earlier.deps, {
      endpoint: ENDPOINT,
      start: BACKFILL.start,
      end: '2026-11-25T11:00:00Z',
    });
    // Then an update at 11:20 that changed capacity only.
    const { deps, modelMetrics } = fakes('scaled', sageMaker('2026-11-25T11:20:00Z').client);

    await runMonitor(deps, { endpoint: ENDPOINT, start: '2026-11-25T11:00:00Z', end: BACKFILL.end });

    const r = await report('scaled', '11');
    expect(r.modelChangedDuringWindow).toBe(false);
    expect(r.warnings).toEqual([]);
    expect(modelMetrics()).toEqual([{ model_version: 7, model_changed: 0 }]);
  });

  it('says a window spans a deployment when the window before it has no report (a 403 to this role, not a failure)', async () => {
    const { client } = sageMaker('2026-11-25T11:20:00Z');
    const { deps, modelMetrics } = fakes('first-window', client);

    const result = await runMonitor(deps, {
      endpoint: ENDPOINT,
      start: '2026-11-25T11:00:00Z',
      end: BACKFILL.end,
    });

    expect(result.windows.map((w) => w.endpointConfig)).toEqual(['churn-xgb-config-7']);
    const r = await report('first-window', '11');
    expect(r.model).toEqual(SERVING('2026-11-25T11:20:00Z'));
    expect(r.modelChangedDuringWindow).toBe(true);
    expect(modelMetrics()).toEqual([{ model_version: 7, model_changed: 1 }]);
  });

  it('publishes the window when SageMaker cannot be read, saying why no model is recorded', async () => {
    const denied = Object.assign(new Error('not authorized to perform: sagemaker:DescribeEndpoint'), {
      name: 'AccessDeniedException',
    });
    const { deps } = fakes('denied', sageMaker(denied).client);

    const result = await runMonitor(deps, BACKFILL);

    expect(result.windows.map((w) => [w.endpointConfig, w.summary])).toEqual([
      [null, 'no-violations'],
      [null, 'sent'],
    ]);
    const r = await report('denied', '11');
    expect(r.model).toBeNull();
    expect(r.warnings).toEqual([
      `the serving model could not be read from SageMaker, so none is recorded: DescribeEndpoint ${ENDPOINT} failed: not authorized to perform: sagemaker:DescribeEndpoint`,
    ]);
  });
});
