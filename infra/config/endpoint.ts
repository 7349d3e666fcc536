import { BIAS_ANALYSIS_FILE } from '../../functions/contracts/baseline-layout.ts';
import { isProblemType, PROBLEM_TYPES, type ProblemType } from '../../functions/contracts/problem-type.ts';
import { parseAlarms } from './alarms.ts';
import { BUCKET_NAME, type Checker } from './checker.ts';
import { ATTRIBUTION_DEFAULTS, DEFAULTS } from './defaults.ts';
import { parseFanOutConfig } from './fan-out.ts';
import { parseRetraining } from './retraining.ts';
import { parseSlack } from './slack.ts';
import type { AttributionConfig, BiasLocationConfig, EndpointConfig, S3Location, S3Object } from './types.ts';

const ENDPOINT_KEYS = [
  'name',
  'variants',
  'captureUri',
  'captureKmsKeyArn',
  'baselineUri',
  'baselineKmsKeyArn',
  'groundTruthUri',
  'groundTruthKmsKeyArn',
  'problemType',
  'probabilityThreshold',
  'bias',
  'attribution',
  'scheduleName',
  'schedule',
  'datasetDriftShare',
  'featureThresholds',
  'features',
  'alarms',
  'emails',
  'slack',
  'retraining',
  'fanOut',
] as const;
const SCHEDULE = /^(cron\(\S+( \S+){5}\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\))$/;
/** Feature names go into metric and alarm names, which CloudWatch caps at 255 characters. */
const MAX_FEATURE_NAME = 150;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/** One entry of `endpoints`, with its alarms, Slack, retraining and fan-out settings. */
export function parseEndpoint(check: Checker, value: unknown, path: string): EndpointConfig | undefined {
  const obj = check.object(
    value,
    path,
    'must be an object with at least "name", "captureUri" and "baselineUri"',
  );
  if (!obj) return undefined;
  check.knownKeys(obj, path, ENDPOINT_KEYS);

  const name = check.sageMakerName(obj.name, `${path}.name`, 'the SageMaker endpoint name');
  const variants = parseVariants(check, obj.variants, `${path}.variants`);
  const capture = withKey(
    check,
    obj,
    path,
    'captureKmsKeyArn',
    check.s3Uri(obj.captureUri, `${path}.captureUri`, 's3://my-bucket/datacapture', true),
  );
  const baseline = withKey(
    check,
    obj,
    path,
    'baselineKmsKeyArn',
    check.s3Uri(obj.baselineUri, `${path}.baselineUri`, 's3://my-bucket/baseline', true),
  );
  const groundTruth = withKey(
    check,
    obj,
    path,
    'groundTruthKmsKeyArn',
    check.s3Uri(obj.groundTruthUri, `${path}.groundTruthUri`, 's3://my-bucket/ground-truth', false),
  );
  if (obj.groundTruthKmsKeyArn !== undefined && obj.groundTruthUri === undefined)
    check.fail(
      `${path}.groundTruthKmsKeyArn`,
      'only applies with groundTruthUri: remove it, or set groundTruthUri to the labels it encrypts',
      obj.groundTruthKmsKeyArn,
    );

  let problemType: ProblemType | undefined;
  if (obj.problemType !== undefined) {
    if (isProblemType(obj.problemType)) problemType = obj.problemType;
    else check.fail(`${path}.problemType`, `must be one of ${PROBLEM_TYPES.join(', ')}`, obj.problemType);
  }
  if (obj.groundTruthUri !== undefined && obj.problemType === undefined) {
    check.fail(
      `${path}.problemType`,
      `is required with groundTruthUri: set it to one of ${PROBLEM_TYPES.join(', ')}`,
      undefined,
    );
  }
  if (obj.problemType !== undefined && obj.groundTruthUri === undefined) {
    check.fail(
      `${path}.groundTruthUri`,
      'is required with problemType: set it to the s3:// URI of the ground-truth labels, or remove problemType',
      undefined,
    );
  }

  let probabilityThreshold: number | undefined;
  if (obj.probabilityThreshold !== undefined) {
    probabilityThreshold = check.fraction(obj.probabilityThreshold, `${path}.probabilityThreshold`, 0.5);
    if (obj.problemType !== 'BinaryClassification') {
      check.fail(
        `${path}.probabilityThreshold`,
        'only applies to problemType "BinaryClassification": remove it or set that problem type',
        obj.probabilityThreshold,
      );
    }
  }

  const scheduleName =
    obj.scheduleName === undefined
      ? DEFAULTS.scheduleName
      : check.sageMakerName(
          obj.scheduleName,
          `${path}.scheduleName`,
          'a schedule name like driftwatch-hourly',
        );
  let schedule: string = DEFAULTS.schedule;
  if (obj.schedule !== undefined) {
    if (typeof obj.schedule === 'string' && SCHEDULE.test(obj.schedule)) schedule = obj.schedule;
    else {
      check.fail(
        `${path}.schedule`,
        'must be an EventBridge Scheduler expression like "cron(10 * * * ? *)" (six fields, UTC) or "rate(1 hour)"',
        obj.schedule,
      );
    }
  }

  const datasetDriftShare =
    obj.datasetDriftShare === undefined
      ? DEFAULTS.datasetDriftShare
      : check.fraction(obj.datasetDriftShare, `${path}.datasetDriftShare`, DEFAULTS.datasetDriftShare, true);
  const featureThresholds = parseFeatureThresholds(check, obj.featureThresholds, `${path}.featureThresholds`);
  const features = parseFeatures(check, obj.features, `${path}.features`);
  const bias =
    obj.bias === undefined ? undefined : parseBias(check, obj, `${path}.bias`, baseline, problemType);
  const attribution =
    obj.attribution === undefined
      ? undefined
      : parseAttribution(check, obj.attribution, `${path}.attribution`, name);
  const alarms = parseAlarms(
    check,
    obj.alarms,
    `${path}.alarms`,
    datasetDriftShare,
    problemType,
    obj.bias !== undefined,
    obj.attribution !== undefined,
  );
  const emails = check.emails(obj.emails, `${path}.emails`);
  const slack = obj.slack === undefined ? undefined : parseSlack(check, obj.slack, `${path}.slack`, true);
  const retraining =
    obj.retraining === undefined
      ? undefined
      : parseRetraining(
          check,
          obj.retraining,
          `${path}.retraining`,
          name,
          problemType,
          obj.attribution !== undefined,
        );
  const fanOut = parseFanOutConfig(check, obj.fanOut, `${path}.fanOut`);

  if (!name || !capture || !baseline) return undefined;
  return {
    name,
    variants,
    capture,
    baseline,
    ...(groundTruth ? { groundTruth } : {}),
    ...(problemType ? { problemType } : {}),
    ...(probabilityThreshold !== undefined ? { probabilityThreshold } : {}),
    ...(bias ? { bias } : {}),
    ...(attribution ? { attribution } : {}),
    scheduleName: scheduleName ?? DEFAULTS.scheduleName,
    schedule,
    datasetDriftShare,
    featureThresholds,
    features,
    alarms,
    emails,
    ...(slack !== undefined ? { slack } : {}),
    ...(retraining ? { retraining } : {}),
    ...(fanOut ? { fanOut } : {}),
  };
}

