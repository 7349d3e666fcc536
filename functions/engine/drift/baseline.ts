/**
 * A baseline: what "normal" looks like for each feature. Built from a training set
 * (`driftwatch baseline`, exact values kept up to the cap), or read from SageMaker's own
 * statistics.json + constraints.json (distributions are then KLL sketches).
 */

import {
  at,
  fieldOf,
  type JsonObject,
  JsonShapeError,
  readBoolean,
  readCount,
  readList,
  readNamedList,
  readObject,
  readOneOf,
  readString,
  shown,
} from '../../contracts/json-fields.ts';
import type { FeatureRole } from '../capture/capture-record.ts';
import { CaptureSchema, type ColumnLayout, type FeatureSpec } from '../profile/capture-schema.ts';
import type { FeatureKind } from '../profile/feature-profile.ts';
import {
  DEFAULT_LIMITS,
  FeatureProfile,
  type FeatureProfileJson,
  type InferredType,
  type ProfileLimits,
  readFeatureProfileJson,
} from '../profile/feature-profile.ts';
import { BaselineFileError } from '../sagemaker/baseline-error.ts';
import {
  type ConstraintsDoc,
  DEFAULT_MONITORING_CONFIG,
  type FeatureConstraint,
} from '../sagemaker/sagemaker-constraints.ts';
import {
  CATEGORICAL_BUCKET_LIMIT,
  numericProfileFromStatistics,
  type StatisticsDoc,
  toStatisticsDoc,
} from '../sagemaker/sagemaker-statistics.ts';

export interface BaselineFeature {
  name: string;
  role: FeatureRole;
  kind: FeatureKind;
  inferredType: InferredType;
  profile: FeatureProfile;
  /** False when the baseline keeps no distribution to compare with (e.g. an id-like string). */
  hasDistribution: boolean;
}

export interface Baseline {
  source: 'driftwatch' | 'sagemaker';
  itemCount: number;
  layout: ColumnLayout;
  labelColumn: string | null;
  features: BaselineFeature[];
  constraints: ConstraintsDoc;
}

export interface BaselineOptions {
  /** Ground-truth column: profiled apart, not an input feature. */
  labelColumn?: string;
  /** Columns holding the model's outputs (prediction, probability): the capture's output side. */
  outputColumns?: string[];
  categorical?: string[];
  numeric?: string[];
  limits?: ProfileLimits;
}

/** Accumulates training rows, then infers types as SageMaker does. */
export class BaselineBuilder {
  private readonly profiles: FeatureProfile[];
  private readonly labelIndex: number;
  private rows = 0;

  constructor(
    readonly columns: string[],
    private readonly options: BaselineOptions = {},
  ) {
    const outputs = new Set(options.outputColumns ?? []);
    this.profiles = columns.map(
      (c) =>
        new FeatureProfile(c, outputs.has(c) ? 'output' : 'input', 'infer', options.limits ?? DEFAULT_LIMITS),
    );
    this.labelIndex = options.labelColumn === undefined ? -1 : columns.indexOf(options.labelColumn);
    for (const name of [...(options.categorical ?? []), ...(options.numeric ?? []), ...outputs])
      if (!columns.includes(name))
        throw new Error(`column "${name}" is not in the data (columns: ${columns.join(', ')})`);
    if (options.labelColumn !== undefined && this.labelIndex === -1)
      throw new Error(
        `label column "${options.labelColumn}" is not in the data (columns: ${columns.join(', ')})`,
      );
  }

  /** One CSV row, fields in column order; a short row's last columns are missing. */
  addFields(fields: readonly string[], count = fields.length): void {
    this.rows++;
    for (let i = 0; i < this.profiles.length; i++) {
      const p = this.profiles[i]!;
      if (i < count) p.addText(fields[i]!);
      else p.addMissing();
    }
  }

  /** One JSON Lines record. */
  addNamed(row: Record<string, unknown>): void {
    this.rows++;
    for (const p of this.profiles) {
      // Own fields only: a row without `constructor` has no value for a feature of that name.
      const v = Object.hasOwn(row, p.name) ? row[p.name] : undefined;
      if (v === undefined) p.addMissing();
      else p.addJson(v);
    }
  }

