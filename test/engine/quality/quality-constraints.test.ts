import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPARISON_OPERATORS,
  type ComparisonOperator,
  evaluateQualityConstraints,
  type ModelQualityConstraints,
  parseQualityConstraints,
  suggestQualityConstraints,
  violates,
} from '../../../functions/engine/quality/quality-constraints.ts';
import { computeModelQualityStatistics } from '../../../functions/engine/quality/sagemaker-quality-statistics.ts';
import { generatedBinaryRecords } from './generated-scores.ts';

/** The binary constraints file of SageMaker's documentation, as its suggestion job writes it. */
const SAGEMAKER_BINARY_CONSTRAINTS = {
  version: 0.0,
  binary_classification_constraints: {
    recall: { threshold: 0.5714285714285714, comparison_operator: 'LessThanThreshold' },
    precision: { threshold: 0.5, comparison_operator: 'LessThanThreshold' },
    accuracy: { threshold: 0.7, comparison_operator: 'LessThanThreshold' },
    true_positive_rate: { threshold: 0.5714285714285714, comparison_operator: 'LessThanThreshold' },
    true_negative_rate: { threshold: 0.7619047619047619, comparison_operator: 'LessThanThreshold' },
    false_positive_rate: { threshold: 0.23809523809523808, comparison_operator: 'GreaterThanThreshold' },
    false_negative_rate: { threshold: 0.4285714285714286, comparison_operator: 'GreaterThanThreshold' },
    auc: { threshold: 0.7, comparison_operator: 'LessThanThreshold' },
    f0_5: { threshold: 0.5128205128205128, comparison_operator: 'LessThanThreshold' },
    f1: { threshold: 0.5333333333333333, comparison_operator: 'LessThanThreshold' },
    f2: { threshold: 0.5555555555555556, comparison_operator: 'LessThanThreshold' },
  },
};

function binaryConstraint(
  metric: string,
  threshold: number,
  operator: ComparisonOperator,
): ModelQualityConstraints {
  return {
    version: 0,
    binary_classification_constraints: { [metric]: { threshold, comparison_operator: operator } },
  };
}

describe('violates', () => {
  it.each([
    ['LessThanThreshold', [true, false, false]],
    ['GreaterThanThreshold', [false, false, true]],
    ['LessThanOrEqualToThreshold', [true, true, false]],
    ['GreaterThanOrEqualToThreshold', [false, true, true]],
  ] as const)('%s at 0.7 for 0.6, 0.7, 0.8: %j', (operator, expected) => {
    expect([0.6, 0.7, 0.8].map((v) => violates(operator, v, 0.7))).toEqual(expected);
  });
});

describe('evaluateQualityConstraints', () => {
  it.each(COMPARISON_OPERATORS)('raises a %s violation with SageMaker’s wording', (operator) => {
    const value = operator.startsWith('Less') ? 0.61 : 0.99;
    const violations = evaluateQualityConstraints(binaryConstraint('accuracy', 0.8, operator), {
      accuracy: value,
    });
    expect(violations).toEqual([
      {
        metric_name: 'accuracy',
        constraint_check_type: operator,
        description: `Metric accuracy with ${value} was ${operator} '0.8'`,
      },
    ]);
  });

  it('raises nothing when the metric is on the right side', () => {
    expect(
      evaluateQualityConstraints(binaryConstraint('accuracy', 0.8, 'LessThanThreshold'), { accuracy: 0.9 }),
    ).toEqual([]);
  });

  it('prints whole numbers as Java does (1.0)', () => {
    const [v] = evaluateQualityConstraints(binaryConstraint('precision', 1, 'LessThanThreshold'), {
      precision: 0.5,
    });
    expect(v?.description).toBe("Metric precision with 0.5 was LessThanThreshold '1.0'");
  });

  it('skips a metric the window leaves undefined (AUC with one class)', () => {
    expect(
      evaluateQualityConstraints(binaryConstraint('auc', 0.7, 'LessThanThreshold'), { auc: null }),
    ).toEqual([]);
  });

  it("accepts report.json's names, including metrics SageMaker does not have", () => {
    const constraints: ModelQualityConstraints = {
      version: 0,
      multiclass_classification_constraints: {
        f1_macro: { threshold: 0.8, comparison_operator: 'LessThanThreshold' },
        precision_weighted: { threshold: 0.8, comparison_operator: 'LessThanThreshold' },
      },
    };
    const violations = evaluateQualityConstraints(constraints, { f1_macro: 0.7, weighted_precision: 0.75 });
    expect(violations.map((v) => v.metric_name)).toEqual(['f1_macro', 'precision_weighted']);
  });

  it('throws when a constrained metric has no value: the caller forgot to compute it', () => {
    expect(() => evaluateQualityConstraints(binaryConstraint('f2', 0.7, 'LessThanThreshold'), {})).toThrow(
      /no value for metric "f2"/,
    );
  });
});

