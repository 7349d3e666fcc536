/**
 * The CLI's S3 store loads the AWS SDK on first use (a local run never pays for it) and then
 * behaves as the S3 store it stands for: same location, listing, reads and writes, against s3rver.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LazyS3Store, openStore } from '../../functions/cli/stores.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import type { ObjectStore } from '../../functions/stores/object-store.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3(['lazy']);
}, 30_000);
afterAll(async () => {
  await s3?.stop();
});

async function listed(store: ObjectStore, prefix?: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(prefix)) keys.push(`${o.key}:${o.size}`);
  return keys;
}

describe('openStore', () => {
  it('opens s3:// URIs lazily and folders as local stores', () => {
    const s = openStore('s3://lazy/reports');
    expect(s).toBeInstanceOf(LazyS3Store);
    expect(s.location).toBe('s3://lazy/reports/');
    expect(s.readAhead).toBe(8);
    expect(openStore('/tmp/x')).toBeInstanceOf(LocalStore);
  });

  it('connects once, on first use, and reads and writes as the S3 store does', async () => {
    let connects = 0;
    const lazy = new LazyS3Store('s3://lazy/p', async (uri) => {
      connects++;
      return new S3Store(s3.client, uri);
    });
    expect(connects).toBe(0);
    expect(lazy.location).toBe(new S3Store(s3.client, 's3://lazy/p').location);

    await lazy.putText('a/one.txt', 'first', 'text/plain');
    await lazy.putText('a/two.txt', 'second!', 'text/plain');
    expect(await lazy.getText('a/one.txt')).toBe('first');
    expect(await lazy.getText('missing.txt')).toBeNull();
    expect(await listed(lazy, 'a/')).toEqual(['a/one.txt:5', 'a/two.txt:7']);
    const chunks: Uint8Array[] = [];
    for await (const c of lazy.read('a/two.txt')) chunks.push(Buffer.from(c));
    expect(Buffer.concat(chunks).toString()).toBe('second!');
    expect(connects).toBe(1);
  });
});
