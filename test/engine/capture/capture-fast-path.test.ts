/**
 * The byte-level fast path (CaptureLineScanner and the profiler's addLineBytes) must find
 * exactly what the general path (decode, JSON.parse, parseCaptureLine) finds: on every line the
 * two profiles agree field for field, whichever path took it. It must also actually take
 * SageMaker's own lines, or the speed it exists for is gone.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  CaptureLineScanner,
  FieldStatus,
  inferenceTimeMs,
} from '../../../functions/engine/capture/capture-bytes.ts';
import { parseInferenceTime } from '../../../functions/engine/capture/capture-record.ts';
import { LineSplitter } from '../../../functions/engine/capture/line-splitter.ts';
import { decimalValue, isIntegralText } from '../../../functions/engine/capture/value-parse.ts';
import { ByteSpan, type RowSink } from '../../../functions/engine/profile/row-sink.ts';
import {
  WindowProfiler,
  type WindowProfilerOptions,
} from '../../../functions/engine/profile/window-profiler.ts';
import { parseFiniteNumber } from '../../../functions/engine/quality/labelled-records.ts';
import { hostileCorpus, separateSchema } from '../../support/capture-lines.ts';

const encode = (s: string) => new TextEncoder().encode(s);

// The output is not in the baseline: it is profiled as an inferred (numeric and categorical) column.
const schema = () => separateSchema({ age: 'numeric', city: 'categorical', income: 'numeric' }, {});

interface Run {
  profile: unknown;
  rows: Array<[string | undefined, unknown[], unknown]>;
  fast: number;
}

/** Profiles one file of lines: through the fast path where it applies, or only the general path. */
function run(lines: Array<string | Uint8Array>, fastPath: boolean, options: WindowProfilerOptions = {}): Run {
  const rows: Run['rows'] = [];
  // A number and its decimal text are one value to a row sink (it parses either the same way).
  // A span of the line's bytes is its text.
  const same = (v: unknown) => {
    const x = v instanceof ByteSpan ? v.text() : v;
    return typeof x === 'string' ? (parseFiniteNumber(x) ?? x) : x;
  };
  const sink: RowSink = {
    taps: [
      { name: 'age', role: 'input', text: false },
      { name: 'city', role: 'input', text: true },
      { name: 'income', role: 'input', text: false },
    ],
    beginObject: () => {},
    row: (key, values, firstOutput) =>
      rows.push([key instanceof ByteSpan ? key.text() : key, values.map(same), same(firstOutput)]),
  };
  const profiler = new WindowProfiler(schema(), { ...options, rows: sink });
  let fast = 0;
  const splitter = new LineSplitter(
    (e) => profiler.onLineEvent(e),
    undefined,
    undefined,
    fastPath
      ? (bytes, start, end) => {
          const taken = profiler.addLineBytes(bytes, start, end);
          if (taken) fast++;
          return taken;
        }
      : undefined,
  );
  const parts = lines.flatMap((l) => [typeof l === 'string' ? encode(l) : l, new Uint8Array([10])]);
  splitter.push(Buffer.concat(parts));
  splitter.end();
  return { profile: profiler.profile.toJSON(), rows, fast };
}

function expectSamePaths(lines: Array<string | Uint8Array>, options: WindowProfilerOptions = {}): Run {
  const fast = run(lines, true, options);
  const general = run(lines, false, options);
  expect(fast.profile).toEqual(general.profile);
  // As text: a hostile row may nest deeper than a recursive comparison can follow.
  expect(fast.rows.map(rowText)).toEqual(general.rows.map(rowText));
  return fast;
}

function rowText(row: unknown): string {
  try {
    return JSON.stringify(row);
  } catch {
    return 'nested too deep to compare';
  }
}

const WINDOW = { window: { start: '2026-11-26T05:00:00Z', end: '2026-11-26T06:00:00Z' } };

/** SageMaker's own layout, as written by an endpoint. */
function sageMakerLine(input: string, output: string, time = '2026-11-26T05:21:00Z', id = 'e1'): string {
  return (
    `{"captureData":{"endpointInput":{"observedContentType":"text/csv","mode":"INPUT","data":"${input}",` +
    `"encoding":"CSV"},"endpointOutput":{"observedContentType":"text/csv; charset=utf-8","mode":"OUTPUT",` +
    `"data":"${output}","encoding":"CSV"}},"eventMetadata":{"eventId":"${id}","inferenceTime":"${time}"},` +
    `"eventVersion":"0"}`
  );
}

