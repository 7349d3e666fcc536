/**
 * How much a window's bias metric moves by chance alone, so that a violation is marked
 * significant only beyond that (issue 14: SageMaker's rule trips on the noise of an ordinary
 * hour of a few hundred labels).
 *
 * THE MARGIN RULE: a violation is significant when the window's distance from the metric's
 * ideal exceeds the baseline's by more than {@link SIGNIFICANCE_Z} (3) standard errors of the
 * window's value: `|w - ideal| - |b - ideal| > 3 * se(w)`. The baseline is the fixed reference
 * (it comes as `analysis.json`, without counts, and is usually far larger than a window).
 *
 * The standard error comes from the window's counts:
 * - analytic ({@link ANALYTIC_METRICS}): CI, DPL, DPPL, AD, RD, DAR, DRR are differences of two
 *   independent proportions (CI is one proportion, 1 - 2 n_d/n): `sqrt(p_a(1-p_a)/n_a +
 *   p_d(1-p_d)/n_d)`. TVD and KS equal |DPL| and LP is sqrt(2)|DPL| for a binary label (when both
 *   sides have both labels), so they take DPL's error (times sqrt 2 for LP). DI is a ratio of two
 *   proportions, judged on its logarithm (where its noise is symmetric): `se(log DI) =
 *   sqrt((1-q_d)/(n_d q_d) + (1-q_a)/(n_a q_a))` (the delta method), and its margin is how far
 *   DI moves toward 1 when its logarithm moves by 3 of those errors: `DI (e^{3 se} - 1)` below 1,
 *   `DI (1 - e^{-3 se})` above. Every proportion is taken with the Agresti-Caffo adjustment (one
 *   success and one failure added: `(x+1)/(n+2)`), DI's own value too, so a proportion of 0 or 1
 *   in a small group still has an error and a handful of rows cannot look certain.
 * - bootstrap over the counts, for the others (KL, JS, DCA, DCR, TE, CDDL, CDDPL, GE, and TVD,
 *   KS, LP when a side lacks a label): every metric is a function of the cell counts (per group
 *   for CDDL and CDDPL), so resampling rows is resampling counts. A Poisson bootstrap draws each
 *   cell as Poisson(count), {@link BOOTSTRAP_REPLICATES} times from a fixed seed; the error is
 *   the replicates' standard deviation. When more than {@link BOOTSTRAP_MAX_UNDEFINED} of the
 *   replicates have no finite value (a ratio whose denominator is often 0), the metric is too
 *   unstable to judge and its error is infinite: never significant.
 *
 * Measured on a simulated calm population (400 windows of 300 rows against a 20,000-row
 * baseline, all 19 metrics): SageMaker's rule flags 63% of the checks; the margin rule about
 * 0.2% of them, so about 2% of calm windows still hold one significant violation somewhere
 * among their 19 metrics (many comparisons). Where a page per fifty calm hours is too many,
 * `checkBiasDrift(..., { z: 3.9 })` spreads the same 3-sigma rate over 19 metrics
 * (Bonferroni): 0.25% of calm windows.
 */
import { mulberry32, type RandomSource } from '../stats/seeded-random.ts';
import { BiasCounts } from './bias-counts.ts';
import { BiasMetricError, type BiasMetricName, metricValue, side } from './bias-metrics.ts';

/** Standard errors a window's value must pass the baseline's distance by. */
export const SIGNIFICANCE_Z = 3;
/** Poisson bootstrap replicates. */
export const BOOTSTRAP_REPLICATES = 200;
/** The bootstrap's seed: fixed, so a window's verdict is the same on every run. */
export const BOOTSTRAP_SEED = 0xb1a5;
/** Largest share of bootstrap replicates without a finite value for the error to be defined. */
export const BOOTSTRAP_MAX_UNDEFINED = 0.05;
/** Metrics with an analytic standard error. */
export const ANALYTIC_METRICS: readonly BiasMetricName[] = [
  'AD',
  'CI',
  'DAR',
  'DI',
  'DPL',
  'DPPL',
  'DRR',
  'KS',
  'LP',
  'RD',
  'TVD',
];

/** A metric's standard error and how it was found. */
export interface StandardError {
  /**
   * The error of the metric (of its logarithm for DI, see {@link logValue}); `Infinity` when the
   * metric is too unstable to judge (never significant).
   */
  value: number;
  method: 'analytic' | 'bootstrap';
  /** For DI: the (adjusted) ratio whose logarithm {@link value} is the error of. */
  logValue?: number;
}

/** Variance of a proportion x/n, Agresti-Caffo adjusted. */
function proportionVariance(x: number, n: number): number {
  const p = (x + 1) / (n + 2);
  return (p * (1 - p)) / (n + 2);
}

/** Standard error of the difference of two proportions xa/na - xd/nd. */
function differenceError(xa: number, na: number, xd: number, nd: number): number {
  return Math.sqrt(proportionVariance(xa, na) + proportionVariance(xd, nd));
}

