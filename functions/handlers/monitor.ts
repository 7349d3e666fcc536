/**
 * The monitor Lambda: reads its endpoint's `MONITOR_CONFIG`, builds the AWS clients once per
 * container, and runs the invocation's windows (functions/pipeline/monitor-run.ts).
 */

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import { isProblemType, PROBLEM_TYPES } from '../contracts/problem-type.ts';
import { logFailure } from '../pipeline/failure-log.ts';
import { isFanOutRequest, type PlanResult, planMonitor } from '../pipeline/fan-out.ts';
import { type MonitorDeps, type MonitorResult, runMonitor } from '../pipeline/monitor-run.ts';
import { isS3Uri, parseS3Uri } from '../stores/object-store.ts';

/** Thrown for a `MONITOR_CONFIG` the monitor cannot run with; the message names the field. */
export class MonitorConfigError extends Error {}

/** Parses and checks `MONITOR_CONFIG`; errors name the field and what it takes. */
export function parseMonitorConfig(text: string | undefined): MonitorRuntimeConfig {
  if (text === undefined || text.trim() === '')
    throw new MonitorConfigError(
      'MONITOR_CONFIG is not set; the stack sets it from the endpoint config: redeploy',
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new MonitorConfigError(
      `MONITOR_CONFIG is not valid JSON (${(e as Error).message}); redeploy the stack`,
    );
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new MonitorConfigError('MONITOR_CONFIG must be a JSON object; redeploy the stack');
  const c = raw as Record<string, unknown>;
  const fail = (field: string, wants: string): never => {
    throw new MonitorConfigError(
      `MONITOR_CONFIG.${field} must be ${wants}; got ${JSON.stringify(c[field]) ?? 'nothing'}`,
    );
  };
  const text_ = (field: string, allowEmpty = false): string => {
    const v = c[field];
    if (typeof v !== 'string' || (!allowEmpty && v === ''))
      fail(field, allowEmpty ? 'a string' : 'a non-empty string');
    return v as string;
  };
  const s3Uri = (field: string): string => {
    const v = text_(field);
    if (!isS3Uri(v)) fail(field, 'an S3 URI (s3://bucket/prefix)');
    parseS3Uri(v);
    return v;
  };
  const optionalNumber = (field: string, min: number, max: number): number | undefined => {
    const v = c[field];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max)
      fail(field, `a number from ${min} to ${max}`);
    return v as number;
  };

  const variants = c.variants;
  if (
    !Array.isArray(variants) ||
    variants.length === 0 ||
    !variants.every((v) => typeof v === 'string' && v !== '')
  )
    fail('variants', 'a non-empty list of variant names, e.g. ["AllTraffic"]');
  const problemType = c.problemType;
  if (problemType !== undefined && !isProblemType(problemType))
    fail('problemType', `one of ${PROBLEM_TYPES.join(', ')}`);
  const featureThresholds = c.featureThresholds;
  if (
    featureThresholds !== undefined &&
    (featureThresholds === null ||
      typeof featureThresholds !== 'object' ||
      Array.isArray(featureThresholds) ||
      !Object.values(featureThresholds).every((t) => typeof t === 'number' && Number.isFinite(t)))
  )
    fail('featureThresholds', 'an object of feature names to numbers');
  const topicArn = text_('topicArn');
  if (!topicArn.startsWith('arn:')) fail('topicArn', 'an SNS topic ARN (arn:aws:sns:...)');
  const groundTruthUri = c.groundTruthUri === undefined ? undefined : s3Uri('groundTruthUri');
  // Quality needs both; one without the other would silently monitor no quality.
  if (groundTruthUri !== undefined && problemType === undefined)
    fail('problemType', `one of ${PROBLEM_TYPES.join(', ')} when groundTruthUri is set`);
  if (groundTruthUri === undefined && problemType !== undefined)
    fail(
      'groundTruthUri',
      'an S3 URI (s3://bucket/prefix) of the ground-truth labels when problemType is set',
    );
  const probabilityThreshold = optionalNumber('probabilityThreshold', 0, 1);
  const datasetDriftShare = optionalNumber('datasetDriftShare', 0, 1);
  const pricePerGbSecond = optionalNumber('pricePerGbSecond', 0, 1);
  const fanOut = c.fanOut;
  const positive = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (
    fanOut !== undefined &&
    (fanOut === null ||
      typeof fanOut !== 'object' ||
      !positive((fanOut as Record<string, unknown>).maxObjects) ||
      !positive((fanOut as Record<string, unknown>).maxBytes))
  )
    fail('fanOut', 'an object {"maxObjects", "maxBytes"} of positive whole numbers');

  return {
    endpoint: text_('endpoint'),
    variants: variants as string[],
    scheduleName: text_('scheduleName'),
    captureUri: s3Uri('captureUri'),
    baselineUri: s3Uri('baselineUri'),
    ...(groundTruthUri !== undefined ? { groundTruthUri } : {}),
    ...(problemType !== undefined ? { problemType: problemType as MonitorRuntimeConfig['problemType'] } : {}),
    ...(probabilityThreshold !== undefined ? { probabilityThreshold } : {}),
    reportsBucket: text_('reportsBucket'),
    reportsPrefix: text_('reportsPrefix', true),
    dataMetricsNamespace: text_('dataMetricsNamespace'),
    modelMetricsNamespace: text_('modelMetricsNamespace'),
    topicArn,
    ...(datasetDriftShare !== undefined ? { datasetDriftShare } : {}),
    ...(featureThresholds !== undefined
      ? { featureThresholds: featureThresholds as Record<string, number> }
      : {}),
    ...(pricePerGbSecond !== undefined ? { pricePerGbSecond } : {}),
    ...(fanOut !== undefined
      ? {
          fanOut: {
            maxObjects: (fanOut as { maxObjects: number }).maxObjects,
            maxBytes: (fanOut as { maxBytes: number }).maxBytes,
          },
        }
      : {}),
  };
}

/** The part of Lambda's context the monitor reads. */
export interface MonitorContext {
  memoryLimitInMB?: string;
  /** Milliseconds before Lambda stops the invocation: the run stops cleanly short of it. */
  getRemainingTimeInMillis?: () => number;
}

// Clients and config live as long as the container; the SDK retries throttling and 5xx itself.
let container: Omit<MonitorDeps, 'memoryMb'> | undefined;

export const handler = async (
  event: unknown,
  context?: MonitorContext,
): Promise<MonitorResult | PlanResult> => {
  container ??= {
    config: parseMonitorConfig(process.env.MONITOR_CONFIG),
    s3: new S3Client({ maxAttempts: 5 }),
    cloudwatch: new CloudWatchClient({ maxAttempts: 5 }),
    sns: new SNSClient({ maxAttempts: 5 }),
    sagemaker: new SageMakerClient({ maxAttempts: 5 }),
    now: () => new Date(),
  };
  const deps = container;
  try {
    const remaining = context?.getRemainingTimeInMillis;
    const run: MonitorDeps = {
      ...deps,
      memoryMb: Number(context?.memoryLimitInMB ?? 1024),
      ...(remaining ? { remainingMs: () => remaining.call(context) } : {}),
    };
    // The fan-out state machine's Plan step; anything else is a schedule or a hand invocation.
    if (isFanOutRequest(event)) return await planMonitor(run, event);
    return await runMonitor(run, event);
  } catch (e) {
    logFailure(
      'monitor run failed',
      { endpoint: deps.config.endpoint, schedule: deps.config.scheduleName },
      (e as Error).message,
    );
    throw e;
  }
};
