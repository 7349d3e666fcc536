/**
 * SageMaker's bias drift check: a window's bias metrics against the baseline's, into
 * `constraint_violations.json`, with driftwatch's `significant` flag on top.
 *
 * What SageMaker's documentation says (Developer Guide, "Bias drift violations",
 * clarify-model-monitor-bias-drift-violations): the job lists violations in
 * `constraint_violations.json` as `{"version": "1.0", "violations": [{"facet", "facet_value",
 * "metric_name", "constraint_check_type", "description"}]}`; `facet` is the configuration's
 * `name_or_index`, `facet_value` its `value_or_threshold` (the example: facet "Age", facet_value
 * "40"), `metric_name` the metric's short name, `constraint_check_type` is `bias_drift_check`
 * (the only one), `description` explains it (the example: "Value 0.0751544567666083 does not
 * meet the constraint requirement"). A violation is logged when the window's value "is worse
 * than its corresponding value in the baseline constraints file": farther from the ideal (a
 * baseline DPPL of 0.2 and a window of 0.1: none; a window of -0.3: a violation).
 *
 * THE RULE: the ideal is 0 for every metric but DI, whose ideal is 1 (equal rates): a metric
 * violates when `|window - ideal| > |baseline - ideal|`. Baseline and window are matched by
 * stage, facet name and configured value (a threshold facet's interval text embeds the data's
 * maximum, so it is not a key). INFINITIES: an infinite value is infinitely far from the ideal,
 * so an infinite window value against a finite baseline violates; against an infinite baseline
 * it does not (not farther); a finite window against an infinite baseline does not. An infinite
 * window value is never significant on its own: it comes from a zero count (x/0), which a small
 * window produces by chance; a real shift that empties a cell also moves DPPL and DI, which are
 * judged analytically. A metric without a value (`null`, an error) on either side is reported
 * without a verdict. SIGNIFICANCE: see bias-significance.ts.
 */
import { type BiasAnalysis, facetValueKey, stageResult } from './analysis-json.ts';
import type { BiasCounts } from './bias-counts.ts';
import type { BiasMetricName, BiasStage } from './bias-metrics.ts';
import { isSignificant, SIGNIFICANCE_Z, significanceMargin, standardErrors } from './bias-significance.ts';

/** SageMaker's only bias check type. */
export const BIAS_DRIFT_CHECK = 'bias_drift_check';

/** A metric's ideal value: 1 for DI (equal rates), 0 for every other metric. */
export function idealOf(metric: string): number {
  return metric === 'DI' ? 1 : 0;
}

/** Distance from the ideal (`Infinity` for an infinite value). */
export function distanceFromIdeal(metric: string, value: number): number {
  return Math.abs(value - idealOf(metric));
}

/** SageMaker's rule: the window value is farther from the ideal than the baseline's. */
export function violates(metric: string, baseline: number, window: number): boolean {
  return distanceFromIdeal(metric, window) > distanceFromIdeal(metric, baseline);
}

/** One metric of one facet value, baseline against window. */
export interface BiasCheck {
  stage: BiasStage;
  facet: string;
  /** The configured value (`"south"`, `"60"`). */
  facetValue: string;
  metric: BiasMetricName;
  /** `null` when the baseline has no value for it (no such entry, or an error). */
  baseline: number | null;
  /** `null` when the window has no value (an error such as an empty facet). */
  window: number | null;
  /** SageMaker's verdict, for `constraint_violations.json`. */
  violation: boolean;
  /** A violation beyond chance: what alarms, summaries and retraining act on. */
  significant: boolean;
  /** 3 standard errors of the window value; `null` when not judged. */
  margin: number | null;
  /** How the standard error was found; `null` when not judged. */
  errorMethod: 'analytic' | 'bootstrap' | null;
}

/** The window's counts of a configured facet value (`BiasTally.countsOf`). */
export type WindowCounts = (facet: string, value: string) => BiasCounts | undefined;

/**
 * Every window metric against the baseline's, in the window's order (stage, facet, value,
 * metric). Without `windowCounts`, violations are never significant (there is nothing to
 * measure the noise with). `options.z` replaces {@link SIGNIFICANCE_Z} (3) as the number of
 * standard errors a significant violation must pass.
 */
export function checkBiasDrift(
  baseline: BiasAnalysis,
  window: BiasAnalysis,
  windowCounts?: WindowCounts,
  options: { z?: number } = {},
): BiasCheck[] {
  const z = options.z ?? SIGNIFICANCE_Z;
  const checks: BiasCheck[] = [];
  for (const stage of ['pre_training', 'post_training'] as const) {
    const w = stageResult(window, stage);
    if (w === null) continue;
    const b = stageResult(baseline, stage);
    for (const facet of w.facets) {
      const baselineFacet = b?.facets.find((f) => f.name === facet.name);
      for (const entry of facet.values) {
        const key = facetValueKey(entry.value);
        const baselineEntry = baselineFacet?.values.find((v) => facetValueKey(v.value) === key);
        const counts = windowCounts?.(facet.name, entry.value);
        const judged: BiasCheck[] = [];
        for (const m of entry.metrics) {
          const bm = baselineEntry?.metrics.find((x) => x.name === m.name);
          const bv = bm?.value ?? null;
          const wv = m.value;
          const violation = bv !== null && wv !== null && violates(m.name, bv, wv);
          const check: BiasCheck = {
            stage,
            facet: facet.name,
            facetValue: entry.value,
            metric: m.name,
            baseline: bv,
            window: wv,
            violation,
            significant: false,
            margin: null,
            errorMethod: null,
          };
          checks.push(check);
          if (violation && Number.isFinite(wv) && counts !== undefined) judged.push(check);
        }
        if (judged.length === 0 || counts === undefined) continue;
        const errors = standardErrors(
          judged.map((c) => c.metric),
          counts,
        );
        for (const c of judged) {
          const se = errors.get(c.metric)!;
          c.margin = significanceMargin(se, z);
          c.errorMethod = se.method;
          c.significant = isSignificant(
            distanceFromIdeal(c.metric, c.window!),
            distanceFromIdeal(c.metric, c.baseline!),
            se,
            z,
          );
        }
      }
    }
  }
  return checks;
}

/** One entry of `constraint_violations.json`, as SageMaker documents it. */
export interface BiasViolationJson {
  facet: string;
  facet_value: string;
  metric_name: string;
  constraint_check_type: typeof BIAS_DRIFT_CHECK;
  description: string;
}

/** `constraint_violations.json` of a bias drift check. */
export interface BiasViolationsJson {
  version: '1.0';
  violations: BiasViolationJson[];
}

function numberText(x: number): string {
  return Number.isFinite(x) ? String(x) : x > 0 ? 'Infinity' : '-Infinity';
}

/**
 * The violations of `checks` (SageMaker's rule: significant or not, for parity), each with
 * SageMaker's description followed by the baseline and the ideal.
 */
export function biasViolationsJson(checks: readonly BiasCheck[]): BiasViolationsJson {
  return {
    version: '1.0',
    violations: checks
      .filter((c) => c.violation)
      .map((c) => ({
        facet: c.facet,
        facet_value: c.facetValue,
        metric_name: c.metric,
        constraint_check_type: BIAS_DRIFT_CHECK,
        description: `Value ${numberText(c.window!)} does not meet the constraint requirement: the baseline's ${c.metric} is ${numberText(c.baseline!)}, closer to the ideal ${idealOf(c.metric)}`,
      })),
  };
}
