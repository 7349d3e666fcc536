/**
 * SageMaker's data-quality `constraints.json`: read (SageMaker's files as they are, both
 * spellings of per-feature overrides), suggest from a baseline, and resolve each feature's
 * drift method and threshold (METRICS.md, "Drift decision").
 */

import {
  at,
  fieldOf,
  type JsonObject,
  JsonShapeError,
  readBoolean,
  readList,
  readNamedList,
  readNumber,
  readObject,
  readOneOf,
  readOptional,
  readString,
  shown,
} from '../../contracts/json-fields.ts';
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

const METHODS: readonly ComparisonMethod[] = ['Robust', 'Simple'];
const CAT_METHODS: readonly CategoricalDriftMethod[] = ['LInfinity', 'ChiSquared'];
const TYPES: readonly InferredType[] = ['Integral', 'Fractional', 'String', 'Unknown'];
const SWITCH = ['Enabled', 'Disabled'] as const;

/**
 * Validates a parsed constraints.json field by field and returns a copy holding only checked
 * values; errors name the file, the field and the fix. A feature named twice is refused.
 */
export function parseConstraints(json: unknown, file: string): ConstraintsDoc {
  try {
    return readConstraints(json);
  } catch (e) {
    if (e instanceof JsonShapeError)
      throw new BaselineFileError(file, e.path === '' ? 'is not a JSON object' : e.message);
    throw e;
  }
}

function readConstraints(json: unknown): ConstraintsDoc {
  const o = readObject(json, '');
  const features = readList(fieldOf(o, 'features') ?? [], '"features"');
  const out = readNamedList(features, readFeatureConstraint);
  const mcJson = fieldOf(o, 'monitoring_config');
  const mc = mcJson === undefined ? {} : readMonitoringConfig(mcJson, 'monitoring_config');
  return { version: readOptional(o, 'version', '', readNumber) ?? 0, features: out, monitoring_config: mc };
}

function readFeatureConstraint(v: unknown, i: number): FeatureConstraint {
  const o = readObject(v, `features[${i}]`);
  const name = fieldOf(o, 'name');
  if (typeof name !== 'string') throw new JsonShapeError(`features[${i}]`, 'has no "name" string');
  const where = `feature "${name}"`;
  const fc: FeatureConstraint = { name, inferred_type: 'Unknown' };
  const type = fieldOf(o, 'inferred_type');
  if (type === undefined) delete (fc as Partial<FeatureConstraint>).inferred_type;
  else if (!(TYPES as readonly unknown[]).includes(type))
    throw new JsonShapeError(
      where,
      `has inferred_type ${shown(type)}; use Integral, Fractional, String or Unknown`,
    );
  else fc.inferred_type = type as InferredType;
  const completeness = fieldOf(o, 'completeness');
  if (completeness !== undefined) {
    if (typeof completeness !== 'number' || !(completeness >= 0 && completeness <= 1))
      throw new JsonShapeError(where, `has completeness ${shown(completeness)}; use a number from 0 to 1`);
    fc.completeness = completeness;
  }
  const num = readOptional(o, 'num_constraints', where, readObject);
  if (num !== undefined) {
    const p = `${where} num_constraints`;
    fc.num_constraints = {};
    const nonNegative = readOptional(num, 'is_non_negative', p, readBoolean);
    if (nonNegative !== undefined) fc.num_constraints.is_non_negative = nonNegative;
    const ov = readOptional(num, 'monitoring_config_overrides', p, (x, q) =>
      readDistribution(x, `${where} overrides`, q),
    );
    if (ov !== undefined) fc.num_constraints.monitoring_config_overrides = ov;
  }
  const str = readOptional(o, 'string_constraints', where, readObject);
  if (str !== undefined) {
    const p = `${where} string_constraints`;
    fc.string_constraints = {};
    // A domain is a list of category strings: a string here would be read as its characters.
    const domains = readOptional(str, 'domains', p, (x, q) =>
      readList(x, q).map((d, j) => readString(d, at(q, j))),
    );
    if (domains !== undefined) fc.string_constraints.domains = domains;
    const ov = readOptional(str, 'monitoring_config_overrides', p, (x, q) =>
      readDistribution(x, `${where} overrides`, q),
    );
    if (ov !== undefined) fc.string_constraints.monitoring_config_overrides = ov;
  }
  const ov = readOptional(o, 'monitoringConfigOverrides', where, (x, q) =>
    readDistribution(x, `${where} overrides`, q),
  );
  if (ov !== undefined) fc.monitoringConfigOverrides = ov;
  return fc;
}

function readMonitoringConfig(v: unknown, path: string): MonitoringConfig {
  if (v === null || typeof v !== 'object' || Array.isArray(v))
    throw new JsonShapeError('"monitoring_config"', 'must be an object');
  const o = v as JsonObject;
  const mc: MonitoringConfig = {};
  for (const k of ['evaluate_constraints', 'emit_metrics'] as const) {
    const s = readOptional(o, k, path, (x, p) => readOneOf(x, p, SWITCH));
    if (s !== undefined) mc[k] = s;
  }
  for (const k of ['datatype_check_threshold', 'domain_content_threshold'] as const) {
    const x = fieldOf(o, k);
    if (x === undefined) continue;
    if (typeof x !== 'number' || !(x >= 0 && x <= 1))
      throw new JsonShapeError(`${path}.${k}`, `is ${shown(x)}; use a number from 0 to 1`);
    mc[k] = x;
  }
  const d = readOptional(o, 'distribution_constraints', path, (x, p) => readDistribution(x, p, p));
  if (d !== undefined) mc.distribution_constraints = d;
  return mc;
}

function readDistribution(v: unknown, where: string, path: string): DistributionConstraints {
  const o = readObject(v, path);
  const d: DistributionConstraints = {};
  const perform = readOptional(o, 'perform_comparison', path, (x, p) => readOneOf(x, p, SWITCH));
  if (perform !== undefined) d.perform_comparison = perform;
  const method = fieldOf(o, 'comparison_method');
  if (method !== undefined) {
    if (!(METHODS as readonly unknown[]).includes(method))
      throw new JsonShapeError(
        `${where}:`,
        `comparison_method is ${shown(method)}; use "Robust" or "Simple"`,
      );
    d.comparison_method = method as ComparisonMethod;
  }
  const catMethod = fieldOf(o, 'categorical_drift_method');
  if (catMethod !== undefined) {
    if (!(CAT_METHODS as readonly unknown[]).includes(catMethod))
      throw new JsonShapeError(
        `${where}:`,
        `categorical_drift_method is ${shown(catMethod)}; use "LInfinity" or "ChiSquared"`,
      );
    d.categorical_drift_method = catMethod as CategoricalDriftMethod;
  }
  for (const k of ['comparison_threshold', 'categorical_comparison_threshold'] as const) {
    const x = fieldOf(o, k);
    if (x === undefined) continue;
    if (typeof x !== 'number' || !Number.isFinite(x) || x < 0)
      throw new JsonShapeError(`${where}:`, `${k} is ${shown(x)}; use a non-negative number such as 0.1`);
    d[k] = x;
  }
  return d;
}
