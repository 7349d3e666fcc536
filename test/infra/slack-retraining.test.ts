import type { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../infra/config/index.ts';
import { buildStack, renderTokens, resourcesOf, TEST_CONFIG_JSON, testConfig } from './stack-fixtures.ts';

const ENDPOINT = TEST_CONFIG_JSON.endpoints[0]!;
const ARN = 'arn:<AWS::Partition>';
const SAGEMAKER = `${ARN}:sagemaker:<AWS::Region>:<AWS::AccountId>`;
const ROLE = 'arn:aws:iam::123456789012:role/SageMakerTraining';

/** The test config with `top` merged at the top and `endpoint` merged into its endpoint. */
function withActions(top: Record<string, unknown>, endpoint: Record<string, unknown> = {}) {
  return testConfig({ ...TEST_CONFIG_JSON, ...top, endpoints: [{ ...ENDPOINT, ...endpoint }] });
}

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** The statements of the role policy whose logical id contains `rolePart`, logs and X-Ray left out, tokens rendered. */
function roleStatements(template: Template, rolePart: string) {
  const policies = resourcesOf(template, 'AWS::IAM::Policy').filter(([id]) => id.includes(rolePart));
  expect(policies.map(([id]) => id)).toHaveLength(1);
  const statements = (policies[0]![1].PolicyDocument as { Statement: Statement[] }).Statement;
  return statements
    .filter((s) => ![s.Action].flat().some((a) => a.startsWith('logs:') || a.startsWith('xray:')))
    .map((s) => ({
      Effect: s.Effect,
      Action: s.Action,
      Resource: Array.isArray(s.Resource) ? s.Resource.map(renderTokens) : renderTokens(s.Resource),
      ...(s.Condition ? { Condition: s.Condition } : {}),
    }));
}

function functionEnvironment(template: Template, idPart: string): Record<string, unknown> {
  const fns = resourcesOf(template, 'AWS::Lambda::Function').filter(([id]) => id.includes(idPart));
  expect(fns).toHaveLength(1);
  return (fns[0]![1].Environment as { Variables: Record<string, unknown> }).Variables;
}

const logicalId = (template: Template, type: string, part: string) => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(part));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

describe('by default', () => {
  it('adds neither Slack nor retraining', () => {
    const { template } = buildStack();

    const ids = Object.keys(template.toJSON().Resources);
    expect(ids.filter((id) => /Slack|Retraining/.test(id))).toEqual([]);
    template.resourceCountIs('AWS::Chatbot::SlackChannelConfiguration', 0);
  });
});

describe('Slack through a webhook', () => {
  const { template } = buildStack(withActions({ slack: { webhookSecret: 'driftwatch/slack-webhook' } }));
  const fn = logicalId(template, 'AWS::Lambda::Function', 'SlackNotifierFunction');

  it('runs a notifier told the secret, the dashboard and the reports, and never the URL', () => {
    const variables = functionEnvironment(template, 'SlackNotifierFunction');

    expect(Object.keys(variables).sort()).toEqual(['NODE_OPTIONS', 'SLACK_NOTIFIER_CONFIG']);
    expect(JSON.parse(renderTokens(variables.SLACK_NOTIFIER_CONFIG))).toEqual({
      endpoint: 'churn-endpoint',
      scheduleName: 'driftwatch-hourly',
      webhookSecretId: 'driftwatch/slack-webhook',
      dashboardUrl: `https://<AWS::Region>.console.aws.amazon.com/cloudwatch/home?region=<AWS::Region>#dashboards:name=<${logicalId(template, 'AWS::CloudWatch::Dashboard', 'Dashboard')}>`,
      reportsBucket: '<ReportsBucket4E7C5994>',
      reportsPrefix: '',
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('hooks.slack.com');
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 180,
      TracingConfig: { Mode: 'Active' },
    });
  });

  it('subscribes the notifier to the endpoint topic', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'churnendpointTopic');

    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: { 'Fn::GetAtt': [fn, 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [fn, 'Arn'] },
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: topic },
    });
  });

  it('may read exactly that secret and the endpoint reports, nothing else', () => {
    expect(roleStatements(template, 'SlackNotifierFunctionRole')).toEqual([
      {
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: `${ARN}:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:driftwatch/slack-webhook-??????`,
      },
      {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: '<ReportsBucket4E7C5994.Arn>/reports/churn-endpoint/driftwatch-hourly/*',
      },
    ]);
  });

  it('alarms on its errors, to the topic', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'churnendpointTopic');

    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'driftwatch-churn-endpoint-slack-notifier-errors',
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: { Ref: fn } }],
      Statistic: 'Sum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: topic }],
      OKActions: [{ Ref: topic }],
    });
  });

  it('takes a complete secret ARN as is, and decrypts a customer-managed key only through Secrets Manager', () => {
    const secret = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:team/slack-AbC123';
    const key = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { template: t } = buildStack(
      withActions({ slack: { webhookSecret: secret, webhookSecretKmsKeyArn: key } }),
    );

    expect(roleStatements(t, 'SlackNotifierFunctionRole').slice(0, 2)).toEqual([
      { Effect: 'Allow', Action: 'secretsmanager:GetSecretValue', Resource: secret },
      {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: key,
        Condition: {
          StringEquals: {
            'kms:ViaService': {
              'Fn::Join': ['', ['secretsmanager.', { Ref: 'AWS::Region' }, '.amazonaws.com']],
            },
          },
        },
      },
    ]);
  });
});

