/**
 * The metrics of a {@link QualityPartial}: of the whole window (sample 0) and of each of
 * SageMaker's 5 bootstrap samples (1..5), whose spread gives the `standard_deviation` of every
 * metric in model-quality `statistics.json`.
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import type { QualityMetricValues } from '../../contracts/quality-metric-names.ts';
import { rocAucFromCounts, type ThresholdCounts, thresholdCountsOfSorted } from './binary-curves.ts';
import { binaryMetricsOf } from './binary-metrics.ts';
import { SAMPLES } from './key-hash.ts';
import {
  type MulticlassConfusion,
  multiclassConfusionOf,
  multiclassMetricsOf,
} from './multiclass-metrics.ts';
import { LABEL_BIT, type QualityPartial } from './quality-partial.ts';
import { regressionMetricsOf } from './regression-metrics.ts';
import { binaryValuesOf, multiclassValuesOf } from './sagemaker-quality-statistics-values.ts';
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
}

/** The scores of the records in `sample` (0: all) with the given label, sorted ascending. */
function sortedScores(scores: Float64Array, flags: Uint8Array, label: 0 | 1, sample: number): Float64Array {
  const bit = sample === 0 ? 0 : 1 << sample;
  let n = 0;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if ((f & LABEL_BIT) === label && (bit === 0 || f & bit)) n++;
  }
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    if ((f & LABEL_BIT) === label && (bit === 0 || f & bit)) out[j++] = scores[i]!;
  }
  // A typed array sorts numerically without a comparator, much faster than Array.sort.
  return out.sort();
}

/** Records of a sorted array at or above the threshold. */
function atOrAbove(sorted: Float64Array, threshold: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < threshold) lo = mid + 1;
    else hi = mid;
  }
  return sorted.length - lo;
}

function binarySample(p: QualityPartial, sample: number) {
  const { scores, flags } = p.binaryRecords();
  const pos = sortedScores(scores, flags, 1, sample);
  const neg = sortedScores(scores, flags, 0, sample);
  const tp = atOrAbove(pos, p.threshold);
  const fp = atOrAbove(neg, p.threshold);
  const m: BinaryConfusionMatrix = { tn: neg.length - fp, fp, fn: pos.length - tp, tp };
  const counts = thresholdCountsOfSorted(pos, neg);
  const auc = rocAucFromCounts(counts);
  return { m, auc, counts, n: pos.length + neg.length };
}

function multiclassSample(p: QualityPartial, sample: number): MulticlassConfusion {
  const pairs: [string, string, number][] = [];
  for (const [label, row] of p.cells)
    for (const [predicted, cell] of row) if (cell[sample]! > 0) pairs.push([label, predicted, cell[sample]!]);
  return multiclassConfusionOf(pairs);
}

/** The metrics of the whole window and of each bootstrap sample. */
export function partialMetrics(p: QualityPartial): PartialMetrics {
  const type: ProblemType = p.problemType;
  const samples: SampleMetrics[] = [];
  if (type === 'BinaryClassification') {
    const whole = binarySample(p, 0);
    for (let s = 1; s <= SAMPLES; s++) {
      const b = binarySample(p, s);
      samples.push({ count: b.n, values: binaryValuesOf(b.m, b.auc) });
    }
    return {
      metrics: whole.n === 0 ? null : binaryMetricsOf(whole.m, whole.auc),
      whole: { count: whole.n, values: binaryValuesOf(whole.m, whole.auc) },
      samples,
      counts: whole.counts,
      binaryConfusion: whole.m,
      multiclassConfusion: null,
    };
  }
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
