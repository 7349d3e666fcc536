/**
 * What the monitor's steps take from their Lambda (or test): the endpoint's runtime config, the
 * AWS clients, the clock and the function's limits; and the two stores every step reads or
 * writes, built from them.
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { SNSClient } from '@aws-sdk/client-sns';
import { type MonitorRuntimeConfig, parseMonitorConfig } from '../contracts/monitor-config.ts';
import { S3Store } from '../stores/s3-store.ts';
import type { LineWriter } from './log.ts';

/** Lambda arm64 price per GB-second in USD (us-east-1). */
export const DEFAULT_PRICE_PER_GB_SECOND = 0.0000133334;
/**
 * Time kept back before the deadline: writing an incomplete window's report files and its one
 * metric takes a few seconds; the rest covers a slow S3 request and the read-ahead abandoned.
 */
export const DEFAULT_SAFETY_MARGIN_MS = 45_000;

/** What the monitor's steps take: config, clients, clock and the function's limits. */
export interface MonitorDeps {
  config: MonitorRuntimeConfig;
  s3: S3Client;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  /** The clock: which hour is the last complete one, `generatedAt`, and run durations. */
  now: () => Date;
  /** The function's memory in MB, for the run-cost metric. */
  memoryMb: number;
  /** Where the one structured line per window goes (error lines go to stderr). @default console.log */
  log?: LineWriter;
  /**
   * Reads what the endpoint serves, for each report's `model`.
   * @default - none: reports record no model
   */
  sagemaker?: SageMakerClient;
  /**
   * Calls the endpoint that explains the windows (the `attribution` block's InvokeEndpoint).
   * @default - none: a window of an endpoint with an attribution block says it could not be explained
   */
  sagemakerRuntime?: SageMakerRuntimeClient;
  /**
   * Milliseconds left before the invocation is stopped: the handler passes Lambda's
   * `context.getRemainingTimeInMillis`. Only `runMonitor` stops early.
   * @default - no deadline
   */
  remainingMs?: () => number;
  /** How close to the deadline a run stops. @default DEFAULT_SAFETY_MARGIN_MS (45 s) */
  safetyMarginMs?: number;
  /** Newest reports the endpoint's index.html covers. @default DEFAULT_INDEX_WINDOWS (two weeks of hours) */
  indexWindows?: number;
}

/** The capture store of the endpoint. */
export function captureStore(deps: Pick<MonitorDeps, 's3' | 'config'>): S3Store {
  return new S3Store(deps.s3, deps.config.captureUri);
}

/** The reports store: the reports bucket under the reports prefix (the fan-out folder lives there too). */
export function reportsStore(deps: Pick<MonitorDeps, 's3' | 'config'>): S3Store {
  return new S3Store(deps.s3, `s3://${deps.config.reportsBucket}/${deps.config.reportsPrefix}`);
}

/** SageMaker gives a model container 60 s to answer; a request still open after this has failed. */
const INVOKE_REQUEST_TIMEOUT_MS = 70_000;

/**
 * What a deployed monitor or fan-out reducer runs with: its config from `MONITOR_CONFIG`, the
 * AWS clients (the SDK retries throttling and 5xx itself) and the wall clock. Built once per
 * container, on the first invocation. The SageMaker runtime client only with an `attribution`
 * block: three attempts, so a throttled explanation backs off but does not eat the run's time.
 */
export function deployedMonitorDeps(env: Readonly<Record<string, string | undefined>>) {
  const config = parseMonitorConfig(env.MONITOR_CONFIG);
  return {
    config,
    s3: new S3Client({ maxAttempts: 5 }),
    cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
    sns: new SNSClient({ maxAttempts: 5 }),
    sagemaker: new SageMakerClient({ maxAttempts: 5 }),
    ...(config.attribution
      ? {
          sagemakerRuntime: new SageMakerRuntimeClient({
            maxAttempts: 3,
            requestHandler: {
              requestTimeout: INVOKE_REQUEST_TIMEOUT_MS,
              connectionTimeout: 10_000,
              throwOnRequestTimeout: true,
            },
          }),
        }
      : {}),
    now: () => new Date(),
  };
}
