/**
 * Binary classification quality estimated from the scores alone, before any label arrives
 * (confidence-based performance estimation, as NannyML's CBPE does it).
 */

import { type NeumaierState, NeumaierSum } from '../stats/summation.ts';
import { DEFAULT_PROBABILITY_THRESHOLD } from './binary-metrics.ts';
import { parseFiniteNumber } from './labelled-records.ts';
import { divideOrZero, fBeta } from './precision-recall.ts';
import type { BinaryConfusionMatrix } from './types.ts';

/** The expected quality of a window of scores. */
export interface EstimatedQuality {
  method: 'confidence-based';
  /** Scores the estimate is made from. */
  count: number;
  /** Scores left out: not a number, or outside [0, 1] (not a probability). */
  invalidScores: number;
  threshold: number;
  /** Expected counts: fractional, they sum to `count`. */
  confusionMatrix: BinaryConfusionMatrix;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** {@link EstimateSums} as plain data, to merge parts of a window. */
export interface EstimateState {
  threshold: number;
  count: number;
  invalid: number;
  tp: NeumaierState;
  fp: NeumaierState;
  fn: NeumaierState;
  tn: NeumaierState;
}

/**
 * The expected confusion counts of a window's scores, as sums that merge across files, threads
 * and fan-out workers (see {@link estimateBinaryQuality} for what they assume).
 */
export class EstimateSums {
  private readonly tp = new NeumaierSum();
  private readonly fp = new NeumaierSum();
  private readonly fn = new NeumaierSum();
  private readonly tn = new NeumaierSum();
  private count = 0;
  private invalid = 0;

  constructor(readonly threshold: number = DEFAULT_PROBABILITY_THRESHOLD) {}

  /** Adds one row's score; `null` (not a number) or outside [0, 1] is counted as invalid. */
  add(s: number | null): void {
    if (s === null || s < 0 || s > 1) {
      this.invalid++;
      return;
    }
    this.count++;
    if (s >= this.threshold) {
      this.tp.add(s);
      this.fp.add(1 - s);
    } else {
      this.fn.add(s);
      this.tn.add(1 - s);
    }
  }

  state(): EstimateState {
    return {
      threshold: this.threshold,
      count: this.count,
      invalid: this.invalid,
      tp: this.tp.state(),
      fp: this.fp.state(),
      fn: this.fn.state(),
      tn: this.tn.state(),
    };
  }

  /** Adds a part's sums (made with the same threshold). */
  merge(s: EstimateState): void {
    this.count += s.count;
    this.invalid += s.invalid;
    this.tp.addState(s.tp);
    this.fp.addState(s.fp);
    this.fn.addState(s.fn);
    this.tn.addState(s.tn);
  }

  /** The estimate; `null` when no score is a probability. */
  estimate(): EstimatedQuality | null {
    if (this.count === 0) return null;
    const m: BinaryConfusionMatrix = {
      tn: this.tn.value(),
      fp: this.fp.value(),
      fn: this.fn.value(),
      tp: this.tp.value(),
    };
    const precision = divideOrZero(m.tp, m.tp + m.fp);
    const recall = divideOrZero(m.tp, m.tp + m.fn);
    return {
      method: 'confidence-based',
      count: this.count,
      invalidScores: this.invalid,
      threshold: this.threshold,
      confusionMatrix: m,
      accuracy: (m.tp + m.tn) / this.count,
      precision,
      recall,
      f1: fBeta(precision, recall, 1),
    };
  }

  /** Sums rebuilt from a part's state. */
  static fromState(s: EstimateState): EstimateSums {
    const sums = new EstimateSums(s.threshold);
    sums.merge(s);
    return sums;
  }
}

/**
 * Estimates accuracy, precision, recall and F1 of a binary classifier from its scores.
 *
 * **Assumption: the scores are calibrated probabilities**, P(label = 1 | score = s) = s. Then a
 * record predicted positive (s >= threshold) is a true positive with probability s and a false
 * positive with probability 1 - s; one predicted negative is a false negative with probability s
 * and a true negative with probability 1 - s. Summing those gives the expected confusion matrix,
 * and the metrics are read off it (ratios of expected counts, which is close to the expected
 * ratio when the window is large).
 *
 * When scores are not calibrated (a raw margin squashed into [0, 1], a model overconfident after
 * drift, a classifier trained on rebalanced classes) the estimate is biased, typically towards
 * looking better than the model is: recalibrate on recent labelled data (Platt or isotonic)
 * before trusting it, and compare it with the realised metrics once labels arrive. Concept drift
 * (the same inputs now meaning other labels) is invisible to it by construction.
 *
 * @returns `null` when no score is a probability.
 */
export function estimateBinaryQuality(
  scores: readonly unknown[],
  threshold: number = DEFAULT_PROBABILITY_THRESHOLD,
): EstimatedQuality | null {
  const sums = new EstimateSums(threshold);
  for (const raw of scores) sums.add(parseFiniteNumber(raw));
  return sums.estimate();
}
