/**
 * Exact Shapley values of models with interactions against the permutation definition, computed
 * here independently of the engine's coalition formula: phi_i is the mean over all d! orders of
 * the features of what adding i contributes after the features before it.
 */
import { describe, expect, it } from 'vitest';
import { exactPlan, shapleyWeights } from '../../../functions/engine/attribution/coalition-plan.ts';
import { explainRecords } from '../../../functions/engine/attribution/explain-records.ts';
import { functionModel } from '../../support/model-endpoint.ts';

type Fn = (x: readonly number[]) => number;

/** v(S) for `S` given as flags: the mean of f over the background rows. */
function coalitionValue(
  f: Fn,
  x: readonly number[],
  background: readonly (readonly number[])[],
  inS: boolean[],
) {
  let s = 0;
  for (const r of background) s += f(x.map((v, i) => (inS[i] ? v : r[i]!)));
  return s / background.length;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, at) => [...p.slice(0, at), n - 1, ...p.slice(at)]),
  );
}

/** Shapley values by the permutation definition. */
function bruteForce(f: Fn, x: readonly number[], background: readonly (readonly number[])[]): number[] {
  const d = x.length;
  const phi = new Array<number>(d).fill(0);
  const orders = permutations(d);
  for (const order of orders) {
    const inS = new Array<boolean>(d).fill(false);
    let before = coalitionValue(f, x, background, inS);
    for (const i of order) {
      inS[i] = true;
      const after = coalitionValue(f, x, background, inS);
      phi[i]! += after - before;
      before = after;
    }
  }
  return phi.map((p) => p / orders.length);
}

const interacting: Fn = (x) => x[0]! * x[1]! + Math.max(x[2]!, x[3]!) + x[4]! * x[4]! * x[0]! - 2 * x[5]!;

describe('exact Shapley values', () => {
  it('has weights that sum to 1 over the coalitions leaving a feature out', () => {
    const d = 7;
    const w = shapleyWeights(d);
    let total = 0;
    for (let s = 0; s < d; s++) total += w[s]! * [1, 6, 15, 20, 15, 6, 1][s]!;
    expect(total).toBeCloseTo(1, 14);
  });

  it('enumerates 2^d - 1 coalitions with the full one last', () => {
    const plan = exactPlan(4);
    expect(plan.count).toBe(15);
    expect([...plan.members.subarray(14 * 4)]).toEqual([1, 1, 1, 1]);
    expect([...plan.members.subarray(0, 4)]).toEqual([1, 0, 0, 0]);
  });

  it('matches the permutation definition for a model with products and a max, one background row', async () => {
    const rows = [
      [1.5, -2, 0.3, 4, 2, 1],
      [-0.5, 3, 7, -1, -1, 0],
      [2, 2, 2, 2, 2, 2],
    ];
    const background = [[0.2, 0.4, 1, 1.5, -0.3, 0.5]];
    const result = await explainRecords({
      features: ['a', 'b', 'c', 'd', 'e', 'f'],
      rows: rows.map((values, i) => ({ key: String(i), values })),
      background,
      model: functionModel(interacting),
      batchRows: 50,
    });
    expect(result.error).toBeNull();
    expect(result.records).toHaveLength(3);
    for (const r of result.records) {
      const expected = bruteForce(interacting, rows[r.index]!, background);
      r.attributions.forEach((v, i) => {
        expect(v).toBeCloseTo(expected[i]!, 10);
      });
    }
  });

  it('averages over several background rows', async () => {
    const x = [1, -1, 2, 0.5, 3, -2];
    const background = [
      [0, 0, 0, 0, 0, 0],
      [1, 2, 3, 4, 5, 6],
      [-1, 0.5, 2, -3, 1, 0],
    ];
    const model = functionModel(interacting);
    const result = await explainRecords({
      features: ['a', 'b', 'c', 'd', 'e', 'f'],
      rows: [{ key: 'k', values: x }],
      background,
      model,
      batchRows: 100,
    });
    const expected = bruteForce(interacting, x, background);
    result.records[0]!.attributions.forEach((v, i) => {
      expect(v).toBeCloseTo(expected[i]!, 10);
    });
    // 63 coalitions × 3 background rows, plus v(∅)'s 3 rows; batches of at most 100 rows.
    expect(result.rowsPerRecord).toBe(189);
    expect(result.modelRows).toBe(192);
    expect(model.rows).toBe(192);
    expect(result.predictCalls).toBe(1 + Math.ceil(189 / 100));
    const meanBackground = background.reduce((s, r) => s + interacting(r), 0) / 3;
    expect(result.expectedValue).toBeCloseTo(meanBackground, 12);
  });
});
