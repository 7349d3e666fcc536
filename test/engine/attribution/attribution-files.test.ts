/**
 * Global attribution, nDCG and the files: analysis.json written and read back (a feature named
 * `__proto__` included), its errors naming file and field, and constraint_violations.json.
 */
import { describe, expect, it } from 'vitest';
import {
  alignBaseline,
  buildAttributionViolations,
  buildExplainabilityAnalysis,
  parseExplainabilityAnalysis,
} from '../../../functions/engine/attribution/attribution-analysis.ts';
import {
  globalAttributions,
  ndcg,
  rankFeatures,
} from '../../../functions/engine/attribution/global-attribution.ts';

describe('global attributions', () => {
  const records = [
    Float64Array.of(1, -2),
    Float64Array.of(-3, 4),
    Float64Array.of(2, 0),
    Float64Array.of(0, -1),
  ];
  it('aggregates by mean_abs, median and mean_sq', () => {
    expect(globalAttributions(records, 2, 'mean_abs')).toEqual([1.5, 1.75]);
    expect(globalAttributions(records, 2, 'median')).toEqual([0.5, -0.5]);
    expect(globalAttributions(records, 2, 'mean_sq')).toEqual([3.5, 5.25]);
    expect(globalAttributions(records.slice(0, 3), 2, 'median')).toEqual([1, 0]);
  });

  it('ranks ties in column order', () => {
    expect(rankFeatures([1, 3, 1, 3])).toEqual([1, 3, 0, 2]);
  });

  it('computes nDCG by the definition', () => {
    const baseline = [4, 2, 1];
    expect(ndcg([9, 5, 1], baseline)).toBe(1);
    // Window ranks c, b, a: DCG = 1 + 2/log2(3) + 4/2; iDCG = 4 + 2/log2(3) + 1/2.
    const expected = (1 + 2 / Math.log2(3) + 4 / 2) / (4 + 2 / Math.log2(3) + 1 / 2);
    expect(ndcg([1, 2, 3], baseline)).toBeCloseTo(expected, 15);
    expect(ndcg([1, 1, 1], [0, 0, 0])).toBe(1);
  });
});

describe('analysis.json', () => {
  const explanation = {
    label: 'label0',
    features: ['price', '__proto__', 'constructor'],
    values: [0.5, 0.25, 0.125],
    expectedValue: 0.3,
  };

  it('is written as Clarify writes it, with data names as own fields', () => {
    const json = buildExplainabilityAnalysis(explanation);
    const text = JSON.stringify(json);
    expect(text).toBe(
      '{"version":"1.0","explanations":{"kernel_shap":{"label0":{"global_shap_values":{"price":0.5,"__proto__":0.25,"constructor":0.125},"expected_value":0.3}}}}',
    );
  });

  it('is read back as lists in the file order', () => {
    const text = JSON.stringify(buildExplainabilityAnalysis(explanation));
    const back = parseExplainabilityAnalysis(JSON.parse(text), 'baseline/analysis.json');
    expect(back).toEqual(explanation);
    expect(alignBaseline(back, ['constructor', 'price', '__proto__'])).toEqual([0.125, 0.5, 0.25]);
  });

  it('names the file and field of a mistake', () => {
    const bad = {
      version: '1.0',
      explanations: { kernel_shap: { label0: { global_shap_values: { a: 'x' }, expected_value: 1 } } },
    };
    expect(() => parseExplainabilityAnalysis(bad, 'baseline/analysis.json')).toThrow(
      'baseline/analysis.json: explanations.kernel_shap.label0.global_shap_values.a must be a finite number (got "x")',
    );
    const other = {
      explanations: { kernel_shap: { churn: { global_shap_values: { a: 1 }, expected_value: 1 } } },
    };
    expect(() => parseExplainabilityAnalysis(other, 'analysis.json')).toThrow(
      'analysis.json: explanations.kernel_shap has no label "label0" (it has "churn")',
    );
    expect(() => parseExplainabilityAnalysis({}, 'analysis.json')).toThrow(
      'analysis.json: explanations must be an object (got nothing)',
    );
    const parsed = parseExplainabilityAnalysis(
      JSON.parse(JSON.stringify(buildExplainabilityAnalysis(explanation))),
    );
    expect(() => alignBaseline(parsed, ['price', 'weight'], 'base/analysis.json')).toThrow(
      'base/analysis.json: the baseline has no global SHAP value for feature "weight"',
    );
  });

  it('refuses a value JSON cannot hold', () => {
    expect(() => buildExplainabilityAnalysis({ ...explanation, values: [Number.NaN, 0, 0] })).toThrow(
      'the global SHAP value of feature "price" is NaN',
    );
  });
});

describe('constraint_violations.json', () => {
  it('holds one violation below 0.9 and none at or above', () => {
    expect(buildAttributionViolations(0.6088503682825858, 'churn')).toEqual({
      version: '1.0',
      violations: [
        {
          label: 'churn',
          metric_name: 'shap',
          constraint_check_type: 'feature_attribution_drift_check',
          description:
            "Feature attribution drift: the nDCG of the window's feature ranking against the baseline's is 0.6088503682825858, below the threshold 0.9",
        },
      ],
    });
    expect(buildAttributionViolations(0.9)).toEqual({ version: '1.0', violations: [] });
  });
});
