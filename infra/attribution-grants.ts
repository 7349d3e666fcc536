import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { EndpointConfig } from './config/index.ts';
import { grantObjectKeys } from './kms-grants.ts';
import { readExactObjects } from './s3-grants.ts';

/**
 * The ARN of endpoint `name` as IAM matches it (the Service Authorization Reference's `endpoint`
 * resource, `arn:${Partition}:sagemaker:${Region}:${Account}:endpoint/${EndpointName}`).
 * SageMaker lower-cases names in its ARNs, and IAM compares ARNs case-sensitively.
 */
export function endpointArn(name: string): string {
  return `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:endpoint/${name.toLowerCase()}`;
}

/** What a function does with an endpoint's feature attribution. */
export interface AttributionGrantUse {
  /** It explains windows: InvokeEndpoint on the attribution block's endpoint. */
  readonly invoke: boolean;
}

/**
 * Lets `fn` take part in explaining an endpoint's windows (its `attribution` block): read the
 * explainability configuration object the block names (exactly it, with `kms:Decrypt` through
 * S3 on its key), and, with `invoke`, call `sagemaker:InvokeEndpoint` on the one endpoint that
 * explains the windows. Nothing without an attribution block; the baseline folder's
 * `explainability/` files are covered by the baseline grant.
 */
export function grantExplainWindows(fn: IFunction, endpoint: EndpointConfig, use: AttributionGrantUse): void {
  const { attribution } = endpoint;
  if (!attribution) return;
  if (use.invoke)
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sagemaker:InvokeEndpoint'],
        resources: [endpointArn(attribution.endpointName)],
      }),
    );
  if (attribution.config) {
    fn.addToRolePolicy(readExactObjects([attribution.config]));
    grantObjectKeys(fn, [{ keyArn: attribution.config.kmsKeyArn, use: 'read' }]);
  }
}
