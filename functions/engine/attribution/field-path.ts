/**
 * Where a value sits in a JSON output, written as a dotted path: names and list positions
 * separated by dots, `predictions.0.score` for `{"predictions": [{"score": 0.7}]}`. A segment of
 * digits is a list position when the value there is a list, and a field name otherwise (so an
 * object keyed `"0"` is reachable too); the empty path is the output itself. Field names are
 * looked up as own fields only (`__proto__` is a name like any other). A name that itself
 * holds a dot cannot be written: such outputs need a path of another kind.
 */
import { fieldOf, type JsonObject } from '../../contracts/json-fields.ts';

/** A parsed dotted path: its segments. */
export interface FieldPath {
  readonly text: string;
  readonly segments: readonly string[];
}

/** Parses `text`; `null` when a segment is empty (`a..b`, a leading or trailing dot). */
export function parseFieldPath(text: string): FieldPath | null {
  if (text === '') return { text, segments: [] };
  const segments = text.split('.');
  return segments.some((s) => s === '') ? null : { text, segments };
}

/** The value at `path` in `value`, or `undefined` when the output has nothing there. */
export function valueAt(value: unknown, path: FieldPath): unknown {
  let v = value;
  for (const seg of path.segments) {
    if (Array.isArray(v)) {
      if (!/^\d+$/.test(seg)) return undefined;
      v = v[Number(seg)];
    } else if (v !== null && typeof v === 'object') {
      v = fieldOf(v as JsonObject, seg);
    } else return undefined;
    if (v === undefined) return undefined;
  }
  return v;
}
