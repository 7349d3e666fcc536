/**
 * The shapes of a validated configuration: what `parseConfig` returns, every default filled in,
 * and what the constructs read. The defaults named here are filled in by the section parsers.
 */
import type { ProblemType } from '../../functions/contracts/problem-type.ts';

/** An `s3://bucket/prefix` URI, split. `prefix` has no leading or trailing slash and may be empty. */
export interface S3Location {
  /** The URI as the monitor receives it: `s3://bucket/prefix`, without a trailing slash. */
  readonly uri: string;
  /** The bucket's name. */
  readonly bucket: string;
  /** The key prefix, without slashes at either end; `''` for the bucket root. */
  readonly prefix: string;
  /**
   * The customer managed key the objects are encrypted with (SSE-KMS), when it is not the bucket's
   * SSE-S3 or the AWS managed key: readers get `kms:Decrypt` on it, through S3 only.
   * @default none
   */
  readonly kmsKeyArn?: string;
}

/** One S3 object, split. */
export interface S3Object {
  /** `s3://bucket/key`, as the monitor receives it. */
  readonly uri: string;
  readonly bucket: string;
  /** The object's key (no leading slash, never ending in one). */
  readonly key: string;
  /**
   * The customer managed key the object is encrypted with (SSE-KMS), when there is one.
   * @default none
   */
  readonly kmsKeyArn?: string;
}

/**
 * Where an endpoint's bias configuration is (its `bias` block): the monitor reads these two
 * objects instead of the baseline folder's `bias/` files.
 */
export interface BiasLocationConfig {
  /** Clarify's `analysis_config.json` (facets, label, methods); its key is `bias.kmsKeyArn`. */
  readonly analysisConfig: S3Object;
  /**
   * The training data's `analysis.json`, the baseline the windows are compared with.
   * @default the baseline folder's `bias/analysis.json` (with `baselineKmsKeyArn`)
   */
  readonly baseline: S3Object;
}

/**
 * Feature attribution drift of one endpoint (its `attribution` block): the monitor explains each
 * window's records with an endpoint serving the model (InvokeEndpoint) and compares their
 * ranking with the baseline folder's `explainability/` files.
 */
export interface AttributionConfig {
  /** The endpoint called: the monitored one, or a shadow serving the same model. @default the monitored endpoint */
  readonly endpointName: string;
  /** Records explained per window at most (`--explain-records`). @default 100 */
  readonly records: number;
  /** Model rows one window may send at most (`--explain-max-rows`). @default 200000 */
  readonly maxRows: number;
  /** InvokeEndpoint requests per second at most. @default 10 */
  readonly requestsPerSecond: number;
  /**
   * The explainability configuration (Clarify's `analysis_config.json`); its key is `kmsKeyArn`.
   * @default none (the configuration the baseline was explained with)
   */
  readonly config?: S3Object;
}

/** When one CloudWatch alarm fires. Its comparison (above or below) is fixed by what it watches. */
export interface AlarmSettings {
  /** The value the metric is compared with. */
  readonly threshold: number;
  /** Length of one evaluation period, in minutes. */
  readonly periodMinutes: number;
  /** How many recent periods the alarm looks at. */
  readonly evaluationPeriods: number;
  /** How many of those periods must breach for the alarm to fire. */
  readonly datapointsToAlarm: number;
}

/** An alarm's settings, or `false` when the alarm is turned off. */
export type AlarmSetting = AlarmSettings | false;

