/**
 * A local S3 for adapter tests: s3rver on a free port in a temporary folder, and an S3Client
 * pointed at it.
 *
 * s3rver runs in a child process started with `--openssl-legacy-provider`: it encrypts its
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17 and later) refuses
 * without the legacy provider, so any listing past 1,000 keys would fail in-process. The child
 * also honours `If-None-Match: *` and `If-Match: ETAG` on PUT as S3 does (conditional writes, one
 * at a time); s3rver 3.7 ignores both.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { S3Client } from '@aws-sdk/client-s3';

export interface LocalS3 {
  /** `http://127.0.0.1:PORT` */
  endpoint: string;
  /** A client for the server; path-style addressing, dummy credentials. */
  client: S3Client;
  /** Another client like `client`, e.g. to add middleware to; the caller destroys it. */
  newClient(): S3Client;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

// Runs in the child (CommonJS). argv: s3rver's main file, the folder, the bucket names (JSON).
const SERVER_SCRIPT = `
const { dirname, join } = require('node:path');
const [main, directory, bucketsJson] = process.argv.slice(1);
const S3rver = require(main);
const S3Error = require(join(dirname(main), 'models', 'error.js'));
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: true,
  directory,
  configureBuckets: JSON.parse(bucketsJson).map((name) => ({ name })),
});
// Requests on one key run one at a time: S3 swaps an object atomically, while s3rver writes it
// in place, so a GET racing a PUT could read half a file. Conditional PUTs then check and write
// in one step, as in S3.
const locks = new Map();
server.middleware.splice(server.middleware.length - 1, 0, async (ctx, next) => {
  const m = /^\\/([^/]+)\\/(.+)$/.exec(ctx.path);
  if (!m) return next();
  const lockKey = m[1] + '/' + m[2];
  const previous = locks.get(lockKey) ?? Promise.resolve();
  let done;
  const mine = new Promise((resolve) => (done = resolve));
  locks.set(lockKey, mine);
  await previous;
  try {
    const ifNoneMatch = ctx.get('if-none-match');
    const ifMatch = ctx.get('if-match');
    if (ctx.method === 'PUT' && !ctx.get('x-amz-copy-source') && (ifNoneMatch === '*' || ifMatch)) {
      const bucket = m[1];
      const key = decodeURIComponent(m[2]);
      const exists = await ctx.store.existsObject(bucket, key);
      const failed = (condition) =>
        new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', {
          Condition: condition,
        });
      if (ifNoneMatch === '*' && exists) throw failed('If-None-Match');
      if (ifMatch) {
        if (!exists) throw new S3Error('NoSuchKey', 'The specified key does not exist.', { Key: key });
        if ((await ctx.store.getMetadata(bucket, key)).etag !== ifMatch) throw failed('If-Match');
      }
    }
    await next();
  } catch (e) {
    release();
    throw e;
  }
  // A GET's body streams after the middleware returns: hold the key until it has been sent.
  const body = ctx.body;
  if (body && typeof body.on === 'function' && !body.destroyed && !body.readableEnded) {
    body.once('close', release);
    body.once('end', release);
    body.once('error', release);
  } else release();
  function release() {
    done();
    if (locks.get(lockKey) === mine) locks.delete(lockKey);
  }
});
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();
server.run().then((address) => process.stdout.write(JSON.stringify({ port: address.port }) + '\\n'));
`;

/** Starts s3rver with `buckets` created; call `stop()` when done. */
export async function startLocalS3(buckets: string[]): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 'driftwatch-s3rver-'));
  const main = createRequire(import.meta.url).resolve('s3rver');
  const child: ChildProcess = spawn(
    process.execPath,
    ['--openssl-legacy-provider', '-e', SERVER_SCRIPT, main, directory, JSON.stringify(buckets)],
    // stdin stays open: the server exits when this process goes away and closes it.
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve((JSON.parse(line) as { port: number }).port));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`s3rver exited with status ${code} before listening`)));
  });
  const endpoint = `http://127.0.0.1:${port}`;
  const newClient = () =>
    new S3Client({
      endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      // s3rver neither sends nor checks checksums; skipping them takes a third off each request.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const client = newClient();
  return {
    endpoint,
    client,
    newClient,
    async stop() {
      client.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
