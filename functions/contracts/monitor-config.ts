/**
 * What the monitor Lambda is told about its endpoint. The CDK stack builds this object from the
 * user's config and passes it as the `MONITOR_CONFIG` environment variable (JSON); it holds no
 * secrets. `infra/` imports this type only (`import type`), never code.
 */
import type { ProblemType } from './problem-type.ts';

export interface MonitorRuntimeConfig {
  /** SageMaker endpoint name, used in metric dimensions and report paths. */
  endpoint: string;
  /** Variant names whose capture is profiled together (e.g. `["AllTraffic"]`). */
  variants: string[];
  /** Monitoring schedule name: the `MonitoringSchedule` metric dimension and a report path segment. */
  scheduleName: string;
  /** `s3://bucket/prefix` under which SageMaker writes capture: `PREFIX/ENDPOINT/VARIANT/yyyy/mm/dd/hh/`. */
  captureUri: string;
  /** `s3://bucket/prefix` of the baseline folder (driftwatch's own, or SageMaker's statistics/constraints). */
  baselineUri: string;
  /** `s3://bucket/prefix` of ground-truth labels (`PREFIX/ENDPOINT/yyyy/mm/dd/hh/`), when quality is monitored. */
  groundTruthUri?: string;
  problemType?: ProblemType;
  probabilityThreshold?: number;
  /** Bucket and key prefix for reports: `PREFIX/reports/ENDPOINT/SCHEDULE/yyyy/mm/dd/hh/`. */
  reportsBucket: string;
  reportsPrefix: string;
  /** CloudWatch namespace for data-quality metrics. */
  dataMetricsNamespace: string;
  /** CloudWatch namespace for model-quality metrics. */
  modelMetricsNamespace: string;
  /** SNS topic for window summaries. */
  topicArn: string;
  /** Share of drifted features at and above which the dataset counts as drifted. @default 0.5 */
  datasetDriftShare?: number;
  /** Per-feature threshold overrides (feature name to threshold). */
  featureThresholds?: Record<string, number>;
  /** Lambda price per GB-second in USD, for the run-cost metric. @default 0.0000133334 (arm64) */
  pricePerGbSecond?: number;
  /**
   * When set, the fan-out state machine runs this endpoint's windows: an hour with more capture
   * objects or bytes than these is profiled in parts (functions/pipeline/fan-out.ts).
   * @default - none: every window is profiled by the monitor function
   */
  fanOut?: { maxObjects: number; maxBytes: number };
}
