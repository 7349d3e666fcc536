/**
 * How labels and predictions are read for each problem type. A record whose label or prediction
 * does not parse is counted, never thrown (records-partial.ts, quality-join.ts): ground truth is
 * written by people and scripts, and one bad line must not lose a window's quality.
 */

import { parseFiniteNumber } from '../capture/value-parse.ts';

// Read here by quality's modules; they live with value parsing so bias reads values alike.
export { classKey, parseFiniteNumber } from '../capture/value-parse.ts';

/** A binary class: 1 is the positive class. */
export type BinaryLabel = 0 | 1;

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
