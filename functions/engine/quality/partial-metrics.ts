/**
 * The metrics of a {@link QualityPartial}: of the whole window (sample 0) and of each of
 * SageMaker's 5 bootstrap samples (1..5), whose spread gives the `standard_deviation` of every
 * metric in model-quality `statistics.json`.
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import type { QualityMetricValues } from '../../contracts/quality-metric-names.ts';
import type { ThresholdCounts } from './binary-curves.ts';
import { binaryMetricsOf } from './binary-metrics.ts';
import { SAMPLES } from './key-hash.ts';
import {
  type MulticlassConfusion,
  multiclassConfusionOf,
  multiclassMetricsOf,
} from './multiclass-metrics.ts';
import type { QualityPartial } from './quality-partial.ts';
import { regressionMetricsOf } from './regression-metrics.ts';
import { binaryValuesOf, multiclassValuesOf } from './sagemaker-quality-statistics-values.ts';
import { HISTOGRAM_BINS } from './score-histogram.ts';
import { type SampleSweep, sortScoreRun, sweepScoreRun } from './score-run.ts';
import type { BinaryConfusionMatrix, QualityMetrics } from './types.ts';

/** The metrics of one sample (or of the whole window). */
export interface SampleMetrics {
  /** Records in the sample. */
  count: number;
  /** SageMaker's metric values by name. */
  values: QualityMetricValues;
}

/** What the report and `statistics.json` read off a partial. */
export interface PartialMetrics {
  /** `report.json`'s metrics; `null` when no record was evaluated. */
  metrics: QualityMetrics | null;
  whole: SampleMetrics;
  /** The 5 bootstrap samples. */
  samples: SampleMetrics[];
  /** BinaryClassification: the threshold sweep of the whole window (for the curves). */
  counts: ThresholdCounts | null;
  /** Binary: the confusion counts; multiclass: the confusion of the whole window. */
  binaryConfusion: BinaryConfusionMatrix | null;
  multiclassConfusion: MulticlassConfusion | null;
  /** Set when the ROC AUC and curves come from a score histogram (past the exact limit). */
  approximation?: ScoreApproximation;
}

/** How far the ROC AUC of a histogram may be from the exact one (score-histogram.ts). */
export interface ScoreApproximation {
  method: 'score-histogram';
  bins: number;
  /** |AUC - exact AUC| is at most this. */
  aucErrorBound: number;
}

function sizeOf(m: BinaryConfusionMatrix): number {
  return m.tp + m.fp + m.fn + m.tn;
}

function multiclassSample(p: QualityPartial, sample: number): MulticlassConfusion {
  const pairs: [string, string, number][] = [];
  for (const [label, row] of p.cells)
    for (const [predicted, cell] of row) if (cell[sample]! > 0) pairs.push([label, predicted, cell[sample]!]);
  return multiclassConfusionOf(pairs);
}

/**
 * A binary window's metrics from a sweep of each sample: of the sorted scores (exact), or of
 * the score histogram past the exact limit (its AUC within the bound it reports).
 */
function binaryMetrics(p: QualityPartial): PartialMetrics {
  // A histogram's sweep also says how far its AUC may be from the exact one.
  let sweep: (sample: number, withCounts: boolean) => SampleSweep & { aucErrorBound?: number };
  if (p.histogram !== null) sweep = (s, withCounts) => p.histogram!.sweep(s, withCounts);
  else {
    const { scores, flags } = p.binaryRecords();
    const run = sortScoreRun(scores, flags);
    sweep = (s, withCounts) => sweepScoreRun(run, s, p.threshold, withCounts);
  }
  const whole = sweep(0, true);
  const samples: SampleMetrics[] = [];
  for (let s = 1; s <= SAMPLES; s++) {
    const b = sweep(s, false);
    samples.push({ count: sizeOf(b.confusion), values: binaryValuesOf(b.confusion, b.auc) });
  }
  const n = sizeOf(whole.confusion);
  const bound = whole.aucErrorBound;
  return {
    metrics: n === 0 ? null : binaryMetricsOf(whole.confusion, whole.auc),
    whole: { count: n, values: binaryValuesOf(whole.confusion, whole.auc) },
    samples,
    counts: whole.counts,
    binaryConfusion: whole.confusion,
    multiclassConfusion: null,
    ...(bound !== undefined
      ? { approximation: { method: 'score-histogram', bins: HISTOGRAM_BINS, aucErrorBound: bound } }
      : {}),
  };
}

/** The metrics of the whole window and of each bootstrap sample. */
export function partialMetrics(p: QualityPartial): PartialMetrics {
  const type: ProblemType = p.problemType;
  const samples: SampleMetrics[] = [];
  if (type === 'BinaryClassification') return binaryMetrics(p);
  if (type === 'MulticlassClassification') {
    const whole = multiclassSample(p, 0);
    for (let s = 1; s <= SAMPLES; s++) {
      const c = multiclassSample(p, s);
      samples.push({ count: c.total, values: multiclassValuesOf(c) });
    }
    return {
      metrics: whole.total === 0 ? null : multiclassMetricsOf(whole),
      whole: { count: whole.total, values: multiclassValuesOf(whole) },
      samples,
      counts: null,
      binaryConfusion: null,
      multiclassConfusion: whole,
    };
  }
  const values = (s: number): QualityMetricValues => {
    const r = p.regression[s]!;
    return r.n === 0 ? { mae: null, mse: null, rmse: null, r2: null } : { ...regressionMetricsOf(r) };
  };
  for (let s = 1; s <= SAMPLES; s++) samples.push({ count: p.regression[s]!.n, values: values(s) });
  const whole = p.regression[0]!;
  return {
    metrics: whole.n === 0 ? null : regressionMetricsOf(whole),
    whole: { count: whole.n, values: values(0) },
    samples,
    counts: null,
    binaryConfusion: null,
    multiclassConfusion: null,
  };
}
