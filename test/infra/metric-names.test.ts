import { describe, expect, it } from 'vitest';
import { QUALITY_METRIC_NAMES } from '../../functions/engine/quality/metric-names.ts';
import { METRIC_DIMENSIONS, METRIC_NAMES } from '../../functions/sinks/metric-names.ts';
import { DRIFTWATCH_METRICS, QUALITY_METRICS } from '../../infra/metric-names.ts';

// infra/ may not import the monitor's code, so the alarms name metrics from their own table;
// this test keeps the two in step.
describe('the metric names the alarms use are the ones the monitor publishes', () => {
  it.each(['age', 'Day Mins', 'x'])('per-feature names for %j', (feature) => {
    expect(DRIFTWATCH_METRICS.featureBaselineDrift(feature)).toBe(METRIC_NAMES.featureBaselineDrift(feature));
    expect(DRIFTWATCH_METRICS.featureNonNull(feature)).toBe(METRIC_NAMES.featureNonNull(feature));
    expect(DRIFTWATCH_METRICS.featureData(feature)).toBe(METRIC_NAMES.featureData(feature));
  });

  it('window and run metrics and dimensions', () => {
    for (const key of [
      'datasetDriftShare',
      'violations',
      'recordsProfiled',
      'recordsRejected',
      'runDurationSeconds',
      'runCostUsd',
    ] as const) {
      expect(DRIFTWATCH_METRICS[key], key).toBe(METRIC_NAMES[key]);
    }
    expect(DRIFTWATCH_METRICS.dimensions).toEqual(METRIC_DIMENSIONS);
  });

  it('quality metric names and directions', () => {
    for (const [problemType, metrics] of Object.entries(QUALITY_METRICS)) {
      for (const [name, direction] of Object.entries(metrics)) {
        const row = QUALITY_METRIC_NAMES.find((r) => r.problemType === problemType && r.sagemaker === name);
        expect(row, `${problemType} ${name}`).toBeDefined();
        expect(row?.better, `${problemType} ${name}`).toBe(
          direction === 'higherIsBetter' ? 'higher' : 'lower',
        );
      }
    }
  });
});
