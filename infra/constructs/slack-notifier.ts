import { Arn, ArnFormat, Aws, Duration, Stack } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { SlackNotifierConfig } from '../../functions/contracts/slack-notifier-config.ts';
import { acknowledgePrefixWildcards } from '../iam-acknowledgements.ts';
import { grantObjectKeys } from '../kms-grants.ts';
import { AlarmFactory } from './alarm-factory.ts';
import { DriftwatchFunction } from './driftwatch-function.ts';

/** Properties of a {@link SlackNotifier}. */
export interface SlackNotifierProps {
  /** The endpoint whose topic is posted. */
  readonly endpointName: string;
  /** The endpoint's schedule name (a segment of its report paths). */
  readonly scheduleName: string;
  /** Absolute path of the notifier handler's entry file (`functions/handlers/slack-notifier.ts`). */
  readonly entry: string;
  /** The endpoint's topic of alarm transitions, window summaries and retraining notices. */
  readonly topic: ITopic;
  /**
   * The Secrets Manager secret whose value is the webhook URL: its name, or its complete ARN (with
   * the six characters Secrets Manager appends). The function may read exactly this secret.
   */
  readonly webhookSecret: string;
  /**
   * The customer managed key that encrypts the secret; the function may decrypt with it only
   * through Secrets Manager.
   * @default - none: the secret uses the AWS managed key, which needs no grant
   */
  readonly webhookSecretKmsKeyArn?: string;
  /** The URL of the endpoint's CloudWatch dashboard, linked from every message. */
  readonly dashboardUrl: string;
  /** The bucket the window reports are in; the function reads the endpoint's report.json files. */
  readonly reportsBucket: IBucket;
  /** The key prefix of the endpoint's reports, `[PREFIX/]reports/ENDPOINT/SCHEDULE`. */
  readonly reportKeys: string;
  /**
   * Key prefix before `reports/`, without slashes.
   * @default "" (the bucket root)
   */
  readonly reportsPrefix?: string;
  /**
   * The customer managed key of the reports bucket's SSE-KMS encryption; the function may decrypt
   * with it only through S3.
   * @default none (no key to grant)
   */
  readonly reportsKmsKeyArn?: string;
  /**
   * Timeout of the function: room for the retries (up to five attempts of 10 s, with waits of up to 20 s).
   * @default Duration.minutes(3)
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
 * Posts an endpoint's alarm transitions, window summaries and retraining notices to a Slack
 * incoming webhook: a function subscribed to the topic, allowed to read exactly one secret (the
 * webhook URL, which is never in its environment) and the endpoint's reports, and an alarm on its
 * errors (a message Slack did not take after the retries), which goes to the topic's emails.
 */
export class SlackNotifier extends Construct {
  readonly function: DriftwatchFunction;
  /** `driftwatch-ENDPOINT-slack-notifier-errors`. */
  readonly errorsAlarm: IAlarm;

  constructor(scope: Construct, id: string, props: SlackNotifierProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const runtimeConfig: SlackNotifierConfig = {
      endpoint: props.endpointName,
      scheduleName: props.scheduleName,
      webhookSecretId: props.webhookSecret,
      dashboardUrl: props.dashboardUrl,
      reportsBucket: props.reportsBucket.bucketName,
      reportsPrefix: props.reportsPrefix ?? '',
    };
    this.function = new DriftwatchFunction(this, 'Function', {
      entry: props.entry,
      description: `driftwatch: posts the alarms and summaries of ${props.endpointName} to Slack`,
      environment: { SLACK_NOTIFIER_CONFIG: stack.toJsonString(runtimeConfig) },
      timeout: props.timeout ?? Duration.minutes(3),
      memorySize: props.memorySize ?? 256,
      ...(props.logRetention !== undefined ? { logRetention: props.logRetention } : {}),
    });
    props.topic.addSubscription(new LambdaSubscription(this.function));

    this.function.addToRolePolicy(
      new PolicyStatement({
        actions: ['secretsmanager:GetSecretValue'],
        resources: [secretArn(stack, props.webhookSecret)],
      }),
    );
    if (props.webhookSecretKmsKeyArn)
      this.function.addToRolePolicy(
        new PolicyStatement({
          actions: ['kms:Decrypt'],
          resources: [props.webhookSecretKmsKeyArn],
          conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com` } },
        }),
      );
    const reports = new PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [props.reportsBucket.arnForObjects(`${props.reportKeys}/*`)],
    });
    this.function.addToRolePolicy(reports);
    acknowledgePrefixWildcards(
      this.function.role!,
      reports,
      `Reads only the report.json files of endpoint ${props.endpointName}, under its reports prefix; the trailing /* stands for the hourly report folders, unknown in advance.`,
    );
    grantObjectKeys(this.function, [{ keyArn: props.reportsKmsKeyArn, use: 'read' }]);

    const alarms = new AlarmFactory(this, { endpointName: props.endpointName, topic: props.topic });
    this.errorsAlarm = alarms.addFunctionErrorsAlarm('ErrorsAlarm', this.function, {
      nameSuffix: 'slack-notifier-errors',
      alarmDescription: `${props.endpointName}: a message could not be posted to Slack after the retries (Slack down or rate limiting, the webhook revoked, or the secret unreadable); the notifier's log group has the error. The message itself still reached this topic's emails.`,
    });
  }
}

/**
 * The ARN of exactly one secret: a complete ARN as given, or for a name, the name followed by
 * `-??????` (the six random characters Secrets Manager appends; `?` matches one character, so no
 * other secret matches).
 */
function secretArn(stack: Stack, secret: string): string {
  if (secret.startsWith('arn:')) return secret;
  return Arn.format(
    {
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${secret}-??????`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}
