import { readFileSync } from 'node:fs';
import { isProblemType, PROBLEM_TYPES, type ProblemType } from '../functions/contracts/problem-type.ts';
import { type FanOutConfig, parseFanOutConfig } from './fan-out-config.ts';
import { QUALITY_METRICS } from './metric-names.ts';

/**
 * The user's configuration, `driftwatch.config.json` by default (the file is named by the
 * `driftwatch:configFile` context key in `cdk.json`). `parseConfig` validates the JSON and fills in
 * every default, so the constructs only ever see a complete `DriftwatchConfig`.
 */

/** An `s3://bucket/prefix` URI, split. `prefix` has no leading or trailing slash and may be empty. */
export interface S3Location {
  /** The URI as the monitor receives it: `s3://bucket/prefix`, without a trailing slash. */
  readonly uri: string;
  readonly bucket: string;
  readonly prefix: string;
}

/** When one CloudWatch alarm fires. Its comparison (above or below) is fixed by what it watches. */
export interface AlarmSettings {
  /** The value the metric is compared with. */
  readonly threshold: number;
  /** Length of one evaluation period, in minutes. */
  readonly periodMinutes: number;
  /** How many recent periods the alarm looks at. */
  readonly evaluationPeriods: number;
  /** How many of those periods must breach for the alarm to fire. */
  readonly datapointsToAlarm: number;
}

/** An alarm's settings, or `false` when the alarm is turned off. */
export type AlarmSetting = AlarmSettings | false;

/** Endpoint health alarms on SageMaker's own metrics, per variant. */
export interface HealthAlarmsConfig {
  /** `ModelLatency` p99 above this many microseconds. @default 1,000,000 µs over 3 of 3 five-minute periods */
  readonly modelLatencyP99Micros: AlarmSetting;
  /** `OverheadLatency` p99 above this many microseconds. @default 100,000 µs over 3 of 3 five-minute periods */
  readonly overheadLatencyMicros: AlarmSetting;
  /** `Invocations` per period below this; no data counts as breaching. @default 1 per hour */
  readonly invocationsMin: AlarmSetting;
  /** `Invocation4XXErrors` per period at or above this. @default 10 per 5 minutes, 3 of 3 */
  readonly invocation4xxErrors: AlarmSetting;
  /** `Invocation5XXErrors` per period at or above this. @default 1 per 5 minutes, 2 of 3 */
  readonly invocation5xxErrors: AlarmSetting;
  /**
   * `CPUUtilization` at or above this percent. SageMaker sums it over the instance's vCPUs (0 to
   * 100 × vCPUs), so no single default suits every instance type.
   * @default false (turn it on with a threshold such as 80 × vCPUs)
   */
  readonly cpuUtilization: AlarmSetting;
  /** `MemoryUtilization` at or above this percent. @default 85, 3 of 3 five-minute periods */
  readonly memoryUtilization: AlarmSetting;
  /** `DiskUtilization` at or above this percent. @default 85, 3 of 3 five-minute periods */
  readonly diskUtilization: AlarmSetting;
}

/** The alarms on one endpoint's monitoring results. */
export interface EndpointAlarmsConfig {
  /**
   * Per listed feature, `feature_baseline_drift_NAME` above the feature's threshold
   * (`featureThresholds[NAME]`, else this setting's threshold).
   * @default threshold 0.1 (SageMaker's default comparison threshold)
   */
  readonly featureDrift: AlarmSetting;
  /** `dataset_drift_share` at or above the threshold. @default the endpoint's `datasetDriftShare` */
  readonly datasetDrift: AlarmSetting;
  /** Per listed feature, `feature_non_null_NAME` below the threshold (0..1). @default 0.95 */
  readonly completeness: AlarmSetting;
  /** `violations` at or above the threshold. @default 1 */
  readonly violations: AlarmSetting;
  /**
   * Model-quality alarms, keyed by SageMaker metric name (`accuracy`, `f1`, `rmse`, ...). Metrics
   * where higher is better alarm below the threshold, the others (errors, false rates) above it.
   * @default {} (no quality alarms)
   */
  readonly quality: Readonly<Record<string, AlarmSettings>>;
  /**
   * "No capture data": `records_profiled` below the threshold, with missing data breaching, so a
   * silent endpoint or a broken capture configuration pages someone.
   * @default threshold 1 over 4 of 4 hourly periods (two empty windows, see the code for why)
   */
  readonly noData: AlarmSetting;
  readonly health: HealthAlarmsConfig;
}

