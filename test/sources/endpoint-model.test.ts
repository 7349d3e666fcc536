/**
 * The endpoint adapter driving the real SageMaker runtime client against a local stand-in
 * (test/support/model-endpoint.ts): CSV and JSON formats, requests split under the payload
 * limit and the row limit, the rate limit on a fake clock, and errors that name the endpoint
 * and the service's code but never the payload.
 */
import { SageMakerRuntimeClient } from '@aws-sdk/client-sagemaker-runtime';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRow } from '../../functions/engine/attribution/batch-model.ts';
import { explainRecords } from '../../functions/engine/attribution/explain-records.ts';
import { parseFieldPath } from '../../functions/engine/attribution/field-path.ts';
import {
  type Clock,
  EndpointInvocationError,
  EndpointModel,
} from '../../functions/sources/endpoint-model.ts';
import { ModelEndpointStandIn } from '../support/model-endpoint.ts';

const weights = [2, -1, 0.5];
const bias = 0.25;
const f = (r: readonly number[]) => bias + r.reduce((s, v, i) => s + weights[i]! * v, 0);

let standIn: ModelEndpointStandIn;
let client: SageMakerRuntimeClient;

beforeAll(async () => {
  standIn = await ModelEndpointStandIn.linear(weights, bias);
  client = new SageMakerRuntimeClient({
    region: 'us-east-1',
    endpoint: standIn.url,
    credentials: { accessKeyId: 'AKIDTEST', secretAccessKey: 'test-secret' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await standIn.close();
});
afterEach(() => {
  standIn.received.length = 0;
  standIn.errors.length = 0;
  standIn.delayMs = 0;
  standIn.jsonAnswer = 'predictions-objects';
  standIn.csvWithLabel = false;
});

/** A clock that never waits: sleeping moves its time on, and each sleep is recorded. */
function fakeClock(): Clock & { sleeps: number[]; t: number } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.t += ms;
    },
  };
  return clock;
}

const rowsOf = (n: number): number[][] => Array.from({ length: n }, (_, i) => [i, i / 2, 3 - i]);

