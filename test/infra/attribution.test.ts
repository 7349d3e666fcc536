/**
 * Feature attribution drift in the stack (an endpoint's `attribution` block): the config's checks
 * and defaults, MONITOR_CONFIG, the grants (InvokeEndpoint on exactly the explaining endpoint's
 * ARN, the configuration object, Clarify's explainability namespace), the alarm, the dashboard
 * row and the retraining trigger.
 */
import { describe, expect, it } from 'vitest';
import { parseMonitorConfig } from '../../functions/contracts/monitor-config.ts';
import { parseRetrainingConfig } from '../../functions/contracts/retraining-config.ts';
import { parseConfig } from '../../infra/config/index.ts';
import { buildRetrainingRuntimeConfig } from '../../infra/drift-actions.ts';
import { buildMonitorRuntimeConfig } from '../../infra/monitor-runtime-config.ts';
import { buildStack, problemsOf, renderTokens, resourcesOf, testConfig } from './stack-fixtures.ts';

const FILE = 'test.config.json';
const KEY = 'arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777';
const DATA_NS = 'aws/sagemaker/Endpoints/data-metrics';
const EXPLAIN_NS = 'aws/sagemaker/Endpoints/explainability-metrics';
const CONFIG_URI = 's3://cfg-bucket/churn/explain-config.json';

function endpoint(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Churn',
    captureUri: 's3://cap-bucket/capture',
    baselineUri: 's3://base-bucket/b',
    ...fields,
  };
}

const RESOURCES = {
  dataMetricsNamespace: DATA_NS,
  modelMetricsNamespace: 'm',
  reportsBucketName: 'reports',
  reportsPrefix: '',
  topicArn: 'arn:aws:sns:us-east-1:123456789012:t',
  profileMemoryMb: 1024,
};

