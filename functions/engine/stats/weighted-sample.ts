/**
 * The one input type of the numeric drift statistics: a sorted sample where each value may
 * carry a weight. Exact profiles give unit weights; a quantile sketch (KLL) gives its retained
 * items, each standing for 2^level original values. Every statistic is written once against
 * this type, so exact and sketch mode cannot drift apart.
 */

import { NeumaierSum } from './summation.ts';

/**
 * A sorted sample of finite numbers, optionally weighted.
 *
 * - `values` is sorted ascending and holds finite numbers only.
 * - `weights === null` means every value weighs 1 (exact mode).
 * - Otherwise `weights[i]` (finite, >= 0) is the weight of `values[i]` (sketch mode). Weights are
 *   counts of original values, so a total weight of 1 or more is expected. The same value may
 *   appear several times.
 */
export interface WeightedSample {
  values: Float64Array;
  weights: Float64Array | null;
}

/**
 * A {@link WeightedSample} with its prefix sums, so "how much weight lies at or below x"
 * costs one binary search. Build it with {@link prepareSample}.
 */
export interface PreparedSample extends WeightedSample {
  /**
   * `cumulative[i]` = total weight of `values[0..i]` (inclusive); `null` in exact mode, where
   * the count of values up to an index is the index itself.
   */
  readonly cumulative: Float64Array | null;
  /** Total weight (the length in exact mode). */
  readonly total: number;
}

/** Whether `s` already carries the prefix sums of {@link PreparedSample}. */
function isPrepared(s: WeightedSample): s is PreparedSample {
  return 'cumulative' in s && 'total' in s;
}

/**
 * Adds prefix sums to a sample (O(n) once; returns `s` itself when it is already prepared).
 * The prefix sums are compensated, so the last one equals the total weight to rounding.
 */
export function prepareSample(s: WeightedSample): PreparedSample {
  if (isPrepared(s)) return s;
  const { values, weights } = s;
  if (weights === null) return { values, weights, cumulative: null, total: values.length };
  if (weights.length !== values.length) {
    throw new RangeError(`weights has ${weights.length} entries for ${values.length} values`);
  }
  const cumulative = new Float64Array(values.length);
  const acc = new NeumaierSum();
  for (let i = 0; i < weights.length; i++) {
    acc.add(weights[i]!);
    cumulative[i] = acc.value();
  }
  return { values, weights, cumulative, total: values.length === 0 ? 0 : cumulative[values.length - 1]! };
}

/** Total weight of a sample: its length in exact mode, the sum of its weights otherwise. */
export function totalWeight(s: WeightedSample): number {
  return prepareSample(s).total;
}

/**
 * Number of entries of the sorted `values` that are <= x (numpy's `searchsorted(values, x,
 * side='right')`), by binary search.
 */
export function countAtOrBelow(values: Float64Array, x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (values[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Total weight of the first `k` values (0 <= k <= length): an integer count in exact mode, a
 * prefix sum otherwise. The weighted ECDF just below `values[k]` is this divided by the total.
 */
export function weightOfFirst(s: PreparedSample, k: number): number {
  if (s.cumulative === null || k === 0) return k;
  return s.cumulative[k - 1]!;
}

/** Total weight of the values <= x, in O(log n). */
export function weightAtOrBelow(s: PreparedSample, x: number): number {
  return weightOfFirst(s, countAtOrBelow(s.values, x));
}

function assertFinite(values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new RangeError(`sample value ${values[i]} at index ${i} is not a finite number`);
    }
  }
}

/**
 * An exact-mode sample from values in any order (copied, then sorted). Throws a RangeError on a
 * non-finite value: the profile must have counted those as type mismatches already, and one
 * NaN would silently corrupt every comparison-based statistic.
 */
export function fromUnsorted(values: ArrayLike<number>): WeightedSample {
  assertFinite(values);
  const sorted = Float64Array.from(values);
  // TypedArray sort is numeric (not lexicographic like Array#sort without a comparator).
  sorted.sort();
  return { values: sorted, weights: null };
}

/**
 * A sketch-mode sample from (value, weight) pairs in any order; the pairs are sorted by value.
 * Throws a RangeError on a non-finite value, a negative or non-finite weight, or a length
 * mismatch.
 */
export function fromWeighted(values: ArrayLike<number>, weights: ArrayLike<number>): WeightedSample {
  if (values.length !== weights.length) {
    throw new RangeError(`weights has ${weights.length} entries for ${values.length} values`);
  }
  assertFinite(values);
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(Number.isFinite(w) && w >= 0)) {
      throw new RangeError(`weight ${w} at index ${i} is not a finite non-negative number`);
    }
  }
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => values[a]! - values[b]!);
  const sortedValues = new Float64Array(order.length);
  const sortedWeights = new Float64Array(order.length);
  for (let i = 0; i < order.length; i++) {
    sortedValues[i] = values[order[i]!]!;
    sortedWeights[i] = weights[order[i]!]!;
  }
  return { values: sortedValues, weights: sortedWeights };
}
