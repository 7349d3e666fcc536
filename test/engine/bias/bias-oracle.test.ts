/**
 * Clarify's bias metrics against the cases AWS's own library (smclarify) computed
 * (test/fixtures/oracle/bias-cases.json): every metric of every case, by name, to 1e-9, the
 * infinities included. Also: counts merged from parts give the same metrics.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../../functions/contracts/json-fields.ts';
import { type BiasConfig, parseBiasConfig } from '../../../functions/engine/bias/analysis-config.ts';
import { BiasCounts } from '../../../functions/engine/bias/bias-counts.ts';
import {
  type BiasMetric,
  postTrainingMetrics,
  preTrainingMetrics,
} from '../../../functions/engine/bias/bias-metrics.ts';
import { BiasTally, facetValueOrThreshold, rowOfObject } from '../../../functions/engine/bias/facet-rows.ts';

interface OracleMetric {
  name: string;
  description: string;
  value: number | string | null;
}
interface OracleCase {
  name: string;
  columns: string[];
  rows: unknown[][];
  analysis_config: {
    label: string;
    label_values_or_threshold: (string | number)[];
    facet: { name_or_index: string; value_or_threshold: (string | number)[] }[];
    group_variable: string;
    probability_threshold: number;
    methods: { pre_training_bias: { methods: string[] }; post_training_bias: { methods: string[] } };
  };
  expected: Record<
    'pre_training_bias_metrics' | 'post_training_bias_metrics',
    { value_or_threshold: string; metrics: OracleMetric[] }[]
  >;
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/bias-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

function setUp(c: OracleCase) {
  const cfg = c.analysis_config;
  const rows = c.rows.map((r) => Object.fromEntries(c.columns.map((name, i) => [name, r[i]])));
  const config = parseBiasConfig(cfg);
  return { cfg, rows, config };
}

/** The case's rows counted as a run counts them (BiasTally), for its one facet value. */
function countRows(config: BiasConfig, rows: Record<string, unknown>[]) {
  const tally = new BiasTally(config, 'score');
  for (const row of rows) tally.add(rowOfObject(row as JsonObject));
  const { facet, counts } = tally.facets[0]!;
  return { counts, valueOrThreshold: facetValueOrThreshold(facet, counts) };
}

/** The oracle's value as a number: "Infinity" / "-Infinity" strings are the infinities. */
const asNumber = (v: number | string | null) =>
  v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : v;

function expectMetrics(got: BiasMetric[], want: OracleMetric[], where: string): void {
  expect(
    got.map((m) => m.name),
    where,
  ).toEqual(want.map((m) => m.name));
  for (const w of want) {
    const g = got.find((m) => m.name === w.name)!;
    expect(g.description, `${where} ${w.name}`).toBe(w.description);
    const value = asNumber(w.value);
    if (typeof value === 'number' && Number.isFinite(value))
      expect(Math.abs(g.value - value), `${where} ${w.name}: ${g.value} vs ${value}`).toBeLessThanOrEqual(
        1e-9,
      );
    else expect(g.value, `${where} ${w.name}`).toBe(value);
  }
}

describe('bias metrics against smclarify', () => {
  it('covers the cases of the oracle file', () => {
    expect(ORACLE.cases).toHaveLength(9);
  });

  for (const c of ORACLE.cases) {
    it(`${c.name}: every pre- and post-training metric`, () => {
      const { cfg, rows, config } = setUp(c);

      const { counts, valueOrThreshold } = countRows(config, rows);

      const pre = c.expected.pre_training_bias_metrics[0]!;
      const post = c.expected.post_training_bias_metrics[0]!;
      expect(valueOrThreshold).toBe(pre.value_or_threshold);
      expect(valueOrThreshold).toBe(post.value_or_threshold);
      expectMetrics(
        preTrainingMetrics(counts, cfg.methods.pre_training_bias.methods),
        pre.metrics,
        `${c.name} pre`,
      );
      expectMetrics(
        postTrainingMetrics(counts, cfg.methods.post_training_bias.methods),
        post.metrics,
        `${c.name} post`,
      );
    });
  }

  it('gives the same metrics from counts merged from parts', () => {
    const c = ORACLE.cases.find((x) => x.name === 'large window')!;
    const { rows, config } = setUp(c);
    const whole = countRows(config, rows).counts;
    const merged = new BiasCounts();
    for (let i = 0; i < rows.length; i += 3_000)
      merged.merge(countRows(config, rows.slice(i, i + 3_000)).counts);

    expect(preTrainingMetrics(merged)).toEqual(preTrainingMetrics(whole));
    expect(postTrainingMetrics(merged)).toEqual(postTrainingMetrics(whole));
  });
});
