/**
 * SageMaker's bias drift rule (farther from the ideal than the baseline; DI's ideal is 1),
 * baseline and window matched by configured value, infinities, constraint_violations.json, and
 * the significance margin: calm windows of a few hundred rows raise violations by SageMaker's
 * rule but no significant one; a real shift is significant.
 */
import { describe, expect, it } from 'vitest';
import { type BiasConfig, parseBiasConfig } from '../../../functions/engine/bias/analysis-config.ts';
import {
  type BiasAnalysis,
  type BiasStageResult,
  buildBiasAnalysis,
} from '../../../functions/engine/bias/analysis-json.ts';
import { BiasCounts, cellOf } from '../../../functions/engine/bias/bias-counts.ts';
import type { BiasMetricName } from '../../../functions/engine/bias/bias-metrics.ts';
import {
  ANALYTIC_METRICS,
  SIGNIFICANCE_Z,
  significanceMargin,
  standardErrors,
} from '../../../functions/engine/bias/bias-significance.ts';
import {
  biasViolationsJson,
  checkBiasDrift,
  idealOf,
  violates,
} from '../../../functions/engine/bias/bias-violations.ts';
import { BiasTally } from '../../../functions/engine/bias/facet-rows.ts';
import { mulberry32 } from '../../../functions/engine/stats/seeded-random.ts';

/** A report of one stage, one facet value, the given metric values. */
function analysis(
  values: Partial<Record<BiasMetricName, number | null>>,
  facetText = 'south',
  stage: 'pre_training' | 'post_training' = 'post_training',
  facet = 'region',
): BiasAnalysis {
  const s: BiasStageResult = {
    label: 'label',
    labelValueOrThreshold: '1',
    facets: [
      {
        name: facet,
        values: [
          {
            value: facetText.startsWith('(') ? facetText.slice(1, facetText.indexOf(',')) : facetText,
            valueOrThreshold: facetText,
            metrics: Object.entries(values).map(([name, value]) => ({
              name: name as BiasMetricName,
              description: name,
              value: value ?? null,
              ...(value === null ? { error: 'Facet set is empty' } : {}),
            })),
          },
        ],
      },
    ],
  };
  return {
    version: '1.0',
    preTraining: stage === 'pre_training' ? s : null,
    postTraining: stage === 'post_training' ? s : null,
  };
}