/** Endpoint health alarms on SageMaker's own metrics, per variant. */
export interface HealthAlarmsConfig {
  /**
   * `ModelLatency` Average above this many microseconds (SageMaker documents no percentiles for it).
   * Read from `modelLatencyP99Micros` too, its name before.
   * @default 1,000,000 µs over 3 of 3 five-minute periods
   */
  readonly modelLatencyMicros: AlarmSetting;
  /** `OverheadLatency` Average above this many microseconds. @default 100,000 µs over 3 of 3 five-minute periods */
  readonly overheadLatencyMicros: AlarmSetting;
  /** `Invocations` per period below this; no data counts as breaching. @default 1 per hour */
  readonly invocationsMin: AlarmSetting;
  /** `Invocation4XXErrors` per period at or above this. @default 10 per 5 minutes, 3 of 3 */
  readonly invocation4xxErrors: AlarmSetting;
  /** `Invocation5XXErrors` per period at or above this. @default 1 per 5 minutes, 2 of 3 */
  readonly invocation5xxErrors: AlarmSetting;
  /**
   * `CPUUtilization` at or above this percent. SageMaker sums it over the instance's vCPUs (0 to
   * 100 × vCPUs), so no single default suits every instance type.
   * @default false (turn it on with a threshold such as 80 × vCPUs)
   */
  readonly cpuUtilization: AlarmSetting;
  /** `MemoryUtilization` at or above this percent. @default 85, 3 of 3 five-minute periods */
  readonly memoryUtilization: AlarmSetting;
  /** `DiskUtilization` at or above this percent. @default 85, 3 of 3 five-minute periods */
  readonly diskUtilization: AlarmSetting;
}

/** The alarms on one endpoint's monitoring results. */
export interface EndpointAlarmsConfig {
  /**
   * Per listed feature, `feature_baseline_drift_NAME` above the feature's threshold
   * (`featureThresholds[NAME]`, else this setting's threshold).
   * @default threshold 0.1 (SageMaker's default comparison threshold)
   */
  readonly featureDrift: AlarmSetting;
  /** `dataset_drift_share` at or above the threshold. @default the endpoint's `datasetDriftShare` */
  readonly datasetDrift: AlarmSetting;
  /** Per listed feature, `feature_non_null_NAME` below the threshold (0..1). @default 0.95 */
  readonly completeness: AlarmSetting;
  /** `violations` at or above the threshold. @default 1 */
  readonly violations: AlarmSetting;
  /**
   * `bias_violations` (Clarify's namespace: significant bias violations of a window) at or above
   * the threshold; only for an endpoint with a `bias` block.
   * @default 1 with a `bias` block, else false
   */
  readonly biasViolations: AlarmSetting;
  /**
   * `multivariate_drift` (1 when the window's reconstruction error left the baseline's band) at or
   * above the threshold. The stack cannot tell whether the baseline has a multivariate model
   * (only driftwatch's own baselines do), so it is on unless turned off; without a model nothing
   * is published and the alarm stays OK.
   * @default 1
   */
  readonly multivariateDrift: AlarmSetting;
  /**
   * `attribution_drift` (1 when the nDCG of the window's feature-attribution ranking against the
   * baseline's fell below 0.9) at or above the threshold; only for an endpoint with an
   * `attribution` block.
   * @default 1 with an `attribution` block, else false
   */
  readonly attributionDrift: AlarmSetting;
  /**
   * Model-quality alarms, keyed by SageMaker metric name (`accuracy`, `f1`, `rmse`, ...). Metrics
   * where higher is better alarm below the threshold, the others (errors, false rates) above it.
   * @default {} (no quality alarms)
   */
  readonly quality: Readonly<Record<string, AlarmSettings>>;
  /**
   * "No capture data": `records_profiled` below the threshold, with missing data breaching, so a
   * silent endpoint or a broken capture configuration pages someone.
   * @default threshold 1 over 4 of 4 hourly periods (two empty windows, see the code for why)
   */
  readonly noData: AlarmSetting;
  /** SageMaker's endpoint health metrics, per variant. */
  readonly health: HealthAlarmsConfig;
}

