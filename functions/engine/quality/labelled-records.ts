/**
 * How labels and predictions are read for each problem type. A record whose label or prediction
 * does not parse is counted, never thrown (records-partial.ts, quality-join.ts): ground truth is
 * written by people and scripts, and one bad line must not lose a window's quality.
 */

import { classifyNumericText, ValueClass } from '../capture/value-parse.ts';

/** A binary class: 1 is the positive class. */
export type BinaryLabel = 0 | 1;

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

/** A binary label from 0/1, `"0"`/`"1"`/`"1.0"`, `true`/`false` or `"true"`/`"false"`; `null` otherwise. */
export function parseBinaryLabel(value: unknown): BinaryLabel | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return 1;
    if (text === 'false') return 0;
  }
  const n = parseFiniteNumber(value);
  return n === 1 ? 1 : n === 0 ? 0 : null;
}

/**
 * The class name a label or prediction stands for; `null` for an empty or non-scalar value.
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