describe("SageMaker's rule", () => {
  it("follows the documentation's example: DPPL 0.2 against 0.1 is fine, against -0.3 a violation", () => {
    expect(violates('DPPL', 0.2, 0.1)).toBe(false);
    expect(violates('DPPL', 0.2, -0.3)).toBe(true);
  });

  it('measures DI from its ideal 1: |DI - 1|', () => {
    expect(idealOf('DI')).toBe(1);
    expect(idealOf('DPPL')).toBe(0);
    expect(violates('DI', 0.9, 1.05)).toBe(false);
    expect(violates('DI', 0.9, 0.8)).toBe(true);
    expect(violates('DI', 0.9, 1.2)).toBe(true);
    expect(violates('DI', 1.2, 0.85)).toBe(false);
  });

  it('treats an infinite window as a violation against a finite baseline, never against an infinite one', () => {
    const checks = checkBiasDrift(
      analysis({ TE: 2, DCA: Number.NEGATIVE_INFINITY, DCR: Number.POSITIVE_INFINITY, DI: 0.5 }),
      analysis({ TE: Number.POSITIVE_INFINITY, DCA: Number.NEGATIVE_INFINITY, DCR: 3, DI: null }),
    );

    const byMetric = Object.fromEntries(checks.map((c) => [c.metric, c]));
    expect(byMetric.TE).toMatchObject({ violation: true, significant: false });
    expect(byMetric.DCA).toMatchObject({ violation: false });
    expect(byMetric.DCR).toMatchObject({ violation: false });
    expect(byMetric.DI).toMatchObject({ baseline: 0.5, window: null, violation: false, significant: false });
  });

  it('matches baseline and window by facet and configured value, not by the interval text', () => {
    const baseline = analysis({ CI: 0.1 }, '(60, 89]', 'pre_training', 'age');

    const sameThreshold = checkBiasDrift(baseline, analysis({ CI: 0.3 }, '(60, 75]', 'pre_training', 'age'));
    const otherThreshold = checkBiasDrift(baseline, analysis({ CI: 0.3 }, '(50, 89]', 'pre_training', 'age'));

    expect(sameThreshold[0]).toMatchObject({
      facet: 'age',
      facetValue: '60',
      baseline: 0.1,
      violation: true,
    });
    expect(otherThreshold[0]).toMatchObject({ facetValue: '50', baseline: null, violation: false });
  });

  it('reports a window stage the baseline lacks without violations', () => {
    const checks = checkBiasDrift(analysis({ CI: 0 }, 'south', 'pre_training'), analysis({ DPPL: 0.9 }));

    expect(checks).toEqual([expect.objectContaining({ metric: 'DPPL', baseline: null, violation: false })]);
  });

  it("writes constraint_violations.json in SageMaker's documented shape", () => {
    const checks = checkBiasDrift(
      analysis({ DPPL: 0.2, DI: 0.9, TE: 1 }),
      analysis({ DPPL: -0.3, DI: 0.95, TE: Number.POSITIVE_INFINITY }),
    );

    const json = biasViolationsJson(checks);

    expect(json).toEqual({
      version: '1.0',
      violations: [
        {
          facet: 'region',
          facet_value: 'south',
          metric_name: 'DPPL',
          constraint_check_type: 'bias_drift_check',
          description:
            "Value -0.3 does not meet the constraint requirement: the baseline's DPPL is 0.2, closer to the ideal 0",
        },
        {
          facet: 'region',
          facet_value: 'south',
          metric_name: 'TE',
          constraint_check_type: 'bias_drift_check',
          description:
            "Value Infinity does not meet the constraint requirement: the baseline's TE is 1, closer to the ideal 0",
        },
      ],
    });
  });
});

/**
 * Rows of a lending-like population: a quarter of applicants in "south", whose positive labels
 * are a little rarer (mild, stable bias), and whose scores are lowered by `southShift`.
 */
function population(n: number, seed: number, southShift: number): unknown[][] {
  const random = mulberry32(seed);
  const rows: unknown[][] = [];
  for (let i = 0; i < n; i++) {
    const south = random() < 0.25;
    const region = south ? 'south' : ['north', 'east', 'west'][Math.floor(random() * 3)]!;
    const group = `g${1 + Math.floor(random() * 3)}`;
    const label = random() < (south ? 0.4 : 0.5) ? 1 : 0;
    const noise = (random() + random() + random() - 1.5) * 0.4;
    const score = Math.min(1, Math.max(0, (label ? 0.65 : 0.35) + noise - (south ? 0.05 + southShift : 0)));
    rows.push([region, group, label, score]);
  }
  return rows;
}

const CONFIG: BiasConfig = parseBiasConfig({
  label: 'label',
  label_values_or_threshold: [1],
  facet: [{ name_or_index: 'region', value_or_threshold: ['south'] }],
  group_variable: 'group',
  methods: { pre_training_bias: { methods: 'all' }, post_training_bias: { methods: 'all' } },
});

function tallyOf(rows: unknown[][]): BiasTally {
  const tally = new BiasTally(CONFIG, 'score');
  const columns = ['region', 'group', 'label', 'score'];
  for (const r of rows) tally.add((name) => r[columns.indexOf(name)]);
  return tally;
}

function drift(baselineRows: unknown[][], windowRows: unknown[][]) {
  const baseline = buildBiasAnalysis(tallyOf(baselineRows));
  const window = tallyOf(windowRows);
  return checkBiasDrift(baseline, buildBiasAnalysis(window), (f, v) => window.countsOf(f, v));
}

