/** A report as history records: one per baseline feature, one per window, null where a monitor did not run. */
import { describe, expect, it } from 'vitest';
import { historyLine } from '../../../functions/contracts/history-schema.ts';
import { historyRecords } from '../../../functions/engine/export/history-records.ts';
import type { Report } from '../../../functions/engine/report/report-model.ts';
import {
  biasSection,
  driftViolation,
  feature,
  multivariateResult,
  numericMetrics,
  report,
} from '../../sinks/report-fixture.ts';

const CTX = { endpoint: 'xgb-churn', schedule: 'driftwatch-hourly' };

describe('historyRecords', () => {
  it('writes one record per baseline feature with its drift, test and completeness', () => {
    const r = report(
      [
        feature('Day Mins', {
          type: 'numeric',
          metrics: numericMetrics(90, 900, 1, 20),
          count: 90,
          missing: 8,
          typeMismatch: 2,
          distance: 0.31,
          threshold: 0.1,
          drifted: true,
          method: 'sketch',
        }),
        feature('plan', { distance: null, threshold: null, monitored: false, count: 0, missing: 0 }),
        feature('invented', { note: 'not in the baseline', monitored: false }),
      ],
      [driftViolation('Day Mins')],
    );

    const { windowStart, features } = historyRecords(r, {
      ...CTX,
      variants: ['green', 'blue'],
      modelVersion: 'v7',
    });

    expect(windowStart).toEqual(new Date('2026-11-26T05:00:00.000Z'));
    expect(features).toEqual([
      {
        window_start: '2026-11-26T05:00:00.000Z',
        window_end: '2026-11-26T06:00:00.000Z',
        variants: 'blue,green',
        model_version: 'v7',
        complete: true,
        feature: 'Day Mins',
        role: 'input',
        feature_type: 'numeric',
        method: 'sketch',
        distance_metric: 'linfRobust',
        distance: 0.31,
        threshold: 0.1,
        drifted: true,
        monitored: true,
        p_value: 0.01,
        missing_share: 0.08,
        present: 90,
        missing: 8,
        type_mismatch: 2,
        records: 118,
      },
      expect.objectContaining({
        feature: 'plan',
        distance: null,
        threshold: null,
        monitored: false,
        p_value: null,
        missing_share: null,
      }),
    ]);
    // Every record fits the schema.
    for (const f of features) expect(() => historyLine('features', f)).not.toThrow();
  });

  it('writes the window record with nulls for monitors that did not run', () => {
    const r = report([feature('a', { drifted: true, distance: 0.2 }), feature('b')], [driftViolation('a')]);

    const { window } = historyRecords(r, CTX);

    expect(window).toMatchObject({
      variants: null,
      model_version: null,
      generated_at: '2026-11-26T06:10:00.000Z',
      model_changed: null,
      records_total: 120,
      records_profiled: 118,
      records_rejected: 2,
      unknown_features: 0,
      monitored_features: 2,
      drifted_features: 1,
      drift_share: 0.5,
      drift_share_threshold: 0.5,
      dataset_drift: true,
      violations: 1,
      problem_type: null,
      labels_matched: null,
      quality_violations: null,
      bias_violations: null,
      multivariate_error: null,
      multivariate_drifted: null,
      attribution_ndcg: null,
      attribution_drifted: null,
    });
    expect(Object.keys(window).some((k) => k.startsWith('quality_') && k !== 'quality_violations')).toBe(
      false,
    );
    expect(() => historyLine('windows', window)).not.toThrow();
  });

  it('fills quality, bias, multivariate, attribution and the serving model when present', () => {
    const r = report([feature('a')], [], {
      quality: {
        problemType: 'Regression',
        metrics: { mae: 1.5, mse: 4, rmse: 2, r2: 0.7 },
        violations: [{}],
        matched: 50,
      } as unknown as Report['quality'],
      bias: biasSection(),
      multivariate: multivariateResult(),
      attribution: {
        ndcg: 0.82,
        threshold: 0.9,
        drifted: true,
        error: null,
      } as unknown as Report['attribution'],
      model: {
        endpointName: 'xgb-churn',
        endpointConfigName: 'c',
        lastModifiedTime: null,
        variants: [
          { variantName: 'b', modelName: 'm', modelPackageVersion: 3 },
          { variantName: 'a', modelName: 'n', modelPackageVersion: 12 },
        ],
      },
      modelChangedDuringWindow: true,
      complete: false,
    });

    const { window } = historyRecords(r, CTX);

    expect(window).toMatchObject({
      variants: 'a,b',
      model_version: '12',
      complete: false,
      model_changed: true,
      problem_type: 'Regression',
      labels_matched: 50,
      quality_violations: 1,
      quality_mae: 1.5,
      quality_mse: 4,
      quality_rmse: 2,
      quality_r2: 0.7,
      bias_matched: 300,
      bias_violations: 1,
      multivariate_error: 1.23,
      multivariate_lower: 0.95,
      multivariate_upper: 1.08,
      multivariate_drifted: true,
      attribution_ndcg: 0.82,
      attribution_threshold: 0.9,
      attribution_drifted: true,
      attribution_error: null,
    });
    expect(JSON.parse(historyLine('windows', window))).toMatchObject({
      window_start: '2026-11-26 05:00:00.000',
      quality_mse: 4,
      quality_accuracy: null,
    });
  });

  it('refuses a report without a window start, saying what to give', () => {
    const r = report([feature('a')], [], { window: { start: null, end: null } });

    expect(() => historyRecords(r, CTX)).toThrow('give --start and --end to keep history');
  });
});
