/**
 * What the monitor Lambda, and the fan-out worker and reducer, are told about their endpoint. The
 * CDK stack builds this object from the user's config and passes it as the `MONITOR_CONFIG`
 * environment variable (JSON); it holds no secrets. `infra/` imports the type (`import type`);
 * the handlers parse the variable with {@link parseMonitorConfig}.
 */
import { configFields, parseEnvJson } from './env-json.ts';
import type { JsonObject } from './json-fields.ts';
import { isProblemType, PROBLEM_TYPES, type ProblemType } from './problem-type.ts';
import { isS3Uri, parseS3ObjectUri, parseS3Uri } from './s3-uri.ts';

export interface MonitorRuntimeConfig {
  /** SageMaker endpoint name, used in metric dimensions and report paths. */
  endpoint: string;
  /** Variant names whose capture is profiled together (e.g. `["AllTraffic"]`). */
  variants: string[];
  /** Monitoring schedule name: the `MonitoringSchedule` metric dimension and a report path segment. */
  scheduleName: string;
  /** `s3://bucket/prefix` under which SageMaker writes capture: `PREFIX/ENDPOINT/VARIANT/yyyy/mm/dd/hh/`. */
  captureUri: string;
  /** `s3://bucket/prefix` of the baseline folder (driftwatch's own, or SageMaker's statistics/constraints). */
  baselineUri: string;
  /** `s3://bucket/prefix` of ground-truth labels (`PREFIX/ENDPOINT/yyyy/mm/dd/hh/`), when quality is monitored. */
  groundTruthUri?: string;
  problemType?: ProblemType;
  probabilityThreshold?: number;
  /**
   * Where the bias configuration is (the endpoint's `bias` block): Clarify's
   * `analysis_config.json` and the baseline's `analysis.json`, as S3 object URIs. Set only for a
   * BinaryClassification endpoint with ground truth.
   * @default - none: the baseline folder's `bias/analysis_config.json` and `bias/analysis.json`, when it has them
   */
  bias?: BiasLocation;
  /**
   * Feature attribution drift (the endpoint's `attribution` block): which endpoint explains the
   * window's records and at what cost. The baseline folder's `explainability/` files say what is
   * compared; without them each window's report says why it has no attribution.
   * @default - none: windows are not explained
   */
  attribution?: AttributionSettings;
  /** Bucket and key prefix for reports: `PREFIX/reports/ENDPOINT/SCHEDULE/yyyy/mm/dd/hh/`. */
  reportsBucket: string;
  reportsPrefix: string;
  /** CloudWatch namespace for data-quality metrics. */
  dataMetricsNamespace: string;
  /** CloudWatch namespace for model-quality metrics. */
  modelMetricsNamespace: string;
  /** SNS topic for window summaries. */
  topicArn: string;
  /** Share of drifted features at and above which the dataset counts as drifted. @default 0.5 */
  datasetDriftShare?: number;
  /** Per-feature threshold overrides (feature name to threshold). */
  featureThresholds?: Record<string, number>;
  /** Lambda price per GB-second in USD, for the run-cost metric. @default 0.0000133334 (arm64) */
  pricePerGbSecond?: number;
  /**
   * When set, the fan-out state machine runs this endpoint's windows: an hour with more capture
   * objects or bytes than these is profiled in parts (functions/pipeline/fan-out.ts).
   * @default - none: every window is profiled by the monitor function
   */
  /**
   * Windows past `maxObjects` objects or `maxBytes` bytes are profiled in parts; their model
   * quality is joined in partitions of about `joinPartitionBytes` of capture each.
   */
  fanOut?: { maxObjects: number; maxBytes: number; joinPartitionBytes?: number };
  /**
   * The memory (MB) every part of a window is profiled within: the smaller of the monitor
   * function's and the fan-out worker's. The line, column and per-feature limits derive from it
   * and the baseline's features (engine/profile/memory-limits.ts), alike in the monitor, the
   * workers and the reducer, so the parts of a window merge into the whole.
   * @default - none: the CLI's limits (32 MB lines, 2,000 columns, 100,000 exact values, 10,000 categories)
   */
  profileMemoryMb?: number;
}

/** The S3 objects of a deployed bias configuration. */
export interface BiasLocation {
  /** `s3://bucket/key` of Clarify's `analysis_config.json`. */
  analysisConfigUri: string;
  /** `s3://bucket/key` of the training data's `analysis.json` (the bias baseline). */
  analysisUri: string;
}

/** How a deployed monitor explains its windows (`MONITOR_CONFIG.attribution`). */
export interface AttributionSettings {
  /** The SageMaker endpoint InvokeEndpoint is called on: the monitored one, or a shadow serving the same model. */
  endpointName: string;
  /** Records explained at most per window (`--explain-records`). */
  records: number;
  /** Model rows one window may send at most (`--explain-max-rows`). */
  maxRows: number;
  /** InvokeEndpoint requests per second at most. */
  requestsPerSecond: number;
  /**
   * `s3://bucket/key` of the explainability configuration (Clarify's `analysis_config.json`).
   * @default - the configuration the baseline was explained with (its explain-settings.json)
   */
  configUri?: string;
}

/** The memory sizes Lambda offers, in MB: the range of `profileMemoryMb`. */
const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 10_240;

/** Thrown for a `MONITOR_CONFIG` the monitor cannot run with; the message names the field. */
export class MonitorConfigError extends Error {}

/**
 * Parses and checks `MONITOR_CONFIG`, given the variable's value (`process.env.MONITOR_CONFIG`);
 * errors name the field and what it takes.
 */
