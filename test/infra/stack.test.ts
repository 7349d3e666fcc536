import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { windowsOfEvent } from '../../functions/pipeline/monitor-run.ts';
import { SCHEDULED_EVENT } from '../../infra/constructs/endpoint-monitor.ts';
import { DRIFTWATCH_METRICS } from '../../infra/metric-names.ts';
import { buildMonitorRuntimeConfig } from '../../infra/monitor-runtime-config.ts';
import { buildStack, renderTokens, resourcesOf, TEST_CONFIG_JSON, testConfig } from './stack-fixtures.ts';

const { template } = buildStack();
const DATA_NS = 'aws/sagemaker/Endpoints/data-metrics';
const MODEL_NS = 'aws/sagemaker/Endpoints/model-metrics';
const MONITOR_DIMENSIONS = [
  { Name: 'Endpoint', Value: 'churn-endpoint' },
  { Name: 'MonitoringSchedule', Value: 'driftwatch-hourly' },
];

function alarmNamed(suffix: string): Record<string, unknown> {
  const name = `driftwatch-churn-endpoint-${suffix}`;
  const found = resourcesOf(template, 'AWS::CloudWatch::Alarm').find(([, p]) => p.AlarmName === name);
  if (!found) throw new Error(`no alarm ${name}`);
  return found[1];
}

