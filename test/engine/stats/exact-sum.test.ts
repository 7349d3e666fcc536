/**
 * Exact summation: the sum of any doubles, in any order and any split, is their exact sum
 * correctly rounded (checked against BigInt arithmetic on the doubles' exact values).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ExactSum } from '../../../functions/engine/stats/exact-sum.ts';

/** A finite double as an exact rational m * 2^e with BigInt m (e may be negative). */
function exact(x: number): { m: bigint; e: number } {
  if (x === 0) return { m: 0n, e: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const sign = bits >> 63n ? -1n : 1n;
  const exponent = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  return exponent === 0
    ? { m: sign * fraction, e: -1074 }
    : { m: sign * (fraction | (1n << 52n)), e: exponent - 1075 };
}

/** The exact sum of `xs` rounded to the nearest double, ties to even, via BigInt. */
function referenceSum(xs: readonly number[]): number {
  let total = 0n; // in units of 2^-1074
  for (const x of xs) {
    const { m, e } = exact(x);
    total += m << BigInt(e + 1074);
  }
  if (total === 0n) return 0;
  const negative = total < 0n;
  let t = negative ? -total : total;
  // Round to 53 significant bits, half to even.
  const bitsOf = t.toString(2).length;
  let shift = Math.max(0, bitsOf - 53);
  if (bitsOf <= 53) shift = 0;
  let e = -1074 + shift;
  if (shift > 0) {
    const rest = t & ((1n << BigInt(shift)) - 1n);
    const half = 1n << BigInt(shift - 1);
    t >>= BigInt(shift);
    if (rest > half || (rest === half && (t & 1n) === 1n)) t += 1n;
    if (t === 1n << 53n) {
      t >>= 1n;
      e += 1;
    }
  }
  const value = Number(t) * 2 ** e;
  return negative ? -value : value;
}

const doubles = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e300, max: 1e300 });

describe('ExactSum', () => {
  it('gives the correctly rounded exact sum of any doubles', () => {
    fc.assert(
      fc.property(fc.array(doubles, { maxLength: 40 }), (xs) => {
        const s = new ExactSum();
        for (const x of xs) s.add(x);
        expect(s.value()).toBe(referenceSum(xs));
      }),
      { numRuns: 500 },
    );
  });

  it('does not depend on order or on how the terms are split and merged', () => {
    fc.assert(
      fc.property(fc.array(doubles, { minLength: 1, maxLength: 40 }), fc.nat(), (xs, cut) => {
        const whole = new ExactSum();
        for (const x of xs) whole.add(x);
        const at = cut % xs.length;
        const a = new ExactSum();
        const b = new ExactSum();
        for (const x of xs.slice(0, at).reverse()) a.add(x);
        for (const x of xs.slice(at)) b.add(x);
        const merged = ExactSum.of(b.state());
        merged.merge(a);
        expect(merged.value()).toBe(whole.value());
      }),
      { numRuns: 500 },
    );
  });

  it('keeps what plain addition loses', () => {
    const s = new ExactSum();
    for (const x of [1e16, 1, -1e16, 1e-16, 1]) s.add(x);
    expect(s.value()).toBe(2);
    expect(1e16 + 1 - 1e16 + 1e-16 + 1).not.toBe(2);
  });

  it('refuses non-finite terms', () => {
    expect(() => new ExactSum().add(Number.POSITIVE_INFINITY)).toThrow('cannot add Infinity to an exact sum');
  });
});