/** One monitored SageMaker endpoint. */
export interface EndpointConfig {
  /** The endpoint's name. */
  readonly name: string;
  /** Variants whose capture is profiled together. @default ["AllTraffic"] */
  readonly variants: readonly string[];
  /**
   * Where SageMaker writes the endpoint's capture (`DataCaptureConfig.DestinationS3Uri`); its
   * `kmsKeyArn` is `captureKmsKeyArn`, the `DataCaptureConfig.KmsKeyId` the capture is written with.
   */
  readonly capture: S3Location;
  /**
   * The baseline folder (driftwatch's own, or SageMaker's statistics.json + constraints.json); its
   * `kmsKeyArn` is `baselineKmsKeyArn`.
   */
  readonly baseline: S3Location;
  /** Ground-truth labels, when model quality is monitored; `kmsKeyArn` is `groundTruthKmsKeyArn`. @default none */
  readonly groundTruth?: S3Location;
  /** The model's problem type, which says what quality metrics apply. @default none (no model quality) */
  readonly problemType?: ProblemType;
  /** BinaryClassification: scores at or above this are positive. @default none (the monitor's 0.5) */
  readonly probabilityThreshold?: number;
  /**
   * Where the bias configuration is (BinaryClassification with ground truth only).
   * @default none (the monitor reads the baseline folder's `bias/` files, when it has them)
   */
  readonly bias?: BiasLocationConfig;
  /** Feature attribution drift: which endpoint explains the windows, at what cost. @default none (off) */
  readonly attribution?: AttributionConfig;
  /** The `MonitoringSchedule` metric dimension and report path segment. @default "driftwatch-hourly" */
  readonly scheduleName: string;
  /** EventBridge Scheduler expression, in UTC. @default "cron(10 * * * ? *)" */
  readonly schedule: string;
  /** Share of drifted features at and above which the dataset counts as drifted. @default 0.5 */
  readonly datasetDriftShare: number;
  /** Per-feature drift thresholds (feature name to threshold). @default {} */
  readonly featureThresholds: Readonly<Record<string, number>>;
  /** Features drawn on the dashboard and given their own drift and completeness alarms. @default [] */
  readonly features: readonly string[];
  /** The endpoint's alarms, each with its settings or turned off. */
  readonly alarms: EndpointAlarmsConfig;
  /** Addresses that receive this endpoint's alarms and summaries (besides `alarmEmails`). @default [] */
  readonly emails: readonly string[];
  /**
   * Where this endpoint's alarms and summaries are posted in Slack; `false` turns the top-level
   * `slack` off for this endpoint.
   * @default the top-level `slack`
   */
  readonly slack?: SlackConfig | false;
  /** What starts a retraining of this endpoint's model, and how. @default none (retraining off) */
  readonly retraining?: RetrainingConfig;
  /** Profile large windows in parts with a Step Functions state machine. @default none (off) */
  readonly fanOut?: FanOutConfig;
}

/**
 * Slack: a notifier Lambda posting Block Kit messages to an incoming webhook whose URL is kept in
 * Secrets Manager, or an AWS Chatbot channel configuration subscribed to the topic.
 */
export type SlackConfig =
  | {
      readonly kind: 'webhook';
      /** The secret's name, or its complete ARN; its value is the webhook URL (or `{"webhookUrl": URL}`). */
      readonly webhookSecret: string;
      /** The customer managed key that encrypts the secret. @default none (the AWS managed key) */
      readonly webhookSecretKmsKeyArn?: string;
    }
  | {
      readonly kind: 'chatbot';
      /** The Slack workspace (team) ID authorized in the AWS Chatbot console, like T07EXAMPLE. */
      readonly workspaceId: string;
      /** The Slack channel ID, like C07EXAMPLE. */
      readonly channelId: string;
    };

/** What starts a retraining. */
export interface RetrainingTriggers {
  /** The window's dataset drift was detected. @default true */
  readonly datasetDrift: boolean;
  /** The window broke a model-quality constraint. @default true */
  readonly qualityViolation: boolean;
  /** The window had a significant bias violation (`bias.violations > 0`). @default false */
  readonly biasViolation: boolean;
  /** The window's multivariate drift was detected (`multivariate.drifted`). @default false */
  readonly multivariateDrift: boolean;
  /** The window's feature attribution ranking drifted (`attribution.drifted`). @default false */
  readonly attributionDrift: boolean;
  /** Names of this endpoint's alarms whose ALARM transition starts one. @default [] */
  readonly alarms: readonly string[];
}

/** The names under which the window and its report are passed to a pipeline. */
export interface WindowParameterNames {
  /** The window's start (ISO 8601). @default "WindowStart" */
  readonly start: string;
  /** The window's end (ISO 8601). @default "WindowEnd" */
  readonly end: string;
  /** Where the window's reports are. @default "ReportUri" */
  readonly report: string;
}