describe('Slack through AWS Chatbot', () => {
  it('configures the channel on the topic, with read-only guardrails, and no notifier', () => {
    const { template } = buildStack(
      withActions({ slack: { chatbot: { workspaceId: 'T07EXAMPLE', channelId: 'C07EXAMPLE' } } }),
    );
    const topic = logicalId(template, 'AWS::SNS::Topic', 'churnendpointTopic');
    const [[, channel]] = resourcesOf(template, 'AWS::Chatbot::SlackChannelConfiguration') as [
      [string, Record<string, unknown>],
    ];

    expect({
      ...channel,
      IamRoleArn: undefined,
      GuardrailPolicies: (channel.GuardrailPolicies as unknown[]).map(renderTokens),
    }).toEqual({
      ConfigurationName: 'driftwatch-churn-endpoint',
      SlackWorkspaceId: 'T07EXAMPLE',
      SlackChannelId: 'C07EXAMPLE',
      SnsTopicArns: [{ Ref: topic }],
      LoggingLevel: 'ERROR',
      GuardrailPolicies: ['arn:<AWS::Partition>:iam::aws:policy/CloudWatchReadOnlyAccess'],
      IamRoleArn: undefined,
    });
    expect(
      Object.keys(template.findResources('AWS::Lambda::Function')).filter((id) => id.includes('Slack')),
    ).toEqual([]);
  });

  it('may be chosen per endpoint, and Slack turned off for one', () => {
    const config = testConfig({
      slack: { webhookSecret: 'driftwatch/slack-webhook' },
      endpoints: [
        { name: 'a', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b' },
        {
          name: 'b',
          captureUri: 's3://cap-bucket/c',
          baselineUri: 's3://cap-bucket/b',
          slack: { chatbot: { workspaceId: 'T07EXAMPLE', channelId: 'C07OTHER' } },
        },
        { name: 'c', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b', slack: false },
      ],
    });
    const { template } = buildStack(config);

    const slackIds = Object.keys(template.toJSON().Resources).filter((id) =>
      /^[abc](SlackNotifierFunction|SlackChatbotChannel)[0-9A-F]{8}$/.test(id),
    );
    expect(slackIds.map((id) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'aSlackNotifierFunction',
      'bSlackChatbotChannel',
    ]);
  });
});

describe('retraining with a SageMaker pipeline', () => {
  const { template } = buildStack(
    withActions(
      {},
      {
        retraining: {
          cooldownHours: 12,
          on: { alarms: ['driftwatch-churn-endpoint-quality-auc'] },
          pipeline: {
            name: 'Churn-Retrain',
            parameters: { TrainingInstanceType: 'ml.m5.xlarge', Epochs: 20 },
          },
        },
      },
    ),
  );

  it('runs a function told the triggers, cooldown, pipeline and where its state lives', () => {
    const variables = functionEnvironment(template, 'RetrainingFunction');
    const topic = logicalId(template, 'AWS::SNS::Topic', 'churnendpointTopic');

    expect(JSON.parse(renderTokens(variables.RETRAINING_CONFIG))).toEqual({
      endpoint: 'churn-endpoint',
      scheduleName: 'driftwatch-hourly',
      topicArn: `<${topic}>`,
      reportsBucket: '<ReportsBucket4E7C5994>',
      reportsPrefix: '',
      stateUri: 's3://<ReportsBucket4E7C5994>/retraining/churn-endpoint/state/',
      dryRun: false,
      cooldownHours: 12,
      on: {
        datasetDrift: true,
        qualityViolation: true,
        biasViolation: false,
        multivariateDrift: false,
        attributionDrift: false,
        alarms: ['driftwatch-churn-endpoint-quality-auc'],
      },
      action: {
        kind: 'pipeline',
        pipelineName: 'Churn-Retrain',
        parameters: { TrainingInstanceType: 'ml.m5.xlarge', Epochs: '20' },
        windowParameters: { start: 'WindowStart', end: 'WindowEnd', report: 'ReportUri' },
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: topic },
      Endpoint: { 'Fn::GetAtt': [logicalId(template, 'AWS::Lambda::Function', 'RetrainingFunction'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'driftwatch-churn-endpoint-retraining-errors',
      MetricName: 'Errors',
    });
  });

  it('may start exactly that pipeline, keep its state, and publish to its topic', () => {
    const topic = logicalId(template, 'AWS::SNS::Topic', 'churnendpointTopic');

    expect(roleStatements(template, 'RetrainingFunctionRole')).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
        Resource: '<ReportsBucket4E7C5994.Arn>/retraining/churn-endpoint/state/*',
      },
      {
        // A dry run lists its state keys before reading them (403, not 404, without ListBucket).
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: '<ReportsBucket4E7C5994.Arn>',
        Condition: { StringLike: { 's3:prefix': ['retraining/churn-endpoint/state/*'] } },
      },
      { Effect: 'Allow', Action: 'sns:Publish', Resource: `<${topic}>` },
      { Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey'], Resource: '<TopicKeyB2E0C9CB.Arn>' },
      {
        Effect: 'Allow',
        Action: 'sagemaker:StartPipelineExecution',
        Resource: [`${SAGEMAKER}:pipeline/Churn-Retrain`, `${SAGEMAKER}:pipeline/churn-retrain`],
      },
    ]);
  });
});

describe('retraining with a copy of a training job', () => {
  const { template } = buildStack(
    testConfig({
      reportsBucket: { existingBucketName: 'team-reports', prefix: 'ml' },
      endpoints: [
        {
          name: 'churn-xgb',
          captureUri: 's3://cap-bucket/c',
          baselineUri: 's3://cap-bucket/b',
          retraining: {
            dryRun: true,
            trainingJob: { sourceJobName: 'Churn-XGB-2026-10-01', roleArn: ROLE },
          },
        },
      ],
    }),
  );

  it('may describe exactly the source job, create jobs named with the prefix, and pass exactly that role to SageMaker', () => {
    expect(roleStatements(template, 'RetrainingFunctionRole').slice(4)).toEqual([
      {
        Effect: 'Allow',
        Action: 'sagemaker:DescribeTrainingJob',
        Resource: `${SAGEMAKER}:training-job/churn-xgb-2026-10-01`,
      },
      {
        Effect: 'Allow',
        Action: 'sagemaker:CreateTrainingJob',
        Resource: `${SAGEMAKER}:training-job/churn-xgb-retrain-*`,
      },
      {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: ROLE,
        Condition: { StringEquals: { 'iam:PassedToService': 'sagemaker.amazonaws.com' } },
      },
    ]);
    expect(roleStatements(template, 'RetrainingFunctionRole')[0]).toEqual({
      Effect: 'Allow',
      Action: ['s3:DeleteObject', 's3:GetObject', 's3:PutObject'],
      Resource: `${ARN}:s3:::team-reports/ml/retraining/churn-xgb/state/*`,
    });
  });

  it('writes new jobs under the reports bucket by default, and tells the function it is a dry run', () => {
    const config = JSON.parse(
      renderTokens(functionEnvironment(template, 'RetrainingFunction').RETRAINING_CONFIG),
    );

    expect(config.dryRun).toBe(true);
    expect(config.action).toEqual({
      kind: 'trainingJob',
      sourceJobName: 'Churn-XGB-2026-10-01',
      roleArn: ROLE,
      jobNamePrefix: 'churn-xgb-retrain',
      outputUri: 's3://team-reports/ml/retraining/churn-xgb/training-jobs',
    });
  });
});

describe('the config', () => {
  const problems = (endpoint: Record<string, unknown>, top: Record<string, unknown> = {}): string[] => {
    try {
      testConfig({
        ...top,
        endpoints: [{ name: 'e', captureUri: 's3://bkt/c', baselineUri: 's3://bkt/d', ...endpoint }],
      });
    } catch (e) {
      if (e instanceof ConfigError) return [...e.problems];
      throw e;
    }
    return [];
  };

  it('refuses a webhook URL where the secret belongs, without repeating it', () => {
    const url = 'https://hooks.slack.com/services/T0/B0/abcdefSECRET';

    const found = problems({}, { slack: { webhookSecret: url } });

    expect(found).toEqual([
      'test.config.json: slack.webhookSecret is a URL, not a secret: store the webhook URL in Secrets Manager (aws secretsmanager create-secret --name driftwatch/slack-webhook --secret-string URL), name the secret here, and regenerate the webhook in Slack since it has been in a file; got a URL (not shown)',
    ]);
    expect(found.join('\n')).not.toContain('abcdefSECRET');
  });

  it('names each field that is wrong and how to fix it', () => {
    expect(
      problems({
        slack: { webhookSecret: 'x', chatbot: { workspaceId: 'T1', channelId: 'C1' } },
        retraining: {
          cooldownHours: 0,
          on: { qualityViolation: true, alarms: ['driftwatch-other-dataset-drift'] },
          pipeline: { name: 'p' },
          trainingJob: { sourceJobName: 'j' },
        },
      }),
    ).toEqual([
      'test.config.json: endpoints[0].slack sets both "webhookSecret" and "chatbot": must be {"webhookSecret": "SECRET-NAME-OR-ARN"} or {"chatbot": {"workspaceId": "T...", "channelId": "C..."}}, or false (no Slack for this endpoint); got ["webhookSecret","chatbot"]',
      'test.config.json: endpoints[0].retraining.cooldownHours must be a number of hours above 0 and at most 8760 (a year); got 0',
      "test.config.json: endpoints[0].retraining.on.qualityViolation needs the endpoint's problemType and groundTruthUri (no quality is monitored without them): set both, or remove it; got true",
      'test.config.json: endpoints[0].retraining.on.alarms[0] must name an alarm of this endpoint (only those reach its topic), like "driftwatch-e-dataset-drift" or "driftwatch-e-quality-auc"; got "driftwatch-other-dataset-drift"',
      'test.config.json: endpoints[0].retraining sets both "pipeline" and "trainingJob": keep one, {"pipeline": {"name": "my-pipeline"}} or {"trainingJob": {"sourceJobName": "...", "roleArn": "..."}}; got ["cooldownHours","on","pipeline","trainingJob"]',
    ]);
    expect(
      problems({
        retraining: {
          trainingJob: { sourceJobName: 'j', jobNamePrefix: 'p'.repeat(53), outputUri: 'bucket/path' },
        },
      }),
    ).toEqual([
      "test.config.json: endpoints[0].retraining.trainingJob.roleArn is required: set it to the ARN of the role the new jobs run as (usually the source job's RoleArn), like arn:aws:iam::123456789012:role/SageMakerTraining; got nothing",
      `test.config.json: endpoints[0].retraining.trainingJob.jobNamePrefix must be letters, digits and hyphens, at most 52 characters (job names add -yyyymmddhh and stop at 63); got "${'p'.repeat(53)}"`,
      'test.config.json: endpoints[0].retraining.trainingJob.outputUri must be an s3:// URI like s3://my-bucket/retraining; got "bucket/path"',
    ]);
    expect(
      problems({
        retraining: {
          on: { datasetDrift: false, qualityViolation: false },
          pipeline: { name: 'p', parameters: { WindowStart: 'x' } },
        },
      }),
    ).toEqual([
      'test.config.json: endpoints[0].retraining.on turns every trigger off: list an alarm, or remove "retraining" to turn retraining off; got {"datasetDrift":false,"qualityViolation":false}',
      'test.config.json: endpoints[0].retraining.pipeline.parameters.WindowStart is the name the window is passed under: rename it, or change "windowParameters"; got "WindowStart"',
    ]);
    expect(
      problems(
        {},
        { slack: { webhookSecret: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:slack' } },
      ),
    ).toEqual([
      'test.config.json: slack.webhookSecret must be the secret\'s complete ARN, ending in the six characters Secrets Manager adds (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf), or just its name; got "arn:aws:secretsmanager:us-east-1:123456789012:secret:slack"',
    ]);
  });

  it('fills the defaults: retraining off, and when on, 24 h cooldown, drift and quality triggers, no dry run', () => {
    const [off] = testConfig(TEST_CONFIG_JSON).endpoints;
    const [on] = withActions({}, { retraining: { pipeline: { name: 'p' } } }).endpoints;

    expect(off?.retraining).toBeUndefined();
    expect(on?.retraining).toEqual({
      dryRun: false,
      cooldownHours: 24,
      on: {
        datasetDrift: true,
        qualityViolation: true,
        biasViolation: false,
        multivariateDrift: false,
        attributionDrift: false,
        alarms: [],
      },
      action: {
        kind: 'pipeline',
        pipelineName: 'p',
        parameters: {},
        windowParameters: { start: 'WindowStart', end: 'WindowEnd', report: 'ReportUri' },
      },
    });
  });

  it('fails the synth when a named alarm does not exist on the endpoint', () => {
    expect(() =>
      buildStack(
        withActions(
          {},
          { retraining: { on: { alarms: ['driftwatch-churn-endpoint-nope'] }, pipeline: { name: 'p' } } },
        ),
      ),
    ).toThrow(
      /^endpoint churn-endpoint: retraining.on.alarms names driftwatch-churn-endpoint-nope, which this endpoint does not have; its alarms are driftwatch-churn-endpoint-feature-drift-age, /,
    );
  });
});
