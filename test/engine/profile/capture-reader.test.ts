/**
 * The capture reader end to end through WindowProfiler: every encoding and payload layout of
 * FORMATS.md, both column layouts, window selection, and exact per-feature counts.
 */
import { describe, expect, it } from 'vitest';
import { baselineFromSageMaker, captureSchema } from '../../../functions/engine/drift/baseline.ts';
import type { FeatureProfile } from '../../../functions/engine/profile/feature-profile.ts';
import type { WindowProfile } from '../../../functions/engine/profile/window-profile.ts';
import {
  WindowProfiler,
  type WindowProfilerOptions,
} from '../../../functions/engine/profile/window-profiler.ts';
import {
  parseStatistics,
  type StatisticsDoc,
} from '../../../functions/engine/sagemaker/sagemaker-statistics.ts';
import {
  base64Side,
  type CaptureSide,
  captureFile,
  captureLine,
  churnSchema,
  csvSide,
  jsonSide,
  profileChunks,
  profileLines,
} from '../../support/capture-lines.ts';

/** driftwatch's own layout: inputs age, city, income; output score. */
const separateSchema = churnSchema;

function numericStats(name: string, type: 'Integral' | 'Fractional', values: number[]) {
  const sum = values.reduce((s, x) => s + x, 0);
  const mean = sum / values.length;
  const std = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / values.length);
  return {
    name,
    inferred_type: type,
    numerical_statistics: {
      common: { num_present: values.length, num_missing: 0 },
      mean,
      sum,
      std_dev: std,
      min: Math.min(...values),
      max: Math.max(...values),
      distribution: {
        kll: { buckets: [], sketch: { parameters: { c: 0.64, k: 2048.0 }, data: [[...values]] } },
      },
    },
  };
}

/** A SageMaker statistics.json in the analyzer's merged layout: the output column (churn) first. */
function sageMakerStatistics(): StatisticsDoc {
  const doc = {
    version: 0.0,
    dataset: { item_count: 4 },
    features: [
      numericStats('churn', 'Fractional', [0.1, 0.2, 0.7, 0.9]),
      numericStats('age', 'Integral', [30, 40, 50, 60]),
      {
        name: 'city',
        inferred_type: 'String',
        string_statistics: {
          common: { num_present: 4, num_missing: 0 },
          distinct_count: 2,
          distribution: {
            categorical: {
              buckets: [
                { value: 'Paris', count: 2 },
                { value: 'Rome', count: 2 },
              ],
            },
          },
        },
      },
      numericStats('income', 'Fractional', [1000.5, 2000.5, 3000.5, 4000.5]),
    ],
  };
  return parseStatistics(JSON.parse(JSON.stringify(doc)), 'statistics.json');
}

function profiler(options: WindowProfilerOptions = {}, schema = separateSchema()): WindowProfiler {
  return new WindowProfiler(schema, options);
}

interface FeatureView {
  role: string;
  missing: number;
  typeMismatch: number;
  values?: number[];
  categories?: Record<string, number>;
}

/** What a test asserts about a feature: counts and the exact values or categories it saw. */
function view(f: FeatureProfile | undefined): FeatureView {
  if (f === undefined) throw new Error('feature not profiled');
  const v: FeatureView = { role: f.role, missing: f.missing, typeMismatch: f.typeMismatch };
  if (f.kind !== 'categorical' && f.numeric) v.values = Array.from(f.numeric.sortedValues());
  if (f.kind !== 'numeric' && f.categorical) v.categories = Object.fromEntries(f.categorical.counts);
  return v;
}

function views(p: WindowProfile): Record<string, FeatureView> {
  return Object.fromEntries([...p.features.values()].map((f) => [f.name, view(f)]));
}

function records(p: WindowProfile) {
  return {
    total: p.total,
    profiled: p.profiled,
    rejected: p.rejected,
    outsideWindow: p.outsideWindow,
    rows: p.rows,
    rejectedByReason: Object.fromEntries(p.rejectedByReason),
  };
}

