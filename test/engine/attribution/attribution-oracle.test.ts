/**
 * The attribution cases (test/fixtures/oracle/attribution-cases.json, ATTRIBUTION.md): a linear
 * model's exact Shapley values through the whole engine. Baseline and each window's global
 * attributions and nDCG to 1e-6, the violation exactly; every row explained.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { explainRecords } from '../../../functions/engine/attribution/explain-records.ts';
import { isAttributionDrift, ndcg } from '../../../functions/engine/attribution/global-attribution.ts';
import { linearModel } from '../../support/model-endpoint.ts';

interface OracleCase {
  name: string;
  features: string[];
  model: { weights: number[]; bias: number };
  baseline: number[][];
  background: number[];
  expected_baseline: Record<string, number>;
  windows: {
    name: string;
    rows: number[][];
    predictions: number[];
    expected: { attributions: Record<string, number>; ndcg: number; violation: boolean };
  }[];
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/attribution-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

const keyed = (rows: number[][]) => rows.map((values, i) => ({ key: `r${i}`, values }));
/** The oracle's per-feature object as a list in feature order (read by own fields only). */
const inOrder = (features: string[], o: Record<string, number>) =>
  features.map((f) => (Object.hasOwn(o, f) ? o[f]! : Number.NaN));

describe.each(ORACLE.cases)('attribution oracle: $name', (c) => {
  const explain = (rows: number[][]) =>
    explainRecords({
      features: c.features,
      rows: keyed(rows),
      background: [c.background],
      model: linearModel(c.model.weights, c.model.bias),
      records: rows.length,
      maxRows: 10_000_000,
    });

  it('gives the baseline global attributions', async () => {
    const result = await explain(c.baseline);
    expect(result.error).toBeNull();
    expect(result.method).toBe('exact');
    expect(result.recordsExplained).toBe(c.baseline.length);
    const expected = inOrder(c.features, c.expected_baseline);
    result.global!.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
  });

  it.each(c.windows)('window "$name": attributions, nDCG and violation', async (w) => {
    const base = await explain(c.baseline);
    const result = await explain(w.rows);
    expect(result.recordsExplained).toBe(w.rows.length);
    const expected = inOrder(c.features, w.expected.attributions);
    result.global!.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 6);
    });
    // Each record's attributions add up to its prediction less the expected value.
    for (const r of result.records) {
      expect(r.prediction).toBeCloseTo(w.predictions[r.index]!, 6);
      const sum = r.attributions.reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(r.prediction - result.expectedValue!, 9);
    }
    const score = ndcg(result.global!, base.global!);
    expect(score).toBeCloseTo(w.expected.ndcg, 6);
    expect(isAttributionDrift(score)).toBe(w.expected.violation);
  });
});
