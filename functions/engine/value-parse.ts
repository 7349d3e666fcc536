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

/** Classifies a JSON value: numbers by integrality, strings by their text, others as String. */
export function classifyJsonValue(v: unknown): ValueClass {
  if (v === null || v === undefined) return ValueClass.Missing;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return ValueClass.String;
    return Number.isInteger(v) ? ValueClass.Integral : ValueClass.Fractional;
  }
  if (typeof v === 'string') return classifyNumericText(v);
  return ValueClass.String;
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
