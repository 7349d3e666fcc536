import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binaryConfusionMatrix,
  binaryMetrics,
  rocAuc,
} from '../../../functions/engine/quality/binary-metrics.ts';
import { type BinaryLabel, parseBinaryLabel } from '../../../functions/engine/quality/labelled-records.ts';

/** AUC by its definition: the share of (positive, negative) pairs ranked right, ties half. */
function pairwiseAuc(labels: readonly BinaryLabel[], scores: readonly number[]): number | null {
  let wins = 0;
  let pairs = 0;
  labels.forEach((yi, i) => {
    if (yi !== 1) return;
    labels.forEach((yj, j) => {
      if (yj !== 0) return;
      pairs++;
      if (scores[i]! > scores[j]!) wins += 1;
      else if (scores[i] === scores[j]) wins += 0.5;
    });
  });
  return pairs === 0 ? null : wins / pairs;
}

describe('binaryMetrics', () => {
  it('gives a null AUC when only one class is present, and the other metrics still', () => {
    const m = binaryMetrics([1, 1, 1, 1], [0.9, 0.8, 0.3, 0.6]);
    expect(m.auc).toBeNull();
    expect(m.confusionMatrix).toEqual({ tn: 0, fp: 0, fn: 1, tp: 3 });
    expect(m.accuracy).toBe(0.75);
    expect(m.precision).toBe(1);
    expect(m.recall).toBe(0.75);
  });

  it('counts a score equal to the threshold as positive', () => {
    expect(binaryConfusionMatrix([1, 0], [0.3, 0.3], 0.3)).toEqual({ tn: 0, fp: 1, fn: 0, tp: 1 });
  });

  it('reports 0 for undefined ratios (zero_division=0)', () => {
    const m = binaryMetrics([0, 1, 0], [0.1, 0.2, 0.3]);
    expect(m.precision).toBe(0);
    expect(m.recall).toBe(0);
    expect(m.f1).toBe(0);
    expect(m.accuracy).toBeCloseTo(2 / 3, 15);
  });

  it("matches scikit-learn's documented roc_auc_score example and counts ties half", () => {
    expect(rocAuc([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc([0, 1], [0.5, 0.5])).toBe(0.5);
    expect(rocAuc([0, 1, 1, 0], [0.2, 0.2, 0.9, 0.9])).toBe(0.5);
  });

  it('equals the pairwise definition of AUC on any data', () => {
    const data = fc
      .array(fc.tuple(fc.constantFrom<BinaryLabel>(0, 1), fc.integer({ min: 0, max: 10 })), { maxLength: 60 })
      .map((rows) => ({ labels: rows.map((r) => r[0]), scores: rows.map((r) => r[1] / 10) }));
    fc.assert(
      fc.property(data, ({ labels, scores }) => {
        const expected = pairwiseAuc(labels, scores);
        const actual = rocAuc(labels, scores);
        if (expected === null) expect(actual).toBeNull();
        else expect(actual).toBeCloseTo(expected, 12);
      }),
    );
  });

  it('refuses an empty window instead of inventing an accuracy', () => {
    expect(() => binaryMetrics([], [])).toThrow(/no records/);
  });
});

describe('parseBinaryLabel', () => {
  it.each([
    [1, 1],
    [0, 0],
    [1.0, 1],
    ['1', 1],
    ['0', 0],
    ['1.0', 1],
    [' 0 ', 0],
    [true, 1],
    [false, 0],
    ['True', 1],
    ['false', 0],
  ] as const)('reads %j as %j', (raw, expected) => {
    expect(parseBinaryLabel(raw)).toBe(expected);
  });

  it.each([2, -1, 0.5, '', 'yes', '0x1', 'NaN', null, undefined, {}])('rejects %j', (raw) => {
    expect(parseBinaryLabel(raw)).toBeNull();
  });
});
