/**
 * Error analysis by slice: where is the model wrong? For each input feature, the records are
 * split by the baseline's decile bins (numeric) or categories (categorical), and each slice's
 * error is set against the whole window's.
 */

import type { FeatureValue } from './types.ts';

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

/** The text of a categorical value, `null` when missing (absent, null or empty). */
export function categoryOf(value: FeatureValue | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value);
  return text === '' ? null : text;
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
