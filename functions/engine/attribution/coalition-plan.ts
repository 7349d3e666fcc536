/**
 * Which coalitions of features a record's Shapley values need, and how their values give the
 * Shapley values. A coalition S is a set of features: its row takes the record's values for the
 * features in S and the background row's for the others, and v(S) is the model's mean over the
 * background rows. The empty coalition's value v(∅) is the same for every record (the model's
 * mean over the background alone), so plans leave it out and it is computed once.
 */

/** How a record's Shapley values are computed. */
export type ShapMethod = 'exact' | 'kernel';

/** The coalitions of one record's explanation and how to turn their values into attributions. */
export interface CoalitionPlan {
  readonly method: ShapMethod;
  /** d, the number of features. */
  readonly features: number;
  /** How many coalitions to evaluate (the empty one left out). */
  readonly count: number;
  /** `count × features` flags, coalition-major: 1 when the feature takes the record's value. */
  readonly members: Uint8Array;
  /**
   * The Shapley values from `values[k]` = v(coalition k) and `empty` = v(∅). Throws when the
   * values cannot determine them (a Kernel SHAP sample too small).
   */
  solve(values: Float64Array, empty: number): Float64Array;
}

/** Up to this many features, Shapley values are exact (all 2^d coalitions), as ATTRIBUTION.md says. */
export const EXACT_MAX_FEATURES = 12;

/**
 * The most features an exact computation is allowed when asked for explicitly (2^16 coalitions:
 * 65,535 model rows per record and background row).
 */
export const EXACT_FORCED_MAX_FEATURES = 16;

/** n! as a double: exact up to 18!, and the Shapley weights need it up to 16!. */
function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

/**
 * The Shapley weight of a coalition of `size` features that leaves feature i out:
 * |S|! (d - |S| - 1)! / d!, by size.
 */
export function shapleyWeights(d: number): Float64Array {
  const w = new Float64Array(d);
  const all = factorial(d);
  for (let s = 0; s < d; s++) w[s] = (factorial(s) * factorial(d - s - 1)) / all;
  return w;
}

/**
 * All 2^d coalitions: coalition k is the bit mask k + 1 (bit i set: feature i takes the record's
 * value), the full coalition last. phi_i = Σ_{S ∌ i} |S|!(d-|S|-1)!/d! (v(S ∪ {i}) - v(S)).
 */
export function exactPlan(d: number): CoalitionPlan {
  if (!Number.isInteger(d) || d < 1 || d > EXACT_FORCED_MAX_FEATURES)
    throw new RangeError(
      `exact Shapley values take 1 to ${EXACT_FORCED_MAX_FEATURES} features (got ${d}); use Kernel SHAP`,
    );
  const masks = 2 ** d;
  const count = masks - 1;
  const members = new Uint8Array(count * d);
  const sizes = new Uint8Array(masks);
  for (let mask = 1; mask < masks; mask++) {
    sizes[mask] = sizes[mask >> 1]! + (mask & 1);
    for (let i = 0; i < d; i++) members[(mask - 1) * d + i] = (mask >> i) & 1;
  }
  const weights = shapleyWeights(d);
  return {
    method: 'exact',
    features: d,
    count,
    members,
    solve(values, empty) {
      if (values.length !== count)
        throw new RangeError(`expected ${count} coalition values, got ${values.length}`);
      const v = (mask: number) => (mask === 0 ? empty : values[mask - 1]!);
      const phi = new Float64Array(d);
      for (let i = 0; i < d; i++) {
        const bit = 1 << i;
        let sum = 0;
        for (let mask = 0; mask < masks; mask++) {
          if (mask & bit) continue;
          sum += weights[sizes[mask]!]! * (v(mask | bit) - v(mask));
        }
        phi[i] = sum;
      }
      return phi;
    },
  };
}
