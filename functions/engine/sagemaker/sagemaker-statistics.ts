/**
 * SageMaker's data-quality `statistics.json` (FORMATS.md): written for baselines and for every
 * window, and read so a SageMaker baseline can be used as it is.
 */

import {
  at,
  fieldOf,
  JsonShapeError,
  readCount,
  readList,
  readNamedList,
  readNumber,
  readNumberOrOverflow,
  readNumbers,
  readObject,
  readOneOf,
  readOptional,
  readString,
  shown,
} from '../../contracts/json-fields.ts';
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

/**
 * Validates a parsed statistics.json field by field and returns a copy of it that holds only
 * checked values; errors name the file, the feature, the field and the fix. A feature named
 * twice is refused (which of the two would the window be compared with?).
 */
export function parseStatistics(json: unknown, file: string): StatisticsDoc {
  try {
    return readStatistics(json);
  } catch (e) {
    if (e instanceof JsonShapeError) throw new BaselineFileError(file, statisticsProblem(e));
    throw e;
  }
}

const REBUILD = 'rebuild the baseline';

function statisticsProblem(e: JsonShapeError): string {
  if (e.path === '') return `${e.problem.replace(/^must be an object/, 'is not a JSON object')}`;
  return `${e.message}; ${REBUILD}`;
}

const INFERRED_TYPES: readonly InferredType[] = ['Integral', 'Fractional', 'String', 'Unknown'];

function readStatistics(json: unknown): StatisticsDoc {
  const o = readObject(json, '');
  const featuresJson = fieldOf(o, 'features');
  if (!Array.isArray(featuresJson))
    throw new JsonShapeError('', 'has no "features" list; is this a SageMaker data-quality statistics.json?');
  const features = readNamedList(featuresJson, readFeatureStatistics);
  const dataset = readOptional(o, 'dataset', '', readObject);
  const itemCount =
    dataset === undefined ? undefined : readOptional(dataset, 'item_count', 'dataset', readCount);
  return {
    version: readOptional(o, 'version', '', readNumber) ?? 0,
    dataset: { item_count: itemCount ?? 0 },
    features,
  };
}

function readFeatureStatistics(fj: unknown, i: number): FeatureStatistics {
  const o = readObject(fj, `features[${i}]`);
  const nameJson = fieldOf(o, 'name');
  if (typeof nameJson !== 'string') throw new JsonShapeError(`features[${i}]`, 'has no "name"');
  const name = nameJson;
  const where = `feature "${name}":`;
  const inferredType = readOptional(o, 'inferred_type', where, (v, p) => readOneOf(v, p, INFERRED_TYPES));
  const nsJson = fieldOf(o, 'numerical_statistics');
  const ssJson = fieldOf(o, 'string_statistics');
  if (nsJson === undefined && ssJson === undefined)
    throw new JsonShapeError(where, 'has neither numerical_statistics nor string_statistics');
  const out: FeatureStatistics = { name, inferred_type: inferredType ?? (nsJson ? 'Fractional' : 'String') };
  if (nsJson !== undefined) out.numerical_statistics = readNumerical(nsJson, `${where} numerical_statistics`);
  if (ssJson !== undefined) out.string_statistics = readString_(ssJson, `${where} string_statistics`);
  return out;
}

function readCommon(v: unknown, path: string): Common {
  const o = readObject(v, path);
  return {
    num_present: readCount(fieldOf(o, 'num_present'), at(path, 'num_present')),
    num_missing: readOptional(o, 'num_missing', path, readCount) ?? 0,
  };
}

