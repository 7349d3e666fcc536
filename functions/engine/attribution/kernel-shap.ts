/**
 * Kernel SHAP (Lundberg & Lee, 2017) for models with more features than an exact computation can
 * afford. The coalitions are chosen as the shap library's KernelExplainer chooses them: subset
 * sizes from the ends inwards (1 and d-1, then 2 and d-2, ...) are enumerated completely while
 * the sample budget covers them, with their exact Shapley-kernel weights; the remaining budget is
 * drawn at random (seeded) from the kernel's distribution over the remaining sizes, each draw
 * paired with its complement, a coalition drawn twice counting twice. The empty and full
 * coalitions enter as the constraint Σ phi = v(all) - v(∅) of the weighted least squares.
 */
import { mulberry32, type RandomSource } from '../stats/seeded-random.ts';
import type { CoalitionPlan } from './coalition-plan.ts';

/** The shap library's default sample count: 2d + 2048. */
export function defaultKernelSamples(d: number): number {
  return 2 * d + 2048;
}

/** C(n, k) as a double. */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** Calls `visit` with every k-subset of 0..n-1 as flags (the array is reused). */
function forEachSubset(n: number, k: number, visit: (flags: Uint8Array) => void): void {
  const idx = Array.from({ length: k }, (_, i) => i);
  const flags = new Uint8Array(n);
  for (;;) {
    flags.fill(0);
    for (const i of idx) flags[i] = 1;
    visit(flags);
    let j = k - 1;
    while (j >= 0 && idx[j] === n - k + j) j--;
    if (j < 0) return;
    idx[j]!++;
    for (let l = j + 1; l < k; l++) idx[l] = idx[l - 1]! + 1;
  }
}

/** A uniformly random `size`-subset of 0..d-1 as flags (partial Fisher-Yates). */
function randomSubset(d: number, size: number, random: RandomSource, order: Int32Array): Uint8Array {
  for (let i = 0; i < d; i++) order[i] = i;
  const flags = new Uint8Array(d);
  for (let i = 0; i < size; i++) {
    const j = i + Math.floor(random() * (d - i));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
    flags[order[i]!] = 1;
  }
  return flags;
}

/** The coalitions chosen and their kernel weights. */
interface KernelSample {
  masks: Uint8Array[];
  weights: number[];
}

function sampleCoalitions(d: number, samples: number, random: RandomSource): KernelSample {
  const masks: Uint8Array[] = [];
  const weights: number[] = [];
  const complement = (flags: Uint8Array) => flags.map((f) => 1 - f);
  const sizes = Math.ceil((d - 1) / 2);
  const paired = Math.floor((d - 1) / 2);
  // The kernel's weight of each size s (with d - s when paired), normalised.
  const sizeWeight = Array.from({ length: sizes }, (_, j) => {
    const s = j + 1;
    return ((d - 1) / (s * (d - s))) * (s <= paired ? 2 : 1);
  });
  const total = sizeWeight.reduce((a, b) => a + b, 0);
  for (let j = 0; j < sizes; j++) sizeWeight[j]! /= total;

  let fullSizes = 0;
  let left = samples;
  const remaining = sizeWeight.slice();
  for (let s = 1; s <= sizes; s++) {
    const subsets = binomial(d, s) * (s <= paired ? 2 : 1);
    if ((left * remaining[s - 1]!) / subsets < 1 - 1e-8) break;
    fullSizes++;
    left -= subsets;
    const share = remaining[s - 1]!;
    if (share < 1) for (let j = 0; j < sizes; j++) remaining[j]! /= 1 - share;
    const w = sizeWeight[s - 1]! / binomial(d, s) / (s <= paired ? 2 : 1);
    forEachSubset(d, s, (flags) => {
      masks.push(flags.slice());
      weights.push(w);
      if (s <= paired) {
        masks.push(complement(flags));
        weights.push(w);
      }
    });
  }

  const fixed = masks.length;
  let samplesLeft = samples - fixed;
  if (fullSizes === sizes || samplesLeft <= 0) return { masks, weights };
  const rest = sizeWeight.slice(fullSizes).map((w, j) => (j + fullSizes + 1 <= paired ? w / 2 : w));
  const restTotal = rest.reduce((a, b) => a + b, 0);
  const cumulative: number[] = [];
  let acc = 0;
  for (const w of rest) {
    acc += w / restTotal;
    cumulative.push(acc);
  }
  const seen = new Map<string, number>();
  const order = new Int32Array(d);
  const add = (flags: Uint8Array) => {
    const key = flags.join('');
    const at = seen.get(key);
    if (at === undefined) {
      seen.set(key, masks.length);
      masks.push(flags);
      weights.push(1);
      samplesLeft--;
    } else weights[at]!++;
  };
  // As in shap: at most 4 draws per sample wanted, since repeats add weight but no coalition.
  for (let draw = 0, draws = 4 * samplesLeft; samplesLeft > 0 && draw < draws; draw++) {
    const u = random();
    let j = cumulative.findIndex((c) => u < c);
    if (j < 0) j = rest.length - 1;
    const size = j + fullSizes + 1;
    const flags = randomSubset(d, size, random, order);
    add(flags);
    if (samplesLeft > 0 && size <= paired) add(complement(flags));
  }
  // The random coalitions share the kernel weight the enumerated sizes left.
  const weightLeft = sizeWeight.slice(fullSizes).reduce((a, b) => a + b, 0);
  let drawn = 0;
  for (let k = fixed; k < weights.length; k++) drawn += weights[k]!;
  for (let k = fixed; k < weights.length; k++) weights[k] = (weights[k]! * weightLeft) / drawn;
  return { masks, weights };
}

