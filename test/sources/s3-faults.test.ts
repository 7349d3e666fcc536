// Faults between the monitor and S3, injected below the SDK's retry layer (a request handler
// that answers some GETs with 503 SlowDown before s3rver sees them): throttling is retried,
// persistent failure fails the window loudly, and an object deleted after listing is counted.
import { Readable } from 'node:stream';
import { DeleteObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { type HttpRequest, HttpResponse } from '@smithy/core/protocols';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineBuilder, captureSchema } from '../../functions/engine/drift/baseline.ts';
import { WindowProfiler } from '../../functions/engine/profile/window-profiler.ts';
import { profileObjects, selectCaptureObjects } from '../../functions/sources/profile-capture.ts';
import type { ObjectStore } from '../../functions/stores/object-store.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';
import { captureLine, csvSide } from '../support/capture-lines.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

let s3: LocalS3;
const BUCKET = 'capture';
const OBJECTS = 12;

function baseline() {
  const b = new BaselineBuilder(['x']);
  for (let i = 0; i < 50; i++) b.addFields([String(i)]);
  return b.finish();
}

/** A client whose first `failures` GetObject requests (per key) get 503 SlowDown. */
function faultyClient(failuresPerKey: number): { client: S3Client; gets: Map<string, number> } {
  const inner = new NodeHttpHandler();
  const gets = new Map<string, number>();
  const handler = {
    metadata: inner.metadata,
    destroy: () => inner.destroy(),
    updateHttpClientConfig: () => {},
    httpHandlerConfigs: () => ({}),
    async handle(request: HttpRequest) {
      const isGet = request.method === 'GET' && !request.query?.['list-type'];
      if (isGet) {
        const n = (gets.get(request.path) ?? 0) + 1;
        gets.set(request.path, n);
        if (n <= failuresPerKey) {
          const body =
            '<?xml version="1.0"?><Error><Code>SlowDown</Code><Message>Reduce your request rate.</Message></Error>';
          return {
            response: new HttpResponse({
              statusCode: 503,
              headers: { 'content-type': 'application/xml' },
              body: Readable.from([body]),
            }),
          };
        }
      }
      return inner.handle(request);
    },
  };
  const client = new S3Client({
    endpoint: s3.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    maxAttempts: 3,
    retryMode: 'standard',
    requestHandler: handler,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  return { client, gets };
}

async function profileAll(store: ObjectStore) {
  const { objects } = await selectCaptureObjects(store, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
  const profiler = new WindowProfiler(captureSchema(baseline()));
  return profileObjects(store, objects, profiler);
}

beforeAll(async () => {
  s3 = await startLocalS3([BUCKET]);
  for (let i = 0; i < OBJECTS; i++) {
    const body = `${[1, 2, 3].map((v) => captureLine({ input: csvSide(String(v + i)) })).join('\n')}\n`;
    await s3.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: `ep/AllTraffic/2026/11/26/05/part-${String(i).padStart(2, '0')}.jsonl`,
        Body: body,
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  await s3?.stop();
});

describe('S3 faults while profiling a window', () => {
  it('retries throttled GETs (503 SlowDown) and profiles every record', async () => {
    const { client, gets } = faultyClient(2);
    const p = await profileAll(new S3Store(client, `s3://${BUCKET}/`));

    expect(p.total).toBe(OBJECTS * 3);
    expect(p.profiled).toBe(OBJECTS * 3);
    expect([...gets.values()].every((n) => n === 3)).toBe(true);
    client.destroy();
  });

  it('fails the window when a GET keeps failing past the retries, instead of reporting a half-read window', async () => {
    const { client } = faultyClient(10);
    await expect(profileAll(new S3Store(client, `s3://${BUCKET}/`))).rejects.toThrow(
      /Reduce your request rate|SlowDown|503/,
    );
    client.destroy();
  });

  it('counts an object deleted between listing and reading, and reads the rest', async () => {
    const store = new S3Store(s3.client, `s3://${BUCKET}/`);
    const { objects } = await selectCaptureObjects(store, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
    await s3.client.send(new DeleteObjectCommand({ Bucket: BUCKET, Key: objects[4]!.key }));

    const p = await profileObjects(store, objects, new WindowProfiler(captureSchema(baseline())));

    expect(p.missingObjects).toBe(1);
    expect(p.files).toBe(OBJECTS - 1);
    expect(p.total).toBe((OBJECTS - 1) * 3);
    expect(p.profiled).toBe(p.total);
  });
});