const ONE_ROW: Record<string, FeatureView> = {
  age: { role: 'input', missing: 0, typeMismatch: 0, values: [35] },
  city: { role: 'input', missing: 0, typeMismatch: 0, categories: { Paris: 1 } },
  income: { role: 'input', missing: 0, typeMismatch: 0, values: [52000.5] },
  score: { role: 'output', missing: 0, typeMismatch: 0, values: [0.42] },
};

const INPUTS: Record<string, CaptureSide> = {
  CSV: csvSide('35,Paris,52000.5'),
  'JSON object': jsonSide({ age: 35, city: 'Paris', income: 52000.5 }),
  'JSON array': jsonSide([35, 'Paris', 52000.5]),
  'JSON instances of arrays': jsonSide({ instances: [[35, 'Paris', 52000.5]] }),
  'JSON instances of objects': jsonSide({ instances: [{ age: 35, city: 'Paris', income: 52000.5 }] }),
  'JSON instances of {features}': jsonSide({ instances: [{ features: [35, 'Paris', 52000.5] }] }),
  'JSON features': jsonSide({ features: [35, 'Paris', 52000.5] }),
  'JSON numbers as strings': jsonSide({ age: '35', city: 'Paris', income: '52000.5' }),
  'BASE64 of CSV': base64Side('35,Paris,52000.5', 'text/csv'),
  'BASE64 of JSON': base64Side('{"age":35,"city":"Paris","income":52000.5}', 'application/json'),
  'BASE64 sniffed without a content type': base64Side('[35,"Paris",52000.5]', ''),
};

const OUTPUTS: Record<string, CaptureSide> = {
  CSV: csvSide('0.42', 'text/csv; charset=utf-8'),
  'JSON number': jsonSide(0.42),
  'JSON object': jsonSide({ score: 0.42 }),
  'JSON predictions of objects': jsonSide({ predictions: [{ score: 0.42 }] }),
  'JSON predictions of numbers': jsonSide({ predictions: [0.42] }),
  'BASE64 of CSV': base64Side('0.42\n', 'text/csv'),
  'BASE64 of JSON': base64Side('{"predictions":[{"score":0.42}]}', 'application/json'),
};