/** One monitored SageMaker endpoint. */
export interface EndpointConfig {
  /** The endpoint's name. */
  readonly name: string;
  /** Variants whose capture is profiled together. @default ["AllTraffic"] */
  readonly variants: readonly string[];
  /** Where SageMaker writes the endpoint's capture (`DataCaptureConfig.DestinationS3Uri`). */
  readonly capture: S3Location;
  /** The baseline folder (driftwatch's own, or SageMaker's statistics.json + constraints.json). */
  readonly baseline: S3Location;
  /** Ground-truth labels, when model quality is monitored. @default none */
  readonly groundTruth?: S3Location;
  /** @default none (no model quality) */
  readonly problemType?: ProblemType;
  /** BinaryClassification: scores at or above this are positive. @default none (the monitor's 0.5) */
  readonly probabilityThreshold?: number;
  /** The `MonitoringSchedule` metric dimension and report path segment. @default "driftwatch-hourly" */
  readonly scheduleName: string;
  /** EventBridge Scheduler expression, in UTC. @default "cron(10 * * * ? *)" */
  readonly schedule: string;
  /** Share of drifted features at and above which the dataset counts as drifted. @default 0.5 */
  readonly datasetDriftShare: number;
  /** Per-feature drift thresholds (feature name to threshold). @default {} */
  readonly featureThresholds: Readonly<Record<string, number>>;
  /** Features drawn on the dashboard and given their own drift and completeness alarms. @default [] */
  readonly features: readonly string[];
  readonly alarms: EndpointAlarmsConfig;
  /** Addresses that receive this endpoint's alarms and summaries (besides `alarmEmails`). @default [] */
  readonly emails: readonly string[];
  /**
   * Where this endpoint's alarms and summaries are posted in Slack; `false` turns the top-level
   * `slack` off for this endpoint.
   * @default the top-level `slack`
   */
  readonly slack?: SlackConfig | false;
  /** What starts a retraining of this endpoint's model, and how. @default none (retraining off) */
  readonly retraining?: RetrainingConfig;
  /** Profile large windows in parts with a Step Functions state machine. @default none (off) */
  readonly fanOut?: FanOutConfig;
}

/**
 * Slack: a notifier Lambda posting Block Kit messages to an incoming webhook whose URL is kept in
 * Secrets Manager, or an AWS Chatbot channel configuration subscribed to the topic.
 */
export type SlackConfig =
  | {
      readonly kind: 'webhook';
      /** The secret's name, or its complete ARN; its value is the webhook URL (or `{"webhookUrl": URL}`). */
      readonly webhookSecret: string;
      /** The customer managed key that encrypts the secret. @default none (the AWS managed key) */
      readonly webhookSecretKmsKeyArn?: string;
    }
  | {
      readonly kind: 'chatbot';
      /** The Slack workspace (team) ID authorized in the AWS Chatbot console, like T07EXAMPLE. */
      readonly workspaceId: string;
      /** The Slack channel ID, like C07EXAMPLE. */
      readonly channelId: string;
    };

/** What starts a retraining. */
export interface RetrainingTriggers {
  /** The window's dataset drift was detected. @default true */
  readonly datasetDrift: boolean;
  /** The window broke a model-quality constraint. @default true */
  readonly qualityViolation: boolean;
  /** Names of this endpoint's alarms whose ALARM transition starts one. @default [] */
  readonly alarms: readonly string[];
}

/** The names under which the window and its report are passed to a pipeline. */
export interface WindowParameterNames {
  /** @default "WindowStart" */
  readonly start: string;
  /** @default "WindowEnd" */
  readonly end: string;
  /** @default "ReportUri" */
  readonly report: string;
}

/** How a retraining starts: a SageMaker pipeline execution, or a clone of an earlier training job. */
export type RetrainingAction =
  | {
      readonly kind: 'pipeline';
      readonly pipelineName: string;
      /** Parameters passed to every execution, besides the window's. @default {} */
      readonly parameters: Readonly<Record<string, string>>;
      readonly windowParameters: WindowParameterNames;
    }
  | {
      readonly kind: 'trainingJob';
      /** The training job whose configuration is copied (DescribeTrainingJob). */
      readonly sourceJobName: string;
      /** The role the new job runs as; the notifier may pass exactly this role. */
      readonly roleArn: string;
      /** New job names are `PREFIX-yyyymmddhh` (the window). @default the endpoint name (at most 44 characters) + "-retrain" */
      readonly jobNamePrefix: string;
      /** Where the new jobs write their model. @default the reports bucket, under `[PREFIX/]retraining/ENDPOINT/training-jobs` */
      readonly output?: S3Location;
    };

