/**
 * The join of a window's predictions to ground truth on plain data: what a part keeps from each
 * row (prediction-part.ts), how repeated keys and labels resolve across parts (quality-join.ts),
 * how matched and unmatched are counted and features sliced (prediction-join.ts), hash
 * collisions, and the estimate next to the realised metrics where the truth is known.
 */
import { describe, expect, it } from 'vitest';
import type { LabelFilesRead } from '../../../functions/contracts/ground-truth-labels.ts';
import type { KeyHasher } from '../../../functions/engine/quality/key-hash.ts';
import { evaluateJoin, type JoinQualityOptions } from '../../../functions/engine/quality/prediction-join.ts';
import {
  type PredictionPart,
  PredictionPartBuilder,
  type PredictionSpec,
} from '../../../functions/engine/quality/prediction-part.ts';
import { PredictionJoin } from '../../../functions/engine/quality/quality-join.ts';
import { generatedBinaryRecords } from './generated-scores.ts';

type Row = [key: string | undefined, inputs: Record<string, unknown>, outputs: Record<string, unknown>];

/** A part of the rows as the profiler would hand them over, all from capture object `ordinal`. */
function partOf(spec: PredictionSpec, rows: Row[], ordinal = 0, hasher?: KeyHasher): PredictionPart {
  const b = new PredictionPartBuilder(spec, hasher);
  b.beginObject(ordinal);
  for (const [key, inputs, outputs] of rows) {
    const values = b.taps.map((t) => {
      const side = t.role === 'input' ? inputs : outputs;
      return Object.hasOwn(side, t.name) ? side[t.name] : undefined;
    });
    b.row(key, values, Object.values(outputs)[0]);
  }
  return b.build();
}

const FILES: LabelFilesRead = { lines: 0, rejectedByReason: {}, files: 1, skipped: [] };

const UNWINDOWED: Omit<JoinQualityOptions, 'problemType'> = {
  window: { start: null, end: null },
  labelHours: { start: null, end: null },
  lookbackHours: null,
  now: new Date('2026-11-27T00:00:00Z'),
};

function spec(
  problemType: PredictionSpec['problemType'],
  extra: Partial<PredictionSpec> = {},
): PredictionSpec {
  return { problemType, outputColumn: null, slices: [], threshold: 0.5, ...extra };
}

/** Joins the parts to the labels (offered in order) and evaluates the window. */
function joinAll(
  s: PredictionSpec,
  parts: PredictionPart[],
  labels: [string, string | number][],
  files: LabelFilesRead = FILES,
  options: Partial<JoinQualityOptions> = {},
  hasher?: KeyHasher,
) {
  const join = new PredictionJoin(s, parts, hasher);
  for (const [id, label] of labels) join.offerLabel(id, label);
  return evaluateJoin(join.finish(), files, { ...UNWINDOWED, problemType: s.problemType, ...options });
}

describe('PredictionPartBuilder', () => {
  it('keeps the named output column, else the first output, and slice codes of the sliced inputs', () => {
    const s = spec('BinaryClassification', {
      outputColumn: 'score',
      slices: [
        { name: 'age', baseline: { kind: 'numeric', binEdges: [30, 50] } },
        { name: 'city', baseline: { kind: 'categorical', categories: ['Lyon'] } },
      ],
    });
    const p = partOf(s, [
      ['a', { age: '31', city: 'Lyon', id: 'x' }, { predicted_label: 1, score: 0.8 }],
      ['b', { age: 40, city: 'Rome' }, { prediction: '0.3' }], // no `score` column: the first output
      ['c', { age: '52', city: 'Rome' }, {}], // input-only capture: not a prediction
      [undefined, { age: '1' }, { score: 0.6 }], // no key: never matched, still estimated
      ['d', { city: '' }, { score: 'high' }], // output that does not parse: kept, NaN
    ]);
    expect(p.count).toBe(3);
    expect([...p.output]).toEqual([0.8, 0.3, Number.NaN]);
    // age: bins (-inf, 30], (30, 50], (50, inf) are codes 1..3; 0 is missing.
    expect([...p.codes[0]!]).toEqual([2, 2, 0]);
    // city: Lyon is the baseline's first category (code 1); Rome is the first unseen one (code 2).
    expect([...p.codes[1]!]).toEqual([1, 2, 0]);
    expect(p.unseen).toEqual([[], ['Rome']]);
    expect(p).toMatchObject({ rows: 5, rowsWithoutOutput: 1, keyless: 1, seen: [true, true] });
    expect(p.estimate).toMatchObject({ count: 3, invalid: 1 });
  });
});

