/**
 * Confidence-based estimation rests on calibration: these tests generate data where the truth is
 * known, once with calibrated scores (the estimate must match what the labels then show) and once
 * with an overconfident model (the estimate must visibly miss: that is the assumption's price).
 */

import { describe, expect, it } from 'vitest';
import { binaryMetrics } from '../../../functions/engine/quality/binary-metrics.ts';
import { estimateBinaryQuality } from '../../../functions/engine/quality/estimated-quality.ts';
import { parseBinaryLabel } from '../../../functions/engine/quality/labelled-records.ts';
import { generatedBinaryRecords } from './generated-scores.ts';

function realisedAndEstimated(truth?: (score: number) => number) {
  const records = generatedBinaryRecords(20_000, 2024, truth);
  const labels = records.map((r) => parseBinaryLabel(r.label)!);
  const scores = records.map((r) => r.score!);
  return { realised: binaryMetrics(labels, scores), estimated: estimateBinaryQuality(scores)! };
}

describe('estimateBinaryQuality', () => {
  it('sums the scores into the expected confusion matrix', () => {
    const e = estimateBinaryQuality([0.9, 0.6, 0.2, 0.5])!;
    expect(e.confusionMatrix.tp).toBeCloseTo(0.9 + 0.6 + 0.5, 15);
    expect(e.confusionMatrix.fp).toBeCloseTo(0.1 + 0.4 + 0.5, 15);
    expect(e.confusionMatrix.fn).toBeCloseTo(0.2, 15);
    expect(e.confusionMatrix.tn).toBeCloseTo(0.8, 15);
    expect(e.accuracy).toBeCloseTo((2 + 0.8) / 4, 15);
    expect(e.precision).toBeCloseTo(2 / 3, 15);
    expect(e.recall).toBeCloseTo(2 / 2.2, 15);
  });

  it('matches the realised quality within 0.02 when the scores are calibrated', () => {
    const { realised, estimated } = realisedAndEstimated();
    expect(Math.abs(estimated.accuracy - realised.accuracy)).toBeLessThan(0.02);
    expect(Math.abs(estimated.precision - realised.precision)).toBeLessThan(0.02);
    expect(Math.abs(estimated.recall - realised.recall)).toBeLessThan(0.02);
    expect(Math.abs(estimated.f1 - realised.f1)).toBeLessThan(0.02);
  });

  it('overestimates an overconfident model: calibration is the assumption', () => {
    // The true chance of a positive is much closer to 1/2 than the score claims.
    const { realised, estimated } = realisedAndEstimated((s) => 0.5 + (s - 0.5) * 0.4);
    expect(realised.accuracy).toBeCloseTo(0.6, 1);
    expect(estimated.accuracy).toBeCloseTo(0.75, 1);
    expect(estimated.accuracy - realised.accuracy).toBeGreaterThan(0.1);
  });

  it('leaves out scores that are not probabilities, and counts them', () => {
    const e = estimateBinaryQuality([0.9, 1.7, -0.1, Number.NaN, '0.2', 'x'])!;
    expect(e.count).toBe(2);
    expect(e.invalidScores).toBe(4);
    expect(estimateBinaryQuality([2, 3])).toBeNull();
  });
});