function logicalId(type: string, pathPart: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(pathPart));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${pathPart}, found ${ids.join(', ')}`);
  return ids[0]!;
}

describe('monitor function', () => {
  it('runs on Node.js 24 on arm64 with the house defaults', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 1024,
      Timeout: 300,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: logicalId('AWS::Logs::LogGroup', 'MonitorFunctionLogGroup') } },
      Environment: { Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps' }) },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete' });
  });

  it('receives its endpoint as MONITOR_CONFIG JSON with the deployed bucket and topic', () => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function')[0]!;
    const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;

    const monitorConfig = JSON.parse(renderTokens(variables.MONITOR_CONFIG));

    expect(monitorConfig).toEqual({
      endpoint: 'churn-endpoint',
      variants: ['AllTraffic', 'Shadow'],
      scheduleName: 'driftwatch-hourly',
      captureUri: 's3://capture-bucket/datacapture',
      baselineUri: 's3://baseline-bucket/baselines/churn',
      groundTruthUri: 's3://labels-bucket/ground-truth',
      problemType: 'BinaryClassification',
      probabilityThreshold: 0.4,
      reportsBucket: `<${logicalId('AWS::S3::Bucket', 'ReportsBucket')}>`,
      reportsPrefix: '',
      dataMetricsNamespace: DATA_NS,
      modelMetricsNamespace: MODEL_NS,
      topicArn: `<${logicalId('AWS::SNS::Topic', 'churnendpoint')}>`,
      datasetDriftShare: 0.5,
      featureThresholds: { income: 0.25, tenure: 0.3 },
      // The monitor function's memory (MemorySize 1024, no fan-out): the profile limits derive from it.
      profileMemoryMb: 1024,
    });
    expect(fn.MemorySize).toBe(1024);
  });

  it('sends runs that fail after two retries to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 6 * 3600,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'DeadLetterQueue'), 'Arn'] },
        },
      },
    });
  });
});

describe('schedule', () => {
  it('invokes the monitor ten minutes after every hour, with a DLQ and retries', () => {
    template.resourceCountIs('AWS::Scheduler::Schedule', 1);
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(10 * * * ? *)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: { 'Fn::GetAtt': [logicalId('AWS::Lambda::Function', 'MonitorFunction'), 'Arn'] },
        Input: '{"detail-type":"Scheduled Event","time":"<aws.scheduler.scheduled-time>"}',
        DeadLetterConfig: { Arn: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'DeadLetterQueue'), 'Arn'] } },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 6 * 3600 },
        RoleArn: { 'Fn::GetAtt': [logicalId('AWS::IAM::Role', 'ScheduleRole'), 'Arn'] },
      },
    });
  });

  it('sends a payload the monitor reads as the hour before the scheduled time, however late it runs', () => {
    const config = buildMonitorRuntimeConfig(testConfig().endpoints[0]!, {
      dataMetricsNamespace: DATA_NS,
      modelMetricsNamespace: MODEL_NS,
      reportsBucketName: 'reports',
      reportsPrefix: '',
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
      profileMemoryMb: 1024,
    });
    // What Scheduler delivers for the 05:10 run, retried at 07:30.
    const delivered = JSON.parse(
      SCHEDULED_EVENT.replace('<aws.scheduler.scheduled-time>', '2026-11-26T05:10:00Z'),
    );

    const windows = windowsOfEvent(delivered, config, new Date('2026-11-26T07:30:00Z'));

    expect(windows.map((ms) => new Date(ms).toISOString())).toEqual(['2026-11-26T04:00:00.000Z']);
  });
});

describe('alarms on the monitor metrics', () => {
  it('alarms per listed feature on drift above its threshold, per-feature overrides winning', () => {
    expect(alarmNamed('feature-drift-age')).toMatchObject({
      Namespace: DATA_NS,
      MetricName: DRIFTWATCH_METRICS.featureBaselineDrift('age'),
      Dimensions: MONITOR_DIMENSIONS,
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 0.1,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(alarmNamed('feature-drift-income')).toMatchObject({
      MetricName: 'feature_baseline_drift_income',
      Threshold: 0.25,
    });
    // "tenure" has a threshold but is not listed: no alarm of its own.
    expect(() => alarmNamed('feature-drift-tenure')).toThrow();
  });

  it('alarms on completeness, dataset drift share and violations', () => {
    expect(alarmNamed('feature-completeness-age')).toMatchObject({
      MetricName: 'feature_non_null_age',
      Threshold: 0.95,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'notBreaching',
    });
    expect(alarmNamed('dataset-drift')).toMatchObject({
      MetricName: 'dataset_drift_share',
      Dimensions: MONITOR_DIMENSIONS,
      Threshold: 0.5,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarmNamed('violations')).toMatchObject({
      MetricName: 'violations',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
  });

  it('alarms on quality metrics and quality violations in the model namespace, each in the direction that makes it bad', () => {
    expect(alarmNamed('quality-auc')).toMatchObject({
      Namespace: MODEL_NS,
      MetricName: 'auc',
      Dimensions: MONITOR_DIMENSIONS,
      Threshold: 0.8,
      ComparisonOperator: 'LessThanThreshold',
    });
    expect(alarmNamed('quality-violations')).toMatchObject({
      Namespace: MODEL_NS,
      MetricName: 'violations',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarmNamed('quality-false_positive_rate')).toMatchObject({
      Threshold: 0.2,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 6,
      DatapointsToAlarm: 2,
    });
  });

  it('pages when no capture data was profiled, missing data breaching', () => {
    expect(alarmNamed('no-capture-data')).toMatchObject({
      Namespace: DATA_NS,
      MetricName: 'records_profiled',
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 4,
      DatapointsToAlarm: 4,
      TreatMissingData: 'breaching',
    });
  });
});

describe('alarms on endpoint health, per variant', () => {
  it.each(['AllTraffic', 'Shadow'])(
    'alarms on SageMaker latency, invocations and errors of %s',
    (variant) => {
      const dimensions = [
        { Name: 'EndpointName', Value: 'churn-endpoint' },
        { Name: 'VariantName', Value: variant },
      ];
      // SageMaker documents Average, Sum, Min, Max and Sample Count for its latency metrics, no
      // percentiles: the alarms use the Average (Statistic), never an ExtendedStatistic.
      const modelLatency = alarmNamed(`${variant}-model-latency`);
      expect(modelLatency).toMatchObject({
        Namespace: 'AWS/SageMaker',
        MetricName: 'ModelLatency',
        Dimensions: dimensions,
        Statistic: 'Average',
        Period: 300,
        Threshold: 500000,
        ComparisonOperator: 'GreaterThanThreshold',
      });
      expect(modelLatency).not.toHaveProperty('ExtendedStatistic');
      const overheadLatency = alarmNamed(`${variant}-overhead-latency`);
      expect(overheadLatency).toMatchObject({
        MetricName: 'OverheadLatency',
        Statistic: 'Average',
        Threshold: 100000,
      });
      expect(overheadLatency).not.toHaveProperty('ExtendedStatistic');
      expect(alarmNamed(`${variant}-invocations-low`)).toMatchObject({
        MetricName: 'Invocations',
        Statistic: 'Sum',
        Period: 3600,
        Threshold: 100,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
      });
      expect(alarmNamed(`${variant}-4xx-errors`)).toMatchObject({
        MetricName: 'Invocation4XXErrors',
        Threshold: 10,
      });
      expect(alarmNamed(`${variant}-5xx-errors`)).toMatchObject({
        MetricName: 'Invocation5XXErrors',
        Threshold: 1,
        DatapointsToAlarm: 2,
      });
      expect(alarmNamed(`${variant}-memory`)).toMatchObject({
        Namespace: '/aws/sagemaker/Endpoints',
        MetricName: 'MemoryUtilization',
        Dimensions: dimensions,
        Threshold: 85,
      });
      expect(alarmNamed(`${variant}-disk`)).toMatchObject({ MetricName: 'DiskUtilization', Threshold: 85 });
      // CPU is summed over vCPUs, so it has no default threshold: off unless configured.
      expect(() => alarmNamed(`${variant}-cpu`)).toThrow();
    },
  );

  it('alarms on CPU when a threshold is configured, and leaves out disabled alarms', () => {
    const json = structuredClone(TEST_CONFIG_JSON);
    Object.assign(json.endpoints[0]!, {
      variants: ['AllTraffic'],
      alarms: { featureDrift: false, health: { cpuUtilization: 320, diskUtilization: false } },
    });
    const alarms = resourcesOf(buildStack(testConfig(json)).template, 'AWS::CloudWatch::Alarm').map(
      ([, p]) => p,
    );
    const names = alarms.map((p) => p.AlarmName);

    expect(alarms.find((p) => p.AlarmName === 'driftwatch-churn-endpoint-AllTraffic-cpu')).toMatchObject({
      Namespace: '/aws/sagemaker/Endpoints',
      MetricName: 'CPUUtilization',
      Threshold: 320,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(names).not.toContain('driftwatch-churn-endpoint-AllTraffic-disk');
    expect(names.filter((n) => String(n).includes('feature-drift'))).toEqual([]);
  });
});

describe('alarms on the monitor itself', () => {
  it('alarms on the function errors, throttles and a p99 duration near the timeout', () => {
    const fnName = {
      Name: 'FunctionName',
      Value: { Ref: logicalId('AWS::Lambda::Function', 'MonitorFunction') },
    };
    expect(alarmNamed('monitor-errors')).toMatchObject({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [fnName],
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    });
    expect(alarmNamed('monitor-throttles')).toMatchObject({ MetricName: 'Throttles', Threshold: 1 });
    expect(alarmNamed('monitor-duration')).toMatchObject({
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 240_000,
    });
  });

  it('alarms as soon as the dead-letter queue holds a message', () => {
    expect(alarmNamed('monitor-dead-letters')).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalId('AWS::SQS::Queue', 'DeadLetterQueue'), 'QueueName'] },
        },
      ],
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
    });
  });

  it('alarms when a run leaves a window incomplete near its deadline (windows_incomplete, data namespace)', () => {
    expect(alarmNamed('monitor-incomplete')).toMatchObject({
      Namespace: DATA_NS,
      MetricName: 'windows_incomplete',
      Dimensions: MONITOR_DIMENSIONS,
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(String(alarmNamed('monitor-incomplete').AlarmDescription)).toContain(
      'resend them by invoking the function with {"endpoint", "start", "end"}',
    );
  });

  it('sends every alarm and OK transition to the endpoint topic', () => {
    const topic = { Ref: logicalId('AWS::SNS::Topic', 'churnendpoint') };
    const alarms = resourcesOf(template, 'AWS::CloudWatch::Alarm');

    // With the multivariate alarm, on for every endpoint unless turned off.
    expect(alarms).toHaveLength(30);
    for (const [, alarm] of alarms) {
      expect(alarm.AlarmActions).toEqual([topic]);
      expect(alarm.OKActions).toEqual([topic]);
      expect(String(alarm.AlarmName)).toMatch(/^driftwatch-churn-endpoint-/);
    }
  });
});

describe('dead-letter queue', () => {
  it('is encrypted, keeps messages 14 days and refuses requests without TLS', () => {
    const queue = logicalId('AWS::SQS::Queue', 'DeadLetterQueue');
    template.hasResourceProperties('AWS::SQS::Queue', {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [{ Ref: queue }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sqs:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });
});

describe('topic and key', () => {
  it('encrypts the topic with the stack key and allows publishing over TLS only', () => {
    const topic = logicalId('AWS::SNS::Topic', 'churnendpoint');
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [logicalId('AWS::KMS::Key', 'TopicKey'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } }),
          }),
        ]),
      },
    });
  });

  it('rotates the key and lets CloudWatch alarms use it', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
          }),
        ]),
      },
    });
  });

  it('subscribes the global and the endpoint emails once each', () => {
    const emails = resourcesOf(template, 'AWS::SNS::Subscription').map(([, p]) => [p.Protocol, p.Endpoint]);

    expect(emails.sort()).toEqual([
      ['email', 'churn-team@example.com'],
      ['email', 'oncall@example.com'],
    ]);
  });
});

describe('reports bucket', () => {
  it('is encrypted, versioned, private, TLS only, logged, and expires old versions', () => {
    const reports = logicalId('AWS::S3::Bucket', 'ReportsBucket');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: logicalId('AWS::S3::Bucket', 'AccessLogsBucket') },
      },
      LifecycleConfiguration: {
        // Also the Athena results' expiry (test/infra/history-tables.test.ts).
        Rules: Match.arrayWith([
          Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
        ]),
      },
    });
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: reports },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('is imported, not created, when the config names an existing bucket', () => {
    const json = {
      ...structuredClone(TEST_CONFIG_JSON),
      reportsBucket: { existingBucketName: 'team-reports', prefix: 'ml' },
    };

    const imported = buildStack(testConfig(json)).template;

    imported.resourceCountIs('AWS::S3::Bucket', 0);
    const fn = resourcesOf(imported, 'AWS::Lambda::Function')[0]![1];
    const variables = (fn.Environment as { Variables: Record<string, unknown> }).Variables;
    expect(JSON.parse(renderTokens(variables.MONITOR_CONFIG))).toMatchObject({
      reportsBucket: 'team-reports',
      reportsPrefix: 'ml',
    });
  });
});

describe('dashboard', () => {
  const [, dashboard] = resourcesOf(template, 'AWS::CloudWatch::Dashboard')[0]!;
  const body = JSON.parse(renderTokens(dashboard.DashboardBody)) as {
    widgets: { type: string; properties: Record<string, unknown> }[];
  };
  const titled = (title: string) => body.widgets.find((w) => w.properties.title === title)?.properties;

  it('is named after the endpoint and opens on a week', () => {
    expect(dashboard.DashboardName).toBe('driftwatch-churn-endpoint');
    expect(body).toMatchObject({ start: '-P7D' });
  });

  it('draws drift per listed feature against its threshold', () => {
    expect(titled('Drift: age')).toMatchObject({
      metrics: [
        [
          DATA_NS,
          'feature_baseline_drift_age',
          'Endpoint',
          'churn-endpoint',
          'MonitoringSchedule',
          'driftwatch-hourly',
          { period: 3600, stat: 'Maximum' },
        ],
      ],
      annotations: { horizontal: [{ label: 'threshold 0.1', value: 0.1 }] },
    });
    expect(titled('Drift: income')).toMatchObject({ annotations: { horizontal: [{ value: 0.25 }] } });
    expect(titled('Dataset drift share')).toMatchObject({ annotations: { horizontal: [{ value: 0.5 }] } });
  });

  it('has quality, records, latency, invocations, errors, utilization and monitor widgets', () => {
    for (const title of [
      'Model quality (BinaryClassification)',
      'Records per window',
      'Constraint violations',
      'Completeness (non-null share)',
      'Latency, average and maximum (µs)',
      'Invocations',
      'Invocation errors',
      'CPU utilization (%, summed over vCPUs)',
      'Memory utilization (%)',
      'Monitor run cost (USD)',
      'Monitor failures',
    ]) {
      expect(titled(title), title).toBeDefined();
    }
    expect(JSON.stringify(titled('Records per window'))).toContain('records_rejected');
  });

  it('draws SageMaker latency as Average and Maximum, the statistics SageMaker documents, no percentile', () => {
    const latency = titled('Latency, average and maximum (µs)') as { metrics: unknown[][] };
    // A graph's metric without "stat" is drawn with the Average, CloudWatch's default.
    const stats = latency.metrics.map((m) => [m[1], m[5], (m.at(-1) as { stat?: string }).stat ?? 'Average']);

    expect(stats).toEqual(
      ['AllTraffic', 'Shadow'].flatMap((variant) => [
        ['ModelLatency', variant, 'Average'],
        ['ModelLatency', variant, 'Maximum'],
        ['OverheadLatency', variant, 'Average'],
        ['OverheadLatency', variant, 'Maximum'],
      ]),
    );
    expect(JSON.stringify(body)).not.toMatch(/"stat":"p\d/);
  });

  it('shows the state of every alarm of the endpoint', () => {
    const alarmWidget = body.widgets.find((w) => w.type === 'alarm');

    expect(alarmWidget?.properties.alarms).toHaveLength(30);
  });
});

describe('several endpoints', () => {
  it('gives each endpoint its own monitor and shares the key and reports bucket', () => {
    const json = structuredClone(TEST_CONFIG_JSON) as { endpoints: Record<string, unknown>[] };
    json.endpoints.push({
      name: 'fraud',
      captureUri: 's3://fraud-bucket/capture',
      baselineUri: 's3://fraud-bucket/base',
    });

    const both = buildStack(testConfig(json)).template;

    both.resourceCountIs('AWS::Lambda::Function', 2);
    both.resourceCountIs('AWS::Scheduler::Schedule', 2);
    both.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
    both.resourceCountIs('AWS::SNS::Topic', 2);
    both.resourceCountIs('AWS::KMS::Key', 1);
    both.resourceCountIs('AWS::S3::Bucket', 2);
    both.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'driftwatch-fraud' });
  });
});

describe('feature names are data', () => {
  it('thresholds features named constructor, toString and __proto__ by their own overrides, else the default', () => {
    const json = JSON.parse(JSON.stringify(TEST_CONFIG_JSON));
    json.endpoints[0].features = ['constructor', 'toString', '__proto__'];
    // From JSON text, as the config file is read: `__proto__` is an own key there.
    json.endpoints[0].featureThresholds = JSON.parse('{"constructor": 0.3, "__proto__": 0.4}');
    const built = buildStack(testConfig(json)).template;
    const threshold = (feature: string) =>
      resourcesOf(built, 'AWS::CloudWatch::Alarm').find(
        ([, p]) => p.AlarmName === `driftwatch-churn-endpoint-feature-drift-${feature}`,
      )?.[1].Threshold;

    expect(threshold('constructor')).toBe(0.3);
    expect(threshold('__proto__')).toBe(0.4);
    // No override of its own: the default, not Object.prototype.toString.
    expect(threshold('toString')).toBe(0.1);
  });
});