/** Retraining of one endpoint's model, off unless the endpoint has a `retraining` block. */
export interface RetrainingConfig {
  /** Only notify what would be started or skipped; start nothing and keep no state. @default false */
  readonly dryRun: boolean;
  /** Hours after a start during which no other retraining of the endpoint starts. @default 24 */
  readonly cooldownHours: number;
  readonly on: RetrainingTriggers;
  readonly action: RetrainingAction;
}

/** Where reports go: a bucket the stack creates, or one that exists. */
export type ReportsBucketConfig =
  | { readonly kind: 'create'; readonly prefix: string }
  | { readonly kind: 'existing'; readonly bucketName: string; readonly prefix: string };

/** The whole configuration, every default filled in. */
export interface DriftwatchConfig {
  /** CloudWatch namespace of the data-quality metrics. @default "aws/sagemaker/Endpoints/data-metrics" */
  readonly namespace: string;
  /** CloudWatch namespace of the model-quality metrics. @default "aws/sagemaker/Endpoints/model-metrics" */
  readonly modelMetricsNamespace: string;
  /** @default { create: true } */
  readonly reportsBucket: ReportsBucketConfig;
  /** Addresses that receive every endpoint's alarms and summaries. @default [] */
  readonly alarmEmails: readonly string[];
  readonly endpoints: readonly EndpointConfig[];
  /** Where every endpoint's alarms and summaries are posted in Slack. @default none */
  readonly slack?: SlackConfig;
}

/** The monitor publishes once an hour, about 70 minutes after a window's start (the metric's timestamp). */
const HOURLY = { periodMinutes: 60, evaluationPeriods: 3, datapointsToAlarm: 1 } as const;
const FIVE_MINUTES = { periodMinutes: 5, evaluationPeriods: 3, datapointsToAlarm: 3 } as const;

/** A health alarm's default settings, and whether it is on when the config does not mention it. */
export interface HealthAlarmDefault {
  readonly enabled: boolean;
  readonly settings: AlarmSettings;
}

