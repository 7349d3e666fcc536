import type { ProblemType } from '../../functions/contracts/problem-type.ts';
import type { Checker } from './checker.ts';
import type { RetrainingAction, RetrainingConfig, RetrainingTriggers } from './types.ts';

const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** SageMaker pipeline names (and pipeline parameter names, which are looser). */
const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const PIPELINE_PARAMETER_NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** Training job names stop at 63 characters; `-yyyymmddhh` takes 11 of them. */
const JOB_NAME_PREFIX = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,51}$/;
const RETRAINING_KEYS = ['dryRun', 'cooldownHours', 'on', 'pipeline', 'trainingJob'] as const;

/** An endpoint's `retraining`: what starts one (`on`), the cooldown, dry run, and the pipeline or training job. */
export function parseRetraining(
  check: Checker,
  value: unknown,
  path: string,
  endpointName: string | undefined,
  problemType: ProblemType | undefined,
  hasAttribution = false,
): RetrainingConfig | undefined {
  const fix =
    'must be an object with "pipeline" or "trainingJob" (and optionally "on", "cooldownHours", "dryRun")';
  const obj = check.object(value, path, fix);
  if (!obj) return undefined;
  check.knownKeys(obj, path, RETRAINING_KEYS);

  let dryRun = false;
  if (obj.dryRun !== undefined) {
    if (typeof obj.dryRun === 'boolean') dryRun = obj.dryRun;
    else check.fail(`${path}.dryRun`, 'must be true (only notify) or false', obj.dryRun);
  }
  let cooldownHours = 24;
  if (obj.cooldownHours !== undefined) {
    const h = obj.cooldownHours;
    if (typeof h === 'number' && Number.isFinite(h) && h > 0 && h <= 24 * 365) cooldownHours = h;
    else
      check.fail(`${path}.cooldownHours`, 'must be a number of hours above 0 and at most 8760 (a year)', h);
  }
  const on = parseRetrainingTriggers(check, obj.on, `${path}.on`, endpointName, problemType, hasAttribution);

  let action: RetrainingAction | undefined;
  if ((obj.pipeline === undefined) === (obj.trainingJob === undefined)) {
    check.fail(
      path,
      `sets ${obj.pipeline === undefined ? 'neither' : 'both'} "pipeline" and "trainingJob": keep one, {"pipeline": {"name": "my-pipeline"}} or {"trainingJob": {"sourceJobName": "...", "roleArn": "..."}}`,
      Object.keys(obj),
    );
  } else if (obj.pipeline !== undefined) {
    action = parsePipelineAction(check, obj.pipeline, `${path}.pipeline`);
  } else {
    action = parseTrainingJobAction(check, obj.trainingJob, `${path}.trainingJob`, endpointName);
  }
  return on && action ? { dryRun, cooldownHours, on, action } : undefined;
}

function parseRetrainingTriggers(
  check: Checker,
  value: unknown,
  path: string,
  endpointName: string | undefined,
  problemType: ProblemType | undefined,
  hasAttribution: boolean,
): RetrainingTriggers | undefined {
  const obj =
    value === undefined
      ? {}
      : check.object(
          value,
          path,
          'must be {"datasetDrift": true, "qualityViolation": true, "biasViolation": false, "multivariateDrift": false, "attributionDrift": false, "alarms": [...]}',
        );
  if (!obj) return undefined;
  check.knownKeys(obj, path, [
    'datasetDrift',
    'qualityViolation',
    'biasViolation',
    'multivariateDrift',
    'attributionDrift',
    'alarms',
  ]);
  const flag = (
    key: 'datasetDrift' | 'qualityViolation' | 'biasViolation' | 'multivariateDrift' | 'attributionDrift',
    fallback: boolean,
  ): boolean => {
    const v = obj[key];
    if (v === undefined) return fallback;
    if (typeof v === 'boolean') return v;
    check.fail(`${path}.${key}`, 'must be true or false', v);
    return fallback;
  };
  const datasetDrift = flag('datasetDrift', true);
  const qualityViolation = flag('qualityViolation', true);
  // Off unless asked for: the newer monitors would otherwise start retrainings nobody configured.
  const biasViolation = flag('biasViolation', false);
  const multivariateDrift = flag('multivariateDrift', false);
  const attributionDrift = flag('attributionDrift', false);
  if (attributionDrift && !hasAttribution) {
    check.fail(
      `${path}.attributionDrift`,
      'needs the endpoint\'s attribution block (no window is explained without it): add "attribution": {}, or remove it',
      true,
    );
  }
  if (biasViolation && problemType !== 'BinaryClassification') {
    check.fail(
      `${path}.biasViolation`,
      'needs problemType "BinaryClassification" and groundTruthUri (bias is measured on labelled predictions of a binary classifier): set both, or remove it',
      true,
    );
  }
  if (obj.qualityViolation === true && !problemType) {
    check.fail(
      `${path}.qualityViolation`,
      "needs the endpoint's problemType and groundTruthUri (no quality is monitored without them): set both, or remove it",
      true,
    );
  }
  const alarms: string[] = [];
  const prefix = `driftwatch-${endpointName ?? 'ENDPOINT'}-`;
  if (obj.alarms !== undefined) {
    if (!Array.isArray(obj.alarms)) {
      check.fail(
        `${path}.alarms`,
        `must be a list of alarm names like ["${prefix}dataset-drift"]`,
        obj.alarms,
      );
    } else {
      obj.alarms.forEach((alarm: unknown, i: number) => {
        if (typeof alarm !== 'string' || !alarm.startsWith(prefix) || alarm.length === prefix.length) {
          check.fail(
            `${path}.alarms[${i}]`,
            `must name an alarm of this endpoint (only those reach its topic), like "${prefix}dataset-drift" or "${prefix}quality-auc"`,
            alarm,
          );
        } else if (alarms.includes(alarm)) {
          check.fail(`${path}.alarms[${i}]`, 'is listed twice: list each alarm once', alarm);
        } else {
          alarms.push(alarm);
        }
      });
    }
  }
  if (
    !datasetDrift &&
    !qualityViolation &&
    !biasViolation &&
    !multivariateDrift &&
    !attributionDrift &&
    alarms.length === 0
  ) {
    check.fail(
      path,
      'turns every trigger off: list an alarm, or remove "retraining" to turn retraining off',
      value,
    );
  }
  return { datasetDrift, qualityViolation, biasViolation, multivariateDrift, attributionDrift, alarms };
}

