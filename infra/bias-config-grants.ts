import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { EndpointConfig } from './config/index.ts';
import { grantObjectKeys } from './kms-grants.ts';
import { readExactObjects } from './s3-grants.ts';

/**
 * Lets `fn` read the endpoint's deployed bias configuration (its `bias` block): GetObject on
 * exactly the two objects, no listing (the monitor reads them by key), and `kms:Decrypt` through
 * S3 on the keys the block names. Nothing without a `bias` block: the baseline folder's `bias/`
 * files are covered by the baseline grant.
 */
export function grantReadBiasConfig(fn: IFunction, endpoint: EndpointConfig): void {
  const { bias } = endpoint;
  if (!bias) return;
  fn.addToRolePolicy(readExactObjects([bias.analysisConfig, bias.baseline]));
  grantObjectKeys(fn, [
    { keyArn: bias.analysisConfig.kmsKeyArn, use: 'read' },
    { keyArn: bias.baseline.kmsKeyArn, use: 'read' },
  ]);
}