/** Defaults of every alarm (the dataset-drift threshold defaults to the endpoint's `datasetDriftShare`). */
export const ALARM_DEFAULTS: {
  readonly featureDrift: AlarmSettings;
  readonly completeness: AlarmSettings;
  readonly violations: AlarmSettings;
  readonly noData: AlarmSettings;
  readonly quality: Omit<AlarmSettings, 'threshold'>;
  readonly health: Readonly<Record<keyof HealthAlarmsConfig, HealthAlarmDefault>>;
} = {
  // Three hourly periods, one breaching: a window's result lands in the previous clock hour ten
  // minutes after the hour, so looking back three periods keeps the latest result in view until
  // the next one arrives; the alarm clears one window after the drift stops.
  featureDrift: { threshold: 0.1, ...HOURLY },
  completeness: { threshold: 0.95, ...HOURLY },
  violations: { threshold: 1, ...HOURLY },
  // Missing is breaching and the current and previous hours are always empty at the top of the
  // hour (nothing published yet), so four periods must all breach: two complete windows in a row
  // were empty or never published.
  noData: { threshold: 1, periodMinutes: 60, evaluationPeriods: 4, datapointsToAlarm: 4 },
  quality: HOURLY,
  health: {
    modelLatencyP99Micros: { enabled: true, settings: { threshold: 1_000_000, ...FIVE_MINUTES } },
    overheadLatencyMicros: { enabled: true, settings: { threshold: 100_000, ...FIVE_MINUTES } },
    invocationsMin: {
      enabled: true,
      settings: { threshold: 1, periodMinutes: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    },
    invocation4xxErrors: { enabled: true, settings: { threshold: 10, ...FIVE_MINUTES } },
    invocation5xxErrors: {
      enabled: true,
      settings: { threshold: 1, periodMinutes: 5, evaluationPeriods: 3, datapointsToAlarm: 2 },
    },
    cpuUtilization: { enabled: false, settings: { threshold: 80, ...FIVE_MINUTES } },
    memoryUtilization: { enabled: true, settings: { threshold: 85, ...FIVE_MINUTES } },
    diskUtilization: { enabled: true, settings: { threshold: 85, ...FIVE_MINUTES } },
  },
};

export const DEFAULTS = {
  namespace: 'aws/sagemaker/Endpoints/data-metrics',
  modelMetricsNamespace: 'aws/sagemaker/Endpoints/model-metrics',
  variants: ['AllTraffic'],
  scheduleName: 'driftwatch-hourly',
  // Ten minutes after the hour, so capture files SageMaker flushes late are in S3 before the run.
  schedule: 'cron(10 * * * ? *)',
  datasetDriftShare: 0.5,
} as const;

/** A configuration that does not validate; `problems` holds one line per problem. */
export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the config file at `path`; `displayName` is how messages name it. */
export function loadConfigFile(path: string, displayName: string): DriftwatchConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([
      `${displayName}: cannot read the config file (${(error as Error).message}); copy the example ` +
        'driftwatch.config.json or point the "driftwatch:configFile" context key in cdk.json at your file',
    ]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${displayName}: is not valid JSON (${(error as Error).message})`]);
  }
  return parseConfig(json, displayName);
}

const TOP_KEYS = [
  'namespace',
  'modelMetricsNamespace',
  'reportsBucket',
  'alarmEmails',
  'endpoints',
  'slack',
] as const;
const ENDPOINT_KEYS = [
  'name',
  'variants',
  'captureUri',
  'baselineUri',
  'groundTruthUri',
  'problemType',
  'probabilityThreshold',
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
const ALARM_KEYS = [
  'featureDrift',
  'datasetDrift',
  'completeness',
  'violations',
  'quality',
  'noData',
  'health',
] as const;
const SETTING_KEYS = ['threshold', 'periodMinutes', 'evaluationPeriods', 'datapointsToAlarm'] as const;
const HEALTH_KEYS = Object.keys(ALARM_DEFAULTS.health) as (keyof HealthAlarmsConfig)[];

/** SageMaker's pattern for endpoint, variant and monitoring schedule names. */
const SAGEMAKER_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const SCHEDULE = /^(cron\(\S+( \S+){5}\)|rate\([1-9]\d* (minute|minutes|hour|hours|day|days)\))$/;
/** Feature names go into metric and alarm names, which CloudWatch caps at 255 characters. */
const MAX_FEATURE_NAME = 150;
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;

/**
 * Validates the parsed JSON of a config file and fills in the defaults. Every problem is reported
 * at once, each naming the file, the field and the fix; throws `ConfigError` if there is any.
 */
export function parseConfig(json: unknown, fileName: string): DriftwatchConfig {
  const check = new Checker(fileName);
  const root = check.object(json, '', 'must be a JSON object with an "endpoints" list');
  if (!root) throw new ConfigError(check.problems);
  check.knownKeys(root, '', TOP_KEYS);

  const namespace = check.namespace(root.namespace, 'namespace', DEFAULTS.namespace);
  const modelMetricsNamespace = check.namespace(
    root.modelMetricsNamespace,
    'modelMetricsNamespace',
    DEFAULTS.modelMetricsNamespace,
  );
  const reportsBucket = parseReportsBucket(check, root.reportsBucket);
  const alarmEmails = check.emails(root.alarmEmails, 'alarmEmails');
  const slack = root.slack === undefined ? undefined : parseSlack(check, root.slack, 'slack', false);

  const endpoints: EndpointConfig[] = [];
  if (root.endpoints === undefined) {
    check.fail(
      'endpoints',
      'is required: list the SageMaker endpoints to monitor, e.g. [{"name": "my-endpoint", ...}]',
      undefined,
    );
  } else if (!Array.isArray(root.endpoints) || root.endpoints.length === 0) {
    check.fail('endpoints', 'must be a non-empty list of endpoints', root.endpoints);
  } else {
    const seen = new Set<string>();
    root.endpoints.forEach((value: unknown, index: number) => {
      const endpoint = parseEndpoint(check, value, `endpoints[${index}]`);
      if (!endpoint) return;
      if (seen.has(endpoint.name)) {
        check.fail(
          `endpoints[${index}].name`,
          'is listed twice: give each endpoint one entry (list several variants under "variants")',
          endpoint.name,
        );
      }
      seen.add(endpoint.name);
      endpoints.push(endpoint);
    });
  }

  if (check.problems.length > 0) throw new ConfigError(check.problems);
  return {
    namespace,
    modelMetricsNamespace,
    reportsBucket,
    alarmEmails,
    endpoints,
    ...(slack ? { slack } : {}),
  };
}

function parseReportsBucket(check: Checker, value: unknown): ReportsBucketConfig {
  const path = 'reportsBucket';
  if (value === undefined) return { kind: 'create', prefix: '' };
  const fix = 'must be {"create": true} or {"existingBucketName": "my-bucket"}';
  const obj = check.object(value, path, fix);
  if (!obj) return { kind: 'create', prefix: '' };
  check.knownKeys(obj, path, ['create', 'existingBucketName', 'prefix']);
  const prefix = check.prefix(obj.prefix, `${path}.prefix`);
  if (obj.existingBucketName !== undefined) {
    if (obj.create === true) {
      check.fail(path, 'sets both "create" and "existingBucketName": keep one', value);
    }
    const name = obj.existingBucketName;
    if (typeof name !== 'string' || !BUCKET_NAME.test(name)) {
      check.fail(
        `${path}.existingBucketName`,
        'must be an S3 bucket name like my-reports-bucket (no s3://)',
        name,
      );
      return { kind: 'create', prefix };
    }
    return { kind: 'existing', bucketName: name, prefix };
  }
  if (obj.create !== true) check.fail(path, fix, value);
  return { kind: 'create', prefix };
}

function parseEndpoint(check: Checker, value: unknown, path: string): EndpointConfig | undefined {
  const obj = check.object(
    value,
    path,
    'must be an object with at least "name", "captureUri" and "baselineUri"',
  );
  if (!obj) return undefined;
  check.knownKeys(obj, path, ENDPOINT_KEYS);

  const name = check.sageMakerName(obj.name, `${path}.name`, 'the SageMaker endpoint name');
  const variants = parseVariants(check, obj.variants, `${path}.variants`);
  const capture = check.s3Uri(obj.captureUri, `${path}.captureUri`, 's3://my-bucket/datacapture', true);
  const baseline = check.s3Uri(obj.baselineUri, `${path}.baselineUri`, 's3://my-bucket/baseline', true);
  const groundTruth = check.s3Uri(
    obj.groundTruthUri,
    `${path}.groundTruthUri`,
    's3://my-bucket/ground-truth',
    false,
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
  const alarms = parseAlarms(check, obj.alarms, `${path}.alarms`, datasetDriftShare, problemType);
  const emails = check.emails(obj.emails, `${path}.emails`);
  const slack = obj.slack === undefined ? undefined : parseSlack(check, obj.slack, `${path}.slack`, true);
  const retraining =
    obj.retraining === undefined
      ? undefined
      : parseRetraining(check, obj.retraining, `${path}.retraining`, name, problemType);
  const fanOut = parseFanOutConfig(obj.fanOut, `${path}.fanOut`, (p, m, got) => check.fail(p, m, got));

  if (!name || !capture || !baseline) return undefined;
  return {
    name,
    variants,
    capture,
    baseline,
    ...(groundTruth ? { groundTruth } : {}),
    ...(problemType ? { problemType } : {}),
    ...(probabilityThreshold !== undefined ? { probabilityThreshold } : {}),
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
  const thresholds: Record<string, number> = {};
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

function parseAlarms(
  check: Checker,
  value: unknown,
  path: string,
  datasetDriftShare: number,
  problemType: ProblemType | undefined,
): EndpointAlarmsConfig {
  const obj =
    value === undefined ? {} : (check.object(value, path, 'must be an object of alarm settings') ?? {});
  check.knownKeys(obj, path, ALARM_KEYS);
  const setting = (key: (typeof ALARM_KEYS)[number], defaults: AlarmSettings, range?: 'fraction') =>
    check.alarmSetting(obj[key], `${path}.${key}`, defaults, range);

  return {
    featureDrift: setting('featureDrift', ALARM_DEFAULTS.featureDrift),
    datasetDrift: setting('datasetDrift', { ...HOURLY, threshold: datasetDriftShare }, 'fraction'),
    completeness: setting('completeness', ALARM_DEFAULTS.completeness, 'fraction'),
    violations: setting('violations', ALARM_DEFAULTS.violations),
    quality: parseQualityAlarms(check, obj.quality, `${path}.quality`, problemType),
    noData: setting('noData', ALARM_DEFAULTS.noData),
    health: parseHealthAlarms(check, obj.health, `${path}.health`),
  };
}

function parseQualityAlarms(
  check: Checker,
  value: unknown,
  path: string,
  problemType: ProblemType | undefined,
): Record<string, AlarmSettings> {
  if (value === undefined) return {};
  const obj = check.object(
    value,
    path,
    'must be an object of quality metric name to threshold, like {"accuracy": 0.8}',
  );
  if (!obj || Object.keys(obj).length === 0) return {};
  if (!problemType) {
    check.fail(
      path,
      "needs the endpoint's problemType and groundTruthUri: set both, or remove the quality alarms",
      value,
    );
    return {};
  }
  const known = QUALITY_METRICS[problemType];
  const alarms: Record<string, AlarmSettings> = {};
  for (const [metric, setting] of Object.entries(obj)) {
    const metricPath = `${path}.${metric}`;
    if (!(metric in known)) {
      check.fail(
        metricPath,
        `is not a ${problemType} metric: use one of ${Object.keys(known).join(', ')}`,
        metric,
      );
      continue;
    }
    if (setting === false) continue;
    if (setting === true || setting === undefined || (isObject(setting) && setting.threshold === undefined)) {
      check.fail(`${metricPath}.threshold`, 'is required: quality alarms have no default threshold', setting);
      continue;
    }
    const parsed = check.alarmSetting(setting, metricPath, { ...ALARM_DEFAULTS.quality, threshold: 0 });
    if (parsed) alarms[metric] = parsed;
  }
  return alarms;
}

function parseHealthAlarms(check: Checker, value: unknown, path: string): HealthAlarmsConfig {
  const obj =
    value === undefined
      ? {}
      : (check.object(value, path, 'must be an object of health alarm settings') ?? {});
  check.knownKeys(obj, path, HEALTH_KEYS);
  const health = {} as Record<keyof HealthAlarmsConfig, AlarmSetting>;
  for (const key of HEALTH_KEYS) {
    const { enabled, settings } = ALARM_DEFAULTS.health[key];
    const range = key.endsWith('Utilization') && key !== 'cpuUtilization' ? 'percent' : undefined;
    health[key] =
      obj[key] === undefined && !enabled
        ? false
        : check.alarmSetting(obj[key], `${path}.${key}`, settings, range);
  }
  return health;
}

/** A Secrets Manager secret name (what the console calls the secret's name). */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A complete secret ARN: the name followed by the six random characters Secrets Manager adds. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
const SLACK_ID = /^[A-Z0-9]{2,64}$/;
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
/** SageMaker pipeline names (and pipeline parameter names, which are looser). */
const PIPELINE_NAME = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,255}$/;
const PIPELINE_PARAMETER_NAME = /^[A-Za-z0-9_-]{1,256}$/;
/** Training job names stop at 63 characters; `-yyyymmddhh` takes 11 of them. */
const JOB_NAME_PREFIX = /^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,51}$/;
const SLACK_KEYS = ['webhookSecret', 'webhookSecretKmsKeyArn', 'chatbot'] as const;
const RETRAINING_KEYS = ['dryRun', 'cooldownHours', 'on', 'pipeline', 'trainingJob'] as const;

/** `slack`, at the top or in an endpoint (where `false` turns it off for the endpoint). */
function parseSlack(
  check: Checker,
  value: unknown,
  path: string,
  allowFalse: true,
): SlackConfig | false | undefined;
function parseSlack(check: Checker, value: unknown, path: string, allowFalse: false): SlackConfig | undefined;
function parseSlack(
  check: Checker,
  value: unknown,
  path: string,
  allowFalse: boolean,
): SlackConfig | false | undefined {
  if (value === false && allowFalse) return false;
  const fix = `must be {"webhookSecret": "SECRET-NAME-OR-ARN"} or {"chatbot": {"workspaceId": "T...", "channelId": "C..."}}${allowFalse ? ', or false (no Slack for this endpoint)' : ''}`;
  const obj = check.object(value, path, fix);
  if (!obj) return undefined;
  check.knownKeys(obj, path, SLACK_KEYS);
  if ((obj.webhookSecret === undefined) === (obj.chatbot === undefined)) {
    check.fail(
      path,
      `sets ${obj.chatbot === undefined ? 'neither' : 'both'} "webhookSecret" and "chatbot": ${fix}`,
      Object.keys(obj),
    );
    return undefined;
  }
  if (obj.chatbot !== undefined) {
    if (obj.webhookSecretKmsKeyArn !== undefined)
      check.fail(
        `${path}.webhookSecretKmsKeyArn`,
        'only applies with "webhookSecret": remove it',
        obj.webhookSecretKmsKeyArn,
      );
    const chatbot = check.object(
      obj.chatbot,
      `${path}.chatbot`,
      'must be {"workspaceId": "T...", "channelId": "C..."}',
    );
    if (!chatbot) return undefined;
    check.knownKeys(chatbot, `${path}.chatbot`, ['workspaceId', 'channelId']);
    const id = (key: 'workspaceId' | 'channelId', example: string, where: string) => {
      const v = chatbot[key];
      if (typeof v === 'string' && SLACK_ID.test(v)) return v;
      check.fail(
        `${path}.chatbot.${key}`,
        `must be a Slack ${where} ID like ${example} (${where === 'workspace' ? 'the AWS Chatbot console shows it once the workspace is authorized' : 'the end of the channel link'})`,
        v,
      );
      return undefined;
    };
    const workspaceId = id('workspaceId', 'T07EXAMPLE', 'workspace');
    const channelId = id('channelId', 'C07EXAMPLE', 'channel');
    return workspaceId && channelId ? { kind: 'chatbot', workspaceId, channelId } : undefined;
  }
  const secret = obj.webhookSecret;
  if (typeof secret === 'string' && /^https?:\/\//i.test(secret)) {
    // Never echo it: this is the webhook URL itself, which must stay out of configs and logs.
    check.failConcealed(
      `${path}.webhookSecret`,
      'is a URL, not a secret: store the webhook URL in Secrets Manager (aws secretsmanager create-secret --name driftwatch/slack-webhook --secret-string URL), name the secret here, and regenerate the webhook in Slack since it has been in a file',
      'a URL',
    );
    return undefined;
  }
  const isArn = typeof secret === 'string' && secret.startsWith('arn:');
  if (typeof secret !== 'string' || (isArn ? !SECRET_ARN.test(secret) : !SECRET_NAME.test(secret))) {
    check.fail(
      `${path}.webhookSecret`,
      isArn
        ? "must be the secret's complete ARN, ending in the six characters Secrets Manager adds (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf), or just its name"
        : 'must be the name of a Secrets Manager secret like driftwatch/slack-webhook, or its complete ARN',
      secret,
    );
    return undefined;
  }
  const key = obj.webhookSecretKmsKeyArn;
  if (key !== undefined && (typeof key !== 'string' || !KMS_KEY_ARN.test(key))) {
    check.fail(
      `${path}.webhookSecretKmsKeyArn`,
      'must be a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID',
      key,
    );
    return undefined;
  }
  return {
    kind: 'webhook',
    webhookSecret: secret,
    ...(key !== undefined ? { webhookSecretKmsKeyArn: key } : {}),
  };
}

function parseRetraining(
  check: Checker,
  value: unknown,
  path: string,
  endpointName: string | undefined,
  problemType: ProblemType | undefined,
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
  const on = parseRetrainingTriggers(check, obj.on, `${path}.on`, endpointName, problemType);

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
): RetrainingTriggers | undefined {
  const obj =
    value === undefined
      ? {}
      : check.object(
          value,
          path,
          'must be {"datasetDrift": true, "qualityViolation": true, "alarms": [...]}',
        );
  if (!obj) return undefined;
  check.knownKeys(obj, path, ['datasetDrift', 'qualityViolation', 'alarms']);
  const flag = (key: 'datasetDrift' | 'qualityViolation'): boolean => {
    const v = obj[key];
    if (v === undefined) return true;
    if (typeof v === 'boolean') return v;
    check.fail(`${path}.${key}`, 'must be true or false', v);
    return true;
  };
  const datasetDrift = flag('datasetDrift');
  const qualityViolation = flag('qualityViolation');
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
  if (!datasetDrift && !qualityViolation && alarms.length === 0) {
    check.fail(
      path,
      'turns every trigger off: list an alarm, or remove "retraining" to turn retraining off',
      value,
    );
  }
  return { datasetDrift, qualityViolation, alarms };
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Collects problems as `FILE: PATH WHAT IS WRONG AND THE FIX; got VALUE`. */
class Checker {
  readonly problems: string[] = [];
  constructor(private readonly fileName: string) {}

  fail(path: string, message: string, got: unknown): void {
    const where = path === '' ? '' : `${path} `;
    const value = got === undefined ? 'nothing' : JSON.stringify(got);
    this.problems.push(`${this.fileName}: ${where}${message}; got ${value}`);
  }

  /** Like `fail`, for a value that must not be repeated (a credential put where a reference belongs). */
  failConcealed(path: string, message: string, what: string): void {
    this.problems.push(`${this.fileName}: ${path} ${message}; got ${what} (not shown)`);
  }

  object(value: unknown, path: string, message: string): Record<string, unknown> | undefined {
    if (isObject(value)) return value;
    this.fail(path, message, value);
    return undefined;
  }

  knownKeys(obj: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const close = known.find((k) => k.toLowerCase() === key.toLowerCase() || editDistance(k, key) <= 2);
      const fix = close ? `did you mean "${close}"?` : `known fields are ${known.join(', ')}`;
      this.problems.push(
        `${this.fileName}: ${path === '' ? '' : `${path}.`}${key} is not a known field; ${fix}`,
      );
    }
  }

  namespace(value: unknown, path: string, fallback: string): string {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value.length === 0 || value.length > 255 || value.startsWith('AWS/')) {
      this.fail(
        path,
        'must be a CloudWatch namespace of 1 to 255 characters not starting with "AWS/"',
        value,
      );
      return fallback;
    }
    return value;
  }

  sageMakerName(value: unknown, path: string, what: string): string | undefined {
    if (value === undefined) {
      this.fail(path, `is required: set it to ${what}`, value);
      return undefined;
    }
    if (typeof value !== 'string' || !SAGEMAKER_NAME.test(value)) {
      this.fail(path, `must be ${what}: letters, digits and hyphens, at most 63 characters`, value);
      return undefined;
    }
    return value;
  }

  s3Uri(value: unknown, path: string, example: string, required: boolean): S3Location | undefined {
    if (value === undefined) {
      if (required) this.fail(path, `is required: set it to an s3:// URI like ${example}`, value);
      return undefined;
    }
    const match = typeof value === 'string' ? /^s3:\/\/([^/]+)\/*(.*)$/.exec(value) : null;
    const bucket = match?.[1];
    if (!match || bucket === undefined || !BUCKET_NAME.test(bucket)) {
      this.fail(path, `must be an s3:// URI like ${example}`, value);
      return undefined;
    }
    const prefix = (match[2] ?? '').replace(/\/+$/, '');
    return { uri: prefix ? `s3://${bucket}/${prefix}` : `s3://${bucket}`, bucket, prefix };
  }

  prefix(value: unknown, path: string): string {
    if (value === undefined) return '';
    if (typeof value !== 'string' || value.includes('*')) {
      this.fail(path, 'must be a key prefix like "driftwatch" (no wildcards)', value);
      return '';
    }
    return value.replace(/^\/+|\/+$/g, '');
  }

  emails(value: unknown, path: string): string[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(path, 'must be a list of email addresses like ["ml-oncall@example.com"]', value);
      return [];
    }
    const emails: string[] = [];
    value.forEach((email, i) => {
      if (typeof email === 'string' && EMAIL.test(email)) emails.push(email);
      else this.fail(`${path}[${i}]`, 'must be an email address like ml-oncall@example.com', email);
    });
    return emails;
  }

  fraction(value: unknown, path: string, fallback: number, excludeZero = false): number {
    const ok = typeof value === 'number' && value >= 0 && value <= 1 && !(excludeZero && value === 0);
    if (ok) return value;
    this.fail(path, `must be a number ${excludeZero ? 'above 0 and at most 1' : 'from 0 to 1'}`, value);
    return fallback;
  }

  /** `true` or absent: the defaults; `false`: off; a number: the threshold; an object: any of the settings. */
  alarmSetting(
    value: unknown,
    path: string,
    defaults: AlarmSettings,
    range?: 'fraction' | 'percent',
  ): AlarmSetting {
    if (value === undefined || value === true) return defaults;
    if (value === false) return false;
    const fix = `must be false (off), true (defaults), a threshold number, or {${SETTING_KEYS.join(', ')}}`;
    const input = typeof value === 'number' ? { threshold: value } : isObject(value) ? value : undefined;
    if (!input) {
      this.fail(path, fix, value);
      return defaults;
    }
    this.knownKeys(input, path, SETTING_KEYS);
    const settings: { -readonly [K in keyof AlarmSettings]: number } = { ...defaults };
    const threshold = input.threshold ?? defaults.threshold;
    const max = range === 'fraction' ? 1 : range === 'percent' ? 100 : Number.POSITIVE_INFINITY;
    if (typeof threshold !== 'number' || !Number.isFinite(threshold) || threshold < 0 || threshold > max) {
      const bounds =
        range === 'fraction' ? 'from 0 to 1' : range === 'percent' ? 'from 0 to 100' : 'of 0 or more';
      this.fail(
        typeof value === 'number' ? path : `${path}.threshold`,
        `must be a number ${bounds}`,
        threshold,
      );
    } else {
      settings.threshold = threshold;
    }
    for (const key of ['periodMinutes', 'evaluationPeriods', 'datapointsToAlarm'] as const) {
      const n = input[key];
      if (n === undefined) continue;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) {
        this.fail(`${path}.${key}`, 'must be a whole number of 1 or more', n);
      } else {
        settings[key] = n;
      }
    }
    if (settings.datapointsToAlarm > settings.evaluationPeriods) {
      this.fail(
        `${path}.datapointsToAlarm`,
        `must be at most evaluationPeriods (${settings.evaluationPeriods})`,
        settings.datapointsToAlarm,
      );
    }
    if (settings.periodMinutes * settings.evaluationPeriods > 24 * 60) {
      this.fail(
        path,
        'looks back more than a day: keep periodMinutes × evaluationPeriods at most 1440, as CloudWatch alarms require',
        value,
      );
    }
    return settings;
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