describe('the attribution block of the config', () => {
  it('defaults to the monitored endpoint, 100 records, 200,000 rows, 10 requests a second, and its alarm on', () => {
    const config = parseConfig(
      {
        endpoints: [
          endpoint({ attribution: {} }),
          endpoint({
            name: 'other',
            attribution: {
              endpointName: 'churn-shadow',
              records: 50,
              maxRows: 1000,
              requestsPerSecond: 2.5,
              config: CONFIG_URI,
              kmsKeyArn: KEY,
            },
            alarms: { attributionDrift: { evaluationPeriods: 6 } },
          }),
          endpoint({ name: 'plain' }),
        ],
      },
      FILE,
    );

    expect(config.endpoints[0]?.attribution).toEqual({
      endpointName: 'Churn',
      records: 100,
      maxRows: 200_000,
      requestsPerSecond: 10,
    });
    expect(config.endpoints[0]?.alarms.attributionDrift).toEqual({
      threshold: 1,
      periodMinutes: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 1,
    });
    expect(config.endpoints[1]?.attribution).toEqual({
      endpointName: 'churn-shadow',
      records: 50,
      maxRows: 1000,
      requestsPerSecond: 2.5,
      config: { uri: CONFIG_URI, bucket: 'cfg-bucket', key: 'churn/explain-config.json', kmsKeyArn: KEY },
    });
    expect(config.endpoints[1]?.alarms.attributionDrift).toMatchObject({
      threshold: 1,
      evaluationPeriods: 6,
    });
    expect(config.endpoints[2]?.attribution).toBeUndefined();
    expect(config.endpoints[2]?.alarms.attributionDrift).toBe(false);
  });

  it('names the field and the fix of every mistake', () => {
    expect(
      problemsOf({
        endpoints: [
          endpoint({
            attribution: {
              endpointName: 'bad_name',
              records: 0,
              maxRows: 1.5,
              requestsPerSecond: 0,
              config: 's3://cfg-bucket/folder/',
              shap: {},
            },
          }),
          endpoint({ name: 'b', attribution: { kmsKeyArn: KEY } }),
          endpoint({ name: 'c', alarms: { attributionDrift: 1 } }),
          endpoint({ name: 'd', attribution: 'yes' }),
          endpoint({ name: 'e', attribution: { config: 's3://cfg-bucket/e/*.json' } }),
        ],
      }),
    ).toEqual([
      'test.config.json: endpoints[0].attribution.shap is not a known field; known fields are endpointName, records, maxRows, requestsPerSecond, config, kmsKeyArn',
      'test.config.json: endpoints[0].attribution.endpointName must be the name of the SageMaker endpoint that explains the windows: letters, digits and hyphens, at most 63 characters; got "bad_name"',
      'test.config.json: endpoints[0].attribution.records must be a whole number of 1 or more, like 100; got 0',
      'test.config.json: endpoints[0].attribution.maxRows must be a whole number of 1 or more, like 200000; got 1.5',
      'test.config.json: endpoints[0].attribution.requestsPerSecond must be a number above 0 and at most 1000 (InvokeEndpoint requests per second the explanation may send); got 0',
      'test.config.json: endpoints[0].attribution.config must be the s3:// URI of one file (not a folder), like s3://my-bucket/explainability/explain-config.json; got "s3://cfg-bucket/folder/"',
      'test.config.json: endpoints[1].attribution.kmsKeyArn only applies with config: remove it, or set config to the s3:// URI of the file it encrypts; got "arn:aws:kms:us-east-1:123456789012:key/1111aaaa-2222-3333-4444-555566667777"',
      'test.config.json: endpoints[2].alarms.attributionDrift needs the endpoint\'s attribution block (the attribution_drift metric of explained windows): add "attribution": {}, or remove it; got 1',
      'test.config.json: endpoints[3].attribution must be an object like {"endpointName": "my-shadow-endpoint", "records": 100, "maxRows": 200000, "requestsPerSecond": 10, "config": "s3://.../explain-config.json"} (every field optional); got "yes"',
      'test.config.json: endpoints[4].attribution.config has * or ? in its key, which IAM reads as wildcards, so the monitor could not be allowed that object alone: rename the object; got "s3://cfg-bucket/e/*.json"',
    ]);
  });

  it('reaches the monitor as MONITOR_CONFIG.attribution, which the monitor reads back', () => {
    const config = parseConfig(
      {
        endpoints: [
          endpoint({ attribution: { endpointName: 'churn-shadow', config: CONFIG_URI } }),
          endpoint({ name: 'plain' }),
        ],
      },
      FILE,
    );

    const runtime = buildMonitorRuntimeConfig(config.endpoints[0]!, RESOURCES);

    expect(runtime.attribution).toEqual({
      endpointName: 'churn-shadow',
      records: 100,
      maxRows: 200_000,
      requestsPerSecond: 10,
      configUri: CONFIG_URI,
    });
    expect(parseMonitorConfig(JSON.stringify(runtime))).toEqual(runtime);
    expect(buildMonitorRuntimeConfig(config.endpoints[1]!, RESOURCES).attribution).toBeUndefined();
    expect(() =>
      parseMonitorConfig(JSON.stringify({ ...runtime, attribution: { ...runtime.attribution, maxRows: 0 } })),
    ).toThrow('MONITOR_CONFIG.attribution.maxRows must be a whole number of 1 or more; got 0');
    expect(() =>
      parseMonitorConfig(
        JSON.stringify({ ...runtime, attribution: { ...runtime.attribution, configUri: 's3://b/' } }),
      ),
    ).toThrow(
      'MONITOR_CONFIG.attribution.configUri must be an S3 object URI (s3://bucket/path/explain-config.json); got "s3://b/"',
    );
  });
});

