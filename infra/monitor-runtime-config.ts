import type { MonitorRuntimeConfig } from '../functions/contracts/monitor-config.ts';
import { scheduleFolder } from '../functions/contracts/report-layout.ts';
import type { EndpointConfig } from './config/index.ts';
import { joinKey } from './s3-grants.ts';

/** Deploy-time values the monitor needs besides its endpoint's config (tokens are fine). */
export interface MonitorResources {
  /** The data-quality metrics' namespace. */
  readonly dataMetricsNamespace: string;
  /** The model-quality metrics' namespace. */
  readonly modelMetricsNamespace: string;
  /** The bucket the reports are written to. */
  readonly reportsBucketName: string;
  /** Key prefix before `reports/`, without slashes; `''` for the bucket root. */
  readonly reportsPrefix: string;
  /** The endpoint's topic, for the window summaries. */
  readonly topicArn: string;
  /**
   * The memory (MB) every part of a window is profiled within ({@link profileMemoryMb}): the
   * profile limits derive from it at run time.
   */
  readonly profileMemoryMb: number;
}

/**
 * The memory a window's parts are profiled within: the monitor function's, or the fan-out
 * worker's when the endpoint fans out and it is smaller (both profile parts of windows, and all
 * parts must be profiled alike to merge).
 */
export function profileMemoryMb(monitorMemoryMb: number, workerMemoryMb?: number): number {
  return workerMemoryMb === undefined ? monitorMemoryMb : Math.min(monitorMemoryMb, workerMemoryMb);
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
    ...(endpoint.bias
      ? {
          bias: {
            analysisConfigUri: endpoint.bias.analysisConfig.uri,
            analysisUri: endpoint.bias.baseline.uri,
          },
        }
      : {}),
    ...(endpoint.attribution
      ? {
          attribution: {
            endpointName: endpoint.attribution.endpointName,
            records: endpoint.attribution.records,
            maxRows: endpoint.attribution.maxRows,
            requestsPerSecond: endpoint.attribution.requestsPerSecond,
            ...(endpoint.attribution.config ? { configUri: endpoint.attribution.config.uri } : {}),
          },
        }
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
    profileMemoryMb: resources.profileMemoryMb,
  };
}

/** The key prefix the monitor of `endpoint` writes reports under: `[PREFIX/]reports/ENDPOINT/SCHEDULE`. */
export function reportsKeyPrefix(reportsPrefix: string, endpoint: EndpointConfig): string {
  return joinKey(reportsPrefix, scheduleFolder(endpoint.name, endpoint.scheduleName).replace(/\/$/, ''));
}
