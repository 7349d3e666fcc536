/**
 * The proof that the statistics follow METRICS.md: every field of every case of the shared
 * oracle (computed with scipy/numpy from the same definitions) must match to 1e-9, absolute,
 * or relative for |expected| > 1.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { categoricalMetrics } from '../../../functions/engine/drift/categorical-drift.ts';
import { type NumericSide, numericMetrics } from '../../../functions/engine/drift/numeric-drift.ts';
import { exactMoments } from '../../../functions/engine/stats/moments.ts';
import { fromUnsorted } from '../../../functions/engine/stats/weighted-sample.ts';

interface OracleCase {
  name: string;
  kind: 'numeric' | 'categorical';
  baseline: unknown[];
  current: unknown[];
  expected: Record<string, unknown>;
}

const oracle = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/drift-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

const TOLERANCE = 1e-9;

/**
 * Compares every field `expected` has (recursively) with `actual`, appending one message per
 * mismatch with the field's path. Returns the number of leaf values compared.
 */
function compareFields(actual: unknown, expected: unknown, path: string, failures: string[]): number {
  if (expected === null) {
    if (actual !== null) failures.push(`${path}: expected null, got ${JSON.stringify(actual)}`);
    return 1;
  }
  if (typeof expected === 'number') {
    if (typeof actual !== 'number') {
      failures.push(`${path}: expected ${expected}, got ${JSON.stringify(actual)}`);
    } else if (!(Math.abs(actual - expected) <= TOLERANCE * Math.max(1, Math.abs(expected)))) {
      failures.push(`${path}: expected ${expected}, got ${actual} (off by ${actual - expected})`);
    }
    return 1;
  }
  if (typeof expected === 'string' || typeof expected === 'boolean') {
    if (actual !== expected)
      failures.push(`${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    return 1;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      failures.push(`${path}: expected an array of ${expected.length}, got ${JSON.stringify(actual)}`);
      return 1;
    }
    let leaves = 0;
    expected.forEach((e, i) => {
      leaves += compareFields(actual[i], e, `${path}[${i}]`, failures);
    });
    return leaves;
  }
  if (typeof expected === 'object') {
    if (typeof actual !== 'object' || actual === null || Array.isArray(actual)) {
      failures.push(`${path}: expected an object, got ${JSON.stringify(actual)}`);
      return 1;
    }
    let leaves = 0;
    for (const [key, e] of Object.entries(expected)) {
      leaves += compareFields((actual as Record<string, unknown>)[key], e, `${path}.${key}`, failures);
    }
    return leaves;
  }
  throw new Error(`${path}: unexpected oracle value ${String(expected)}`);
}

function numericSide(raw: unknown[]): NumericSide {
  const values = raw as number[];
  return { ...exactMoments(values), sample: fromUnsorted(values) };
}

function categoryCounts(raw: unknown[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const v of raw as string[]) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}

function actualMetrics(c: OracleCase): unknown {
  return c.kind === 'numeric'
    ? numericMetrics(numericSide(c.baseline), numericSide(c.current))
    : categoricalMetrics(categoryCounts(c.baseline), categoryCounts(c.current));
}

describe('drift oracle (METRICS.md)', () => {
  it('has both kinds of cases', () => {
    const kinds = new Set(oracle.cases.map((c) => c.kind));
    expect(kinds).toEqual(new Set(['numeric', 'categorical']));
  });

  it('has a comparer that reports every mismatching field by path', () => {
    const failures: string[] = [];
    const expected = { a: 1, b: [0.5, null], c: { d: 2e6 }, e: [1, 2] };
    const actual = { a: 1 + 2e-9, b: [0.5, 0], c: { d: 2e6 * (1 + 5e-10) }, e: [1], extra: 'ignored' };
    expect(compareFields(actual, expected, 'x', failures)).toBe(5);
    expect(failures.map((f) => f.split(':')[0])).toEqual(['x.a', 'x.b[1]', 'x.e']);
  });

  it.each(oracle.cases.map((c) => [c.name, c] as const))('%s matches every expected field', (_name, c) => {
    const failures: string[] = [];
    const leaves = compareFields(actualMetrics(c), c.expected, c.name, failures);
    expect(failures).toEqual([]);
    expect(leaves).toBeGreaterThan(10);
  });
});