describe('capture reader: encodings and layouts', () => {
  for (const [inName, input] of Object.entries(INPUTS)) {
    for (const [outName, output] of Object.entries(OUTPUTS)) {
      it(`reads input ${inName} with output ${outName}`, () => {
        const p = profileLines(profiler(), [captureLine({ input, output })]);

        expect(records(p)).toEqual({
          total: 1,
          profiled: 1,
          rejected: 0,
          outsideWindow: 0,
          rows: 1,
          rejectedByReason: {},
        });
        expect(views(p)).toEqual(ONE_ROW);
      });
    }
  }

  it('reads a record whatever the key order', () => {
    const lines = [
      captureLine({
        input: INPUTS.CSV,
        output: OUTPUTS.CSV,
        time: '2026-11-26T03:00:00Z',
        reverseKeys: true,
      }),
      captureLine({ input: INPUTS['BASE64 of JSON'], output: OUTPUTS['JSON object'], reverseKeys: true }),
    ];
    expect(lines[0]!.startsWith('{"eventVersion"')).toBe(true);

    const p = profileLines(profiler(), lines);

    expect(records(p)).toMatchObject({ total: 2, profiled: 2 });
    expect(view(p.features.get('age')).values).toEqual([35, 35]);
    expect(view(p.features.get('score')).values).toEqual([0.42, 0.42]);
  });

  it('reads input-only capture: the output feature is missing in every row', () => {
    const p = profileLines(profiler(), [
      captureLine({ input: INPUTS.CSV }),
      captureLine({ input: INPUTS['JSON object'] }),
    ]);

    expect(records(p)).toMatchObject({ total: 2, profiled: 2, rows: 2 });
    expect(views(p)).toEqual({
      age: { role: 'input', missing: 0, typeMismatch: 0, values: [35, 35] },
      city: { role: 'input', missing: 0, typeMismatch: 0, categories: { Paris: 2 } },
      income: { role: 'input', missing: 0, typeMismatch: 0, values: [52000.5, 52000.5] },
      score: { role: 'output', missing: 2, typeMismatch: 0, values: [] },
    });
  });

  it('reads output-only capture: the input features are missing in every row', () => {
    const p = profileLines(profiler(), [
      captureLine({ output: csvSide('0.5') }),
      captureLine({ output: jsonSide(0.25) }),
    ]);

    expect(records(p)).toMatchObject({ total: 2, profiled: 2, rows: 2 });
    expect(views(p)).toEqual({
      age: { role: 'input', missing: 2, typeMismatch: 0, values: [] },
      city: { role: 'input', missing: 2, typeMismatch: 0, categories: {} },
      income: { role: 'input', missing: 2, typeMismatch: 0, values: [] },
      score: { role: 'output', missing: 0, typeMismatch: 0, values: [0.25, 0.5] },
    });
  });

  it('names keys of {"predictions": [{score, predicted_label}]} and keeps unknown keys as extra output features', () => {
    const output = jsonSide({ predictions: [{ score: 0.91, predicted_label: 1 }] });

    const p = profileLines(profiler(), [captureLine({ input: INPUTS.CSV, output })]);

    expect(records(p)).toMatchObject({ total: 1, profiled: 1 });
    expect(view(p.features.get('score')).values).toEqual([0.91]);
    const label = p.features.get('predicted_label')!;
    expect(label.role).toBe('output');
    expect(label.kind).toBe('infer');
    expect(Array.from(label.numeric!.sortedValues())).toEqual([1]);
  });

  it('reads a batched request: instances with several rows and one prediction per row', () => {
    const input = jsonSide({
      instances: [
        { age: 30, city: 'Rome', income: 1 },
        { age: 40, city: 'Paris', income: 2 },
        { age: 50, city: 'Rome', income: 3 },
      ],
    });
    const output = jsonSide({ predictions: [0.1, 0.2, 0.3] });

    const p = profileLines(profiler(), [captureLine({ input, output })]);

    expect(records(p)).toMatchObject({ total: 1, profiled: 1, rows: 3 });
    expect(views(p)).toEqual({
      age: { role: 'input', missing: 0, typeMismatch: 0, values: [30, 40, 50] },
      city: { role: 'input', missing: 0, typeMismatch: 0, categories: { Paris: 1, Rome: 2 } },
      income: { role: 'input', missing: 0, typeMismatch: 0, values: [1, 2, 3] },
      score: { role: 'output', missing: 0, typeMismatch: 0, values: [0.1, 0.2, 0.3] },
    });
  });

  it('reads instances of arrays and of {features} with several rows', () => {
    const arrays = jsonSide({
      instances: [
        [30, 'Rome', 1],
        [40, 'Paris', 2],
      ],
    });
    const features = jsonSide({ instances: [{ features: [30, 'Rome', 1] }, { features: [40, 'Paris', 2] }] });

    for (const input of [arrays, features]) {
      const p = profileLines(profiler(), [captureLine({ input, output: csvSide('0.1\n0.2') })]);

      expect(records(p)).toMatchObject({ total: 1, profiled: 1, rows: 2 });
      expect(view(p.features.get('age')).values).toEqual([30, 40]);
      expect(view(p.features.get('city')).categories).toEqual({ Paris: 1, Rome: 1 });
      expect(view(p.features.get('score')).values).toEqual([0.1, 0.2]);
    }
  });

  it('reads a JSON Lines body, one row per line, CRLF and blank lines included', () => {
    const body = '{"age":30,"city":"Rome","income":1}\r\n\n{"age":40,"city":"Paris","income":2}\n';

    const p = profileLines(profiler(), [
      captureLine({ input: jsonSide(body), output: jsonSide('0.1\n0.2') }),
    ]);

    expect(records(p)).toMatchObject({ total: 1, profiled: 1, rows: 2 });
    expect(view(p.features.get('age')).values).toEqual([30, 40]);
    expect(view(p.features.get('score')).values).toEqual([0.1, 0.2]);
  });

  it('reads CSV with quoted fields: commas, doubled quotes and newlines inside quotes', () => {
    const input = csvSide('35,"Paris, France",1\n36,"say ""hi""",2\n37,"two\nlines",3');

    const p = profileLines(profiler(), [captureLine({ input, output: csvSide('0.1\n0.2\n0.3') })]);

    expect(records(p)).toMatchObject({ total: 1, profiled: 1, rows: 3 });
    expect(view(p.features.get('city')).categories).toEqual({
      'Paris, France': 1,
      'say "hi"': 1,
      'two\nlines': 1,
    });
    expect(view(p.features.get('income')).values).toEqual([1, 2, 3]);
  });

  it('reads a multi-row CSV payload (CRLF rows, trailing newline) as several rows of one record', () => {
    const input = csvSide('30,Rome,1\r\n40,Paris,2\r\n50,Rome,3\r\n');

    const p = profileLines(profiler(), [captureLine({ input, output: csvSide('0.1\n0.2\n0.3\n') })]);

    expect(records(p)).toMatchObject({ total: 1, profiled: 1, rows: 3 });
    expect(view(p.features.get('age')).values).toEqual([30, 40, 50]);
    expect(view(p.features.get('score')).values).toEqual([0.1, 0.2, 0.3]);
  });

  it('rejects a record whose input and output hold different numbers of rows, profiling none of it', () => {
    const p = profileLines(profiler(), [
      captureLine({ input: csvSide('30,Rome,1\n40,Paris,2'), output: csvSide('0.1') }),
    ]);

    expect(records(p)).toEqual({
      total: 1,
      profiled: 0,
      rejected: 1,
      outsideWindow: 0,
      rows: 0,
      rejectedByReason: { input_output_row_mismatch: 1 },
    });
    expect(view(p.features.get('age')).values).toEqual([]);
  });

  it('uses a record whole or not at all: one short row rejects the batch', () => {
    const p = profileLines(profiler(), [
      captureLine({ input: csvSide('30,Rome,1\n40,Paris'), output: csvSide('0.1\n0.2') }),
    ]);

    expect(records(p)).toMatchObject({
      total: 1,
      profiled: 0,
      rows: 0,
      rejectedByReason: { csv_too_few_columns: 1 },
    });
    expect(view(p.features.get('age'))).toEqual({ role: 'input', missing: 0, typeMismatch: 0, values: [] });
  });

  it('names extra CSV output columns prediction_1, prediction_2 after the named one', () => {
    const p = profileLines(profiler(), [captureLine({ input: INPUTS.CSV, output: csvSide('0.42,1,yes') })]);

    expect(records(p)).toMatchObject({ profiled: 1 });
    expect([...p.features.keys()]).toEqual([
      'age',
      'city',
      'income',
      'score',
      'prediction_1',
      'prediction_2',
    ]);
    expect(p.features.get('prediction_2')!.role).toBe('output');
  });
});