  finish(): Baseline {
    const categorical = new Set(this.options.categorical ?? []);
    const numeric = new Set(this.options.numeric ?? []);
    const features: BaselineFeature[] = [];
    this.profiles.forEach((p, i) => {
      if (i === this.labelIndex) return;
      let inferredType = p.inferredType();
      if (categorical.has(p.name)) inferredType = 'String';
      else if (numeric.has(p.name) && inferredType === 'String') inferredType = 'Fractional';
      const kind: FeatureKind =
        inferredType === 'Integral' || inferredType === 'Fractional' ? 'numeric' : 'categorical';
      const profile = p.narrowTo(kind);
      features.push({
        name: p.name,
        role: p.role,
        kind,
        inferredType,
        profile,
        hasDistribution: hasDistribution(profile),
      });
    });
    const inputs = features.filter((f) => f.role === 'input').map((f) => f.name);
    const outputs = (this.options.outputColumns ?? []).filter((c) => c !== this.options.labelColumn);
    return {
      source: 'driftwatch',
      itemCount: this.rows,
      layout: { kind: 'separate', inputs, outputs },
      labelColumn: this.options.labelColumn ?? null,
      features,
      constraints: suggestConstraints(features),
    };
  }
}

function hasDistribution(p: FeatureProfile): boolean {
  if (p.kind === 'numeric') return (p.numeric?.count ?? 0) > 0 && hasValues(p);
  const c = p.categorical;
  return (
    c !== null &&
    c.count > 0 &&
    c.overflow === 0 &&
    c.counts.size > 0 &&
    c.counts.size <= CATEGORICAL_BUCKET_LIMIT
  );
}

/** Whether a numeric profile read from a file holds values to compare (a damaged one may hold none). */
function hasValues(p: FeatureProfile): boolean {
  return p.numeric !== null && p.numeric.weightedSample().values.length > 0;
}

/** SageMaker-style suggested constraints: completeness, non-negativity, low-cardinality domains. */
export function suggestConstraints(features: BaselineFeature[]): ConstraintsDoc {
  const out: FeatureConstraint[] = features.map((f) => {
    const p = f.profile;
    const rows = p.present + p.missing;
    const fc: FeatureConstraint = {
      name: f.name,
      inferred_type: f.inferredType,
      completeness: rows === 0 ? 0 : p.present / rows,
    };
    if (f.kind === 'numeric' && p.numeric && p.numeric.count > 0) {
      fc.num_constraints = { is_non_negative: p.numeric.min >= 0 };
    }
    if (f.kind === 'categorical' && f.hasDistribution && p.categorical) {
      fc.string_constraints = { domains: [...p.categorical.counts.keys()] };
    }
    return fc;
  });
  return { version: 0.0, features: out, monitoring_config: structuredClone(DEFAULT_MONITORING_CONFIG) };
}

/** The capture schema a baseline implies: which names CSV columns get. */
export function captureSchema(b: Baseline): CaptureSchema {
  const specs: FeatureSpec[] = b.features.map((f) => ({ name: f.name, role: f.role, kind: f.kind }));
  return new CaptureSchema(specs, b.layout);
}

/** SageMaker statistics.json of the baseline. */
export function baselineStatistics(b: Baseline): StatisticsDoc {
  // SageMaker's analyzer lists output columns first, then inputs; a folder holding only these
  // files is read in that layout, so write it that way.
  const ordered = [
    ...b.features.filter((f) => f.role === 'output'),
    ...b.features.filter((f) => f.role !== 'output'),
  ];
  return toStatisticsDoc(
    b.itemCount,
    ordered.map((f) => ({ profile: f.profile, inferredType: f.inferredType })),
  );
}

// ---- driftwatch's own baseline file (baseline.json): everything exact comparisons need ----

export interface BaselineJson {
  format: 'driftwatch-baseline';
  version: 1;
  itemCount: number;
  layout: ColumnLayout;
  labelColumn: string | null;
  features: Array<{
    name: string;
    role: FeatureRole;
    kind: FeatureKind;
    inferredType: InferredType;
    hasDistribution: boolean;
    profile: FeatureProfileJson;
  }>;
}

export function baselineToJson(b: Baseline): BaselineJson {
  return {
    format: 'driftwatch-baseline',
    version: 1,
    itemCount: b.itemCount,
    layout: b.layout,
    labelColumn: b.labelColumn,
    features: b.features.map((f) => ({
      name: f.name,
      role: f.role,
      kind: f.kind,
      inferredType: f.inferredType,
      hasDistribution: f.hasDistribution,
      profile: f.profile.toJSON(),
    })),
  };
}

/**
 * Reads baseline.json, checking every field; `constraints` come from the folder's
 * constraints.json (it may be edited). Errors name the file, the field and the fix.
 */
