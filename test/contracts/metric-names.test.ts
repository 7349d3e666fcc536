import { describe, expect, it } from 'vitest';
import { METRIC_DIMENSIONS, METRIC_NAMES, metricName } from '../../functions/contracts/metric-names.ts';
import { DRIFTWATCH_METRICS } from '../../infra/metric-names.ts';

describe('metric names', () => {
  it("are SageMaker Model Monitor's", () => {
    expect(METRIC_NAMES.featureBaselineDrift('tenure')).toBe('feature_baseline_drift_tenure');
    expect(METRIC_NAMES.featureNonNull('tenure')).toBe('feature_non_null_tenure');
    expect(METRIC_NAMES.featureData('tenure')).toBe('feature_data_tenure');
    expect(METRIC_NAMES.quality('weighted_f1')).toBe('weighted_f1');
    expect(METRIC_DIMENSIONS).toEqual({ endpoint: 'Endpoint', monitoringSchedule: 'MonitoringSchedule' });
  });

  it('keep printable ASCII as it is and put _ for each other character, cut to 255', () => {
    expect(metricName('a b/c:d~!')).toBe('a b/c:d~!');
    expect(metricName('prix\t€😀é')).toBe('prix____');
    expect(metricName('x'.repeat(300))).toHaveLength(255);
  });

  it('are the names the stack alarms on and draws', () => {
    for (const f of ['tenure', 'Total Charges', 'x'.repeat(20)]) {
      expect(METRIC_NAMES.featureBaselineDrift(f)).toBe(DRIFTWATCH_METRICS.featureBaselineDrift(f));
      expect(METRIC_NAMES.featureNonNull(f)).toBe(DRIFTWATCH_METRICS.featureNonNull(f));
      expect(METRIC_NAMES.featureData(f)).toBe(DRIFTWATCH_METRICS.featureData(f));
    }
    expect(METRIC_DIMENSIONS).toEqual(DRIFTWATCH_METRICS.dimensions);
    for (const k of [
      'datasetDriftShare',
      'violations',
      'recordsProfiled',
      'recordsRejected',
      'runDurationSeconds',
      'runCostUsd',
    ] as const)
      expect(METRIC_NAMES[k]).toBe(DRIFTWATCH_METRICS[k]);
  });
});
