/**
 * A window's report as flat history records (contracts/history-schema.ts): one per feature of
 * the baseline, one for the window. The monitors that did not run (quality, bias, multivariate,
 * attribution) leave their columns null.
 */

import type { FeatureHistoryRecord, WindowHistoryRecord } from '../../contracts/history-schema.ts';
import { REPORT_METRICS } from '../../contracts/quality-metric-names.ts';
import { isBaselineFeature } from '../drift/compare.ts';
import { featurePValue, missingShare } from '../report/feature-values.ts';
import type { Report } from '../report/report-model.ts';

/** What the records are about, besides the report. */
export interface HistoryContext {
  endpoint: string;
  schedule: string;
  /**
   * The model version to record (a release tag, a registry version).
   * @default the highest Model Registry package version in `report.model`, else null
   */
  modelVersion?: string;
  /**
   * The variants profiled together.
   * @default the variants of `report.model`, else null
   */
  variants?: readonly string[];
}

/** A window's records for both tables. */
export interface HistoryRecords {
  /** The window's start: which hour's objects they go to. */
  windowStart: Date;
  features: FeatureHistoryRecord[];
  window: WindowHistoryRecord;
}

/**
 * The records of `report`'s window. Throws when the report has no window start (a run over a
 * whole folder, without --start/--end): history is kept by hour.
 */
export function historyRecords(report: Report, ctx: HistoryContext): HistoryRecords {
  if (report.window.start === null)
    throw new Error(
      'history: the report has no window start (a run over a whole folder); give --start and --end to keep history',
    );
  const windowStart = new Date(report.window.start);
  if (Number.isNaN(windowStart.getTime()))
    throw new Error(
      `history: the report's window start ${JSON.stringify(report.window.start)} is not a time`,
    );

  const variantNames = ctx.variants ?? report.model?.variants.map((v) => v.variantName) ?? null;
  const versions = report.model?.variants.flatMap((v) => v.modelPackageVersion ?? []) ?? [];
  const identity = {
    window_start: report.window.start,
    window_end: report.window.end,
    variants: variantNames === null ? null : [...variantNames].sort().join(','),
    model_version: ctx.modelVersion ?? (versions.length ? String(Math.max(...versions)) : null),
    complete: report.complete !== false,
  };

  const known = report.features.filter(isBaselineFeature);
  const features: FeatureHistoryRecord[] = known.map((f) => ({
    ...identity,
    feature: f.name,
    role: f.role,
    feature_type: f.type,
    method: f.method,
    distance_metric: f.distanceMetric,
    distance: f.distance,
    threshold: f.threshold,
    drifted: f.drifted,
    monitored: f.monitored,
    p_value: featurePValue(f),
    missing_share: missingShare(f),
    present: f.count,
    missing: f.missing,
    type_mismatch: f.typeMismatch,
    records: report.records.profiled,
  }));

  const q = report.quality;
  const quality: Record<string, number | null> = {};
  if (q?.metrics) {
    // The names come from the fixed table of report.json's metrics, never from the object's keys.
    const values = q.metrics as unknown as Readonly<Record<string, unknown>>;
    for (const name of REPORT_METRICS[q.problemType]) {
      const v = Object.hasOwn(values, name) ? values[name] : undefined;
      quality[`quality_${name.toLowerCase()}`] = typeof v === 'number' ? v : null;
    }
  }
  const m = report.multivariate ?? null;
  const b = report.bias ?? null;
  const a = report.attribution ?? null;
  const dd = report.datasetDrift;
  const window: WindowHistoryRecord = {
    ...identity,
    generated_at: report.generatedAt,
    model_changed: report.modelChangedDuringWindow ?? null,
    records_total: report.records.total,
    records_profiled: report.records.profiled,
    records_rejected: report.records.rejected,
    unknown_features: report.features.length - known.length,
    monitored_features: dd.monitoredFeatures,
    drifted_features: dd.driftedFeatures,
    drift_share: dd.share,
    drift_share_threshold: dd.threshold,
    dataset_drift: dd.detected,
    violations: report.violations.length,
    problem_type: q?.problemType ?? null,
    labels_matched: q?.matched ?? null,
    quality_violations: q ? q.violations.length : null,
    ...quality,
    bias_matched: b?.matched ?? null,
    bias_violations: b?.violations ?? null,
    multivariate_error: m?.value ?? null,
    multivariate_lower: m?.lowerThreshold ?? null,
    multivariate_upper: m?.upperThreshold ?? null,
    multivariate_drifted: m ? m.drifted : null,
    attribution_ndcg: a?.ndcg ?? null,
    attribution_threshold: a?.threshold ?? null,
    attribution_drifted: a ? a.drifted : null,
    attribution_error: a?.error ?? null,
  };
  return { windowStart, features, window };
}
