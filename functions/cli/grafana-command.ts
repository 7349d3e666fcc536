/**
 * `driftwatch grafana [--config driftwatch.config.json] [--out FILE] [--region REGION]`: the
 * dashboard JSON for Grafana's CloudWatch data source, from the deployed configuration, to
 * standard output or FILE.
 *
 * The CLI may not import infra/ (the layering rules), where the configuration's full parser
 * lives; this reads the few fields a dashboard needs, with the same defaults (a test holds them
 * equal to infra/config/defaults.ts). The stack validates the rest when it is deployed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { isProblemType } from '../contracts/problem-type.ts';
import {
  DEFAULT_NAMESPACES,
  type GrafanaDashboardInput,
  type GrafanaEndpoint,
  grafanaDashboard,
} from '../engine/export/grafana-dashboard.ts';
import type { Io } from './io.ts';
import { UsageError } from './usage.ts';

/** The configuration's defaults the dashboard depends on (infra/config/defaults.ts's). */
export const DASHBOARD_CONFIG_DEFAULTS = {
  namespace: DEFAULT_NAMESPACES.data,
  modelMetricsNamespace: DEFAULT_NAMESPACES.model,
  scheduleName: 'driftwatch-hourly',
  variants: ['AllTraffic'],
  datasetDriftShare: 0.5,
  /** SageMaker's default comparison threshold, the featureDrift alarm's default. */
  featureDriftThreshold: 0.1,
} as const;

export async function grafanaCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { config: { type: 'string' }, out: { type: 'string' }, region: { type: 'string' } },
  });
  if (positionals.length)
    throw new UsageError(`grafana takes no positional arguments; got "${positionals[0]}"`);
  const file = values.config ?? 'driftwatch.config.json';
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(
      `--config ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the driftwatch.config.json the stack is deployed with`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`--config ${file}: is not valid JSON (${(e as Error).message})`);
  }
  const input = dashboardInput(json, file);
  if (values.region !== undefined) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d+$/.test(values.region))
      throw new UsageError(`--region must be an AWS region such as eu-west-1; got "${values.region}"`);
    input.region = values.region;
  }
  const dashboard = `${JSON.stringify(grafanaDashboard(input), null, 2)}\n`;
  if (values.out === undefined || values.out === '-') io.stdout(dashboard);
  else {
    try {
      writeFileSync(values.out, dashboard);
    } catch (e) {
      throw new UsageError(
        `--out ${values.out}: cannot write it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
      );
    }
    io.stderr(
      `driftwatch: wrote ${values.out} (${input.endpoints.length} endpoint(s)); import it in Grafana (Dashboards > New > Import)\n`,
    );
  }
  return 0;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const own = (o: Record<string, unknown>, key: string): unknown =>
  Object.hasOwn(o, key) ? o[key] : undefined;

/** The dashboard's input from a parsed configuration file; a UsageError names the field and the fix. */
export function dashboardInput(json: unknown, file: string): GrafanaDashboardInput {
  if (!isObject(json))
    throw new UsageError(`--config ${file}: must be a JSON object with an "endpoints" list`);
  const list = own(json, 'endpoints');
  if (!Array.isArray(list) || list.length === 0)
    throw new UsageError(`--config ${file}: "endpoints" must list at least one endpoint`);
  const text = (v: unknown, field: string, fallback?: string): string => {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'string' || v === '')
      throw new UsageError(`--config ${file}: ${field} must be a name (text)`);
    return v;
  };
  const strings = (v: unknown, field: string, fallback: readonly string[]): string[] => {
    if (v === undefined) return [...fallback];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string'))
      throw new UsageError(`--config ${file}: ${field} must be a list of names`);
    return v as string[];
  };
  const number = (v: unknown, fallback: number): number =>
    typeof v === 'number' && Number.isFinite(v) ? v : fallback;

  const endpoints: GrafanaEndpoint[] = list.map((raw, i) => {
    const at = `endpoints[${i}]`;
    if (!isObject(raw)) throw new UsageError(`--config ${file}: ${at} must be an object`);
    const thresholds = new Map<string, number>();
    const given = own(raw, 'featureThresholds');
    if (isObject(given))
      for (const [feature, t] of Object.entries(given)) if (typeof t === 'number') thresholds.set(feature, t);
    const alarms = own(raw, 'alarms');
    const featureDrift = isObject(alarms) ? own(alarms, 'featureDrift') : undefined;
    const problemType = own(raw, 'problemType');
    if (problemType !== undefined && !isProblemType(problemType))
      throw new UsageError(
        `--config ${file}: ${at}.problemType must be BinaryClassification, MulticlassClassification or Regression`,
      );
    return {
      name: text(own(raw, 'name'), `${at}.name`),
      schedule: text(own(raw, 'scheduleName'), `${at}.scheduleName`, DASHBOARD_CONFIG_DEFAULTS.scheduleName),
      variants: strings(own(raw, 'variants'), `${at}.variants`, DASHBOARD_CONFIG_DEFAULTS.variants),
      features: strings(own(raw, 'features'), `${at}.features`, []),
      featureThresholds: thresholds,
      driftThreshold: number(
        isObject(featureDrift) ? own(featureDrift, 'threshold') : featureDrift,
        DASHBOARD_CONFIG_DEFAULTS.featureDriftThreshold,
      ),
      datasetDriftShare: number(own(raw, 'datasetDriftShare'), DASHBOARD_CONFIG_DEFAULTS.datasetDriftShare),
      ...(problemType !== undefined ? { problemType } : {}),
      hasBias: own(raw, 'bias') !== undefined,
      hasAttribution: own(raw, 'attribution') !== undefined,
    };
  });
  return {
    namespaces: {
      data: text(own(json, 'namespace'), 'namespace', DASHBOARD_CONFIG_DEFAULTS.namespace),
      model: text(
        own(json, 'modelMetricsNamespace'),
        'modelMetricsNamespace',
        DASHBOARD_CONFIG_DEFAULTS.modelMetricsNamespace,
      ),
    },
    endpoints,
  };
}
