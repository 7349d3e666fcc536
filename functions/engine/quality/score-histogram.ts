/**
 * The binary scores of a very large window as a histogram, for when keeping each labelled
 * prediction's score (9 bytes, quality-partial.ts) would outgrow the reducer: 65,536 equal bins
 * over [0, 1] (a score outside falls in the end bin), per label and per bootstrap sample, 6.3 MB
 * whatever the window, plus the exact confusion counts at the threshold per sample.
 *
 * What it costs in exactness, and no more: the confusion counts (accuracy, precision, recall,
 * F-scores, rates) stay exact; the ROC AUC counts every (positive, negative) pair that falls in
 * one bin as a tie (half), where the exact AUC counts it 0, 1/2 or 1, so
 * |AUC - exact AUC| <= (1/2) * sum over bins of P_b * N_b / (P * N), a bound computed from the
 * histogram itself and written in the report; the curves take the bins' lower edges as their
 * thresholds.
 */
import type { ThresholdCounts } from './binary-curves.ts';
import { SAMPLES } from './key-hash.ts';
import type { BinaryConfusionMatrix } from './types.ts';

/** Bins of the histogram over [0, 1]. */
export const HISTOGRAM_BINS = 65_536;

/** What a sweep of one sample of the histogram gives. */
export interface HistogramSweep {
  confusion: BinaryConfusionMatrix;
  auc: number | null;
  /** The most |AUC - exact AUC| can be; 0 when no bin holds both classes. */
  aucErrorBound: number;
  counts: ThresholdCounts | null;
}

/** {@link ScoreHistogram} as plain data. */
export interface ScoreHistogramState {
  threshold: number;
  counts: Float64Array;
  confusion: Float64Array;
}

const B = HISTOGRAM_BINS;

/** Per sample (0 the whole window, s + 1 sample s), per label, per bin: records. */
export class ScoreHistogram {
  readonly counts = new Float64Array((SAMPLES + 1) * 2 * B);
  /** Per sample: tp, fp, fn, tn at the threshold. */
  readonly confusion = new Float64Array((SAMPLES + 1) * 4);

  constructor(readonly threshold: number) {}

  private static binOf(score: number): number {
    const b = Math.floor(score * B);
    return b < 0 ? 0 : b >= B ? B - 1 : b;
  }

  /** Adds one evaluated record: its score, its 0/1 label and its bootstrap samples (bits 0 to 4). */
  add(score: number, label: 0 | 1, mask: number): void {
    const bin = ScoreHistogram.binOf(score);
    const cell = (score >= this.threshold ? 0 : 2) + (label === 1 ? 0 : 1);
    for (let s = 0; s <= SAMPLES; s++) {
      if (s > 0 && !(mask & (1 << (s - 1)))) continue;
      this.counts[(s * 2 + label) * B + bin]!++;
      this.confusion[s * 4 + cell]!++;
    }
  }

  merge(o: ScoreHistogram | ScoreHistogramState): void {
    for (let i = 0; i < this.counts.length; i++) this.counts[i]! += o.counts[i]!;
    for (let i = 0; i < this.confusion.length; i++) this.confusion[i]! += o.confusion[i]!;
  }

  state(): ScoreHistogramState {
    return { threshold: this.threshold, counts: this.counts.slice(), confusion: this.confusion.slice() };
  }

  static fromState(state: ScoreHistogramState): ScoreHistogram {
    const h = new ScoreHistogram(state.threshold);
    h.merge(state);
    return h;
  }

  /** The sweep of one sample (0: every record) from the highest bin down. */
  sweep(sample: number, withCounts: boolean): HistogramSweep {
    const pos = (sample * 2 + 1) * B;
    const neg = sample * 2 * B;
    const counts: ThresholdCounts | null = withCounts
      ? { thresholds: [], truePositives: [], falsePositives: [], positives: 0, negatives: 0 }
      : null;
    let tp = 0;
    let fp = 0;
    let twiceArea = 0;
    let tiedPairs = 0;
    for (let b = B - 1; b >= 0; b--) {
      const p = this.counts[pos + b]!;
      const n = this.counts[neg + b]!;
      if (p + n === 0) continue;
      twiceArea += n * (2 * tp + p);
      tiedPairs += p * n;
      tp += p;
      fp += n;
      if (counts !== null) {
        counts.thresholds.push(b / B);
        counts.truePositives.push(tp);
        counts.falsePositives.push(fp);
      }
    }
    if (counts !== null) {
      counts.positives = tp;
      counts.negatives = fp;
    }
    const c = this.confusion.subarray(sample * 4, sample * 4 + 4);
    const oneClass = tp === 0 || fp === 0;
    return {
      confusion: { tp: c[0]!, fp: c[1]!, fn: c[2]!, tn: c[3]! },
      auc: oneClass ? null : twiceArea / (2 * tp * fp),
      aucErrorBound: oneClass ? 0 : tiedPairs / (2 * tp * fp),
      counts,
    };
  }
}
