/**
 * The CloudWatch metric names the alarms and dashboards use: the monitor's own tables, so what
 * is alarmed on is exactly what is published (one builder: functions/contracts/metric-names.ts, and
 * the quality table functions/contracts/quality-metric-names.ts). Both are pure modules with no AWS
 * SDK or runtime code, which is why infra/ may import them (handlers are still referred to only
 * by their entry paths).
 */

import { METRIC_DIMENSIONS, METRIC_NAMES } from '../functions/contracts/metric-names.ts';
import type { ProblemType } from '../functions/contracts/problem-type.ts';
import { QUALITY_METRIC_NAMES } from '../functions/contracts/quality-metric-names.ts';

export const DRIFTWATCH_METRICS = { dimensions: METRIC_DIMENSIONS, ...METRIC_NAMES } as const;

/** Whether a larger value of a quality metric is better (alarm when below) or worse (alarm when above). */
export type QualityDirection = 'higherIsBetter' | 'lowerIsBetter';

/**
 * SageMaker's model-quality metrics that can be alarmed on, per problem type, with the
 * direction that makes a value bad: the scalar metrics a baseline suggests constraints for.
 */
export const QUALITY_METRICS: Readonly<Record<ProblemType, Readonly<Record<string, QualityDirection>>>> = {
  BinaryClassification: directions('BinaryClassification'),
  MulticlassClassification: directions('MulticlassClassification'),
  Regression: directions('Regression'),
};

function directions(problemType: ProblemType): Record<string, QualityDirection> {
  const out: Record<string, QualityDirection> = {};
  for (const m of QUALITY_METRIC_NAMES)
    if (m.problemType === problemType && m.sagemaker !== null && m.suggested)
      out[m.sagemaker] = m.better === 'higher' ? 'higherIsBetter' : 'lowerIsBetter';
  return out;
}

/** The quality metrics drawn on the dashboard when no alarm names them. */
export const HEADLINE_QUALITY_METRICS: Readonly<Record<ProblemType, readonly string[]>> = {
  BinaryClassification: ['accuracy', 'precision', 'recall', 'f1', 'auc'],
  MulticlassClassification: ['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f1'],
  Regression: ['mae', 'rmse', 'r2'],
};
