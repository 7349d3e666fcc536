/**
 * Fitting the multivariate model on the baseline (MULTIVARIATE.md, "Fit"), streaming, in two
 * reads of the training rows, so a training set of any size is never held in memory.
 *
 * Read 1 ({@link MultivariateFitter}) must learn the covariance of the imputed, encoded
 * columns while the imputation values and frequencies it depends on are still unknown (they
 * are known only once every row has been seen). It therefore accumulates the co-moments of a
 * basis every encoded column is a linear function of:
 *
 * - numeric column j: v_j = x_j - K_j when present (K_j its first present value, a shift that
 *   keeps the later algebra free of cancellation) else 0, and the missing indicator q_j. Once
 *   the mean m_j of the present values is known, the imputed value is K_j + v_j + (m_j - K_j) q_j.
 * - categorical column: its rows grouped by category (missing being one more group). The
 *   encoded value is constant within a group, so a categorical column's co-moments with the
 *   numeric basis need only each group's count and mean numeric basis vector, and with another
 *   categorical column the joint counts of their groups.
 *
 * The numeric basis' co-moments come from a blocked Chan et al. accumulator (`co-moments.ts`);
 * the end of read 1 assembles the encoded covariance exactly, standardises it, and takes its
 * principal components (`stats/symmetric-eigen.ts`). Read 2 ({@link ThresholdFit}) scores the
 * same rows in the same order for the 10 chunk means the thresholds come from (chunk sizes
 * need read 1's row count).
 */
import { exactMoments } from '../stats/moments.ts';
import { NeumaierSum } from '../stats/summation.ts';
import { symmetricEigen } from '../stats/symmetric-eigen.ts';
import { CoMoments } from './co-moments.ts';
import {
  type ExcludedColumn,
  MULTIVARIATE_METHOD,
  MULTIVARIATE_MODEL_VERSION,
  type MultivariateFeature,
  type MultivariateModel,
  type MultivariateProjection,
} from './multivariate-model.ts';
import { Reconstruction } from './reconstruction.ts';
import {
  categoryText,
  compareCodePoints,
  type FeatureRow,
  type MultivariateKind,
  numericValue,
} from './row-values.ts';

/** A baseline input column offered to the fit (outputs and the label are left out by the caller). */
export interface FitColumn {
  readonly name: string;
  readonly kind: MultivariateKind;
}

/** Smallest cumulative explained variance ratio the kept components must exceed. */
export const EXPLAINED_VARIANCE_TARGET = 0.65;
/** Baseline chunks the thresholds come from. */
export const THRESHOLD_CHUNKS = 10;
/** Chunk standard deviations between the chunk mean and each threshold. */
export const THRESHOLD_WIDTH = 3;

/** After read 1: the components and read 2's fitter, or why there is no model. */
export type ComponentsFit =
  | { readonly ok: true; readonly thresholds: ThresholdFit }
  | { readonly ok: false; readonly reason: string };

/** A whole fit: the model, or `null` with the reason there is none. */
export type MultivariateFit =
  | { readonly model: MultivariateModel; readonly reason: null }
  | { readonly model: null; readonly reason: string };

/** What read 1 keeps of a numeric column. */
class NumericTally {
  present = 0;
  readonly sum = new NeumaierSum();
  /** The first present value (NaN until one is seen). */
  shift = Number.NaN;
  constructor(
    /** Index of v_j in the numeric basis; q_j is at `basis + 1`. */
    readonly basis: number,
  ) {}
}

/** Rows of one categorical column with one category (or missing). */
interface CategoryGroup {
  /** 0 for missing, then 1, 2, ... in order of first appearance. */
  readonly code: number;
  count: number;
  /** Running mean of the numeric basis over the group's rows. */
  readonly basisMean: Float64Array;
}

/** Codes fit in 26 bits so a pair of them is one exact double key (see {@link pairKey}). */
const CODE_LIMIT = 2 ** 26;