const BIAS_KEYS = ['analysisConfig', 'baseline', 'kmsKeyArn'] as const;
/** IAM reads `*` and `?` in a resource as wildcards: an object key with them could not be granted alone. */
const IAM_WILDCARD = /[*?]/;

/**
 * An endpoint's `bias` block: where the monitor reads Clarify's `analysis_config.json` and the
 * baseline's `analysis.json` (by default the baseline folder's `bias/analysis.json`).
 */
function parseBias(
  check: Checker,
  endpoint: Record<string, unknown>,
  path: string,
  baseline: S3Location | undefined,
  problemType: ProblemType | undefined,
): BiasLocationConfig | undefined {
  const obj = check.object(
    endpoint.bias,
    path,
    'must be {"analysisConfig": "s3://.../analysis_config.json", "baseline": "s3://.../analysis.json"} ("baseline" optional)',
  );
  if (!obj) return undefined;
  check.knownKeys(obj, path, BIAS_KEYS);
  if (problemType !== 'BinaryClassification' || endpoint.groundTruthUri === undefined)
    check.fail(
      path,
      'needs problemType "BinaryClassification" and groundTruthUri: bias compares the labelled predictions of a binary classifier; set both, or remove bias',
      endpoint.bias,
    );
  const kmsKeyArn = check.kmsKeyArn(obj.kmsKeyArn, `${path}.kmsKeyArn`);
  const withKey = (o: S3Object | undefined) => (o && kmsKeyArn ? { ...o, kmsKeyArn } : o);
  const analysisConfig = withKey(
    s3Object(check, obj.analysisConfig, `${path}.analysisConfig`, 's3://my-bucket/bias/analysis_config.json'),
  );
  if (obj.analysisConfig === undefined) return undefined;
  let analysis: S3Object | undefined;
  if (obj.baseline !== undefined) {
    analysis = withKey(
      s3Object(check, obj.baseline, `${path}.baseline`, 's3://my-bucket/bias/analysis.json'),
    );
  } else if (baseline) {
    // The baseline folder's own file, as `driftwatch baseline --bias-config` writes it.
    const key = baseline.prefix === '' ? BIAS_ANALYSIS_FILE : `${baseline.prefix}/${BIAS_ANALYSIS_FILE}`;
    analysis = {
      uri: `s3://${baseline.bucket}/${key}`,
      bucket: baseline.bucket,
      key,
      ...(baseline.kmsKeyArn ? { kmsKeyArn: baseline.kmsKeyArn } : {}),
    };
  }
  return analysisConfig && analysis ? { analysisConfig, baseline: analysis } : undefined;
}

