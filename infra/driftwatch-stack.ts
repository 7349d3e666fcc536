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
import type { EndpointMonitor } from './constructs/endpoint-monitor.ts';
import { EndpointStack } from './constructs/endpoint-stack.ts';
import { HistoryTables } from './constructs/history-tables.ts';
import { reportsKmsKeyArn } from './kms-grants.ts';

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
 * The driftwatch deployment: the reports bucket (created or imported) and the key that encrypts
 * the alarm topics, which every endpoint shares, and one nested {@link EndpointStack} per
 * configured endpoint holding its {@link EndpointMonitor} and drift actions. CloudFormation's
 * 500-resource limit counts per stack, so it bounds one endpoint's resources, not the deployment's.
 */
export class DriftwatchStack extends Stack {
  readonly reportsBucket: IBucket;
  readonly topicKey: Key;
  /** One nested stack per endpoint, in config order. */
  readonly endpointStacks: readonly EndpointStack[];
  /** Each endpoint's monitor (the `monitor` of its nested stack), in config order. */
  readonly monitors: readonly EndpointMonitor[];
  /** The Glue tables and Athena workgroup over the history; absent with `"history": false`. */
  readonly history: HistoryTables | undefined;

  constructor(scope: Construct, id: string, props: DriftwatchStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.reportsBucket = this.createOrImportReportsBucket(config.reportsBucket);
    this.topicKey = this.createTopicKey();
    // In the parent stack, beside the bucket: one database over every endpoint's history.
    this.history =
      config.history === false
        ? undefined
        : new HistoryTables(this, 'History', {
            reportsBucket: this.reportsBucket,
            reportsPrefix: config.reportsBucket.prefix,
            reportsKmsKeyArn: reportsKmsKeyArn(config),
            endpoints: config.endpoints.map((e) => e.name),
            schedules: config.endpoints.map((e) => e.scheduleName),
            databaseName: config.history.database,
            workgroupName: config.history.workgroup,
            firstDay: config.history.firstDay,
            resultsExpiration: Duration.days(config.history.resultsExpirationDays),
          });

    this.endpointStacks = config.endpoints.map(
      (endpoint) =>
        new EndpointStack(this, `Endpoint-${endpoint.name}`, {
          config,
          endpoint,
          reportsBucket: this.reportsBucket,
          topicKey: this.topicKey,
          ...(props.monitorEntry !== undefined ? { monitorEntry: props.monitorEntry } : {}),
        }),
    );
    this.monitors = this.endpointStacks.map((nested) => nested.monitor);

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