export function baselineFromJson(json: unknown, constraints: ConstraintsDoc | null, file: string): Baseline {
  const j = json as Partial<BaselineJson> | null;
  if (j === null || typeof j !== 'object' || j.format !== 'driftwatch-baseline')
    throw new BaselineFileError(
      file,
      'is not a driftwatch baseline (format "driftwatch-baseline"); rebuild it with `driftwatch baseline`',
    );
  if (j.version !== 1)
    throw new BaselineFileError(file, `has version ${shown(j.version)}; this driftwatch reads version 1`);
  if (!Array.isArray(j.features)) throw new BaselineFileError(file, 'has no "features" list');
  let features: BaselineFeature[];
  let header: Pick<BaselineJson, 'itemCount' | 'layout' | 'labelColumn'>;
  try {
    const o = json as JsonObject;
    header = {
      itemCount: readCount(fieldOf(o, 'itemCount'), 'itemCount'),
      layout: readLayout(fieldOf(o, 'layout'), 'layout'),
      labelColumn:
        fieldOf(o, 'labelColumn') === null ? null : readString(fieldOf(o, 'labelColumn'), 'labelColumn'),
    };
    features = readBaselineFeatures(j.features);
  } catch (e) {
    if (e instanceof JsonShapeError)
      throw new BaselineFileError(file, `${e.message}; rebuild it with \`driftwatch baseline\``);
    throw e;
  }
  return {
    source: 'driftwatch',
    ...header,
    features,
    constraints: constraints ?? suggestConstraints(features),
  };
}

const ROLES: readonly FeatureRole[] = ['input', 'output'];
const KINDS: readonly FeatureKind[] = ['numeric', 'categorical'];
const INFERRED: readonly InferredType[] = ['Integral', 'Fractional', 'String', 'Unknown'];

function readLayout(v: unknown, path: string): ColumnLayout {
  const o = readObject(v, path);
  const names = (key: string) =>
    readList(fieldOf(o, key), at(path, key)).map((n, i) => readString(n, at(at(path, key), i)));
  const kind = readOneOf(fieldOf(o, 'kind'), at(path, 'kind'), ['separate', 'sagemaker-merged'] as const);
  return kind === 'separate'
    ? { kind, inputs: names('inputs'), outputs: names('outputs') }
    : { kind, columns: names('columns') };
}

function readBaselineFeatures(list: readonly unknown[]): BaselineFeature[] {
  return readNamedList(list, (v, i) => {
    const path = `features[${i}]`;
    const o = readObject(v, path);
    const name = readString(fieldOf(o, 'name'), at(path, 'name'));
    const where = `feature ${shown(name)}:`;
    const profileJson = readFeatureProfileJson(fieldOf(o, 'profile'), `${where} profile`);
    const profile = FeatureProfile.fromJSON(profileJson);
    if (profileJson.name !== name)
      throw new JsonShapeError(
        `${where} profile.name`,
        `is ${shown(profileJson.name)}, not the feature's name`,
      );
    return {
      name,
      role: readOneOf(fieldOf(o, 'role'), `${where} role`, ROLES),
      kind: readOneOf(fieldOf(o, 'kind'), `${where} kind`, KINDS),
      inferredType: readOneOf(fieldOf(o, 'inferredType'), `${where} inferredType`, INFERRED),
      // A distribution the profile does not hold (a damaged file) is no distribution.
      hasDistribution:
        readBoolean(fieldOf(o, 'hasDistribution'), `${where} hasDistribution`) && hasDistribution(profile),
      profile,
    };
  });
}

/** A baseline from SageMaker's own statistics.json (and constraints.json when given). */
export function baselineFromSageMaker(stats: StatisticsDoc, constraints: ConstraintsDoc | null): Baseline {
  const features: BaselineFeature[] = stats.features.map((f) => {
    const numeric = f.numerical_statistics !== undefined;
    const kind: FeatureKind = numeric ? 'numeric' : 'categorical';
    const profile = new FeatureProfile(f.name, 'input', kind);
    let has = false;
    if (f.numerical_statistics) {
      const ns = f.numerical_statistics;
      profile.missing = ns.common.num_missing ?? 0;
      if (f.inferred_type === 'Integral') profile.integral = ns.common.num_present;
      else profile.fractional = ns.common.num_present;
      profile.numeric = numericProfileFromStatistics(ns);
      has =
        ns.common.num_present > 0 &&
        (ns.distribution?.kll?.sketch?.data ?? []).some((level) => level.length > 0);
    } else if (f.string_statistics) {
      const ss = f.string_statistics;
      profile.missing = ss.common.num_missing ?? 0;
      profile.text = ss.common.num_present;
      const buckets = ss.distribution?.categorical?.buckets;
      if (buckets) {
        for (const b of buckets) profile.categorical!.counts.set(String(b.value), b.count);
        profile.categorical!.count = buckets.reduce((s, b) => s + b.count, 0);
        has = buckets.length > 0;
      }
    }
    return {
      name: f.name,
      role: 'input',
      kind,
      inferredType: f.inferred_type,
      profile,
      hasDistribution: has,
    };
  });
  return {
    source: 'sagemaker',
    itemCount: stats.dataset.item_count,
    layout: { kind: 'sagemaker-merged', columns: features.map((f) => f.name) },
    labelColumn: null,
    features,
    constraints: constraints ?? suggestConstraints(features),
  };
}
