import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildStack, renderTokens, resourcesOf, TEST_CONFIG_JSON, testConfig } from './stack-fixtures.ts';

interface Statement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  Resource?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
  Principal?: unknown;
}

interface FoundStatement {
  /** `Type logicalId` of the resource holding the policy. */
  where: string;
  type: string;
  statement: Statement;
}

/** The few actions that have no resource-level permissions and may use `Resource: "*"`. */
const XRAY_ACTIONS = ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
const NAMESPACES = ['aws/sagemaker/Endpoints/data-metrics', 'aws/sagemaker/Endpoints/model-metrics'];

/** Every policy statement of the template: identity, trust, bucket, queue, topic and key policies. */
function allStatements(template: Template): FoundStatement[] {
  const found: FoundStatement[] = [];
  const add = (type: string, id: string, document: unknown) => {
    for (const statement of (document as { Statement: Statement[] }).Statement) {
      found.push({ where: `${type} ${id}`, type, statement });
    }
  };
  const documents: [string, string][] = [
    ['AWS::IAM::Policy', 'PolicyDocument'],
    ['AWS::IAM::ManagedPolicy', 'PolicyDocument'],
    ['AWS::IAM::Role', 'AssumeRolePolicyDocument'],
    ['AWS::S3::BucketPolicy', 'PolicyDocument'],
    ['AWS::SQS::QueuePolicy', 'PolicyDocument'],
    ['AWS::SNS::TopicPolicy', 'PolicyDocument'],
    ['AWS::KMS::Key', 'KeyPolicy'],
  ];
  for (const [type, property] of documents) {
    for (const [id, properties] of resourcesOf(template, type)) {
      if (properties[property]) add(type, id, properties[property]);
      for (const inline of (properties.Policies as { PolicyDocument: unknown }[] | undefined) ?? []) {
        add(type, id, inline.PolicyDocument);
      }
    }
  }
  return found;
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);
const resourcesOfStatement = (s: Statement) =>
  (Array.isArray(s.Resource) ? s.Resource : s.Resource === undefined ? [] : [s.Resource]).map(renderTokens);

/** The Allow statements of the monitor function's role policy granting `action`. */
function monitorGrants(template: Template, action: string): Statement[] {
  return allStatements(template)
    .filter((f) => f.type === 'AWS::IAM::Policy' && f.where.includes('MonitorFunctionRole'))
    .map((f) => f.statement)
    .filter((s) => s.Effect === 'Allow' && actionsOf(s).includes(action));
}