/** What read 1 keeps of a categorical column: its groups by category. */
class CategoricalTally {
  readonly groups = new Map<string, CategoryGroup>();
  readonly missing: CategoryGroup;

  constructor(
    readonly name: string,
    private readonly dimension: number,
  ) {
    this.missing = { code: 0, count: 0, basisMean: new Float64Array(dimension) };
  }

  /** The group of a value (`null`: missing), created on first sight. */
  groupOf(text: string | null): CategoryGroup {
    if (text === null) return this.missing;
    let group = this.groups.get(text);
    if (group === undefined) {
      const code = this.groups.size + 1;
      if (code >= CODE_LIMIT)
        throw new RangeError(`column "${this.name}" has more than ${CODE_LIMIT - 1} categories`);
      group = { code, count: 0, basisMean: new Float64Array(this.dimension) };
      this.groups.set(text, group);
    }
    return group;
  }
}

/** One key for a pair of category codes; exact, as both codes are below 2^26. */
function pairKey(first: number, second: number): number {
  return first * CODE_LIMIT + second;
}

/** A column as read 1 tracks it. */
type ColumnTally =
  | { readonly name: string; readonly kind: 'numeric'; readonly tally: NumericTally }
  | {
      readonly name: string;
      readonly kind: 'categorical';
      readonly tally: CategoricalTally;
      readonly slot: number;
    };

/**
 * Read 1 of the fit: feed every baseline row to {@link addRow}, then call {@link fitComponents}.
 * Rows hold one value per column, in the order of the `columns` given to the constructor.
 *
 * Memory grows with the columns and their categories, not the rows: (2p)^2 co-moments for p numeric columns, a mean vector of
 * 2p numbers per category of each categorical column, and the joint category counts of each
 * pair of categorical columns (at most the product of their category counts).
 */
export class MultivariateFitter {
  private rowCount = 0;
  private readonly tallies: ColumnTally[];
  private readonly numeric: NumericTally[] = [];
  private readonly categorical: CategoricalTally[] = [];
  /** Joint counts of the groups of categorical columns a < b, at `pairSlot(a, b)`. */
  private readonly pairs: Map<number, number>[] = [];
  private readonly basis: Float64Array;
  private readonly moments: CoMoments;
  private readonly codes: Int32Array;

  constructor(readonly columns: readonly FitColumn[]) {
    checkUniqueNames(columns);
    const dimension = 2 * columns.filter((c) => c.kind === 'numeric').length;
    this.tallies = columns.map((c): ColumnTally => {
      if (c.kind === 'numeric') {
        const tally = new NumericTally(2 * this.numeric.length);
        this.numeric.push(tally);
        return { name: c.name, kind: 'numeric', tally };
      }
      const tally = new CategoricalTally(c.name, dimension);
      this.categorical.push(tally);
      return { name: c.name, kind: 'categorical', tally, slot: this.categorical.length - 1 };
    });
    const q = this.categorical.length;
    for (let i = 0; i < (q * (q - 1)) / 2; i++) this.pairs.push(new Map());
    this.basis = new Float64Array(dimension);
    this.moments = new CoMoments(dimension);
    this.codes = new Int32Array(q);
  }

  /** Rows read so far. */
  get rows(): number {
    return this.rowCount;
  }

  /** Reads one baseline row (values in the constructor's column order). */
  addRow(row: FeatureRow): void {
    this.rowCount++;
    const basis = this.basis;
    // The whole numeric basis first: every category group averages the row's full basis.
    for (let i = 0; i < this.tallies.length; i++) {
      const column = this.tallies[i]!;
      if (column.kind === 'numeric') addNumeric(column.tally, numericValue(row[i]), basis);
    }
    for (let i = 0; i < this.tallies.length; i++) {
      const column = this.tallies[i]!;
      if (column.kind === 'categorical')
        this.codes[column.slot] = addCategory(column.tally, categoryText(row[i]), basis);
    }
    this.moments.add(basis);
    this.countPairs();
  }

