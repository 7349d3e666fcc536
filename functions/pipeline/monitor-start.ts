/**
 * What every window of one invocation shares, set up once: the data baseline, the quality plan
 * (when the endpoint has ground truth), the attribution plan (with an attribution block) and the
 * cache of what SageMaker says the endpoint serves.
 */
import { BIAS_CONFIG_FILE, QUALITY_CONSTRAINTS_FILE } from '../contracts/baseline-layout.ts';
import type { BiasLocation, MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import { parseS3ObjectUri } from '../contracts/s3-uri.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { constraintsProblemType } from '../engine/quality/quality-constraints.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import {
  type BiasBaselineFiles,
  type BiasObject,
  loadBaseline,
  loadBiasBaseline,
  loadConfiguredBias,
  loadQualityBaseline,
} from '../sources/baseline-store.ts';
import { loadMultivariateModel, type MultivariateBaseline } from '../sources/multivariate-store.ts';
import { ServingModelCache } from '../sources/serving-model.ts';
import { parseS3Uri } from '../stores/object-store.ts';
import { S3Store } from '../stores/s3-store.ts';
import { loadMonitorAttribution, type MonitorAttribution } from './monitor-attribution.ts';
import type { MonitorDeps } from './monitor-deps.ts';
import { configuredLimits, type WindowLimits } from './profile-limits.ts';
import { planQuality, type QualityPlan } from './quality-window.ts';

/** What every window of one invocation shares: the baselines, and SageMaker read once. */
export interface MonitorRun {
  baseline: Baseline;
  baselinePath: string;
  servingModels: ServingModelCache | null;
  /** How windows get their model quality; `null` when the endpoint has no ground truth. */
  quality: QualityPlan | null;
  /** The baseline's multivariate model, or why it has none (each window's report says). */
  multivariate: MultivariateBaseline;
  /**
   * How windows are explained (the endpoint's `attribution` block with the baseline's
   * explainability files), or why they cannot be; `null` without an attribution block.
   */
  attribution: MonitorAttribution | null;
  /** What every window of the run is profiled within (MONITOR_CONFIG.profileMemoryMb and the baseline). */
  limits: WindowLimits;
}

/** Loads the baselines and sets up the per-run reads every window of the invocation shares. */
export async function startRun(deps: MonitorDeps): Promise<MonitorRun> {
  const baselineStore = new S3Store(deps.s3, deps.config.baselineUri);
  const baseline = await loadBaseline(baselineStore);
  return {
    baseline,
    baselinePath: baselineStore.location,
    servingModels: deps.sagemaker ? new ServingModelCache(deps.sagemaker) : null,
    quality: await qualityPlanOf(deps, baselineStore, baseline),
    multivariate: await loadMultivariateModel(baselineStore, baseline),
    attribution: await loadMonitorAttribution(deps, baselineStore, baseline),
    limits: configuredLimits(deps.config, baseline),
  };
}

/** The endpoint's labels: `GROUND_TRUTH_URI/ENDPOINT/`, whose hour folders are the collection hours. */
export function groundTruthUriOf(config: Pick<MonitorRuntimeConfig, 'groundTruthUri' | 'endpoint'>): string {
  const { bucket, prefix } = parseS3Uri(config.groundTruthUri ?? '');
  return `s3://${bucket}/${prefix}${config.endpoint}/`;
}

/**
 * The endpoint's bias configuration and baseline analysis: from the objects its `bias` block
 * names when it has one (the block wins: the baseline folder's `bias/` files are then not read),
 * else from the baseline folder's `bias/` files, when it has them; `null` when neither.
 */
export async function loadEndpointBias(
  deps: Pick<MonitorDeps, 'config' | 's3'>,
  baselineStore: S3Store,
): Promise<BiasBaselineFiles | null> {
  const location = deps.config.bias;
  if (location === undefined) return loadBiasBaseline(baselineStore);
  const object = (uri: string, field: string): BiasObject => {
    const { bucket, key } = parseS3ObjectUri(uri) ?? { bucket: '', key: '' };
    const slash = key.lastIndexOf('/');
    return {
      store: new S3Store(deps.s3, `s3://${bucket}/${key.slice(0, slash + 1)}`),
      key: key.slice(slash + 1),
      field,
    };
  };
  return loadConfiguredBias(
    object(location.analysisConfigUri, 'bias.analysisConfig'),
    object(location.analysisUri, 'bias.baseline'),
  );
}

/** Where an error about the endpoint's bias configuration points: the configured object, else the baseline folder's. */
function biasConfigFile(location: BiasLocation | undefined, baselineStore: S3Store): string {
  return location?.analysisConfigUri ?? `${baselineStore.location}${BIAS_CONFIG_FILE}`;
}

/**
 * The run's quality plan, as the CLI's `run --ground-truth` makes it: the baseline folder's
 * `model-quality/` files (constraints, and the settings that name the score column and
 * threshold), the configured problem type and threshold, and the bias configuration
 * ({@link loadEndpointBias}).
 */
export async function qualityPlanOf(
  deps: Pick<MonitorDeps, 'config' | 's3'>,
  baselineStore: S3Store,
  baseline: Baseline,
): Promise<QualityPlan | null> {
  const { config } = deps;
  if (config.groundTruthUri === undefined || config.problemType === undefined) return null;
  const files = await loadQualityBaseline(baselineStore);
  const bias = await loadEndpointBias(deps, baselineStore);
  if (bias !== null && config.problemType !== 'BinaryClassification')
    throw new BaselineFileError(
      biasConfigFile(config.bias, baselineStore),
      `measures bias of a binary classifier but the endpoint's problemType is ${config.problemType}; set problemType to BinaryClassification, or rebuild the baseline without --bias-config`,
    );
  if (files.constraints !== null && constraintsProblemType(files.constraints) !== config.problemType)
    throw new BaselineFileError(
      `${baselineStore.location}${QUALITY_CONSTRAINTS_FILE}`,
      `holds ${constraintsProblemType(files.constraints)} constraints but the endpoint's problemType is ${config.problemType}; rebuild the quality baseline with driftwatch baseline --problem-type ${config.problemType}, or correct problemType in the config`,
    );
  return planQuality(baseline, files, {
    groundTruth: new S3Store(deps.s3, groundTruthUriOf(config)),
    problemType: config.problemType,
    threshold: config.probabilityThreshold,
    // Label lines are bounded like capture lines, within the same memory.
    maxLineBytes: configuredLimits(config, baseline).maxLineBytes,
    bias,
  });
}