/** The analytic standard error of `name`, or `null` where there is none. */
function analyticError(name: BiasMetricName, counts: BiasCounts): number | null {
  const a = side(counts.cells, false);
  const d = side(counts.cells, true);
  const bothLabels = a.label0 > 0 && a.label1 > 0 && d.label0 > 0 && d.label1 > 0;
  switch (name) {
    case 'CI':
      return 2 * Math.sqrt(proportionVariance(d.n, a.n + d.n));
    case 'DPL':
      return differenceError(a.label1, a.n, d.label1, d.n);
    case 'TVD':
    case 'KS':
      return bothLabels ? differenceError(a.label1, a.n, d.label1, d.n) : null;
    case 'LP':
      return bothLabels ? Math.SQRT2 * differenceError(a.label1, a.n, d.label1, d.n) : null;
    case 'DPPL':
      return differenceError(a.pred1, a.n, d.pred1, d.n);
    case 'AD':
      return differenceError(a.tp + a.tn, a.n, d.tp + d.tn, d.n);
    case 'RD':
      return differenceError(a.tp, a.tp + a.fn, d.tp, d.tp + d.fn);
    case 'DAR':
      return differenceError(a.tp, a.pred1, d.tp, d.pred1);
    case 'DRR':
      return differenceError(a.tn, a.pred0, d.tn, d.pred0);
    default:
      return null;
  }
}

/** DI's error, on its logarithm, with the adjusted ratio it belongs to. */
function disparateImpactError(counts: BiasCounts): StandardError {
  const a = side(counts.cells, false);
  const d = side(counts.cells, true);
  const qd = (d.pred1 + 1) / (d.n + 2);
  const qa = (a.pred1 + 1) / (a.n + 2);
  const logVariance = (1 - qd) / ((d.n + 2) * qd) + (1 - qa) / ((a.n + 2) * qa);
  return { value: Math.sqrt(logVariance), method: 'analytic', logValue: qd / qa };
}

/** A Poisson draw: Knuth's product of uniforms below 30, the normal approximation above. */
function poisson(lambda: number, random: RandomSource): number {
  if (lambda <= 0) return 0;
  if (lambda < 30) {
    const limit = Math.exp(-lambda);
    let k = 0;
    let p = random();
    while (p > limit) {
      k++;
      p *= random();
    }
    return k;
  }
  // Box-Muller; 1 - random() is in (0, 1], so the logarithm is finite.
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * z));
}

/** One Poisson-bootstrap replicate of the counts (per group when there are groups). */
function replicate(counts: BiasCounts, random: RandomSource): BiasCounts {
  const r = new BiasCounts();
  if (counts.groups.size === 0) {
    for (let c = 0; c < 8; c++) r.cells[c] = poisson(counts.cells[c]!, random);
    return r;
  }
  // Groups in a fixed order, so the draws do not depend on the order rows arrived in.
  for (const name of [...counts.groups.keys()].sort()) {
    const g = counts.groups.get(name)!;
    const rg = new Float64Array(8);
    for (let c = 0; c < 8; c++) {
      rg[c] = poisson(g[c]!, random);
      r.cells[c]! += rg[c]!;
    }
    r.groups.set(name, rg);
  }
  return r;
}

function bootstrapErrors(names: readonly BiasMetricName[], counts: BiasCounts): Map<BiasMetricName, number> {
  const random = mulberry32(BOOTSTRAP_SEED);
  const values = new Map<BiasMetricName, number[]>(names.map((n) => [n, []]));
  for (let b = 0; b < BOOTSTRAP_REPLICATES; b++) {
    const r = replicate(counts, random);
    for (const name of names) {
      let v: number;
      try {
        v = metricValue(name, r);
      } catch (e) {
        if (!(e instanceof BiasMetricError)) throw e;
        continue;
      }
      if (Number.isFinite(v)) values.get(name)!.push(v);
    }
  }
  const errors = new Map<BiasMetricName, number>();
  for (const [name, xs] of values) {
    if (xs.length < BOOTSTRAP_REPLICATES * (1 - BOOTSTRAP_MAX_UNDEFINED) || xs.length < 2) {
      errors.set(name, Number.POSITIVE_INFINITY);
      continue;
    }
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const squares = xs.reduce((s, x) => s + (x - mean) * (x - mean), 0);
    errors.set(name, Math.sqrt(squares / (xs.length - 1)));
  }
  return errors;
}

/**
 * The standard errors of the metrics `names` on a window's counts: analytic where
 * {@link ANALYTIC_METRICS} has one, else from one shared Poisson bootstrap.
 */
export function standardErrors(
  names: readonly BiasMetricName[],
  counts: BiasCounts,
): Map<BiasMetricName, StandardError> {
  const out = new Map<BiasMetricName, StandardError>();
  const rest: BiasMetricName[] = [];
  for (const name of new Set(names)) {
    if (name === 'DI') {
      out.set(name, disparateImpactError(counts));
      continue;
    }
    const se = analyticError(name, counts);
    if (se === null) rest.push(name);
    else out.set(name, { value: se, method: 'analytic' });
  }
  if (rest.length > 0)
    for (const [name, se] of bootstrapErrors(rest, counts)) out.set(name, { value: se, method: 'bootstrap' });
  return out;
}

/**
 * How far past the baseline's distance from the ideal a window value must be to be significant:
 * `z` standard errors; for DI, how far `z` errors of its logarithm move it toward 1.
 */
export function significanceMargin(se: StandardError, z: number = SIGNIFICANCE_Z): number {
  if (se.logValue === undefined) return z * se.value;
  const di = se.logValue;
  return di < 1 ? di * Math.expm1(z * se.value) : -di * Math.expm1(-z * se.value);
}

/**
 * The margin rule: a violation (`windowDistance > baselineDistance`, distances from the ideal)
 * is significant when it exceeds the baseline's distance by more than {@link significanceMargin}.
 */
export function isSignificant(
  windowDistance: number,
  baselineDistance: number,
  se: StandardError,
  z: number = SIGNIFICANCE_Z,
): boolean {
  const excess = windowDistance - baselineDistance;
  return Number.isFinite(excess) && excess > significanceMargin(se, z);
}
