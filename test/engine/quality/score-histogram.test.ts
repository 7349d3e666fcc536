/**
 * Past the exact limit a window's binary scores become a histogram (score-histogram.ts): the
 * confusion counts stay exact, the ROC AUC stays within the bound the report states, parts
 * merge to the whole, and the partial's state carries it between steps.
 */
import { describe, expect, it } from 'vitest';
import { hashKey64, sampleMask } from '../../../functions/engine/quality/key-hash.ts';
import { partialMetrics } from '../../../functions/engine/quality/partial-metrics.ts';
import { QualityPartial } from '../../../functions/engine/quality/quality-partial.ts';
import { reportOfPartial } from '../../../functions/engine/quality/quality-report.ts';
import { generatedBinaryRecords } from './generated-scores.ts';

const JOIN = { matched: 0, unmatchedPredictions: 0, unmatchedLabels: 0, duplicateLabels: 0 };

/** A partial of `records` (from `from`), keeping `limit` scores exactly. */
function partialOf(records: { score?: number; label: unknown }[], limit: number, from = 0) {
  const p = new QualityPartial('BinaryClassification', 0.5, [], limit);
  const hash = new Uint32Array(2);
  records.forEach((r, i) => {
    hashKey64(`k${from + i}`, hash);
    p.addBinary(r.score!, r.label as 0 | 1, sampleMask(hash[0]!, hash[1]!));
  });
  return p;
}

describe('a binary window past the exact limit', () => {
  const records = generatedBinaryRecords(20_000, 3);
  const exact = partialMetrics(partialOf(records, 1e9));
  const approximate = partialOf(records, 5_000);
  const metrics = partialMetrics(approximate);

  it('keeps the confusion counts and their metrics exact', () => {
    expect(approximate.histogram).not.toBeNull();
    expect(metrics.binaryConfusion).toEqual(exact.binaryConfusion);
    expect(metrics.whole.values.accuracy).toBe(exact.whole.values.accuracy);
    expect(metrics.whole.values.f1).toBe(exact.whole.values.f1);
    expect(metrics.samples.map((s) => s.count)).toEqual(exact.samples.map((s) => s.count));
  });

  it('gives the ROC AUC within the bound it states, a small one', () => {
    const bound = metrics.approximation!.aucErrorBound;
    expect(Math.abs(metrics.whole.values.auc! - exact.whole.values.auc!)).toBeLessThanOrEqual(bound);
    expect(bound).toBeGreaterThan(0);
    expect(bound).toBeLessThan(1e-5);
    const report = reportOfPartial(approximate, metrics, { join: JOIN, slices: false });
    expect(report.approximation).toEqual({ method: 'score-histogram', bins: 65_536, aucErrorBound: bound });
    // Below the limit the report has no such field.
    expect(
      'approximation' in reportOfPartial(partialOf(records, 1e9), exact, { join: JOIN, slices: false }),
    ).toBe(false);
  });

  it('merges parts, exact or not, into the whole, and survives its state', () => {
    const a = partialOf(records.slice(0, 12_000), 5_000, 0);
    const b = partialOf(records.slice(12_000), 10_000, 12_000);
    expect(a.histogram).not.toBeNull();
    expect(b.histogram).toBeNull();
    const merged = new QualityPartial('BinaryClassification', 0.5, [], 5_000);
    merged.merge(QualityPartial.fromState(a.toState(), []));
    merged.merge(b);
    const m = partialMetrics(merged);
    expect(m.whole).toEqual(metrics.whole);
    expect(m.samples).toEqual(metrics.samples);
    expect(m.approximation).toEqual(metrics.approximation);
  });
});
