/**
 * Assembles one window's results: report.json, the window's statistics.json and
 * constraint_violations.json. Pure: the caller decides where they go.
 */

import {
  type AttributionViolationsJson,
  buildAttributionViolations,
  buildExplainabilityAnalysis,
  type ExplainabilityAnalysisJson,
} from '../attribution/attribution-analysis.ts';
import type { ExplainResult } from '../attribution/explain-records.ts';
import { isAttributionDrift, NDCG_THRESHOLD, ndcg, rankFeatures } from '../attribution/global-attribution.ts';
import type { AnalysisJson } from '../bias/analysis-json.ts';
import type { BiasViolationsJson } from '../bias/bias-violations.ts';
import { REJECT_REASON_TEXT, type RejectReason } from '../capture/capture-record.ts';
import type { Baseline } from '../drift/baseline.ts';
import type { Violation } from '../drift/checks.ts';
import { DATASET_FEATURE_NAME, dataQualityViolations } from '../drift/checks.ts';
import { type CompareOptions, compareWindow } from '../drift/compare.ts';
import type { MultivariateScore } from '../multivariate/multivariate-score.ts';
import type { WindowProfile } from '../profile/window-profile.ts';
import type { QualityViolation } from '../quality/quality-constraints.ts';
import type { ModelQualityStatistics } from '../quality/sagemaker-quality-statistics.ts';
import { type StatisticsDoc, toStatisticsDoc } from '../sagemaker/sagemaker-statistics.ts';
import type { AttributionReport, Report } from './report-model.ts';

export interface WindowResult {
  report: Report;
  statistics: StatisticsDoc;
  violations: { violations: Violation[] };
  /**
   * The window's model-quality files, when ground truth was joined: SageMaker's model-quality
   * statistics (`null` when nothing could be evaluated) and the quality constraint violations.
   */
  modelQuality?: {
    statistics: ModelQualityStatistics | null;
    violations: { violations: QualityViolation[] };
  };
  /** The window's bias files, when the baseline has a bias configuration and labels matched. */
  bias?: { analysis: AnalysisJson; violations: BiasViolationsJson };
  /**
   * The window's explainability files (Clarify's format), when the run explained records:
   * `analysis.json` when the window has global attributions, `constraint_violations.json` when
   * it has an nDCG.
   */
  attribution?: {
    analysis: ExplainabilityAnalysisJson | null;
    violations: AttributionViolationsJson | null;
  };
}

export interface BuildReportOptions extends CompareOptions {
  /** Where the baseline was read from, for the report. */
  baselinePath: string;
  /** Clock, passed in so reports are reproducible in tests. */
  now: Date;
}

export function buildWindowResult(
  baseline: Baseline,
  window: WindowProfile,
  options: BuildReportOptions,
): WindowResult {
  const { features, datasetDrift } = compareWindow(baseline, window, options);
  const violations = dataQualityViolations(baseline, window, features);
  const warnings: string[] = [];
  for (const [limit, n] of window.limitsHit)
    warnings.push(`limit ${limit} reached: ${n} values not profiled`);
  // Features the baseline does not know keep few categories by design (extraLimits): their
  // overflow is expected, not news.
  const known = new Set(baseline.features.map((f) => f.name));
  for (const f of window.features.values()) {
    if (
      known.has(f.name) &&
      f.categorical &&
      f.categorical.overflow > 0 &&
      (f.kind === 'categorical' || f.inferredType() === 'String')
    )
      warnings.push(
        `feature "${f.name}": more than ${f.categorical.maxCategories} distinct values; ${f.categorical.overflow} values counted together past the category limit`,
      );
    if (f.categorical && f.categorical.truncated > 0)
      warnings.push(
        `feature "${f.name}": ${f.categorical.truncated} values longer than 256 characters were cut`,
      );
  }
  if (window.missingObjects > 0)
    warnings.push(
      `${window.missingObjects} capture objects were deleted between listing and reading; their records were not read`,
    );
  const rejectedByReason = Object.fromEntries([...window.rejectedByReason.entries()].sort());
  const report: Report = {
    version: 1,
    window: window.window,
    generatedAt: options.now.toISOString(),
    records: {
      total: window.total,
      profiled: window.profiled,
      rejected: window.rejected,
      rejectedByReason,
      outsideWindow: window.outsideWindow,
    },
    features,
    datasetDrift,
    // A copy: window-level checks join the report's list, not SageMaker's file.
    violations: [...violations],
    quality: null,
    baseline: { source: baseline.source, path: options.baselinePath },
    warnings,
  };
  const typeOf = new Map(baseline.features.map((f) => [f.name, f.inferredType] as const));
  const statistics = toStatisticsDoc(
    window.rows,
    [...window.features.values()].map((profile) => ({
      profile,
      inferredType: typeOf.get(profile.name) ?? profile.inferredType(),
    })),
  );
  return { report, statistics, violations: { violations } };
}

/** A window's multivariate score, or why the window has none (the baseline has no model). */
export type WindowMultivariate = { score: MultivariateScore } | { reason: string };

/**
 * Puts the window's multivariate result in its report: `multivariate` and, when the window
 * drifted, a `multivariate_drift_check` violation (report.json's only: SageMaker's
 * constraint_violations.json keeps its own check types). Without a model, `null` and the reason
 * in the warnings.
 */
