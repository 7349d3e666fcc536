import { describe, expect, it } from 'vitest';
import { classKey } from '../../../functions/engine/quality/labelled-records.ts';
import { multiclassMetrics, sortClasses } from '../../../functions/engine/quality/multiclass-metrics.ts';

describe('multiclassMetrics', () => {
  it('averages over the classes of labels and predictions both, weighted by label support', () => {
    // Classes a, b, c, d; d only predicted, so it has no support but counts in the macro mean.
    // precision a 1, b 1/2, c 0, d 0; recall a 1/2, b 1, c 0, d 0; f1 a 2/3, b 2/3, c 0, d 0.
    const m = multiclassMetrics(['a', 'a', 'b', 'c'], ['a', 'b', 'b', 'd']);
    expect(m.accuracy).toBe(0.5);
    expect(m.precision_macro).toBeCloseTo(0.375, 15);
    expect(m.recall_macro).toBeCloseTo(0.375, 15);
    expect(m.f1_macro).toBeCloseTo(1 / 3, 15);
    expect(m.precision_weighted).toBeCloseTo(0.625, 15);
    expect(m.recall_weighted).toBeCloseTo(0.5, 15);
    expect(m.f1_weighted).toBeCloseTo(0.5, 15);
  });

  it('matches numeric labels written as text with numeric predictions', () => {
    const labels = ['1', '2.0', 3].map((v) => classKey(v)!);
    const predictions = [1.0, 2, '1'].map((v) => classKey(v)!);
    expect(multiclassMetrics(labels, predictions).accuracy).toBeCloseTo(2 / 3, 15);
  });

  it('sorts numeric classes numerically and others as text', () => {
    expect(sortClasses(['10', '2', '1'])).toEqual(['1', '2', '10']);
    expect(sortClasses(['b', 'B', 'a', '10'])).toEqual(['10', 'B', 'a', 'b']);
  });
});
