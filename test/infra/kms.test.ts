// SSE-KMS objects: capture written with DataCaptureConfig.KmsKeyId, baselines and labels in
// SSE-KMS buckets, an existing SSE-KMS reports bucket. Each role gets exactly the keys of the
// objects it reads (kms:Decrypt) or writes (kms:Decrypt and kms:GenerateDataKey), each statement
// naming one key and holding only when S3 makes the call (kms:ViaService).
import { describe, expect, it } from 'vitest';
import { buildStack, resourcesOf, TEST_CONFIG_JSON, testConfig } from './stack-fixtures.ts';

const key = (id: string, region = 'us-east-1') => `arn:aws:kms:${region}:123456789012:key/${id}`;
const KEYS = {
  capture: key('capture-key'),
  baseline: key('baseline-key'),
  labels: key('labels-key'),
  reports: key('reports-key', 'eu-west-1'),
};
const READ = ['kms:Decrypt'];
const WRITE = ['kms:Decrypt', 'kms:GenerateDataKey'];

const ENCRYPTED_JSON = {
  ...TEST_CONFIG_JSON,
  reportsBucket: { existingBucketName: 'team-reports', kmsKeyArn: KEYS.reports },
  slack: { webhookSecret: 'driftwatch/slack-webhook' },
  endpoints: [
    {
      ...TEST_CONFIG_JSON.endpoints[0]!,
      captureKmsKeyArn: KEYS.capture,
      baselineKmsKeyArn: KEYS.baseline,
      groundTruthKmsKeyArn: KEYS.labels,
      fanOut: true,
      retraining: { pipeline: { name: 'churn-retrain' } },
    },
  ],
};

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Every kms statement naming one of KEYS, per role (the policy's logical id), as `{key: actions}`. */
function keyGrants(json: unknown): Record<string, Record<string, string[]>> {
  const { template } = buildStack(testConfig(json));
  const names = Object.fromEntries(Object.entries(KEYS).map(([name, arn]) => [arn, name]));
  const grants: Record<string, Record<string, string[]>> = {};
  for (const [policy, p] of resourcesOf(template, 'AWS::IAM::Policy')) {
    // CDK merges statements that differ only in their resource: one may name several keys.
    for (const s of (p.PolicyDocument as { Statement: Statement[] }).Statement) {
      for (const resource of [s.Resource].flat()) {
        const name = typeof resource === 'string' ? names[resource] : undefined;
        if (!name) continue;
        const role = ['MonitorFunctionRole', 'WorkerFunctionRole', 'ReduceFunctionRole', 'StateMachineRole']
          .concat(['SlackNotifierFunctionRole', 'RetrainingFunctionRole'])
          .find((r) => policy.includes(r));
        expect(role, policy).toBeDefined();
        const region = resource === KEYS.reports ? 'eu-west-1' : 'us-east-1';
        expect(s.Condition, `${policy} ${name}`).toEqual({
          StringEquals: { 'kms:ViaService': `s3.${region}.amazonaws.com` },
        });
        expect(grants[role!]?.[name], `${name} granted twice to ${role}`).toBeUndefined();
        grants[role!] = { ...grants[role!], [name]: [s.Action].flat().sort() };
      }
    }
  }
  return grants;
}

describe('customer managed keys of SSE-KMS objects', () => {
  it('grants each role the keys of exactly what it reads or writes, through S3 in the key region only', () => {
    expect(keyGrants(ENCRYPTED_JSON)).toEqual({
      // Reads capture, baseline and labels; writes reports and fan-out manifests.
      MonitorFunctionRole: { capture: READ, baseline: READ, labels: READ, reports: WRITE },
      // Reads capture, baseline and labels (label items); writes and reads partials.
      WorkerFunctionRole: { capture: READ, baseline: READ, labels: READ, reports: WRITE },
      // Reads the baseline and partials; writes reports.
      ReduceFunctionRole: { baseline: READ, reports: WRITE },
      // Reads manifests (ItemReader); writes the map results (ResultWriter).
      StateMachineRole: { reports: WRITE },
      // Reads report.json.
      SlackNotifierFunctionRole: { reports: READ },
      // Reads and writes its state.
      RetrainingFunctionRole: { reports: WRITE },
    });
  });

  it('grants a key shared by capture and baseline once, and nothing when no key is configured', () => {
    const shared = {
      ...ENCRYPTED_JSON,
      reportsBucket: { existingBucketName: 'team-reports' },
      endpoints: [
        {
          ...TEST_CONFIG_JSON.endpoints[0]!,
          captureKmsKeyArn: KEYS.capture,
          baselineKmsKeyArn: KEYS.capture,
          fanOut: true,
        },
      ],
    };

    expect(keyGrants(shared)).toEqual({
      MonitorFunctionRole: { capture: READ },
      WorkerFunctionRole: { capture: READ },
      // The reducer reads the baseline, encrypted with the same key here.
      ReduceFunctionRole: { capture: READ },
    });
    expect(keyGrants(TEST_CONFIG_JSON)).toEqual({});
  });
});
