/**
 * Assembles one window's results: report.json, the window's statistics.json and
 * constraint_violations.json. Pure: the caller decides where they go.
 */

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
import type { Report } from './report-model.ts';

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

function formatError(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** Reader-facing text for a rejection reason (unknown reasons are shown as they are). */
export function rejectReasonText(reason: string): string {
  return REJECT_REASON_TEXT[reason as RejectReason] ?? reason;
}
