/**
 * Compares a window's profile with the baseline, feature by feature, and decides drift the way
 * SageMaker does (METRICS.md, "Drift decision").
 */

import type { FeatureRole } from '../capture/capture-record.ts';
import type { FeatureKind, FeatureProfile } from '../profile/feature-profile.ts';
import type { NumericProfile } from '../profile/numeric-profile.ts';
import type { WindowProfile } from '../profile/window-profile.ts';
import { driftRule } from '../sagemaker/sagemaker-constraints.ts';
import type { Baseline, BaselineFeature } from './baseline.ts';
import type { CategoricalMetrics } from './categorical-drift.ts';
import { categoricalMetrics } from './categorical-drift.ts';
import type { NumericMetrics } from './numeric-drift.ts';
import { type NumericSide, numericMetrics } from './numeric-drift.ts';

/** `exact` when both sides were kept value by value, `sketch` when either side is a quantile sketch. */
export type DistributionMethod = 'exact' | 'sketch';

/** One feature's row of the report. */
export interface FeatureDrift {
  name: string;
  role: FeatureRole;
  type: FeatureKind;
  /** Present (non-missing, well-typed) values in the window. */
  count: number;
  missing: number;
  typeMismatch: number;
  method: DistributionMethod;
  /** `null` when the window has no values of the feature or the baseline has no distribution for it. */
  metrics: NumericMetrics | CategoricalMetrics | null;
  /** The distance the drift decision uses (METRICS.md "Drift decision"); `null` when not compared. */
  distance: number | null;
  threshold: number | null;
  /** Which distance `distance` is: `linfRobust`, `ks`, `linf` or `chiSquarePValue`. */
  distanceMetric: string | null;
  drifted: boolean;
  /** Whether the feature counts toward dataset drift (compared, comparison enabled). */
  monitored: boolean;
  /** Why the feature was not compared, when it was not. */
  note?: string;
}

export interface DatasetDrift {
  monitoredFeatures: number;
  driftedFeatures: number;
  share: number;
  /** The share at and above which the dataset counts as drifted. */
  threshold: number;
  detected: boolean;
}

export interface CompareOptions {
  /** Share of monitored features at and above which the dataset counts as drifted. @default 0.5 */
  datasetDriftShare?: number;
  /** Per-feature thresholds that override constraints.json (feature name to threshold). */
  featureThresholds?: Record<string, number>;
}

export const DEFAULT_DATASET_DRIFT_SHARE = 0.5;

/** The note of a window feature the baseline does not have (reported, never compared). */
export const NOT_IN_BASELINE = 'not in the baseline';

/** Whether a report row is one of the baseline's features (not an extra column of the window). */
export function isBaselineFeature(f: Pick<FeatureDrift, 'note'>): boolean {
  return f.note !== NOT_IN_BASELINE;
}

export function compareWindow(
  baseline: Baseline,
  window: WindowProfile,
  options: CompareOptions = {},
): { features: FeatureDrift[]; datasetDrift: DatasetDrift } {
  const features: FeatureDrift[] = baseline.features.map((bf) =>
    compareFeature(baseline, bf, window.features.get(bf.name), options),
  );
  const known = new Set(baseline.features.map((f) => f.name));
  for (const wf of window.features.values()) {
    if (known.has(wf.name) || wf.present + wf.missing === 0) continue;
    const kind = wf.inferredType() === 'String' ? 'categorical' : 'numeric';
    features.push({
      ...uncompared(wf.name, wf.role, kind, { count: wf.present, missing: wf.missing, typeMismatch: 0 }),
      note: NOT_IN_BASELINE,
    });
  }
  const monitored = features.filter((f) => f.monitored);
  const drifted = monitored.filter((f) => f.drifted).length;
  const share = monitored.length === 0 ? 0 : drifted / monitored.length;
  const threshold = options.datasetDriftShare ?? DEFAULT_DATASET_DRIFT_SHARE;
  return {
    features,
    datasetDrift: {
      monitoredFeatures: monitored.length,
      driftedFeatures: drifted,
      share,
      threshold,
      detected: monitored.length > 0 && share >= threshold,
    },
  };
}

/** A feature's row before (or without) a comparison: its counts, no metrics, not drifted. */
function uncompared(
  name: string,
  role: FeatureRole,
  type: FeatureKind,
  counts: Pick<FeatureDrift, 'count' | 'missing' | 'typeMismatch'>,
): FeatureDrift {
  return {
    name,
    role,
    type,
    ...counts,
    method: 'exact',
    metrics: null,
    distance: null,
    threshold: null,
    distanceMetric: null,
    drifted: false,
    monitored: false,
  };
}

function compareFeature(
  baseline: Baseline,
  bf: BaselineFeature,
  wf: FeatureProfile | undefined,
  options: CompareOptions,
): FeatureDrift {
  const count = wf ? (bf.kind === 'numeric' ? (wf.numeric?.count ?? 0) : (wf.categorical?.count ?? 0)) : 0;
  const row = uncompared(bf.name, wf?.role ?? bf.role, bf.kind, {
    count,
    missing: wf?.missing ?? 0,
    typeMismatch: wf?.typeMismatch ?? 0,
  });
  if (!bf.hasDistribution) {
    row.note =
      bf.kind === 'categorical'
        ? 'the baseline keeps no category distribution for it (too many distinct values)'
        : 'the baseline has no values for it';
    return row;
  }
  if (!wf || count === 0) {
    row.note = 'no values in this window';
    return row;
  }
  const rule = driftRule(baseline.constraints, bf.name);
  // A name is data, never a key: `constructor` must not find Object.prototype's.
  const thresholds = options.featureThresholds;
  const override =
    thresholds !== undefined && Object.hasOwn(thresholds, bf.name) ? thresholds[bf.name] : undefined;
  if (bf.kind === 'numeric') {
    const m = numericMetrics(numericSide(bf.profile.numeric!), numericSide(wf.numeric!));
    row.method = methodOf(bf.profile.numeric!, wf.numeric!);
    row.metrics = m;
    row.threshold = override ?? rule.numericThreshold;
    if (rule.method === 'Simple') {
      row.distance = m.ks.statistic;
      row.distanceMetric = 'ks';
    } else {
      row.distance = m.linfRobust;
      row.distanceMetric = 'linfRobust';
    }
    row.drifted = row.distance > row.threshold;
  } else {
    const b = bf.profile.categorical!;
    const c = wf.categorical!;
    const m: CategoricalMetrics = categoricalMetrics(b.countsForDrift(), c.countsForDrift());
    row.method = b.overflow > 0 || c.overflow > 0 ? 'sketch' : 'exact';
    row.metrics = m;
    row.threshold = override ?? rule.categoricalThreshold;
    if (rule.categoricalMethod === 'ChiSquared') {
      row.distance = m.chiSquare.pValue;
      row.distanceMetric = 'chiSquarePValue';
      row.drifted = row.distance < row.threshold;
    } else {
      row.distance = rule.method === 'Simple' ? m.linf : m.linfRobust;
      row.distanceMetric = rule.method === 'Simple' ? 'linf' : 'linfRobust';
      row.drifted = row.distance > row.threshold;
    }
  }
  row.monitored = rule.enabled;
  if (!rule.enabled) {
    row.drifted = false;
    row.note = 'comparison disabled in constraints.json';
  }
  return row;
}

function numericSide(p: NumericProfile): NumericSide {
  return { sample: p.weightedSample(), ...p.moments() };
}

function methodOf(a: NumericProfile, b: NumericProfile): DistributionMethod {
  return a.isExact && b.isExact ? 'exact' : 'sketch';
}
