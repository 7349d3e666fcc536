/**
 * The versions an endpoint served, from its windows' reports: windows grouped by endpoint config
 * and models (report.json's `model`), each group with the windows it covers and how the model
 * did in them (dataset drift share, and accuracy or RMSE when ground truth was joined).
 */
import type { Report, ServingModel } from './report-model.ts';
import { packageName } from './serving-window.ts';

/** One version of what served the endpoint, over the windows it served. */
export interface ModelVersionHistory {
  endpointConfigName: string;
  /** `VARIANT MODEL (package GROUP/VERSION)` per variant. */
  models: string[];
  /** The first window's start and the last window's end, ISO-8601. */
  firstWindow: string | null;
  lastWindow: string | null;
  windows: number;
  /** Windows inside which the endpoint changed to this version. */
  windowsSpanningChange: number;
  meanDatasetDriftShare: number;
  /** Mean accuracy (classification) or RMSE (regression) over the windows that have it. */
  quality: { metric: 'accuracy' | 'rmse'; mean: number; windows: number } | null;
}

export interface ModelHistory {
  versions: ModelVersionHistory[];
  /** Windows of the endpoint whose report records no model (not read, or not known). */
  windowsWithoutModel: number;
  /** Windows that span a change, with the version they changed to, in window order. */
  changes: { window: string | null; endpointConfigName: string }[];
}

/** What identifies a version: the endpoint config and each variant's model and package. */
function versionKey(m: ServingModel): string {
  return JSON.stringify([
    m.endpointConfigName,
    m.variants.map((v) => [v.variantName, v.modelName, v.modelPackageArn ?? null]).sort(),
  ]);
}

function variantLabels(m: ServingModel): string[] {
  return m.variants.map(
    (v) =>
      `${v.variantName}${v.shadow ? ' [shadow]' : ''} ${v.modelName ?? '(inference components)'}` +
      (v.modelPackageArn === undefined ? '' : ` (${packageName(v.modelPackageArn)})`),
  );
}

function qualityValue(r: Report): { metric: 'accuracy' | 'rmse'; value: number } | null {
  const metrics = r.quality?.metrics as Record<string, unknown> | null | undefined;
  if (!metrics) return null;
  if (typeof metrics.accuracy === 'number' && Number.isFinite(metrics.accuracy))
    return { metric: 'accuracy', value: metrics.accuracy };
  if (typeof metrics.rmse === 'number' && Number.isFinite(metrics.rmse))
    return { metric: 'rmse', value: metrics.rmse };
  return null;
}

/**
 * The history of `endpoint` from reports of any endpoints: those whose `model` names another
 * endpoint are left out; `belongs(report)` says whether a report without a model is this
 * endpoint's (the caller knows where it was read from). Versions come in the order they were
 * first seen; a version served again later (a rollback) is one version over both spells.
 */
export function modelHistory(
  reports: readonly Report[],
  endpoint: string,
  belongs: (r: Report) => boolean,
): ModelHistory {
  const sorted = [...reports].sort((a, b) =>
    (a.window.start ?? '') < (b.window.start ?? '')
      ? -1
      : (a.window.start ?? '') > (b.window.start ?? '')
        ? 1
        : 0,
  );
  const groups = new Map<string, { model: ServingModel; reports: Report[] }>();
  let windowsWithoutModel = 0;
  const changes: ModelHistory['changes'] = [];
  for (const r of sorted) {
    if (!r.model) {
      if (belongs(r)) windowsWithoutModel++;
      continue;
    }
    if (r.model.endpointName !== endpoint) continue;
    const key = versionKey(r.model);
    let g = groups.get(key);
    if (g === undefined) {
      g = { model: r.model, reports: [] };
      groups.set(key, g);
    }
    g.reports.push(r);
    if (r.modelChangedDuringWindow)
      changes.push({ window: r.window.start, endpointConfigName: r.model.endpointConfigName });
  }
  const versions = [...groups.values()].map(({ model, reports: rs }): ModelVersionHistory => {
    const qualities = rs.flatMap((r) => qualityValue(r) ?? []);
    // One metric per version: the one most of its windows have.
    const metric =
      qualities.filter((q) => q.metric === 'accuracy').length >=
      qualities.filter((q) => q.metric === 'rmse').length
        ? 'accuracy'
        : 'rmse';
    const values = qualities.filter((q) => q.metric === metric).map((q) => q.value);
    return {
      endpointConfigName: model.endpointConfigName,
      models: variantLabels(model),
      firstWindow: rs[0]!.window.start,
      lastWindow: rs.at(-1)!.window.end,
      windows: rs.length,
      windowsSpanningChange: rs.filter((r) => r.modelChangedDuringWindow).length,
      meanDatasetDriftShare: rs.reduce((s, r) => s + r.datasetDrift.share, 0) / rs.length,
      quality: values.length
        ? { metric, mean: values.reduce((s, v) => s + v, 0) / values.length, windows: values.length }
        : null,
    };
  });
  return { versions, windowsWithoutModel, changes };
}
