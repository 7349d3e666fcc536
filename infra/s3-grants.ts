import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';

/**
 * S3 statements scoped to one key prefix. Object permissions are granted by key prefix: PREFIX/*
 * is the narrowest resource that covers keys written under it after deployment (hourly capture,
 * partial profiles named by run).
 */

/** `prefix/name`, or `name` when the prefix is empty. */
export function joinKey(prefix: string, name: string): string {
  return prefix === '' ? name : `${prefix}/${name}`;
}

/** The objects under `prefix/` of `bucket` (the whole bucket when the prefix is empty). */
export function objectsArn(bucket: string, prefix: string): string {
  return `arn:${Aws.PARTITION}:s3:::${bucket}/${joinKey(prefix, '*')}`;
}

/** GetObject under `prefix/` of `bucket`. */
export function readObjects(bucket: string, prefix: string): PolicyStatement {
  return new PolicyStatement({ actions: ['s3:GetObject'], resources: [objectsArn(bucket, prefix)] });
}

/** ListBucket on `bucket`, only for listings under `prefix/` (the whole bucket when the prefix is empty). */
export function listPrefix(bucket: string, prefix: string): PolicyStatement {
  return new PolicyStatement({
    actions: ['s3:ListBucket'],
    resources: [`arn:${Aws.PARTITION}:s3:::${bucket}`],
    ...(prefix === '' ? {} : { conditions: { StringLike: { 's3:prefix': [`${prefix}/*`] } } }),
  });
}

/** GetObject on exactly the objects `objects` (bucket and key each), no listing, no prefix. */
export function readExactObjects(objects: readonly { bucket: string; key: string }[]): PolicyStatement {
  return new PolicyStatement({
    actions: ['s3:GetObject'],
    resources: [...new Set(objects.map((o) => `arn:${Aws.PARTITION}:s3:::${o.bucket}/${o.key}`))],
  });
}
