/**
 * An ObjectStore over an S3 prefix. Listings paginate without limit; objects stream; the
 * client (with its retry policy) is passed in so tests can point it at s3rver.
 */
import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import {
  ObjectMissingError,
  type ObjectStore,
  parseS3Uri,
  S3_READ_AHEAD,
  type StoredObject,
} from './object-store.ts';

export class S3Store implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;

  constructor(
    private readonly client: S3Client,
    uri: string,
  ) {
    const { bucket, prefix } = parseS3Uri(uri);
    this.bucket = bucket;
    this.prefix = prefix;
  }

  get location(): string {
    return `s3://${this.bucket}/${this.prefix}`;
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    const pages = paginateListObjectsV2(
      { client: this.client },
      { Bucket: this.bucket, Prefix: this.prefix + prefix },
    );
    for await (const page of pages) {
      for (const o of page.Contents ?? []) {
        if (o.Key === undefined || o.Key.endsWith('/')) continue;
        yield { key: o.Key.slice(this.prefix.length), size: o.Size ?? 0 };
      }
    }
  }

  /** GETs take tens of milliseconds: fetch this many objects ahead of the one being profiled. */
  readonly readAhead = S3_READ_AHEAD;

  async *read(key: string): AsyncIterable<Uint8Array> {
    let res: GetObjectCommandOutput;
    try {
      res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }));
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey')
        throw new ObjectMissingError(this.location, key);
      throw e;
    }
    if (!res.Body) return;
    yield* res.Body as AsyncIterable<Uint8Array>;
  }

  async getText(key: string): Promise<string | null> {
    try {
      const res = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: this.prefix + key }),
      );
      return (await res.Body?.transformToString('utf-8')) ?? '';
    } catch (e) {
      if (e instanceof NoSuchKey || (e as { name?: string }).name === 'NoSuchKey') return null;
      throw e;
    }
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: this.prefix + key,
        Body: body,
        ContentType: contentType,
      }),
    );
  }
}
