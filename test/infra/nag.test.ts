import { App, type PolicyViolation, Stack, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildStack, testConfig } from './stack-fixtures.ts';

/** Findings as `RULE at PATH`, for readable failures. */
function describeViolations(violations: readonly PolicyViolation[]): string[] {
  return violations.flatMap((v) =>
    v.violatingResources.map((r) => `${v.ruleName} (${v.severity}) at ${r.constructPath}: ${v.description}`),
  );
}

/** Every acknowledgement in the tree, as `{path, id, reason}`. */
function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** The AwsSolutions findings before acknowledgements are applied. */
function rawFindings(root: IConstruct): { ruleName: string; path: string }[] {
  const checks = new AwsSolutionsChecks();
  // Ignore every acknowledgement: this is what the stack would be flagged for without them.
  Object.defineProperty(checks, 'isAcknowledged', { value: () => false });
  return checks
    .validateScope(root)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => ({ ruleName: v.ruleName, path: r.constructPath ?? '' })),
    );
}

const CONFIGS = {
  'the test config (created bucket, quality, two variants)': testConfig(),
  'an existing bucket and a minimal endpoint': testConfig({
    reportsBucket: { existingBucketName: 'team-reports' },
    endpoints: [{ name: 'plain', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b' }],
  }),
  'fan-out (state machine, workers, reducer) on a created bucket': testConfig({
    endpoints: [
      {
        name: 'Big-Endpoint',
        captureUri: 's3://cap-bucket/c',
        baselineUri: 's3://cap-bucket/b',
        fanOut: true,
      },
    ],
  }),
  'fan-out on an existing bucket with a prefix': testConfig({
    reportsBucket: { existingBucketName: 'team-reports', prefix: 'ml' },
    endpoints: [
      {
        name: 'big',
        captureUri: 's3://cap-bucket/c',
        baselineUri: 's3://cap-bucket/b',
        fanOut: { batchSize: 20 },
      },
    ],
  }),
  'SSE-KMS capture, baseline, labels and existing reports bucket, with fan-out, Slack and retraining':
    testConfig({
      reportsBucket: {
        existingBucketName: 'team-reports',
        kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/reports',
      },
      slack: { webhookSecret: 'driftwatch/slack-webhook' },
      endpoints: [
        {
          name: 'churn',
          captureUri: 's3://cap-bucket/c',
          captureKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/capture',
          baselineUri: 's3://cap-bucket/b',
          baselineKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/baseline',
          groundTruthUri: 's3://cap-bucket/gt',
          groundTruthKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/labels',
          problemType: 'Regression',
          fanOut: true,
          retraining: { pipeline: { name: 'churn-retrain' } },
        },
      ],
    }),
  'a deployed bias configuration with its own key, fan-out, and bias and multivariate retraining': testConfig(
    {
      endpoints: [
        {
          name: 'credit',
          captureUri: 's3://cap-bucket/c',
          baselineUri: 's3://cap-bucket/b',
          groundTruthUri: 's3://cap-bucket/gt',
          problemType: 'BinaryClassification',
          bias: {
            analysisConfig: 's3://bias-bucket/credit/analysis_config.json',
            baseline: 's3://bias-bucket/credit/analysis.json',
            kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/bias',
          },
          fanOut: true,
          retraining: {
            on: { biasViolation: true, multivariateDrift: true },
            pipeline: { name: 'credit-retrain' },
          },
        },
      ],
    },
  ),
  'feature attribution with a shadow endpoint, a configuration object with its own key, fan-out and retraining':
    testConfig({
      endpoints: [
        {
          name: 'Churn-Attr',
          captureUri: 's3://cap-bucket/c',
          baselineUri: 's3://cap-bucket/b',
          attribution: {
            endpointName: 'Churn-Shadow',
            config: 's3://cfg-bucket/churn/explain-config.json',
            kmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/explain',
          },
          fanOut: true,
          retraining: { on: { attributionDrift: true }, pipeline: { name: 'churn-retrain' } },
        },
      ],
    }),
  'Slack webhook notifier and pipeline retraining, then Chatbot and training-job retraining': testConfig({
    slack: {
      webhookSecret: 'driftwatch/slack-webhook',
      webhookSecretKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:key/k1',
    },
    endpoints: [
      {
        name: 'churn',
        captureUri: 's3://cap-bucket/c',
        baselineUri: 's3://cap-bucket/b',
        retraining: {
          on: { alarms: ['driftwatch-churn-dataset-drift'] },
          pipeline: { name: 'churn-retrain' },
        },
      },
      {
        name: 'fraud',
        captureUri: 's3://cap-bucket/c',
        baselineUri: 's3://cap-bucket/b',
        slack: { chatbot: { workspaceId: 'T07EXAMPLE', channelId: 'C07EXAMPLE' } },
        retraining: {
          dryRun: true,
          trainingJob: {
            sourceJobName: 'fraud-v1',
            roleArn: 'arn:aws:iam::123456789012:role/SageMakerTraining',
          },
        },
      },
    ],
  }),
};

describe.each(Object.entries(CONFIGS))('cdk-nag AwsSolutions on %s', (_, config) => {
  const { app } = buildStack(config);

  it('has no unacknowledged error or warning', () => {
    const report = new AwsSolutionsChecks().validateScope(app);

    expect(describeViolations(report.violations)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('acknowledges only findings that exist, each on or above its resource, with a reason', () => {
    const findings = rawFindings(app);
    const acks = acknowledgements(app);

    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      const matched = findings.some((f) => f.ruleName === ack.id && f.path.startsWith(`${ack.path}/`));
      expect(matched, `${ack.id} acknowledged at ${ack.path} matches no finding`).toBe(true);
      expect(ack.reason.length, `${ack.id} at ${ack.path} needs a real reason`).toBeGreaterThan(60);
    }
  });
});

describe('cdk-nag in the app', () => {
  it('passes as a synth-time validation plugin, as `cdk synth` runs it', () => {
    const { app } = buildStack(testConfig());
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).not.toThrow();
  });

  it('does flag an unacknowledged finding here (the pack is live, not silently skipped)', () => {
    const app = new App();
    const stack = new Stack(app, 'Control');
    new Queue(stack, 'Plain', { encryption: QueueEncryption.UNENCRYPTED });

    const report = new AwsSolutionsChecks().validateScope(app);

    expect(report.violations.map((v) => v.ruleName)).toEqual(
      expect.arrayContaining(['AwsSolutions-SQS2', 'AwsSolutions-SQS3', 'AwsSolutions-SQS4']),
    );
  });
});
