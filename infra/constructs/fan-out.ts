import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { type Alarm, ComparisonOperator, MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import {
  Choice,
  Condition,
  CustomState,
  DefinitionBody,
  DistributedMap,
  ItemBatcher,
  JsonPath,
  LogLevel,
  Map as MapState,
  ResultWriterV2,
  S3JsonItemReader,
  StateMachine,
  Succeed,
} from 'aws-cdk-lib/aws-stepfunctions';
import { STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2 } from 'aws-cdk-lib/cx-api';
import { Construct } from 'constructs';
import { fanOutFolder } from '../../functions/contracts/report-layout.ts';
import { grantExplainWindows } from '../attribution-grants.ts';
import { grantReadBiasConfig } from '../bias-config-grants.ts';
import type { EndpointConfig, FanOutConfig } from '../config/index.ts';
import type { MonitorNamespaces } from '../endpoint-metrics.ts';
import { HANDLER_ENTRIES } from '../handler-entries.ts';
import { acknowledgePrefixWildcards } from '../iam-acknowledgements.ts';
import { grantObjectKeys } from '../kms-grants.ts';
import { reportsKeyPrefix } from '../monitor-runtime-config.ts';
import { grantPublishWindow } from '../publish-window-grants.ts';
import { joinKey, listPrefix, readObjects } from '../s3-grants.ts';
import { AlarmFactory } from './alarm-factory.ts';
import type { AlarmTopic } from './alarm-topic.ts';
import { DriftwatchFunction } from './driftwatch-function.ts';

/** Properties of a {@link FanOut}. */
export interface FanOutProps {
  /** The endpoint whose large windows fan out. */
  readonly endpoint: EndpointConfig;
  /** Thresholds, batch size and concurrency (`endpoint.fanOut`, defaults filled in). */
  readonly settings: FanOutConfig;
  /** The monitor function: the state machine's Plan step. */
  readonly monitorFunction: IFunction;
  /** The monitor's `MONITOR_CONFIG` JSON (tokens allowed); the worker and reducer read the same. */
  readonly monitorConfigJson: string;
  /** CloudWatch namespaces the reducer publishes to. */
  readonly namespaces: MonitorNamespaces;
  /** The reports bucket: reports, and the manifests and partial profiles under `fan-out/`. */
  readonly reportsBucket: IBucket;
  /**
   * Key prefix before `reports/` and `fan-out/`, without slashes.
   * @default "" (the bucket root)
   */
  readonly reportsPrefix?: string;
  /**
   * The customer managed key of the reports bucket's SSE-KMS encryption: the worker, the reducer
   * and the state machine (manifests, map results) may use it, through S3 only.
   * @default none (no key to grant)
   */
  readonly reportsKmsKeyArn?: string;
  /** The endpoint's topic: the reducer sends window summaries to it, the failure alarm too. */
  readonly topic: AlarmTopic;
  /**
   * Absolute path of the profile worker's entry file.
   * @default functions/handlers/profile-worker.ts in this repository
   */
  readonly workerEntry?: string;
  /**
   * Absolute path of the reducer's entry file.
   * @default functions/handlers/reduce-window.ts in this repository
   */
  readonly reduceEntry?: string;
  /**
   * Memory of the profile worker in MB (CPU scales with it). The profile limits derive from
   * `MONITOR_CONFIG.profileMemoryMb`, which must not exceed it (EndpointMonitor sets it so).
   * @default 2048
   */
  readonly workerMemorySize?: number;
  /**
   * Memory of the reducer in MB: it holds the merged profile and one partial at a time.
   * @default 2048
   */
  readonly reduceMemorySize?: number;
  /**
   * Timeout of the worker and of the reducer.
   * @default Duration.minutes(10)
   */
  readonly functionTimeout?: Duration;
  /**
   * Longest an execution may run (a backfill of many large windows runs in one).
   * @default Duration.hours(6)
   */
  readonly timeout?: Duration;
  /**
   * How long manifests and partial profiles are kept after their run (a lifecycle rule on a
   * bucket the stack creates; add one yourself on an existing bucket).
   * @default Duration.days(7)
   */
  readonly partialsExpiration?: Duration;
  /**
   * Retention of the functions' and the state machine's logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * Profiles an endpoint's large windows in parts: a Standard state machine whose Plan step (the
 * monitor function) monitors small windows itself and writes a manifest of the capture objects
 * of the others; a Distributed Map reads the manifest and runs profile workers on batches of it,
 * each writing a partial profile; a Reduce step per window merges the partials, evaluates and
 * publishes as the monitor would have (functions/pipeline/fan-out.ts).
 *
 * The schedule starts this state machine instead of invoking the monitor; backfills start it
 * with the monitor's backfill event. Every Lambda task is invoked by its function ARN only (a
 * custom Task state, not `LambdaInvoke`, which is granted every version and alias too).
 */
export class FanOut extends Construct {
  readonly stateMachine: StateMachine;
  readonly workerFunction: DriftwatchFunction;
  readonly reduceFunction: DriftwatchFunction;
  readonly logGroup: LogGroup;
  /** Fires when an execution fails, times out or is aborted. */
  readonly failureAlarm: Alarm;

  constructor(scope: Construct, id: string, props: FanOutProps) {
    super(scope, id);
    // ResultWriterV2 (the Distributed Map's results to S3) is rendered only under this feature
    // flag; set for this construct's subtree only (before any child exists), not the whole app.
    this.node.setContext(STEPFUNCTIONS_USE_DISTRIBUTED_MAP_RESULT_WRITER_V2, true);
    const { endpoint, settings } = props;
    const reportsPrefix = props.reportsPrefix ?? '';
    const reportKeys = reportsKeyPrefix(reportsPrefix, endpoint);
    const fanOutKeys = fanOutKeyPrefix(reportsPrefix, endpoint);
    const timeout = props.functionTimeout ?? Duration.minutes(10);
    const environment = { MONITOR_CONFIG: props.monitorConfigJson };
    const logRetention = props.logRetention ?? RetentionDays.ONE_MONTH;

    this.workerFunction = new DriftwatchFunction(this, 'WorkerFunction', {
      entry: props.workerEntry ?? HANDLER_ENTRIES.profileWorker,
      description: `driftwatch: profiles a batch of one large window of ${endpoint.name} capture (fan-out)`,
      environment,
      memorySize: props.workerMemorySize ?? DEFAULT_WORKER_MEMORY_MB,
      timeout,
      logRetention,
    });
    this.reduceFunction = new DriftwatchFunction(this, 'ReduceFunction', {
      entry: props.reduceEntry ?? HANDLER_ENTRIES.reduceWindow,
      description: `driftwatch: merges the partial profiles of one large window of ${endpoint.name} and publishes its report (fan-out)`,
      environment,
      memorySize: props.reduceMemorySize ?? 2048,
      timeout,
      logRetention,
    });
    this.grantAccess(props, reportKeys, fanOutKeys);

    this.logGroup = new LogGroup(this, 'StateMachineLogGroup', {
      // Vended-log groups under /aws/vendedlogs/ keep CloudWatch Logs' resource policy small. Named
      // after the deployment (the top-level stack), not the endpoint's nested stack.
      logGroupName: `/aws/vendedlogs/states/${rootStack(this).stackName}-${endpoint.name}-fan-out`,
      retention: logRetention,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    const plan = lambdaTask(this, 'Plan', props.monitorFunction, {
      // The monitor tells this request from a schedule or a backfill by its fanOut key.
      payload: { Payload: { 'event.$': '$', fanOut: { 'runId.$': '$$.Execution.Name' } } },
      // Only the plan goes on: the monitor's outcome of small windows is in its log.
      resultSelector: { 'fanOut.$': '$.Payload.fanOut' },
    });
    // Each item is paired with the run id by ItemSelector, which takes paths into the Map's input
    // and the Context object ($$.Map.Item.Value) and is applied before the ItemBatcher. (The
    // ItemBatcher's BatchInput is documented as fixed JSON, so it is not given a path.)
    const resultWriter = new PrefixResultWriter({
      bucket: props.reportsBucket,
      prefix: `${fanOutKeys}/${MAP_RESULTS_FOLDER}`,
    });
    const profile = new DistributedMap(this, 'ProfileParts', {
      label: 'ProfileParts',
      itemReader: new S3JsonItemReader({
        bucketNamePath: JsonPath.stringAt('$.fanOut.bucket'),
        key: JsonPath.stringAt('$.fanOut.manifestKey'),
      }),
      itemSelector: { 'runId.$': '$.fanOut.runId', 'item.$': '$$.Map.Item.Value' },
      itemBatcher: new ItemBatcher({
        maxItemsPerBatch: settings.batchSize,
        // A child execution's input, like any state's, stops at 256 KiB: a batch of large
        // items gets fewer of them instead of failing.
        maxInputBytesPerBatch: MAX_BATCH_BYTES,
      }),
      maxConcurrency: settings.maxConcurrency,
      toleratedFailurePercentage: 0,
      // The children's results ({"parts": n} each) go to S3, not into the execution's state, whose
      // 256 KiB they would fill on a window of thousands of batches; the Map's own output (where
      // they went) is dropped too.
      resultWriterV2: resultWriter,
      resultPath: JsonPath.DISCARD,
    });
    profile.itemProcessor(
      lambdaTask(this, 'ProfileBatch', this.workerFunction, {
        // The worker's event, {"Items": [manifest items], "BatchInput": {"runId"}}, from the batch
        // of selected items {"Items": [{"runId", "item"}, ...]}.
        payload: {
          Payload: { 'Items.$': '$.Items[*].item', BatchInput: { 'runId.$': '$.Items[0].runId' } },
        },
        resultSelector: { 'parts.$': '$.Payload.parts' },
      }),
    );
    // Model quality: one join per (window, key partition), listed by the plan (at most
    // 40 per window, so the list stays far below the state's 256 KiB); empty without quality.
    const joins = new MapState(this, 'JoinPartitions', {
      itemsPath: '$.fanOut.joins',
      itemSelector: { 'join.$': '$$.Map.Item.Value' },
      maxConcurrency: Math.min(settings.maxConcurrency, MAX_INLINE_MAP_CONCURRENCY),
      resultPath: JsonPath.DISCARD,
    });
    joins.itemProcessor(
      lambdaTask(this, 'JoinPartition', this.workerFunction, {
        payload: { 'Payload.$': '$' },
        resultSelector: { 'predictions.$': '$.Payload.predictions', 'labels.$': '$.Payload.labels' },
      }),
    );
    const reduce = new MapState(this, 'ReduceWindows', {
      itemsPath: '$.fanOut.windows',
      itemSelector: {
        'runId.$': '$.fanOut.runId',
        'plannedAt.$': '$.fanOut.plannedAt',
        'window.$': '$$.Map.Item.Value',
      },
      maxConcurrency: 1,
      resultPath: JsonPath.DISCARD,
    });
    reduce.itemProcessor(
      lambdaTask(this, 'ReduceWindow', this.reduceFunction, {
        payload: { 'Payload.$': '$' },
        resultSelector: { 'reportLocation.$': '$.Payload.reportLocation' },
      }),
    );
    const done = new Succeed(this, 'Done');
    const definition = plan.next(
      new Choice(this, 'AnyLargeWindow')
        .when(Condition.isPresent('$.fanOut.manifestKey'), profile.next(joins).next(reduce).next(done))
        .otherwise(done),
    );

    this.stateMachine = new StateMachine(this, 'StateMachine', {
      comment: `driftwatch: monitors ${endpoint.name}, profiling windows past ${settings.maxObjects} objects or ${settings.maxBytes} bytes in parts`,
      definitionBody: DefinitionBody.fromChainable(definition),
      timeout: props.timeout ?? Duration.hours(6),
      tracingEnabled: true,
      logs: { destination: this.logGroup, level: LogLevel.ALL, includeExecutionData: true },
    });
    const role = this.stateMachine.role;
    for (const fn of [props.monitorFunction, this.workerFunction, this.reduceFunction])
      role.addToPrincipalPolicy(
        new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [fn.functionArn] }),
      );
    // The Distributed Map reads the manifest itself (an ItemReader given the bucket by path,
    // so CDK grants nothing on its own; this is the only read).
    const manifests = new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [props.reportsBucket.arnForObjects(`${fanOutKeys}/*`)],
    });
    role.addToPrincipalPolicy(manifests);
    acknowledgePrefixWildcards(
      this.stateMachine,
      manifests,
      `Reads the manifests of endpoint ${endpoint.name}'s fan-out runs only; the trailing /* stands for the run folders, named by execution at run time.`,
    );
    // The ResultWriter's grant (PrefixResultWriter): only under the map-results folder.
    for (const statement of resultWriter.providePolicyStatements())
      acknowledgePrefixWildcards(
        this.stateMachine,
        statement,
        `Writes the Distributed Map's results of endpoint ${endpoint.name}'s fan-out runs only, under their map-results folder; the trailing /* stands for the folders Step Functions names by map run.`,
      );
    grantObjectKeys(role, [{ keyArn: props.reportsKmsKeyArn, use: 'readWrite' }]);
    Validations.of(this.stateMachine).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Logging and tracing, as cdk-nag asks: the CloudWatch Logs delivery actions (CreateLogDelivery and friends) and the X-Ray actions support no resource-level permissions, so "*" is their narrowest resource.',
    });
    this.acknowledgeDistributedMapGrants();

    if (props.reportsBucket instanceof Bucket)
      props.reportsBucket.addLifecycleRule({
        id: `driftwatch-fan-out-${endpoint.name}`,
        prefix: `${fanOutKeys}/`,
        expiration: props.partialsExpiration ?? Duration.days(7),
        noncurrentVersionExpiration: Duration.days(1),
      });

    const alarms = new AlarmFactory(this, { endpointName: endpoint.name, topic: props.topic.topic });
    this.failureAlarm = alarms.addAlarm('FailureAlarm', {
      nameSuffix: 'fan-out-failed',
      alarmDescription: `A run of the fan-out state machine of ${endpoint.name} failed, timed out or was aborted: its window has no report. The execution's history names the step; start an execution with {"endpoint", "start", "end"} to run the window again.`,
      metric: new MathExpression({
        expression: 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ period: Duration.hours(1) }),
          timedOut: this.stateMachine.metricTimedOut({ period: Duration.hours(1) }),
          aborted: this.stateMachine.metricAborted({ period: Duration.hours(1) }),
        },
        period: Duration.hours(1),
        label: 'executions failed, timed out or aborted',
      }),
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      notifyOk: false,
    });
  }

  private grantAccess(props: FanOutProps, reportKeys: string, fanOutKeys: string): void {
    const { endpoint } = props;
    const bucket = props.reportsBucket;
    const captureKeys = joinKey(endpoint.capture.prefix, endpoint.name);
    const grant = (fn: IFunction, statement: PolicyStatement, what?: string) => {
      fn.addToRolePolicy(statement);
      if (what)
        acknowledgePrefixWildcards(
          fn.role!,
          statement,
          `${what}; the trailing /* stands for the keys below the prefix, unknown in advance.`,
        );
    };
    const fanOutObjects = (actions: string[]) =>
      new PolicyStatement({ actions, resources: [bucket.arnForObjects(`${fanOutKeys}/*`)] });
    const fanOutList = new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [bucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${fanOutKeys}/*`] } },
    });

    // The plan writes the manifest.
    grant(
      props.monitorFunction,
      fanOutObjects(['s3:PutObject']),
      `Writes only the fan-out manifests of endpoint ${endpoint.name}, under its fan-out prefix`,
    );

    // Workers: the capture objects of the batch, the baseline, and their partial profiles. The
    // listings let a deleted object read as missing (404) rather than forbidden (403).
    const worker = this.workerFunction;
    grant(
      worker,
      readObjects(endpoint.capture.bucket, captureKeys),
      `Reads only the capture of endpoint ${endpoint.name}, under its capture prefix`,
    );
    grant(worker, listPrefix(endpoint.capture.bucket, captureKeys));
    grant(
      worker,
      readObjects(endpoint.baseline.bucket, endpoint.baseline.prefix),
      `Reads only the baseline of endpoint ${endpoint.name}, under its baseline prefix`,
    );
    grant(worker, listPrefix(endpoint.baseline.bucket, endpoint.baseline.prefix));
    grant(
      worker,
      fanOutObjects(['s3:PutObject', 's3:GetObject']),
      `Writes the partial profiles, and writes and reads the quality partitions, of endpoint ${endpoint.name} only, under its fan-out prefix`,
    );
    // The Join step lists a partition's prediction and label files.
    grant(worker, fanOutList);
    if (endpoint.groundTruth) {
      // Label items: each worker reads the label files the plan gave it, under the label prefix.
      grant(
        worker,
        readObjects(endpoint.groundTruth.bucket, endpoint.groundTruth.prefix),
        `Reads only the ground-truth labels of endpoint ${endpoint.name}, under its label prefix`,
      );
      grant(worker, listPrefix(endpoint.groundTruth.bucket, endpoint.groundTruth.prefix));
    }

    // The reducer: the partials, the baseline, and what the monitor publishes with.
    const reduce = this.reduceFunction;
    grant(
      reduce,
      fanOutObjects(['s3:GetObject']),
      `Reads only the partial profiles of endpoint ${endpoint.name}, under its fan-out prefix`,
    );
    grant(reduce, fanOutList);
    grant(
      reduce,
      readObjects(endpoint.baseline.bucket, endpoint.baseline.prefix),
      `Reads only the baseline of endpoint ${endpoint.name}, under its baseline prefix`,
    );
    grant(reduce, listPrefix(endpoint.baseline.bucket, endpoint.baseline.prefix));
    grantPublishWindow(reduce, {
      endpoint,
      reportsBucket: bucket,
      reportKeys,
      reportsPrefix: props.reportsPrefix ?? '',
      namespaces: props.namespaces,
      topic: props.topic,
    });

    // Both load the run's quality plan, whose bias configuration may be a deployed one.
    grantReadBiasConfig(worker, endpoint);
    grantReadBiasConfig(reduce, endpoint);
    // Workers keep the rows to explain (they read the configuration); the reducer explains them.
    grantExplainWindows(worker, endpoint, { invoke: false });
    grantExplainWindows(reduce, endpoint, { invoke: true });

    // SSE-KMS objects: workers read capture and baseline and write partials; the reducer reads
    // partials and the baseline and writes reports.
    grantObjectKeys(worker, [
      { keyArn: endpoint.capture.kmsKeyArn, use: 'read' },
      { keyArn: endpoint.baseline.kmsKeyArn, use: 'read' },
      { keyArn: endpoint.groundTruth?.kmsKeyArn, use: 'read' },
      { keyArn: props.reportsKmsKeyArn, use: 'readWrite' },
    ]);
    grantObjectKeys(reduce, [
      { keyArn: endpoint.baseline.kmsKeyArn, use: 'read' },
      { keyArn: props.reportsKmsKeyArn, use: 'readWrite' },
    ]);
  }

  /**
   * CDK grants a Distributed Map's state machine what it needs to run child executions of
   * itself: StartExecution on itself, Describe/StopExecution and RedriveExecution on its own
   * executions (`stateMachine:NAME/*`, `execution:NAME/LABEL:*`), which are named at run time.
   */
  private acknowledgeDistributedMapGrants(): void {
    const policy = this.stateMachine.node.tryFindChild('DistributedMapPolicy');
    if (!(policy instanceof Policy)) return;
    for (const statement of policy.document.toJSON().Statement as { Resource: unknown }[])
      acknowledgePrefixWildcards(
        policy,
        PolicyStatement.fromJson({ ...statement, Action: 'states:DescribeExecution' }),
        "The Distributed Map runs its batches as child executions of this state machine: Describe, Stop and Redrive of its own executions, named at run time, are what Step Functions needs, and CDK scopes them to this state machine's executions.",
      );
  }
}

/** Custom Task state invoking `fn` by its ARN: a request-response `lambda:invoke` with retries. */
function lambdaTask(
  scope: Construct,
  id: string,
  fn: IFunction,
  fields: { payload: Record<string, unknown>; resultSelector: Record<string, unknown> },
): CustomState {
  return new CustomState(scope, id, {
    stateJson: {
      Type: 'Task',
      Resource: `arn:${Stack.of(scope).partition}:states:::lambda:invoke`,
      Parameters: { FunctionName: fn.functionArn, ...fields.payload },
      ResultSelector: fields.resultSelector,
      Retry: [
        {
          // Lambda's own transient failures, as LambdaInvoke retries them.
          ErrorEquals: [
            'Lambda.ClientExecutionTimeoutException',
            'Lambda.ServiceException',
            'Lambda.AWSLambdaException',
            'Lambda.SdkClientException',
            'Lambda.TooManyRequestsException',
          ],
          IntervalSeconds: 2,
          MaxAttempts: 6,
          BackoffRate: 2,
        },
        {
          // The function's own failures (an S3 read that kept failing): every step is idempotent.
          ErrorEquals: ['States.TaskFailed'],
          IntervalSeconds: 30,
          MaxAttempts: 2,
          BackoffRate: 2,
        },
      ],
    },
  });
}

/** A child execution's input, like any state's payload, is at most 256 KiB. */
const MAX_BATCH_BYTES = 256 * 1024;

/** An inline Map runs at most 40 iterations at once (Step Functions, "Map state in Inline mode"). */
const MAX_INLINE_MAP_CONCURRENCY = 40;

/** The folder under `[PREFIX/]fan-out/ENDPOINT/SCHEDULE/` the Distributed Map writes its results to. */
/** The profile worker's memory in MB unless `workerMemorySize` says otherwise. */
export const DEFAULT_WORKER_MEMORY_MB = 2048;

export const MAP_RESULTS_FOLDER = 'map-results';

/**
 * A ResultWriter whose grant is the prefix it writes under, not the whole bucket (CDK's grants
 * `BUCKET/*`). The actions are the ones Step Functions documents for ResultWriter.
 */
class PrefixResultWriter extends ResultWriterV2 {
  private readonly objects: string;

  constructor(props: { bucket: IBucket; prefix: string }) {
    super(props);
    this.objects = props.bucket.arnForObjects(`${props.prefix}/*`);
  }

  override providePolicyStatements(): PolicyStatement[] {
    return [
      new PolicyStatement({
        actions: ['s3:PutObject', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:AbortMultipartUpload'],
        resources: [this.objects],
      }),
    ];
  }
}

/** The top-level stack `scope` is deployed in (its own stack, or the parent of its nested stack). */
function rootStack(scope: Construct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return stack;
}

/** `[PREFIX/]fan-out/ENDPOINT/SCHEDULE`: the manifests and partials of an endpoint's runs (functions/pipeline/fan-out.ts). */
export function fanOutKeyPrefix(reportsPrefix: string, endpoint: EndpointConfig): string {
  return joinKey(reportsPrefix, fanOutFolder(endpoint.name, endpoint.scheduleName).replace(/\/$/, ''));
}
