/**
 * The run's limits: fewer records when maxRows cannot afford them all (with the reason), the
 * seeded selection, the deadline stopping between batches, and a failing model reported in
 * `error`, never thrown.
 */
import { describe, expect, it } from 'vitest';
import type { BatchModel } from '../../../functions/engine/attribution/batch-model.ts';
import { explainRecords } from '../../../functions/engine/attribution/explain-records.ts';
import { explanationOrder, selectRecords } from '../../../functions/engine/attribution/record-selection.ts';
import { linearModel } from '../../support/model-endpoint.ts';

const features = ['a', 'b', 'c', 'd'];
const weights = [1, -2, 0.5, 3];
const rows = Array.from({ length: 50 }, (_, i) => ({
  key: `id-${i}`,
  values: [i, i % 7, -i / 3, (i * 13) % 11],
}));

describe('explainRecords: budget', () => {
  it('explains all rows when records and maxRows allow', async () => {
    const result = await explainRecords({
      features,
      rows,
      background: [[0, 0, 0, 0]],
      model: linearModel(weights, 0),
    });
    expect(result.recordsExplained).toBe(50);
    expect(result.limitedBy).toBeNull();
    expect(result.reason).toBeNull();
    expect(result.records.map((r) => r.index)).toEqual(rows.map((_, i) => i));
  });

  it('explains floor((maxRows - background) / rows per record) records and says why', async () => {
    // 15 coalitions × 2 background rows = 30 rows per record; 302 - 2 leaves room for 10.
    const result = await explainRecords({
      features,
      rows,
      background: [
        [0, 0, 0, 0],
        [1, 1, 1, 1],
      ],
      model: linearModel(weights, 0),
      maxRows: 302,
    });
    expect(result.rowsPerRecord).toBe(30);
    expect(result.recordsPlanned).toBe(10);
    expect(result.recordsExplained).toBe(10);
    expect(result.limitedBy).toBe('maxRows');
    expect(result.reason).toBe(
      'explaining 10 of 50 records: 15 coalitions (2^4 - 1) × 2 background rows = 30 model rows per record, and maxRows 302 allows 10; raise maxRows, use fewer background rows',
    );
    expect(result.modelRows).toBe(302);
    expect(result.records.map((r) => r.index)).toEqual(
      selectRecords(
        rows.map((r) => r.key),
        10,
        result.seed,
      ),
    );
  });

  it('says when the records setting is the limit', async () => {
    const result = await explainRecords({
      features,
      rows,
      background: [[0, 0, 0, 0]],
      model: linearModel(weights, 0),
      records: 5,
    });
    expect(result.recordsExplained).toBe(5);
    expect(result.limitedBy).toBe('records');
    expect(result.reason).toContain('explaining 5 of 50 records');
  });

  it('counts requests as the model reports them, else as predict calls', async () => {
    const plain = await explainRecords({
      features,
      rows,
      background: [[0, 0, 0, 0]],
      model: linearModel(weights, 0),
      batchRows: 100,
      records: 10,
    });
    // v(∅) once, then 10 × 15 rows in batches of 100.
    expect(plain.predictCalls).toBe(3);
    expect(plain.requests).toBe(3);
    const inner = linearModel(weights, 0);
    let requests = 0;
    const counted: BatchModel = {
      async predict(r) {
        requests += Math.ceil(r.length / 10);
        return inner.predict(r);
      },
      usage: () => ({ requests, rows: inner.rows }),
    };
    const result = await explainRecords({
      features,
      rows,
      background: [[0, 0, 0, 0]],
      model: counted,
      batchRows: 100,
      records: 10,
    });
    expect(result.requests).toBe(1 + 10 + 5);
  });
});

describe('record selection', () => {
  it('picks the same records whatever order they arrive in', () => {
    const keys = rows.map((r) => r.key);
    const shuffled = [...keys].reverse();
    const a = selectRecords(keys, 7, 11).map((i) => keys[i]);
    const b = selectRecords(shuffled, 7, 11).map((i) => shuffled[i]);
    expect(new Set(b)).toEqual(new Set(a));
    expect(a).toHaveLength(7);
    expect(new Set(a).size).toBe(7);
  });

  it('depends on the seed', () => {
    const keys = rows.map((r) => r.key);
    expect(selectRecords(keys, 7, 11)).not.toEqual(selectRecords(keys, 7, 12));
    expect(explanationOrder(keys, 11)).toHaveLength(50);
  });

  it('takes all records when N is at least their number', () => {
    expect(selectRecords(['x', 'y'], 2, 1)).toEqual([0, 1]);
    expect(selectRecords(['x', 'y'], 100, 1)).toEqual([0, 1]);
  });
});

describe('explainRecords: stopping', () => {
  it('stops at the deadline between batches and keeps the records finished', async () => {
    const model = linearModel(weights, 0);
    let calls = 0;
    const result = await explainRecords({
      features,
      rows,
      background: [[0, 0, 0, 0]],
      model,
      batchRows: 30,
      deadline: () => ++calls > 4,
    });
    // v(∅), then 3 batches of 30 rows: 90 rows = 6 records of 15.
    expect(model.calls).toBe(4);
    expect(result.recordsExplained).toBe(6);
    expect(result.stoppedEarly).toBe('deadline passed after 6 of 50 records');
    expect(result.error).toBeNull();
    expect(result.global).toHaveLength(4);
    // The records finished are the first of the seeded order.
    const first = explanationOrder(
      rows.map((r) => r.key),
      result.seed,
    )
      .slice(0, 6)
      .sort((a, b) => a - b);
    expect(result.records.map((r) => r.index)).toEqual(first);
  });

  it('reports a failing model in error, without throwing or quoting the rows', async () => {
    let calls = 0;
    const model: BatchModel = {
      async predict(r) {
        if (++calls === 3)
          throw new Error('InvokeEndpoint "m": request 3 failed: ThrottlingException (HTTP 429)');
        return r.map(() => 1);
      },
    };
    const result = await explainRecords({ features, rows, background: [[0, 0, 0, 0]], model, batchRows: 15 });
    expect(result.error).toBe(
      'model call 3 failed: InvokeEndpoint "m": request 3 failed: ThrottlingException (HTTP 429)',
    );
    expect(result.recordsExplained).toBe(1);
    expect(result.stoppedEarly).toBeNull();
  });

  it('reports a model that returns too few or non-finite scores', async () => {
    const short: BatchModel = { predict: async (r) => r.slice(1).map(() => 0) };
    const nan: BatchModel = { predict: async (r) => r.map(() => Number.NaN) };
    const a = await explainRecords({ features, rows, background: [[0, 0, 0, 0]], model: short });
    expect(a.error).toBe('model call 1 returned 0 scores for 1 rows');
    expect(a.expectedValue).toBeNull();
    expect(a.global).toBeNull();
    const b = await explainRecords({ features, rows, background: [[0, 0, 0, 0]], model: nan });
    expect(b.error).toBe('model call 1 returned a score that is not a finite number for row 0 of 1');
  });

  it('throws for a caller mistake: rows of the wrong width', async () => {
    await expect(
      explainRecords({
        features,
        rows: [{ key: 'k', values: [1, 2] }],
        background: [[0, 0, 0, 0]],
        model: linearModel(weights, 0),
      }),
    ).rejects.toThrow('row 0 has 2 values for 4 features');
  });
});