describe('PredictionJoin', () => {
  it('joins a repeated key once, with its last row in (object, line) order, whichever part holds it', () => {
    const s = spec('MulticlassClassification');
    const early = partOf(
      s,
      [
        ['batch-1', {}, { prediction: 'cat' }],
        ['batch-1', {}, { prediction: 'dog' }],
        ['other', {}, { prediction: 'cat' }],
      ],
      0,
    );
    const late = partOf(s, [['batch-1', {}, { prediction: 'bird' }]], 1);
    const labels: [string, string][] = [
      ['batch-1', 'bird'],
      ['other', 'cat'],
    ];
    for (const parts of [
      [early, late],
      [late, early],
    ]) {
      const { quality } = joinAll(s, parts, labels);
      expect(quality).toMatchObject({ matched: 2, evaluated: 2, metrics: { accuracy: 1 } });
      expect(quality.join.repeatedPredictionKeys).toBe(2);
    }
  });

  it('counts matched, unmatched predictions (keyless included), unmatched and repeated labels', () => {
    const s = spec('BinaryClassification');
    const p = partOf(s, [
      ['p1', {}, { s: '0.9' }],
      ['p2', {}, { s: '0.2' }],
      ['p3', {}, { s: '0.7' }],
      [undefined, {}, { s: '0.4' }],
    ]);
    const { quality, statistics, violations } = joinAll(
      s,
      [p],
      [
        ['p1', '0'],
        ['p1', '1'], // replaces the label before it
        ['p2', 1],
        ['elsewhere', '0'],
        ['elsewhere', '1'],
      ],
      { ...FILES, rejectedByReason: { invalid_json: 3 } },
    );

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
    const s = spec('Regression');
    const { quality, statistics } = joinAll(s, [partOf(s, [['r1', {}, { y: 3.5 }]])], [], FILES, {
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
    const s = spec('MulticlassClassification', {
      slices: [
        { name: 'city', baseline: { kind: 'categorical', categories: ['Paris', 'Rome'] } },
        { name: 'absent', baseline: { kind: 'numeric', binEdges: [1, 2] } },
      ],
    });
    const rows: Row[] = [];
    const labels: [string, string][] = [];
    for (let i = 0; i < 90; i++) {
      const city = i < 30 ? 'Paris' : i < 60 ? 'Rome' : 'Tokyo';
      rows.push([`k${i}`, { city }, { prediction: 'a' }]);
      // Tokyo's predictions are all wrong, the others' all right.
      labels.push([`k${i}`, city === 'Tokyo' ? 'b' : 'a']);
    }
    const { quality } = joinAll(s, [partOf(s, rows)], labels);
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
    expect(quality.slices.some((x) => x.feature === 'absent')).toBe(false);
    expect(quality.minSliceSupport).toBe(30);
  });

  it('gives the same report and statistics for any split of the window', () => {
    const s = spec('BinaryClassification', {
      slices: [{ name: 'x', baseline: { kind: 'numeric', binEdges: [0.25, 0.5, 0.75] } }],
    });
    const records = generatedBinaryRecords(3000, 11);
    const rows: Row[] = records.map((r, i) => [`id-${i % 2900}`, { x: r.score }, { score: r.score }]);
    const labels: [string, number][] = records.map((r, i) => [`id-${i}`, r.label as number]);
    const whole = joinAll(s, [partOf(s, rows, 0)], labels);
    // Three objects read by three threads, handed over in another order.
    const parts = [
      partOf(s, rows.slice(2000), 2),
      partOf(s, rows.slice(0, 1000), 0),
      partOf(s, rows.slice(1000, 2000), 1),
    ];
    const split = joinAll(s, parts, labels);
    expect(split.quality.join).toEqual(whole.quality.join);
    expect(JSON.parse(JSON.stringify(split.statistics))).toEqual(
      JSON.parse(JSON.stringify(whole.statistics)),
    );
    expect(split.quality.metrics).toEqual(whole.quality.metrics);
    expect(split.quality.slices.length).toBeGreaterThan(0);
    split.quality.slices.forEach((x, i) => {
      expect(x.support).toBe(whole.quality.slices[i]!.support);
      expect(x.error).toBeCloseTo(whole.quality.slices[i]!.error, 12);
    });
    expect(split.quality.estimated!.accuracy).toBeCloseTo(whole.quality.estimated!.accuracy, 12);
  });

  it('takes keys whose hashes collide for one key: counted as repeated, never lost or thrown', () => {
    // A 4-bit hash: 40 keys fall on at most 16 hashes.
    const tiny: KeyHasher = (key, out) => {
      let h = 0;
      for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0;
      out[0] = 0;
      out[1] = h & 15;
    };
    const s = spec('BinaryClassification');
    const rows: Row[] = Array.from({ length: 40 }, (_, i) => [`k${i}`, {}, { score: 0.9 }]);
    const labels: [string, number][] = Array.from({ length: 40 }, (_, i) => [`k${i}`, 1]);
    const { quality } = joinAll(s, [partOf(s, rows, 0, tiny)], labels, FILES, {}, tiny);
    const distinct = new Set(
      rows.map(([k]) => {
        const out = new Uint32Array(2);
        tiny(k!, out);
        return out[1];
      }),
    ).size;
    expect(quality.join.repeatedPredictionKeys).toBe(40 - distinct);
    expect(quality.matched).toBe(distinct);
    expect(quality.duplicateLabels).toBe(40 - distinct);
    expect(quality.join.rows).toBe(40);
  });

  it('puts the estimate next to the realised metrics: close when the scores are calibrated', () => {
    const calibrated = generatedBinaryRecords(20_000, 7);
    const s = spec('BinaryClassification');
    const p = partOf(
      s,
      calibrated.map((r, i) => [`g${i}`, {}, { score: r.score }]),
    );
    // Half the labels have arrived: the estimate still covers the whole window.
    const labels = calibrated.slice(0, 10_000).map((r, i): [string, number] => [`g${i}`, r.label as number]);
    const { quality } = joinAll(s, [p], labels);
    const realised = quality.metrics as { accuracy: number; precision: number; recall: number; f1: number };
    const estimated = quality.estimated!;
    expect(estimated.count).toBe(20_000);
    for (const m of ['accuracy', 'precision', 'recall', 'f1'] as const)
      expect(Math.abs(estimated[m] - realised[m]), m).toBeLessThan(0.02);
  });
});
