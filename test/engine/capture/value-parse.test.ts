// The fast decimal check must give the same verdict as the character-by-character classifier.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyNumericText,
  decimalValue,
  isIntegralText,
  parseDecimalSpan,
  SpanStatus,
  spanIntegral,
  spanStatus,
  ValueClass,
} from '../../../functions/engine/capture/value-parse.ts';

function reference(s: string): { value: number; integral: boolean } | null {
  const cls = classifyNumericText(s);
  if (cls !== ValueClass.Integral && cls !== ValueClass.Fractional) return null;
  const value = Number(s);
  return Number.isFinite(value) ? { value, integral: cls === ValueClass.Integral } : null;
}

function agrees(s: string): void {
  const ref = reference(s);
  const x = decimalValue(s);
  if (ref === null) expect(Number.isNaN(x), JSON.stringify(s)).toBe(true);
  else {
    expect(x, JSON.stringify(s)).toBe(ref.value);
    expect(isIntegralText(s), JSON.stringify(s)).toBe(ref.integral);
  }
}

describe('decimalValue', () => {
  it.each([
    '0',
    '-0',
    '+5',
    '12',
    '007',
    '1.',
    '.5',
    '-.5',
    '1e5',
    '1E-5',
    '1.5e+3',
    '1e309',
    '-1e309',
    'NaN',
    'Infinity',
    '-Infinity',
    '0x1f',
    '0X1F',
    '0b11',
    '0o7',
    ' 1',
    '1 ',
    '1_000',
    '',
    '-',
    '+',
    '.',
    'e5',
    '1e',
    '1e+',
    '--1',
    '1.2.3',
    'abc',
    '٣',
    '1,5',
    '0.0',
    '9007199254740993',
    '\t1',
    '1\n',
  ])('%j: same verdict as the classifier', (s) => agrees(s));

  it('agrees with the classifier on generated texts (property)', () => {
    const chars = fc.constantFrom(...'0123456789+-.eExXbBoO _aN\t'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 12 }), (a) => agrees(a.join(''))),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.double(), (d) => agrees(String(d))),
      { numRuns: 2000 },
    );
  });
});

describe('parseDecimalSpan', () => {
  /** The span parser must agree with decimalValue wherever it decides, and defer otherwise. */
  function spanAgrees(s: string): void {
    const padded = `x,${s},y`;
    const x = parseDecimalSpan(padded, 2, 2 + s.length);
    if (spanStatus === SpanStatus.Slow) return;
    if (spanStatus === SpanStatus.Empty) {
      expect(s).toBe('');
      return;
    }
    expect(Object.is(x, decimalValue(s)), `${JSON.stringify(s)}: ${x} vs ${decimalValue(s)}`).toBe(true);
    expect(spanIntegral, JSON.stringify(s)).toBe(isIntegralText(s));
  }

  it.each([
    '0',
    '-0',
    '+5',
    '12.25',
    '007',
    '1.',
    '.5',
    '-.5',
    '0.000123',
    '123456789012345',
    '0.1',
    '-7.0001',
    '',
  ])('%j', (s) => spanAgrees(s));

  it('decides the usual numbers (the fast path is taken)', () => {
    for (const s of ['12.3456', '-0.5', '42', '0.036397']) {
      parseDecimalSpan(s, 0, s.length);
      expect(spanStatus, s).toBe(SpanStatus.Decimal);
    }
  });

  it('gives exactly what Number() gives on generated decimals and junk (property)', () => {
    const chars = fc.constantFrom(...'0123456789+-.eE x'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 20 }), (a) => spanAgrees(a.join(''))),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (d) => spanAgrees(String(d))),
      {
        numRuns: 3000,
      },
    );
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 8 }), (m, k) =>
        spanAgrees((m / 10 ** k).toFixed(k)),
      ),
      { numRuns: 3000 },
    );
  });
});
