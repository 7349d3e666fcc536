/**
 * The durable state that keeps retraining from starting twice, as S3 objects under the endpoint's
 * state prefix, each written with a conditional put so two concurrent runs cannot both win:
 *
 * - `windows/yyyy-mm-ddThhZ.json`, created only when absent (`If-None-Match: *`): a window (hour)
 *   is decided once, whether by its summary, an alarm, a redelivery or a re-run;
 * - `last-start.json`, the last start of the endpoint, replaced only if unchanged since read
 *   (`If-Match: ETAG`, or `If-None-Match: *` for the first): the cooldown.
 *
 * Both are released when the start itself fails, so the Lambda's retry can try again.
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { claimObject } from './sns-summary.ts';

/** The last start of an endpoint's retraining (`last-start.json`). */
export interface LastStart {
  /** ISO-8601. */
  startedAt: string;
  window: { start: string; end: string };
  reason: string;
}

/** A window's claim (`windows/...json`). */
export interface WindowClaim {
  claimedAt: string;
  reason: string;
}

/** Whether the cooldown was taken (and how to give it back), or why not. */
export type CooldownResult =
  | { taken: true; release: () => Promise<void> }
  | { taken: false; why: 'cooldown'; last: LastStart; until: Date }
  | { taken: false; why: 'concurrent' };

const status = (e: unknown): number | undefined =>
  (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;

/** When the cooldown that `last` started ends. */
export function cooldownUntil(last: LastStart, cooldownMs: number): Date {
  return new Date(Date.parse(last.startedAt) + cooldownMs);
}

/** Durable retraining state of one endpoint: `s3://bucket/prefix/`. */
export class RetrainingState {
  constructor(
    private readonly s3: S3Client,
    readonly bucket: string,
    /** Key prefix, ending in `/` (or empty). */
    readonly prefix: string,
  ) {}

  windowKey(windowStart: Date): string {
    return `${this.prefix}windows/${windowStart.toISOString().slice(0, 13)}Z.json`;
  }

  get lastStartKey(): string {
    return `${this.prefix}last-start.json`;
  }

  /** Claims a window; `undefined` when it was claimed before. */
  async claimWindow(
    windowStart: Date,
    claim: WindowClaim,
  ): Promise<{ release: () => Promise<void> } | undefined> {
    const key = this.windowKey(windowStart);
    if (!(await claimObject(this.s3, this.bucket, key, json(claim)))) return undefined;
    return { release: () => this.delete(key) };
  }

  /** The claim of a window, when there is one. */
  async windowClaim(windowStart: Date): Promise<WindowClaim | undefined> {
    return (await this.read<WindowClaim>(this.windowKey(windowStart)))?.value;
  }

  /** The last start, when there was one. */
  async lastStart(): Promise<LastStart | undefined> {
    return (await this.read<LastStart>(this.lastStartKey))?.value;
  }

  /**
   * Records `start` as the last start unless the last one is less than `cooldownMs` before
   * `now`. The write is conditional on what was read, so of two runs only one takes it.
   */
  async takeCooldown(start: LastStart, now: Date, cooldownMs: number): Promise<CooldownResult> {
    const key = this.lastStartKey;
    const previous = await this.read<LastStart>(key);
    if (previous) {
      const until = cooldownUntil(previous.value, cooldownMs);
      if (now < until) return { taken: false, why: 'cooldown', last: previous.value, until };
    }
    let etag: string | undefined;
    try {
      const res = await this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: json(start),
          ContentType: 'application/json',
          ...(previous ? { IfMatch: previous.etag } : { IfNoneMatch: '*' }),
        }),
      );
      etag = res.ETag;
    } catch (e) {
      // 412: changed since read; 409: another conditional write in flight; 404: deleted since read.
      const s = status(e);
      if (s === 412 || s === 409 || s === 404) return { taken: false, why: 'concurrent' };
      throw e;
    }
    return {
      taken: true,
      release: async () => {
        if (!previous) return this.delete(key);
        // Put the previous start back, unless someone wrote after us.
        try {
          await this.s3.send(
            new PutObjectCommand({
              Bucket: this.bucket,
              Key: key,
              Body: json(previous.value),
              ContentType: 'application/json',
              ...(etag ? { IfMatch: etag } : {}),
            }),
          );
        } catch (e) {
          const s = status(e);
          if (s !== 412 && s !== 409) throw e;
        }
      },
    };
  }

  private async read<T>(key: string): Promise<{ value: T; etag: string } | undefined> {
    try {
      const res = await this.s3.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      const text = (await res.Body?.transformToString('utf-8')) ?? '';
      return { value: JSON.parse(text) as T, etag: res.ETag ?? '' };
    } catch (e) {
      if (e instanceof NoSuchKey || (e as Error).name === 'NoSuchKey' || status(e) === 404) return undefined;
      throw e;
    }
  }

  private async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
