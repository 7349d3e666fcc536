/**
 * A window's global attribution of each feature (Clarify's `agg_method`) and how far its ranking
 * has drifted from the baseline's (nDCG, ATTRIBUTION.md). Features are positions in the column
 * order: every array here is indexed by feature.
 */

/** Clarify's `agg_method` values. */
export const AGG_METHODS = ['mean_abs', 'median', 'mean_sq'] as const;
export type AggMethod = (typeof AGG_METHODS)[number];

/** Clarify's default `agg_method`. */
export const DEFAULT_AGG_METHOD: AggMethod = 'mean_abs';

/** `feature_attribution_drift_check` fails when the window's nDCG is below this. */
export const NDCG_THRESHOLD = 0.9;

/**
 * The global attribution of each of `d` features over the records' attributions (each a list in
 * feature order): `mean_abs` the mean of |phi_i|, `median` the median of phi_i (the mean of the
 * two middle values for an even count), `mean_sq` the mean of phi_i². NaN for every feature
 * when there are no records.
 */
export function globalAttributions(
  records: readonly ArrayLike<number>[],
  d: number,
  method: AggMethod = DEFAULT_AGG_METHOD,
): number[] {
  const out = new Array<number>(d).fill(Number.NaN);
  const n = records.length;
  if (n === 0) return out;
  for (let i = 0; i < d; i++) {
    if (method === 'median') {
      const values = Float64Array.from(records, (r) => r[i]!).sort();
      const mid = n >> 1;
      out[i] = n % 2 === 1 ? values[mid]! : (values[mid - 1]! + values[mid]!) / 2;
      continue;
    }
    let sum = 0;
    for (const r of records) {
      const v = r[i]!;
      sum += method === 'mean_abs' ? Math.abs(v) : v * v;
    }
    out[i] = sum / n;
  }
  return out;
}

/** Feature positions by value, largest first; equal values keep column order. */
export function rankFeatures(values: readonly number[]): number[] {
  return values
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (b.v === a.v ? a.i - b.i : b.v - a.v))
    .map((x) => x.i);
}

/**
 * nDCG of the window's ranking against the baseline's: with a(f) the baseline's global
 * attribution of f, DCG = Σ a(F'_i) / log2(i + 1) over the window's ranking F', iDCG the same
 * over the baseline's ranking F, nDCG = DCG / iDCG. When the baseline attributes nothing to any
 * feature (iDCG 0) there is no ranking to drift from: nDCG is 1.
 */
export function ndcg(window: readonly number[], baseline: readonly number[]): number {
  if (window.length !== baseline.length)
    throw new RangeError(
      `nDCG needs the same features on both sides (window ${window.length}, baseline ${baseline.length})`,
    );
  const gain = (order: number[]) => order.reduce((s, f, i) => s + baseline[f]! / Math.log2(i + 2), 0);
  const ideal = gain(rankFeatures(baseline));
  if (ideal === 0) return 1;
  return gain(rankFeatures(window)) / ideal;
}

/** Whether an nDCG breaks `feature_attribution_drift_check`. */
export function isAttributionDrift(score: number, threshold = NDCG_THRESHOLD): boolean {
  return score < threshold;
}