function parsePipelineAction(check: Checker, value: unknown, path: string): RetrainingAction | undefined {
  const obj = check.object(value, path, 'must be {"name": "my-pipeline", "parameters": {...}}');
  if (!obj) return undefined;
  check.knownKeys(obj, path, ['name', 'parameters', 'windowParameters']);
  const name = obj.name;
  if (typeof name !== 'string' || !PIPELINE_NAME.test(name)) {
    check.fail(
      `${path}.name`,
      'must be a SageMaker pipeline name: letters, digits and hyphens, at most 256 characters',
      name,
    );
  }
  const names = { start: 'WindowStart', end: 'WindowEnd', report: 'ReportUri' };
  if (obj.windowParameters !== undefined) {
    const wp = check.object(
      obj.windowParameters,
      `${path}.windowParameters`,
      'must be {"start": "WindowStart", "end": "WindowEnd", "report": "ReportUri"} (any of them)',
    );
    if (wp) {
      check.knownKeys(wp, `${path}.windowParameters`, ['start', 'end', 'report']);
      for (const key of ['start', 'end', 'report'] as const) {
        const v = wp[key];
        if (v === undefined) continue;
        if (typeof v === 'string' && PIPELINE_PARAMETER_NAME.test(v)) names[key] = v;
        else
          check.fail(
            `${path}.windowParameters.${key}`,
            'must be a pipeline parameter name (letters, digits, _ and -)',
            v,
          );
      }
    }
  }
  const parameters: Record<string, string> = {};
  if (obj.parameters !== undefined) {
    const params = check.object(
      obj.parameters,
      `${path}.parameters`,
      'must be an object of pipeline parameter name to value, like {"TrainingInstanceType": "ml.m5.xlarge"}',
    );
    for (const [key, v] of Object.entries(params ?? {})) {
      const where = `${path}.parameters.${key}`;
      if (!PIPELINE_PARAMETER_NAME.test(key)) {
        check.fail(where, 'is not a pipeline parameter name (letters, digits, _ and -, at most 256)', key);
      } else if (Object.values(names).includes(key)) {
        check.fail(
          where,
          'is the name the window is passed under: rename it, or change "windowParameters"',
          key,
        );
      } else if (
        (typeof v === 'string' && v.length <= 1024) ||
        typeof v === 'number' ||
        typeof v === 'boolean'
      ) {
        parameters[key] = String(v);
      } else {
        check.fail(where, 'must be a string of at most 1024 characters, a number or a boolean', v);
      }
    }
  }
  if (new Set(Object.values(names)).size < 3) {
    check.fail(
      `${path}.windowParameters`,
      'gives two of start, end and report the same name: give each its own',
      names,
    );
  }
  if (typeof name !== 'string' || !PIPELINE_NAME.test(name)) return undefined;
  return { kind: 'pipeline', pipelineName: name, parameters, windowParameters: names };
}

function parseTrainingJobAction(
  check: Checker,
  value: unknown,
  path: string,
  endpointName: string | undefined,
): RetrainingAction | undefined {
  const obj = check.object(
    value,
    path,
    'must be {"sourceJobName": "an-earlier-training-job", "roleArn": "arn:aws:iam::ACCOUNT:role/..."}',
  );
  if (!obj) return undefined;
  check.knownKeys(obj, path, ['sourceJobName', 'roleArn', 'jobNamePrefix', 'outputUri']);
  const sourceJobName = check.sageMakerName(
    obj.sourceJobName,
    `${path}.sourceJobName`,
    'the name of the training job to copy',
  );
  const roleArn = obj.roleArn;
  if (typeof roleArn !== 'string' || !IAM_ROLE_ARN.test(roleArn)) {
    check.fail(
      `${path}.roleArn`,
      "is required: set it to the ARN of the role the new jobs run as (usually the source job's RoleArn), like arn:aws:iam::123456789012:role/SageMakerTraining",
      roleArn,
    );
  }
  let jobNamePrefix = `${(endpointName ?? 'driftwatch').slice(0, 44)}-retrain`;
  if (obj.jobNamePrefix !== undefined) {
    if (typeof obj.jobNamePrefix === 'string' && JOB_NAME_PREFIX.test(obj.jobNamePrefix)) {
      jobNamePrefix = obj.jobNamePrefix;
    } else {
      check.fail(
        `${path}.jobNamePrefix`,
        'must be letters, digits and hyphens, at most 52 characters (job names add -yyyymmddhh and stop at 63)',
        obj.jobNamePrefix,
      );
    }
  }
  const output = check.s3Uri(obj.outputUri, `${path}.outputUri`, 's3://my-bucket/retraining', false);
  if (!sourceJobName || typeof roleArn !== 'string' || !IAM_ROLE_ARN.test(roleArn)) return undefined;
  return { kind: 'trainingJob', sourceJobName, roleArn, jobNamePrefix, ...(output ? { output } : {}) };
}
