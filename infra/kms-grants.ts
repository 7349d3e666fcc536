import { Arn, ArnFormat } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { DriftwatchConfig } from './config/index.ts';

/** How a role uses the objects a key encrypts: read them, or read and write them. */
export type KeyUse = 'read' | 'readWrite';

/** One customer managed key of objects a role reads or writes (absent: no key, nothing to grant). */
export interface ObjectKey {
  /** The key's ARN, as the config gives it; `undefined` when the objects use no customer managed key. */
  readonly keyArn: string | undefined;
  readonly use: KeyUse;
}

/**
 * Lets `grantee` use the customer managed keys of SSE-KMS objects it reads or writes: `kms:Decrypt`
 * to read (GetObject), and `kms:GenerateDataKey` too to write (PutObject; a multipart upload
 * decrypts its parts as well). Each statement names exactly one key and holds only while S3 makes
 * the call on the role's behalf (`kms:ViaService`, S3 in the key's region, which SSE-KMS requires
 * to be the bucket's). A key listed twice is granted once, for the widest use.
 */
export function grantObjectKeys(grantee: IGrantable, keys: readonly ObjectKey[]): void {
  for (const statement of objectKeyStatements(keys)) grantee.grantPrincipal.addToPrincipalPolicy(statement);
}

/** The statements {@link grantObjectKeys} grants, for a policy that is not a grantee's (a managed policy). */
export function objectKeyStatements(keys: readonly ObjectKey[]): PolicyStatement[] {
  const uses = new Map<string, KeyUse>();
  for (const { keyArn, use } of keys) {
    if (keyArn === undefined) continue;
    uses.set(keyArn, uses.get(keyArn) === 'readWrite' ? 'readWrite' : use);
  }
  return [...uses].map(([keyArn, use]) => {
    const region = Arn.split(keyArn, ArnFormat.SLASH_RESOURCE_NAME).region;
    return new PolicyStatement({
      actions: use === 'read' ? ['kms:Decrypt'] : ['kms:Decrypt', 'kms:GenerateDataKey'],
      resources: [keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` } },
    });
  });
}

/** The key of an existing SSE-KMS reports bucket (`reportsBucket.kmsKeyArn`), when the config names one. */
export function reportsKmsKeyArn(config: DriftwatchConfig): string | undefined {
  return config.reportsBucket.kind === 'existing' ? config.reportsBucket.kmsKeyArn : undefined;
}
