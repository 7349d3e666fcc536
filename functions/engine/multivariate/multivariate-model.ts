/**
 * The fitted multivariate model (MULTIVARIATE.md): everything a window needs to score its rows
 * against the baseline, kept as `multivariate.json` in the baseline folder so a run never reads
 * the training data again. In memory a categorical feature's frequencies are a Map (categories
 * are data); on disk they are [category, share] pairs. The parser checks every field and its
 * errors name the field and the fix.
 */
import {
  at,
  fieldOf,
  JsonShapeError,
  readCount,
  readList,
  readNamedList,
  readNumber,
  readNumbers,
  readObject,
  readOneOf,
  readString,
  shown,
} from '../../contracts/json-fields.ts';
import { compareCodePoints, type MultivariateKind } from './row-values.ts';

/** The version of `multivariate.json` this code writes and reads. */
export const MULTIVARIATE_MODEL_VERSION = 1;

/** The method's name, as reports show it. */
export const MULTIVARIATE_METHOD = 'pca-reconstruction';

/** A numeric feature: its missing values become `imputation`, the mean of its baseline values. */
export interface NumericFeature {
  readonly name: string;
  readonly kind: 'numeric';
  readonly imputation: number;
}

/**
 * A categorical feature, frequency-encoded: a category becomes its share of the (imputed)
 * baseline rows, an unseen one 0; missing values become `imputation`, the most frequent category.
 */
export interface CategoricalFeature {
  readonly name: string;
  readonly kind: 'categorical';
  readonly imputation: string;
  readonly frequencies: ReadonlyMap<string, number>;
}

/** One column of the model, in the model's feature order. */
export type MultivariateFeature = NumericFeature | CategoricalFeature;

/** A baseline column left out of the model, and why. */
export interface ExcludedColumn {
  readonly name: string;
  readonly reason: string;
}

/** How encoded values are standardised: z = (x - mean) / scale, per feature. */
export interface MultivariateScaler {
  readonly mean: readonly number[];
  /** The population standard deviation, or 1 for a constant column (scikit-learn's rule). */
  readonly scale: readonly number[];
}

/** The kept principal components of the standardised baseline. */
export interface MultivariatePca {
  /** The standardised baseline's column means (0 by construction). */
  readonly mean: readonly number[];
  /** k unit vectors of d entries each, by decreasing explained variance. */
  readonly components: readonly (readonly number[])[];
  /** Each kept component's share of the total variance. */
  readonly explainedVarianceRatio: readonly number[];
  /**
   * The other d - k eigenvectors, which with the kept ones form an orthonormal basis: a row's
   * residual is its projection on these, so when they are fewer than the kept ones the score
   * computes the residual from them, at 2d(d - k) operations a row instead of 2dk. Absent
   * from models written before they were kept (the score then rebuilds the row).
   */
  readonly residualComponents?: readonly (readonly number[])[];
}

/** What turns a row into its reconstruction error: the model without its thresholds. */
export interface MultivariateProjection {
  readonly features: readonly MultivariateFeature[];
  readonly scaler: MultivariateScaler;
  readonly pca: MultivariatePca;
}

/** The drift thresholds, from the mean errors of 10 baseline chunks (MULTIVARIATE.md step 5). */
export interface MultivariateThresholds {
  /** max(0, chunkMean - 3 chunkStd). */
  readonly lower: number;
  /** chunkMean + 3 chunkStd. */
  readonly upper: number;
  readonly chunkMean: number;
  /** Population standard deviation (ddof 0) of the chunk means. */
  readonly chunkStd: number;
  /** The 10 chunk means, in baseline row order. */
  readonly chunkMeans: readonly number[];
}

/** The fitted model: `multivariate.json`'s content. */
export interface MultivariateModel extends MultivariateProjection {
  readonly version: typeof MULTIVARIATE_MODEL_VERSION;
  readonly method: typeof MULTIVARIATE_METHOD;
  /** Rows of the baseline the model was fitted on. */
  readonly baselineRows: number;
  readonly excluded: readonly ExcludedColumn[];
  readonly thresholds: MultivariateThresholds;
}

/** A feature as `multivariate.json` holds it. */
export type MultivariateFeatureJson =
  | { name: string; kind: 'numeric'; imputation: number }
  | { name: string; kind: 'categorical'; imputation: string; frequencies: [string, number][] };

/** `multivariate.json`, as written by {@link multivariateModelToJson}. */
export interface MultivariateModelJson {
  version: number;
  method: string;
  baselineRows: number;
  features: MultivariateFeatureJson[];
  excluded: { name: string; reason: string }[];
  scaler: { mean: number[]; scale: number[] };
  pca: {
    mean: number[];
    components: number[][];
    explainedVarianceRatio: number[];
    residualComponents?: number[][];
  };
  thresholds: { lower: number; upper: number; chunkMean: number; chunkStd: number; chunkMeans: number[] };
}

/**
 * The model as plain JSON. Frequencies are listed by share, largest first (ties by category),
 * so the file reads as a frequency table; numbers are written exactly (JSON round-trips doubles).
 */
