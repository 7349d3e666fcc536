/**
 * Feature attribution for a baseline and for a window, shared by the CLI and the monitor
 * (./monitor-attribution.ts): which features the model takes, which background it is explained against, which
 * rows are explained, and the explanation itself (engine/attribution). The model comes in as a
 * `BatchModel`, so a SageMaker endpoint, a stand-in or a function all do.
 */
import type { GlobalExplanation } from '../engine/attribution/attribution-analysis.ts';
import { defaultBackground } from '../engine/attribution/background-row.ts';
import { type BatchModel, type ModelValue, withLogitOutput } from '../engine/attribution/batch-model.ts';
import type { ExplainConfig } from '../engine/attribution/explain-config.ts';
import { type ExplainResult, explainRecords, type KeyedRow } from '../engine/attribution/explain-records.ts';
import {
  type AttributionFeature,
  modelValue,
  RecordSampler,
  type RecordSamplerSpec,
} from '../engine/attribution/record-sampler.ts';
import { DEFAULT_ATTRIBUTION_SEED } from '../engine/attribution/record-selection.ts';
import { splitCsvRecord } from '../engine/capture/csv.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { applyAttribution, type WindowResult } from '../engine/report/window-result.ts';
import { readTrainingRows } from '../sources/training-data.ts';
import type { ObjectStore } from '../stores/object-store.ts';

/**
 * The model's input features: the baseline's input features in the capture's column order
 * (driftwatch's layout: its inputs; SageMaker's merged layout: the columns the baseline marks
 * as inputs, in order).
 */
export function attributionFeatures(baseline: Baseline): AttributionFeature[] {
  const byName = new Map(baseline.features.map((f) => [f.name, f] as const));
  const columns = baseline.layout.kind === 'separate' ? baseline.layout.inputs : baseline.layout.columns;
  return columns.flatMap((name) => {
    const f = byName.get(name);
    return f !== undefined && f.role === 'input' ? [{ name, kind: f.kind }] : [];
  });
}

/** The default background: one row of the baseline's means and most frequent values. */
export function baselineBackground(
  baseline: Baseline,
  features: readonly AttributionFeature[],
): ModelValue[][] {
  const byName = new Map(baseline.features.map((f) => [f.name, f] as const));
  return [defaultBackground(features.map((f) => ({ ...f, profile: byName.get(f.name)!.profile })))];
}

/** How records are explained: the same for a baseline and the windows compared with it. */
export interface ExplainPlan {
  /** The endpoint called (for the report). */
  endpoint: string;
  features: readonly AttributionFeature[];
  background: readonly ModelValue[][];
  /** The explainability configuration; `null`: Clarify's defaults. */
  config: ExplainConfig | null;
  /** Records explained at most (`--explain-records`). */
  records: number;
  /** Model rows one explanation may send (`--explain-max-rows`). */
  maxRows: number;
  /** Asked before every batch; `true` stops the explanation there. @default never */
  deadline?: () => boolean;
}

/** The seed of a plan: the configuration's, else driftwatch's. */
export function planSeed(plan: ExplainPlan): number {
  return plan.config?.seed ?? DEFAULT_ATTRIBUTION_SEED;
}

/** What each part of a window keeps for a plan (run-window.ts's `attribution`). */
export function samplerSpec(plan: ExplainPlan): RecordSamplerSpec {
  return { features: plan.features, capacity: plan.records, seed: planSeed(plan) };
}

/** The output label the explainability files name. */
export function planLabel(plan: ExplainPlan): string {
  return plan.config?.label ?? 'label0';
}

/**
 * Explains `rows` (already drawn: at most `plan.records`) with `model`. Never throws for the
 * model's failures; a failure once `plan.deadline` has passed (the request in flight aborted) is
 * reported as `stoppedEarly`, not `error`.
 */
