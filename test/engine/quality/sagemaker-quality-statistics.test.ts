import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  computeModelQualityStatistics,
  type ModelQualityStatistics,
  parseModelQualityStatistics,
} from '../../../functions/engine/quality/sagemaker-quality-statistics.ts';
import { generatedBinaryRecords } from './generated-scores.ts';

const HAND_MADE = [
  { label: 1, score: 0.9 },
  { label: 1, score: 0.6 },
  { label: 1, score: 0.2 },
  { label: 0, score: 0.7 },
  { label: 0, score: 0.1 },
];

function binarySection(s: ModelQualityStatistics) {
  if (!('binary_classification_metrics' in s)) throw new Error('expected binary statistics');
  return s.binary_classification_metrics;
}

describe('computeModelQualityStatistics, BinaryClassification', () => {
  // tp 2 (0.9, 0.6), fn 1 (0.2), fp 1 (0.7), tn 1 (0.1); 3 positives, 2 negatives.
  const stats = computeModelQualityStatistics('BinaryClassification', HAND_MADE);
  const b = binarySection(stats);

  it("writes SageMaker's header and its confusion matrix as { actual: { predicted: count } }", () => {
    expect(stats.version).toBe(0);
    expect(stats.dataset).toEqual({ item_count: 5 });
    expect(b.confusion_matrix).toEqual({ '0': { '0': 1, '1': 1 }, '1': { '0': 1, '1': 2 } });
  });

  it('writes every metric under its SageMaker name, in SageMaker’s order', () => {
    expect(Object.keys(b)).toEqual([
      'confusion_matrix',
      'recall',
      'precision',
      'accuracy',
      'recall_best_constant_classifier',
      'precision_best_constant_classifier',
      'accuracy_best_constant_classifier',
      'true_positive_rate',
      'true_negative_rate',
      'false_positive_rate',
      'false_negative_rate',
      'receiver_operating_characteristic_curve',
      'precision_recall_curve',
      'auc',
      'f0_5',
      'f0_5_best_constant_classifier',
      'f1',
      'f1_best_constant_classifier',
      'f2',
      'f2_best_constant_classifier',
    ]);
  });

  it('computes the rates, F scores and AUC', () => {
    const v = (name: keyof typeof b) => (b[name] as { value: number | 'NaN' }).value;
    expect(v('recall')).toBeCloseTo(2 / 3, 15);
    expect(v('precision')).toBeCloseTo(2 / 3, 15);
    expect(v('accuracy')).toBeCloseTo(3 / 5, 15);
    expect(v('true_positive_rate')).toBeCloseTo(2 / 3, 15);
    expect(v('true_negative_rate')).toBe(0.5);
    expect(v('false_positive_rate')).toBe(0.5);
    expect(v('false_negative_rate')).toBeCloseTo(1 / 3, 15);
    expect(v('f0_5')).toBeCloseTo(2 / 3, 15);
    expect(v('f1')).toBeCloseTo(2 / 3, 15);
    expect(v('f2')).toBeCloseTo(2 / 3, 15);
    expect(v('auc')).toBeCloseTo(4 / 6, 15);
  });

  it('measures the best constant classifier per metric (here: always positive)', () => {
    expect(b.recall_best_constant_classifier.value).toBe(1);
    expect(b.precision_best_constant_classifier.value).toBeCloseTo(0.6, 15);
    expect(b.accuracy_best_constant_classifier.value).toBeCloseTo(0.6, 15);
    expect(b.f1_best_constant_classifier.value).toBeCloseTo(0.75, 15);
    expect(b.f0_5_best_constant_classifier.value).toBeCloseTo(0.75 / 1.15, 15);
    expect(b.f2_best_constant_classifier.value).toBeCloseTo(3 / 3.4, 15);
  });

  it('draws the ROC curve from (0, 0) and the precision-recall curve from recall 0, as Spark does', () => {
    expect(b.receiver_operating_characteristic_curve).toEqual({
      false_positive_rates: [0, 0, 0.5, 0.5, 0.5, 1],
      true_positive_rates: [0, 1 / 3, 1 / 3, 2 / 3, 1, 1],
    });
    expect(b.precision_recall_curve).toEqual({
      precisions: [1, 1, 0.5, 2 / 3, 0.75, 0.6],
      recalls: [0, 1 / 3, 1 / 3, 2 / 3, 1, 1],
    });
  });

  it('keeps at most maxCurvePoints thresholds, ending at the last one', () => {
    const big = binarySection(
      computeModelQualityStatistics('BinaryClassification', generatedBinaryRecords(1000, 7), {
        maxCurvePoints: 50,
      }),
    );
    const roc = big.receiver_operating_characteristic_curve!;
    expect(roc.true_positive_rates).toHaveLength(51);
    expect(roc.false_positive_rates.at(-1)).toBe(1);
    expect(roc.true_positive_rates.at(-1)).toBe(1);
    expect(big.precision_recall_curve!.recalls).toHaveLength(51);
  });

  it('writes AUC "NaN" when only one class is present', () => {
    const one = binarySection(
      computeModelQualityStatistics('BinaryClassification', [
        { label: 1, score: 0.8 },
        { label: '1', score: 0.4 },
      ]),
    );
    expect(one.auc).toEqual({ value: 'NaN', standard_deviation: 'NaN' });
  });
});