describe('parseQualityConstraints', () => {
  it("reads SageMaker's own file as it is", () => {
    const parsed = parseQualityConstraints(JSON.parse(JSON.stringify(SAGEMAKER_BINARY_CONSTRAINTS)));
    expect(parsed).toEqual(SAGEMAKER_BINARY_CONSTRAINTS);
  });

  it('takes a threshold written as text', () => {
    const parsed = parseQualityConstraints({
      version: 0,
      regression_constraints: { mae: { threshold: '2.5', comparison_operator: 'GreaterThanThreshold' } },
    });
    expect(parsed).toEqual({
      version: 0,
      regression_constraints: { mae: { threshold: 2.5, comparison_operator: 'GreaterThanThreshold' } },
    });
  });

  it.each([
    [
      {
        version: 0,
        binary_classification_constraints: {
          acc: { threshold: 1, comparison_operator: 'LessThanThreshold' },
        },
      },
      /unknown metric "acc" in binary_classification_constraints; use one of recall, precision, accuracy/,
    ],
    [
      { regression_constraints: { r2: { threshold: 0.5, comparison_operator: 'LessThan' } } },
      'model/constraints.json: "regression_constraints.r2.comparison_operator" is a string ("LessThan"); use one of LessThanThreshold, GreaterThanThreshold, LessThanOrEqualToThreshold, GreaterThanOrEqualToThreshold',
    ],
    [
      { regression_constraints: { r2: { threshold: 'high', comparison_operator: 'LessThanThreshold' } } },
      'model/constraints.json: "regression_constraints.r2.threshold" is a string ("high"); write a finite number',
    ],
    [
      { version: 0, features: [] },
      /no model-quality constraints section .* data-quality constraints\.json\?/,
    ],
    [
      { regression_constraints: {}, binary_classification_constraints: {} },
      /2 constraints sections .*; keep the one for the endpoint's problem type/,
    ],
  ])('refuses %j, naming the problem and the fix', (json, message) => {
    expect(() => parseQualityConstraints(json, 'model/constraints.json')).toThrow(message);
  });
});

