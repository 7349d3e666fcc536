/**
 * What `baseline` and `run` need to explain predictions, read from their flags: the
 * explainability configuration (`--explain-config`, local or s3://), its background rows (an
 * S3 object is read here), and the SageMaker endpoint as a `BatchModel`. The AWS SDK is loaded
 * only when an endpoint is named, as the S3 client is only for s3:// locations.
 */
import { existsSync } from 'node:fs';
import { isS3Uri } from '../contracts/s3-uri.ts';
import type { BatchModel, ModelValue } from '../engine/attribution/batch-model.ts';
import {
  type ExplainConfig,
  ExplainConfigError,
  parseExplainConfig,
} from '../engine/attribution/explain-config.ts';
import type { AttributionFeature } from '../engine/attribution/record-sampler.ts';
import { BackgroundError, configBackground as readBackground } from '../pipeline/attribution-window.ts';
import type { ExplainFlags } from './flags.ts';
import { openFile } from './stores.ts';
import { UsageError } from './usage.ts';

/** SageMaker gives a model container 60 s to answer; a request still open after this has failed. */
const REQUEST_TIMEOUT_MS = 70_000;

/** Reads and checks `--explain-config FILE`: the parsed configuration and its JSON as given. */
export async function readExplainConfig(file: string): Promise<{ config: ExplainConfig; json: unknown }> {
  if (!isS3Uri(file) && !existsSync(file)) throw new UsageError(`--explain-config ${file}: no such file`);
  const { store, key } = openFile(file);
  const text = await store.getText(key);
  if (text === null) throw new UsageError(`--explain-config ${file}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `--explain-config ${file}: not JSON (${(e as Error).message}); give Clarify's analysis_config.json`,
    );
  }
  return { config: parseConfig(json, file), json };
}

/** The configuration of parsed JSON (`file` names it in errors); a usage error when it cannot be used. */
export function parseConfig(json: unknown, file: string): ExplainConfig {
  try {
    return parseExplainConfig(json, file);
  } catch (e) {
    if (e instanceof ExplainConfigError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * The background rows the configuration names (pipeline/attribution-window.ts reads them; a
 * local file or an S3 object here), each one value per feature; `null` when it names none.
 */
export async function configBackground(
  config: ExplainConfig,
  features: readonly AttributionFeature[],
  file: string,
): Promise<ModelValue[][] | null> {
  try {
    return await readBackground(config, features, file, async (uri, where) => {
      const { store, key } = openFile(uri);
      const text = await store.getText(key);
      if (text === null) throw new UsageError(`${where}: no such object`);
      return text;
    });
  } catch (e) {
    if (e instanceof BackgroundError) throw new UsageError(e.message);
    throw e;
  }
}

/** The endpoint as a model, and how to let go of its client. */
export interface EndpointHandle {
  model: BatchModel;
  close(): void;
}

/**
 * The SageMaker endpoint of `flags` as a model: InvokeEndpoint through the SDK's client
 * (`--region`, else the usual AWS settings; `AWS_ENDPOINT_URL_SAGEMAKER_RUNTIME` points it
 * elsewhere), in the configuration's content type, at `--explain-rate` requests per second.
 * No region at all is a usage error, found before any work is done.
 */
export async function openEndpoint(
  flags: ExplainFlags,
  config: ExplainConfig | null,
): Promise<EndpointHandle> {
  const [{ SageMakerRuntimeClient }, { EndpointModel }] = await Promise.all([
    import('@aws-sdk/client-sagemaker-runtime'),
    import('../sources/endpoint-model.ts'),
  ]);
  const client = new SageMakerRuntimeClient({
    ...(flags.region !== undefined ? { region: flags.region } : {}),
    requestHandler: {
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionTimeout: 10_000,
      throwOnRequestTimeout: true,
    },
  });
  try {
    await client.config.region();
  } catch {
    client.destroy();
    throw new UsageError(
      '--explain-endpoint needs an AWS region: pass --region REGION or set AWS_REGION (or a profile with a region)',
    );
  }
  const model = new EndpointModel({
    client,
    endpointName: flags.endpoint,
    ...(config !== null
      ? {
          contentType: config.contentType,
          acceptType: config.acceptType,
          predictionPath: config.predictionPath,
        }
      : {}),
    ...(flags.rate !== undefined ? { requestsPerSecond: flags.rate } : {}),
  });
  return { model, close: () => client.destroy() };
}
