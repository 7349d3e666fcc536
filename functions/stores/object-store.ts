/**
 * Where files come from and go to: a local folder or an S3 prefix, behind one interface so the
 * CLI, the Lambdas and the tests drive the same engine code.
 */

export interface StoredObject {
  /** Path relative to the store's root, with `/` separators. */
  key: string;
  size: number;
}

export interface ObjectStore {
  /** A printable location (`/path/to/dir` or `s3://bucket/prefix`) for messages. */
  readonly location: string;
  /** Every object under `prefix` (relative to the root), in key order; paginates without limit. */
  list(prefix?: string): AsyncIterable<StoredObject>;
  /**
   * The object's bytes as a stream of chunks. A chunk is valid until the next one is asked for
   * (a store may refill the same memory): copy what must outlive that.
   */
  read(key: string): AsyncIterable<Uint8Array>;
  /** The object's text, or null when it does not exist. */
  getText(key: string): Promise<string | null>;
  putText(key: string, body: string, contentType: string): Promise<void>;
  /**
   * How many objects are worth fetching ahead while one is being profiled: S3 answers each GET
   * after tens of milliseconds, a local disk at once. @default 1 (no read-ahead)
   */
  readonly readAhead?: number;
}

/** Thrown by `read` when the object no longer exists (deleted between listing and reading). */
export class ObjectMissingError extends Error {
  constructor(
    readonly location: string,
    readonly key: string,
  ) {
    super(`${location}${key}: the object no longer exists (deleted after it was listed)`);
    this.name = 'ObjectMissingError';
  }
}

/** Objects an S3 store fetches ahead while one is profiled (each GET takes tens of milliseconds). */
export const S3_READ_AHEAD = 8;

// The S3 URI grammar is a contract (the runtime configs carry S3 URIs); re-exported here for the
// stores' users.
export { isS3Uri, parseS3Uri } from '../contracts/s3-uri.ts';
