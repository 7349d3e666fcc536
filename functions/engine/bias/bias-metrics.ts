/**
 * SageMaker Clarify's bias metrics from counts (BIAS.md), with the reference library's rules
 * (aws/amazon-sagemaker-clarify, `smclarify/bias/metrics`): its division (0/0 is 0, x/0 is an
 * infinity of x's sign), its label distributions over the values both sides have, and its
 * "infinity minus infinity is 0" in the differences of ratios. d is the sensitive facet, a
 * everyone else.
 */
import { type BiasCounts, count } from './bias-counts.ts';

/** One metric as Clarify's `analysis.json` lists it. */
export interface BiasMetric {
  name: string;
  description: string;
  /** The metric; an infinity where the library gives one. */
  value: number;
}

/** The pre-training metrics (labels only). */
export const PRE_TRAINING_METRICS = ['CDDL', 'CI', 'DPL', 'JS', 'KL', 'KS', 'LP', 'TVD'] as const;
/** The post-training metrics (labels and predictions); FT, the flip test, is not computed. */
export const POST_TRAINING_METRICS = [
  'AD',
  'CDDPL',
  'DAR',
  'DCA',
  'DCR',
  'DI',
  'DPPL',
  'DRR',
  'GE',
  'RD',
  'TE',
] as const;

/** A pre-training metric's short name. */
export type PreTrainingMetricName = (typeof PRE_TRAINING_METRICS)[number];
/** A post-training metric's short name. */
export type PostTrainingMetricName = (typeof POST_TRAINING_METRICS)[number];
/** Any metric's short name. */
export type BiasMetricName = PreTrainingMetricName | PostTrainingMetricName;

/** The two stages of Clarify's report: labels only, or labels and predictions. */
export type BiasStage = 'pre_training' | 'post_training';

/** The metrics of a stage, in the order Clarify lists them (by name). */
export const STAGE_METRICS: Readonly<Record<BiasStage, readonly BiasMetricName[]>> = {
  pre_training: PRE_TRAINING_METRICS,
  post_training: POST_TRAINING_METRICS,
};

const DESCRIPTION: Readonly<Record<string, string>> = {
  CDDL: 'Conditional Demographic Disparity in Labels (CDDL)',
  CI: 'Class Imbalance (CI)',
  DPL: 'Difference in Positive Proportions in Labels (DPL)',
  JS: 'Jensen-Shannon Divergence (JS)',
  KL: 'Kullback-Liebler Divergence (KL)',
  KS: 'Kolmogorov-Smirnov Distance (KS)',
  LP: 'L-p Norm (LP)',
  TVD: 'Total Variation Distance (TVD)',
  AD: 'Accuracy Difference (AD)',
  CDDPL: 'Conditional Demographic Disparity in Predicted Labels (CDDPL)',
  DAR: 'Difference in Acceptance Rates (DAR)',
  DCA: 'Difference in Conditional Acceptance (DCA)',
  DCR: 'Difference in Conditional Rejection (DCR)',
  DI: 'Disparate Impact (DI)',
  DPPL: 'Difference in Positive Proportions in Predicted Labels (DPPL)',
  DRR: 'Difference in Rejection Rates (DRR)',
  GE: 'Generalized Entropy (GE)',
  RD: 'Recall Difference (RD)',
  TE: 'Treatment Equality (TE)',
};

/** A metric the counts cannot give (an empty facet, no positive label): the library's message. */
export class BiasMetricError extends Error {}

/** The library's division: 0/0 is 0, x/0 an infinity of x's sign. */
export function divide(a: number, b: number): number {
  if (b === 0) return a === 0 ? 0 : a < 0 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return a / b;
}

/** `x - y`, but 0 when both are +infinity (the library's rule for differences of ratios). */
function difference(x: number, y: number): number {
  return x === y && x === Number.POSITIVE_INFINITY ? 0 : x - y;
}

/** Counts of one facet side: everyone else (`sensitive` false) or the sensitive facet. */
export function side(cells: Float64Array, sensitive: boolean) {
  const n = (label?: boolean, predicted?: boolean) => count(cells, { sensitive, label, predicted });
  return {
    n: n(),
    label1: n(true),
    label0: n(false),
    pred1: n(undefined, true),
    pred0: n(undefined, false),
    tp: n(true, true),
    fn: n(true, false),
    fp: n(false, true),
    tn: n(false, false),
  };
}