function readNumerical(v: unknown, path: string): NumericalStatistics {
  const o = readObject(v, path);
  const common = readCommon(fieldOf(o, 'common'), at(path, 'common'));
  const present = common.num_present > 0;
  // A sum or deviation beyond the double range is written as null (JSON has no Infinity).
  const ns: NumericalStatistics = {
    common,
    mean: readNumber(fieldOf(o, 'mean'), at(path, 'mean')),
    sum: readNumberOrOverflow(fieldOf(o, 'sum'), at(path, 'sum')),
    std_dev: readNumberOrOverflow(fieldOf(o, 'std_dev'), at(path, 'std_dev')),
    min: readNumber(fieldOf(o, 'min'), at(path, 'min')),
    max: readNumber(fieldOf(o, 'max'), at(path, 'max')),
  };
  const distinct = readOptional(o, 'approximate_num_distinct_values', path, readCount);
  if (distinct !== undefined) ns.approximate_num_distinct_values = distinct;
  const completeness = readOptional(o, 'completeness', path, (x, p) => readNumber(x, p, { min: 0, max: 1 }));
  if (completeness !== undefined) ns.completeness = completeness;
  const dist = readOptional(o, 'distribution', path, readObject);
  const kll =
    dist === undefined ? undefined : readOptional(dist, 'kll', at(path, 'distribution'), readObject);
  if (kll === undefined) {
    if (present)
      throw new JsonShapeError(
        path.replace(/ numerical_statistics$/, ''),
        'has no distribution.kll.sketch.data; rebuild the baseline or set perform_comparison to "Disabled" for it',
      );
    return ns;
  }
  const kp = at(path, 'distribution.kll');
  const buckets = readList(fieldOf(kll, 'buckets') ?? [], at(kp, 'buckets')).map((b, i) => {
    const bp = at(at(kp, 'buckets'), i);
    const bo = readObject(b, bp);
    return {
      lower_bound: readNumber(fieldOf(bo, 'lower_bound'), at(bp, 'lower_bound')),
      upper_bound: readNumber(fieldOf(bo, 'upper_bound'), at(bp, 'upper_bound')),
      count: readNumber(fieldOf(bo, 'count'), at(bp, 'count'), { min: 0 }),
    };
  });
  const sketch = readObject(fieldOf(kll, 'sketch'), at(kp, 'sketch'));
  const sp = at(kp, 'sketch');
  const params = readObject(fieldOf(sketch, 'parameters'), at(sp, 'parameters'));
  const c = readNumber(fieldOf(params, 'c'), at(sp, 'parameters.c'), { min: 0.5, max: 1 });
  const k = readNumber(fieldOf(params, 'k'), at(sp, 'parameters.k'), { min: 8, max: 65536, integer: true });
  const data = readList(fieldOf(sketch, 'data'), at(sp, 'data')).map((level, i) =>
    readNumbers(level, at(at(sp, 'data'), i)),
  );
  if (data.length > 64)
    throw new JsonShapeError(at(sp, 'data'), `has ${data.length} levels; a sketch has at most 64`);
  ns.distribution = { kll: { buckets, sketch: { parameters: { c, k }, data } } };
  return ns;
}

function readString_(v: unknown, path: string): StringStatistics {
  const o = readObject(v, path);
  const ss: StringStatistics = {
    common: readCommon(fieldOf(o, 'common'), at(path, 'common')),
    distinct_count: readOptional(o, 'distinct_count', path, (x, p) => readNumber(x, p, { min: 0 })) ?? 0,
  };
  const completeness = readOptional(o, 'completeness', path, (x, p) => readNumber(x, p, { min: 0, max: 1 }));
  if (completeness !== undefined) ss.completeness = completeness;
  const dist = readOptional(o, 'distribution', path, readObject);
  const cat =
    dist === undefined ? undefined : readOptional(dist, 'categorical', at(path, 'distribution'), readObject);
  if (cat !== undefined) {
    const bp = at(path, 'distribution.categorical.buckets');
    const seen = new Set<string>();
    const buckets = readList(fieldOf(cat, 'buckets'), bp).map((b, i) => {
      const p = at(bp, i);
      const bo = readObject(b, p);
      // SageMaker writes every category as text; a number here is the same category as its text.
      const raw = fieldOf(bo, 'value');
      const value =
        typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : readString(raw, at(p, 'value'));
      if (seen.has(value))
        throw new JsonShapeError(p, `repeats the category ${shown(value)}; keep one bucket per value`);
      seen.add(value);
      return { value, count: readNumber(fieldOf(bo, 'count'), at(p, 'count'), { min: 0 }) };
    });
    ss.distribution = { categorical: { buckets } };
  }
  return ss;
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
