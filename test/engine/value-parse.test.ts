// The fast decimal check must give the same verdict as the character-by-character classifier.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  classifyNumericText,
  decimalValue,
  isIntegralText,
  ValueClass,
} from '../../functions/engine/value-parse.ts';

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
