// The monitor's dependencies for a test run: its runtime config for the fixture endpoint,
// CloudWatch and SNS mocked (aws-sdk-client-mock, the requests kept for assertions), S3 given
// (s3rver), and a clock that moves a fixed step at each reading.
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import type { MonitorDeps } from '../../functions/pipeline/monitor-run.ts';
import {
  BASELINE_URI,
  CAPTURE_URI,
  DATA_BUCKET,
  ENDPOINT,
  REPORTS_BUCKET,
} from '../handlers/monitor-fixture.ts';
import type { S3Principal } from './s3rver.ts';

export const SCHEDULE = 'churn-xgb-hourly';
export const DATA_NAMESPACE = 'aws/sagemaker/Endpoints/data-metrics';
export const MODEL_NAMESPACE = 'aws/sagemaker/Endpoints/model-metrics';
export const TOPIC = 'arn:aws:sns:us-east-1:123456789012:driftwatch-churn-xgb';

/** The fixture endpoint's runtime config (both variants), reports under `reportsPrefix`. */
export function monitorConfig(
  reportsPrefix: string,
  over: Partial<MonitorRuntimeConfig> = {},
): MonitorRuntimeConfig {
  return {
    endpoint: ENDPOINT,
    variants: ['AllTraffic', 'Canary'],
    scheduleName: SCHEDULE,
    captureUri: CAPTURE_URI,
    baselineUri: BASELINE_URI,
    reportsBucket: REPORTS_BUCKET,
    reportsPrefix,
    dataMetricsNamespace: DATA_NAMESPACE,
    modelMetricsNamespace: MODEL_NAMESPACE,
    topicArn: TOPIC,
    ...over,
  };
}

/** The monitor role, as the S3 stand-in's principal (test/support/s3rver.ts). */
export const MONITOR_ROLE = 'monitor';

/**
 * The monitor role's s3:ListBucket as the stack grants it (infra/s3-grants.ts `listPrefix`,
 * infra/publish-window-grants.ts): listings only under the endpoint's capture, baseline, label
 * and reports prefixes (`PREFIX/*`), so a GET of a missing key answers 403 AccessDenied. The
 * tests name their baseline and label folders (`ml-data` keys, no trailing `/`); reports sit
 * under a prefix per test.
 */
export function monitorRole(o: { baselines: string[]; labels?: string[] }): S3Principal {
  return {
    listBucket: {
      [DATA_BUCKET]: [
        `capture/${ENDPOINT}/*`,
        ...o.baselines.map((b) => `${b}/*`),
        ...(o.labels ?? []).map((l) => `${l}/*`),
      ],
      [REPORTS_BUCKET]: [`*/reports/${ENDPOINT}/${SCHEDULE}/*`],
    },
  };
}

export interface MonitorFakeOptions {
  /** Milliseconds the clock moves at each reading. @default 1500 */
  stepMs?: number;
  sagemaker?: SageMakerClient;
  /** What SNS answers a Publish with. @default 'message-1' */
  messageId?: string;
}

/** Deps for one run under `config`, with a clock whose first reading is `startIso`. */
export function monitorFakes(
  s3: S3Client,
  config: MonitorRuntimeConfig,
  startIso: string,
  o: MonitorFakeOptions = {},
) {
  const cloudwatch = new CloudWatchClient({ region: 'us-east-1' });
  const sns = new SNSClient({ region: 'us-east-1' });
  const cw = mockClient(cloudwatch);
  cw.on(PutMetricDataCommand).resolves({});
  const topic = mockClient(sns);
  topic.on(PublishCommand).resolves({ MessageId: o.messageId ?? 'message-1' });
  const step = o.stepMs ?? 1500;
  let clock = Date.parse(startIso);
  const logs: string[] = [];
  const deps: MonitorDeps = {
    config,
    s3,
    cloudwatch,
    sns,
    ...(o.sagemaker ? { sagemaker: o.sagemaker } : {}),
    memoryMb: 1024,
    now: () => {
      const t = new Date(clock);
      clock += step;
      return t;
    },
    log: (line) => logs.push(line),
  };
  return {
    deps,
    logs,
    cw,
    topic,
    /** Every PutMetricData request sent, in order. */
    metricRequests: () => cw.commandCalls(PutMetricDataCommand).map((c) => c.args[0].input),
    /** Every Publish request sent, in order. */
    publishes: () => topic.commandCalls(PublishCommand).map((c) => c.args[0].input),
  };
}
