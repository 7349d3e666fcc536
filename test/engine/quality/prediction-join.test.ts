/**
 * The join of a window's predictions to ground truth (functions/engine/quality/prediction-join.ts)
 * on plain data: what the collector keeps from each row, how matched and unmatched are counted,
 * how features are sliced, and the estimate next to the realised metrics on generated data where
 * the truth is known.
 */
import { describe, expect, it } from 'vitest';
import type { GroundTruthLabels } from '../../../functions/contracts/ground-truth-labels.ts';
import {
  type JoinQualityOptions,
  joinQuality,
  PredictionCollector,
} from '../../../functions/engine/quality/prediction-join.ts';
import { generatedBinaryRecords } from './generated-scores.ts';

function labelsOf(
  entries: [string, string | number][],
  extra: Partial<GroundTruthLabels> = {},
): GroundTruthLabels {
  return {
    labels: new Map(entries),
    duplicates: 0,
    lines: entries.length,
    rejectedByReason: {},
    files: 1,
    skipped: [],
    ...extra,
  };
}

const UNWINDOWED: Omit<JoinQualityOptions, 'problemType'> = {
  window: { start: null, end: null },
  labelHours: { start: null, end: null },
  lookbackHours: null,
  now: new Date('2026-11-27T00:00:00Z'),
};

describe('PredictionCollector', () => {
  it('keeps the named output column, else the first output, and the sliced inputs only', () => {
    const c = new PredictionCollector({
      problemType: 'BinaryClassification',
      outputColumn: 'score',
      sliceBaselines: {
        age: { kind: 'numeric', binEdges: [30, 50] },
        city: { kind: 'categorical', categories: ['Lyon'] },
      },
    });
    c.onRow('a', { age: '31', city: 'Lyon', id: 'x' }, { predicted_label: 1, score: 0.8 });
    c.onRow('b', { age: 40 }, { prediction: '0.3' }); // no `score` column: the first output
    c.onRow('c', { age: '52', city: 'Rome' }, {}); // input-only capture: not a prediction
    c.onRow(undefined, { age: '1' }, { score: 0.6 }); // no key: never matched, still estimated
    // Features come back as slicing reads them: numbers for numeric slices, category text, null when missing.
    const seen = [...c.predictions()].map(([key, p]) => [
      key,
      { output: p.output, age: p.features.age, city: p.features.city, id: p.features.id },
    ]);
    expect(seen).toEqual([
      ['a', { output: 0.8, age: 31, city: 'Lyon', id: undefined }],
      ['b', { output: '0.3', age: 40, city: null, id: undefined }],
    ]);
    expect(c).toMatchObject({ rows: 4, rowsWithoutOutput: 1, keyless: 1, repeatedKeys: 0 });
    expect(c.scores).toEqual([0.8, 0.3, 0.6]);
    expect([...c.seenFeatures].sort()).toEqual(['age', 'city']);
  });

  it('joins a repeated key once, with its last row, and counts the repeats', () => {
    const c = new PredictionCollector({ problemType: 'MulticlassClassification' });
    c.onRow('batch-1', {}, { prediction: 'cat' });
    c.onRow('batch-1', {}, { prediction: 'dog' });
    c.onRow('other', {}, { prediction: 'cat' });
    c.onRow('batch-1', {}, { prediction: 'bird' });
    expect([...c.predictions()].map(([k, p]) => [k, p.output])).toEqual([
      ['other', 'cat'],
      ['batch-1', 'bird'],
    ]);
    expect(c.repeatedKeys).toBe(2);
    expect(c.scores).toEqual([]);
  });
});

