/**
 * How a raw value is classified, the way SageMaker's analyzer does it: `Integral` (an integer
 * literal), `Fractional` (any other finite decimal number) or `String`. A CSV field is text;
 * a JSON value may already be a number.
 */

export enum ValueClass {
  Missing = 0,
  Integral = 1,
  Fractional = 2,
  String = 3,
}

/**
 * Classifies a decimal literal by scanning its characters once: optional sign, digits,
 * optional fraction, optional exponent. Anything else (hex, `NaN`, `Infinity`, spaces, `1_000`)
 * is a String, so `Number()`'s lenient extras never turn text into numbers.
 */
export function classifyNumericText(s: string): ValueClass {
  const len = s.length;
  if (len === 0) return ValueClass.Missing;
  let i = 0;
  let c = s.charCodeAt(0);
  if (c === 45 /* - */ || c === 43 /* + */) {
    if (len === 1) return ValueClass.String;
    i = 1;
  }
  let digits = 0;
  let integral = true;
  for (; i < len; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) digits++;
    else break;
  }
  if (i < len && c === 46 /* . */) {
    integral = false;
    for (i++; i < len; i++) {
      c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
      else break;
    }
  }
  if (digits === 0) return ValueClass.String;
  if (i < len && (c === 101 || c === 69) /* e E */) {
    integral = false;
    i++;
    if (i < len && (s.charCodeAt(i) === 45 || s.charCodeAt(i) === 43)) i++;
    let expDigits = 0;
    for (; i < len; i++) {
      c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) expDigits++;
      else break;
    }
    if (expDigits === 0) return ValueClass.String;
  }
  if (i !== len) return ValueClass.String;
  return integral ? ValueClass.Integral : ValueClass.Fractional;
}

/**
 * The value of a decimal literal, or NaN when `s` is not one (or is not finite): the same
 * verdict as classifyNumericText followed by Number(), but cheaper, since it lets Number() do
 * the scanning and only rules out the extras Number() accepts (whitespace, hex/binary/octal,
 * "Infinity"). Integral or not is then `isIntegralText`.
 */
export function decimalValue(s: string): number {
  const x = +s;
  if (!Number.isFinite(x)) return Number.NaN;
  const first = s.charCodeAt(0);
  const last = s.charCodeAt(s.length - 1);
  // First: a digit, sign or point; last: a digit or point (no padding, no "Infinity").
  if (!((first >= 48 && first <= 57) || first === 45 || first === 43 || first === 46)) return Number.NaN;
  if (!((last >= 48 && last <= 57) || last === 46)) return Number.NaN;
  // "0x1f", "0b11", "0o7": a letter right after a leading zero.
  if (first === 48 && s.length > 2) {
    const second = s.charCodeAt(1) | 32;
    if (second === 120 || second === 98 || second === 111) return Number.NaN;
  }
  return x;
}

/** For a text decimalValue accepted: true when it has no fraction or exponent. */
export function isIntegralText(s: string): boolean {
  return s.indexOf('.') === -1 && s.indexOf('e') === -1 && s.indexOf('E') === -1;
}

/** What the last `parseDecimalSpan` call found (a module-level result, so the hot path allocates nothing). */
export enum SpanStatus {
  /** A decimal: the value returned, integral or not in `spanIntegral`. */
  Decimal = 0,
  /** Empty: a missing value. */
  Empty = 1,
  /** Not something the fast path decides: use decimalValue on the slice. */
  Slow = 2,
}

export let spanStatus: SpanStatus = SpanStatus.Decimal;
export let spanIntegral = false;

/** Powers of ten exact as doubles (10^22 is the last). */
export const POW10 = [
  1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
  1e20, 1e21, 1e22,
];

/**
 * Parses the decimal in s[start, end) without slicing it out: the Clinger fast path. With at
 * most 15 significant digits the digits form an integer below 2^53 and 10^k is exact for
 * k <= 22, so one multiplication or division by 10^k is correctly rounded: the same double
 * Number() gives. Anything else (more digits, a larger exponent, any other character) sets
 * `spanStatus` to Slow and the caller falls back to decimalValue on the slice.
 */
export function parseDecimalSpan(s: string, start: number, end: number): number {
  if (start === end) {
    spanStatus = SpanStatus.Empty;
    return Number.NaN;
  }
  let i = start;
  let c = s.charCodeAt(i);
  let negative = false;
  if (c === 45 || c === 43) {
    negative = c === 45;
    i++;
  }
  let mantissa = 0;
  let digits = 0;
  let significant = 0;
  let scale = 0;
  let integral = true;
  for (; i < end; i++) {
    c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    digits++;
    if (significant > 0 || c !== 48) {
      significant++;
      mantissa = mantissa * 10 + (c - 48);
    }
  }
  if (i < end && c === 46) {
    integral = false;
    for (i++; i < end; i++) {
      c = s.charCodeAt(i);
      if (c < 48 || c > 57) break;
      digits++;
      scale--;
      if (significant > 0 || c !== 48) {
        significant++;
        mantissa = mantissa * 10 + (c - 48);
      }
    }
  }
  if (i !== end || digits === 0 || significant > 15 || scale < -22) {
    // An exponent, a stray character, too many digits: the slow path decides.
    spanStatus = SpanStatus.Slow;
    return Number.NaN;
  }
  spanStatus = SpanStatus.Decimal;
  spanIntegral = integral;
  const value = scale === 0 ? mantissa : mantissa / POW10[-scale]!;
  return negative ? -value : value;
}

/**
 * A finite number from a number or decimal text (surrounding spaces allowed); `null` otherwise.
 * Decimal text only: `Number()` alone would also take `""`, `"0x1"` and `"Infinity"`.
 */
export function parseFiniteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const kind = classifyNumericText(text);
  if (kind !== ValueClass.Integral && kind !== ValueClass.Fractional) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * The class name a label, prediction, facet or group value stands for; `null` for an empty or non-scalar value.
 * Numbers and numeric text share one spelling (`1`, `1.0` and `"1.0"` are all class `"1"`),
 * because a label written as text must match a model that outputs floats (XGBoost does).
 */
export function classKey(value: unknown): string | null {
  if (typeof value === 'boolean') return String(value);
  const n = parseFiniteNumber(value);
  if (n !== null) return String(n);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}