export async function explainRows(
  rows: readonly KeyedRow[],
  plan: ExplainPlan,
  model: BatchModel,
): Promise<ExplainResult> {
  const c = plan.config;
  const result = await explainRecords({
    features: plan.features.map((f) => f.name),
    rows,
    background: plan.background,
    model: c?.useLogit ? withLogitOutput(model) : model,
    records: plan.records,
    maxRows: plan.maxRows,
    seed: planSeed(plan),
    ...(c !== null && c.numSamples !== null ? { numSamples: c.numSamples } : {}),
    ...(c !== null ? { aggMethod: c.aggMethod } : {}),
    ...(plan.deadline ? { deadline: plan.deadline } : {}),
  });
  // A request cut off at the deadline (the model's abort signal) is the deadline, not a failure.
  if (result.error !== null && plan.deadline?.()) {
    result.stoppedEarly = `deadline passed after ${result.recordsExplained.toLocaleString('en-US')} of ${result.recordsPlanned.toLocaleString('en-US')} records (the request in flight was stopped)`;
    result.error = null;
  }
  return result;
}

/**
 * Explains a training set: its rows read again from `store`/`key` (the rows the baseline
 * profiled, in order), drawn by the seeded hash of their ordinal as text ("0", "1", ...).
 */
export async function explainTrainingSet(
  store: ObjectStore,
  key: string,
  options: { noHeader?: boolean },
  plan: ExplainPlan,
  model: BatchModel,
): Promise<{ result: ExplainResult; rows: number }> {
  const sampler = new RecordSampler(samplerSpec(plan));
  let ordinal = 0;
  await readTrainingRows(
    store,
    key,
    plan.features.map((f) => f.name),
    options,
    (values) => {
      sampler.add(String(ordinal), values, ordinal);
      ordinal++;
    },
  );
  return { result: await explainRows(sampler.rows(), plan, model), rows: sampler.seen };
}

/**
 * Explains a window's kept rows (run-window.ts's `attributionSample`) and puts the result,
 * compared with the baseline's `analysis`, in the window's results. The model's failures end up
 * in `attribution.error`; nothing else of the window changes.
 */
export async function explainWindow(
  result: WindowResult,
  sample: RecordSampler,
  plan: ExplainPlan,
  baseline: { analysis: GlobalExplanation; values: readonly number[] },
  model: BatchModel,
): Promise<void> {
  const rows = sample.rows();
  const explained = await explainRows(rows, plan, model);
  applyAttribution(result, {
    endpoint: plan.endpoint,
    features: plan.features.map((f) => f.name),
    label: planLabel(plan),
    baseline: { values: baseline.values, expectedValue: baseline.analysis.expectedValue },
    explained,
    windowRows: sample.seen,
    candidates: rows.length,
  });
}

/** A background the configuration names that cannot be used; the message names where and why. */
export class BackgroundError extends Error {}

/**
 * The background rows the configuration names (`methods.shap.baseline`: rows, or an object of
 * CSV rows without a header, as Clarify reads it, which `readText` fetches), one value per
 * feature; `null` when it names none. The CLI and the monitor read it here, each with its own
 * reader and error type.
 */
export async function configBackground(
  config: ExplainConfig,
  features: readonly AttributionFeature[],
  file: string,
  readText: (uri: string, where: string) => Promise<string>,
): Promise<ModelValue[][] | null> {
  const source = config.baseline;
  if (source === null) return null;
  let rows: ModelValue[][];
  let where: string;
  if ('rows' in source) {
    rows = source.rows;
    where = `${file}: methods.shap.baseline`;
  } else {
    where = `${source.uri} (${file}: methods.shap.baseline)`;
    const fields: string[] = [];
    rows = (await readText(source.uri, where))
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const n = splitCsvRecord(line, fields);
        return fields.slice(0, n).map((v, i) => modelValue(v, features[i]?.kind ?? 'numeric'));
      });
    if (rows.length === 0) throw new BackgroundError(`${where}: holds no rows`);
  }
  rows.forEach((row, i) => {
    if (row.length !== features.length)
      throw new BackgroundError(
        `${where}: row ${i} has ${row.length} values but the model takes ${features.length} features (${features.map((f) => JSON.stringify(f.name)).join(', ')}); give one value per feature, in that order`,
      );
  });
  return rows;
}