  private countPairs(): void {
    const q = this.categorical.length;
    for (let a = 0; a < q; a++) {
      for (let b = a + 1; b < q; b++) {
        const counts = this.pairs[pairSlot(a, b, q)]!;
        const key = pairKey(this.codes[a]!, this.codes[b]!);
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
  }

  /**
   * Ends read 1: imputation values, frequencies, the standardised covariance and its principal
   * components. Returns read 2's {@link ThresholdFit}, or the reason there is no model: fewer
   * than two columns with values, fewer rows than threshold chunks, or no variance at all.
   */
  fitComponents(): ComponentsFit {
    this.moments.flush();
    const n = this.rowCount;
    const { usable, excluded } = this.usableColumns();
    if (usable.length < 2) return { ok: false, reason: tooFewColumns(usable, excluded) };
    if (n < THRESHOLD_CHUNKS)
      return {
        ok: false,
        reason: `the baseline has ${n} rows; the multivariate thresholds need at least ${THRESHOLD_CHUNKS} (one per chunk)`,
      };
    const encoded = usable.map((u) => this.encodedColumn(u.tally, n));
    const comoments = this.encodedComoments(encoded);
    const scale = encoded.map((e, j) => scaleOf(comoments[j]![j]! / n, e.mean, n));
    const standardised = comoments.map((row, j) => row.map((m, k) => m / (scale[j]! * scale[k]!)));
    const pca = principalComponents(standardised);
    if (pca === null)
      return {
        ok: false,
        reason: 'every usable column is constant in the baseline: there is no variance to model',
      };
    const projection: MultivariateProjection = {
      features: encoded.map((e) => e.feature),
      scaler: { mean: encoded.map((e) => e.mean), scale },
      pca: { mean: encoded.map(() => 0), ...pca },
    };
    const columns = usable.map((u) => u.index);
    return { ok: true, thresholds: new ThresholdFit(projection, columns, excluded, n) };
  }

  /** The columns with at least one present value, in column order, and those left out. */
  private usableColumns(): {
    usable: { index: number; tally: ColumnTally }[];
    excluded: ExcludedColumn[];
  } {
    const usable: { index: number; tally: ColumnTally }[] = [];
    const excluded: ExcludedColumn[] = [];
    this.tallies.forEach((tally, index) => {
      if (tally.kind === 'numeric' && tally.tally.present === 0)
        excluded.push({ name: tally.name, reason: 'no numeric value in the baseline' });
      else if (tally.kind === 'categorical' && tally.tally.groups.size === 0)
        excluded.push({ name: tally.name, reason: 'no value in the baseline' });
      else usable.push({ index, tally });
    });
    return { usable, excluded };
  }

  /** A usable column's feature, encoded mean, and how its encoded value follows from read 1's tallies. */
  private encodedColumn(column: ColumnTally, n: number): EncodedColumn {
    if (column.kind === 'numeric') {
      const t = column.tally;
      const mean = t.sum.value() / t.present;
      return {
        kind: 'numeric',
        feature: { name: column.name, kind: 'numeric', imputation: mean },
        mean,
        basis: t.basis,
        missingWeight: mean - t.shift,
      };
    }
    return categoricalEncoding(column.name, column.tally, column.slot, n);
  }

  /** The d x d co-moments of the encoded columns (sums of centred cross-products over n rows). */
  private encodedComoments(encoded: readonly EncodedColumn[]): number[][] {
    const d = encoded.length;
    const out = encoded.map(() => new Array<number>(d).fill(0));
    for (let j = 0; j < d; j++) {
      for (let k = j; k < d; k++) {
        const m = this.comoment(encoded[j]!, encoded[k]!);
        out[j]![k] = m;
        out[k]![j] = m;
      }
    }
    return out;
  }

  private comoment(x: EncodedColumn, y: EncodedColumn): number {
    if (x.kind === 'numeric')
      return y.kind === 'numeric' ? this.numericComoment(x, y) : this.mixedComoment(y, x);
    return y.kind === 'numeric' ? this.mixedComoment(x, y) : this.categoricalComoment(x, y);
  }

  /** (v_j + w_j q_j) against (v_k + w_k q_k): four basis co-moments. */
  private numericComoment(x: NumericEncoding, y: NumericEncoding): number {
    const m = this.moments;
    return (
      m.comoment(x.basis, y.basis) +
      y.missingWeight * m.comoment(x.basis, y.basis + 1) +
      x.missingWeight * m.comoment(x.basis + 1, y.basis) +
      x.missingWeight * y.missingWeight * m.comoment(x.basis + 1, y.basis + 1)
    );
  }

  /** sum over groups g of x: n_g (e_x(g) - mean_x) (numeric mean of y in g - overall mean of y). */
  private mixedComoment(x: CategoricalEncoding, y: NumericEncoding): number {
    const overall = this.moments.mean;
    const sum = new NeumaierSum();
    for (const group of x.groups) {
      const dv = group.basisMean[y.basis]! - overall[y.basis]!;
      const dq = group.basisMean[y.basis + 1]! - overall[y.basis + 1]!;
      sum.add(group.count * x.centred[group.code]! * (dv + y.missingWeight * dq));
    }
    return sum.value();
  }

  /** A column with itself from its groups; two columns from their joint group counts. */
  private categoricalComoment(x: CategoricalEncoding, y: CategoricalEncoding): number {
    const sum = new NeumaierSum();
    if (x.slot === y.slot) {
      for (const group of x.groups) sum.add(group.count * x.centred[group.code]! ** 2);
      return sum.value();
    }
    const [first, second] = x.slot < y.slot ? [x, y] : [y, x];
    const counts = this.pairs[pairSlot(first.slot, second.slot, this.categorical.length)]!;
    for (const [key, count] of counts) {
      const a = Math.floor(key / CODE_LIMIT);
      sum.add(count * first.centred[a]! * second.centred[key - a * CODE_LIMIT]!);
    }
    return sum.value();
  }
}

/** A numeric column's encoded value: K + v + missingWeight q (see the file comment). */
interface NumericEncoding {
  readonly kind: 'numeric';
  readonly feature: MultivariateFeature;
  readonly mean: number;
  readonly basis: number;
  /** m - K: what a missing value adds to v (which is 0 there). */
  readonly missingWeight: number;
}

/** A categorical column's encoded value per group, centred on the encoded mean. */
interface CategoricalEncoding {
  readonly kind: 'categorical';
  readonly feature: MultivariateFeature;
  readonly mean: number;
  readonly slot: number;
  /** Every group with rows, missing included. */
  readonly groups: readonly CategoryGroup[];
  /** By group code: the encoded value minus the encoded mean. */
  readonly centred: Float64Array;
}

type EncodedColumn = NumericEncoding | CategoricalEncoding;

function checkUniqueNames(columns: readonly FitColumn[]): void {
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name)) throw new RangeError(`column "${c.name}" is listed twice; give each column once`);
    seen.add(c.name);
  }
}

