/**
 * Malformed capture is counted, never thrown (issue 8, "Hostile input"): each line of the corpus
 * is either profiled or rejected under its named reason, and total = profiled + rejected.
 */
import { describe, expect, it } from 'vitest';
import { REJECT_REASON_TEXT } from '../../../functions/engine/capture/capture-record.ts';
import type { WindowProfile } from '../../../functions/engine/profile/window-profile.ts';
import {
  WindowProfiler,
  type WindowProfilerOptions,
} from '../../../functions/engine/profile/window-profiler.ts';
import {
  captureFile,
  captureLine,
  churnSchema,
  csvSide,
  deeplyNestedJson,
  hostileCorpus,
  jsonSide,
  profileChunks,
  rejectedSum,
} from '../../support/capture-lines.ts';

const schema = churnSchema;

const toBytes = (line: string | Uint8Array) =>
  typeof line === 'string' ? new TextEncoder().encode(line) : line;

/** Profiles one file made of `lines` (each LF-terminated). */
function profileFile(lines: Array<string | Uint8Array>, options: WindowProfilerOptions = {}): WindowProfile {
  const parts = lines.flatMap((l) => [toBytes(l), new Uint8Array([10])]);
  return profileChunks(new WindowProfiler(schema(), options), [Buffer.concat(parts)]);
}

/** total = profiled + rejected, and the reasons add up to the rejected count. */
function expectAccounted(p: WindowProfile, total: number): void {
  expect(p.total).toBe(total);
  expect(p.profiled + p.rejected).toBe(p.total);
  expect(rejectedSum(p)).toBe(p.rejected);
  for (const reason of p.rejectedByReason.keys()) expect(Object.keys(REJECT_REASON_TEXT)).toContain(reason);
}

describe('hostile capture corpus', () => {
  const corpus = hostileCorpus();

  for (const c of corpus) {
    it(`${c.name}: ${c.reason ?? 'profiled'}`, () => {
      const p = profileFile([c.line]);

      expectAccounted(p, 1);
      if (c.reason === null) expect(p.profiled).toBe(1);
      else expect(Object.fromEntries(p.rejectedByReason)).toEqual({ [c.reason]: 1 });
    });
  }

  it('accounts for every line of the whole corpus in one file', () => {
    const p = profileFile(corpus.map((c) => c.line));

    expectAccounted(p, corpus.length);
    expect(p.profiled).toBe(corpus.filter((c) => c.reason === null).length);
    const expected: Record<string, number> = {};
    for (const c of corpus) if (c.reason !== null) expected[c.reason] = (expected[c.reason] ?? 0) + 1;
    expect(Object.fromEntries(p.rejectedByReason)).toEqual(expected);
  });
});

describe('hostile capture: values', () => {
  it('keeps 1e308 and -0 as numbers and counts "NaN", "Infinity" and 1e309 as type mismatches', () => {
    const p = profileFile([
      captureLine({ input: csvSide('1e308,Paris,-1e308'), output: csvSide('-0') }),
      captureLine({ input: csvSide('NaN,Paris,Infinity'), output: csvSide('1e309') }),
      captureLine({
        input: jsonSide('{"age":1e309,"city":"x","income":"-Infinity"}'),
        output: jsonSide('-0'),
      }),
    ]);

    expectAccounted(p, 3);
    expect(p.profiled).toBe(3);
    const age = p.features.get('age')!;
    const income = p.features.get('income')!;
    const score = p.features.get('score')!;
    expect(Array.from(age.numeric!.sortedValues())).toEqual([1e308]);
    expect(age.typeMismatch).toBe(2);
    expect(Array.from(income.numeric!.sortedValues())).toEqual([-1e308]);
    expect(income.typeMismatch).toBe(2);
    expect(Object.is(score.numeric!.sortedValues()[0], -0)).toBe(true);
    expect(score.numeric!.count).toBe(2);
    expect(score.typeMismatch).toBe(1);
  });

  // Regression: JSON.stringify of a deeply nested value overflowed the stack and the RangeError
  // escaped addLine.
  it('does not throw on 100,000 levels of nesting in a categorical value', () => {
    const deep = deeplyNestedJson(100_000);
    const line = captureLine({
      input: jsonSide(`{"age":35,"city":${deep},"income":1}`),
      output: csvSide('0.4'),
    });

    const p = profileFile([line]);

    expectAccounted(p, 1);
    expect(p.profiled).toBe(1);
  });

  // Regression: the same overflow for a key the baseline does not know (profiled as 'infer').
  it('does not throw on 100,000 levels of nesting under a key the baseline does not know', () => {
    const deep = deeplyNestedJson(100_000);
    const line = captureLine({ input: jsonSide(`{"age":35,"city":"Paris","income":1,"extra":${deep}}`) });

    const p = profileFile([line]);

    expectAccounted(p, 1);
  });
});

