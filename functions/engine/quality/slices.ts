/**
 * Error analysis by slice: where is the model wrong? For each input feature, the records are
 * split by the baseline's decile bins (numeric) or categories (categorical), and each slice's
 * error is set against the whole window's.
 */

import type { ProblemType } from '../../contracts/problem-type.ts';
import { NeumaierSum } from '../stats/summation.ts';
import { DEFAULT_PROBABILITY_THRESHOLD } from './binary-metrics.ts';
import {
  parseBinaryRecords,
  parseFiniteNumber,
  parseMulticlassRecords,
  parseRegressionRecords,
} from './labelled-records.ts';
import type { FeatureValue, LabelledPrediction } from './types.ts';

/**
 * How one feature is sliced, from the baseline: numeric features by the baseline's bin edges
 * (METRICS.md `binEdges`; the bin of x is the number of edges strictly less than x), categorical
 * features by the baseline's categories (compared as text, as METRICS.md compares them).
 */
export type SliceBaseline =
  | { kind: 'numeric'; binEdges: readonly number[] }
  | { kind: 'categorical'; categories: readonly string[] };

/** What a slice's `error` measures: classification error rate, or regression mean absolute error. */
export type SliceErrorMeasure = 'errorRate' | 'mae';

/** One slice of one feature. */
export interface QualitySlice {
  feature: string;
  /** The bin as an interval (`(1.5, 2.3]`), the category, or `(missing)`. */
  slice: string;
  /** Set on a category the baseline never had. */
  unseen?: true;
  /** Set on the slice of records without a (usable) value for the feature. */
  missing?: true;
  /** Records in the slice. */
  support: number;
  measure: SliceErrorMeasure;
  /** Share of wrong predictions (classification) or MAE (regression) in the slice. */
  error: number;
  /** `error` minus the whole window's error: positive where the model does worse. */
  difference: number;
}

/** The slices of every feature, and the whole window's error they are compared with. */
export interface SliceAnalysis {
  measure: SliceErrorMeasure;
  /** Error over all records with a valid label and prediction. */
  overall: number;
  /** Those records. */
  count: number;
  slices: QualitySlice[];
}

/** Options of {@link analyseSlices}. */
export interface SliceOptions {
  /**
   * BinaryClassification: positive when score >= threshold.
   * @default 0.5
   */
  threshold?: number;
}

/** Options of {@link worstSlices}. */
export interface WorstSliceOptions {
  /**
   * Fewest records a slice needs to be listed: smaller slices are noise.
   * @default 30
   */
  minSupport?: number;
  /**
   * Most slices listed.
   * @default 10
   */
  limit?: number;
}

/** The name of the slice of records without a value for the feature. */
export const MISSING_SLICE = '(missing)';

/**
 * The shortest spelling of the edges (6 significant digits, more only when two edges would
 * otherwise print the same), so labels stay readable and still tell bins apart.
 */
function formatEdges(edges: readonly number[]): string[] {
  for (let digits = 6; digits < 17; digits++) {
    const texts = edges.map((e) => String(Number(e.toPrecision(digits))));
    if (new Set(texts).size === texts.length) return texts;
  }
  return edges.map(String);
}

/**
 * Interval labels of the `edges.length + 1` bins, right-closed as the bins are:
 * `(-inf, e1]`, `(e1, e2]`, ..., `(ek, inf)`; `(-inf, inf)` with no edges.
 */
export function binLabels(edges: readonly number[]): string[] {
  const texts = ['-inf', ...formatEdges(edges), 'inf'];
  return edges.length === 0
    ? ['(-inf, inf)']
    : Array.from({ length: edges.length + 1 }, (_, i) => {
        const close = i === edges.length ? ')' : ']';
        return `(${texts[i]}, ${texts[i + 1]}${close}`;
      });
}