describe.each([
  ['a created reports bucket and quality monitoring', TEST_CONFIG_JSON],
  [
    'an existing reports bucket and no quality monitoring',
    {
      reportsBucket: { existingBucketName: 'team-reports', prefix: 'ml' },
      endpoints: [{ name: 'plain', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b' }],
    },
  ],
  [
    'Slack, pipeline retraining and training-job retraining',
    {
      slack: { webhookSecret: 'driftwatch/slack-webhook' },
      endpoints: [
        {
          name: 'churn',
          captureUri: 's3://cap-bucket/c',
          baselineUri: 's3://cap-bucket/b',
          retraining: { pipeline: { name: 'churn-retrain' } },
        },
        {
          name: 'fraud',
          captureUri: 's3://cap-bucket/c',
          baselineUri: 's3://cap-bucket/b',
          retraining: {
            trainingJob: {
              sourceJobName: 'fraud-v1',
              roleArn: 'arn:aws:iam::123456789012:role/SageMakerTraining',
            },
          },
        },
      ],
    },
  ],
])('every policy statement, with %s', (_, json) => {
  const { template } = buildStack(testConfig(json));
  const statements = allStatements(template);

  it('finds the statements to check', () => {
    expect(statements.length).toBeGreaterThan(10);
  });

  it('allows no wildcard action (Deny statements may: they only take away)', () => {
    const wildcards = statements
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ where, statement }) =>
        actionsOf(statement)
          .filter((a) => a.includes('*'))
          .map((a) => `${where}: ${a}`),
      );

    expect(wildcards).toEqual([]);
  });

  it('allows Resource "*" only for PutMetricData limited to the two namespaces (and Clarify\'s for a binary classifier with labels), X-Ray, and key policies', () => {
    const star = statements.filter(
      ({ statement }) => statement.Effect === 'Allow' && resourcesOfStatement(statement).includes('*'),
    );

    for (const { where, type, statement } of star) {
      const actions = actionsOf(statement);
      // In a key policy, "*" means the key the policy is attached to.
      if (type === 'AWS::KMS::Key') continue;
      if (actions.every((a) => XRAY_ACTIONS.includes(a))) continue;
      expect(actions, where).toEqual(['cloudwatch:PutMetricData']);
      // An endpoint monitoring a binary classifier's quality may publish its bias too.
      expect([
        { StringEquals: { 'cloudwatch:namespace': NAMESPACES } },
        { StringEquals: { 'cloudwatch:namespace': [...NAMESPACES, 'aws/sagemaker/Endpoints/bias-metrics'] } },
      ]).toContainEqual(statement.Condition);
    }
    expect(star.some(({ statement }) => actionsOf(statement).includes('cloudwatch:PutMetricData'))).toBe(
      true,
    );
  });

  it('attaches no managed policy to any role', () => {
    for (const [id, role] of resourcesOf(template, 'AWS::IAM::Role')) {
      expect(role.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('scopes every ListBucket to a key prefix', () => {
    const lists = monitorGrants(template, 's3:ListBucket');

    expect(lists.length).toBeGreaterThanOrEqual(3);
    for (const statement of lists) {
      expect(statement.Condition?.StringLike?.['s3:prefix']).toEqual([expect.stringMatching(/^[^*]+\/\*$/)]);
    }
  });
});

describe('the monitor function reads and writes only its own prefixes', () => {
  const { template } = buildStack();
  const resources = (action: string) => monitorGrants(template, action).flatMap(resourcesOfStatement).sort();

  it('reads capture, baseline and ground truth of its endpoint, and its reports', () => {
    expect(resources('s3:GetObject')).toEqual([
      '<ReportsBucket4E7C5994.Arn>/reports/churn-endpoint/driftwatch-hourly/*',
      'arn:<AWS::Partition>:s3:::baseline-bucket/baselines/churn/*',
      'arn:<AWS::Partition>:s3:::capture-bucket/datacapture/churn-endpoint/*',
      'arn:<AWS::Partition>:s3:::labels-bucket/ground-truth/*',
    ]);
  });

  it('writes only its reports prefix and its history folders (put only)', () => {
    expect(resources('s3:PutObject')).toEqual([
      '<ReportsBucket4E7C5994.Arn>/history/features/endpoint=churn-endpoint/schedule=driftwatch-hourly/*',
      '<ReportsBucket4E7C5994.Arn>/history/windows/endpoint=churn-endpoint/schedule=driftwatch-hourly/*',
      '<ReportsBucket4E7C5994.Arn>/reports/churn-endpoint/driftwatch-hourly/*',
    ]);
    expect(resources('s3:DeleteObject')).toEqual([]);
  });

  it('publishes only to its topic, only describes its endpoint in SageMaker, and may be invoked only by its schedule role', () => {
    const topic = Object.keys(template.findResources('AWS::SNS::Topic'))[0];
    expect(resources('sns:Publish')).toEqual([`<${topic}>`]);
    const sageMaker = allStatements(template)
      .filter(({ statement }) => actionsOf(statement).some((a) => a.startsWith('sagemaker:')))
      .map(({ where, statement }) => [
        where.includes('MonitorFunctionRole'),
        actionsOf(statement),
        resourcesOfStatement(statement),
      ]);
    const arn = 'arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>';
    expect(sageMaker).toEqual([
      [true, ['sagemaker:DescribeEndpoint'], [`${arn}:endpoint/churn-endpoint`]],
      [
        true,
        ['sagemaker:DescribeEndpointConfig', 'sagemaker:DescribeModel'],
        [`${arn}:endpoint-config/*`, `${arn}:model/*`],
      ],
    ]);
    const invoke = allStatements(template).filter(({ statement }) =>
      actionsOf(statement).includes('lambda:InvokeFunction'),
    );
    expect(invoke.map(({ statement }) => resourcesOfStatement(statement))).toEqual([
      [`<${Object.keys(template.findResources('AWS::Lambda::Function'))[0]}.Arn>`],
    ]);
  });
});
