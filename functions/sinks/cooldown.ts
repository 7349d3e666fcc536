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
 *
 * A role without `s3:ListBucket` gets 403 AccessDenied, not 404 NoSuchKey, for a GET of a missing
 * key (S3 API Reference, GetObject, "Permissions":
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html), and a 403 cannot be told
 * from a real denial. So nothing here GETs a key that may be missing: the claim and the first
 * start are conditional creates that read nothing, an existing record is read only after a
 * create was refused because it exists, and the dry run's reads ({@link RetrainingState.windowClaim},
 * {@link RetrainingState.lastStart}) read only what a listing of the key says exists (that needs
 * `s3:ListBucket` on the state prefix; a real run needs none).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
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

  /**
   * The claim of a window, when there is one; reads only what a listing says exists (the dry
   * run's read: it may write no claim to find out).
   */
  async windowClaim(windowStart: Date): Promise<WindowClaim | undefined> {
    return (await this.readListed<WindowClaim>(this.windowKey(windowStart)))?.value;
  }

  /**
   * The claim of a window whose claim {@link claimWindow} refused, so it exists: read without
   * listing. `undefined` only when it was given back since.
   */
  async refusedClaim(windowStart: Date): Promise<WindowClaim | undefined> {
    return (await this.read<WindowClaim>(this.windowKey(windowStart)))?.value;
  }

  /** The last start, when there was one; reads only what a listing says exists. */
  async lastStart(): Promise<LastStart | undefined> {
    return (await this.readListed<LastStart>(this.lastStartKey))?.value;
  }

  /**
   * Records `start` as the last start unless the last one is less than `cooldownMs` before
   * `now`. Every write is conditional, so of two runs only one takes it: the first start creates
   * the record (`If-None-Match: *`) without reading anything; a later one reads the record (which
   * the refused create proved exists) and replaces it only if unchanged (`If-Match`).
   */
  async takeCooldown(start: LastStart, now: Date, cooldownMs: number): Promise<CooldownResult> {
    const key = this.lastStartKey;
    const put = (condition: { IfNoneMatch: '*' } | { IfMatch: string }) =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: json(start),
          ContentType: 'application/json',
          ...condition,
        }),
      );
    try {
      await put({ IfNoneMatch: '*' });
      return { taken: true, release: () => this.delete(key) };
    } catch (e) {
      // 412: there is a last start; 409: another conditional write in flight.
      const s = status(e);
      if (s === 409) return { taken: false, why: 'concurrent' };
      if (s !== 412) throw e;
    }
    // A 404 here means a failed start gave the record back since: another run is at it. A 403 is
    // thrown: it cannot be told from a real denial, and the retry settles it.
    const previous = await this.read<LastStart>(key);
    if (!previous) return { taken: false, why: 'concurrent' };
    const until = cooldownUntil(previous.value, cooldownMs);
    if (now < until) return { taken: false, why: 'cooldown', last: previous.value, until };
    let etag: string | undefined;
    try {
      etag = (await put({ IfMatch: previous.etag })).ETag;
    } catch (e) {
      // 412: changed since read; 409: another conditional write in flight; 404: deleted since read.
      const s = status(e);
      if (s === 412 || s === 409 || s === 404) return { taken: false, why: 'concurrent' };
      throw e;
    }
    return {
      taken: true,
      release: async () => {
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

  /** `key`'s value when a listing of it says it exists (a GET would answer 403 if not). */
  private async readListed<T>(key: string): Promise<{ value: T; etag: string } | undefined> {
    const listing = await this.s3.send(
      new ListObjectsV2Command({ Bucket: this.bucket, Prefix: key, MaxKeys: 1 }),
    );
    // Keys list in order and `key` comes before every longer key it begins.
    if (listing.Contents?.[0]?.Key !== key) return undefined;
    return this.read<T>(key);
  }

  /** `key`'s value; `undefined` on 404 only (a 403 is thrown: it may be a real denial). */
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
