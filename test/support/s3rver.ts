/**
 * A local S3 for adapter tests: s3rver on a free port in a temporary folder, and an S3Client
 * pointed at it.
 *
 * s3rver runs in a child process started with `--openssl-legacy-provider`: it encrypts its
 * ListObjectsV2 continuation tokens with DES, which OpenSSL 3 (Node 17 and later) refuses
 * without the legacy provider, so any listing past 1,000 keys would fail in-process. The child
 * also honours `If-None-Match: *` and `If-Match: ETAG` on PUT as S3 does (conditional writes, one
 * at a time); s3rver 3.7 ignores both.
 *
 * Principals (`startLocalS3(buckets, { principals })`, `clientAs(name)`) stand in for IAM roles
 * that lack `s3:ListBucket`, or hold it only under an `s3:prefix` condition. S3's rule (GetObject
 * and HeadObject, "Permissions", https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html):
 * when the object asked for does not exist, S3 answers 404 NoSuchKey if the caller has
 * `s3:ListBucket` on the bucket, and 403 AccessDenied if not. A GET carries no `s3:prefix`, so a
 * ListBucket grant conditioned on one does not count. The server answers a principal's requests so:
 * a GET or HEAD of a missing key is 403 AccessDenied unless it holds ListBucket on the bucket
 * without condition, and a listing is 403 AccessDenied unless its `prefix` matches one of the
 * principal's `s3:prefix` patterns (IAM StringLike) or the grant has no condition. Object reads,
 * writes and deletes are allowed: only what ListBucket changes is modelled.
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
  /**
   * Another client like `client` (signing as `principal`, when given), e.g. to add middleware
   * to; the caller destroys it.
   */
  newClient(principal?: string): S3Client;
  /**
   * A client signing as `principal` (one of `startLocalS3`'s principals), answered as S3 answers
   * that role; destroyed by `stop()`.
   */
  clientAs(principal: string): S3Client;
  /** Stops the server and deletes its folder. */
  stop(): Promise<void>;
}

/** What a principal may list: its `s3:ListBucket` grants. */
export interface S3Principal {
  /**
   * By bucket: `true` for ListBucket without condition, or the `s3:prefix` patterns (IAM
   * StringLike: `*` any characters, `?` one) a listing's prefix must match. A bucket not named
   * here: no ListBucket on it.
   */
  listBucket: Record<string, true | readonly string[]>;
}

export interface LocalS3Options {
  /** The principals `clientAs` signs as, by name (a name is its access key id: no `/`). */
  principals?: Record<string, S3Principal>;
}

// Runs in the child (CommonJS). argv: s3rver's main file, the folder, the bucket names (JSON),
// the principals (JSON).
const SERVER_SCRIPT = `
const { dirname, join } = require('node:path');
const [main, directory, bucketsJson, principalsJson] = process.argv.slice(1);
const S3rver = require(main);
const S3Error = require(join(dirname(main), 'models', 'error.js'));
const AWSAccount = require(join(dirname(main), 'models', 'account.js'));
const server = new S3rver({
  port: 0,
  address: '127.0.0.1',
  silent: true,
  directory,
  configureBuckets: JSON.parse(bucketsJson).map((name) => ({ name })),
});
// Each principal signs with its name as access key id (and S3rver's secret).
const principals = JSON.parse(principalsJson);
for (const name of Object.keys(principals)) AWSAccount.DUMMY_ACCOUNT.createKeyPair(name, 'S3RVER');
const accessDenied = () => new S3Error('AccessDenied', 'Access Denied');
// IAM StringLike: * is any run of characters, ? one character, the rest literal.
const like = (pattern, value) =>
  new RegExp('^' + pattern.replace(/[.+^$()|[\\]{}\\\\]/g, '\\\\$&').replace(/\\*/g, '.*').replace(/\\?/g, '.') + '$', 's').test(value);
// The query parameters of ListObjects and ListObjectsV2; any other names a bucket subresource.
const LISTING = new Set(['list-type', 'prefix', 'delimiter', 'max-keys', 'marker', 'continuation-token',
  'start-after', 'encoding-type', 'fetch-owner', 'x-id']);
server.middleware.splice(server.middleware.length - 1, 0, async (ctx, next) => {
  const akid = /Credential=([^/,\\s]+)\\//.exec(ctx.get('authorization'))?.[1];
  const principal = akid !== undefined && Object.hasOwn(principals, akid) ? principals[akid] : undefined;
  const m = /^\\/([^/]+)(?:\\/(.*))?$/.exec(ctx.path);
  if (!principal || !m) return next();
  const grant = Object.hasOwn(principal.listBucket, m[1]) ? principal.listBucket[m[1]] : undefined;
  if (!m[2]) {
    if (ctx.method === 'GET' && Object.keys(ctx.query).every((q) => LISTING.has(q))) {
      // A listing with no prefix carries no s3:prefix, so no condition on it holds.
      const prefix = ctx.query.prefix;
      const allowed = grant === true || (Array.isArray(grant) && typeof prefix === 'string' && grant.some((p) => like(p, prefix)));
      if (!allowed) throw accessDenied();
    }
    return next();
  }
  try {
    await next();
  } catch (e) {
    if (e && e.code === 'NoSuchKey' && (ctx.method === 'GET' || ctx.method === 'HEAD') && grant !== true)
      throw accessDenied();
    throw e;
  }
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
export async function startLocalS3(buckets: string[], options: LocalS3Options = {}): Promise<LocalS3> {
  const principals = options.principals ?? {};
  for (const name of Object.keys(principals))
    if (!/^[A-Za-z0-9_-]+$/.test(name) || name === 'S3RVER')
      throw new Error(`principal ${JSON.stringify(name)}: use letters, digits, - and _ (and not S3RVER)`);
  const directory = await mkdtemp(join(tmpdir(), 'driftwatch-s3rver-'));
  const main = createRequire(import.meta.url).resolve('s3rver');
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '-e',
      SERVER_SCRIPT,
      main,
      directory,
      JSON.stringify(buckets),
      JSON.stringify(principals),
    ],
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
  const newClient = (accessKeyId = 'S3RVER') =>
    new S3Client({
      endpoint,
      forcePathStyle: true,
      region: 'us-east-1',
      credentials: { accessKeyId, secretAccessKey: 'S3RVER' },
      // s3rver neither sends nor checks checksums; skipping them takes a third off each request.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const known = (principal: string) => {
    if (!Object.hasOwn(principals, principal))
      throw new Error(`no principal ${principal}: name it in startLocalS3's options`);
    return principal;
  };
  const client = newClient();
  const principalClients = new Map<string, S3Client>();
  return {
    endpoint,
    client,
    newClient: (principal) => newClient(principal === undefined ? undefined : known(principal)),
    clientAs(principal) {
      let c = principalClients.get(known(principal));
      if (!c) {
        c = newClient(principal);
        principalClients.set(principal, c);
      }
      return c;
    },
    async stop() {
      client.destroy();
      for (const c of principalClients.values()) c.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
      await rm(directory, { recursive: true, force: true });
    },
  };
}