describe('capture reader: exact counts per feature', () => {
  it('counts present, missing and mistyped values exactly', () => {
    const lines = [
      captureLine({ input: csvSide('35,Paris,52000.5'), output: csvSide('0.4') }),
      captureLine({ input: csvSide(',Rome,'), output: csvSide('0.5') }), // empty fields are missing
      captureLine({ input: csvSide('abc,,1e3'), output: csvSide('NaN') }), // text in numeric columns
      captureLine({ input: jsonSide({ age: null, city: 'Rome' }), output: jsonSide({ score: 'high' }) }), // null and absent key
      captureLine({
        input: jsonSide({ age: 41.5, city: 7, income: true }),
        output: jsonSide('{"score":1e309}'),
      }), // overflows to Infinity
      captureLine({ input: jsonSide('[-0,"Lyon","2.5e1"]'), output: jsonSide(-1) }),
    ];

    const p = profileLines(profiler(), lines);

    expect(records(p)).toEqual({
      total: 6,
      profiled: 6,
      rejected: 0,
      outsideWindow: 0,
      rows: 6,
      rejectedByReason: {},
    });
    expect(views(p)).toEqual({
      age: { role: 'input', missing: 2, typeMismatch: 1, values: [-0, 35, 41.5] },
      city: {
        role: 'input',
        missing: 1,
        typeMismatch: 0,
        categories: { Paris: 1, Rome: 2, '7': 1, Lyon: 1 },
      },
      income: { role: 'input', missing: 2, typeMismatch: 1, values: [25, 1000, 52000.5] },
      score: { role: 'output', missing: 0, typeMismatch: 3, values: [-1, 0.4, 0.5] },
    });
    const age = p.features.get('age')!;
    expect({ integral: age.integral, fractional: age.fractional, text: age.text }).toEqual({
      integral: 2,
      fractional: 1,
      text: 1,
    });
  });
});