describe('EndpointModel', () => {
  it('scores CSV rows, one request when they fit', async () => {
    const model = new EndpointModel({ client, endpointName: 'churn-ep', clock: fakeClock() });
    const rows = rowsOf(5);
    expect(await model.predict(rows)).toEqual(rows.map(f));
    expect(standIn.received).toHaveLength(1);
    expect(standIn.received[0]).toMatchObject({
      endpoint: 'churn-ep',
      contentType: 'text/csv',
      accept: 'text/csv',
    });
    expect(standIn.received[0]!.rows).toEqual(rows);
    expect(model.usage()).toEqual({ requests: 1, rows: 5 });
  });

  it('escapes text values and reads the first CSV column as the score', async () => {
    standIn.csvWithLabel = true;
    const seen: ModelRow[] = [];
    const text = await ModelEndpointStandIn.start((row) => {
      seen.push(row);
      return 1;
    });
    const c = new SageMakerRuntimeClient({
      region: 'us-east-1',
      endpoint: text.url,
      credentials: { accessKeyId: 'a', secretAccessKey: 'b' },
      maxAttempts: 1,
    });
    try {
      const model = new EndpointModel({ client: c, endpointName: 'e', clock: fakeClock() });
      expect(await model.predict([['a,b', 'say "hi"', null, 3]])).toEqual([1]);
      expect(seen).toEqual([['a,b', 'say "hi"', null, 3]]);
    } finally {
      c.destroy();
      await text.close();
    }
    const model = new EndpointModel({ client, endpointName: 'e', clock: fakeClock() });
    expect(await model.predict(rowsOf(3))).toEqual(rowsOf(3).map(f));
  });

  it('speaks JSON: instances in, predictions objects or a list out', async () => {
    const model = new EndpointModel({
      client,
      endpointName: 'json-ep',
      contentType: 'application/json',
      predictionPath: parseFieldPath('score')!,
      clock: fakeClock(),
    });
    const rows = rowsOf(4);
    expect(await model.predict(rows)).toEqual(rows.map(f));
    expect(standIn.received[0]!.contentType).toBe('application/json');
    expect(standIn.received[0]!.rows).toEqual(rows);
    standIn.jsonAnswer = 'list';
    expect(await model.predict(rows)).toEqual(rows.map(f));
  });

  it('splits rows so each body stays under the payload limit and the row limit', async () => {
    const rows = rowsOf(200);
    const bodyBytes = (r: number[][]) => Buffer.byteLength(r.map((x) => x.join(',')).join('\n'));
    const limit = 400;
    const model = new EndpointModel({
      client,
      endpointName: 'ep',
      maxPayloadBytes: limit,
      clock: fakeClock(),
    });
    expect(await model.predict(rows)).toEqual(rows.map(f));
    const sent = standIn.received;
    expect(sent.length).toBeGreaterThanOrEqual(Math.ceil(bodyBytes(rows) / limit));
    sent.forEach((r, i) => {
      expect(r.bytes).toBe(bodyBytes(r.rows as number[][]));
      expect(r.bytes).toBeLessThanOrEqual(limit);
      // Each request is as full as it can be: the next request's first row would not have fitted.
      const next = sent[i + 1];
      if (next !== undefined)
        expect(r.bytes + 1 + bodyBytes([next.rows[0] as number[]])).toBeGreaterThan(limit);
    });
    expect(standIn.received.flatMap((r) => r.rows)).toEqual(rows);
    expect(model.usage()).toEqual({ requests: standIn.received.length, rows: 200 });

    standIn.received.length = 0;
    const byRows = new EndpointModel({
      client,
      endpointName: 'ep',
      maxRowsPerRequest: 64,
      clock: fakeClock(),
    });
    await byRows.predict(rows);
    expect(standIn.received.map((r) => r.rows.length)).toEqual([64, 64, 64, 8]);
  });

  it('refuses a row larger than a request, naming sizes only', async () => {
    const model = new EndpointModel({ client, endpointName: 'ep', maxPayloadBytes: 10, clock: fakeClock() });
    await expect(model.predict([['a-long-secret-value']])).rejects.toThrow(
      'InvokeEndpoint "ep": a row of 19 bytes does not fit a request of at most 10 bytes',
    );
  });

  it('holds the request rate with its token bucket', async () => {
    const clock = fakeClock();
    const model = new EndpointModel({
      client,
      endpointName: 'ep',
      maxRowsPerRequest: 10,
      requestsPerSecond: 4,
      burst: 2,
      clock,
    });
    await model.predict(rowsOf(60));
    // 6 requests: 2 from the burst, then one every 250 ms.
    expect(standIn.received).toHaveLength(6);
    expect(clock.sleeps).toEqual([250, 250, 250, 250]);
    expect(clock.t).toBe(1000);
  });

  it('names the endpoint, the request and the service code of a throttled call, not the payload', async () => {
    standIn.errors.push({ status: 429, type: 'ThrottlingException', message: 'Rate exceeded' });
    const model = new EndpointModel({ client, endpointName: 'busy-ep', clock: fakeClock() });
    const error = await model.predict([[123456789, 2, 3]]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EndpointInvocationError);
    expect((error as EndpointInvocationError).message).toBe(
      'InvokeEndpoint "busy-ep": request 1 failed: ThrottlingException (HTTP 429)',
    );
    expect((error as EndpointInvocationError).status).toBe(429);
    expect((error as Error).message).not.toContain('123456789');
  });

  it('contains a validation error inside explainRecords', async () => {
    standIn.errors.push({ status: 400, type: 'ValidationError', message: 'bad input' });
    const model = new EndpointModel({ client, endpointName: 'val-ep', clock: fakeClock() });
    const result = await explainRecords({
      features: ['a', 'b', 'c'],
      rows: [{ key: 'k', values: [987654321, 1, 1] }],
      background: [[0, 0, 0]],
      model,
    });
    expect(result.error).toBe(
      'model call 1 failed: InvokeEndpoint "val-ep": request 1 failed: ValidationError (HTTP 400)',
    );
    expect(result.requests).toBe(1);
    expect(result.recordsExplained).toBe(0);
  });

  it('explains records through the endpoint: phi_i = w_i (x_i - r_i)', async () => {
    const model = new EndpointModel({
      client,
      endpointName: 'ep',
      maxRowsPerRequest: 20,
      requestsPerSecond: 1000,
      clock: fakeClock(),
    });
    const rows = rowsOf(6);
    const result = await explainRecords({
      features: ['a', 'b', 'c'],
      rows: rows.map((values, i) => ({ key: `k${i}`, values })),
      background: [[1, 1, 1]],
      model,
    });
    expect(result.error).toBeNull();
    for (const r of result.records)
      r.attributions.forEach((v, i) => {
        expect(v).toBeCloseTo(weights[i]! * (rows[r.index]![i]! - 1), 12);
      });
    // v(∅): 1 row; 6 records × 7 coalitions = 42 rows in one predict call, 20 rows per request.
    expect(result.modelRows).toBe(43);
    expect(result.requests).toBe(1 + 3);
    expect(standIn.received).toHaveLength(4);
  });

  it('stops when its signal aborts: before a request, and during a slow one', async () => {
    const before = new AbortController();
    before.abort();
    const model = new EndpointModel({
      client,
      endpointName: 'ep',
      signal: before.signal,
      clock: fakeClock(),
    });
    await expect(model.predict(rowsOf(1))).rejects.toThrow(
      `InvokeEndpoint "ep": stopped before request 1: the run's deadline passed`,
    );
    expect(standIn.received).toHaveLength(0);

    standIn.delayMs = 2000;
    const during = new AbortController();
    const slow = new EndpointModel({ client, endpointName: 'ep', signal: during.signal, clock: fakeClock() });
    setTimeout(() => during.abort(), 100);
    await expect(slow.predict(rowsOf(1))).rejects.toThrow(
      `InvokeEndpoint "ep": request 1 aborted: the run's deadline passed`,
    );
  });
});
