/**
 * A window's bias against its baseline: Clarify's `analysis.json` of the window's joined
 * predictions, SageMaker's `constraint_violations.json` (`bias_drift_check`), and `report.json`'s
 * `bias` section, where only significant violations count (bias-violations.ts states the rule).
 */
import { type AnalysisJson, analysisJson, type BiasAnalysis, buildBiasAnalysis } from './analysis-json.ts';
import type { BiasMetricName } from './bias-metrics.ts';
import { type BiasViolationsJson, biasViolationsJson, checkBiasDrift } from './bias-violations.ts';
import type { BiasTally } from './facet-rows.ts';

/** One metric of one configured facet value, window against baseline. */
export interface WindowBiasEntry {
  facet: string;
  /** The configured value (`"south"`, `"60"`), as the CloudWatch `FacetValue`. */
  value: string;
  stage: 'pre_training' | 'post_training';
  metric: BiasMetricName;
  baseline: number | null;
  window: number | null;
  /** SageMaker's rule: farther from the ideal than the baseline. */
  violation: boolean;
  /** A violation beyond the window's sampling noise: what alerts act on. */
  significant: boolean;
}

/** `report.json`'s `bias`. */
export interface WindowBias {
  /** Joined predictions counted. */
  matched: number;
  facets: WindowBiasEntry[];
  /** Significant violations. */
  violations: number;
}

/** The window's bias files and report section from its counts and the baseline's analysis. */
export function windowBias(
  tally: BiasTally,
  baseline: BiasAnalysis,
  options: { z?: number } = {},
): { section: WindowBias; analysis: AnalysisJson; violations: BiasViolationsJson } {
  const analysis = buildBiasAnalysis(tally);
  const checks = checkBiasDrift(baseline, analysis, (facet, value) => tally.countsOf(facet, value), options);
  return {
    section: {
      matched: tally.counted,
      facets: checks.map((c) => ({
        facet: c.facet,
        value: c.facetValue,
        stage: c.stage,
        metric: c.metric,
        baseline: c.baseline,
        window: c.window,
        violation: c.violation,
        significant: c.significant,
      })),
      violations: checks.filter((c) => c.significant).length,
    },
    analysis: analysisJson(analysis),
    violations: biasViolationsJson(checks),
  };
}
