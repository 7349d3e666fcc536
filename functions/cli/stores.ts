/** Opens local folders or s3:// URIs as ObjectStores for the CLI. */
import { S3Client } from '@aws-sdk/client-s3';
import { LocalStore } from '../sources/local-store.ts';
import { isS3Uri, type ObjectStore } from '../sources/object-store.ts';
import { S3Store } from '../sources/s3-store.ts';

let s3: S3Client | undefined;

export function openStore(location: string): ObjectStore {
  if (isS3Uri(location)) {
    s3 ??= new S3Client({});
    return new S3Store(s3, location);
  }
  return new LocalStore(location);
}
