import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALARM_DEFAULTS, DEFAULTS, loadConfigFile, parseConfig } from '../../infra/config/index.ts';
import { problemsOf as configProblems } from './stack-fixtures.ts';

const FILE = 'driftwatch.config.json';
const minimal = {
  endpoints: [{ name: 'ep', captureUri: 's3://cap-bucket/capture', baselineUri: 's3://base-bucket/base' }],
};

/** The problems `parseConfig` reports for `json`, read as FILE. */
const problemsOf = (json: unknown) => configProblems(json, FILE);

function withEndpoint(fields: Record<string, unknown>): unknown {
  return { endpoints: [{ ...minimal.endpoints[0], ...fields }] };
}

describe('parseConfig defaults', () => {
  it('fills every default into a minimal config', () => {
    const config = parseConfig(minimal, FILE);

    expect(config.namespace).toBe('aws/sagemaker/Endpoints/data-metrics');
    expect(config.modelMetricsNamespace).toBe('aws/sagemaker/Endpoints/model-metrics');
    expect(config.reportsBucket).toEqual({ kind: 'create', prefix: '' });
    expect(config.alarmEmails).toEqual([]);
    const [endpoint] = config.endpoints;
    expect(endpoint).toMatchObject({
      name: 'ep',
      variants: ['AllTraffic'],
      capture: { uri: 's3://cap-bucket/capture', bucket: 'cap-bucket', prefix: 'capture' },
      baseline: { uri: 's3://base-bucket/base', bucket: 'base-bucket', prefix: 'base' },
      scheduleName: 'driftwatch-hourly',
      schedule: 'cron(10 * * * ? *)',
      datasetDriftShare: 0.5,
      featureThresholds: {},
      features: [],
      emails: [],
    });
    expect(endpoint?.groundTruth).toBeUndefined();
    expect(endpoint?.problemType).toBeUndefined();
  });

  it('turns alarms on with their defaults, CPU off, and ties dataset drift to datasetDriftShare', () => {
    const [endpoint] = parseConfig(withEndpoint({ datasetDriftShare: 0.3 }), FILE).endpoints;
    const alarms = endpoint!.alarms;

    expect(alarms.featureDrift).toEqual({
      threshold: 0.1,
      periodMinutes: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 1,
    });
    expect(alarms.datasetDrift).toMatchObject({ threshold: 0.3 });
    expect(alarms.noData).toEqual(ALARM_DEFAULTS.noData);
    expect(alarms.quality).toEqual({});
    expect(alarms.health.cpuUtilization).toBe(false);
    expect(alarms.health.modelLatencyMicros).toEqual(ALARM_DEFAULTS.health.modelLatencyMicros.settings);
  });

  it('reads false as off, a number as the threshold and an object as partial settings', () => {
    const [endpoint] = parseConfig(
      withEndpoint({
        alarms: {
          featureDrift: false,
          violations: 3,
          health: { cpuUtilization: 160, diskUtilization: { threshold: 90, evaluationPeriods: 5 } },
        },
      }),
      FILE,
    ).endpoints;
    const alarms = endpoint!.alarms;

    expect(alarms.featureDrift).toBe(false);
    expect(alarms.violations).toMatchObject({ threshold: 3, periodMinutes: 60 });
    expect(alarms.health.cpuUtilization).toMatchObject({ threshold: 160, periodMinutes: 5 });
    expect(alarms.health.diskUtilization).toEqual({
      threshold: 90,
      periodMinutes: 5,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
  });

  it('normalises URIs and prefixes and accepts an existing reports bucket', () => {
    const config = parseConfig(
      {
        reportsBucket: { existingBucketName: 'my-reports', prefix: '/driftwatch/' },
        endpoints: [{ name: 'ep', captureUri: 's3://cap-bucket/', baselineUri: 's3://base-bucket/a/b//' }],
      },
      FILE,
    );

    expect(config.reportsBucket).toEqual({
      kind: 'existing',
      bucketName: 'my-reports',
      prefix: 'driftwatch',
    });
    expect(config.endpoints[0]?.capture).toEqual({
      uri: 's3://cap-bucket',
      bucket: 'cap-bucket',
      prefix: '',
    });
    expect(config.endpoints[0]?.baseline).toEqual({
      uri: 's3://base-bucket/a/b',
      bucket: 'base-bucket',
      prefix: 'a/b',
    });
  });

  it('accepts the example config shipped at the repository root', () => {
    const config = loadConfigFile(new URL('../../driftwatch.config.json', import.meta.url).pathname, FILE);

    expect(config.endpoints.length).toBeGreaterThan(0);
    expect(DEFAULTS.schedule).toBe('cron(10 * * * ? *)');
  });
});

describe('parseConfig messages name the file, the field and the fix', () => {
  it('rejects a capture URI that is not s3://', () => {
    expect(problemsOf(withEndpoint({ captureUri: 'foo' }))).toEqual([
      'driftwatch.config.json: endpoints[0].captureUri must be an s3:// URI like s3://my-bucket/datacapture; got "foo"',
    ]);
  });

  it('names a missing required field and what to put there', () => {
    expect(problemsOf({ endpoints: [{ name: 'ep', captureUri: 's3://cap-bucket/c' }] })).toEqual([
      'driftwatch.config.json: endpoints[0].baselineUri is required: set it to an s3:// URI like s3://my-bucket/baseline; got nothing',
    ]);
  });

  it('requires a non-empty endpoints list', () => {
    expect(problemsOf({})).toEqual([
      'driftwatch.config.json: endpoints is required: list the SageMaker endpoints to monitor, e.g. [{"name": "my-endpoint", ...}]; got nothing',
    ]);
    expect(problemsOf({ endpoints: [] })).toEqual([
      'driftwatch.config.json: endpoints must be a non-empty list of endpoints; got []',
    ]);
  });

  it('suggests the right spelling of an unknown field', () => {
    expect(problemsOf(withEndpoint({ captureURI: 's3://any-bucket/c' }))).toEqual([
      'driftwatch.config.json: endpoints[0].captureURI is not a known field; did you mean "captureUri"?',
    ]);
  });

  it('rejects endpoint names SageMaker would not accept', () => {
    expect(problemsOf(withEndpoint({ name: 'my_endpoint' }))).toEqual([
      'driftwatch.config.json: endpoints[0].name must be the SageMaker endpoint name: letters, digits and hyphens, at most 63 characters; got "my_endpoint"',
    ]);
  });

  it('asks for problemType with groundTruthUri and the reverse', () => {
    expect(problemsOf(withEndpoint({ groundTruthUri: 's3://any-bucket/gt' }))).toEqual([
      'driftwatch.config.json: endpoints[0].problemType is required with groundTruthUri: set it to one of BinaryClassification, MulticlassClassification, Regression; got nothing',
    ]);
    expect(problemsOf(withEndpoint({ problemType: 'Regression' }))).toEqual([
      'driftwatch.config.json: endpoints[0].groundTruthUri is required with problemType: set it to the s3:// URI of the ground-truth labels, or remove problemType; got nothing',
    ]);
  });

  it('rejects a quality metric of another problem type, listing the valid ones', () => {
    const json = withEndpoint({
      groundTruthUri: 's3://any-bucket/gt',
      problemType: 'Regression',
      alarms: { quality: { auc: 0.8 } },
    });

    expect(problemsOf(json)).toEqual([
      'driftwatch.config.json: endpoints[0].alarms.quality.auc is not a Regression metric: use one of mae, mse, rmse, r2; got "auc"',
    ]);
  });

  it('rejects quality alarms without a problem type and probabilityThreshold outside binary classification', () => {
    expect(problemsOf(withEndpoint({ alarms: { quality: { accuracy: 0.9 } } }))).toEqual([
      'driftwatch.config.json: endpoints[0].alarms.quality needs the endpoint\'s problemType and groundTruthUri: set both, or remove the quality alarms; got {"accuracy":0.9}',
    ]);
    expect(
      problemsOf(
        withEndpoint({
          groundTruthUri: 's3://any-bucket/gt',
          problemType: 'Regression',
          probabilityThreshold: 0.5,
        }),
      ),
    ).toEqual([
      'driftwatch.config.json: endpoints[0].probabilityThreshold only applies to problemType "BinaryClassification": remove it or set that problem type; got 0.5',
    ]);
  });

  it('checks alarm settings against CloudWatch rules', () => {
    const json = withEndpoint({
      alarms: {
        completeness: 1.5,
        violations: { datapointsToAlarm: 5 },
        health: { memoryUtilization: { periodMinutes: 0.5 } },
      },
    });

    expect(problemsOf(json)).toEqual([
      'driftwatch.config.json: endpoints[0].alarms.completeness must be a number from 0 to 1; got 1.5',
      'driftwatch.config.json: endpoints[0].alarms.violations.datapointsToAlarm must be at most evaluationPeriods (3); got 5',
      'driftwatch.config.json: endpoints[0].alarms.health.memoryUtilization.periodMinutes must be a whole number of 1 or more; got 0.5',
    ]);
  });

  it('rejects listed feature names CloudWatch metric names cannot carry', () => {
    expect(problemsOf(withEndpoint({ features: ['café'] }))).toEqual([
      'driftwatch.config.json: endpoints[0].features[0] has characters CloudWatch metric names refuse; the monitor publishes each as "_", so list the name that way; got "café"',
    ]);
  });

  it('rejects a schedule that is not an EventBridge Scheduler expression', () => {
    expect(problemsOf(withEndpoint({ schedule: '10 * * * *' }))).toEqual([
      'driftwatch.config.json: endpoints[0].schedule must be an EventBridge Scheduler expression like "cron(10 * * * ? *)" (six fields, UTC) or "rate(1 hour)"; got "10 * * * *"',
    ]);
  });

  it('reports every problem at once, across endpoints, including duplicate names', () => {
    const json = {
      alarmEmails: ['not-an-email'],
      reportsBucket: { existingBucketName: 's3://my-bucket' },
      endpoints: [
        { name: 'ep', captureUri: 's3://any-bucket/c', baselineUri: 's3://any-bucket/base' },
        {
          name: 'ep',
          captureUri: 's3://any-bucket/c',
          baselineUri: 's3://any-bucket/base',
          features: ['a', 'a'],
        },
      ],
    };

    expect(problemsOf(json)).toEqual([
      'driftwatch.config.json: reportsBucket.existingBucketName must be an S3 bucket name like my-reports-bucket (no s3://); got "s3://my-bucket"',
      'driftwatch.config.json: alarmEmails[0] must be an email address like ml-oncall@example.com; got "not-an-email"',
      'driftwatch.config.json: endpoints[1].features[1] is listed twice: list each feature once; got "a"',
      'driftwatch.config.json: endpoints[1].name is listed twice: give each endpoint one entry (list several variants under "variants"); got "ep"',
    ]);
  });

  it('names the file when it is not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'driftwatch-config-'));
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "endpoints": [ }');

    expect(() => loadConfigFile(path, 'broken.json')).toThrow(/^broken\.json: is not valid JSON \(/);
  });
});

describe('SageMaker latency alarms (Average, not p99)', () => {
  it('reads modelLatencyMicros, and modelLatencyP99Micros as its old name', () => {
    const health = (h: unknown) =>
      parseConfig(withEndpoint({ alarms: { health: h } }), FILE).endpoints[0]!.alarms.health;

    expect(health({ modelLatencyMicros: 250000 }).modelLatencyMicros).toMatchObject({ threshold: 250000 });
    expect(health({ modelLatencyP99Micros: 250000 }).modelLatencyMicros).toMatchObject({ threshold: 250000 });
    expect(
      problemsOf(withEndpoint({ alarms: { health: { modelLatencyMicros: 1, modelLatencyP99Micros: 2 } } })),
    ).toEqual([
      'driftwatch.config.json: endpoints[0].alarms.health.modelLatencyP99Micros is the old name of modelLatencyMicros (the alarm is on the Average now, not p99): keep only modelLatencyMicros; got 2',
    ]);
  });
});

describe('KMS keys of SSE-KMS objects', () => {
  const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  it('attaches captureKmsKeyArn, baselineKmsKeyArn and groundTruthKmsKeyArn to their locations', () => {
    const [endpoint] = parseConfig(
      withEndpoint({
        captureKmsKeyArn: KEY,
        baselineKmsKeyArn: KEY,
        groundTruthUri: 's3://labels-bucket/gt',
        groundTruthKmsKeyArn: KEY,
        problemType: 'Regression',
      }),
      FILE,
    ).endpoints;

    expect(endpoint!.capture).toEqual({
      uri: 's3://cap-bucket/capture',
      bucket: 'cap-bucket',
      prefix: 'capture',
      kmsKeyArn: KEY,
    });
    expect(endpoint!.baseline.kmsKeyArn).toBe(KEY);
    expect(endpoint!.groundTruth?.kmsKeyArn).toBe(KEY);
    expect(parseConfig(minimal, FILE).endpoints[0]!.capture).not.toHaveProperty('kmsKeyArn');
  });

  it('takes reportsBucket.kmsKeyArn with an existing bucket only', () => {
    expect(
      parseConfig({ ...minimal, reportsBucket: { existingBucketName: 'team-reports', kmsKeyArn: KEY } }, FILE)
        .reportsBucket,
    ).toEqual({
      kind: 'existing',
      bucketName: 'team-reports',
      prefix: '',
      kmsKeyArn: KEY,
    });
    expect(problemsOf({ ...minimal, reportsBucket: { create: true, kmsKeyArn: KEY } })).toEqual([
      `driftwatch.config.json: reportsBucket.kmsKeyArn only applies with "existingBucketName" (the key of an existing SSE-KMS bucket); a bucket the stack creates is encrypted with SSE-S3: remove it; got "${KEY}"`,
    ]);
  });

  it('names the field of a key that is not a key ARN, and a label key without labels', () => {
    expect(
      problemsOf({
        reportsBucket: { existingBucketName: 'team-reports', kmsKeyArn: 'alias/reports' },
        endpoints: [
          {
            ...minimal.endpoints[0],
            captureKmsKeyArn: 'arn:aws:kms:us-east-1:123456789012:alias/capture',
            baselineKmsKeyArn: 42,
            groundTruthKmsKeyArn: KEY,
          },
        ],
      }),
    ).toEqual([
      'driftwatch.config.json: reportsBucket.kmsKeyArn must be a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID; got "alias/reports"',
      'driftwatch.config.json: endpoints[0].captureKmsKeyArn must be a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID; got "arn:aws:kms:us-east-1:123456789012:alias/capture"',
      'driftwatch.config.json: endpoints[0].baselineKmsKeyArn must be a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID; got 42',
      `driftwatch.config.json: endpoints[0].groundTruthKmsKeyArn only applies with groundTruthUri: remove it, or set groundTruthUri to the labels it encrypts; got "${KEY}"`,
    ]);
  });
});
