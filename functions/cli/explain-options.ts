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
import { type AttributionFeature, modelValue } from '../engine/attribution/record-sampler.ts';
import { splitCsvRecord } from '../engine/capture/csv.ts';
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
 * The background rows the configuration names (`methods.shap.baseline`: rows, or an S3 object
 * of CSV rows without a header, as Clarify reads it), each one value per feature; `null` when it
 * names none.
 */
export async function configBackground(
  config: ExplainConfig,
  features: readonly AttributionFeature[],
  file: string,
): Promise<ModelValue[][] | null> {
  const source = config.baseline;
  if (source === null) return null;
  let rows: ModelValue[][];
  let where: string;
  if ('rows' in source) {
    rows = source.rows;
    where = `${file}: methods.shap.baseline`;
  } else {
    where = `${source.uri} (${file}: methods.shap.baseline)`;
    const { store, key } = openFile(source.uri);
    const text = await store.getText(key);
    if (text === null) throw new UsageError(`${where}: no such object`);
    const fields: string[] = [];
    rows = text
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '')
      .map((line) => {
        const n = splitCsvRecord(line, fields);
        return fields.slice(0, n).map((v, i) => modelValue(v, features[i]?.kind ?? 'numeric'));
      });
    if (rows.length === 0) throw new UsageError(`${where}: holds no rows`);
  }
  rows.forEach((row, i) => {
    if (row.length !== features.length)
      throw new UsageError(
        `${where}: row ${i} has ${row.length} values but the model takes ${features.length} features (${features.map((f) => JSON.stringify(f.name)).join(', ')}); give one value per feature, in that order`,
      );
  });
  return rows;
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