function sides(cells: Float64Array) {
  const a = side(cells, false);
  const d = side(cells, true);
  if (d.n === 0) throw new BiasMetricError('Facet set is empty');
  if (a.n === 0) throw new BiasMetricError('Negated facet set is empty');
  return { a, d };
}

/** The label distributions of both sides over the label values both have (as the library aligns them). */
function alignedLabelPdfs(cells: Float64Array): { pa: number[]; pd: number[] } {
  const { a, d } = sides(cells);
  const pa: number[] = [];
  const pd: number[] = [];
  // Label values in sorted order: negative (false) before positive (true).
  for (const [ka, kd] of [
    [a.label0, d.label0],
    [a.label1, d.label1],
  ] as const) {
    if (ka > 0 && kd > 0) {
      pa.push(ka / a.n);
      pd.push(kd / d.n);
    }
  }
  if (pa.length === 0)
    throw new BiasMetricError('No instance of common facet found, dataset may be too small');
  return { pa, pd };
}

/** Conditional demographic disparity of `label` (true labels, or predicted labels) over the groups. */
function cdd(counts: BiasCounts, predicted: boolean): number {
  if (counts.groups.size === 0) throw new BiasMetricError('Group variable is empty or not provided');
  const by = (cells: Float64Array, positive: boolean, sensitive?: boolean) =>
    predicted
      ? count(cells, { predicted: positive, sensitive })
      : count(cells, { label: positive, sensitive });
  if (by(counts.cells, true) === 0) throw new BiasMetricError('No positive labels in set');
  if (by(counts.cells, false) === 0) throw new BiasMetricError('No negative labels in set');
  let weighted = 0;
  let total = 0;
  // The library walks the groups in sorted order.
  for (const name of [...counts.groups.keys()].sort()) {
    const g = counts.groups.get(name)!;
    const n = count(g, {});
    const accepted = by(g, true);
    const rejected = by(g, false);
    const A = accepted !== 0 ? by(g, true, true) / accepted : 0;
    const D = rejected !== 0 ? by(g, false, true) / rejected : 0;
    weighted += n * (D - A);
    total += n;
  }
  return divide(weighted, total);
}

const PRE: Readonly<Record<string, (c: BiasCounts) => number>> = {
  CI: (c) => {
    const { a, d } = sides(c.cells);
    return (a.n - d.n) / (a.n + d.n);
  },
  DPL: (c) => {
    const { a, d } = sides(c.cells);
    return a.label1 / a.n - d.label1 / d.n;
  },
  KL: (c) => {
    const { pa, pd } = alignedLabelPdfs(c.cells);
    return pa.reduce((s, p, i) => s + p * Math.log(p / pd[i]!), 0);
  },
  JS: (c) => {
    const { pa, pd } = alignedLabelPdfs(c.cells);
    const m = pa.map((p, i) => (p + pd[i]!) / 2);
    const kl = (x: number[]) => x.reduce((s, p, i) => s + p * Math.log(p / m[i]!), 0);
    return 0.5 * (kl(pa) + kl(pd));
  },
  LP: (c) => {
    const { pa, pd } = alignedLabelPdfs(c.cells);
    return Math.sqrt(pa.reduce((s, p, i) => s + (p - pd[i]!) ** 2, 0));
  },
  TVD: (c) => {
    const { pa, pd } = alignedLabelPdfs(c.cells);
    return 0.5 * pa.reduce((s, p, i) => s + Math.abs(p - pd[i]!), 0);
  },
  KS: (c) => {
    const { pa, pd } = alignedLabelPdfs(c.cells);
    return Math.max(...pa.map((p, i) => Math.abs(p - pd[i]!)));
  },
  CDDL: (c) => cdd(c, false),
};