const ATTRIBUTION_KEYS = [
  'endpointName',
  'records',
  'maxRows',
  'requestsPerSecond',
  'config',
  'kmsKeyArn',
] as const;

/**
 * An endpoint's `attribution` block: the endpoint that explains the windows (by default the
 * monitored one), how many records and model rows a window may cost, the request rate, and the
 * explainability configuration object (by default the baseline's).
 */
function parseAttribution(
  check: Checker,
  value: unknown,
  path: string,
  endpointName: string | undefined,
): AttributionConfig | undefined {
  const obj = check.object(
    value,
    path,
    'must be an object like {"endpointName": "my-shadow-endpoint", "records": 100, "maxRows": 200000, "requestsPerSecond": 10, "config": "s3://.../explain-config.json"} (every field optional)',
  );
  if (!obj) return undefined;
  check.knownKeys(obj, path, ATTRIBUTION_KEYS);
  const explaining =
    obj.endpointName === undefined
      ? endpointName
      : check.sageMakerName(
          obj.endpointName,
          `${path}.endpointName`,
          'the name of the SageMaker endpoint that explains the windows',
        );
  const whole = (field: 'records' | 'maxRows', fallback: number, example: string): number => {
    const v = obj[field];
    if (v === undefined) return fallback;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 1) return v;
    check.fail(`${path}.${field}`, `must be a whole number of 1 or more, like ${example}`, v);
    return fallback;
  };
  const records = whole('records', ATTRIBUTION_DEFAULTS.records, '100');
  const maxRows = whole('maxRows', ATTRIBUTION_DEFAULTS.maxRows, '200000');
  let requestsPerSecond: number = ATTRIBUTION_DEFAULTS.requestsPerSecond;
  if (obj.requestsPerSecond !== undefined) {
    const v = obj.requestsPerSecond;
    if (typeof v === 'number' && Number.isFinite(v) && v > 0 && v <= 1000) requestsPerSecond = v;
    else
      check.fail(
        `${path}.requestsPerSecond`,
        'must be a number above 0 and at most 1000 (InvokeEndpoint requests per second the explanation may send)',
        v,
      );
  }
  const kmsKeyArn = check.kmsKeyArn(obj.kmsKeyArn, `${path}.kmsKeyArn`);
  if (obj.kmsKeyArn !== undefined && obj.config === undefined)
    check.fail(
      `${path}.kmsKeyArn`,
      'only applies with config: remove it, or set config to the s3:// URI of the file it encrypts',
      obj.kmsKeyArn,
    );
  const config =
    obj.config === undefined
      ? undefined
      : s3Object(check, obj.config, `${path}.config`, 's3://my-bucket/explainability/explain-config.json');
  if (explaining === undefined) return undefined;
  return {
    endpointName: explaining,
    records,
    maxRows,
    requestsPerSecond,
    ...(config ? { config: kmsKeyArn ? { ...config, kmsKeyArn } : config } : {}),
  };
}

