/**
 * Binary classification quality estimated from the scores alone, before any label arrives
 * (confidence-based performance estimation, as NannyML's CBPE does it).
 */

import { NeumaierSum } from '../stats/summation.ts';
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
  const tp = new NeumaierSum();
  const fp = new NeumaierSum();
  const fn = new NeumaierSum();
  const tn = new NeumaierSum();
  let count = 0;
  for (const raw of scores) {
    const s = parseFiniteNumber(raw);
    if (s === null || s < 0 || s > 1) continue;
    count++;
    if (s >= threshold) {
      tp.add(s);
      fp.add(1 - s);
    } else {
      fn.add(s);
      tn.add(1 - s);
    }
  }
  if (count === 0) return null;
  const m: BinaryConfusionMatrix = { tn: tn.value(), fp: fp.value(), fn: fn.value(), tp: tp.value() };
  const precision = divideOrZero(m.tp, m.tp + m.fp);
  const recall = divideOrZero(m.tp, m.tp + m.fn);
  return {
    method: 'confidence-based',
    count,
    invalidScores: scores.length - count,
    threshold,
    confusionMatrix: m,
    accuracy: (m.tp + m.tn) / count,
    precision,
    recall,
    f1: fBeta(precision, recall, 1),
  };
}
