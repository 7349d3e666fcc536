import { describe, expect, it } from 'vitest';
import type { ModelQualityConstraints } from '../../../functions/engine/quality/quality-constraints.ts';
import { computeQuality, type JoinCounts } from '../../../functions/engine/quality/quality-report.ts';
import type { LabelledPrediction } from '../../../functions/engine/quality/types.ts';

const JOIN: JoinCounts = { matched: 6, unmatchedPredictions: 3, unmatchedLabels: 1, duplicateLabels: 2 };

const RECORDS: LabelledPrediction[] = [
  { label: '1', score: 0.9 },
  { label: '1', score: 0.4 },
  { label: '0', score: 0.3 },
  { label: '0', score: 0.8 },
  { label: 'maybe', score: 0.5 }, // a label that does not parse
  { label: '1' }, // no score, no prediction
];

describe('computeQuality', () => {
  it('fills report.json’s quality object, counting what it could not use instead of throwing', () => {
    const q = computeQuality('BinaryClassification', RECORDS, { join: JOIN });
    expect(q).toMatchObject({
      problemType: 'BinaryClassification',
      threshold: 0.5,
      matched: 6,
      unmatchedPredictions: 3,
      unmatchedLabels: 1,
      duplicateLabels: 2,
      invalidLabels: 1,
      invalidPredictions: 1,
      evaluated: 4,
      metrics: {
        accuracy: 0.5,
        precision: 0.5,
        recall: 0.5,
        f1: 0.5,
        auc: 0.75,
        confusionMatrix: { tn: 1, fp: 1, fn: 1, tp: 1 },
      },
      violations: [],
      slices: [],
    });
    expect(q.estimated).toMatchObject({ count: 4, threshold: 0.5 });
  });

  it('evaluates constraints, in SageMaker names or report.json names', () => {
    const constraints: ModelQualityConstraints = {
      version: 0,
      binary_classification_constraints: {
        accuracy: { threshold: 0.8, comparison_operator: 'LessThanThreshold' },
        false_positive_rate: { threshold: 0.25, comparison_operator: 'GreaterThanThreshold' },
        f2: { threshold: 0.1, comparison_operator: 'LessThanThreshold' },
      },
    };
    const q = computeQuality('BinaryClassification', RECORDS, { join: JOIN, constraints });
    expect(q.violations).toEqual([
      {
        metric_name: 'accuracy',
        constraint_check_type: 'LessThanThreshold',
        description: "Metric accuracy with 0.5 was LessThanThreshold '0.8'",
      },
      {
        metric_name: 'false_positive_rate',
        constraint_check_type: 'GreaterThanThreshold',
        description: "Metric false_positive_rate with 0.5 was GreaterThanThreshold '0.25'",
      },
    ]);
  });

  it('evaluates macro metrics that only report.json has', () => {
    const q = computeQuality(
      'MulticlassClassification',
      [
        { label: 'a', prediction: 'a' },
        { label: 'b', prediction: 'a' },
      ],
      {
        join: JOIN,
        constraints: {
          version: 0,
          multiclass_classification_constraints: {
            f1_macro: { threshold: 0.9, comparison_operator: 'LessThanThreshold' },
          },
        },
      },
    );
    expect(q.violations.map((v) => v.metric_name)).toEqual(['f1_macro']);
    expect(q.threshold).toBeNull();
    expect(q.estimated).toBeNull();
  });

  it('lists the worst slices with enough support', () => {
    const records: LabelledPrediction[] = Array.from({ length: 60 }, (_, i) => ({
      label: 10,
      prediction: i < 30 ? 10 : 14,
      features: { size: i < 30 ? 'small' : 'large' },
    }));
    const q = computeQuality('Regression', records, {
      join: JOIN,
      sliceBaselines: { size: { kind: 'categorical', categories: ['small'] } },
    });
    expect(q.slices).toEqual([
      { feature: 'size', slice: 'large', unseen: true, support: 30, measure: 'mae', error: 4, difference: 2 },
      { feature: 'size', slice: 'small', support: 30, measure: 'mae', error: 0, difference: -2 },
    ]);
  });

  it('reports null metrics and still an estimate for a window whose labels have not arrived', () => {
    const q = computeQuality('BinaryClassification', [], {
      join: { matched: 0, unmatchedPredictions: 3, unmatchedLabels: 0, duplicateLabels: 0 },
      windowScores: [0.9, 0.8, 0.1],
    });
    expect(q.metrics).toBeNull();
    expect(q.violations).toEqual([]);
    expect(q.estimated?.count).toBe(3);
    expect(q.estimated?.accuracy).toBeCloseTo((0.9 + 0.8 + 0.9) / 3, 15);
  });

  it('refuses constraints made for another problem type', () => {
    expect(() =>
      computeQuality('BinaryClassification', RECORDS, {
        join: JOIN,
        constraints: { version: 0, regression_constraints: {} },
      }),
    ).toThrow(
      'model-quality constraints hold regression_constraints but the problem type is BinaryClassification; pass --problem-type Regression or the baseline built for BinaryClassification',
    );
  });
});
