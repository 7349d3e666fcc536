/**
 * What the retraining Lambda is told about its endpoint. The CDK stack builds this object from
 * the endpoint's `retraining` config and passes it as the `RETRAINING_CONFIG` environment variable
 * (JSON). `infra/` imports these types only (`import type`), never code.
 */

/** Start an execution of a SageMaker pipeline. */
export interface PipelineRetraining {
  kind: 'pipeline';
  pipelineName: string;
  /** Parameters of every execution, besides the window's. */
  parameters: Record<string, string>;
  /** The parameter names the window's start, end and report folder are passed under. */
  windowParameters: { start: string; end: string; report: string };
}

/** Start a training job configured like an earlier one. */
export interface TrainingJobRetraining {
  kind: 'trainingJob';
  sourceJobName: string;
  /** The role the new job runs as (the function may pass exactly this role). */
  roleArn: string;
  /** New jobs are named `PREFIX-yyyymmddhh` after their window's start. */
  jobNamePrefix: string;
  /** `s3://...` where new jobs write their model artifacts. */
  outputUri: string;
}

export type RetrainingAction = PipelineRetraining | TrainingJobRetraining;

export interface RetrainingRuntimeConfig {
  endpoint: string;
  scheduleName: string;
  /** The endpoint's topic: window summaries and alarms arrive from it, notices go to it. */
  topicArn: string;
  /** Bucket and key prefix of the reports, as the monitor has them (`reportsPrefix` may be empty). */
  reportsBucket: string;
  reportsPrefix: string;
  /** Where the durable state lives: `s3://bucket/[prefix/]retraining/ENDPOINT/state/`. */
  stateUri: string;
  dryRun: boolean;
  cooldownHours: number;
  on: { datasetDrift: boolean; qualityViolation: boolean; alarms: string[] };
  action: RetrainingAction;
}