/** Index of the joint counts of categorical columns a < b among q. */
function pairSlot(a: number, b: number, q: number): number {
  return a * q - (a * (a + 1)) / 2 + (b - a - 1);
}

/** Reads a numeric value into the basis (v, q) and the tally. */
function addNumeric(t: NumericTally, x: number, basis: Float64Array): void {
  if (Number.isNaN(x)) {
    basis[t.basis] = 0;
    basis[t.basis + 1] = 1;
    return;
  }
  if (t.present === 0) t.shift = x;
  t.present++;
  t.sum.add(x);
  basis[t.basis] = x - t.shift;
  basis[t.basis + 1] = 0;
}

/** Counts a category (`null`: missing) and moves its group's mean basis vector; returns its code. */
function addCategory(t: CategoricalTally, text: string | null, basis: Float64Array): number {
  const group = t.groupOf(text);
  group.count++;
  const mean = group.basisMean;
  for (let b = 0; b < basis.length; b++) mean[b]! += (basis[b]! - mean[b]!) / group.count;
  return group.code;
}

/**
 * Imputation (the most frequent category, ties to the smallest in code-point order), frequency
 * encoding over the imputed rows, and each group's centred encoded value.
 */
function categoricalEncoding(
  name: string,
  t: CategoricalTally,
  slot: number,
  n: number,
): CategoricalEncoding {
  let mode: [string, CategoryGroup] | null = null;
  for (const entry of t.groups) {
    const better =
      mode === null ||
      entry[1].count > mode[1].count ||
      (entry[1].count === mode[1].count && compareCodePoints(entry[0], mode[0]) < 0);
    if (better) mode = entry;
  }
  const [imputation, modeGroup] = mode!;
  const frequencies = new Map<string, number>();
  const encodedMean = new NeumaierSum();
  const byCode = new Float64Array(t.groups.size + 1);
  for (const [category, group] of t.groups) {
    const imputedCount = group.count + (group === modeGroup ? t.missing.count : 0);
    const share = imputedCount / n;
    frequencies.set(category, share);
    byCode[group.code] = share;
    encodedMean.add(share * imputedCount);
  }
  byCode[0] = byCode[modeGroup.code]!;
  const mean = encodedMean.value() / n;
  const centred = byCode.map((share) => share - mean);
  const groups = [...t.groups.values()];
  if (t.missing.count > 0) groups.push(t.missing);
  return {
    kind: 'categorical',
    feature: { name, kind: 'categorical', imputation, frequencies },
    mean,
    slot,
    groups,
    centred,
  };
}

