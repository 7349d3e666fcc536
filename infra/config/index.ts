/**
 * The user's configuration, `driftwatch.config.json` by default (the file is named by the
 * `driftwatch:configFile` context key in `cdk.json`). `parseConfig` validates the JSON and fills in
 * every default, so the constructs only ever see a complete `DriftwatchConfig`.
 *
 * This file is the folder's entry: the rest of infra/ imports the config from here only; the
 * section parsers (endpoint, alarms, slack, retraining, fan-out, reports bucket) sit beside it.
 */
import { readFileSync } from 'node:fs';
import { Checker, ConfigError } from './checker.ts';
import { DEFAULTS } from './defaults.ts';
import { parseEndpoint } from './endpoint.ts';
import { parseHistory } from './history.ts';
import { parseReportsBucket } from './reports-bucket.ts';
import { parseSlack } from './slack.ts';
import type { DriftwatchConfig, EndpointConfig } from './types.ts';

export { ConfigError } from './checker.ts';
export { ALARM_DEFAULTS, DEFAULTS, type HealthAlarmDefault } from './defaults.ts';
export { featureThreshold } from './endpoint.ts';
export { FAN_OUT_DEFAULTS } from './fan-out.ts';
export { HISTORY_DEFAULTS } from './history.ts';
export type {
  AlarmSetting,
  AlarmSettings,
  AttributionConfig,
  BiasLocationConfig,
  DriftwatchConfig,
  EndpointAlarmsConfig,
  EndpointConfig,
  FanOutConfig,
  HealthAlarmsConfig,
  HistoryConfig,
  ReportsBucketConfig,
  RetrainingAction,
  RetrainingConfig,
  RetrainingTriggers,
  S3Location,
  S3Object,
  SlackConfig,
  WindowParameterNames,
} from './types.ts';

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
  'history',
] as const;

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
  const history = parseHistory(check, root.history, 'history');

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
    history,
  };
}
