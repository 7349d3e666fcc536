/**
 * Model-quality `constraints.json` in SageMaker's format: suggested from a baseline's statistics,
 * read from SageMaker's own files as they are, and evaluated against a window's metrics into
 * violations worded the way SageMaker words them.
 */

import { PROBLEM_TYPES, type ProblemType } from '../../contracts/problem-type.ts';
import {
  CONSTRAINTS_SECTION,
  canonicalMetricName,
  findMetricName,
  metricNamesOf,
  type QualityMetricValues,
  STATISTICS_SECTION,
} from '../../contracts/quality-metric-names.ts';
import { describeJson, isJsonObject } from './json-checks.ts';
import { parseFiniteNumber } from './labelled-records.ts';
import {
  type ModelQualityStatistics,
  statisticsProblemType,
  statisticsValues,
} from './sagemaker-quality-statistics.ts';

/** How a metric is compared with its threshold; the name says when it is a violation. */
export type ComparisonOperator =
  | 'LessThanThreshold'
  | 'GreaterThanThreshold'
  | 'LessThanOrEqualToThreshold'
  | 'GreaterThanOrEqualToThreshold';

/** Every {@link ComparisonOperator}. */
export const COMPARISON_OPERATORS: readonly ComparisonOperator[] = [
  'LessThanThreshold',
  'GreaterThanThreshold',
  'LessThanOrEqualToThreshold',
  'GreaterThanOrEqualToThreshold',
];

/** One metric's constraint. */
export interface MetricConstraint {
  threshold: number;
  comparison_operator: ComparisonOperator;
}

/** A section's constraints by metric name, as written in the file. */
export type MetricConstraints = Record<string, MetricConstraint>;

/**
 * A model-quality `constraints.json`: one section, named after the problem type. Metric names
 * are SageMaker's; `report.json`'s names are accepted too (`f1_macro` has no SageMaker name).
 */
export type ModelQualityConstraints =
  | { version: number; binary_classification_constraints: MetricConstraints }
  | { version: number; multiclass_classification_constraints: MetricConstraints }
  | { version: number; regression_constraints: MetricConstraints };

/** A model-quality `constraint_violations.json` entry. */
export interface QualityViolation {
  metric_name: string;
  constraint_check_type: ComparisonOperator;
  description: string;
}

/** Which problem type a `constraints.json` is for. */
export function constraintsProblemType(constraints: ModelQualityConstraints): ProblemType {
  if ('binary_classification_constraints' in constraints) return 'BinaryClassification';
  if ('multiclass_classification_constraints' in constraints) return 'MulticlassClassification';
  return 'Regression';
}

/** The constraints section of a `constraints.json`, whichever problem type it is for. */
export function constraintsSection(constraints: ModelQualityConstraints): MetricConstraints {
  if ('binary_classification_constraints' in constraints)
    return constraints.binary_classification_constraints;
  if ('multiclass_classification_constraints' in constraints) {
    return constraints.multiclass_classification_constraints;
  }
  return constraints.regression_constraints;
}

function withSection(problemType: ProblemType, section: MetricConstraints): ModelQualityConstraints {
  if (problemType === 'BinaryClassification')
    return { version: 0.0, binary_classification_constraints: section };
  if (problemType === 'MulticlassClassification') {
    return { version: 0.0, multiclass_classification_constraints: section };
  }
  return { version: 0.0, regression_constraints: section };
}

/**
 * Suggests constraints from a baseline's statistics, as SageMaker's suggestion does: each metric
 * it suggests (metric-names.ts, `suggested`), with the baseline value as threshold, and
 * `LessThanThreshold` where higher is better (accuracy, AUC, F scores, rates of right answers,
 * R²) or `GreaterThanThreshold` where lower is better (error rates, MAE, MSE, RMSE). A metric
 * whose baseline value is "NaN" (AUC with one class) gets no constraint.
 */
export function suggestQualityConstraints(
  statistics: ModelQualityStatistics,
  margin: SuggestionMargin = {},
): ModelQualityConstraints {
  const problemType = statisticsProblemType(statistics);
  const values = statisticsValues(statistics);
  const raw = (statistics as unknown as Record<string, Record<string, { standard_deviation?: unknown }>>)[
    STATISTICS_SECTION[problemType]
  ];
  const section: MetricConstraints = {};
  // SageMaker's bootstrap draws 80% subsamples without replacement, so its standard deviation is
  // the metric's sampling deviation at 0.8n shrunk by the finite-population factor sqrt(0.2):
  // sd = s / sqrt(0.8 n) * sqrt(0.2) = s / sqrt(4 n). A window of W labelled records varies by
  // s / sqrt(W) = sd * sqrt(4 n / W); that is the noise a threshold must leave room for.
  const n = statistics.dataset.item_count;
  const windowScale = margin.windowRecords && n > 0 ? Math.sqrt((4 * n) / margin.windowRecords) : 1;
  for (const m of metricNamesOf(problemType)) {
    const value = m.sagemaker === null ? null : values[m.sagemaker];
    if (!m.suggested || m.sagemaker === null || value === null || value === undefined) continue;
    const sd = raw?.[m.sagemaker]?.standard_deviation;
    const slack = Math.max(
      (margin.deviations ?? 0) * (typeof sd === 'number' ? sd * windowScale : 0),
      (margin.relative ?? 0) * Math.abs(value),
    );
    section[m.sagemaker] = {
      threshold: m.better === 'higher' ? value - slack : value + slack,
      comparison_operator: m.better === 'higher' ? 'LessThanThreshold' : 'GreaterThanThreshold',
    };
  }
  return withSection(problemType, section);
}

