import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  METRIC_DIMENSIONS,
  METRIC_NAMES,
  metricName,
  metricNameHash,
} from '../../functions/contracts/metric-names.ts';
import { DRIFTWATCH_METRICS } from '../../infra/metric-names.ts';

describe('metric names', () => {
  it("are SageMaker Model Monitor's", () => {
    expect(METRIC_NAMES.featureBaselineDrift('tenure')).toBe('feature_baseline_drift_tenure');
    expect(METRIC_NAMES.featureNonNull('tenure')).toBe('feature_non_null_tenure');
    expect(METRIC_NAMES.featureData('tenure')).toBe('feature_data_tenure');
    expect(METRIC_NAMES.quality('weighted_f1')).toBe('weighted_f1');
    expect(METRIC_DIMENSIONS).toEqual({ endpoint: 'Endpoint', monitoringSchedule: 'MonitoringSchedule' });
  });

  it('keep printable ASCII as it is; put _ for each other character, cut to 255, and end a changed name in its hash', () => {
    expect(metricName('a b/c:d~!')).toBe('a b/c:d~!');
    expect(metricName('x'.repeat(255))).toBe('x'.repeat(255));
    expect(metricName('prix\t€😀é')).toBe(`prix_____${metricNameHash('prix\t€😀é')}`);
    expect(metricNameHash('prix\t€😀é')).toMatch(/^[0-9a-f]{12}$/);
    expect(metricName('x'.repeat(300))).toBe(`${'x'.repeat(242)}_${metricNameHash('x'.repeat(300))}`);
  });

  it('hash a changed name with FNV-1a (64 bits) of its UTF-8 bytes, first 12 hex digits', () => {
    // FNV-1a 64 test vectors: "" cbf29ce484222325, "a" af63dc4c8601ec8c, "foobar" 85944171f73967e8.
    expect(metricNameHash('')).toBe('cbf29ce48422');
    expect(metricNameHash('a')).toBe('af63dc4c8601');
    expect(metricNameHash('foobar')).toBe('85944171f739');
    expect(metricNameHash('€')).toBe('5646581b8855');
    expect(metricNameHash('😀')).toBe('feff07387502');
  });

  it('are one per name: no two names share a metric, and every name is one CloudWatch takes (property)', () => {
    const names = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.string({ unit: fc.constantFrom('x', 'é', '€', '\n', '😀', '_'), minLength: 250, maxLength: 300 }),
    );
    fc.assert(
      fc.property(names, names, (a, b) => {
        fc.pre(a !== b);
        expect(metricName(a)).not.toBe(metricName(b));
        for (const n of [metricName(a), metricName(b)]) {
          expect(n.length).toBeLessThanOrEqual(255);
          expect(n).toMatch(/^[\x20-\x7e]*$/);
        }
      }),
      { numRuns: 300 },
    );
    // The cases that collided: non-ASCII names sanitised alike, long names cut alike.
    expect(metricName('prix €')).not.toBe(metricName('prix £'));
    expect(metricName(`${'x'.repeat(255)}a`)).not.toBe(metricName(`${'x'.repeat(255)}b`));
    expect(metricName('😀')).not.toBe(metricName('__'));
  });

  it('are the names the stack alarms on and draws', () => {
    for (const f of ['tenure', 'Total Charges', 'x'.repeat(20), 'prix €', 'y'.repeat(300)]) {
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