/**
 * The standard scaler's divisor: the population standard deviation, or 1 for a constant
 * column. "Constant" is scikit-learn's `_is_constant_feature` test (variance within the
 * rounding error its own computation could make), so a column whose variance is a rounding
 * residue is treated as scikit-learn treats it.
 */
function scaleOf(variance: number, mean: number, n: number): number {
  const eps = Number.EPSILON;
  const bound = n * eps * variance + (n * mean * eps) ** 2;
  return variance <= bound ? 1 : Math.sqrt(variance);
}

/**
 * The components kept, as scikit-learn's `PCA(n_components=0.65)` keeps them: the smallest k
 * whose cumulative explained variance ratio exceeds 0.65 (searchsorted right, plus one).
 * Eigenvalues below 0 (rounding) count as 0. `null` when the total variance is 0.
 */
function principalComponents(
  standardised: readonly number[][],
): { components: number[][]; explainedVarianceRatio: number[]; residualComponents: number[][] } | null {
  const eigen = symmetricEigen(standardised);
  const values = Array.from(eigen.values, (v) => Math.max(0, v));
  const total = values.reduce((s, v) => s + v, 0);
  if (!(total > 0)) return null;
  const ratios = values.map((v) => v / total);
  let cumulative = 0;
  let k = 0;
  while (k < ratios.length) {
    cumulative += ratios[k]!;
    k++;
    if (cumulative > EXPLAINED_VARIANCE_TARGET) break;
  }
  return {
    components: eigen.vectors.slice(0, k).map((v) => Array.from(v)),
    explainedVarianceRatio: ratios.slice(0, k),
    residualComponents: eigen.vectors.slice(k).map((v) => Array.from(v)),
  };
}

function tooFewColumns(
  usable: readonly { tally: ColumnTally }[],
  excluded: readonly ExcludedColumn[],
): string {
  const left = excluded.map((e) => `"${e.name}" (${e.reason})`).join(', ');
  return (
    `the multivariate model needs at least two input columns with values in the baseline; ` +
    `${usable.length} found${left === '' ? '' : `, left out: ${left}`}`
  );
}

