// The durable retraining state against s3rver (conditional writes honoured): window claims, the
// cooldown across runs, two runs racing, and giving both back after a failed start. Requests are
// answered as S3 answers the retraining role (test/support/s3rver.ts): a GET of a missing key is
// 403 AccessDenied, as the role may list only under its state prefix, or not at all.
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LastStart, RetrainingState } from '../../functions/sinks/cooldown.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

const BUCKET = 'state';
const DAY = 24 * 3_600_000;
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3([BUCKET], {
    principals: {
      retraining: { listBucket: { [BUCKET]: ['retraining/*/state/*'] } },
      'retraining-without-list': { listBucket: {} },
    },
  });
});
afterAll(async () => {
  await s3?.stop();
});

let n = 0;
/** A state of its own for each test. */
const freshState = (role = 'retraining') =>
  new RetrainingState(s3.clientAs(role), BUCKET, `retraining/endpoint-${++n}/state/`);

const start = (startedAt: string, window = '2026-11-26T05'): LastStart => ({
  startedAt,
  window: { start: `${window}:00:00.000Z`, end: `${window}:59:59.999Z` },
  reason: `drift in ${window}`,
});

async function readJson(key: string): Promise<unknown> {
  const res = await s3.client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
  return JSON.parse(await res.Body!.transformToString());
}

describe('window claims', () => {
  it('let a window be claimed once, and say by whom', async () => {
    const state = freshState();
    const window = new Date('2026-11-26T05:00:00Z');

    const first = await state.claimWindow(window, { claimedAt: '2026-11-26T06:12:00.000Z', reason: 'drift' });
    const second = await state.claimWindow(window, {
      claimedAt: '2026-11-26T07:00:00.000Z',
      reason: 'rerun',
    });

    expect(first).toBeDefined();
    expect(second).toBeUndefined();
    expect(state.windowKey(window)).toBe(`retraining/endpoint-${n}/state/windows/2026-11-26T05Z.json`);
    expect(await state.windowClaim(window)).toEqual({
      claimedAt: '2026-11-26T06:12:00.000Z',
      reason: 'drift',
    });
  });

  it('can be given back, after which the window can be claimed again', async () => {
    const state = freshState();
    const window = new Date('2026-11-26T05:00:00Z');
    const claim = await state.claimWindow(window, { claimedAt: 'a', reason: 'drift' });

    await claim!.release();

    expect(await state.windowClaim(window)).toBeUndefined();
    expect(await state.claimWindow(window, { claimedAt: 'b', reason: 'retry' })).toBeDefined();
  });
});

describe('the cooldown', () => {
  it('is free the first time, then holds for its length across runs, then is free again', async () => {
    const state = freshState();
    const first = start('2026-11-26T06:12:00.000Z');

    const taken = await state.takeCooldown(first, new Date(first.startedAt), DAY);
    const during = await state.takeCooldown(
      start('2026-11-27T06:11:59.000Z', '2026-11-27T05'),
      new Date('2026-11-27T06:11:59.000Z'),
      DAY,
    );
    const after = await state.takeCooldown(
      start('2026-11-27T06:12:00.000Z', '2026-11-27T05'),
      new Date('2026-11-27T06:12:00.000Z'),
      DAY,
    );

    expect(taken.taken).toBe(true);
    expect(during).toEqual({
      taken: false,
      why: 'cooldown',
      last: first,
      until: new Date('2026-11-27T06:12:00.000Z'),
    });
    expect(after.taken).toBe(true);
    expect(await readJson(state.lastStartKey)).toEqual(start('2026-11-27T06:12:00.000Z', '2026-11-27T05'));
  });

  it('goes to exactly one of two runs taking it at the same moment (conditional put)', async () => {
    const state = freshState();
    await state.takeCooldown(start('2026-11-20T00:00:00.000Z'), new Date('2026-11-20T00:00:00.000Z'), DAY);
    const now = new Date('2026-11-26T06:12:00.000Z');

    const results = await Promise.all(
      ['2026-11-26T04', '2026-11-26T05', '2026-11-26T03'].map((w) =>
        state.takeCooldown(start(now.toISOString(), w), now, DAY),
      ),
    );

    expect(results.filter((r) => r.taken)).toHaveLength(1);
    // A loser either lost the conditional put ('concurrent') or, scheduled after the winner's put,
    // read the new start and found the cooldown running ('cooldown'): both refuse, as they must.
    const losers = results.filter((r) => !r.taken).map((r) => !r.taken && r.why);
    expect(losers).toHaveLength(2);
    for (const why of losers) expect(['concurrent', 'cooldown']).toContain(why);
  });

  it('is given back after a failed start: the previous start is restored, or the record removed', async () => {
    const state = freshState();
    const firstEver = await state.takeCooldown(
      start('2026-11-20T00:00:00.000Z'),
      new Date('2026-11-20T00:00:00.000Z'),
      DAY,
    );
    if (!firstEver.taken) throw new Error('expected the first cooldown to be free');
    await firstEver.release();
    expect(await state.lastStart()).toBeUndefined();

    const previous = start('2026-11-21T00:00:00.000Z');
    await state.takeCooldown(previous, new Date(previous.startedAt), DAY);
    const next = await state.takeCooldown(
      start('2026-11-26T06:12:00.000Z'),
      new Date('2026-11-26T06:12:00.000Z'),
      DAY,
    );
    if (!next.taken) throw new Error('expected the cooldown to be over');
    await next.release();

    expect(await state.lastStart()).toEqual(previous);
  });
});

describe('without s3:ListBucket', () => {
  it('claims, takes and holds the cooldown, reading no missing key; only the listing reads are refused', async () => {
    const state = freshState('retraining-without-list');
    const window = new Date('2026-11-26T05:00:00Z');
    const first = start('2026-11-26T06:12:00.000Z');

    const claim = await state.claimWindow(window, { claimedAt: first.startedAt, reason: 'drift' });
    const refused = await state.claimWindow(window, { claimedAt: 'later', reason: 'rerun' });
    const taken = await state.takeCooldown(first, new Date(first.startedAt), DAY);
    const held = await state.takeCooldown(
      start('2026-11-26T07:12:00.000Z', '2026-11-26T06'),
      new Date('2026-11-26T07:12:00.000Z'),
      DAY,
    );

    expect(claim).toBeDefined();
    expect(refused).toBeUndefined();
    expect(await state.refusedClaim(window)).toEqual({ claimedAt: first.startedAt, reason: 'drift' });
    expect(taken.taken).toBe(true);
    expect(held).toMatchObject({ taken: false, why: 'cooldown', last: first });
    // The dry run's reads list first, which this role may not: refused, not "nothing there".
    await expect(state.lastStart()).rejects.toMatchObject({ name: 'AccessDenied' });
  });
});
