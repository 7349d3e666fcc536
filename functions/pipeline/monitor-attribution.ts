/**
 * Feature attribution drift in the deployed monitor (and the fan-out steps): the plan read once per
 * invocation from the baseline folder's `explainability/` files and the endpoint's `attribution`
 * block, and the explanation of one window with the SageMaker endpoint, inside the function's
 * time budget.
 *
 * Contained, as the CLI's run is: a baseline without the files, a configuration that cannot be
 * used, or an endpoint that refuses, throttles or times out never fails the window. The first two
 * give `attribution: null` and a warning in every window's report; the endpoint's failures give
 * `attribution.error` (and the `attribution_failures` metric); the rest is published as ever.
 */

import { EXPLAIN_ANALYSIS_FILE, EXPLAIN_SETTINGS_FILE } from '../contracts/baseline-layout.ts';
import type { AttributionSettings } from '../contracts/monitor-config.ts';
import { parseS3ObjectUri } from '../contracts/s3-uri.ts';
import { alignBaseline, type GlobalExplanation } from '../engine/attribution/attribution-analysis.ts';
import { type ExplainConfig, parseExplainConfig } from '../engine/attribution/explain-config.ts';
import type { RecordSampler } from '../engine/attribution/record-sampler.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { applyAttribution, type WindowResult } from '../engine/report/window-result.ts';
import { EndpointModel } from '../sources/endpoint-model.ts';
import { loadExplainAnalysis, loadExplainSettings } from '../sources/explain-baseline-store.ts';
import { S3Store } from '../stores/s3-store.ts';
import {
  attributionFeatures,
  configBackground,
  type ExplainPlan,
  explainWindow,
  planLabel,
} from './attribution-window.ts';
import { DEFAULT_SAFETY_MARGIN_MS, type MonitorDeps } from './monitor-deps.ts';

/** Prefix of every reason a window has no attribution. */
const NOT_MEASURED = 'feature attribution drift not measured';

/** What every window of an invocation explains with, or why none is explained. */
export type MonitorAttribution =
  | {
      settings: AttributionSettings;
      plan: ExplainPlan;
      /** The baseline's global attributions, in the plan's feature order. */
      baseline: { analysis: GlobalExplanation; values: number[] };
    }
  | { reason: string };

/** Whether the plan could be made (the windows keep rows and are explained). */
export function hasPlan(
  a: MonitorAttribution | null,
): a is Extract<MonitorAttribution, { plan: ExplainPlan }> {
  return a !== null && 'plan' in a;
}

/**
 * The endpoint's attribution plan: `null` without an `attribution` block; otherwise the plan
 * (the baseline's explain settings, the configured or the baseline's configuration, its
 * background, the baseline's global attributions), or the reason it cannot be made.
 */
export async function loadMonitorAttribution(
  deps: Pick<MonitorDeps, 'config' | 's3'>,
  baselineStore: S3Store,
  baseline: Baseline,
): Promise<MonitorAttribution | null> {
  const settings = deps.config.attribution;
  if (settings === undefined) return null;
  try {
    return await planOf(deps, settings, baselineStore, baseline);
  } catch (e) {
    return { reason: `${NOT_MEASURED}: ${e instanceof Error ? e.message : String(e)}` };
  }
}

async function planOf(
  deps: Pick<MonitorDeps, 's3'>,
  settings: AttributionSettings,
  baselineStore: S3Store,
  baseline: Baseline,
): Promise<MonitorAttribution> {
  const folder = baselineStore.location.replace(/\/$/, '');
  const explain = await loadExplainSettings(baselineStore);
  const settingsFile = `${folder}/${EXPLAIN_SETTINGS_FILE}`;
  let config: ExplainConfig | null;
  let configFile: string;
  if (settings.configUri !== undefined) {
    configFile = settings.configUri;
    config = parseExplainConfig(
      await readJsonObject(deps, settings.configUri, 'attribution.config'),
      configFile,
    );
  } else {
    configFile = `${settingsFile} (config)`;
    config = explain.config === null ? null : parseExplainConfig(explain.config, configFile);
  }
  if (config !== null && config.attributionsPath !== null)
    throw new Error(
      `${configFile}: attributionsPath is not supported by the monitor: the window is explained by calling endpoint ${settings.endpointName}; leave attributionsPath out`,
    );
  const known = new Set(attributionFeatures(baseline).map((f) => f.name));
  const lost = explain.features.find((f) => !known.has(f.name));
  if (lost !== undefined)
    throw new Error(
      `${settingsFile}: the model's feature ${JSON.stringify(lost.name)} is not an input feature of the baseline; rebuild the baseline with driftwatch baseline --explain-endpoint`,
    );
  const background =
    (config === null
      ? null
      : await configBackground(config, explain.features, configFile, (uri, where) =>
          readObjectText(deps, uri, where),
        )) ?? explain.background;
  const plan: ExplainPlan = {
    endpoint: settings.endpointName,
    features: explain.features,
    background,
    config,
    records: settings.records,
    maxRows: settings.maxRows,
  };
  const analysis = await loadExplainAnalysis(baselineStore, planLabel(plan));
  const values = alignBaseline(
    analysis,
    explain.features.map((f) => f.name),
    `${folder}/${EXPLAIN_ANALYSIS_FILE}`,
  );
  return { settings, plan, baseline: { analysis, values } };
}

