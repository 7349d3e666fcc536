import { Aws } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { acknowledgePrefixWildcards } from './iam-acknowledgements.ts';

/**
 * Lets `fn` read what `endpointName` serves (functions/sources/serving-model.ts): exactly
 * DescribeEndpoint on the endpoint, DescribeEndpointConfig on endpoint configs and DescribeModel
 * on models. Config and model names are chosen at each deployment, after the stack is deployed,
 * so those two take `endpoint-config/*` and `model/*` (acknowledged beside the grant); the
 * Describe calls read configuration only, never data.
 */
export function grantDescribeServingModel(fn: IFunction, endpointName: string): void {
  // SageMaker lower-cases names in its ARNs, and IAM compares ARNs case-sensitively.
  const arn = (resource: string) =>
    `arn:${Aws.PARTITION}:sagemaker:${Aws.REGION}:${Aws.ACCOUNT_ID}:${resource}`;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['sagemaker:DescribeEndpoint'],
      resources: [arn(`endpoint/${endpointName.toLowerCase()}`)],
    }),
  );
  const configs = new PolicyStatement({
    actions: ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
    resources: [arn('endpoint-config/*'), arn('model/*')],
  });
  fn.addToRolePolicy(configs);
  acknowledgePrefixWildcards(
    fn.role!,
    configs,
    `Reads which endpoint config and models serve endpoint ${endpointName}: their names are chosen at each deployment, after this stack is deployed, so no narrower ARN exists; the actions are exactly DescribeEndpointConfig and DescribeModel, which return configuration, never data.`,
  );
}