describe('joinQuality', () => {
  it('counts matched, unmatched predictions (keyless included) and unmatched labels', () => {
    const c = new PredictionCollector({ problemType: 'BinaryClassification' });
    c.onRow('p1', {}, { s: '0.9' });
    c.onRow('p2', {}, { s: '0.2' });
    c.onRow('p3', {}, { s: '0.7' });
    c.onRow(undefined, {}, { s: '0.4' });
    const labels = labelsOf(
      [
        ['p1', '1'],
        ['p2', 1],
        ['elsewhere', '0'],
      ],
      { duplicates: 2, rejectedByReason: { invalid_json: 3 } },
    );

    const { quality, statistics, violations } = joinQuality(c, labels, {
      ...UNWINDOWED,
      problemType: 'BinaryClassification',
    });

    expect(quality).toMatchObject({
      matched: 2,
      unmatchedPredictions: 2,
      unmatchedLabels: 1,
      duplicateLabels: 2,
      evaluated: 2,
      metrics: { confusionMatrix: { tn: 0, fp: 0, fn: 1, tp: 1 } },
    });
    expect(quality.join).toMatchObject({
      labels: 3,
      labelsRejected: 3,
      labelsRejectedByReason: { invalid_json: 3 },
      rows: 4,
      predictionsWithoutKey: 1,
    });
    // The estimate uses every score of the window, matched or not.
    expect(quality.estimated?.count).toBe(4);
    expect(statistics?.dataset).toEqual({ item_count: 2, evaluation_time: '2026-11-27T00:00:00.000Z' });
    expect(violations).toEqual({ violations: [] });
    expect(quality.notes.join('\n')).toMatch(/1 label matches no captured prediction/);
    expect(quality.notes.join('\n')).toMatch(/1 row had neither inferenceId nor eventId/);
  });

  it('writes no statistics when nothing could be evaluated, and says labels have not arrived', () => {
    const c = new PredictionCollector({ problemType: 'Regression' });
    c.onRow('r1', {}, { y: 3.5 });
    const { quality, statistics } = joinQuality(c, labelsOf([]), {
      ...UNWINDOWED,
      problemType: 'Regression',
      window: { start: '2026-11-26T10:00:00.000Z', end: '2026-11-26T11:00:00.000Z' },
      labelHours: { start: '2026-11-26T10:00:00.000Z', end: '2026-11-27T11:00:00.000Z' },
      lookbackHours: 24,
    });
    expect(quality).toMatchObject({ matched: 0, unmatchedPredictions: 1, metrics: null, estimated: null });
    expect(statistics).toBeNull();
    expect(quality.notes[0]).toMatch(
      /collection hours 2026-11-26T10:00:00.000Z to 2026-11-27T11:00:00.000Z \(the window and 24 h after it/,
    );
    expect(quality.notes[1]).toMatch(/No label has arrived .* metrics are null until they do/);
  });

  it('slices the features the window carries, naming categories the baseline never had', () => {
    const sliceBaselines = {
      city: { kind: 'categorical', categories: ['Paris', 'Rome'] },
      absent: { kind: 'numeric', binEdges: [1, 2] },
    } as const;
    const c = new PredictionCollector({ problemType: 'MulticlassClassification', sliceBaselines });
    const entries: [string, string][] = [];
    for (let i = 0; i < 90; i++) {
      const city = i < 30 ? 'Paris' : i < 60 ? 'Rome' : 'Tokyo';
      c.onRow(`k${i}`, { city }, { prediction: 'a' });
      // Tokyo's predictions are all wrong, the others' all right.
      entries.push([`k${i}`, city === 'Tokyo' ? 'b' : 'a']);
    }
    const { quality } = joinQuality(c, labelsOf(entries), {
      ...UNWINDOWED,
      problemType: 'MulticlassClassification',
      sliceBaselines,
    });
    expect(quality.slices[0]).toEqual({
      feature: 'city',
      slice: 'Tokyo',
      unseen: true,
      support: 30,
      measure: 'errorRate',
      error: 1,
      difference: 1 - 1 / 3,
    });
    // `absent` never appeared on the input side: not sliced (no all-missing slice).
    expect(quality.slices.some((s) => s.feature === 'absent')).toBe(false);
    expect(quality.minSliceSupport).toBe(30);
  });

  it('refuses to slice a feature other than the way it was collected', () => {
    const c = new PredictionCollector({
      problemType: 'MulticlassClassification',
      sliceBaselines: { city: { kind: 'categorical', categories: ['Paris'] } },
    });
    c.onRow('k', { city: 'Paris' }, { prediction: 'a' });
    expect(() =>
      joinQuality(c, labelsOf([['k', 'a']]), {
        ...UNWINDOWED,
        problemType: 'MulticlassClassification',
        sliceBaselines: { city: { kind: 'numeric', binEdges: [1] } },
      }),
    ).toThrow('feature "city" was collected for categorical slices, not numeric');
  });

  it('puts the estimate next to the realised metrics: close when the scores are calibrated', () => {
    const calibrated = generatedBinaryRecords(20_000, 7);
    const c = new PredictionCollector({ problemType: 'BinaryClassification' });
    calibrated.forEach((r, i) => {
      c.onRow(`g${i}`, {}, { score: r.score });
    });
    // Half the labels have arrived: the estimate still covers the whole window.
    const labels = labelsOf(calibrated.slice(0, 10_000).map((r, i) => [`g${i}`, r.label as number]));
    const { quality } = joinQuality(c, labels, { ...UNWINDOWED, problemType: 'BinaryClassification' });
    const realised = quality.metrics as { accuracy: number; precision: number; recall: number; f1: number };
    const estimated = quality.estimated!;
    expect(estimated.count).toBe(20_000);
    for (const m of ['accuracy', 'precision', 'recall', 'f1'] as const)
      expect(Math.abs(estimated[m] - realised[m]), m).toBeLessThan(0.02);
  });
});
