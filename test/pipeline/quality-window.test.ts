/**
 * How a run slices a window's features for quality (functions/pipeline/quality-window.ts): from
 * the data baseline's deciles and categories.
 */
import { describe, expect, it } from 'vitest';
import { BaselineBuilder } from '../../functions/engine/drift/baseline.ts';
import { binEdges } from '../../functions/engine/stats/binning.ts';
import { sliceBaselines } from '../../functions/pipeline/quality-window.ts';

describe('sliceBaselines', () => {
  it('bins numeric inputs at the baseline deciles and lists categorical inputs’ categories', () => {
    const b = new BaselineBuilder(['age', 'city', 'user', 'label', 'score'], {
      labelColumn: 'label',
      outputColumns: ['score'],
    });
    for (let i = 1; i <= 300; i++)
      b.addFields([String(i % 100), i % 2 ? 'Paris' : 'Rome', `u${i}`, '0', '0.5']);
    const baseline = b.finish();
    const slices = sliceBaselines(baseline);
    const age = baseline.features.find((f) => f.name === 'age')!;
    expect(slices.age).toEqual({
      kind: 'numeric',
      binEdges: binEdges(age.profile.numeric!.weightedSample()),
    });
    expect(slices.age?.kind === 'numeric' && slices.age.binEdges.length).toBe(9);
    expect(slices.city).toEqual({ kind: 'categorical', categories: ['Paris', 'Rome'] });
    // An id-like column (300 distinct values) keeps no distribution; outputs and the label are not inputs.
    expect(Object.keys(slices).sort()).toEqual(['age', 'city']);
  });
});