describe('capture fast path', () => {
  it("takes SageMaker's own lines, and finds what the general path finds", () => {
    const lines = [
      sageMakerLine('35,Paris,52000.5', '0.42'),
      sageMakerLine('36,Lyon,-1e3', '0.9'),
      sageMakerLine(',,', ''),
      sageMakerLine('1,2', '0.1'), // too few columns
      sageMakerLine('1,a,2,3', '0.1'), // too many
      sageMakerLine('12345678901234567,x,0.00000000000000000000001', '7'),
      sageMakerLine('35,Paris,52000.5', '0.42', '2026-11-26T06:00:00Z'), // outside the window
      sageMakerLine('35,Paris,52000.5', '0.42', 'not a time'),
      sageMakerLine('35,Paris,52000.5', '0.42', '2026-11-26T05:59:59.999Z'),
    ];
    for (const options of [{}, WINDOW]) {
      const r = expectSamePaths(lines, options);
      expect(r.fast).toBe(lines.length);
    }
  });

  it('counts categories past the category limit as the general path does', () => {
    // Past the limit an id-like value is counted by its hash, without its text: the counts,
    // the overflow and the HyperLogLog registers must still come out the same.
    const lines = Array.from({ length: 5000 }, (_, i) =>
      sageMakerLine(`${i % 97},${i % 3 === 0 ? 'Paris' : `city-${(i * 7919) % 4001}`},1.5`, `0.${i}`),
    );
    const r = expectSamePaths(lines, { limits: { exactCap: 1000, maxCategories: 20 } });
    expect(r.fast).toBe(lines.length);
    const city = (
      r.profile as { features: Array<{ name: string; categorical?: { overflow: number } }> }
    ).features.find((f) => f.name === 'city');
    expect(city?.categorical?.overflow).toBeGreaterThan(3000);
  });

  it('reads BASE64 payloads of CSV as the general path does, taking the plain ones', () => {
    const b64 = (line: string) =>
      line
        .replace(
          /"data":"([^"]*)","encoding":"CSV"/g,
          (_m, d: string) => `"data":"${base64(d)}","encoding":"BASE64"`,
        )
        .replace('"text/csv; charset=utf-8"', '"text/csv"');
    const plain = [
      b64(sageMakerLine('35,Paris,52000.5', '0.42')),
      b64(sageMakerLine('36,Lyon,-1e3', '0.9')),
      b64(sageMakerLine(',,', '')),
      b64(sageMakerLine('1,a,2,3', '0.1')),
    ];
    const general = [
      b64(sageMakerLine('35,Paris,52000.5', '0.42')).replace('"text/csv"', '"application/json"'),
      b64(sageMakerLine('35,Paris,52000.5', '0.42')).replace('"text/csv"', '"text/plain"'),
      sageMakerLine('35,Paris,52000.5', '0.42').replace(
        /"data":"35,Paris,52000.5","encoding":"CSV"/,
        `"data":"${base64('35,"Paris",1')}","encoding":"BASE64"`,
      ),
      sageMakerLine('35,Paris,52000.5', '0.42').replace(
        /"data":"35,Paris,52000.5","encoding":"CSV"/,
        `"data":"${base64('35,Zürich,1')}","encoding":"BASE64"`,
      ),
    ];
    for (const options of [{}, WINDOW]) {
      expect(expectSamePaths(plain, options).fast).toBe(plain.length);
      expect(expectSamePaths(general, options).fast).toBe(0);
    }
  });

  it('reads files that mix line shapes, in any order', () => {
    const plain = (i: number) =>
      sageMakerLine(`${i},Paris,${i / 10}`, `0.${i}`, '2026-11-26T05:21:00Z', `e${i}`);
    const withId = (i: number) => plain(i).replace('"eventId"', `"inferenceId":"req-${i}","eventId"`);
    const extra = (i: number) =>
      plain(i).replace('"eventVersion":"0"', '"eventVersion":"0","note":{"by":"x"}');
    const spaced = (i: number) => plain(i).replaceAll('":"', '": "');
    const shapes = [plain, withId, extra, spaced, withId, plain];
    const lines = Array.from({ length: 60 }, (_, i) => shapes[(i * 7) % shapes.length]!(i));
    const r = expectSamePaths(lines, WINDOW);
    expect(r.fast).toBe(lines.length);
    expect(r.rows.filter(([key]) => key?.startsWith('req-')).length).toBeGreaterThan(10);
  });

  it('agrees with the general path on the real SageMaker capture fixtures, taking every line', () => {
    for (const file of ['xgb-churn_capture_real.jsonl', 'sdk-tests_capture_excerpt.jsonl']) {
      const text = readFileSync(new URL(`../../fixtures/sagemaker/${file}`, import.meta.url), 'utf8');
      const lines = text.split('\n').filter((l) => l.trim() !== '');
      const r = expectSamePaths(lines);
      expect(r.fast, file).toBe(lines.length);
    }
  });

  it('agrees with the general path on every line of the hostile corpus', () => {
    const corpus = hostileCorpus().map((c) => c.line);
    expectSamePaths(corpus);
    expectSamePaths(corpus, WINDOW);
  });

  it('leaves to the general path what it does not read exactly', () => {
    const scanner = new CaptureLineScanner(100);
    const valid = sageMakerLine('1,a,2', '0.5');
    const takes = (line: string | Uint8Array) => {
      const b = typeof line === 'string' ? encode(line) : line;
      return scanner.scan(b, 0, b.length);
    };
    expect(takes(valid)).toBe(true);
    expect(takes(` ${valid.replaceAll(':', ' : ').replaceAll(',"', ' , "')}\t`)).toBe(true);
    const declined = [
      valid.replace('1,a,2', '1,\\"a\\",2'), // an escape
      valid.replace('1,a,2', '1,café,2'), // not ASCII
      valid.replace('"encoding":"CSV"', '"encoding":"JSON"'),
      valid.replace('"encoding":"CSV"', '"encoding":"csv"'),
      valid.replace('"eventVersion":"0"', '"eventVersion":0'), // a number
      valid.replace('"eventVersion":"0"', '"eventVersion":"0","captureData":{}'), // a key twice
      valid.replace('"mode":"INPUT",', '"mode":"INPUT","data":"9",'),
      `${valid}x`,
      valid.slice(0, -1),
      valid.replace(/"data":"0.5",/, ''), // a side without data
      '{"eventMetadata":{"eventId":"e"}}',
      '{"captureData":{}}',
      '[]',
    ];
    for (const line of declined) expect(takes(line), line).toBe(false);
  });

  it('agrees with the general path on arbitrary variations of capture lines', () => {
    let lines = 0;
    let fast = 0;
    fc.assert(
      fc.property(fc.array(lineArb, { minLength: 1, maxLength: 8 }), fc.boolean(), (batch, windowed) => {
        fast += expectSamePaths(batch, windowed ? WINDOW : {}).fast;
        lines += batch.length;
      }),
      { numRuns: 400 },
    );
    // Both paths are exercised: a fair share of the variations is read by the fast path.
    expect(fast / lines).toBeGreaterThan(0.05);
    expect(fast / lines).toBeLessThan(0.95);
  });
});