/** An `s3://bucket/key` URI of one object; `undefined` (with the problem recorded) when it is not one. */
function s3Object(check: Checker, value: unknown, path: string, example: string): S3Object | undefined {
  if (value === undefined) {
    check.fail(path, `is required: set it to the s3:// URI of the file, like ${example}`, value);
    return undefined;
  }
  const match = typeof value === 'string' ? /^s3:\/\/([^/]+)\/(.+)$/.exec(value) : null;
  const bucket = match?.[1];
  const key = match?.[2];
  if (!match || bucket === undefined || key === undefined || !BUCKET_NAME.test(bucket) || key.endsWith('/')) {
    check.fail(path, `must be the s3:// URI of one file (not a folder), like ${example}`, value);
    return undefined;
  }
  if (IAM_WILDCARD.test(key)) {
    check.fail(
      path,
      'has * or ? in its key, which IAM reads as wildcards, so the monitor could not be allowed that object alone: rename the object',
      value,
    );
    return undefined;
  }
  return { uri: `s3://${bucket}/${key}`, bucket, key };
}

/**
 * `location` with the KMS key named by `obj[field]` (`captureKmsKeyArn`, ...): the customer managed
 * key its objects are encrypted with, e.g. the capture's `DataCaptureConfig.KmsKeyId`.
 */
function withKey(
  check: Checker,
  obj: Record<string, unknown>,
  path: string,
  field: 'captureKmsKeyArn' | 'baselineKmsKeyArn' | 'groundTruthKmsKeyArn',
  location: S3Location | undefined,
): S3Location | undefined {
  const kmsKeyArn = check.kmsKeyArn(obj[field], `${path}.${field}`);
  return location && kmsKeyArn ? { ...location, kmsKeyArn } : location;
}

function parseVariants(check: Checker, value: unknown, path: string): string[] {
  if (value === undefined) return [...DEFAULTS.variants];
  if (!Array.isArray(value) || value.length === 0) {
    check.fail(path, 'must be a non-empty list of production variant names like ["AllTraffic"]', value);
    return [...DEFAULTS.variants];
  }
  const variants = value.map((v, i) => check.sageMakerName(v, `${path}[${i}]`, 'a production variant name'));
  return variants.filter((v): v is string => v !== undefined);
}

function parseFeatureThresholds(check: Checker, value: unknown, path: string): Record<string, number> {
  if (value === undefined) return {};
  const obj = check.object(value, path, 'must be an object of feature name to threshold, like {"age": 0.2}');
  if (!obj) return {};
  // Feature names are data: `__proto__` on a plain object would set the prototype, not a threshold.
  const thresholds: Record<string, number> = Object.create(null);
  for (const [feature, threshold] of Object.entries(obj)) {
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold <= 0) {
      check.fail(
        `${path}.${feature}`,
        'must be a positive number (the drift distance above which it drifts)',
        threshold,
      );
    } else {
      thresholds[feature] = threshold;
    }
  }
  return thresholds;
}

function parseFeatures(check: Checker, value: unknown, path: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    check.fail(path, 'must be a list of feature names like ["age", "income"]', value);
    return [];
  }
  const features: string[] = [];
  value.forEach((feature, i) => {
    if (typeof feature !== 'string' || feature.length === 0 || feature.length > MAX_FEATURE_NAME) {
      check.fail(`${path}[${i}]`, `must be a feature name of 1 to ${MAX_FEATURE_NAME} characters`, feature);
    } else if (!PRINTABLE_ASCII.test(feature)) {
      check.fail(
        `${path}[${i}]`,
        'has characters CloudWatch metric names refuse; the monitor publishes each as "_", so list the name that way',
        feature,
      );
    } else if (features.includes(feature)) {
      check.fail(`${path}[${i}]`, 'is listed twice: list each feature once', feature);
    } else {
      features.push(feature);
    }
  });
  return features;
}

/** The per-feature threshold override of `feature`, when the config has one of its own. */
export function featureThreshold(endpoint: EndpointConfig, feature: string): number | undefined {
  return Object.hasOwn(endpoint.featureThresholds, feature) ? endpoint.featureThresholds[feature] : undefined;
}
