import { BUCKET_NAME, type Checker } from './checker.ts';
import type { ReportsBucketConfig } from './types.ts';

/** `reportsBucket`: a bucket the stack creates (the default), or an existing one by name. */
export function parseReportsBucket(check: Checker, value: unknown): ReportsBucketConfig {
  const path = 'reportsBucket';
  if (value === undefined) return { kind: 'create', prefix: '' };
  const fix = 'must be {"create": true} or {"existingBucketName": "my-bucket"}';
  const obj = check.object(value, path, fix);
  if (!obj) return { kind: 'create', prefix: '' };
  check.knownKeys(obj, path, ['create', 'existingBucketName', 'prefix', 'kmsKeyArn']);
  const prefix = check.prefix(obj.prefix, `${path}.prefix`);
  const kmsKeyArn = check.kmsKeyArn(obj.kmsKeyArn, `${path}.kmsKeyArn`);
  if (obj.existingBucketName !== undefined) {
    if (obj.create === true) {
      check.fail(path, 'sets both "create" and "existingBucketName": keep one', value);
    }
    const name = obj.existingBucketName;
    if (typeof name !== 'string' || !BUCKET_NAME.test(name)) {
      check.fail(
        `${path}.existingBucketName`,
        'must be an S3 bucket name like my-reports-bucket (no s3://)',
        name,
      );
      return { kind: 'create', prefix };
    }
    return { kind: 'existing', bucketName: name, prefix, ...(kmsKeyArn ? { kmsKeyArn } : {}) };
  }
  if (obj.create !== true) check.fail(path, fix, value);
  else if (obj.kmsKeyArn !== undefined)
    check.fail(
      `${path}.kmsKeyArn`,
      'only applies with "existingBucketName" (the key of an existing SSE-KMS bucket); a bucket the stack creates is encrypted with SSE-S3: remove it',
      obj.kmsKeyArn,
    );
  return { kind: 'create', prefix };
}
