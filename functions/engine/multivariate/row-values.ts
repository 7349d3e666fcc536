/**
 * How the multivariate monitor reads one value of a row (MULTIVARIATE.md, "Fit" step 1): a
 * numeric column takes finite numbers and numeric text, anything else is missing; a categorical
 * column compares values as text. The fitter and the scorer both read values here, so the
 * baseline and the windows cannot disagree on what "missing" means.
 */
import { decimalValue } from '../capture/value-parse.ts';

/** One value of a row as a source delivers it: a JSON number, a CSV or JSON text, or nothing. */
export type FeatureValue = number | string | null | undefined;

/**
 * A row: one value per column, addressed by column index (the fitter's column order, or the
 * model's feature order when scoring). Feature names are data, so rows are never objects keyed
 * by name.
 */
export type FeatureRow = ArrayLike<FeatureValue>;

/** The kind of a column: numeric values or categories. */
export type MultivariateKind = 'numeric' | 'categorical';

/**
 * A numeric column's value, NaN when missing: a finite number, or a text that is a decimal
 * literal (`capture/value-parse.ts`' rule, so `" 1"`, `"0x1f"` and `"Infinity"` are text, as in
 * the profiles). Text that is not a number counts as missing (MULTIVARIATE.md: "a value of the
 * wrong type counts as missing").
 */
export function numericValue(v: FeatureValue): number {
  if (typeof v === 'number') return Number.isFinite(v) ? v : Number.NaN;
  if (typeof v === 'string' && v.length > 0) return decimalValue(v);
  return Number.NaN;
}

/**
 * A categorical column's value as text, `null` when missing (nothing, an empty text as the
 * profiles count it, or a number that is not finite). A number becomes its JavaScript text, so
 * the JSON number 1 and the CSV field `1` are one category.
 */
export function categoryText(v: FeatureValue): string | null {
  if (typeof v === 'string') return v.length > 0 ? v : null;
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : null;
  return null;
}

/**
 * Orders texts by Unicode code point, as Python's `str` comparison does (the oracle breaks
 * frequency ties with it). JavaScript's `<` compares UTF-16 code units, which differs for
 * characters beyond U+FFFF against those in U+E000..U+FFFF.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x === y) continue;
    // Surrogates (U+D800..U+DFFF) stand for code points above every BMP character.
    const xs = x >= 0xd800 && x <= 0xdfff;
    const ys = y >= 0xd800 && y <= 0xdfff;
    if (xs !== ys) return xs ? 1 : -1;
    return x - y;
  }
  return a.length - b.length;
}
