/** The CLI's S3 stores, in a module of their own so that only runs that touch S3 load the AWS SDK. */
import { S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from '../stores/object-store.ts';
import { S3Store } from '../stores/s3-store.ts';

let s3: S3Client | undefined;

export function openS3Store(location: string): ObjectStore {
  s3 ??= new S3Client({});
  return new S3Store(s3, location);
}
