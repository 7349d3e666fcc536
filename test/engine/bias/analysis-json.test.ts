/**
 * Clarify's analysis.json from a configuration and rows: every oracle case's lists equal
 * smclarify's metric by metric (to 1e-9, "Infinity" included), the layout, errors as the library
 * writes them, and the file read back.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type BiasConfig, parseBiasConfig } from '../../../functions/engine/bias/analysis-config.ts';
import {
  type AnalysisJson,
  analysisJson,
  buildBiasAnalysis,
  facetValueKey,
  parseAnalysisJson,
} from '../../../functions/engine/bias/analysis-json.ts';
import { BiasTally, rowsByColumn } from '../../../functions/engine/bias/facet-rows.ts';
import { BaselineFileError } from '../../../functions/engine/sagemaker/baseline-error.ts';

interface OracleMetric {
  name: string;
  description: string;
  value: number | string | null;
}
interface OracleCase {
  name: string;
  columns: string[];
  rows: unknown[][];
  analysis_config: Record<string, unknown> & { facet: { name_or_index: string }[] };
  expected: Record<
    'pre_training_bias_metrics' | 'post_training_bias_metrics',
    { value_or_threshold: string; metrics: OracleMetric[] }[]
  >;
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/bias-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

function tallyOf(c: OracleCase, config: BiasConfig, score: string | null = 'score'): BiasTally {
  const row = rowsByColumn(c.columns);
  const tally = new BiasTally(config, score);
  for (const r of c.rows) tally.add(row(r));
  return tally;
}

/** The file as it would be written and read: through JSON text. */
const written = (a: ReturnType<typeof buildBiasAnalysis>): AnalysisJson =>
  JSON.parse(JSON.stringify(analysisJson(a)));

function expectMetricsEqual(got: OracleMetric[], want: OracleMetric[], where: string): void {
  expect(
    got.map((m) => m.name),
    where,
  ).toEqual(want.map((m) => m.name));
  want.forEach((w, i) => {
    const g = got[i]!;
    expect(g.description, `${where} ${w.name}`).toBe(w.description);
    if (typeof w.value === 'number')
      expect(
        Math.abs((g.value as number) - w.value),
        `${where} ${w.name}: ${g.value} vs ${w.value}`,
      ).toBeLessThanOrEqual(1e-9);
    else expect(g.value, `${where} ${w.name}`).toBe(w.value);
  });
}

describe('analysis.json against smclarify', () => {
  for (const c of ORACLE.cases)
    it(`${c.name}: both stages equal the library's lists`, () => {
      const config = parseBiasConfig(c.analysis_config);

      const json = written(buildBiasAnalysis(tallyOf(c, config)));

      const facet = c.analysis_config.facet[0]!.name_or_index;
      for (const key of ['pre_training_bias_metrics', 'post_training_bias_metrics'] as const) {
        const stage = json[key]!;
        expect(stage.label).toBe('label');
        expect(Object.keys(stage.facets)).toEqual([facet]);
        const got = stage.facets[facet]!;
        const want = c.expected[key];
        expect(got.map((e) => e.value_or_threshold)).toEqual(want.map((e) => e.value_or_threshold));
        expectMetricsEqual(got[0]!.metrics as OracleMetric[], want[0]!.metrics, `${c.name} ${key}`);
      }
    });

  it('writes the positive label values as label_value_or_threshold', () => {
    const c = ORACLE.cases.find((x) => x.name === 'threshold 0.3, string labels')!;

    const json = written(buildBiasAnalysis(tallyOf(c, parseBiasConfig(c.analysis_config))));

    expect(json.version).toBe('1.0');
    expect(json.pre_training_bias_metrics!.label_value_or_threshold).toBe('churn');
  });
});

describe('analysis.json layout', () => {
  const c = ORACLE.cases.find((x) => x.name === 'categorical facet, mild bias')!;
  const base = c.analysis_config;

  it('lists two facets, and two values of one column, each under its column', () => {
    const config = parseBiasConfig({
      ...base,
      facet: [
        { name_or_index: 'region', value_or_threshold: ['south'] },
        { name_or_index: 'age', value_or_threshold: [60] },
        { name_or_index: 'region', value_or_threshold: ['north', 'west'] },
      ],
    });

    const json = written(buildBiasAnalysis(tallyOf(c, config)));

    const facets = json.pre_training_bias_metrics!.facets;
    expect(Object.keys(facets)).toEqual(['region', 'age']);
    expect(facets.region!.map((e) => e.value_or_threshold)).toEqual(['south', 'north,west']);
    expect(facets.age!.map((e) => e.value_or_threshold)).toEqual(['(60, 89]']);
  });

  it('writes only the configured metrics, and no post-training stage without scores', () => {
    const config = parseBiasConfig({
      ...base,
      methods: { pre_training_bias: { methods: ['DPL', 'CI'] }, post_training_bias: { methods: ['DI'] } },
    });

    const withScores = written(buildBiasAnalysis(tallyOf(c, config)));
    const withoutScores = written(buildBiasAnalysis(tallyOf(c, config, null)));

    expect(withScores.pre_training_bias_metrics!.facets.region![0]!.metrics.map((m) => m.name)).toEqual([
      'CI',
      'DPL',
    ]);
    expect(withScores.post_training_bias_metrics!.facets.region![0]!.metrics.map((m) => m.name)).toEqual([
      'DI',
    ]);
    expect(withoutScores.post_training_bias_metrics).toBeUndefined();
    expect(withoutScores.pre_training_bias_metrics).toBeDefined();
  });

  it('writes a metric the counts cannot give as null with the error, as the library does', () => {
    const config = parseBiasConfig({
      ...base,
      facet: [{ name_or_index: 'region', value_or_threshold: ['nowhere'] }],
    });

    const json = written(buildBiasAnalysis(tallyOf(c, config)));

    const ci = json.pre_training_bias_metrics!.facets.region![0]!.metrics.find((m) => m.name === 'CI')!;
    expect(ci).toEqual({
      name: 'CI',
      description: 'Class Imbalance (CI)',
      value: null,
      error: 'Facet set is empty',
    });
    expect(Object.keys(ci)).toEqual(['name', 'description', 'value', 'error']);
  });
});

