import { describe, expect, it } from 'vitest';
import { analyseSlices } from '../../../functions/engine/quality/slice-analysis.ts';
import {
  binLabels,
  binOf,
  type SliceBaseline,
  worstSlices,
} from '../../../functions/engine/quality/slices.ts';
import type { FeatureValue, LabelledPrediction } from '../../../functions/engine/quality/types.ts';

/** `n` binary records with the given features, the first `wrong` of them predicted wrong. */
function group(n: number, wrong: number, age: FeatureValue, color: FeatureValue): LabelledPrediction[] {
  return Array.from({ length: n }, (_, i) => ({
    label: 1,
    score: i < wrong ? 0.1 : 0.9,
    features: { age, color },
  }));
}

// 100 records, 22 wrong: overall error rate 0.22.
const RECORDS = [
  ...group(40, 4, 20, 'red'),
  ...group(30, 6, 40, 'blue'),
  ...group(10, 2, '40', 'green'), // numeric text still bins; green is not in the baseline
  ...group(5, 5, 60, null),
  ...group(5, 0, 60, 'green'),
  ...group(10, 5, null, 'red'),
];

const BASELINES: Record<string, SliceBaseline> = {
  age: { kind: 'numeric', binEdges: [30, 50] },
  color: { kind: 'categorical', categories: ['red', 'blue'] },
};

describe('analyseSlices', () => {
  const analysis = analyseSlices('BinaryClassification', RECORDS, BASELINES);
  const row = (feature: string, slice: string) =>
    analysis.slices.find((s) => s.feature === feature && s.slice === slice);

  it('measures the whole window', () => {
    expect(analysis).toMatchObject({ measure: 'errorRate', overall: 0.22, count: 100 });
  });

  it('slices a numeric feature by the baseline bins, right-closed, with missing values apart', () => {
    const age = analysis.slices.filter((s) => s.feature === 'age');
    expect(age.map((s) => [s.slice, s.support, s.error])).toEqual([
      ['(-inf, 30]', 40, 0.1],
      ['(30, 50]', 40, 0.2],
      ['(50, inf)', 10, 0.5],
      ['(missing)', 10, 0.5],
    ]);
    expect(row('age', '(missing)')?.missing).toBe(true);
    expect(row('age', '(-inf, 30]')?.difference).toBeCloseTo(0.1 - 0.22, 15);
  });

  it('slices a categorical feature by value and names a category the baseline never had', () => {
    const color = analysis.slices.filter((s) => s.feature === 'color');
    expect(color.map((s) => [s.slice, s.support, s.error, s.unseen ?? false])).toEqual([
      ['red', 50, 9 / 50, false],
      ['blue', 30, 0.2, false],
      ['green', 15, 2 / 15, true],
      ['(missing)', 5, 1, false],
    ]);
  });

  it('measures regression slices by their mean absolute error', () => {
    const regression = analyseSlices(
      'Regression',
      [
        { label: 10, prediction: 11, features: { region: 'north' } },
        { label: 10, prediction: 13, features: { region: 'north' } },
        { label: 10, prediction: 10, features: { region: 'south' } },
        { label: 7, prediction: 7, features: { region: 'south' } },
      ],
      { region: { kind: 'categorical', categories: ['north', 'south'] } },
    );
    expect(regression.measure).toBe('mae');
    expect(regression.overall).toBe(1);
    expect(regression.slices.map((s) => [s.slice, s.error, s.difference])).toEqual([
      ['north', 2, 1],
      ['south', 0, -1],
    ]);
  });
});

describe('worstSlices', () => {
  const { slices } = analyseSlices('BinaryClassification', RECORDS, BASELINES);

  it('lists the slices with enough support, worst first (ties: more support first)', () => {
    expect(worstSlices(slices).map((s) => `${s.feature} ${s.slice}`)).toEqual([
      'age (30, 50]',
      'color blue',
      'color red',
      'age (-inf, 30]',
    ]);
  });

  it('honours minSupport and limit', () => {
    expect(worstSlices(slices, { minSupport: 5, limit: 3 }).map((s) => `${s.feature} ${s.slice}`)).toEqual([
      'color (missing)',
      'age (50, inf)',
      'age (missing)',
    ]);
  });
});

describe('binLabels and binOf', () => {
  it('labels right-closed intervals and bins x by the edges strictly below it', () => {
    expect(binLabels([1.5, 2.3])).toEqual(['(-inf, 1.5]', '(1.5, 2.3]', '(2.3, inf)']);
    expect(binLabels([])).toEqual(['(-inf, inf)']);
    expect([1, 1.5, 1.6, 2.3, 9].map((x) => binOf([1.5, 2.3], x))).toEqual([0, 0, 1, 1, 2]);
  });

  it('prints edges short, with more digits only where two would look alike', () => {
    expect(binLabels([0.1234567891, 0.1234568])).toEqual([
      '(-inf, 0.12345679]',
      '(0.12345679, 0.1234568]',
      '(0.1234568, inf)',
    ]);
  });
});
