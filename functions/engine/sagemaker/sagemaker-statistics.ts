/**
 * SageMaker's data-quality `statistics.json` (FORMATS.md): written for baselines and for every
 * window, and read so a SageMaker baseline can be used as it is.
 */

import type { FeatureProfile, InferredType } from '../profile/feature-profile.ts';
import { KLL_DEFAULT_C, KLL_DEFAULT_K, KllSketch } from '../profile/kll-sketch.ts';
import { NumericProfile } from '../profile/numeric-profile.ts';
import { BaselineFileError } from './baseline-error.ts';

/** Categorical features with at most this many distinct values get buckets (and domains). */
export const CATEGORICAL_BUCKET_LIMIT = 120;

interface Common {
  num_present: number;
  num_missing: number;
}

export interface KllBucket {
  lower_bound: number;
  upper_bound: number;
  count: number;
}

export interface NumericalStatistics {
  common: Common;
  mean: number;
  sum: number;
  std_dev: number;
  min: number;
  max: number;
  approximate_num_distinct_values?: number;
  completeness?: number;
  distribution?: {
    kll: { buckets: KllBucket[]; sketch: { parameters: { c: number; k: number }; data: number[][] } };
  };
}

export interface StringStatistics {
  common: Common;
  distinct_count: number;
  completeness?: number;
  distribution?: { categorical: { buckets: Array<{ value: string; count: number }> } };
}

export interface FeatureStatistics {
  name: string;
  inferred_type: InferredType;
  numerical_statistics?: NumericalStatistics;
  string_statistics?: StringStatistics;
}

export interface StatisticsDoc {
  version: number;
  dataset: { item_count: number };
  features: FeatureStatistics[];
}

/** One feature to describe: its profile and the type SageMaker would give it. */
export interface StatisticsInput {
  profile: FeatureProfile;
  inferredType: InferredType;
}

export function toStatisticsDoc(itemCount: number, features: StatisticsInput[]): StatisticsDoc {
  return { version: 0.0, dataset: { item_count: itemCount }, features: features.map(featureStatistics) };
}

function featureStatistics({ profile, inferredType }: StatisticsInput): FeatureStatistics {
  const present = profile.present;
  const rows = present + profile.missing;
  const common = { num_present: present, num_missing: profile.missing };
  const completeness = rows === 0 ? 0 : present / rows;
  if (
    profile.kind !== 'categorical' &&
    profile.numeric &&
    (inferredType === 'Integral' || inferredType === 'Fractional')
  ) {
    const num = profile.numeric;
    const m = num.moments();
    const stats: NumericalStatistics = {
      common,
      mean: m.count ? m.mean : 0,
      sum: m.sum,
      std_dev: m.count ? m.stdDev : 0,
      min: m.count ? m.min : 0,
      max: m.count ? m.max : 0,
    };
    if (profile.categorical) stats.approximate_num_distinct_values = profile.categorical.distinctCount();
    stats.completeness = completeness;
    if (m.count > 0) {
      const sketch = num.toKll();
      stats.distribution = {
        kll: {
          buckets: kllBuckets(num, m.min, m.max),
          sketch: { parameters: { c: sketch.c, k: sketch.k }, data: sketch.levelItems() },
        },
      };
    }
    return { name: profile.name, inferred_type: inferredType, numerical_statistics: stats };
  }
  const cat = profile.categorical;
  const distinct = cat ? cat.distinctCount() : 0;
  const stats: StringStatistics = { common, distinct_count: distinct, completeness };
  if (cat && cat.overflow === 0 && cat.counts.size > 0 && cat.counts.size <= CATEGORICAL_BUCKET_LIMIT) {
    const buckets = [...cat.counts.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .map(([value, count]) => ({ value, count }));
    stats.distribution = { categorical: { buckets } };
  }
  return { name: profile.name, inferred_type: inferredType, string_statistics: stats };
}

/** Ten equal-width buckets from min to max; a value on a boundary goes up, max into the last. */
export function kllBuckets(num: NumericProfile, min: number, max: number): KllBucket[] {
  const width = (max - min) / 10;
  const counts = new Array<number>(10).fill(0);
  const { values, weights } = num.weightedSample();
  for (let i = 0; i < values.length; i++) {
    const b = width > 0 ? Math.min(9, Math.floor((values[i]! - min) / width)) : 0;
    counts[Math.max(0, b)]! += weights ? weights[i]! : 1;
  }
  return counts.map((count, i) => ({
    lower_bound: min + i * width,
    upper_bound: i === 9 ? max : min + (i + 1) * width,
    count,
  }));
}

/** Validates a parsed statistics.json; errors name the file, the feature and the fix. */
export function parseStatistics(json: unknown, file: string): StatisticsDoc {
  const fail = (what: string): never => {
    throw new BaselineFileError(file, what);
  };
  if (json === null || typeof json !== 'object' || Array.isArray(json)) fail('is not a JSON object');
  const o = json as Record<string, unknown>;
  if (!Array.isArray(o.features))
    fail('has no "features" list; is this a SageMaker data-quality statistics.json?');
  const features = o.features as FeatureStatistics[];
  features.forEach((f, i) => {
    if (f === null || typeof f !== 'object' || typeof f.name !== 'string')
      fail(`features[${i}] has no "name"`);
    const ns = f.numerical_statistics;
    const ss = f.string_statistics;
    if (!ns && !ss) fail(`feature "${f.name}" has neither numerical_statistics nor string_statistics`);
    if (ns) {
      for (const k of ['mean', 'sum', 'std_dev', 'min', 'max'] as const)
        if (typeof ns[k] !== 'number')
          fail(`feature "${f.name}" has no numeric numerical_statistics.${k}; rebuild the baseline`);
      if (!ns.common || typeof ns.common.num_present !== 'number')
        fail(`feature "${f.name}" has no numerical_statistics.common.num_present`);
      const data = ns.distribution?.kll?.sketch?.data;
      if (ns.common.num_present > 0 && !Array.isArray(data))
        fail(
          `feature "${f.name}" has no distribution.kll.sketch.data; rebuild the baseline or set perform_comparison to "Disabled" for it`,
        );
      if (
        Array.isArray(data) &&
        !data.every((l) => Array.isArray(l) && l.every((x) => typeof x === 'number'))
      )
        fail(`feature "${f.name}" has a distribution.kll.sketch.data that is not a list of lists of numbers`);
    }
    if (ss?.distribution?.categorical?.buckets !== undefined) {
      const b = ss.distribution.categorical.buckets;
      if (!Array.isArray(b) || !b.every((x) => x && typeof x.count === 'number'))
        fail(`feature "${f.name}" has categorical buckets without numeric counts`);
    }
  });
  const ds = (o.dataset ?? {}) as { item_count?: number };
  return {
    version: typeof o.version === 'number' ? o.version : 0,
    dataset: { item_count: ds.item_count ?? 0 },
    features,
  };
}

/** A numeric profile standing for SageMaker's statistics of one feature (sketch mode). */
export function numericProfileFromStatistics(ns: NumericalStatistics): NumericProfile {
  const sk = ns.distribution?.kll?.sketch;
  const sketch = KllSketch.fromLevels(
    sk?.data ?? [],
    sk?.parameters.k ?? KLL_DEFAULT_K,
    sk?.parameters.c ?? KLL_DEFAULT_C,
  );
  return NumericProfile.fromSketch(sketch, {
    count: ns.common.num_present,
    sum: ns.sum,
    mean: ns.mean,
    stdDev: ns.std_dev,
    min: ns.min,
    max: ns.max,
  });
}