describe('suggestQualityConstraints', () => {
  const stats = computeModelQualityStatistics('BinaryClassification', generatedBinaryRecords(500, 21));

  it('suggests SageMaker’s metrics at the baseline value, the operator following which way is better', () => {
    const suggested = suggestQualityConstraints(stats);
    if (!('binary_classification_constraints' in suggested)) throw new Error('expected binary constraints');
    const section = suggested.binary_classification_constraints;
    expect(Object.keys(section)).toEqual(
      Object.keys(SAGEMAKER_BINARY_CONSTRAINTS.binary_classification_constraints),
    );
    if (!('binary_classification_metrics' in stats)) throw new Error('expected binary statistics');
    expect(section.accuracy).toEqual({
      threshold: stats.binary_classification_metrics.accuracy.value,
      comparison_operator: 'LessThanThreshold',
    });
    expect(section.false_positive_rate?.comparison_operator).toBe('GreaterThanThreshold');
  });

  it('suggests error bounds for regression: GreaterThanThreshold on errors, LessThanThreshold on R²', () => {
    const regression = computeModelQualityStatistics('Regression', [
      { label: 1, prediction: 1.5 },
      { label: 2, prediction: 2 },
      { label: 4, prediction: 3 },
    ]);
    const suggested = suggestQualityConstraints(regression);
    // R²'s SS_tot comes from a merged running mean and M2 (Chan), so it may differ by an ulp.
    const r2 = (suggested as unknown as { regression_constraints: { r2: { threshold: number } } })
      .regression_constraints.r2;
    expect(r2.threshold).toBeCloseTo(1 - 1.25 / (14 / 3), 14);
    expect(suggested).toEqual({
      version: 0,
      regression_constraints: {
        mae: { threshold: 0.5, comparison_operator: 'GreaterThanThreshold' },
        mse: { threshold: 1.25 / 3, comparison_operator: 'GreaterThanThreshold' },
        rmse: { threshold: Math.sqrt(1.25 / 3), comparison_operator: 'GreaterThanThreshold' },
        r2: { threshold: r2.threshold, comparison_operator: 'LessThanThreshold' },
      },
    });
  });

  it("leaves room for a window's sampling noise: 3 deviations scaled to the window size, or the relative margin", () => {
    if (!('binary_classification_metrics' in stats)) throw new Error('expected binary statistics');
    const n = stats.dataset.item_count;
    const num = (x: number | string) => x as number;
    const accuracy = stats.binary_classification_metrics.accuracy;
    const fpr = stats.binary_classification_metrics.false_positive_rate;
    const sd = (m: { standard_deviation: number | string }) => num(m.standard_deviation);

    const suggested = suggestQualityConstraints(stats, { deviations: 3, relative: 0.05, windowRecords: 250 });
    if (!('binary_classification_constraints' in suggested)) throw new Error('expected binary constraints');
    const scale = Math.sqrt((4 * n) / 250);
    const slack = (v: number, s: number) => Math.max(3 * s * scale, 0.05 * Math.abs(v));

    expect(suggested.binary_classification_constraints.accuracy?.threshold).toBeCloseTo(
      num(accuracy.value) - slack(num(accuracy.value), sd(accuracy)),
      12,
    );
    expect(suggested.binary_classification_constraints.false_positive_rate?.threshold).toBeCloseTo(
      num(fpr.value) + slack(num(fpr.value), sd(fpr)),
      12,
    );
  });

  it('leaves out AUC when the baseline has one class', () => {
    const oneClass = computeModelQualityStatistics('BinaryClassification', [{ label: 0, score: 0.2 }]);
    const suggested = suggestQualityConstraints(oneClass);
    expect(
      'binary_classification_constraints' in suggested &&
        'auc' in suggested.binary_classification_constraints,
    ).toBe(false);
  });

  it('writes files that read back as they were (round trip through JSON)', () => {
    const arbitraryConstraints = fc.dictionary(
      fc.constantFrom(
        'accuracy',
        'recall',
        'f2',
        'auc',
        'false_positive_rate',
        'f1_best_constant_classifier',
      ),
      fc.record({
        threshold: fc.double({ noNaN: true, noDefaultInfinity: true }),
        comparison_operator: fc.constantFrom(...COMPARISON_OPERATORS),
      }),
    );
    fc.assert(
      fc.property(arbitraryConstraints, (section) => {
        const file: ModelQualityConstraints = { version: 0, binary_classification_constraints: section };
        expect(parseQualityConstraints(JSON.parse(JSON.stringify(file)))).toEqual(
          JSON.parse(JSON.stringify(file)),
        );
      }),
    );
    const suggested = suggestQualityConstraints(stats);
    expect(parseQualityConstraints(JSON.parse(JSON.stringify(suggested)))).toEqual(suggested);
  });
});
