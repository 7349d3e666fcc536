/**
 * What an endpoint is serving, read from SageMaker: DescribeEndpoint names the endpoint config,
 * DescribeEndpointConfig names each variant's model, DescribeModel names the model package
 * (registry version) the model was created from, when it was. Read once per run and endpoint
 * (`ServingModelCache`), so a backfill of many windows costs three or four calls, not thousands.
 */
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  type SageMakerClient,
} from '@aws-sdk/client-sagemaker';
import type { ServingModel, ServingVariant } from '../engine/report/report-model.ts';

/** `arn:...:model-package/GROUP/VERSION`: a versioned model package in the Model Registry. */
const VERSIONED_PACKAGE = /:model-package\/[^/]+\/(\d+)$/;

/** The registry version of a model package ARN, or undefined for an unversioned package. */
export function modelPackageVersion(arn: string): number | undefined {
  const m = VERSIONED_PACKAGE.exec(arn);
  return m ? Number(m[1]) : undefined;
}

async function call<T>(what: string, f: () => Promise<T>): Promise<T> {
  try {
    return await f();
  } catch (e) {
    throw new Error(`${what} failed: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * The variants of an endpoint config with their models and model packages. Variants built on
 * inference components name no model (`modelName: null`); shadow variants have `shadow: true`.
 */
export async function describeEndpointConfigVariants(
  client: SageMakerClient,
  configName: string,
): Promise<ServingVariant[]> {
  const config = await call(`DescribeEndpointConfig ${configName}`, () =>
    client.send(new DescribeEndpointConfigCommand({ EndpointConfigName: configName })),
  );
  const listed = [
    ...(config.ProductionVariants ?? []).map((v) => ({ v, shadow: false })),
    ...(config.ShadowProductionVariants ?? []).map((v) => ({ v, shadow: true })),
  ];
  // Variants often share a model: describe each model once.
  const packages = new Map<string, Promise<string | undefined>>();
  const packageOf = (model: string) => {
    let p = packages.get(model);
    if (p === undefined) {
      p = call(`DescribeModel ${model}`, () =>
        client.send(new DescribeModelCommand({ ModelName: model })),
      ).then((m) => m.PrimaryContainer?.ModelPackageName ?? m.Containers?.[0]?.ModelPackageName);
      packages.set(model, p);
    }
    return p;
  };
  const variants: ServingVariant[] = [];
  for (const { v, shadow } of listed) {
    const modelName = v.ModelName ?? null;
    const arn = modelName === null ? undefined : await packageOf(modelName);
    const version = arn === undefined ? undefined : modelPackageVersion(arn);
    variants.push({
      variantName: v.VariantName ?? '',
      modelName,
      ...(arn !== undefined ? { modelPackageArn: arn } : {}),
      ...(version !== undefined ? { modelPackageVersion: version } : {}),
      ...(shadow ? { shadow: true } : {}),
    });
  }
  return variants;
}

/**
 * Reads what `endpoint` serves now. Errors (no such endpoint, no permission) are SageMaker's,
 * with the call that failed named.
 */
export async function describeServingModel(client: SageMakerClient, endpoint: string): Promise<ServingModel> {
  const described = await call(`DescribeEndpoint ${endpoint}`, () =>
    client.send(new DescribeEndpointCommand({ EndpointName: endpoint })),
  );
  const configName = described.EndpointConfigName;
  if (!configName) throw new Error(`DescribeEndpoint ${endpoint}: the endpoint names no endpoint config`);
  return {
    endpointName: described.EndpointName ?? endpoint,
    endpointConfigName: configName,
    lastModifiedTime: described.LastModifiedTime?.toISOString() ?? null,
    variants: await describeEndpointConfigVariants(client, configName),
  };
}

/**
 * One description per endpoint for as long as the cache lives (one run); a failed read is
 * remembered too, so a run does not call SageMaker again for every window.
 */
export class ServingModelCache {
  private readonly described = new Map<string, Promise<ServingModel>>();

  constructor(private readonly client: SageMakerClient) {}

  get(endpoint: string): Promise<ServingModel> {
    let p = this.described.get(endpoint);
    if (p === undefined) {
      p = describeServingModel(this.client, endpoint);
      // Handled where awaited; this only keeps an unawaited rejection from being reported.
      p.catch(() => {});
      this.described.set(endpoint, p);
    }
    return p;
  }
}