describe('capture reader: window by inferenceTime', () => {
  const window = { start: '2026-11-26T03:00:00Z', end: '2026-11-26T04:00:00Z' };
  const at = (time: string | undefined, age: number) =>
    captureLine({ input: csvSide(`${age},Paris,1`), output: csvSide('0.5'), time });

  it('takes records in [start, end): start included, end excluded, outside skipped and not counted', () => {
    const lines = [
      at('2026-11-26T02:59:59.999Z', 1),
      at('2026-11-26T03:00:00Z', 2),
      at('2026-11-26T03:30:00.123Z', 3),
      at('2026-11-26T04:59:59+01:00', 4), // 03:59:59Z
      at('2026-11-26T03:59:59.999Z', 5),
      at('2026-11-26T04:00:00Z', 6),
      at('2026-11-26T05:00:00+01:00', 7), // 04:00:00Z
      at('2026-11-27T03:30:00Z', 8),
    ];

    const p = profileLines(profiler({ window }), lines);

    expect(records(p)).toEqual({
      total: 4,
      profiled: 4,
      rejected: 0,
      outsideWindow: 4,
      rows: 4,
      rejectedByReason: {},
    });
    expect(view(p.features.get('age')).values).toEqual([2, 3, 4, 5]);
    expect(p.window).toEqual(window);
  });

  it('rejects records without a readable inferenceTime when a window is set, and takes them when not', () => {
    const lines = [at(undefined, 1), at('not a time', 2), at('2026-11-26T03:10:00Z', 3)];

    const timed = profileLines(profiler({ window }), lines);
    const untimed = profileLines(profiler(), lines);

    expect(records(timed)).toMatchObject({
      total: 3,
      profiled: 1,
      rejectedByReason: { invalid_inference_time: 2 },
    });
    expect(records(untimed)).toMatchObject({ total: 3, profiled: 3, outsideWindow: 0 });
  });

  it('honours an open-ended window', () => {
    const lines = [at('2026-11-26T02:00:00Z', 1), at('2026-11-26T05:00:00Z', 2)];

    const from = profileLines(profiler({ window: { start: '2026-11-26T03:00:00Z', end: null } }), lines);
    const until = profileLines(profiler({ window: { start: null, end: '2026-11-26T03:00:00Z' } }), lines);

    expect(view(from.features.get('age')).values).toEqual([2]);
    expect(view(until.features.get('age')).values).toEqual([1]);
    expect(from.outsideWindow + until.outsideWindow).toBe(2);
  });
});

