// What an endpoint serves, read through DescribeEndpoint, DescribeEndpointConfig and
// DescribeModel (mocked), once per run.
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import {
  describeServingModel,
  modelPackageVersion,
  ServingModelCache,
} from '../../functions/sources/serving-model.ts';

const PACKAGE = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb';

function sageMaker() {
  const client = new SageMakerClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  mock.on(DescribeEndpointCommand, { EndpointName: 'churn-xgb' }).resolves({
    EndpointName: 'churn-xgb',
    EndpointConfigName: 'churn-xgb-config-7',
    EndpointStatus: 'InService',
    LastModifiedTime: new Date('2026-11-20T09:30:00Z'),
  });
  mock.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'churn-xgb-config-7' }).resolves({
    EndpointConfigName: 'churn-xgb-config-7',
    ProductionVariants: [
      { VariantName: 'AllTraffic', ModelName: 'churn-xgb-v6' },
      { VariantName: 'Canary', ModelName: 'churn-xgb-v7' },
      { VariantName: 'Again', ModelName: 'churn-xgb-v6' },
      { VariantName: 'Components' },
    ],
    ShadowProductionVariants: [{ VariantName: 'Shadow', ModelName: 'churn-xgb-handmade' }],
  });
  mock.on(DescribeModelCommand, { ModelName: 'churn-xgb-v6' }).resolves({
    PrimaryContainer: { ModelPackageName: `${PACKAGE}/6` },
  });
  mock.on(DescribeModelCommand, { ModelName: 'churn-xgb-v7' }).resolves({
    Containers: [{ ModelPackageName: `${PACKAGE}/7` }, { Image: 'postprocess' }],
  });
  mock.on(DescribeModelCommand, { ModelName: 'churn-xgb-handmade' }).resolves({
    PrimaryContainer: { Image: '123.dkr.ecr.us-east-1.amazonaws.com/xgb:1' },
  });
  return { client, mock };
}

describe('describeServingModel', () => {
  it('names the endpoint config, each variant model and its model package version', async () => {
    const { client, mock } = sageMaker();

    const model = await describeServingModel(client, 'churn-xgb');

    expect(model).toEqual({
      endpointName: 'churn-xgb',
      endpointConfigName: 'churn-xgb-config-7',
      lastModifiedTime: '2026-11-20T09:30:00.000Z',
      variants: [
        {
          variantName: 'AllTraffic',
          modelName: 'churn-xgb-v6',
          modelPackageArn: `${PACKAGE}/6`,
          modelPackageVersion: 6,
        },
        {
          variantName: 'Canary',
          modelName: 'churn-xgb-v7',
          modelPackageArn: `${PACKAGE}/7`,
          modelPackageVersion: 7,
        },
        {
          variantName: 'Again',
          modelName: 'churn-xgb-v6',
          modelPackageArn: `${PACKAGE}/6`,
          modelPackageVersion: 6,
        },
        { variantName: 'Components', modelName: null },
        { variantName: 'Shadow', modelName: 'churn-xgb-handmade', shadow: true },
      ],
    });
    // A model two variants share is described once.
    expect(mock.commandCalls(DescribeModelCommand).map((c) => c.args[0].input.ModelName)).toEqual([
      'churn-xgb-v6',
      'churn-xgb-v7',
      'churn-xgb-handmade',
    ]);
  });

  it('names the call that failed', async () => {
    const { client, mock } = sageMaker();
    mock
      .on(DescribeEndpointCommand, { EndpointName: 'gone' })
      .rejects(Object.assign(new Error('Could not find endpoint "gone".'), { name: 'ValidationException' }));

    await expect(describeServingModel(client, 'gone')).rejects.toThrow(
      'DescribeEndpoint gone failed: Could not find endpoint "gone".',
    );
  });

  it('is read once per run and endpoint, failures included', async () => {
    const { client, mock } = sageMaker();
    mock.on(DescribeEndpointCommand, { EndpointName: 'gone' }).rejects(new Error('AccessDenied'));
    const cache = new ServingModelCache(client);

    const first = await cache.get('churn-xgb');
    const again = await cache.get('churn-xgb');
    await expect(cache.get('gone')).rejects.toThrow('AccessDenied');
    await expect(cache.get('gone')).rejects.toThrow('AccessDenied');

    expect(again).toBe(first);
    expect(mock.commandCalls(DescribeEndpointCommand)).toHaveLength(2);
    expect(mock.commandCalls(DescribeEndpointConfigCommand)).toHaveLength(1);
  });
});

describe('modelPackageVersion', () => {
  it('reads the version of a versioned package ARN only', () => {
    expect(modelPackageVersion(`${PACKAGE}/12`)).toBe(12);
    expect(modelPackageVersion('arn:aws:sagemaker:us-east-1:123456789012:model-package/unversioned')).toBe(
      undefined,
    );
    expect(modelPackageVersion('my-package')).toBe(undefined);
  });
});