export function applyMultivariate(result: WindowResult, outcome: WindowMultivariate): void {
  const { report } = result;
  if ('reason' in outcome) {
    report.multivariate = null;
    report.warnings.push(outcome.reason);
    return;
  }
  const m = outcome.score.result();
  report.multivariate = m;
  if (m.value === null)
    report.warnings.push('multivariate drift not measured: the window has no profiled rows');
  if (m.overflowRows > 0)
    report.warnings.push(
      `multivariate drift: ${m.overflowRows} rows hold values so large (near 1e160 or beyond) that their reconstruction error overflows; they are left out of the mean`,
    );
  if (!m.drifted) return;
  const top = m.featureContributions
    .slice(0, 3)
    .map((c) => `"${c.feature}" ${(100 * c.share).toFixed(0)}%`)
    .join(', ');
  report.violations.push({
    feature_name: DATASET_FEATURE_NAME,
    constraint_check_type: 'multivariate_drift_check',
    description: `Multivariate drift: the mean PCA reconstruction error ${formatError(m.value!)} of ${m.rows} rows is ${m.value! > m.upperThreshold ? `above the baseline's upper threshold ${formatError(m.upperThreshold)}` : `below the baseline's lower threshold ${formatError(m.lowerThreshold)}`} (${m.components} components); the features that contribute most to the error: ${top}`,
  });
}

/** A window's explanation and what it is compared with, or why there is none. */
export type WindowAttribution =
  | {
      /** The endpoint called; `null` for attributions read from captured outputs. */
      endpoint: string | null;
      /** The model's input features, in column order. */
      features: readonly string[];
      label: string;
      /** The baseline's global attributions in `features`' order, and its v(∅). */
      baseline: { values: readonly number[]; expectedValue: number };
      explained: ExplainResult;
      /** The window's profiled rows: the candidates the explained records were drawn from. */
      windowRows: number;
      /** Rows handed to the explanation (the window's rows with the smallest seeded hashes). */
      candidates: number;
    }
  | { reason: string };

/** An object with `entries` as own fields, whatever their names (`__proto__` is a feature like any other). */
function ownRecord(names: readonly string[], values: readonly number[]): Record<string, number> {
  const o: Record<string, number> = {};
  for (const [i, name] of names.entries())
    Object.defineProperty(o, name, {
      value: values[i],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return o;
}

const count = (n: number) => n.toLocaleString('en-US');

/**
 * Puts a window's feature attributions in its results: report.json's `attribution`, the
 * explainability files and, when the ranking drifted, a `feature_attribution_drift_check`
 * violation (report.json's only: SageMaker's constraint_violations.json keeps its own check
 * types). A failed explanation is reported with its error and no verdict; the rest of the
 * window is untouched. Without anything to compare, `null` and the reason in the warnings.
 */
export function applyAttribution(result: WindowResult, outcome: WindowAttribution): void {
  const { report } = result;
  if ('reason' in outcome) {
    report.attribution = null;
    report.warnings.push(outcome.reason);
    return;
  }
  const { explained: e, features, label } = outcome;
  const failed = e.error !== null;
  const window = !failed && e.global !== null && e.expectedValue !== null ? e.global : null;
  const score = window === null ? null : ndcg(window, outcome.baseline.values);
  const drifted = score !== null && isAttributionDrift(score);
  let { limitedBy, reason } = e;
  if (outcome.windowRows > outcome.candidates) {
    if (limitedBy === null) {
      limitedBy = 'records';
      reason = `explaining ${count(e.recordsPlanned)} of ${count(outcome.windowRows)} rows, as the records setting (--explain-records) asks`;
    } else
      reason = `${reason}; the window has ${count(outcome.windowRows)} rows, of which ${count(outcome.candidates)} were drawn by the records setting (--explain-records)`;
  }
  const attribution: AttributionReport = {
    endpoint: outcome.endpoint,
    method: e.method,
    label,
    aggMethod: e.aggMethod,
    seed: e.seed,
    numSamples: e.numSamples,
    baseline: ownRecord(features, outcome.baseline.values),
    window: window === null ? null : ownRecord(features, window),
    expectedValue: { baseline: outcome.baseline.expectedValue, window: e.expectedValue },
    ndcg: score,
    threshold: NDCG_THRESHOLD,
    drifted,
    windowRows: outcome.windowRows,
    recordsPlanned: e.recordsPlanned,
    recordsExplained: e.recordsExplained,
    modelRows: e.modelRows,
    requests: e.requests,
    limitedBy,
    reason,
    stoppedEarly: e.stoppedEarly,
    error: e.error,
  };
  report.attribution = attribution;
  result.attribution = {
    analysis:
      window === null
        ? null
        : buildExplainabilityAnalysis({ label, features, values: window, expectedValue: e.expectedValue! }),
    violations: score === null ? null : buildAttributionViolations(score, label),
  };
  if (failed)
    report.warnings.push(
      `feature attribution drift not measured: ${e.error} (the rest of the window is complete)`,
    );
  else if (outcome.windowRows === 0)
    report.warnings.push('feature attribution drift not measured: the window has no profiled rows');
  else if (window === null)
    report.warnings.push('feature attribution drift not measured: no record could be explained');
  if (e.stoppedEarly !== null) report.warnings.push(`feature attribution: ${e.stoppedEarly}`);
  if (!drifted) return;
  const top = (values: readonly number[]) =>
    rankFeatures(values)
      .slice(0, 3)
      .map((i) => JSON.stringify(features[i]))
      .join(', ');
  report.violations.push({
    feature_name: DATASET_FEATURE_NAME,
    constraint_check_type: 'feature_attribution_drift_check',
    description: `Feature attribution drift: the nDCG of the window's feature ranking against the baseline's is ${formatError(score!)}, below ${NDCG_THRESHOLD} (${count(e.recordsExplained)} records explained); the top features are now ${top(window!)}, in the baseline ${top(outcome.baseline.values)}`,
  });
}

function formatError(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** Reader-facing text for a rejection reason (unknown reasons are shown as they are). */
export function rejectReasonText(reason: string): string {
  return REJECT_REASON_TEXT[reason as RejectReason] ?? reason;
}