describe("SageMaker's bootstrap rule for standard_deviation", () => {
  it('writes "NaN" below 200 records', () => {
    const b = binarySection(
      computeModelQualityStatistics('BinaryClassification', generatedBinaryRecords(199, 1)),
    );
    expect(b.accuracy.standard_deviation).toBe('NaN');
    expect(b.auc.standard_deviation).toBe('NaN');
  });

  it('writes a number from 200 records up, the same for the same seed', () => {
    const records = generatedBinaryRecords(200, 1);
    const first = binarySection(computeModelQualityStatistics('BinaryClassification', records, { seed: 11 }));
    const again = binarySection(computeModelQualityStatistics('BinaryClassification', records, { seed: 11 }));
    const other = binarySection(computeModelQualityStatistics('BinaryClassification', records, { seed: 12 }));

    expect(typeof first.accuracy.standard_deviation).toBe('number');
    expect(first.accuracy.standard_deviation).toBeGreaterThan(0);
    // 80% samples of 200 records move accuracy by about a percent, not more.
    expect(first.accuracy.standard_deviation).toBeLessThan(0.05);
    expect(again).toEqual(first);
    expect(other.accuracy.standard_deviation).not.toBe(first.accuracy.standard_deviation);
  });

  it('applies to regression and multiclass metrics too', () => {
    const regression = computeModelQualityStatistics(
      'Regression',
      generatedBinaryRecords(300, 3).map((r, i) => ({ label: i, prediction: i + (r.score ?? 0) })),
    );
    if (!('regression_metrics' in regression)) throw new Error('expected regression statistics');
    expect(Object.keys(regression.regression_metrics)).toEqual(['mae', 'mse', 'rmse', 'r2']);
    expect(typeof regression.regression_metrics.mae.standard_deviation).toBe('number');
  });
});

describe('computeModelQualityStatistics, MulticlassClassification', () => {
  it('writes every class pair in the confusion matrix and a majority-class baseline', () => {
    const stats = computeModelQualityStatistics('MulticlassClassification', [
      { label: 'a', prediction: 'a' },
      { label: 'a', prediction: 'b' },
      { label: 'a', prediction: 'a' },
      { label: 'b', prediction: 'b' },
    ]);
    if (!('multiclass_classification_metrics' in stats)) throw new Error('expected multiclass statistics');
    const m = stats.multiclass_classification_metrics;
    expect(m.confusion_matrix).toEqual({ a: { a: 2, b: 1 }, b: { a: 0, b: 1 } });
    expect(m.accuracy.value).toBe(0.75);
    expect(m.weighted_recall.value).toBe(0.75);
    // Always "a": precision of a is 3/4 with weight 3/4, b gets 0.
    expect(m.accuracy_best_constant_classifier.value).toBe(0.75);
    expect(m.weighted_precision_best_constant_classifier.value).toBeCloseTo(0.5625, 15);
  });
});

describe('parseModelQualityStatistics', () => {
  it('reads back what was written (JSON round trip)', () => {
    for (const [problemType, records] of [
      ['BinaryClassification', generatedBinaryRecords(250, 5)],
      [
        'MulticlassClassification',
        generatedBinaryRecords(250, 5).map((r) => ({ ...r, prediction: String(r.label) })),
      ],
      ['Regression', generatedBinaryRecords(250, 5).map((r) => ({ label: r.score ?? 0, prediction: 0.5 }))],
    ] as const) {
      const written = computeModelQualityStatistics(problemType, records);
      expect(parseModelQualityStatistics(JSON.parse(JSON.stringify(written)))).toEqual(written);
    }
  });

  it('reads a file shaped like SageMaker’s documented example, with extra dataset fields', () => {
    const metric = (value: number) => ({ value, standard_deviation: 'NaN' });
    const file = {
      version: 0.0,
      dataset: { item_count: 4, start_time: '2020-12-09T00:00:00Z', evaluation_time: '2020-12-09T01:25:11Z' },
      regression_metrics: { mae: metric(0.5), mse: metric(0.25), rmse: metric(0.5), r2: metric(0.9) },
    };
    expect(parseModelQualityStatistics(file)).toEqual(file);
  });

  it('refuses a data-quality statistics.json, saying so', () => {
    const dataQuality = JSON.parse(
      readFileSync(new URL('../../fixtures/sagemaker/aai540_statistics.json', import.meta.url), 'utf8'),
    );
    expect(() => parseModelQualityStatistics(dataQuality, 'baseline/statistics.json')).toThrow(
      /^baseline\/statistics\.json: no model-quality metrics section .*data-quality/,
    );
  });

  it('names the metric whose value is not a number or "NaN"', () => {
    const metric = { value: 1, standard_deviation: 'NaN' };
    const file = {
      version: 0,
      dataset: { item_count: 1 },
      regression_metrics: {
        mae: metric,
        mse: metric,
        rmse: { value: 'n/a', standard_deviation: 0 },
        r2: metric,
      },
    };
    expect(() => parseModelQualityStatistics(file)).toThrow(
      'statistics.json: "regression_metrics.rmse.value" is a string ("n/a"), expected a number or "NaN"',
    );
  });
});