export function multivariateModelToJson(model: MultivariateModel): MultivariateModelJson {
  return {
    version: model.version,
    method: model.method,
    baselineRows: model.baselineRows,
    features: model.features.map(featureToJson),
    excluded: model.excluded.map((e) => ({ name: e.name, reason: e.reason })),
    scaler: { mean: [...model.scaler.mean], scale: [...model.scaler.scale] },
    pca: {
      mean: [...model.pca.mean],
      components: model.pca.components.map((c) => [...c]),
      explainedVarianceRatio: [...model.pca.explainedVarianceRatio],
      ...(model.pca.residualComponents
        ? { residualComponents: model.pca.residualComponents.map((c) => [...c]) }
        : {}),
    },
    thresholds: { ...model.thresholds, chunkMeans: [...model.thresholds.chunkMeans] },
  };
}

function featureToJson(f: MultivariateFeature): MultivariateFeatureJson {
  if (f.kind === 'numeric') return { name: f.name, kind: 'numeric', imputation: f.imputation };
  const frequencies = [...f.frequencies].sort((x, y) => y[1] - x[1] || compareCodePoints(x[0], y[0]));
  return { name: f.name, kind: 'categorical', imputation: f.imputation, frequencies };
}

/**
 * Where each model feature sits among `names` (the columns of a training file or a window),
 * for rows laid out that way: `result[j]` is the index of feature j's column, or -1 when
 * `names` lacks it; such a feature reads as missing in every row (and is imputed), as a column
 * dropped upstream would. The first of two equal names wins.
 */
export function featureColumns(projection: MultivariateProjection, names: readonly string[]): number[] {
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (!index.has(name)) index.set(name, i);
  });
  return projection.features.map((f) => index.get(f.name) ?? -1);
}

/** What to do about a `multivariate.json` that fails to parse. */
const FIX = 'refit the multivariate model from the training data';

/**
 * Reads `multivariate.json` (already JSON-parsed) into a model, checking every field: shapes,
 * one scaler entry and one component entry per feature, positive scales, unit-length
 * components, thresholds in order. Throws a {@link JsonShapeError} whose message starts with
 * `source` and the field (`multivariate.json: pca.components[1] must have 5 entries ...`) and
 * ends with the fix.
 */
export function parseMultivariateModel(json: unknown, source = 'multivariate.json'): MultivariateModel {
  try {
    return readModel(json);
  } catch (e) {
    if (!(e instanceof JsonShapeError)) throw e;
    const path = e.path === '' ? source : `${source}: ${e.path}`;
    throw new JsonShapeError(path, `${e.problem}; ${FIX}`);
  }
}

function readModel(json: unknown): MultivariateModel {
  const o = readObject(json, '');
  readVersion(fieldOf(o, 'version'));
  readOneOf(fieldOf(o, 'method'), 'method', [MULTIVARIATE_METHOD]);
  const features = readNamedList(readList(fieldOf(o, 'features'), 'features'), (v, i) =>
    readFeature(v, at('features', i)),
  );
  if (features.length < 2)
    throw new JsonShapeError('features', `must list at least two features (got ${features.length})`);
  const d = features.length;
  const baselineRows = readCount(fieldOf(o, 'baselineRows'), 'baselineRows');
  return {
    version: MULTIVARIATE_MODEL_VERSION,
    method: MULTIVARIATE_METHOD,
    baselineRows,
    features,
    excluded: readList(fieldOf(o, 'excluded'), 'excluded').map((v, i) => readExcluded(v, at('excluded', i))),
    scaler: readScaler(fieldOf(o, 'scaler'), 'scaler', d),
    pca: readPca(fieldOf(o, 'pca'), 'pca', d),
    thresholds: readThresholds(fieldOf(o, 'thresholds'), 'thresholds'),
  };
}

function readVersion(v: unknown): void {
  const version = readNumber(v, 'version', { min: 1, integer: true });
  if (version !== MULTIVARIATE_MODEL_VERSION)
    throw new JsonShapeError(
      'version',
      `is ${version}, but this driftwatch reads version ${MULTIVARIATE_MODEL_VERSION} (or use the driftwatch that wrote it)`,
    );
}

const KINDS: readonly MultivariateKind[] = ['numeric', 'categorical'];

function readFeature(v: unknown, path: string): MultivariateFeature {
  const o = readObject(v, path);
  const name = readString(fieldOf(o, 'name'), at(path, 'name'));
  const kind = readOneOf(fieldOf(o, 'kind'), at(path, 'kind'), KINDS);
  if (kind === 'numeric')
    return { name, kind, imputation: readNumber(fieldOf(o, 'imputation'), at(path, 'imputation')) };
  const frequencies = readFrequencies(fieldOf(o, 'frequencies'), at(path, 'frequencies'));
  const imputation = readString(fieldOf(o, 'imputation'), at(path, 'imputation'));
  if (!frequencies.has(imputation))
    throw new JsonShapeError(
      at(path, 'imputation'),
      `is ${shown(imputation)}, which is not among the feature's frequencies (it must be the most frequent category)`,
    );
  return { name, kind, imputation, frequencies };
}