/** The bin of x: the number of edges strictly less than x (binary search on ascending edges). */
export function binOf(edges: readonly number[], x: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Each usable record's error (0/1 for classification, absolute error for regression). */
function recordErrors(
  problemType: ProblemType,
  records: readonly LabelledPrediction[],
  threshold: number,
): { errors: number[]; kept: number[] } {
  if (problemType === 'BinaryClassification') {
    const c = parseBinaryRecords(records);
    const errors = c.labels.map((y, i) => ((c.predictions[i]! >= threshold ? 1 : 0) === y ? 0 : 1));
    return { errors, kept: c.kept };
  }
  if (problemType === 'MulticlassClassification') {
    const c = parseMulticlassRecords(records);
    return { errors: c.labels.map((y, i) => (y === c.predictions[i] ? 0 : 1)), kept: c.kept };
  }
  const c = parseRegressionRecords(records);
  return { errors: c.labels.map((y, i) => Math.abs(y - c.predictions[i]!)), kept: c.kept };
}

/** The text of a categorical value, `null` when missing (absent, null or empty). */
export function categoryOf(value: FeatureValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text === '' ? null : text;
}

class SliceTally {
  readonly sum = new NeumaierSum();
  support = 0;
  add(error: number): void {
    this.sum.add(error);
    this.support++;
  }
}

/**
 * Every non-empty slice of every feature in `baselines` (in their order: bins in order, then
 * baseline categories in order, then unseen categories sorted, then `(missing)`). Records whose
 * label or prediction does not parse are left out, as they are from the metrics. A numeric value
 * that is not a finite number counts as missing.
 */
export function analyseSlices(
  problemType: ProblemType,
  records: readonly LabelledPrediction[],
  baselines: Readonly<Record<string, SliceBaseline>>,
  options: SliceOptions = {},
): SliceAnalysis {
  const threshold = options.threshold ?? DEFAULT_PROBABILITY_THRESHOLD;
  const measure: SliceErrorMeasure = problemType === 'Regression' ? 'mae' : 'errorRate';
  const { errors, kept } = recordErrors(problemType, records, threshold);
  const total = new NeumaierSum();
  for (const e of errors) total.add(e);
  const overall = errors.length === 0 ? 0 : total.value() / errors.length;

  const slices: QualitySlice[] = [];
  const emit = (feature: string, slice: string, tally: SliceTally, flags: Partial<QualitySlice> = {}) => {
    if (tally.support === 0) return;
    const error = tally.sum.value() / tally.support;
    slices.push({
      feature,
      slice,
      ...flags,
      support: tally.support,
      measure,
      error,
      difference: error - overall,
    });
  };

  for (const [feature, baseline] of Object.entries(baselines)) {
    const missing = new SliceTally();
    // Only a number or a text is a value: a plain object's `constructor` or `toString` (a name
    // it does not have) reads as missing, not as Object.prototype's function.
    const featureValue = (i: number): FeatureValue => {
      const v = records[kept[i]!]!.features?.[feature];
      return typeof v === 'number' || typeof v === 'string' ? v : null;
    };
    if (baseline.kind === 'numeric') {
      const bins = Array.from({ length: baseline.binEdges.length + 1 }, () => new SliceTally());
      errors.forEach((e, i) => {
        const x = parseFiniteNumber(featureValue(i));
        if (x === null) missing.add(e);
        else bins[binOf(baseline.binEdges, x)]!.add(e);
      });
      const labels = binLabels(baseline.binEdges);
      bins.forEach((tally, b) => {
        emit(feature, labels[b]!, tally);
      });
    } else {
      const known = new Map(baseline.categories.map((c) => [c, new SliceTally()]));
      const unseen = new Map<string, SliceTally>();
      errors.forEach((e, i) => {
        const category = categoryOf(featureValue(i));
        if (category === null) {
          missing.add(e);
          return;
        }
        let tally = known.get(category) ?? unseen.get(category);
        if (tally === undefined) {
          tally = new SliceTally();
          unseen.set(category, tally);
        }
        tally.add(e);
      });
      for (const [category, tally] of known) emit(feature, category, tally);
      for (const category of [...unseen.keys()].sort()) {
        emit(feature, category, unseen.get(category)!, { unseen: true });
      }
    }
    emit(feature, MISSING_SLICE, missing, { missing: true });
  }
  return { measure, overall, count: errors.length, slices };
}

/**
 * The slices where the model does worst relative to the whole window: those with at least
 * `minSupport` records, by `difference` descending (ties: larger support first, then by
 * feature and slice name, so the list is stable), at most `limit` of them.
 */
export function worstSlices(
  slices: readonly QualitySlice[],
  options: WorstSliceOptions = {},
): QualitySlice[] {
  const minSupport = options.minSupport ?? 30;
  const limit = options.limit ?? 10;
  return slices
    .filter((s) => s.support >= minSupport)
    .sort(
      (a, b) =>
        b.difference - a.difference ||
        b.support - a.support ||
        (a.feature < b.feature ? -1 : a.feature > b.feature ? 1 : 0) ||
        (a.slice < b.slice ? -1 : a.slice > b.slice ? 1 : 0),
    )
    .slice(0, limit);
}
