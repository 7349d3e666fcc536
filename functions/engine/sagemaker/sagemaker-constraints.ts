/**
 * SageMaker's data-quality `constraints.json`: read (SageMaker's files as they are, both
 * spellings of per-feature overrides), suggest from a baseline, and resolve each feature's
 * drift method and threshold (METRICS.md, "Drift decision").
 */

import type { InferredType } from '../profile/feature-profile.ts';
import { BaselineFileError } from './baseline-error.ts';

export type ComparisonMethod = 'Robust' | 'Simple';
export type CategoricalDriftMethod = 'LInfinity' | 'ChiSquared';

export interface DistributionConstraints {
  perform_comparison?: 'Enabled' | 'Disabled';
  comparison_threshold?: number;
  comparison_method?: ComparisonMethod;
  categorical_comparison_threshold?: number;
  categorical_drift_method?: CategoricalDriftMethod;
}

export interface MonitoringConfig {
  evaluate_constraints?: 'Enabled' | 'Disabled';
  emit_metrics?: 'Enabled' | 'Disabled';
  datatype_check_threshold?: number;
  domain_content_threshold?: number;
  distribution_constraints?: DistributionConstraints;
}

export interface FeatureConstraint {
  name: string;
  inferred_type: InferredType;
  completeness?: number;
  num_constraints?: { is_non_negative?: boolean; monitoring_config_overrides?: DistributionConstraints };
  string_constraints?: { domains?: string[]; monitoring_config_overrides?: DistributionConstraints };
  monitoringConfigOverrides?: DistributionConstraints;
}

export interface ConstraintsDoc {
  version: number;
  features: FeatureConstraint[];
  monitoring_config: MonitoringConfig;
}

/** SageMaker's suggested defaults (seen in real suggested files). */
export const DEFAULT_MONITORING_CONFIG: Required<Omit<MonitoringConfig, 'distribution_constraints'>> & {
  distribution_constraints: Required<DistributionConstraints>;
} = {
  evaluate_constraints: 'Enabled',
  emit_metrics: 'Enabled',
  datatype_check_threshold: 1.0,
  domain_content_threshold: 1.0,
  distribution_constraints: {
    perform_comparison: 'Enabled',
    comparison_threshold: 0.1,
    comparison_method: 'Robust',
    categorical_comparison_threshold: 0.1,
    categorical_drift_method: 'LInfinity',
  },
};

/** The drift rule for one feature after overrides. */
export interface DriftRule {
  enabled: boolean;
  method: ComparisonMethod;
  categoricalMethod: CategoricalDriftMethod;
  numericThreshold: number;
  categoricalThreshold: number;
}

/** Resolves the drift rule of a feature: per-feature overrides (either spelling) win. */
export function driftRule(doc: ConstraintsDoc | null, featureName: string): DriftRule {
  const base = {
    ...DEFAULT_MONITORING_CONFIG.distribution_constraints,
    ...(doc?.monitoring_config.distribution_constraints ?? {}),
  };
  const f = doc?.features.find((x) => x.name === featureName);
  const o: DistributionConstraints = {
    ...(f?.monitoringConfigOverrides ?? {}),
    ...(f?.num_constraints?.monitoring_config_overrides ?? {}),
    ...(f?.string_constraints?.monitoring_config_overrides ?? {}),
  };
  const d = { ...base, ...o };
  const threshold = d.comparison_threshold;
  return {
    enabled: d.perform_comparison !== 'Disabled',
    method: d.comparison_method,
    categoricalMethod: d.categorical_drift_method,
    numericThreshold: threshold,
    // A feature override of comparison_threshold applies to categorical features too, unless
    // the override also names the categorical threshold.
    categoricalThreshold:
      o.categorical_comparison_threshold ?? o.comparison_threshold ?? d.categorical_comparison_threshold,
  };
}

const METHODS = new Set(['Robust', 'Simple']);
const CAT_METHODS = new Set(['LInfinity', 'ChiSquared']);
const TYPES = new Set(['Integral', 'Fractional', 'String', 'Unknown']);

/** Validates a parsed constraints.json; errors name the file, the field and the fix. */
export function parseConstraints(json: unknown, file: string): ConstraintsDoc {
  const fail = (what: string): never => {
    throw new BaselineFileError(file, what);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('is not a JSON object');
  const o = json as Record<string, unknown>;
  const features = o.features ?? [];
  if (!Array.isArray(features)) fail('"features" must be a list of feature constraints');
  const out: FeatureConstraint[] = [];
  (features as unknown[]).forEach((f, i) => {
    if (f === null || typeof f !== 'object') fail(`features[${i}] must be an object with a "name"`);
    const fc = f as FeatureConstraint;
    if (typeof fc.name !== 'string') fail(`features[${i}] has no "name" string`);
    if (fc.inferred_type !== undefined && !TYPES.has(fc.inferred_type))
      fail(
        `feature "${fc.name}" has inferred_type "${fc.inferred_type}"; use Integral, Fractional, String or Unknown`,
      );
    if (
      fc.completeness !== undefined &&
      (typeof fc.completeness !== 'number' || fc.completeness < 0 || fc.completeness > 1)
    )
      fail(
        `feature "${fc.name}" has completeness ${JSON.stringify(fc.completeness)}; use a number from 0 to 1`,
      );
    for (const ov of [
      fc.monitoringConfigOverrides,
      fc.num_constraints?.monitoring_config_overrides,
      fc.string_constraints?.monitoring_config_overrides,
    ])
      if (ov) checkDistribution(ov, `feature "${fc.name}" overrides`, fail);
    out.push(fc);
  });
  const mc = (o.monitoring_config ?? {}) as MonitoringConfig;
  if (typeof mc !== 'object') fail('"monitoring_config" must be an object');
  for (const k of ['datatype_check_threshold', 'domain_content_threshold'] as const) {
    const v = mc[k];
    if (v !== undefined && (typeof v !== 'number' || v < 0 || v > 1))
      fail(`monitoring_config.${k} is ${JSON.stringify(v)}; use a number from 0 to 1`);
  }
  if (mc.distribution_constraints)
    checkDistribution(mc.distribution_constraints, 'monitoring_config.distribution_constraints', fail);
  return { version: typeof o.version === 'number' ? o.version : 0, features: out, monitoring_config: mc };
}

function checkDistribution(d: DistributionConstraints, where: string, fail: (w: string) => never): void {
  if (d.comparison_method !== undefined && !METHODS.has(d.comparison_method))
    fail(`${where}: comparison_method is "${d.comparison_method}"; use "Robust" or "Simple"`);
  if (d.categorical_drift_method !== undefined && !CAT_METHODS.has(d.categorical_drift_method))
    fail(
      `${where}: categorical_drift_method is "${d.categorical_drift_method}"; use "LInfinity" or "ChiSquared"`,
    );
  for (const k of ['comparison_threshold', 'categorical_comparison_threshold'] as const) {
    const v = d[k];
    if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v) || v < 0))
      fail(`${where}: ${k} is ${JSON.stringify(v)}; use a non-negative number such as 0.1`);
  }
}