function readFrequencies(v: unknown, path: string): Map<string, number> {
  const frequencies = new Map<string, number>();
  readList(v, path).forEach((entry, i) => {
    const p = at(path, i);
    const pair = readList(entry, p);
    if (pair.length !== 2) throw new JsonShapeError(p, 'must be a [category, share] pair');
    const category = readString(pair[0], at(p, 0));
    if (frequencies.has(category)) throw new JsonShapeError(p, `repeats the category ${shown(category)}`);
    frequencies.set(category, readNumber(pair[1], at(p, 1), { min: 0, max: 1 }));
  });
  if (frequencies.size === 0) throw new JsonShapeError(path, 'must list at least one category');
  return frequencies;
}

function readExcluded(v: unknown, path: string): ExcludedColumn {
  const o = readObject(v, path);
  return {
    name: readString(fieldOf(o, 'name'), at(path, 'name')),
    reason: readString(fieldOf(o, 'reason'), at(path, 'reason')),
  };
}

/** A list of `d` finite numbers, one per feature. */
function readPerFeature(v: unknown, path: string, d: number): number[] {
  const values = readNumbers(v, path);
  if (values.length !== d)
    throw new JsonShapeError(path, `must have ${d} entries, one per feature (got ${values.length})`);
  return values;
}

function readScaler(v: unknown, path: string, d: number): MultivariateScaler {
  const o = readObject(v, path);
  const mean = readPerFeature(fieldOf(o, 'mean'), at(path, 'mean'), d);
  const scale = readPerFeature(fieldOf(o, 'scale'), at(path, 'scale'), d);
  scale.forEach((s, i) => {
    if (!(s > 0)) throw new JsonShapeError(at(at(path, 'scale'), i), `must be above 0 (got ${s})`);
  });
  return { mean, scale };
}

/** Tolerance on a component's length: components are unit vectors up to rounding. */
const UNIT_TOLERANCE = 1e-6;

function readPca(v: unknown, path: string, d: number): MultivariatePca {
  const o = readObject(v, path);
  const mean = readPerFeature(fieldOf(o, 'mean'), at(path, 'mean'), d);
  const componentsPath = at(path, 'components');
  const components = readList(fieldOf(o, 'components'), componentsPath).map((c, i) =>
    unitVector(c, at(componentsPath, i), d),
  );
  if (components.length < 1 || components.length > d)
    throw new JsonShapeError(
      componentsPath,
      `must hold from 1 to ${d} components (one per kept component; got ${components.length})`,
    );
  const ratioPath = at(path, 'explainedVarianceRatio');
  const explainedVarianceRatio = readNumbers(fieldOf(o, 'explainedVarianceRatio'), ratioPath);
  if (explainedVarianceRatio.length !== components.length)
    throw new JsonShapeError(
      ratioPath,
      `must have ${components.length} entries, one per component (got ${explainedVarianceRatio.length})`,
    );
  explainedVarianceRatio.forEach((r, i) => {
    if (!(r >= 0 && r <= 1)) throw new JsonShapeError(at(ratioPath, i), `must be from 0 to 1 (got ${r})`);
  });
  const residualPath = at(path, 'residualComponents');
  const residualJson = fieldOf(o, 'residualComponents');
  if (residualJson === undefined) return { mean, components, explainedVarianceRatio };
  const residualComponents = readList(residualJson, residualPath).map((c, i) =>
    unitVector(c, at(residualPath, i), d),
  );
  if (residualComponents.length !== d - components.length)
    throw new JsonShapeError(
      residualPath,
      `must hold the ${d - components.length} components not kept (got ${residualComponents.length})`,
    );
  return { mean, components, explainedVarianceRatio, residualComponents };
}

function unitVector(v: unknown, p: string, d: number): number[] {
  const vector = readPerFeature(v, p, d);
  const length = Math.hypot(...vector);
  if (!(Math.abs(length - 1) <= UNIT_TOLERANCE))
    throw new JsonShapeError(p, `must be a unit vector (its length is ${length})`);
  return vector;
}

function readThresholds(v: unknown, path: string): MultivariateThresholds {
  const o = readObject(v, path);
  const lower = readNumber(fieldOf(o, 'lower'), at(path, 'lower'), { min: 0 });
  const upper = readNumber(fieldOf(o, 'upper'), at(path, 'upper'), { min: 0 });
  if (upper < lower)
    throw new JsonShapeError(at(path, 'upper'), `must not be below thresholds.lower (${upper} < ${lower})`);
  return {
    lower,
    upper,
    chunkMean: readNumber(fieldOf(o, 'chunkMean'), at(path, 'chunkMean'), { min: 0 }),
    chunkStd: readNumber(fieldOf(o, 'chunkStd'), at(path, 'chunkStd'), { min: 0 }),
    chunkMeans: readNumbers(fieldOf(o, 'chunkMeans'), at(path, 'chunkMeans')),
  };
}