/**
 * Solves the symmetric system `a x = b` (n × n, row-major) by Gaussian elimination with partial
 * pivoting; `null` when it is singular.
 */
function solveLinear(a: Float64Array, b: Float64Array, n: number): Float64Array | null {
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(a[i * n + i]!));
  const tiny = scale * 1e-13;
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(a[r * n + col]!) > Math.abs(a[pivot * n + col]!)) pivot = r;
    if (!(Math.abs(a[pivot * n + col]!) > tiny)) return null;
    if (pivot !== col) {
      for (let c = 0; c < n; c++) {
        const t = a[col * n + c]!;
        a[col * n + c] = a[pivot * n + c]!;
        a[pivot * n + c] = t;
      }
      const t = b[col]!;
      b[col] = b[pivot]!;
      b[pivot] = t;
    }
    const p = a[col * n + col]!;
    for (let r = col + 1; r < n; r++) {
      const f = a[r * n + col]! / p;
      if (f === 0) continue;
      for (let c = col; c < n; c++) a[r * n + c]! -= f * a[col * n + c]!;
      b[r]! -= f * b[col]!;
    }
  }
  const x = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < n; c++) s -= a[r * n + c]! * x[c]!;
    x[r] = s / a[r * n + r]!;
  }
  return x;
}

/**
 * A Kernel SHAP plan for d features: at most `samples` coalitions (capped at the 2^d - 2 there
 * are), chosen with the seeded generator, then the full coalition (last). Its `solve` is the
 * weighted least squares with the last feature eliminated by the constraint.
 */
export function kernelPlan(d: number, samples: number, seed: number): CoalitionPlan & { samples: number } {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`Kernel SHAP needs at least 1 feature (got ${d})`);
  if (!Number.isInteger(samples) || samples < 1)
    throw new RangeError(`Kernel SHAP needs num_samples of 1 or more (got ${samples})`);
  const capped = d <= 30 ? Math.min(samples, 2 ** d - 2) : samples;
  const { masks, weights } =
    d === 1 ? { masks: [], weights: [] } : sampleCoalitions(d, capped, mulberry32(seed));
  const count = masks.length + 1;
  const members = new Uint8Array(count * d);
  masks.forEach((flags, k) => {
    members.set(flags, k * d);
  });
  members.fill(1, masks.length * d);
  const m = d - 1;
  return {
    method: 'kernel',
    features: d,
    count,
    members,
    samples: masks.length,
    solve(values, empty) {
      if (values.length !== count)
        throw new RangeError(`expected ${count} coalition values, got ${values.length}`);
      const delta = values[count - 1]! - empty;
      const phi = new Float64Array(d);
      if (d === 1) {
        phi[0] = delta;
        return phi;
      }
      // y_k - z_k,last·Δ = Σ_{j<last} (z_kj - z_k,last) phi_j, weighted: the normal equations.
      const a = new Float64Array(m * m);
      const b = new Float64Array(m);
      const x = new Float64Array(m);
      for (let k = 0; k < masks.length; k++) {
        const flags = masks[k]!;
        const w = weights[k]!;
        const last = flags[m]!;
        const y = values[k]! - empty - last * delta;
        for (let j = 0; j < m; j++) x[j] = flags[j]! - last;
        for (let j = 0; j < m; j++) {
          const xj = x[j]!;
          if (xj === 0) continue;
          b[j]! += w * xj * y;
          for (let l = 0; l < m; l++) a[j * m + l]! += w * xj * x[l]!;
        }
      }
      const solved = solveLinear(a, b, m);
      if (solved === null)
        throw new Error(
          `Kernel SHAP: ${masks.length} coalitions do not determine the values of ${d} features; raise num_samples`,
        );
      let sum = 0;
      for (let j = 0; j < m; j++) {
        phi[j] = solved[j]!;
        sum += solved[j]!;
      }
      phi[m] = delta - sum;
      return phi;
    },
  };
}