export function parseMonitorConfig(text: string | undefined): MonitorRuntimeConfig {
  const raw = parseEnvJson('MONITOR_CONFIG', text, 'the endpoint config', MonitorConfigError);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new MonitorConfigError('MONITOR_CONFIG must be a JSON object; redeploy the stack');
  const c = raw as JsonObject;
  const fields = configFields('MONITOR_CONFIG', MonitorConfigError);
  const fail = (field: string, wants: string): never => fields.fail(field, wants, c[field]);
  const str = (field: string, allowEmpty = false): string => fields.string(c, field, field, allowEmpty);
  const s3Uri = (field: string): string => {
    const v = str(field);
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
  const topicArn = str('topicArn');
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
  const bias = parseBiasLocation(c.bias, fields.fail);
  if (bias !== undefined && (problemType !== 'BinaryClassification' || groundTruthUri === undefined))
    fail('bias', 'absent unless problemType is BinaryClassification and groundTruthUri is set');
  const attribution = parseAttributionSettings(c.attribution, fields.fail);
  const probabilityThreshold = optionalNumber('probabilityThreshold', 0, 1);
  const datasetDriftShare = optionalNumber('datasetDriftShare', 0, 1);
  const pricePerGbSecond = optionalNumber('pricePerGbSecond', 0, 1);
  const fanOut = c.fanOut;
  const positive = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v > 0;
  if (
    fanOut !== undefined &&
    (fanOut === null ||
      typeof fanOut !== 'object' ||
      !positive((fanOut as JsonObject).maxObjects) ||
      !positive((fanOut as JsonObject).maxBytes) ||
      ((fanOut as JsonObject).joinPartitionBytes !== undefined &&
        !positive((fanOut as JsonObject).joinPartitionBytes)))
  )
    fail('fanOut', 'an object {"maxObjects", "maxBytes", "joinPartitionBytes"?} of positive whole numbers');
  const profileMemoryMb = c.profileMemoryMb;
  if (
    profileMemoryMb !== undefined &&
    (typeof profileMemoryMb !== 'number' ||
      !Number.isInteger(profileMemoryMb) ||
      profileMemoryMb < MIN_MEMORY_MB ||
      profileMemoryMb > MAX_MEMORY_MB)
  )
    fail(
      'profileMemoryMb',
      `a whole number of MB from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB} (a Lambda function's memory)`,
    );

  return {
    endpoint: str('endpoint'),
    variants: variants as string[],
    scheduleName: str('scheduleName'),
    captureUri: s3Uri('captureUri'),
    baselineUri: s3Uri('baselineUri'),
    ...(groundTruthUri !== undefined ? { groundTruthUri } : {}),
    ...(problemType !== undefined ? { problemType: problemType as MonitorRuntimeConfig['problemType'] } : {}),
    ...(probabilityThreshold !== undefined ? { probabilityThreshold } : {}),
    ...(bias !== undefined ? { bias } : {}),
    ...(attribution !== undefined ? { attribution } : {}),
    reportsBucket: str('reportsBucket'),
    reportsPrefix: str('reportsPrefix', true),
    dataMetricsNamespace: str('dataMetricsNamespace'),
    modelMetricsNamespace: str('modelMetricsNamespace'),
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
            ...((fanOut as JsonObject).joinPartitionBytes !== undefined
              ? { joinPartitionBytes: (fanOut as { joinPartitionBytes: number }).joinPartitionBytes }
              : {}),
          },
        }
      : {}),
    ...(profileMemoryMb !== undefined ? { profileMemoryMb: profileMemoryMb as number } : {}),
  };
}

/** `MONITOR_CONFIG.bias`: two S3 object URIs, or absent. */
function parseBiasLocation(
  value: unknown,
  fail: (path: string, wants: string, got: unknown) => never,
): BiasLocation | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail('bias', 'an object {"analysisConfigUri", "analysisUri"} of S3 object URIs', value);
  const o = value as JsonObject;
  const objectUri = (field: keyof BiasLocation): string => {
    const v = o[field];
    if (typeof v !== 'string' || parseS3ObjectUri(v) === null)
      fail(`bias.${field}`, 'an S3 object URI (s3://bucket/path/file.json)', v);
    return v as string;
  };
  return { analysisConfigUri: objectUri('analysisConfigUri'), analysisUri: objectUri('analysisUri') };
}

/** `MONITOR_CONFIG.attribution`: the explaining endpoint, the cost limits and the configuration, or absent. */
function parseAttributionSettings(
  value: unknown,
  fail: (path: string, wants: string, got: unknown) => never,
): AttributionSettings | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return fail(
      'attribution',
      'an object {"endpointName", "records", "maxRows", "requestsPerSecond", "configUri"?}',
      value,
    );
  const o = value as JsonObject;
  const endpointName = o.endpointName;
  if (typeof endpointName !== 'string' || !/^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}$/.test(endpointName))
    fail('attribution.endpointName', 'a SageMaker endpoint name', endpointName);
  const whole = (field: 'records' | 'maxRows', min: number): number => {
    const v = o[field];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min)
      fail(`attribution.${field}`, `a whole number of ${min} or more`, v);
    return v as number;
  };
  const rate = o.requestsPerSecond;
  if (typeof rate !== 'number' || !Number.isFinite(rate) || rate <= 0 || rate > 1000)
    fail('attribution.requestsPerSecond', 'a number above 0 and at most 1000', rate);
  const configUri = o.configUri;
  if (configUri !== undefined && (typeof configUri !== 'string' || parseS3ObjectUri(configUri) === null))
    fail('attribution.configUri', 'an S3 object URI (s3://bucket/path/explain-config.json)', configUri);
  return {
    endpointName: endpointName as string,
    records: whole('records', 1),
    maxRows: whole('maxRows', 1),
    requestsPerSecond: rate as number,
    ...(configUri !== undefined ? { configUri: configUri as string } : {}),
  };
}
