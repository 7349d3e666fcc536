import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AccountRootPrincipal, PolicyDocument, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DriftwatchConfig, ReportsBucketConfig } from './config/index.ts';
import { EndpointMonitor } from './constructs/endpoint-monitor.ts';
import { addDriftActions } from './drift-actions.ts';
import { HANDLER_ENTRIES } from './handler-entries.ts';

/**
 * What the account's IAM principals may do with the topic key: administer it and use it for
 * encryption. Listed instead of `kms:*` so that no policy in the stack allows a wildcard action.
 */
const KEY_ACCOUNT_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:CreateGrant',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** Properties of a {@link DriftwatchStack}. */
export interface DriftwatchStackProps extends StackProps {
  /** The validated configuration (`loadConfigFile` / `parseConfig`). */
  readonly config: DriftwatchConfig;
  /**
   * Absolute path of the monitor handler's entry file.
   * @default functions/handlers/monitor.ts in this repository
   */
  readonly monitorEntry?: string;
}

/**
 * The driftwatch deployment: the reports bucket (created or imported), the key that encrypts the
 * alarm topics, and one {@link EndpointMonitor} per configured endpoint.
 */
export class DriftwatchStack extends Stack {
  readonly reportsBucket: IBucket;
  readonly topicKey: Key;
  readonly monitors: readonly EndpointMonitor[];

  constructor(scope: Construct, id: string, props: DriftwatchStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.reportsBucket = this.createOrImportReportsBucket(config.reportsBucket);
    this.topicKey = this.createTopicKey();

    this.monitors = config.endpoints.map(
      (endpoint) =>
        new EndpointMonitor(this, endpoint.name, {
          endpoint,
          monitorEntry: props.monitorEntry ?? HANDLER_ENTRIES.monitor,
          namespaces: { data: config.namespace, model: config.modelMetricsNamespace },
          reportsBucket: this.reportsBucket,
          reportsPrefix: config.reportsBucket.prefix,
          topicKey: this.topicKey,
          emails: [...new Set([...config.alarmEmails, ...endpoint.emails])],
        }),
    );
    // Slack and retraining, per endpoint, where configured (infra/drift-actions.ts).
    for (const [i, monitor] of this.monitors.entries())
      addDriftActions(monitor, {
        config,
        endpoint: config.endpoints[i]!,
        reportsBucket: this.reportsBucket,
        topicKey: this.topicKey,
      });

    new CfnOutput(this, 'ReportsBucketName', { value: this.reportsBucket.bucketName });
    for (const monitor of this.monitors) {
      const name = monitor.node.id;
      new CfnOutput(this, `${name}Dashboard`, {
        description: `CloudWatch dashboard of endpoint ${name}`,
        value: monitor.dashboardUrl,
      });
      new CfnOutput(this, `${name}MonitorFunction`, {
        description: `Monitor function of endpoint ${name}; invoke it with {"endpoint", "start", "end"} to backfill`,
        value: monitor.monitorFunction.functionName,
      });
      new CfnOutput(this, `${name}Topic`, {
        description: `SNS topic of endpoint ${name}'s alarms and summaries`,
        value: monitor.topic.topicArn,
      });
      if (monitor.fanOut)
        new CfnOutput(this, `${name}FanOutStateMachine`, {
          description: `Fan-out state machine of endpoint ${name}; start an execution with {"endpoint", "start", "end"} to backfill`,
          value: monitor.fanOut.stateMachine.stateMachineArn,
        });
    }
  }

  private createOrImportReportsBucket(config: ReportsBucketConfig): IBucket {
    if (config.kind === 'existing') return Bucket.fromBucketName(this, 'ReportsBucket', config.bucketName);

    const accessLogs = new Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // Server access logs can only be delivered to SSE-S3 buckets.
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [{ expiration: Duration.days(365) }],
      removalPolicy: RemovalPolicy.RETAIN,
    });
    // No access logs of its own: it is the log destination (cdk-nag's S1 knows and does not flag it).

    return new Bucket(this, 'ReportsBucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: BucketEncryption.S3_MANAGED,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'reports-bucket/',
      lifecycleRules: [
        // A re-run window overwrites its reports; keep the replaced versions three months.
        {
          noncurrentVersionExpiration: Duration.days(90),
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createTopicKey(): Key {
    return new Key(this, 'TopicKey', {
      description: 'Encrypts the driftwatch alarm topics',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.DESTROY,
      policy: new PolicyDocument({
        statements: [
          new PolicyStatement({
            sid: 'AccountPrincipalsUseAndAdministerThroughIam',
            principals: [new AccountRootPrincipal()],
            actions: KEY_ACCOUNT_ACTIONS,
            resources: ['*'],
          }),
          // CloudWatch alarms publish to an encrypted topic only if the key lets them.
          new PolicyStatement({
            sid: 'CloudWatchAlarmsPublishToEncryptedTopics',
            principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
            actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
            resources: ['*'],
          }),
        ],
      }),
    });
  }
}
