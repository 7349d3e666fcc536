/** Opens local folders or s3:// URIs as ObjectStores for the CLI. */
import { LocalStore } from '../stores/local-store.ts';
import {
  isS3Uri,
  type ObjectStore,
  parseS3Uri,
  S3_READ_AHEAD,
  type StoredObject,
} from '../stores/object-store.ts';

export function openStore(location: string): ObjectStore {
  return isS3Uri(location) ? new LazyS3Store(location) : new LocalStore(location);
}

/**
 * An S3 store whose AWS SDK is loaded on first use: the SDK is most of the CLI's code, and a
 * run on local folders (the common way to try driftwatch or debug a window) never needs it.
 */
export class LazyS3Store implements ObjectStore {
  readonly location: string;
  readonly readAhead = S3_READ_AHEAD;
  private store: Promise<ObjectStore> | undefined;

  constructor(
    private readonly uri: string,
    /** Makes the real store; tests pass one with a client of their own. */
    private readonly connect: (uri: string) => Promise<ObjectStore> = async (u) =>
      (await import('./s3-open.ts')).openS3Store(u),
  ) {
    const { bucket, prefix } = parseS3Uri(uri);
    this.location = `s3://${bucket}/${prefix}`;
  }

  private open(): Promise<ObjectStore> {
    this.store ??= this.connect(this.uri);
    return this.store;
  }

  async *list(prefix?: string): AsyncIterable<StoredObject> {
    yield* (await this.open()).list(prefix);
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    yield* (await this.open()).read(key);
  }

  async getText(key: string): Promise<string | null> {
    return (await this.open()).getText(key);
  }

  async putText(key: string, body: string, contentType: string): Promise<void> {
    return (await this.open()).putText(key, body, contentType);
  }
}