const POST: Readonly<Record<string, (c: BiasCounts) => number>> = {
  DPPL: (c) => {
    const { a, d } = sides(c.cells);
    return a.pred1 / a.n - d.pred1 / d.n;
  },
  DI: (c) => {
    const { a, d } = sides(c.cells);
    return divide(d.pred1 / d.n, a.pred1 / a.n);
  },
  DCA: (c) => {
    const { a, d } = sides(c.cells);
    return difference(divide(a.label1, a.pred1), divide(d.label1, d.pred1));
  },
  DCR: (c) => {
    const { a, d } = sides(c.cells);
    return difference(divide(d.label0, d.pred0), divide(a.label0, a.pred0));
  },
  RD: (c) => {
    const { a, d } = sides(c.cells);
    return difference(divide(a.tp, a.tp + a.fn), divide(d.tp, d.tp + d.fn));
  },
  DAR: (c) => {
    const { a, d } = sides(c.cells);
    return difference(divide(a.tp, a.pred1), divide(d.tp, d.pred1));
  },
  DRR: (c) => {
    const { a, d } = sides(c.cells);
    return difference(divide(d.tn, d.pred0), divide(a.tn, a.pred0));
  },
  AD: (c) => {
    const { a, d } = sides(c.cells);
    return difference(divide(a.tp + a.tn, a.n), divide(d.tp + d.tn, d.n));
  },
  TE: (c) => {
    const { a, d } = sides(c.cells);
    return difference(divide(d.fn, d.fp), divide(a.fn, a.fp));
  },
  CDDPL: (c) => cdd(c, true),
  GE: (c) => {
    // Generalized entropy with alpha 2 over the benefits b = prediction - label + 1 (0, 1 or 2).
    const cells = c.cells;
    const n = count(cells, {});
    if (n === 0) throw new BiasMetricError('dataset must be non-empty');
    const b0 = count(cells, { label: true, predicted: false });
    const b2 = count(cells, { label: false, predicted: true });
    const b1 = n - b0 - b2;
    const mean = (b1 + 2 * b2) / n;
    if (mean === 0)
      throw new BiasMetricError(
        'All predicted labels are false negatives. There should be at least one prediction that is not false negative.',
      );
    const sum = b0 * -1 + b1 * ((1 / mean) ** 2 - 1) + b2 * ((2 / mean) ** 2 - 1);
    return sum / (n * 2 * 1);
  },
};

/** Clarify's description of a metric (`"Disparate Impact (DI)"`). */
export function metricDescription(name: BiasMetricName): string {
  return DESCRIPTION[name]!;
}

/** The stage a metric belongs to. */
export function stageOf(name: BiasMetricName): BiasStage {
  return (PRE_TRAINING_METRICS as readonly string[]).includes(name) ? 'pre_training' : 'post_training';
}

/** One metric's value; throws {@link BiasMetricError} where the library gives an error. */
export function metricValue(name: BiasMetricName, counts: BiasCounts): number {
  const table = stageOf(name) === 'pre_training' ? PRE : POST;
  return table[name]!(counts);
}

/**
 * One metric as Clarify's `analysis.json` holds it: a value, or `null` with the error text
 * where the counts cannot give one (the library's `MetricError`: name, description, value, error).
 */
export interface BiasMetricResult {
  name: BiasMetricName;
  description: string;
  /** The metric, an infinity where the library gives one; `null` with {@link error}. */
  value: number | null;
  error?: string;
}

/**
 * The metrics `names` of one stage, each computed on its own (one metric's error does not lose
 * the others, as in the library's report), sorted by name.
 */
export function metricResults(counts: BiasCounts, names: readonly BiasMetricName[]): BiasMetricResult[] {
  return [...new Set(names)].sort().map((name) => {
    const description = metricDescription(name);
    try {
      const value = metricValue(name, counts);
      if (Number.isNaN(value))
        return { name, description, value: null, error: 'The metric is undefined for these counts' };
      return { name, description, value };
    } catch (e) {
      if (e instanceof BiasMetricError) return { name, description, value: null, error: e.message };
      throw e;
    }
  });
}

function compute(
  table: Readonly<Record<string, (c: BiasCounts) => number>>,
  names: readonly string[],
  counts: BiasCounts,
): BiasMetric[] {
  return [...names]
    .sort()
    .map((name) => ({ name, description: DESCRIPTION[name]!, value: table[name]!(counts) }));
}

/** The pre-training metrics `names` (all by default) of the counts, sorted by name. */
export function preTrainingMetrics(
  counts: BiasCounts,
  names: readonly string[] = PRE_TRAINING_METRICS,
): BiasMetric[] {
  return compute(PRE, names, counts);
}

/** The post-training metrics `names` (all by default) of the counts, sorted by name. */
export function postTrainingMetrics(
  counts: BiasCounts,
  names: readonly string[] = POST_TRAINING_METRICS,
): BiasMetric[] {
  return compute(POST, names, counts);
}
