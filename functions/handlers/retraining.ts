/**
 * The retraining Lambda, subscribed to one endpoint's topic: starts a SageMaker pipeline
 * execution or training job when a window summary shows dataset drift or a model-quality
 * violation, or a named alarm goes to ALARM; keeps a durable cooldown; publishes a notice of
 * every start or skip to the topic. Reads `RETRAINING_CONFIG`, builds the clients once per
 * container, and runs functions/pipeline/retraining-run.ts.
 */

import { S3Client } from '@aws-sdk/client-s3';
import { SageMakerClient } from '@aws-sdk/client-sagemaker';
import { SNSClient } from '@aws-sdk/client-sns';
import type { RetrainingAction, RetrainingRuntimeConfig } from '../contracts/retraining-config.ts';
import { logFailure } from '../pipeline/failure-log.ts';
import { type RetrainingDeps, type RetrainingOutcome, runRetraining } from '../pipeline/retraining-run.ts';
import { isS3Uri } from '../stores/object-store.ts';

/** Thrown for a `RETRAINING_CONFIG` the function cannot run with; the message names the field. */
export class RetrainingConfigError extends Error {}

type Json = Record<string, unknown>;

/** Parses and checks `RETRAINING_CONFIG`; errors name the field and what it takes. */
export function parseRetrainingConfig(text: string | undefined): RetrainingRuntimeConfig {
  if (text === undefined || text.trim() === '')
    throw new RetrainingConfigError(
      'RETRAINING_CONFIG is not set; the stack sets it from the endpoint retraining config: redeploy',
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new RetrainingConfigError(
      `RETRAINING_CONFIG is not valid JSON (${(e as Error).message}); redeploy the stack`,
    );
  }
  const fail = (field: string, wants: string, got: unknown): never => {
    throw new RetrainingConfigError(
      `RETRAINING_CONFIG.${field} must be ${wants}; got ${JSON.stringify(got) ?? 'nothing'}`,
    );
  };
  const object = (v: unknown, field: string): Json =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : fail(field, 'an object', v);
  const c = object(raw, '(root)');
  const str = (o: Json, field: string, path = field, allowEmpty = false): string => {
    const v = o[field];
    return typeof v === 'string' && (allowEmpty || v !== '')
      ? v
      : fail(path, allowEmpty ? 'a string' : 'a non-empty string', v);
  };
  const bool = (o: Json, field: string, path: string): boolean =>
    typeof o[field] === 'boolean' ? (o[field] as boolean) : fail(path, 'true or false', o[field]);
  const strings = (v: unknown, path: string): Record<string, string> => {
    const o = object(v, path);
    for (const [k, value] of Object.entries(o))
      if (typeof value !== 'string') fail(`${path}.${k}`, 'a string', value);
    return o as Record<string, string>;
  };

  const on = object(c.on, 'on');
  const alarms = on.alarms;
  if (!Array.isArray(alarms) || !alarms.every((a) => typeof a === 'string'))
    fail('on.alarms', 'a list of alarm names', alarms);
  const cooldownHours = c.cooldownHours;
  if (typeof cooldownHours !== 'number' || !(cooldownHours > 0))
    fail('cooldownHours', 'a number above 0', cooldownHours);
  const stateUri = str(c, 'stateUri');
  if (!isS3Uri(stateUri)) fail('stateUri', 'an S3 URI (s3://bucket/prefix/)', stateUri);

  const a = object(c.action, 'action');
  let action: RetrainingAction;
  if (a.kind === 'pipeline') {
    const wp = object(a.windowParameters, 'action.windowParameters');
    action = {
      kind: 'pipeline',
      pipelineName: str(a, 'pipelineName', 'action.pipelineName'),
      parameters: strings(a.parameters, 'action.parameters'),
      windowParameters: {
        start: str(wp, 'start', 'action.windowParameters.start'),
        end: str(wp, 'end', 'action.windowParameters.end'),
        report: str(wp, 'report', 'action.windowParameters.report'),
      },
    };
  } else if (a.kind === 'trainingJob') {
    const outputUri = str(a, 'outputUri', 'action.outputUri');
    if (!isS3Uri(outputUri)) fail('action.outputUri', 'an S3 URI (s3://bucket/prefix)', outputUri);
    action = {
      kind: 'trainingJob',
      sourceJobName: str(a, 'sourceJobName', 'action.sourceJobName'),
      roleArn: str(a, 'roleArn', 'action.roleArn'),
      jobNamePrefix: str(a, 'jobNamePrefix', 'action.jobNamePrefix'),
      outputUri,
    };
  } else {
    return fail('action.kind', '"pipeline" or "trainingJob"', a.kind);
  }

  return {
    endpoint: str(c, 'endpoint'),
    scheduleName: str(c, 'scheduleName'),
    topicArn: str(c, 'topicArn'),
    reportsBucket: str(c, 'reportsBucket'),
    reportsPrefix: str(c, 'reportsPrefix', 'reportsPrefix', true),
    stateUri,
    dryRun: bool(c, 'dryRun', 'dryRun'),
    cooldownHours: cooldownHours as number,
    on: {
      datasetDrift: bool(on, 'datasetDrift', 'on.datasetDrift'),
      qualityViolation: bool(on, 'qualityViolation', 'on.qualityViolation'),
      alarms: alarms as string[],
    },
    action,
  };
}

// Clients and config live as long as the container; the SDK retries throttling and 5xx itself.
let container: RetrainingDeps | undefined;

export const handler = async (event: unknown): Promise<RetrainingOutcome[]> => {
  container ??= {
    config: parseRetrainingConfig(process.env.RETRAINING_CONFIG),
    s3: new S3Client({ maxAttempts: 5 }),
    sagemaker: new SageMakerClient({ maxAttempts: 5 }),
    sns: new SNSClient({ maxAttempts: 5 }),
    now: () => new Date(),
  };
  const deps = container;
  try {
    return await runRetraining(deps, event);
  } catch (e) {
    logFailure(
      'retraining failed',
      { endpoint: deps.config.endpoint },
      `${(e as Error).name}: ${(e as Error).message}`,
    );
    throw e;
  }
};
