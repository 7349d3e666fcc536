/**
 * The proof that the quality metrics follow METRICS.md: every case of the shared oracle
 * (scikit-learn 1.2), through the same entry point the CLI uses, every expected field to 1e-9.
 */

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProblemType } from '../../../functions/contracts/problem-type.ts';
import { computeQuality } from '../../../functions/engine/quality/quality-report.ts';
import type { LabelledPrediction } from '../../../functions/engine/quality/types.ts';

interface OracleCase {
  name: string;
  problemType: ProblemType;
  label: (number | string)[];
  score?: number[];
  prediction?: (number | string)[];
  threshold?: number;
  expected: Record<string, unknown>;
}

const oracle = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/quality-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

/**
 * Every leaf of `expected` against the same path in `actual`: numbers to 1e-9 (absolute, or
 * relative above 1 as METRICS.md allows), everything else exactly. Returns the mismatches, each
 * naming its path, and how many leaves were compared.
 */
function compareDeep(
  actual: unknown,
  expected: unknown,
  path: string,
): { failures: string[]; leaves: number } {
  if (typeof expected === 'number') {
    const ok =
      typeof actual === 'number' && Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
    return { failures: ok ? [] : [`${path}: expected ${expected}, got ${String(actual)}`], leaves: 1 };
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') {
      return { failures: [`${path}: expected an object, got ${String(actual)}`], leaves: 1 };
    }
    const out = { failures: [] as string[], leaves: 0 };
    for (const [key, value] of Object.entries(expected)) {
      const r = compareDeep((actual as Record<string, unknown>)[key], value, `${path}.${key}`);
      out.failures.push(...r.failures);
      out.leaves += r.leaves;
    }
    return out;
  }
  return {
    failures: Object.is(actual, expected)
      ? []
      : [`${path}: expected ${String(expected)}, got ${String(actual)}`],
    leaves: 1,
  };
}

function recordsOf(c: OracleCase): LabelledPrediction[] {
  return c.label.map((label, i) =>
    c.score !== undefined ? { label, score: c.score[i]! } : { label, prediction: c.prediction![i]! },
  );
}

describe('quality metrics match the scikit-learn oracle', () => {
  it('has cases of every problem type', () => {
    expect(new Set(oracle.cases.map((c) => c.problemType))).toEqual(
      new Set(['BinaryClassification', 'MulticlassClassification', 'Regression']),
    );
  });

  it.each(oracle.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    // prepare
    const records = recordsOf(c);
    const join = { matched: records.length, unmatchedPredictions: 0, unmatchedLabels: 0, duplicateLabels: 0 };

    // act
    const quality = computeQuality(c.problemType, records, { join, threshold: c.threshold });

    // assert
    expect(quality.evaluated).toBe(records.length);
    expect(quality.invalidLabels + quality.invalidPredictions).toBe(0);
    const { failures, leaves } = compareDeep(quality.metrics, c.expected, c.name);
    expect(failures).toEqual([]);
    expect(leaves).toBeGreaterThanOrEqual(4);
  });
});