/** A CSV field: numbers in many spellings, text, empty, and characters JSON must escape. */
const fieldArb = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.constantFrom(
    '',
    '-0',
    '+1',
    '.5',
    '5.',
    '1e3',
    '0x1f',
    'NaN',
    'Paris',
    'Lyon',
    'café',
    'a"b',
    'a\\b',
    'x\ty',
  ),
  fc.string({ maxLength: 6 }),
);
const csvArb = fc.array(fieldArb, { minLength: 1, maxLength: 4 }).map((f) => f.join(','));
const timeArb = fc.oneof(
  fc.constantFrom(
    '2026-11-26T05:00:00Z',
    '2026-11-26T05:59:59.9Z',
    '2026-11-26T06:00:00Z',
    '2026-11-26T04:59:59.999Z',
    '2026-11-26T05:30:00+00:00',
    '2026-11-26 05:30:00',
    'soon',
  ),
  fc
    .date({
      min: new Date('2026-11-26T04:00:00Z'),
      max: new Date('2026-11-26T07:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
);
/** Mostly `usual`, now and then `odd`. */
const mostly = <T>(usual: fc.Arbitrary<T>, odd: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: usual, weight: 8 }, { arbitrary: odd, weight: 1 });

/** Values the fast path must decline where a string or an object is expected. */
const valueArb = fc.oneof(
  fc.string({ maxLength: 4 }),
  fc.constantFrom<unknown>(1, null, true, { a: 'b' }, { a: { b: 'c' } }),
);

/** An object as ordered [key, value] pairs, so key order, extra keys and duplicates can vary. */
type Members = Array<[string, unknown]>;
const membersArb = (required: Array<fc.Arbitrary<[string, unknown]>>): fc.Arbitrary<Members> =>
  fc
    .record({
      req: fc.tuple(...required),
      extra: mostly(
        fc.constant<Members>([]),
        fc.array(fc.tuple(fc.constantFrom('mode', 'extra', 'data'), valueArb), { maxLength: 2 }),
      ),
      drop: mostly(fc.constant(-1), fc.nat({ max: required.length - 1 })),
      order: fc.boolean(),
    })
    .map(({ req, extra, drop, order }) => {
      const members = [...req.filter((_, i) => i !== drop), ...extra];
      return order ? members.reverse() : members;
    });

const csvSideArb = membersArb([
  fc.tuple(fc.constant('observedContentType'), fc.constantFrom('text/csv', 'application/json')),
  fc.tuple(fc.constant('data'), mostly<unknown>(csvArb, valueArb)),
  fc.tuple(
    fc.constant('encoding'),
    mostly<unknown>(fc.constant('CSV'), fc.constantFrom('csv', 'JSON', 'BASE64', 1)),
  ),
]);

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
/** BASE64 data: mostly of a CSV record, now and then spelled in ways atob takes or refuses. */
const base64DataArb = mostly<unknown>(
  csvArb.map(base64),
  fc.oneof(
    csvArb.map((t) => base64(t).replace(/=+$/, '')), // no padding
    csvArb.map((t) => `${base64(t).slice(0, 4)} ${base64(t).slice(4)}`), // a space
    csvArb.map((t) => `${base64(t)}\n`), // a line break, escaped in the JSON
    csvArb.map((t) => base64(`${t}\n${t}`)), // two records
    csvArb.map((t) => base64(`"${t}"`)), // quoted
    csvArb.map((t) => base64(t).replaceAll('+', '-').replaceAll('/', '_')), // URL alphabet
    fc.constantFrom('', '=', 'QQ==', 'QR==', 'QUI=', 'Q===', 'A', '!!!!'),
    valueArb,
  ),
);
const base64SideArb = membersArb([
  fc.tuple(
    fc.constant('observedContentType'),
    fc.constantFrom(
      'text/csv',
      'TEXT/CSV; charset=utf-8',
      'application/json',
      'text/csv+json',
      'text/plain',
      '',
    ),
  ),
  fc.tuple(fc.constant('data'), base64DataArb),
  fc.tuple(fc.constant('encoding'), mostly<unknown>(fc.constant('BASE64'), fc.constantFrom('base64', 'CSV'))),
]);
const sideArb = fc.oneof({ arbitrary: csvSideArb, weight: 3 }, { arbitrary: base64SideArb, weight: 2 });
const lineArb = fc
  .record({
    sides: membersArb([
      fc.tuple(fc.constant('endpointInput'), sideArb),
      fc.tuple(fc.constant('endpointOutput'), sideArb),
    ]),
    meta: membersArb([
      fc.tuple(fc.constant('eventId'), mostly<unknown>(fc.string({ maxLength: 4 }), valueArb)),
      fc.tuple(fc.constant('inferenceId'), fc.string({ maxLength: 4 })),
      fc.tuple(fc.constant('inferenceTime'), mostly<unknown>(timeArb, valueArb)),
    ]),
    dupMeta: mostly(fc.constant(false), fc.constant(true)),
    space: mostly(fc.constant(''), fc.constantFrom(' ', '\t', '\r', ' \t')),
    // Now and then a line cut short.
    cut: mostly(fc.constant(null), fc.nat()),
  })
  .map(({ sides, meta, dupMeta, space, cut }) => {
    const top: Members = [
      ['captureData', sides],
      ['eventMetadata', meta],
      ['eventVersion', '0'],
    ];
    if (dupMeta) top.push(['eventMetadata', [['eventId', 'later']]]);
    const text = write(top, space);
    return cut === null ? text : text.slice(0, cut % (text.length + 1));
  });

/** JSON text of nested Members, with `space` around every token. */
function write(v: unknown, space: string): string {
  if (Array.isArray(v))
    return `{${space}${(v as Members)
      .map(([k, x]) => `${JSON.stringify(k)}${space}:${space}${write(x, space)}`)
      .join(`${space},${space}`)}${space}}`;
  return JSON.stringify(v);
}

describe('inferenceTimeMs', () => {
  const ms = (s: string) => {
    const b = encode(s);
    return inferenceTimeMs(b, 0, b.length);
  };

  it('equals parseInferenceTime (the general path) on times in every spelling, valid or not', () => {
    const fixed = [
      '2026-11-26T05:21:00Z',
      '2026-02-29T05:21:00Z',
      '2024-02-29T05:21:00Z',
      '2026-04-31T00:00:00Z',
      '2026-02-30T05:21:00Z',
      '2026-11-26T05:21:00',
      '2026-13-01T00:00:00Z',
      '2026-11-26T24:00:00Z',
      '2026-11-26T23:60:00Z',
      '2026-11-26T23:59:60Z',
      '2026-11-26T05:21:00.5Z',
      '2026-11-26T05:21:00.05Z',
      '2026-11-26T05:21:00.123Z',
      '2026-11-26T05:21:00.1234Z',
      '2026-11-26T05:21:00.Z',
      '2026-11-26T05:21:00z',
      '2026-11-26T05:21:00+01:00',
      '0000-01-01T00:00:00Z',
      '9999-12-31T23:59:59Z',
      '2026-1a-26T05:21:00Z',
      '',
      'x',
    ];
    for (const s of fixed) expect(ms(s), s).toBe(parseInferenceTime(s));
    fc.assert(
      fc.property(
        fc.tuple(
          fc.integer({ min: 0, max: 9999 }),
          fc.integer({ min: 0, max: 14 }),
          fc.integer({ min: 0, max: 32 }),
          fc.integer({ min: 0, max: 25 }),
          fc.integer({ min: 0, max: 61 }),
          fc.integer({ min: 0, max: 61 }),
          fc.constantFrom('', '.1', '.12', '.123', '.999'),
        ),
        ([y, mo, d, h, mi, s, frac]) => {
          const p = (n: number, w = 2) => String(n).padStart(w, '0');
          const text = `${p(y, 4)}-${p(mo)}-${p(d)}T${p(h)}:${p(mi)}:${p(s)}${frac}Z`;
          expect(ms(text), text).toBe(parseInferenceTime(text));
        },
      ),
      { numRuns: 2000 },
    );
  });
});

describe('fast-path CSV fields', () => {
  it('parse to the value and integrality the general path gives, and decide the usual numbers', () => {
    const scanner = new CaptureLineScanner(10);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.double({ noNaN: true }).map(String),
          fc.stringMatching(/^[+-]?[0-9]{0,20}(\.[0-9]{0,25})?$/),
          fc.string({ maxLength: 8 }).filter((t) => !/[",\\]/.test(t)),
        ),
        (field) => {
          const line = encode(sageMakerLine(`${field},x`, '1'));
          expect(scanner.scan(line, 0, line.length), field).toBe(true);
          const status = scanner.input.status[0];
          const value = scanner.input.values[0];
          if (field === '') expect(status).toBe(FieldStatus.Empty);
          else if (status === FieldStatus.Integral || status === FieldStatus.Fractional) {
            // What addText would find: decimalValue's number and isIntegralText's class.
            expect(Object.is(value, decimalValue(field)), field).toBe(true);
            expect(status === FieldStatus.Integral).toBe(isIntegralText(field));
          } else expect(status).toBe(FieldStatus.Other);
          // Up to 15 digits with an optional sign and point, the fast path decides by itself.
          const digits = field.replace(/[^0-9]/g, '').length;
          if (/^[+-]?[0-9]*\.?[0-9]*$/.test(field) && digits >= 1 && digits <= 15)
            expect(status === FieldStatus.Integral || status === FieldStatus.Fractional, field).toBe(true);
          expect(scanner.input.columns).toBe(2);
          expect(scanner.input.ends[0]).toBe(scanner.input.start + field.length);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('count columns past the limit as the general path does', () => {
    const lines = [
      sageMakerLine('1,a,2', '0.5'),
      sageMakerLine('1,a,2,3,4', '0.5'),
      sageMakerLine('1,a', '0.5,1,2'),
    ];
    for (const maxColumns of [2, 3, 4, 5]) expectSamePaths(lines, { maxColumns });
  });
});
