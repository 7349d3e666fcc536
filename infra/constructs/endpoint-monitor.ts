import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { Alarm, Dashboard } from 'aws-cdk-lib/aws-cloudwatch';
import type { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Topic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { grantExplainWindows } from '../attribution-grants.ts';
import { grantReadBiasConfig } from '../bias-config-grants.ts';
import type { EndpointConfig } from '../config/index.ts';
import { EndpointMetrics, type MonitorNamespaces } from '../endpoint-metrics.ts';
import { acknowledgePrefixWildcards } from '../iam-acknowledgements.ts';
import { grantObjectKeys } from '../kms-grants.ts';
import { buildMonitorRuntimeConfig, profileMemoryMb, reportsKeyPrefix } from '../monitor-runtime-config.ts';
import { grantPublishWindow } from '../publish-window-grants.ts';
import { joinKey, listPrefix, readObjects } from '../s3-grants.ts';
import { AlarmTopic } from './alarm-topic.ts';
import { DEFAULT_MEMORY_MB, DriftwatchFunction } from './driftwatch-function.ts';
import { EndpointAlarms } from './endpoint-alarms.ts';
import { EndpointDashboard } from './endpoint-dashboard.ts';
import { DEFAULT_WORKER_MEMORY_MB, FanOut } from './fan-out.ts';
import { MonitorSchedule } from './monitor-schedule.ts';

/**
 * The payload of a scheduled run: the form of an EventBridge scheduled event, with Scheduler's
 * `<aws.scheduler.scheduled-time>` filled in at invocation. The monitor profiles the hour before
 * that time, not before its own clock, so a run retried or delivered late (or past the next
 * hour) still profiles its own window; `{}` would mean "the last complete hour" at run time.
 */
export const SCHEDULED_EVENT = JSON.stringify({
  'detail-type': 'Scheduled Event',
  time: '<aws.scheduler.scheduled-time>',
});

/** Lambda caps all of a function's environment variables together at 4 KB. */
const ENVIRONMENT_LIMIT_BYTES = 4096;

/** Properties of an {@link EndpointMonitor}. */
export interface EndpointMonitorProps {
  /** The endpoint to monitor, as `parseConfig` returns it. */
  readonly endpoint: EndpointConfig;
  /** Absolute path of the monitor handler's entry file (`functions/handlers/monitor.ts`). */
  readonly monitorEntry: string;
  /** CloudWatch namespaces the monitor publishes to, and may publish to. */
  readonly namespaces: MonitorNamespaces;
  /** The bucket reports are written to. */
  readonly reportsBucket: IBucket;
  /**
   * Key prefix before `reports/ENDPOINT/SCHEDULE/`, without slashes.
   * @default "" (the bucket root)
   */
  readonly reportsPrefix?: string;
  /**
   * The customer managed key of the reports bucket's SSE-KMS encryption (an existing bucket's
   * `kmsKeyArn`): whatever reads or writes reports may use it, through S3 only.
   * @default none (no key to grant)
   */
  readonly reportsKmsKeyArn?: string;
  /** The key that encrypts the endpoint's topic; its policy must let CloudWatch alarms use it. */
  readonly topicKey: IKey;
  /**
   * Email addresses subscribed to the endpoint's topic.
   * @default [] (none)
   */
  readonly emails?: readonly string[];
  /**
   * Memory of the monitor function in MB.
   * @default 1024
   */
  readonly memorySize?: number;
  /**
   * Timeout of the monitor function.
   * @default Duration.minutes(5)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency of the monitor function.
   * @default - none reserved
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Retention of the monitor's logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * Everything that monitors one SageMaker endpoint: the monitor function (told about its endpoint
 * by the `MONITOR_CONFIG` environment variable), its schedule, a dead-letter queue for failed runs,
 * a topic for alarms and summaries, the alarms and a dashboard.
 *
 * The function may read only the endpoint's capture, baseline and ground-truth prefixes, read and
 * write only its reports prefix, publish metrics only to the two namespaces, and publish only to
 * its topic. Of SageMaker it may only describe the endpoint, endpoint configs and models (to
 * record what served each window), and, with an `attribution` block, invoke the one endpoint that
 * explains the windows. With `fanOut` set, a {@link FanOut} state machine runs the
 * windows and the schedule starts it instead of invoking the function.
 */
export class EndpointMonitor extends Construct {
  readonly monitorFunction: DriftwatchFunction;
  readonly deadLetterQueue: Queue;
  readonly topic: Topic;
  readonly schedule: MonitorSchedule;
  readonly alarms: readonly Alarm[];
  readonly dashboard: Dashboard;
  /** The dashboard's URL in the CloudWatch console. */
  readonly dashboardUrl: string;
  /** The fan-out state machine, when the endpoint's `fanOut` is set. */
  readonly fanOut?: FanOut;

  constructor(scope: Construct, id: string, props: EndpointMonitorProps) {
    super(scope, id);
    const { endpoint } = props;
    const reportsPrefix = props.reportsPrefix ?? '';

    this.deadLetterQueue = new Queue(this, 'DeadLetterQueue', {
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the monitor (failed runs and undeliverable schedule events); nothing consumes it, so it needs no DLQ of its own.',
    });

    const alarmTopic = new AlarmTopic(this, 'Topic', {
      key: props.topicKey,
      emails: props.emails ?? [],
      displayName: `driftwatch ${endpoint.name}`,
    });
    this.topic = alarmTopic.topic;

    const runtimeConfig = buildMonitorRuntimeConfig(endpoint, {
      dataMetricsNamespace: props.namespaces.data,
      modelMetricsNamespace: props.namespaces.model,
      reportsBucketName: props.reportsBucket.bucketName,
      reportsPrefix,
      topicArn: this.topic.topicArn,
      profileMemoryMb: profileMemoryMb(
        props.memorySize ?? DEFAULT_MEMORY_MB,
        endpoint.fanOut ? DEFAULT_WORKER_MEMORY_MB : undefined,
      ),
    });
    const monitorConfigJson = Stack.of(this).toJsonString(runtimeConfig);
    checkEnvironmentSize(endpoint, JSON.stringify(runtimeConfig));

    const timeout = props.timeout ?? Duration.minutes(5);
    this.monitorFunction = new DriftwatchFunction(this, 'MonitorFunction', {
      entry: props.monitorEntry,
      description: `driftwatch: profiles the last complete hour of ${endpoint.name} capture against its baseline`,
      environment: { MONITOR_CONFIG: monitorConfigJson },
      timeout,
      ...(props.memorySize !== undefined ? { memorySize: props.memorySize } : {}),
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
    });
    // A run that still fails after Lambda's two retries goes to the queue, with the error. The
    // event names its window (below), so a late retry still profiles the right hour.
    this.monitorFunction.configureAsyncInvoke({
      onFailure: new SqsDestination(this.deadLetterQueue),
      retryAttempts: 2,
      maxEventAge: Duration.hours(6),
    });
    this.grantMonitorAccess(props, reportsPrefix, alarmTopic);
    if (endpoint.fanOut)
      this.fanOut = new FanOut(this, 'FanOut', {
        endpoint,
        settings: endpoint.fanOut,
        monitorFunction: this.monitorFunction,
        monitorConfigJson,
        namespaces: props.namespaces,
        reportsBucket: props.reportsBucket,
        reportsPrefix,
        ...(props.reportsKmsKeyArn ? { reportsKmsKeyArn: props.reportsKmsKeyArn } : {}),
        topic: alarmTopic,
        ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
      });

    this.schedule = new MonitorSchedule(this, 'Schedule', {
      target: this.fanOut?.stateMachine ?? this.monitorFunction,
      expression: endpoint.schedule,
      deadLetterQueue: this.deadLetterQueue,
      input: SCHEDULED_EVENT,
      description: `driftwatch: monitor ${endpoint.name} (${endpoint.scheduleName})`,
    });

    const metrics = new EndpointMetrics(endpoint, props.namespaces);
    const alarms = new EndpointAlarms(this, 'Alarms', {
      endpoint,
      metrics,
      topic: this.topic,
      monitorFunction: this.monitorFunction,
      monitorTimeout: timeout,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.alarms = [...alarms.alarms, ...(this.fanOut ? [this.fanOut.failureAlarm] : [])];
    const dashboard = new EndpointDashboard(this, 'Dashboard', {
      endpoint,
      metrics,
      alarms: this.alarms,
      monitorFunction: this.monitorFunction,
      deadLetterQueue: this.deadLetterQueue,
    });
    this.dashboard = dashboard.dashboard;
    this.dashboardUrl = dashboard.url;
  }

  private grantMonitorAccess(props: EndpointMonitorProps, reportsPrefix: string, topic: AlarmTopic): void {
    const { endpoint } = props;
    const fn = this.monitorFunction;
    const role = fn.role!;
    // Object permissions are granted by key prefix: PREFIX/* is the narrowest resource that
    // covers the hourly keys under it (yyyy/mm/dd/hh/...), which are not known in advance.
    const grant = (statement: PolicyStatement, what?: string) => {
      fn.addToRolePolicy(statement);
      if (what) {
        acknowledgePrefixWildcards(
          role,
          statement,
          `${what}; the trailing /* stands for the hourly keys below the prefix, unknown in advance.`,
        );
      }
    };

    // Capture: PREFIX/ENDPOINT/VARIANT/yyyy/mm/dd/hh/ (SageMaker's layout).
    const captureKeys = joinKey(endpoint.capture.prefix, endpoint.name);
    grant(
      readObjects(endpoint.capture.bucket, captureKeys),
      `Reads only the capture of endpoint ${endpoint.name}, under its capture prefix`,
    );
    grant(listPrefix(endpoint.capture.bucket, captureKeys));

    grant(
      readObjects(endpoint.baseline.bucket, endpoint.baseline.prefix),
      `Reads only the baseline of endpoint ${endpoint.name}, under its baseline prefix`,
    );
    grant(listPrefix(endpoint.baseline.bucket, endpoint.baseline.prefix));

    if (endpoint.groundTruth) {
      // The whole configured label prefix: it is this endpoint's by configuration, and labels may
      // sit under PREFIX/ENDPOINT/yyyy/... or directly under PREFIX/yyyy/... (SageMaker's layout).
      const labelKeys = endpoint.groundTruth.prefix;
      grant(
        readObjects(endpoint.groundTruth.bucket, labelKeys),
        `Reads only the ground-truth labels of endpoint ${endpoint.name}, under its label prefix`,
      );
      grant(listPrefix(endpoint.groundTruth.bucket, labelKeys));
    }

    // The deployed bias configuration, when the endpoint has a bias block: exactly its two objects.
    grantReadBiasConfig(fn, endpoint);
    // Feature attribution: InvokeEndpoint on the explaining endpoint only, and its config object.
    grantExplainWindows(fn, endpoint, { invoke: true });

    grantPublishWindow(fn, {
      endpoint,
      reportsBucket: props.reportsBucket,
      reportKeys: reportsKeyPrefix(reportsPrefix, endpoint),
      reportsPrefix,
      namespaces: props.namespaces,
      topic,
    });

    // SSE-KMS objects: the keys of what it reads, and of the reports (and fan-out manifests) it writes.
    grantObjectKeys(fn, [
      { keyArn: endpoint.capture.kmsKeyArn, use: 'read' },
      { keyArn: endpoint.baseline.kmsKeyArn, use: 'read' },
      { keyArn: endpoint.groundTruth?.kmsKeyArn, use: 'read' },
      { keyArn: props.reportsKmsKeyArn, use: 'readWrite' },
    ]);
  }
}

/** Fails the synth when MONITOR_CONFIG cannot fit Lambda's 4 KB environment (tokens counted generously). */
function checkEnvironmentSize(endpoint: EndpointConfig, json: string): void {
  // Unresolved tokens (bucket name, topic ARN) are ~30 characters here but up to ~150 deployed.
  const estimate = Buffer.byteLength(json, 'utf8') + 300;
  if (estimate > ENVIRONMENT_LIMIT_BYTES) {
    throw new Error(
      `endpoint ${endpoint.name}: its MONITOR_CONFIG would take about ${estimate} bytes of Lambda's ${ENVIRONMENT_LIMIT_BYTES}-byte environment; ` +
        'move per-feature thresholds out of featureThresholds into the baseline constraints.json (distribution_constraints), or shorten the URIs',
    );
  }
}