describe('parseAnalysisJson', () => {
  const c = ORACLE.cases.find((x) => x.name === 'facet never predicted positive (infinite and zero ratios)')!;
  const config = parseBiasConfig({
    ...c.analysis_config,
    facet: [
      { name_or_index: 'region', value_or_threshold: ['south'] },
      { name_or_index: 'age', value_or_threshold: [60] },
      { name_or_index: 'region', value_or_threshold: ['nowhere'] },
    ],
  });
  const analysis = buildBiasAnalysis(tallyOf(c, config));

  it('reads back what was written: infinities, errors and matching keys included', () => {
    const back = parseAnalysisJson(written(analysis));

    expect(back).toEqual(analysis);
    const post = back.postTraining!.facets[0]!.values[0]!.metrics;
    expect(post.find((m) => m.name === 'TE')!.value).toBe(Number.POSITIVE_INFINITY);
    expect(post.find((m) => m.name === 'DCA')!.value).toBe(Number.NEGATIVE_INFINITY);
  });

  it('keys a threshold facet by its threshold, whatever the maximum in its interval', () => {
    expect(facetValueKey('(60, 89]')).toBe('60');
    expect(facetValueKey('(60.0, 89.5]')).toBe('60');
    expect(facetValueKey('60')).toBe('60');
    expect(facetValueKey('1.0,south')).toBe('1,south');
    expect(facetValueKey('south')).toBe('south');
  });

  it('reads a facet named "__proto__" as a facet like any other', () => {
    const json = JSON.parse(
      '{"pre_training_bias_metrics": {"label": "y", "label_value_or_threshold": "1", "facets": {"__proto__": [{"value_or_threshold": "a", "metrics": [{"name": "CI", "description": "Class Imbalance (CI)", "value": 0.5}]}]}}}',
    );

    const back = parseAnalysisJson(json);

    expect(back.preTraining!.facets.map((f) => f.name)).toEqual(['__proto__']);
    expect(JSON.parse(JSON.stringify(analysisJson(back)))).toEqual(json);
  });

  const good = written(analysis) as unknown as Record<string, Record<string, unknown>>;
  const broken = (edit: (j: Record<string, Record<string, unknown>>) => void) => {
    const j = structuredClone(good);
    edit(j);
    return j;
  };
  const metricsOf = (j: Record<string, Record<string, unknown>>) =>
    (j.pre_training_bias_metrics!.facets as Record<string, { metrics: Record<string, unknown>[] }[]>)
      .region![0]!.metrics;

  const cases: [string, unknown, string][] = [
    ['a file that is not an object', [], 'the file must be a JSON object'],
    ['a file without either stage', { version: '1.0' }, 'are both missing'],
    [
      'a value that is not a number',
      broken((j) => {
        metricsOf(j)[0]!.value = 'inf';
      }),
      'pre_training_bias_metrics.facets["region"][0].metrics[0].value must be a number, "Infinity", "-Infinity" or null',
    ],
    [
      'an unknown metric',
      broken((j) => {
        metricsOf(j)[0]!.name = 'XYZ';
      }),
      'metrics[0].name is "XYZ", not one of',
    ],
    [
      'a metric of the other stage',
      broken((j) => {
        metricsOf(j)[0]!.name = 'DI';
      }),
      'a metric of the other stage',
    ],
    [
      'a facet value listed twice',
      broken((j) => {
        const region = (j.pre_training_bias_metrics!.facets as Record<string, unknown[]>).region!;
        region.push(structuredClone(region[0]));
      }),
      'repeats the facet value "south"',
    ],
    [
      'a stage without facets',
      broken((j) => {
        delete j.post_training_bias_metrics!.facets;
      }),
      'post_training_bias_metrics.facets must be an object',
    ],
  ];

  for (const [what, json, text] of cases)
    it(`refuses ${what}, naming the file, the field and the fix`, () => {
      let error: unknown;
      try {
        parseAnalysisJson(json, 'baseline/bias/analysis.json');
      } catch (e) {
        error = e;
      }

      expect(error).toBeInstanceOf(BaselineFileError);
      const message = (error as Error).message;
      expect(message.startsWith('baseline/bias/analysis.json: ')).toBe(true);
      expect(message).toContain(text);
      expect(message).toContain('rebuild it with `driftwatch baseline');
    });
});
