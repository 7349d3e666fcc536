/** Opens local folders or s3:// URIs as ObjectStores for the CLI. */
import { basename, dirname } from 'node:path';
import { isS3Uri, parseS3Uri } from '../contracts/s3-uri.ts';
import { LocalStore } from '../stores/local-store.ts';
import { type ObjectStore, S3_READ_AHEAD, type StoredObject } from '../stores/object-store.ts';

/**
 * The folder or S3 prefix at `location` as a store. `onIssue` is told what a folder's listing
 * left out (a symlink loop, a dangling link); by default a process warning.
 */
export function openStore(location: string, onIssue?: (message: string) => void): ObjectStore {
  return isS3Uri(location) ? new LazyS3Store(location) : new LocalStore(location, onIssue);
}

/** The store holding the file at `location` (a path or an s3:// URI), and the file's key in it. */
export function openFile(location: string): { store: ObjectStore; key: string } {
  if (!isS3Uri(location)) return { store: new LocalStore(dirname(location)), key: basename(location) };
  const cut = location.lastIndexOf('/') + 1;
  return { store: openStore(location.slice(0, cut)), key: location.slice(cut) };
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
