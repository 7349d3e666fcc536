import type { MonitorRuntimeConfig } from '../functions/contracts/monitor-config.ts';
import type { EndpointConfig } from './config.ts';

/** Deploy-time values the monitor needs besides its endpoint's config (tokens are fine). */
export interface MonitorResources {
  readonly dataMetricsNamespace: string;
  readonly modelMetricsNamespace: string;
  readonly reportsBucketName: string;
  /** Key prefix before `reports/`, without slashes; `''` for the bucket root. */
  readonly reportsPrefix: string;
  readonly topicArn: string;
}

/** The `MONITOR_CONFIG` the monitor Lambda of `endpoint` receives; optional fields only when set. */
export function buildMonitorRuntimeConfig(
  endpoint: EndpointConfig,
  resources: MonitorResources,
): MonitorRuntimeConfig {
  return {
    endpoint: endpoint.name,
    variants: [...endpoint.variants],
    scheduleName: endpoint.scheduleName,
    captureUri: endpoint.capture.uri,
    baselineUri: endpoint.baseline.uri,
    ...(endpoint.groundTruth ? { groundTruthUri: endpoint.groundTruth.uri } : {}),
    ...(endpoint.problemType ? { problemType: endpoint.problemType } : {}),
    ...(endpoint.probabilityThreshold !== undefined
      ? { probabilityThreshold: endpoint.probabilityThreshold }
      : {}),
    reportsBucket: resources.reportsBucketName,
    reportsPrefix: resources.reportsPrefix,
    dataMetricsNamespace: resources.dataMetricsNamespace,
    modelMetricsNamespace: resources.modelMetricsNamespace,
    topicArn: resources.topicArn,
    datasetDriftShare: endpoint.datasetDriftShare,
    featureThresholds: { ...endpoint.featureThresholds },
    ...(endpoint.fanOut
      ? { fanOut: { maxObjects: endpoint.fanOut.maxObjects, maxBytes: endpoint.fanOut.maxBytes } }
      : {}),
  };
}

/** The key prefix the monitor of `endpoint` writes reports under: `[PREFIX/]reports/ENDPOINT/SCHEDULE`. */
export function reportsKeyPrefix(reportsPrefix: string, endpoint: EndpointConfig): string {
  const root = reportsPrefix === '' ? '' : `${reportsPrefix}/`;
  return `${root}reports/${endpoint.name}/${endpoint.scheduleName}`;
}
