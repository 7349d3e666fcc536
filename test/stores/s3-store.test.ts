// The S3 store against the s3rver stand-in answering as S3 answers roles without s3:ListBucket
// (test/support/s3rver.ts): a GET or HEAD of a missing key is 403 AccessDenied, not 404, and a
// listing outside the role's s3:prefix condition is refused. The store never reads a 403 as
// "not there".
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Store } from '../../functions/stores/s3-store.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

const BUCKET = 'data';
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3([BUCKET], {
    principals: {
      // ListBucket on the whole bucket: S3 may say a key does not exist.
      lister: { listBucket: { [BUCKET]: true } },
      // ListBucket only for listings under reports/ (as driftwatch's roles hold it).
      scoped: { listBucket: { [BUCKET]: ['reports/*'] } },
      // No ListBucket at all.
      reader: { listBucket: {} },
    },
  });
  await s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'reports/a.json', Body: '{"a":1}' }));
});
afterAll(async () => {
  await s3?.stop();
});

const store = (principal: string) => new S3Store(s3.clientAs(principal), `s3://${BUCKET}/reports/`);
const keys = async (principal: string, prefix = '') => {
  const out: string[] = [];
  for await (const o of store(principal).list(prefix)) out.push(o.key);
  return out;
};
const failure = (p: Promise<unknown>) =>
  p.then(
    () => 'no error',
    (e: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
      `${e.$metadata?.httpStatusCode} ${e.name}`,
  );

describe('the S3 stand-in answering as S3 does for a role', () => {
  it('with ListBucket on the bucket: a missing key is 404, which the store reads as absent', async () => {
    expect(await store('lister').getText('missing.json')).toBeNull();
    expect(await store('lister').getText('a.json')).toBe('{"a":1}');
  });

  it('with ListBucket only under a prefix: a missing key is 403 AccessDenied, thrown, never read as absent', async () => {
    expect(await failure(store('scoped').getText('missing.json'))).toBe('403 AccessDenied');
    expect(await failure(store('reader').getText('missing.json'))).toBe('403 AccessDenied');
    expect(
      await failure(
        s3.clientAs('scoped').send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'reports/missing.json' })),
      ),
    ).toMatch(/^403 /);
    // What exists reads as ever.
    expect(await store('scoped').getText('a.json')).toBe('{"a":1}');
    expect(await store('reader').getText('a.json')).toBe('{"a":1}');
  });

  it('lists only under the s3:prefix the role may list', async () => {
    expect(await keys('scoped')).toEqual(['a.json']);
    expect(await keys('scoped', 'a')).toEqual(['a.json']);
    expect(await failure(keys('reader'))).toBe('403 AccessDenied');
    const outside = s3
      .clientAs('scoped')
      .send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'other/' }));
    expect(await failure(outside)).toBe('403 AccessDenied');
    const noPrefix = s3.clientAs('scoped').send(new ListObjectsV2Command({ Bucket: BUCKET }));
    expect(await failure(noPrefix)).toBe('403 AccessDenied');
  });

  it('leaves the default client as s3rver answers it (404 on a missing key)', async () => {
    expect(await new S3Store(s3.client, `s3://${BUCKET}/`).getText('missing.json')).toBeNull();
  });
});
