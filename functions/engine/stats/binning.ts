/**
 * Decile bins of the baseline (METRICS.md, `binEdges`, "bin of x", `binProportions`), shared by
 * PSI and Jensen-Shannon.
 */

import { quantileType7, weightedQuantile } from './quantile.ts';
import { prepareSample, type WeightedSample, weightAtOrBelow } from './weighted-sample.ts';

/** Probabilities of the candidate edges. k / 10 rounds exactly like numpy's `arange(1, 10) / 10`. */
const EDGE_PROBABILITIES: readonly number[] = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => k / 10);

/**
 * `unique(quantile(b, [0.1, 0.2, ..., 0.9]))`: up to 9 sorted, distinct edges, so up to 10 bins.
 * Type 7 in exact mode, {@link weightedQuantile} in sketch mode. Ties in the baseline merge
 * edges (a constant baseline has a single edge and two bins). Throws on an empty sample.
 */
export function binEdges(sample: WeightedSample): number[] {
  const quantiles = EDGE_PROBABILITIES.map((p) =>
    sample.weights === null ? quantileType7(sample.values, p) : weightedQuantile(sample, p),
  );
  // Interpolation is monotone in exact arithmetic but could in principle wobble by an ulp; sort
  // as numpy's unique() does so the edges are always ascending.
  quantiles.sort((x, y) => x - y);
  const edges: number[] = [];
  for (const q of quantiles) {
    if (edges.length === 0 || q !== edges[edges.length - 1]) edges.push(q);
  }
  return edges;
}

/**
 * Share of the sample's weight in each of the `edges.length + 1` bins. The bin of x is the
 * number of edges strictly less than x (`searchsorted(edges, x, side='left')`): bins are
 * right-closed, x <= edges[0] is bin 0 and x > the last edge is the last bin. Each bin's weight
 * is a difference of two prefix weights found by binary search, so the cost is O(edges log n).
 * All zeros when the sample is empty.
 */
export function binProportions(sample: WeightedSample, edges: readonly number[]): number[] {
  const s = prepareSample(sample);
  const proportions: number[] = [];
  let below = 0;
  for (const edge of edges) {
    const atOrBelow = weightAtOrBelow(s, edge);
    proportions.push(s.total > 0 ? (atOrBelow - below) / s.total : 0);
    below = atOrBelow;
  }
  proportions.push(s.total > 0 ? (s.total - below) / s.total : 0);
  return proportions;
}