/** How a retraining starts: a SageMaker pipeline execution, or a clone of an earlier training job. */
export type RetrainingAction =
  | {
      readonly kind: 'pipeline';
      readonly pipelineName: string;
      /** Parameters passed to every execution, besides the window's. @default {} */
      readonly parameters: Readonly<Record<string, string>>;
      readonly windowParameters: WindowParameterNames;
    }
  | {
      readonly kind: 'trainingJob';
      /** The training job whose configuration is copied (DescribeTrainingJob). */
      readonly sourceJobName: string;
      /** The role the new job runs as; the notifier may pass exactly this role. */
      readonly roleArn: string;
      /** New job names are `PREFIX-yyyymmddhh` (the window). @default the endpoint name (at most 44 characters) + "-retrain" */
      readonly jobNamePrefix: string;
      /** Where the new jobs write their model. @default the reports bucket, under `[PREFIX/]retraining/ENDPOINT/training-jobs` */
      readonly output?: S3Location;
    };

/** Retraining of one endpoint's model, off unless the endpoint has a `retraining` block. */
export interface RetrainingConfig {
  /** Only notify what would be started or skipped; start nothing and keep no state. @default false */
  readonly dryRun: boolean;
  /** Hours after a start during which no other retraining of the endpoint starts. @default 24 */
  readonly cooldownHours: number;
  /** What starts a retraining. */
  readonly on: RetrainingTriggers;
  /** How a retraining starts. */
  readonly action: RetrainingAction;
}

/** When and how wide an endpoint's windows fan out. */
export interface FanOutConfig {
  /** Windows with more capture objects than this are profiled in parts. @default 2000 */
  readonly maxObjects: number;
  /** Windows with more capture bytes than this are profiled in parts. @default 536870912 (512 MiB) */
  readonly maxBytes: number;
  /** Capture objects per profile worker invocation (the Distributed Map's batch). @default 100 */
  readonly batchSize: number;
  /** Profile workers running at once. @default 50 */
  readonly maxConcurrency: number;
}

/** Where reports go: a bucket the stack creates, or one that exists. */
export type ReportsBucketConfig =
  | { readonly kind: 'create'; readonly prefix: string }
  | {
      readonly kind: 'existing';
      readonly bucketName: string;
      readonly prefix: string;
      /**
       * The customer managed key of the bucket's SSE-KMS default encryption: whatever reads the
       * reports gets `kms:Decrypt` on it, whatever writes them `kms:GenerateDataKey` too, through S3 only.
       * @default none (SSE-S3 or the AWS managed key, which need no grant)
       */
      readonly kmsKeyArn?: string;
    };

/** The whole configuration, every default filled in. */
export interface DriftwatchConfig {
  /** CloudWatch namespace of the data-quality metrics. @default "aws/sagemaker/Endpoints/data-metrics" */
  readonly namespace: string;
  /** CloudWatch namespace of the model-quality metrics. @default "aws/sagemaker/Endpoints/model-metrics" */
  readonly modelMetricsNamespace: string;
  /** Where the reports go. @default { create: true } */
  readonly reportsBucket: ReportsBucketConfig;
  /** Addresses that receive every endpoint's alarms and summaries. @default [] */
  readonly alarmEmails: readonly string[];
  /** The monitored endpoints (at least one). */
  readonly endpoints: readonly EndpointConfig[];
  /** Where every endpoint's alarms and summaries are posted in Slack. @default none */
  readonly slack?: SlackConfig;
  /**
   * The history as SQL tables: the Glue database and Athena workgroup over `history/` under the
   * reports prefix; `false` when turned off.
   * @default HISTORY_DEFAULTS (infra/config/history.ts)
   */
  readonly history: HistoryConfig | false;
}

/**
 * The Glue database and Athena workgroup over the history (the `history` setting); the tables
 * are `features` and `windows` (functions/contracts/history-schema.ts).
 */
export interface HistoryConfig {
  /** The Glue database of the tables. @default "driftwatch_history" */
  readonly database: string;
  /** The Athena workgroup (its own results prefix, encryption, engine version 3). @default "driftwatch" */
  readonly workgroup: string;
  /** The first day (yyyy-MM-dd) the `dt` partition projects. @default "2024-01-01" */
  readonly firstDay: string;
  /**
   * Days the workgroup's query results are kept (a lifecycle rule on `athena-results/` of a
   * bucket the stack creates; an existing bucket needs the rule added by its owner).
   * @default 30
   */
  readonly resultsExpirationDays: number;
}
