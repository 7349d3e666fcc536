/**
 * Kernel SHAP beyond 12 features: exact for an additive model (its least squares fit has no
 * residual), close to exact values for a model with interactions, and the same values for the
 * same seed.
 */
import { describe, expect, it } from 'vitest';
import { exactPlan } from '../../../functions/engine/attribution/coalition-plan.ts';
import { explainRecords } from '../../../functions/engine/attribution/explain-records.ts';
import { defaultKernelSamples, kernelPlan } from '../../../functions/engine/attribution/kernel-shap.ts';
import { mulberry32 } from '../../../functions/engine/stats/seeded-random.ts';
import { functionModel, linearModel } from '../../support/model-endpoint.ts';

const names = (d: number) => Array.from({ length: d }, (_, i) => `x${i}`);

function randomRows(n: number, d: number, seed: number): number[][] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => Array.from({ length: d }, () => random() * 4 - 2));
}

/** Exact Shapley values by the coalition formula, written here over bit masks (d up to 14). */
function exactByMasks(
  f: (x: readonly number[]) => number,
  x: readonly number[],
  r: readonly number[],
): number[] {
  const d = x.length;
  const masks = 2 ** d;
  const v = new Float64Array(masks);
  for (let m = 0; m < masks; m++) v[m] = f(x.map((xi, i) => ((m >> i) & 1 ? xi : r[i]!)));
  const fact = [1];
  for (let i = 1; i <= d; i++) fact.push(fact[i - 1]! * i);
  const phi = new Array<number>(d).fill(0);
  for (let m = 0; m < masks; m++) {
    let s = 0;
    for (let b = m; b; b &= b - 1) s++;
    for (let i = 0; i < d; i++) {
      if ((m >> i) & 1) continue;
      phi[i]! += ((fact[s]! * fact[d - s - 1]!) / fact[d]!) * (v[m | (1 << i)]! - v[m]!);
    }
  }
  return phi;
}

describe('Kernel SHAP', () => {
  it('is chosen above 12 features, with the shap library default sample count stated', async () => {
    const d = 16;
    const result = await explainRecords({
      features: names(d),
      rows: [{ key: 'a', values: randomRows(1, d, 1)[0]! }],
      background: [new Array(d).fill(0)],
      model: linearModel(new Array(d).fill(1), 0),
    });
    expect(result.method).toBe('kernel');
    expect(result.numSamples).toBe(defaultKernelSamples(d));
    expect(result.numSamples).toBe(2 * 16 + 2048);
  });

  it('gives w_i (x_i - r_i) for a linear model of 16 features, within 1e-6', async () => {
    const d = 16;
    const random = mulberry32(99);
    const weights = Array.from({ length: d }, () => random() * 6 - 3);
    const rows = randomRows(5, d, 3);
    const background = randomRows(1, d, 4);
    const result = await explainRecords({
      features: names(d),
      rows: rows.map((values, i) => ({ key: `k${i}`, values })),
      background,
      model: linearModel(weights, 0.7),
    });
    expect(result.error).toBeNull();
    expect(result.recordsExplained).toBe(5);
    for (const rec of result.records) {
      rec.attributions.forEach((v, i) => {
        expect(Math.abs(v - weights[i]! * (rows[rec.index]![i]! - background[0]![i]!))).toBeLessThan(1e-6);
      });
    }
  });

  it('is close to exact values for a model with interactions at 13 features', async () => {
    const d = 13;
    const f = (x: readonly number[]) =>
      x[0]! * x[1]! +
      Math.max(x[2]!, x[3]!, x[4]!) +
      x[5]! * x[6]! * x[7]! +
      Math.tanh(x[8]! + x[9]!) +
      x[10]! -
      x[11]! * x[12]!;
    const [x, r] = randomRows(2, d, 11) as [number[], number[]];
    const expected = exactByMasks(f, x, r);
    const result = await explainRecords({
      features: names(d),
      rows: [{ key: 'only', values: x }],
      background: [r],
      model: functionModel(f),
      method: 'kernel',
      numSamples: 2000,
    });
    const phi = result.records[0]!.attributions;
    const scale = Math.max(...expected.map(Math.abs));
    phi.forEach((v, i) => {
      expect(Math.abs(v - expected[i]!)).toBeLessThan(0.05 * scale);
    });
    // The constraint holds exactly: the values add up to f(x) - f(r).
    expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(f(x) - f(r), 9);
  });

  it('agrees with the exact plan when the budget covers every coalition', () => {
    const d = 8;
    const f = (x: readonly number[]) =>
      x[0]! * x[1]! + Math.max(x[2]!, x[3]!) - x[4]! * x[5]! * x[6]! + x[7]!;
    const [x, r] = randomRows(2, d, 5) as [number[], number[]];
    const value = (members: Uint8Array, k: number) => f(x.map((xi, i) => (members[k * d + i] ? xi : r[i]!)));
    const kernel = kernelPlan(d, 10_000, 1);
    expect(kernel.samples).toBe(2 ** d - 2);
    const exact = exactPlan(d);
    const kv = Float64Array.from({ length: kernel.count }, (_, k) => value(kernel.members, k));
    const ev = Float64Array.from({ length: exact.count }, (_, k) => value(exact.members, k));
    const a = kernel.solve(kv, f(r));
    const b = exact.solve(ev, f(r));
    a.forEach((v, i) => {
      expect(v).toBeCloseTo(b[i]!, 9);
    });
  });

  it('draws the same coalitions for the same seed and others for another', () => {
    const a = kernelPlan(20, 300, 42);
    const b = kernelPlan(20, 300, 42);
    const c = kernelPlan(20, 300, 43);
    expect(a.members).toEqual(b.members);
    expect(a.members).not.toEqual(c.members);
    expect(a.samples).toBeLessThanOrEqual(300);
  });
});
