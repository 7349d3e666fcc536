/**
 * What the retraining Lambda is told about its endpoint. The CDK stack builds this object from
 * the endpoint's `retraining` config and passes it as the `RETRAINING_CONFIG` environment variable
 * (JSON). `infra/` imports the types (`import type`); the handler parses the variable with
 * {@link parseRetrainingConfig}.
 */
import { configFields, parseEnvJson } from './env-json.ts';
import type { JsonObject } from './json-fields.ts';
import { isS3Uri } from './s3-uri.ts';

/** Start an execution of a SageMaker pipeline. */
export interface PipelineRetraining {
  kind: 'pipeline';
  pipelineName: string;
  /** Parameters of every execution, besides the window's. */
  parameters: Record<string, string>;
  /** The parameter names the window's start, end and report folder are passed under. */
  windowParameters: { start: string; end: string; report: string };
}

/** Start a training job configured like an earlier one. */
export interface TrainingJobRetraining {
  kind: 'trainingJob';
  sourceJobName: string;
  /** The role the new job runs as (the function may pass exactly this role). */
  roleArn: string;
  /** New jobs are named `PREFIX-yyyymmddhh` after their window's start. */
  jobNamePrefix: string;
  /** `s3://...` where new jobs write their model artifacts. */
  outputUri: string;
}

export type RetrainingAction = PipelineRetraining | TrainingJobRetraining;

export interface RetrainingRuntimeConfig {
  endpoint: string;
  scheduleName: string;
  /** The endpoint's topic: window summaries and alarms arrive from it, notices go to it. */
  topicArn: string;
  /** Bucket and key prefix of the reports, as the monitor has them (`reportsPrefix` may be empty). */
  reportsBucket: string;
  reportsPrefix: string;
  /** Where the durable state lives: `s3://bucket/[prefix/]retraining/ENDPOINT/state/`. */
  stateUri: string;
  dryRun: boolean;
  cooldownHours: number;
  on: RetrainingTriggerFlags;
  action: RetrainingAction;
}

/** What starts a retraining. */
export interface RetrainingTriggerFlags {
  /** A window summary whose dataset drift was detected. */
  datasetDrift: boolean;
  /** A window summary with a model-quality violation. */
  qualityViolation: boolean;
  /** A window summary with a significant bias violation. @default false */
  biasViolation?: boolean;
  /** A window summary whose multivariate drift was detected. @default false */
  multivariateDrift?: boolean;
  /** A window summary whose feature attribution ranking drifted. @default false */
  attributionDrift?: boolean;
  /** Names of the endpoint's alarms whose ALARM transition starts one. */
  alarms: string[];
}

/** Thrown for a `RETRAINING_CONFIG` the function cannot run with; the message names the field. */
export class RetrainingConfigError extends Error {}

/**
 * Parses and checks `RETRAINING_CONFIG`, given the variable's value
 * (`process.env.RETRAINING_CONFIG`); errors name the field and what it takes.
 */
export function parseRetrainingConfig(text: string | undefined): RetrainingRuntimeConfig {
  const raw = parseEnvJson(
    'RETRAINING_CONFIG',
    text,
    'the endpoint retraining config',
    RetrainingConfigError,
  );
  const { fail, object, string: str } = configFields('RETRAINING_CONFIG', RetrainingConfigError);
  const c = object(raw, '(root)');
  const bool = (o: JsonObject, field: string, path: string): boolean =>
    typeof o[field] === 'boolean' ? (o[field] as boolean) : fail(path, 'true or false', o[field]);
  // Triggers added later default to off, as the config's parser has them.
  const optionalBool = (o: JsonObject, field: string, path: string): boolean =>
    o[field] === undefined ? false : bool(o, field, path);
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
      biasViolation: optionalBool(on, 'biasViolation', 'on.biasViolation'),
      multivariateDrift: optionalBool(on, 'multivariateDrift', 'on.multivariateDrift'),
      attributionDrift: optionalBool(on, 'attributionDrift', 'on.attributionDrift'),
      alarms: alarms as string[],
    },
    action,
  };
}
