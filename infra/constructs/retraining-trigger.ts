import { Arn, Duration, Stack } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { RetrainingRuntimeConfig } from '../../functions/contracts/retraining-config.ts';
import { acknowledgePrefixWildcards } from '../iam-acknowledgements.ts';
import { grantObjectKeys } from '../kms-grants.ts';
import { AlarmFactory } from './alarm-factory.ts';
import { grantTopicPublish } from './alarm-topic.ts';
import { DriftwatchFunction } from './driftwatch-function.ts';

/** Properties of a {@link RetrainingTrigger}. */
export interface RetrainingTriggerProps {
  /** Absolute path of the retraining handler's entry file (`functions/handlers/retraining.ts`). */
  readonly entry: string;
  /**
   * What the function is told (`RETRAINING_CONFIG`): the endpoint, triggers, cooldown, dry run,
   * and the pipeline or training job to start. Its `stateUri` must lie in `stateBucket` under
   * `stateKeys`, and its topic must be `topic`.
   */
  readonly runtimeConfig: RetrainingRuntimeConfig;
  /** The endpoint's topic: the function is subscribed to it and publishes its notices to it. */
  readonly topic: ITopic;
  /** The key that encrypts the topic. */
  readonly topicKey: IKey;
  /** The bucket holding the durable state (cooldown, window claims). */
  readonly stateBucket: IBucket;
  /** The key prefix of the state, without slashes; the function reads and writes only below it. */
  readonly stateKeys: string;
  /**
   * The customer managed key of the state bucket's SSE-KMS encryption (the reports bucket's); the
   * function may use it only through S3.
   * @default none (no key to grant)
   */
  readonly stateKmsKeyArn?: string;
  /**
   * Timeout of the function.
   * @default Duration.minutes(1)
   */
  readonly timeout?: Duration;
  /**
   * Memory of the function in MB.
   * @default 256
   */
  readonly memorySize?: number;
  /**
   * Retention of the function's logs.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * Starts a retraining of an endpoint's model when its topic says so: a function subscribed to the
 * topic that may start exactly the configured pipeline, or describe exactly the source training
 * job and create jobs named with the configured prefix, passing exactly the configured role to
 * SageMaker. It keeps its cooldown and window claims under one state prefix, publishes its notices
 * to the topic, and its errors are alarmed.
 */
export class RetrainingTrigger extends Construct {
  readonly function: DriftwatchFunction;
  /** `driftwatch-ENDPOINT-retraining-errors`. */
  readonly errorsAlarm: IAlarm;

  constructor(scope: Construct, id: string, props: RetrainingTriggerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const config = props.runtimeConfig;
    this.function = new DriftwatchFunction(this, 'Function', {
      entry: props.entry,
      description: `driftwatch: starts a retraining of ${config.endpoint} on drift${config.dryRun ? ' (dry run: only notifies)' : ''}`,
      environment: { RETRAINING_CONFIG: stack.toJsonString(config) },
      timeout: props.timeout ?? Duration.minutes(1),
      memorySize: props.memorySize ?? 256,
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
    });
    props.topic.addSubscription(new LambdaSubscription(this.function));
    const role = this.function.role!;

    const state = new PolicyStatement({
      actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
      resources: [props.stateBucket.arnForObjects(`${props.stateKeys}/*`)],
    });
    this.function.addToRolePolicy(state);
    // A dry run may write nothing, so it learns whether its claim or last start exists by listing
    // (without s3:ListBucket, S3 answers a GET of a missing key with 403, not 404): only the state prefix.
    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['s3:ListBucket'],
        resources: [props.stateBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': [`${props.stateKeys}/*`] } },
      }),
    );
    acknowledgePrefixWildcards(
      role,
      state,
      `Reads and writes only the retraining state of endpoint ${config.endpoint} (cooldown and one claim per window), under its state prefix; the trailing /* stands for the window claims, unknown in advance.`,
    );
    grantObjectKeys(this.function, [{ keyArn: props.stateKmsKeyArn, use: 'readWrite' }]);
    grantTopicPublish(this.function, props.topic, props.topicKey);

    const sagemaker = (resource: string, resourceName: string) =>
      Arn.format({ service: 'sagemaker', resource, resourceName }, stack);
    const action = config.action;
    if (action.kind === 'pipeline') {
      // SageMaker lowercases names in the ARNs it authorizes; both spellings are exactly this pipeline.
      const names = [...new Set([action.pipelineName.toLowerCase(), action.pipelineName])];
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['sagemaker:StartPipelineExecution'],
          resources: names.map((name) => sagemaker('pipeline', name)),
        }),
      );
    } else {
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['sagemaker:DescribeTrainingJob'],
          resources: [sagemaker('training-job', action.sourceJobName.toLowerCase())],
        }),
      );
      const create = new PolicyStatement({
        actions: ['sagemaker:CreateTrainingJob'],
        resources: [sagemaker('training-job', `${action.jobNamePrefix.toLowerCase()}-*`)],
      });
      this.function.addToRolePolicy(create);
      acknowledgePrefixWildcards(
        role,
        create,
        `Creates only training jobs whose names start with ${action.jobNamePrefix}-, the prefix of the endpoint's retraining jobs; the * stands for the window each job is named after.`,
      );
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['iam:PassRole'],
          resources: [action.roleArn],
          conditions: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
        }),
      );
    }

    const alarms = new AlarmFactory(this, { endpointName: config.endpoint, topic: props.topic });
    this.errorsAlarm = alarms.addFunctionErrorsAlarm('ErrorsAlarm', this.function, {
      nameSuffix: 'retraining-errors',
      alarmDescription: `${config.endpoint}: the retraining function failed (SageMaker refused the start, or S3 or SNS failed); its log group has the error. A failed start is given back, so Lambda's retries try it again.`,
    });
  }
}
