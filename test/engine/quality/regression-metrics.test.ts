import { describe, expect, it } from 'vitest';
import { regressionMetrics } from '../../../functions/engine/quality/regression-metrics.ts';

describe('regressionMetrics', () => {
  it('computes MAE, MSE, RMSE and R²', () => {
    const m = regressionMetrics([1, 2, 3], [1, 2, 5]);
    expect(m.mae).toBeCloseTo(2 / 3, 15);
    expect(m.mse).toBeCloseTo(4 / 3, 15);
    expect(m.rmse).toBeCloseTo(Math.sqrt(4 / 3), 15);
    expect(m.r2).toBeCloseTo(-1, 15); // SS_tot = 2, SS_res = 4
  });

  it('gives R² 1 for a perfect fit of constant labels and 0 otherwise, as scikit-learn does', () => {
    expect(regressionMetrics([3, 3], [3, 3]).r2).toBe(1);
    expect(regressionMetrics([3, 3], [3, 4]).r2).toBe(0);
  });

  it('keeps digits on large offsets thanks to compensated sums', () => {
    const labels = Array.from({ length: 10_000 }, (_, i) => 1e9 + (i % 2));
    const predictions = labels.map((y) => y + 0.5);
    const m = regressionMetrics(labels, predictions);
    expect(m.mae).toBe(0.5);
    expect(m.mse).toBe(0.25);
    expect(m.r2).toBeCloseTo(0, 12); // SS_tot = 2500, SS_res = 2500
  });
});