describe('capture reader: SageMaker merged layout', () => {
  const schema = () => captureSchema(baselineFromSageMaker(sageMakerStatistics(), null));

  it('names a CSV row as output columns then input columns, as the baseline lists them', () => {
    expect(schema().layout).toEqual({
      kind: 'sagemaker-merged',
      columns: ['churn', 'age', 'city', 'income'],
    });

    const p = profileLines(profiler({}, schema()), [
      captureLine({ input: csvSide('35,Paris,52000.5'), output: csvSide('0.42') }),
      captureLine({ input: base64Side('36,Rome,1.5', 'text/csv'), output: jsonSide(0.43) }),
    ]);

    expect(records(p)).toMatchObject({ total: 2, profiled: 2 });
    expect(views(p)).toEqual({
      churn: { role: 'output', missing: 0, typeMismatch: 0, values: [0.42, 0.43] },
      age: { role: 'input', missing: 0, typeMismatch: 0, values: [35, 36] },
      city: { role: 'input', missing: 0, typeMismatch: 0, categories: { Paris: 1, Rome: 1 } },
      income: { role: 'input', missing: 0, typeMismatch: 0, values: [1.5, 52000.5] },
    });
  });

  it('reads input-only and output-only capture against the merged layout', () => {
    const p = profileLines(profiler({}, schema()), [
      captureLine({ input: csvSide('35,Paris,52000.5') }),
      captureLine({ output: csvSide('0.42') }),
    ]);

    expect(records(p)).toMatchObject({ total: 2, profiled: 2 });
    expect(views(p)).toEqual({
      churn: { role: 'output', missing: 1, typeMismatch: 0, values: [0.42] },
      age: { role: 'input', missing: 1, typeMismatch: 0, values: [35] },
      city: { role: 'input', missing: 1, typeMismatch: 0, categories: { Paris: 1 } },
      income: { role: 'input', missing: 1, typeMismatch: 0, values: [52000.5] },
    });
  });

  it('rejects rows whose column count fits neither reading', () => {
    const p = profileLines(profiler({}, schema()), [
      captureLine({ input: csvSide('35,Paris'), output: csvSide('0.42') }),
      captureLine({ input: csvSide('35,Paris,1,2,3'), output: csvSide('0.42') }),
    ]);

    expect(records(p)).toMatchObject({
      total: 2,
      profiled: 0,
      rejectedByReason: { csv_too_few_columns: 1, csv_too_many_columns: 1 },
    });
  });
});

describe('capture reader: separate layout column checks', () => {
  it('rejects CSV rows with too few or too many input columns', () => {
    const p = profileLines(profiler(), [
      captureLine({ input: csvSide('35,Paris'), output: csvSide('0.42') }),
      captureLine({ input: csvSide('35,Paris,1,2'), output: csvSide('0.42') }),
      captureLine({ input: jsonSide([35]), output: csvSide('0.42') }),
    ]);

    expect(records(p)).toMatchObject({
      total: 3,
      profiled: 0,
      rejectedByReason: { csv_too_few_columns: 2, csv_too_many_columns: 1 },
    });
  });

  it('reads a file streamed in tiny chunks the same as whole', () => {
    const bytes = captureFile([
      captureLine({ input: INPUTS['BASE64 of JSON'], output: OUTPUTS.CSV }),
      captureLine({ input: csvSide('36,Rome,1'), output: jsonSide({ score: 0.1 }) }),
    ]);
    const chunks = Array.from({ length: Math.ceil(bytes.length / 7) }, (_, i) =>
      bytes.subarray(i * 7, i * 7 + 7),
    );

    const whole = profileChunks(profiler(), [bytes]);
    const chunked = profileChunks(profiler(), chunks);

    expect(chunked.toJSON()).toEqual(whole.toJSON());
    expect(records(chunked)).toMatchObject({ total: 2, profiled: 2 });
  });
});
