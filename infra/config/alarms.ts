import type { ProblemType } from '../../functions/contracts/problem-type.ts';
import { QUALITY_METRICS } from '../metric-names.ts';
import { type Checker, isObject } from './checker.ts';
import { ALARM_DEFAULTS, HOURLY } from './defaults.ts';
import type { AlarmSetting, AlarmSettings, EndpointAlarmsConfig, HealthAlarmsConfig } from './types.ts';

const ALARM_KEYS = [
  'featureDrift',
  'datasetDrift',
  'completeness',
  'violations',
  'biasViolations',
  'multivariateDrift',
  'attributionDrift',
  'quality',
  'noData',
  'health',
] as const;
const HEALTH_KEYS = Object.keys(ALARM_DEFAULTS.health) as (keyof HealthAlarmsConfig)[];
/**
 * Health alarm names of earlier versions, still read as the new one. The latency alarm was on p99,
 * which SageMaker does not document for ModelLatency; it is on the Average now.
 */
const RENAMED_HEALTH_KEYS: Readonly<Record<string, keyof HealthAlarmsConfig>> = {
  modelLatencyP99Micros: 'modelLatencyMicros',
};

/**
 * An endpoint's `alarms`: each alarm's settings, defaults filled in, `false` where turned off.
 * `hasBias`: the endpoint has a `bias` block, without which there is no bias alarm;
 * `hasAttribution`: an `attribution` block, without which there is no attribution alarm.
 */
export function parseAlarms(
  check: Checker,
  value: unknown,
  path: string,
  datasetDriftShare: number,
  problemType: ProblemType | undefined,
  hasBias = false,
  hasAttribution = false,
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
    biasViolations: biasAlarm(check, obj.biasViolations, `${path}.biasViolations`, hasBias),
    multivariateDrift: setting('multivariateDrift', ALARM_DEFAULTS.multivariateDrift),
    attributionDrift: attributionAlarm(
      check,
      obj.attributionDrift,
      `${path}.attributionDrift`,
      hasAttribution,
    ),
    quality: parseQualityAlarms(check, obj.quality, `${path}.quality`, problemType),
    noData: setting('noData', ALARM_DEFAULTS.noData),
    health: parseHealthAlarms(check, obj.health, `${path}.health`),
  };
}

/** The bias alarm: on by default with a `bias` block; asking for it without one is a mistake. */
function biasAlarm(check: Checker, value: unknown, path: string, hasBias: boolean): AlarmSetting {
  if (hasBias) return check.alarmSetting(value, path, ALARM_DEFAULTS.biasViolations);
  if (value !== undefined && value !== false)
    check.fail(
      path,
      'needs the endpoint\'s bias block (the bias_violations metric of a deployed bias configuration): add "bias": {"analysisConfig": "s3://..."}, or remove it',
      value,
    );
  return false;
}

/** The attribution alarm: on by default with an `attribution` block; asking for it without one is a mistake. */
function attributionAlarm(
  check: Checker,
  value: unknown,
  path: string,
  hasAttribution: boolean,
): AlarmSetting {
  if (hasAttribution) return check.alarmSetting(value, path, ALARM_DEFAULTS.attributionDrift);
  if (value !== undefined && value !== false)
    check.fail(
      path,
      'needs the endpoint\'s attribution block (the attribution_drift metric of explained windows): add "attribution": {}, or remove it',
      value,
    );
  return false;
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
  const given =
    value === undefined
      ? {}
      : (check.object(value, path, 'must be an object of health alarm settings') ?? {});
  const obj: Record<string, unknown> = { ...given };
  for (const [old, current] of Object.entries(RENAMED_HEALTH_KEYS)) {
    if (!(old in obj)) continue;
    if (current in obj)
      check.fail(
        `${path}.${old}`,
        `is the old name of ${current} (the alarm is on the Average now, not p99): keep only ${current}`,
        obj[old],
      );
    else obj[current] = obj[old];
    delete obj[old];
  }
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