/**
 * Read 2 of the fit: feed the same baseline rows, in the same order and column layout as read
 * 1, to {@link addRow}, then {@link finish} gives the model. The rows are cut into 10 chunks as
 * numpy's `array_split` cuts them (the first n mod 10 chunks one row longer), and each chunk's
 * mean reconstruction error is summed as the rows pass.
 */
export class ThresholdFit {
  private readonly reconstruction: Reconstruction;
  private readonly chunkSums: NeumaierSum[] = [];
  private seen = 0;
  private readonly longChunks: number;
  private readonly shortSize: number;

  constructor(
    /** The model without its thresholds. */
    readonly projection: MultivariateProjection,
    /** `columns[j]`: where feature j sits in the baseline rows. */
    columns: readonly number[],
    private readonly excluded: readonly ExcludedColumn[],
    /** Rows read 1 saw; read 2 must see as many. */
    readonly expectedRows: number,
  ) {
    this.reconstruction = new Reconstruction(projection, columns);
    for (let c = 0; c < THRESHOLD_CHUNKS; c++) this.chunkSums.push(new NeumaierSum());
    this.shortSize = Math.floor(expectedRows / THRESHOLD_CHUNKS);
    this.longChunks = expectedRows % THRESHOLD_CHUNKS;
  }

  /** Reads one baseline row (the layout of read 1). */
  addRow(row: FeatureRow): void {
    if (this.seen >= this.expectedRows)
      throw new RangeError(
        `read 2 of the multivariate fit got more than the ${this.expectedRows} rows of read 1; both reads must see the same rows in the same order`,
      );
    this.chunkSums[this.chunkOf(this.seen)]!.add(this.reconstruction.error(row));
    this.seen++;
  }

  /** The chunk of row i: the first `longChunks` chunks hold shortSize + 1 rows, the rest shortSize. */
  private chunkOf(i: number): number {
    const boundary = this.longChunks * (this.shortSize + 1);
    if (i < boundary) return Math.floor(i / (this.shortSize + 1));
    return this.longChunks + Math.floor((i - boundary) / this.shortSize);
  }

  /** The fitted model, thresholds included. Throws when read 2 saw fewer rows than read 1. */
  finish(): MultivariateModel {
    if (this.seen !== this.expectedRows)
      throw new RangeError(
        `read 2 of the multivariate fit got ${this.seen} rows, read 1 got ${this.expectedRows}; both reads must see the same rows in the same order`,
      );
    const chunkMeans = this.chunkSums.map(
      (sum, c) => sum.value() / (this.shortSize + (c < this.longChunks ? 1 : 0)),
    );
    const { mean, stdDev } = exactMoments(chunkMeans);
    return {
      version: MULTIVARIATE_MODEL_VERSION,
      method: MULTIVARIATE_METHOD,
      baselineRows: this.expectedRows,
      ...this.projection,
      excluded: this.excluded,
      thresholds: {
        lower: Math.max(0, mean - THRESHOLD_WIDTH * stdDev),
        upper: mean + THRESHOLD_WIDTH * stdDev,
        chunkMean: mean,
        chunkStd: stdDev,
        chunkMeans,
      },
    };
  }
}

/**
 * Fits the model from rows that can be read twice: `rows()` is called once per read and must
 * give the same rows in the same order both times (a re-opened file, an array). The caller
 * whose rows arrive asynchronously drives {@link MultivariateFitter} and {@link ThresholdFit}
 * itself, the same way.
 */
export function fitMultivariateModel(
  columns: readonly FitColumn[],
  rows: () => Iterable<FeatureRow>,
): MultivariateFit {
  const fitter = new MultivariateFitter(columns);
  for (const row of rows()) fitter.addRow(row);
  const components = fitter.fitComponents();
  if (!components.ok) return { model: null, reason: components.reason };
  for (const row of rows()) components.thresholds.addRow(row);
  return { model: components.thresholds.finish(), reason: null };
}