/** An S3 object's text, or an error naming the object and the config field that names it. */
async function readObjectText(deps: Pick<MonitorDeps, 's3'>, uri: string, field: string): Promise<string> {
  const { bucket, key } = parseS3ObjectUri(uri) ?? { bucket: '', key: '' };
  const slash = key.lastIndexOf('/');
  const store = new S3Store(deps.s3, `s3://${bucket}/${key.slice(0, slash + 1)}`);
  const text = await store.getText(key.slice(slash + 1));
  if (text === null) throw new Error(`${uri} (${field}): no such object`);
  return text;
}

async function readJsonObject(deps: Pick<MonitorDeps, 's3'>, uri: string, field: string): Promise<unknown> {
  const text = await readObjectText(deps, uri, field);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(
      `${uri} (${field}): not JSON (${(e as Error).message}); give Clarify's analysis_config.json`,
    );
  }
}

/** The explanation's share of the function's time: a deadline asked before each batch and a signal for the request in flight. */
interface ExplainBudget {
  deadline?: () => boolean;
  signal?: AbortSignal;
  dispose(): void;
}

/**
 * The explanation stops when the function's remaining time falls below its safety margin, the
 * time kept for writing the report and publishing: asked before each batch, and the request in
 * flight aborted then. No deadline without `remainingMs`.
 */
function explainBudget(deps: Pick<MonitorDeps, 'remainingMs' | 'safetyMarginMs'>): ExplainBudget {
  const { remainingMs } = deps;
  if (!remainingMs) return { dispose: () => {} };
  const margin = deps.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new Error("the run's deadline passed")),
    Math.max(0, remainingMs() - margin),
  );
  timer.unref?.();
  return {
    deadline: () => controller.signal.aborted || remainingMs() < margin,
    signal: controller.signal,
    dispose: () => clearTimeout(timer),
  };
}

/**
 * Explains a window's kept rows with the attribution block's endpoint and puts the result in the
 * window's results (see the module's comment for what is contained).
 */
export async function explainMonitorWindow(
  deps: Pick<MonitorDeps, 'sagemakerRuntime' | 'remainingMs' | 'safetyMarginMs'>,
  attribution: MonitorAttribution,
  result: WindowResult,
  sample: RecordSampler | null,
): Promise<void> {
  if (!('plan' in attribution)) {
    applyAttribution(result, { reason: attribution.reason });
    return;
  }
  const { settings, plan } = attribution;
  const client = deps.sagemakerRuntime;
  if (client === undefined || sample === null) {
    applyAttribution(result, {
      reason: `${NOT_MEASURED}: ${client === undefined ? 'the function was given no SageMaker runtime client (MonitorDeps.sagemakerRuntime)' : 'the window kept no rows to explain'}`,
    });
    return;
  }
  const budget = explainBudget(deps);
  const config = plan.config;
  const model = new EndpointModel({
    client,
    endpointName: settings.endpointName,
    requestsPerSecond: settings.requestsPerSecond,
    ...(config !== null
      ? {
          contentType: config.contentType,
          acceptType: config.acceptType,
          predictionPath: config.predictionPath,
        }
      : {}),
    ...(budget.signal ? { signal: budget.signal } : {}),
  });
  try {
    await explainWindow(
      result,
      sample,
      { ...plan, ...(budget.deadline ? { deadline: budget.deadline } : {}) },
      attribution.baseline,
      model,
    );
  } catch (e) {
    applyAttribution(result, {
      reason: `${NOT_MEASURED}: explaining with endpoint ${settings.endpointName} failed: ${e instanceof Error ? e.message : String(e)}`,
    });
  } finally {
    budget.dispose();
  }
}