describe('a stack with an attribution block', () => {
  const { template } = buildStack(
    testConfig({
      endpoints: [
        endpoint({
          attribution: { endpointName: 'Churn-Shadow', config: CONFIG_URI, kmsKeyArn: KEY },
          fanOut: true,
        }),
        endpoint({ name: 'quiet' }),
      ],
    }),
  );
  type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
  const statements = (role: string): Statement[] =>
    resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.includes(role))
      .flatMap(([, p]) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
  const actions = (st: Statement) => [st.Action].flat();
  const resources = (st: Statement) => [st.Resource].flat().map(renderTokens);
  const invokes = (role: string) =>
    statements(role)
      .filter((st) => actions(st).includes('sagemaker:InvokeEndpoint'))
      .map((st) => ({ actions: actions(st), resources: resources(st) }));
  const alarm = (name: string) =>
    resourcesOf(template, 'AWS::CloudWatch::Alarm').find(([, p]) => p.AlarmName === name)?.[1];

  it.each(['ChurnMonitorFunctionRole', 'ChurnFanOutReduceFunctionRole'])(
    'lets %s invoke exactly the explaining endpoint, by its lower-cased ARN',
    (role) => {
      expect(invokes(role)).toEqual([
        {
          actions: ['sagemaker:InvokeEndpoint'],
          resources: ['arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:endpoint/churn-shadow'],
        },
      ]);
    },
  );

  it('gives the profile workers and an endpoint without the block no InvokeEndpoint', () => {
    expect(invokes('ChurnFanOutWorkerFunctionRole')).toEqual([]);
    expect(invokes('quietMonitorFunctionRole')).toEqual([]);
  });

  it.each(['ChurnMonitorFunctionRole', 'ChurnFanOutWorkerFunctionRole', 'ChurnFanOutReduceFunctionRole'])(
    'lets %s get exactly the configuration object, decrypting it through S3 only',
    (role) => {
      const own = statements(role);
      const onConfigBucket = (st: Statement) => resources(st).filter((r) => r.includes('cfg-bucket'));

      expect(own.filter((st) => onConfigBucket(st).length > 0).map(actions)).toEqual([['s3:GetObject']]);
      expect(own.flatMap(onConfigBucket)).toEqual([
        'arn:<AWS::Partition>:s3:::cfg-bucket/churn/explain-config.json',
      ]);
      expect(own.filter((st) => [st.Resource].flat().includes(KEY))).toEqual([
        {
          Effect: 'Allow',
          Action: 'kms:Decrypt',
          Resource: KEY,
          Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
        },
      ]);
    },
  );

  it.each([
    ['ChurnMonitorFunctionRole', [DATA_NS, 'aws/sagemaker/Endpoints/model-metrics', EXPLAIN_NS]],
    ['ChurnFanOutReduceFunctionRole', [DATA_NS, 'aws/sagemaker/Endpoints/model-metrics', EXPLAIN_NS]],
    ['quietMonitorFunctionRole', [DATA_NS, 'aws/sagemaker/Endpoints/model-metrics']],
  ])("lets %s put metrics to Clarify's explainability namespace only with the block", (role, namespaces) => {
    const put = statements(role).find((s) => s.Action === 'cloudwatch:PutMetricData');

    expect(put?.Condition).toEqual({ StringEquals: { 'cloudwatch:namespace': namespaces } });
  });

  it('alarms on attribution_drift like the other drift alarms, only with the block', () => {
    const drift = alarm('driftwatch-Churn-dataset-drift');

    expect(alarm('driftwatch-Churn-attribution-drift')).toMatchObject({
      Namespace: DATA_NS,
      MetricName: 'attribution_drift',
      Dimensions: [
        { Name: 'Endpoint', Value: 'Churn' },
        { Name: 'MonitoringSchedule', Value: 'driftwatch-hourly' },
      ],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    expect(JSON.stringify(alarm('driftwatch-Churn-attribution-drift')?.AlarmActions)).toBe(
      JSON.stringify(drift?.AlarmActions),
    );
    expect(JSON.stringify(alarm('driftwatch-Churn-attribution-drift')?.OKActions)).toBe(
      JSON.stringify(drift?.OKActions),
    );
    expect(alarm('driftwatch-quiet-attribution-drift')).toBeUndefined();
  });

  it('draws the nDCG against 0.9, the model rows and the failures on the dashboard', () => {
    const bodies = resourcesOf(template, 'AWS::CloudWatch::Dashboard').map(
      ([, d]) =>
        JSON.parse(renderTokens(d.DashboardBody)) as { widgets: { properties: Record<string, unknown> }[] },
    );
    const churn = bodies.find((b) => JSON.stringify(b).includes('# driftwatch: Churn'))!;
    const quiet = bodies.find((b) => JSON.stringify(b).includes('# driftwatch: quiet'))!;
    const titled = (body: typeof churn, title: string) =>
      body.widgets.find((w) => w.properties.title === title)?.properties;
    const metric = (name: string, options: Record<string, unknown>) => [
      DATA_NS,
      name,
      'Endpoint',
      'Churn',
      'MonitoringSchedule',
      'driftwatch-hourly',
      { period: 3600, ...options },
    ];

    expect(titled(churn, 'Feature attribution: nDCG against the baseline ranking')).toMatchObject({
      metrics: [metric('attribution_ndcg', { label: 'nDCG', stat: 'Minimum' })],
      annotations: { horizontal: [{ label: 'drift below 0.9', value: 0.9 }] },
      yAxis: { left: { min: 0, max: 1, showUnits: false } },
    });
    expect(titled(churn, 'Feature attribution: model rows sent')).toMatchObject({
      metrics: [metric('attribution_model_rows', { label: 'model rows', stat: 'Maximum' })],
    });
    expect(titled(churn, 'Feature attribution: failed explanations')).toMatchObject({
      metrics: [metric('attribution_failures', { label: 'failed (1)', stat: 'Maximum' })],
    });
    expect(titled(quiet, 'Feature attribution: nDCG against the baseline ranking')).toBeUndefined();
  });
});

describe('retraining on feature attribution drift', () => {
  const retraining = (on: Record<string, unknown>, fields: Record<string, unknown> = {}) =>
    endpoint({ retraining: { on, pipeline: { name: 'churn-retrain' } }, ...fields });

  it('defaults off, takes it on with an attribution block, and passes it to the function', () => {
    const config = parseConfig(
      {
        endpoints: [
          retraining({}, { attribution: {} }),
          retraining(
            { datasetDrift: false, qualityViolation: false, attributionDrift: true },
            { name: 'on', attribution: {} },
          ),
        ],
      },
      FILE,
    );

    expect(config.endpoints[0]?.retraining?.on.attributionDrift).toBe(false);
    const runtime = buildRetrainingRuntimeConfig(config.endpoints[1]!, config.endpoints[1]!.retraining!, {
      reportsBucketName: 'reports',
      reportsPrefix: '',
      topicArn: 'arn:aws:sns:us-east-1:1:t',
    });
    expect(runtime.on).toEqual({
      datasetDrift: false,
      qualityViolation: false,
      biasViolation: false,
      multivariateDrift: false,
      attributionDrift: true,
      alarms: [],
    });
    expect(parseRetrainingConfig(JSON.stringify(runtime)).on).toEqual(runtime.on);
  });

  it('needs the attribution block, and names wrong values', () => {
    expect(
      problemsOf({
        endpoints: [
          retraining({ attributionDrift: true }),
          retraining({ attributionDrift: 'yes' }, { name: 'b', attribution: {} }),
        ],
      }),
    ).toEqual([
      'test.config.json: endpoints[0].retraining.on.attributionDrift needs the endpoint\'s attribution block (no window is explained without it): add "attribution": {}, or remove it; got true',
      'test.config.json: endpoints[1].retraining.on.attributionDrift must be true or false; got "yes"',
    ]);
  });
});