/**
 * Room between the baseline value and a suggested threshold, so an ordinary hour's sampling
 * noise does not raise violations: the larger of `deviations` standard deviations of the metric
 * on a window of `windowRecords` (from the bootstrap deviation) and `relative` times the value. Both 0 (SageMaker's suggestion: the baseline value itself) by default.
 */
export interface SuggestionMargin {
  deviations?: number;
  relative?: number;
  /**
   * Labelled records a monitoring window is expected to hold: scales the bootstrap deviation to
   * the sampling noise of a window that size. @default - the bootstrap deviation as it is
   */
  windowRecords?: number;
}

/**
 * Reads a model-quality `constraints.json` as parsed JSON (SageMaker's own, or one written
 * here). Thresholds may be numbers or numeric text; every metric must be one the problem type
 * has, in SageMaker's or `report.json`'s spelling. Errors name the file, the metric and the fix.
 *
 * @param source how to name the file in errors, e.g. its path.
 */
export function parseQualityConstraints(json: unknown, source = 'constraints.json'): ModelQualityConstraints {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}`);
  };
  if (!isJsonObject(json)) return fail(`expected a JSON object, found ${describeJson(json)}`);
  if (json.version !== undefined && typeof json.version !== 'number') {
    return fail(`"version" is ${describeJson(json.version)}; write 0.0`);
  }
  const present = PROBLEM_TYPES.filter((p) => CONSTRAINTS_SECTION[p] in json);
  if (present.length !== 1) {
    const names = Object.values(CONSTRAINTS_SECTION).join(', ');
    return fail(
      present.length === 0
        ? `no model-quality constraints section (one of ${names}); is this a data-quality constraints.json?`
        : `${present.length} constraints sections (${present.map((p) => CONSTRAINTS_SECTION[p]).join(', ')}); keep the one for the endpoint's problem type`,
    );
  }
  const problemType = present[0]!;
  const sectionName = CONSTRAINTS_SECTION[problemType];
  const raw = json[sectionName];
  if (!isJsonObject(raw)) return fail(`"${sectionName}" is ${describeJson(raw)}, expected { METRIC: {...} }`);

  const section: MetricConstraints = {};
  for (const [name, entry] of Object.entries(raw)) {
    const where = `${sectionName}.${name}`;
    if (findMetricName(problemType, name) === undefined) {
      const known = metricNamesOf(problemType).map(canonicalMetricName).join(', ');
      return fail(`unknown metric "${name}" in ${sectionName}; use one of ${known}`);
    }
    if (!isJsonObject(entry)) {
      return fail(
        `"${where}" is ${describeJson(entry)}; write { "threshold": X, "comparison_operator": "..." }`,
      );
    }
    const threshold = parseFiniteNumber(entry.threshold);
    if (threshold === null) {
      return fail(`"${where}.threshold" is ${describeJson(entry.threshold)}; write a finite number`);
    }
    const operator = entry.comparison_operator;
    if (!COMPARISON_OPERATORS.includes(operator as ComparisonOperator)) {
      return fail(
        `"${where}.comparison_operator" is ${describeJson(operator)}; use one of ${COMPARISON_OPERATORS.join(', ')}`,
      );
    }
    section[name] = { threshold, comparison_operator: operator as ComparisonOperator };
  }
  const parsed = withSection(problemType, section);
  if (typeof json.version === 'number') parsed.version = json.version;
  return parsed;
}

/** Whether `value` breaks a constraint: the operator names the violating side. */
export function violates(operator: ComparisonOperator, value: number, threshold: number): boolean {
  switch (operator) {
    case 'LessThanThreshold':
      return value < threshold;
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
  }
}

/**
 * A number the way SageMaker (Java's `Double.toString`) prints it in violation texts where the
 * two differ most visibly: whole numbers keep a `.0` (`1.0`, not `1`).
 */
function javaStyleNumber(x: number): string {
  return Number.isInteger(x) && Math.abs(x) < 1e7 ? x.toFixed(1) : String(x);
}

/**
 * The violations of `constraints` by a window's metric values, in the file's order, as
 * `{metric_name, constraint_check_type: OPERATOR, description}` with SageMaker's wording:
 * `Metric accuracy with 0.61 was LessThanThreshold '0.8'`. A metric whose value is `null` (AUC of
 * a window with one class) cannot be compared and raises none.
 *
 * @param values the window's values by canonical name (`metric-names.ts`); a constrained metric
 *   missing from it is a programming error and throws.
 */
export function evaluateQualityConstraints(
  constraints: ModelQualityConstraints,
  values: QualityMetricValues,
): QualityViolation[] {
  const problemType = constraintsProblemType(constraints);
  const violations: QualityViolation[] = [];
  for (const [name, constraint] of Object.entries(constraintsSection(constraints))) {
    const m = findMetricName(problemType, name);
    if (m === undefined) {
      throw new Error(
        `model-quality constraints: unknown ${problemType} metric "${name}"; read the file with parseQualityConstraints`,
      );
    }
    const value = values[canonicalMetricName(m)];
    if (value === undefined) {
      throw new Error(
        `model-quality constraints: no value for metric "${name}"; pass every ${problemType} metric`,
      );
    }
    if (value === null) continue;
    const { threshold, comparison_operator: operator } = constraint;
    if (!violates(operator, value, threshold)) continue;
    violations.push({
      metric_name: name,
      constraint_check_type: operator,
      description: `Metric ${name} with ${javaStyleNumber(value)} was ${operator} '${javaStyleNumber(threshold)}'`,
    });
  }
  return violations;
}