describe('significance: noise is not a violation that pages', () => {
  const baselineRows = population(20_000, 1, 0);

  it("calm windows of a few hundred rows trip SageMaker's rule but raise no significant violation", () => {
    let violations = 0;
    for (let seed = 100; seed < 120; seed++) {
      const checks = drift(baselineRows, population(300, seed, 0));

      violations += checks.filter((c) => c.violation).length;
      expect(
        checks
          .filter((c) => c.significant)
          .map((c) => `${seed} ${c.metric} ${c.baseline} ${c.window} ${c.margin}`),
      ).toEqual([]);
    }
    expect(violations).toBeGreaterThan(50);
  });

  it('a window where the model turns against the facet is significant', () => {
    const checks = drift(baselineRows, population(300, 7, 0.25));

    const significant = checks.filter((c) => c.significant).map((c) => c.metric);
    expect(significant).toEqual(expect.arrayContaining(['DPPL', 'DI', 'CDDPL']));
    expect(checks.find((c) => c.metric === 'DI')!.errorMethod).toBe('analytic');
    expect(checks.find((c) => c.metric === 'CDDPL')!.errorMethod).toBe('bootstrap');
    // Labels did not move: the pre-training metrics stay within the noise.
    expect(checks.filter((c) => c.significant && c.stage === 'pre_training')).toEqual([]);
  });

  it('the same shift is within the noise of a handful of rows, and beyond that of thousands', () => {
    const few = drift(baselineRows, population(25, 7, 0.1)).find((c) => c.metric === 'DPPL')!;
    const many = drift(baselineRows, population(5_000, 7, 0.1)).find((c) => c.metric === 'DPPL')!;

    expect(few.violation).toBe(true);
    expect(few.significant).toBe(false);
    expect(many.significant).toBe(true);
    expect(many.margin!).toBeLessThan(few.margin!);
  });

  it('gives the analytic error of a difference of two proportions (Agresti-Caffo adjusted)', () => {
    const counts = new BiasCounts();
    // 100 in the facet, 30 predicted positive; 300 others, 150 predicted positive.
    for (let i = 0; i < 100; i++) counts.add(true, false, i < 30, null);
    for (let i = 0; i < 300; i++) counts.add(false, false, i < 150, null);

    const se = standardErrors(['DPPL', 'KL'], counts);

    const pd = 31 / 102;
    const pa = 151 / 302;
    expect(se.get('DPPL')).toEqual({
      value: Math.sqrt((pa * (1 - pa)) / 302 + (pd * (1 - pd)) / 102),
      method: 'analytic',
    });
    expect(se.get('KL')!.method).toBe('bootstrap');
    expect(SIGNIFICANCE_Z).toBe(3);
    expect(ANALYTIC_METRICS).toContain('DI');
  });

  it('judges DI on its logarithm: the margin is how far 3 errors move it toward 1', () => {
    const counts = new BiasCounts();
    for (let i = 0; i < 100; i++) counts.add(true, false, i < 30, null);
    for (let i = 0; i < 300; i++) counts.add(false, false, i < 150, null);

    const se = standardErrors(['DI'], counts).get('DI')!;

    const qd = 31 / 102;
    const qa = 151 / 302;
    const logError = Math.sqrt((1 - qd) / (102 * qd) + (1 - qa) / (302 * qa));
    expect(se).toEqual({ value: logError, method: 'analytic', logValue: qd / qa });
    expect(significanceMargin(se)).toBeCloseTo((qd / qa) * (Math.exp(3 * logError) - 1), 12);
    expect(significanceMargin({ ...se, logValue: 1.5 })).toBeCloseTo(1.5 * (1 - Math.exp(-3 * logError)), 12);
  });

  it('calls a metric whose bootstrap is mostly undefined too unstable to judge', () => {
    const counts = new BiasCounts();
    // One false positive in the facet: TE = FN_d / FP_d is infinite in many resamples.
    counts.cells[cellOf(true, false, true)] = 1;
    counts.cells[cellOf(true, true, false)] = 5;
    counts.cells[cellOf(false, false, true)] = 40;
    counts.cells[cellOf(false, true, false)] = 40;

    expect(standardErrors(['TE'], counts).get('TE')).toEqual({
      value: Number.POSITIVE_INFINITY,
      method: 'bootstrap',
    });
  });
});