describe('hostile capture: limits', () => {
  const bigLine = (bytes: number) => {
    const filler = 'x'.repeat(bytes);
    return captureLine({ input: csvSide(`35,${filler},1`), output: csvSide('0.42') });
  };
  const inMegabyteChunks = (bytes: Uint8Array) =>
    Array.from({ length: Math.ceil(bytes.length / (1 << 20)) }, (_, i) =>
      bytes.subarray(i << 20, (i + 1) << 20),
    );

  it('accepts a valid 20 MB line under the default limit (the long category is cut)', () => {
    const bytes = captureFile([bigLine(20_000_000), captureLine({ input: csvSide('36,Rome,2') })]);

    const p = profileChunks(new WindowProfiler(schema()), inMegabyteChunks(bytes));

    expectAccounted(p, 2);
    expect(p.profiled).toBe(2);
    const city = p.features.get('city')!.categorical!;
    expect(city.truncated).toBe(1);
    expect(Math.max(...[...city.counts.keys()].map((k) => k.length))).toBe(257);
  });

  it('rejects the same 20 MB line as line_too_long under a 1 MB limit, and reads the next line', () => {
    const bytes = captureFile([bigLine(20_000_000), captureLine({ input: csvSide('36,Rome,2') })]);

    const p = profileChunks(new WindowProfiler(schema(), { maxLineBytes: 1 << 20 }), inMegabyteChunks(bytes));

    expectAccounted(p, 2);
    expect(p.profiled).toBe(1);
    expect(Object.fromEntries(p.rejectedByReason)).toEqual({ line_too_long: 1 });
  });

  it('rejects CSV past --max-columns as too_many_columns', () => {
    const p = profileFile([captureLine({ input: csvSide('35,Paris,1'), output: csvSide('1,2,3,4,5,6') })], {
      maxColumns: 5,
    });

    expectAccounted(p, 1);
    expect(Object.fromEntries(p.rejectedByReason)).toEqual({ too_many_columns: 1 });
  });

  it('counts, not profiles, new JSON keys past --max-columns', () => {
    const row = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, i]));

    const p = profileFile([captureLine({ input: jsonSide({ age: 1, city: 'x', income: 2, ...row }) })], {
      maxColumns: 10,
    });

    expectAccounted(p, 1);
    expect(p.features.size).toBe(10);
    expect(Object.fromEntries(p.limitsHit)).toEqual({ max_columns: 44 });
  });

  // Regression: --max-columns used to apply to CSV only; one wide positional JSON row created a
  // feature per column (unbounded memory from one line).
  it('rejects a positional JSON row past --max-columns as too_many_columns', () => {
    const wide = JSON.stringify([Array.from({ length: 100 }, (_, i) => i)]);

    const p = profileFile([captureLine({ input: csvSide('35,Paris,1'), output: jsonSide(wide) })], {
      maxColumns: 20,
    });

    expectAccounted(p, 1);
    expect(Object.fromEntries(p.rejectedByReason)).toEqual({ too_many_columns: 1 });
    expect(p.features.size).toBeLessThanOrEqual(20);
  });

  // Regression: column namings were cached under inputCols * 65536 + outputCols, so one hostile
  // line (2 inputs, 65,536 outputs) collided with (3, 0) and broke every later row.
  it('a row with 65,536 output columns does not change how later rows are named', () => {
    const wide = JSON.stringify([Array.from({ length: 65_536 }, () => 0)]);
    const lines = [
      captureLine({ input: csvSide('35,Paris'), output: jsonSide(wide) }),
      captureLine({ input: csvSide('36,Rome,2') }),
    ];

    const p = profileFile(lines, { maxColumns: 100_000 });

    expectAccounted(p, 2);
    expect(p.profiled).toBe(1);
  });

  // An empty CSV body is one record with one empty field: for a one-column payload (a score)
  // that is a missing value; for a multi-column input it is a row with too few columns.
  it('reads an empty CSV body as one empty field: too few columns for a 3-column input', () => {
    const p = profileFile([captureLine({ input: csvSide(''), output: csvSide('0.4') })]);

    expectAccounted(p, 1);
    expect(Object.fromEntries(p.rejectedByReason)).toEqual({ csv_too_few_columns: 1 });
  });

  it('reads an empty one-column CSV output as a missing score', () => {
    const p = profileFile([captureLine({ input: csvSide('30,Paris,1'), output: csvSide('') })]);

    expectAccounted(p, 1);
    expect(p.profiled).toBe(1);
  });
});

describe('hostile capture: file shape', () => {
  const line = (age: number) => captureLine({ input: csvSide(`${age},Paris,1`), output: csvSide('0.5') });

  it('reads an empty file as no records', () => {
    const p = profileChunks(new WindowProfiler(schema()), [new Uint8Array(0)]);

    expectAccounted(p, 0);
    expect(p.files).toBe(1);
  });

  it('reads CRLF line ends, a BOM, blank lines and a missing final newline', () => {
    const text = `\ufeff${line(1)}\r\n\r\n   \r\n${line(2)}\r\n\n${line(3)}`;

    const p = profileChunks(new WindowProfiler(schema()), [new TextEncoder().encode(text)]);

    expectAccounted(p, 3);
    expect(p.profiled).toBe(3);
    expect(Array.from(p.features.get('age')!.numeric!.sortedValues())).toEqual([1, 2, 3]);
  });
});
