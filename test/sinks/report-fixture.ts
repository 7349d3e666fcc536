/** Hand-made reports for the sink tests: only the fields the sinks read carry meaning. */

import type { WindowBias } from '../../functions/engine/bias/window-bias.ts';
import type { Violation } from '../../functions/engine/drift/checks.ts';
import type { FeatureDrift } from '../../functions/engine/drift/compare.ts';
import type { NumericMetrics } from '../../functions/engine/drift/numeric-drift.ts';
import type { MultivariateResult } from '../../functions/engine/multivariate/multivariate-score.ts';
import type {
  AttributionReport,
  Report,
  WindowCheckViolation,
} from '../../functions/engine/report/report-model.ts';

const sides = <T>(baseline: T, current: T) => ({ baseline, current });

/** Numeric metrics whose current side has these count, sum, min and max. */
export function numericMetrics(count: number, sum: number, min: number, max: number): NumericMetrics {
  return {
    count: sides(100, count),
    ks: { statistic: 0.2, pValue: 0.01 },
    linfRobust: 0.2,
    binEdges: [],
    binProportions: sides([], []),
    psi: 0,
    jensenShannon: 0,
    wasserstein: 0,
    wassersteinNorm: null,
    mean: sides(0, count === 0 ? 0 : sum / count),
    stdDev: sides(0, 0),
    min: sides(0, min),
    max: sides(0, max),
    sum: sides(0, sum),
  };
}

export function feature(name: string, over: Partial<FeatureDrift> = {}): FeatureDrift {
  return {
    name,
    role: 'input',
    type: 'categorical',
    count: 10,
    missing: 0,
    typeMismatch: 0,
    method: 'exact',
    metrics: null,
    distance: 0.05,
    threshold: 0.1,
    distanceMetric: 'linfRobust',
    drifted: false,
    monitored: true,
    ...over,
  };
}

export function report(
  features: FeatureDrift[],
  violations: Report['violations'] = [],
  over: Partial<Report> = {},
): Report {
  const monitored = features.filter((f) => f.monitored);
  const drifted = monitored.filter((f) => f.drifted).length;
  return {
    version: 1,
    window: { start: '2026-11-26T05:00:00.000Z', end: '2026-11-26T06:00:00.000Z' },
    generatedAt: '2026-11-26T06:10:00.000Z',
    records: {
      total: 120,
      profiled: 118,
      rejected: 2,
      rejectedByReason: { invalid_json: 2 },
      outsideWindow: 0,
    },
    features,
    datasetDrift: {
      monitoredFeatures: monitored.length,
      driftedFeatures: drifted,
      share: monitored.length === 0 ? 0 : drifted / monitored.length,
      threshold: 0.5,
      detected: monitored.length > 0 && drifted / monitored.length >= 0.5,
    },
    violations,
    quality: null,
    baseline: { source: 'driftwatch', path: 's3://ml-data/baselines/churn-xgb/' },
    warnings: [],
    ...over,
  };
}

export function driftViolation(name: string): Violation {
  return {
    feature_name: name,
    constraint_check_type: 'baseline_drift_check',
    description: `distance of ${name} exceeds its threshold`,
  };
}

/** A bias section: one significant violation of DPPL for region = south, one calm check. */
export function biasSection(over: Partial<WindowBias> = {}): WindowBias {
  return {
    matched: 300,
    facets: [
      {
        facet: 'region',
        value: 'south',
        stage: 'post_training',
        metric: 'DPPL',
        baseline: 0.02,
        window: 0.31,
        violation: true,
        significant: true,
      },
      {
        facet: 'region',
        value: 'south',
        stage: 'pre_training',
        metric: 'CI',
        baseline: 0.1,
        window: 0.12,
        violation: true,
        significant: false,
      },
    ],
    violations: 1,
    ...over,
  };
}

/** A multivariate result: value 1.23 against the band 0.95 to 1.08, drifted, three features. */
export function multivariateResult(over: Partial<MultivariateResult> = {}): MultivariateResult {
  return {
    method: 'pca-reconstruction',
    rows: 118,
    overflowRows: 0,
    components: 3,
    explainedVariance: 0.82,
    value: 1.23,
    samplingError: 0.01,
    lowerThreshold: 0.95,
    upperThreshold: 1.08,
    drifted: true,
    featureContributions: [
      { feature: 'Day Mins', share: 0.6, meanSquaredResidual: 2.2 },
      { feature: 'plan', share: 0.3, meanSquaredResidual: 1.1 },
      { feature: 'age', share: 0.1, meanSquaredResidual: 0.37 },
    ],
    ...over,
  };
}

/** The report.json entry of a drifted multivariate result. */
export function multivariateViolation(): WindowCheckViolation {
  return {
    feature_name: '*',
    constraint_check_type: 'multivariate_drift_check',
    description: 'mean reconstruction error 1.23 is above the upper threshold 1.08',
  };
}

/**
 * A drifted feature attribution section: three features whose ranking reversed, every record of
 * the window explained (exact values, 3 features: 7 model rows a record, plus v(∅)).
 */
export function attributionSection(over: Partial<AttributionReport> = {}): AttributionReport {
  return {
    endpoint: 'churn-shadow',
    method: 'exact',
    label: 'label0',
    aggMethod: 'mean_abs',
    seed: 20261206,
    numSamples: null,
    baseline: { 'Day Mins': 0.7, plan: 0.5, age: 0.05 },
    window: { 'Day Mins': 0.1, plan: 0.2, age: 0.7 },
    expectedValue: { baseline: 0.31, window: 0.35 },
    ndcg: 0.6123,
    threshold: 0.9,
    drifted: true,
    windowRows: 118,
    recordsPlanned: 100,
    recordsExplained: 100,
    modelRows: 701,
    requests: 2,
    limitedBy: 'records',
    reason: 'explaining 100 of 118 rows, as the records setting (--explain-records) asks',
    stoppedEarly: null,
    error: null,
    ...over,
  };
}

/** The report.json entry of a drifted attribution ranking. */
export function attributionViolation(): WindowCheckViolation {
  return {
    feature_name: '*',
    constraint_check_type: 'feature_attribution_drift_check',
    description: "Feature attribution drift: the nDCG of the window's feature ranking is 0.6123, below 0.9",
  };
}
