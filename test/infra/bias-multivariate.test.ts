/**
 * The deployed bias configuration (an endpoint's `bias` block) and the multivariate monitor in
 * the stack: the config's checks, MONITOR_CONFIG, the monitor's grants (exactly the two objects,
 * their KMS key, Clarify's namespace), the alarms, the dashboard rows and the retraining triggers.
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
const BASELINE_KEY = 'arn:aws:kms:us-east-1:123456789012:key/9999aaaa-2222-3333-4444-555566667777';
const BIAS_NS = 'aws/sagemaker/Endpoints/bias-metrics';
const DATA_NS = 'aws/sagemaker/Endpoints/data-metrics';

/** A binary classifier with labels, and these fields besides. */
function endpoint(fields: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'credit',
    captureUri: 's3://cap-bucket/capture',
    baselineUri: 's3://base-bucket/baselines/credit',
    groundTruthUri: 's3://label-bucket/labels',
    problemType: 'BinaryClassification',
    ...fields,
  };
}

const BIAS = {
  analysisConfig: 's3://bias-bucket/credit/analysis_config.json',
  baseline: 's3://bias-bucket/credit/analysis.json',
  kmsKeyArn: KEY,
};

describe('the bias block of the config', () => {
  it('takes the two objects, the baseline defaulting to the baseline folder with its key', () => {
    const config = parseConfig(
      {
        endpoints: [
          endpoint({ bias: BIAS }),
          endpoint({
            name: 'other',
            baselineKmsKeyArn: BASELINE_KEY,
            bias: { analysisConfig: 's3://bias-bucket/other/analysis_config.json' },
          }),
        ],
      },
      FILE,
    );

    expect(config.endpoints[0]?.bias).toEqual({
      analysisConfig: {
        uri: 's3://bias-bucket/credit/analysis_config.json',
        bucket: 'bias-bucket',
        key: 'credit/analysis_config.json',
        kmsKeyArn: KEY,
      },
      baseline: {
        uri: 's3://bias-bucket/credit/analysis.json',
        bucket: 'bias-bucket',
        key: 'credit/analysis.json',
        kmsKeyArn: KEY,
      },
    });
    expect(config.endpoints[1]?.bias).toEqual({
      analysisConfig: {
        uri: 's3://bias-bucket/other/analysis_config.json',
        bucket: 'bias-bucket',
        key: 'other/analysis_config.json',
      },
      baseline: {
        uri: 's3://base-bucket/baselines/credit/bias/analysis.json',
        bucket: 'base-bucket',
        key: 'baselines/credit/bias/analysis.json',
        kmsKeyArn: BASELINE_KEY,
      },
    });
    expect(config.endpoints[0]?.alarms.biasViolations).toEqual({
      threshold: 1,
      periodMinutes: 60,
      evaluationPeriods: 3,
      datapointsToAlarm: 1,
    });
    expect(config.endpoints[0]?.alarms.multivariateDrift).toMatchObject({ threshold: 1 });
  });

  it('names the field and the fix of every mistake', () => {
    expect(
      problemsOf({
        endpoints: [
          endpoint({ problemType: 'Regression', bias: { analysisConfig: 's3://bias-bucket/a.json' } }),
          endpoint({
            name: 'b',
            bias: { analysisConfig: 's3://bias-bucket/folder/', baseline: 'https://x', kmsKeyArn: 'alias/x' },
          }),
          endpoint({ name: 'c', bias: { baseline: 's3://bias-bucket/c/analysis.json', facets: [] } }),
          endpoint({ name: 'd', bias: { analysisConfig: 's3://bias-bucket/d/*.json' } }),
          {
            name: 'e',
            captureUri: 's3://cap-bucket/c',
            baselineUri: 's3://cap-bucket/b',
            alarms: { biasViolations: 2 },
          },
          endpoint({ name: 'f', bias: 'yes' }),
        ],
      }),
    ).toEqual([
      'test.config.json: endpoints[0].bias needs problemType "BinaryClassification" and groundTruthUri: bias compares the labelled predictions of a binary classifier; set both, or remove bias; got {"analysisConfig":"s3://bias-bucket/a.json"}',
      'test.config.json: endpoints[1].bias.kmsKeyArn must be a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID; got "alias/x"',
      'test.config.json: endpoints[1].bias.analysisConfig must be the s3:// URI of one file (not a folder), like s3://my-bucket/bias/analysis_config.json; got "s3://bias-bucket/folder/"',
      'test.config.json: endpoints[1].bias.baseline must be the s3:// URI of one file (not a folder), like s3://my-bucket/bias/analysis.json; got "https://x"',
      'test.config.json: endpoints[2].bias.facets is not a known field; known fields are analysisConfig, baseline, kmsKeyArn',
      'test.config.json: endpoints[2].bias.analysisConfig is required: set it to the s3:// URI of the file, like s3://my-bucket/bias/analysis_config.json; got nothing',
      'test.config.json: endpoints[3].bias.analysisConfig has * or ? in its key, which IAM reads as wildcards, so the monitor could not be allowed that object alone: rename the object; got "s3://bias-bucket/d/*.json"',
      'test.config.json: endpoints[4].alarms.biasViolations needs the endpoint\'s bias block (the bias_violations metric of a deployed bias configuration): add "bias": {"analysisConfig": "s3://..."}, or remove it; got 2',
      'test.config.json: endpoints[5].bias must be {"analysisConfig": "s3://.../analysis_config.json", "baseline": "s3://.../analysis.json"} ("baseline" optional); got "yes"',
    ]);
  });

  it('reaches the monitor as MONITOR_CONFIG.bias, which the monitor reads back', () => {
    const config = parseConfig({ endpoints: [endpoint({ bias: BIAS }), endpoint({ name: 'plain' })] }, FILE);
    const resources = {
      dataMetricsNamespace: DATA_NS,
      modelMetricsNamespace: 'm',
      reportsBucketName: 'reports',
      reportsPrefix: '',
      topicArn: 'arn:aws:sns:us-east-1:123456789012:t',
      profileMemoryMb: 1024,
    };

    const runtime = buildMonitorRuntimeConfig(config.endpoints[0]!, resources);

    expect(runtime.bias).toEqual({
      analysisConfigUri: 's3://bias-bucket/credit/analysis_config.json',
      analysisUri: 's3://bias-bucket/credit/analysis.json',
    });
    expect(parseMonitorConfig(JSON.stringify(runtime))).toEqual(runtime);
    expect(buildMonitorRuntimeConfig(config.endpoints[1]!, resources).bias).toBeUndefined();
    expect(() =>
      parseMonitorConfig(JSON.stringify({ ...runtime, bias: { ...runtime.bias, analysisUri: 's3://b/' } })),
    ).toThrow(
      'MONITOR_CONFIG.bias.analysisUri must be an S3 object URI (s3://bucket/path/file.json); got "s3://b/"',
    );
    expect(() => parseMonitorConfig(JSON.stringify({ ...runtime, problemType: 'Regression' }))).toThrow(
      'MONITOR_CONFIG.bias must be absent unless problemType is BinaryClassification and groundTruthUri is set',
    );
  });
});

describe('a stack with a bias block', () => {
  const { template } = buildStack(
    testConfig({
      endpoints: [
        endpoint({ bias: BIAS, fanOut: true }),
        endpoint({ name: 'quiet', alarms: { multivariateDrift: false } }),
      ],
    }),
  );
  type Statement = { Effect: string; Action: string | string[]; Resource: unknown; Condition?: unknown };
  const statements = (role: string): Statement[] =>
    resourcesOf(template, 'AWS::IAM::Policy')
      .filter(([id]) => id.includes(role))
      .flatMap(([, p]) => (p.PolicyDocument as { Statement: Statement[] }).Statement);
  const alarm = (name: string) =>
    resourcesOf(template, 'AWS::CloudWatch::Alarm').find(([, p]) => p.AlarmName === name)?.[1];

  it.each(['creditMonitorFunctionRole', 'creditFanOutWorkerFunctionRole', 'creditFanOutReduceFunctionRole'])(
    'lets %s get exactly the two bias objects, decrypting them through S3 only',
    (role) => {
      const own = statements(role);
      const actions = (st: Statement) => [st.Action].flat();
      const resources = (st: Statement) => [st.Resource].flat().map(renderTokens);
      const onBiasBucket = (st: Statement) => resources(st).filter((r) => r.includes('bias-bucket'));

      // CDK merges statements of the same action: the bias objects sit among the other reads.
      expect(own.filter((st) => onBiasBucket(st).length > 0).map((st) => actions(st))).toEqual([
        ['s3:GetObject'],
      ]);
      expect(own.flatMap(onBiasBucket).sort()).toEqual([
        'arn:<AWS::Partition>:s3:::bias-bucket/credit/analysis.json',
        'arn:<AWS::Partition>:s3:::bias-bucket/credit/analysis_config.json',
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

  it("puts bias metrics only to Clarify's namespace besides the two of its own", () => {
    const put = statements('creditMonitorFunctionRole').find((s) => s.Action === 'cloudwatch:PutMetricData');

    expect(put?.Condition).toEqual({
      StringEquals: {
        'cloudwatch:namespace': [DATA_NS, 'aws/sagemaker/Endpoints/model-metrics', BIAS_NS],
      },
    });
  });

  it("alarms on bias_violations in Clarify's namespace and on multivariate_drift, like the drift alarms", () => {
    const topic = (a: Record<string, unknown> | undefined) => JSON.stringify(a?.AlarmActions);

    expect(alarm('driftwatch-credit-bias-violations')).toMatchObject({
      Namespace: BIAS_NS,
      MetricName: 'bias_violations',
      Dimensions: [
        { Name: 'Endpoint', Value: 'credit' },
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
    expect(alarm('driftwatch-credit-multivariate-drift')).toMatchObject({
      Namespace: DATA_NS,
      MetricName: 'multivariate_drift',
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
    });
    const drift = alarm('driftwatch-credit-dataset-drift');
    for (const name of ['driftwatch-credit-bias-violations', 'driftwatch-credit-multivariate-drift']) {
      expect(topic(alarm(name)), name).toBe(topic(drift));
      expect(JSON.stringify(alarm(name)?.OKActions), name).toBe(JSON.stringify(drift?.OKActions));
    }
    // No bias block: no bias alarm; multivariate turned off by the config: none either.
    expect(alarm('driftwatch-quiet-bias-violations')).toBeUndefined();
    expect(alarm('driftwatch-quiet-multivariate-drift')).toBeUndefined();
    expect(alarm('driftwatch-quiet-dataset-drift')).toBeDefined();
  });

  it('draws a bias row and a multivariate widget on the dashboard', () => {
    const bodies = resourcesOf(template, 'AWS::CloudWatch::Dashboard').map(
      ([, d]) =>
        JSON.parse(renderTokens(d.DashboardBody)) as {
          widgets: { properties: Record<string, unknown> }[];
        },
    );
    const credit = bodies.find((b) => JSON.stringify(b).includes('# driftwatch: credit'))!;
    const quiet = bodies.find((b) => JSON.stringify(b).includes('# driftwatch: quiet'))!;
    const titled = (body: typeof credit, title: string) =>
      body.widgets.find((w) => w.properties.title === title)?.properties;

    expect(titled(credit, 'Bias: significant violations per window')).toMatchObject({
      metrics: [
        [
          BIAS_NS,
          'bias_violations',
          'Endpoint',
          'credit',
          'MonitoringSchedule',
          'driftwatch-hourly',
          { label: 'bias_violations', period: 3600, stat: 'Maximum' },
        ],
      ],
      annotations: { horizontal: [{ label: 'alarm 1', value: 1 }] },
    });
    expect(titled(credit, 'Bias: DPPL per facet value (ideal 0)')).toMatchObject({
      metrics: [
        [
          {
            expression: `SEARCH('{${BIAS_NS},Endpoint,MonitoringSchedule,BiasStage,Label,LabelValue,Facet,FacetValue} Endpoint="credit" MonitoringSchedule="driftwatch-hourly" MetricName="bias_metric_DPPL"', 'Maximum', 3600)`,
          },
        ],
      ],
    });
    expect(titled(credit, 'Bias: disparate impact per facet value (ideal 1)')).toBeDefined();
    expect(
      titled(credit, 'Multivariate drift: reconstruction error against the baseline band'),
    ).toMatchObject({
      metrics: [
        [
          DATA_NS,
          'multivariate_reconstruction_error',
          'Endpoint',
          'credit',
          'MonitoringSchedule',
          'driftwatch-hourly',
          { label: 'reconstruction error', period: 3600, stat: 'Maximum' },
        ],
        [
          DATA_NS,
          'multivariate_upper_threshold',
          'Endpoint',
          'credit',
          'MonitoringSchedule',
          'driftwatch-hourly',
          { label: 'upper threshold', period: 3600, stat: 'Maximum' },
        ],
        [
          DATA_NS,
          'multivariate_lower_threshold',
          'Endpoint',
          'credit',
          'MonitoringSchedule',
          'driftwatch-hourly',
          { label: 'lower threshold', period: 3600, stat: 'Maximum' },
        ],
        [
          DATA_NS,
          'multivariate_drift',
          'Endpoint',
          'credit',
          'MonitoringSchedule',
          'driftwatch-hourly',
          { label: 'outside the baseline band (1)', period: 3600, stat: 'Maximum', yAxis: 'right' },
        ],
      ],
      yAxis: { right: { min: 0, max: 1, showUnits: false } },
    });
    expect(titled(quiet, 'Bias: significant violations per window')).toBeUndefined();
    expect(titled(quiet, 'Multivariate drift: reconstruction error against the baseline band')).toBeDefined();
  });
});

describe('retraining on bias violations and multivariate drift', () => {
  const retraining = (on: Record<string, unknown>, fields: Record<string, unknown> = {}) =>
    endpoint({ retraining: { on, pipeline: { name: 'credit-retrain' } }, ...fields });

  it('defaults both triggers off, takes them on, and passes them to the function', () => {
    const config = parseConfig(
      {
        endpoints: [
          retraining({}),
          retraining(
            { datasetDrift: false, qualityViolation: false, biasViolation: true, multivariateDrift: true },
            { name: 'on' },
          ),
        ],
      },
      FILE,
    );
    const resources = {
      reportsBucketName: 'reports',
      reportsPrefix: '',
      topicArn: 'arn:aws:sns:us-east-1:1:t',
    };

    expect(config.endpoints[0]?.retraining?.on).toEqual({
      datasetDrift: true,
      qualityViolation: true,
      biasViolation: false,
      multivariateDrift: false,
      attributionDrift: false,
      alarms: [],
    });
    const runtime = buildRetrainingRuntimeConfig(
      config.endpoints[1]!,
      config.endpoints[1]!.retraining!,
      resources,
    );
    expect(runtime.on).toEqual({
      datasetDrift: false,
      qualityViolation: false,
      biasViolation: true,
      multivariateDrift: true,
      attributionDrift: false,
      alarms: [],
    });
    expect(parseRetrainingConfig(JSON.stringify(runtime)).on).toEqual(runtime.on);
  });

  it('counts them as triggers, needs a binary classifier with labels for bias, and names wrong values', () => {
    expect(
      problemsOf({
        endpoints: [
          {
            name: 'plain',
            captureUri: 's3://cap-bucket/c',
            baselineUri: 's3://cap-bucket/b',
            retraining: { on: { biasViolation: true }, pipeline: { name: 'p' } },
          },
          retraining({ multivariateDrift: 'yes' }, { name: 'b' }),
        ],
      }),
    ).toEqual([
      'test.config.json: endpoints[0].retraining.on.biasViolation needs problemType "BinaryClassification" and groundTruthUri (bias is measured on labelled predictions of a binary classifier): set both, or remove it; got true',
      'test.config.json: endpoints[1].retraining.on.multivariateDrift must be true or false; got "yes"',
    ]);
    // Only multivariate drift on is a trigger: not "every trigger off".
    expect(() =>
      parseConfig(
        {
          endpoints: [retraining({ datasetDrift: false, qualityViolation: false, multivariateDrift: true })],
        },
        FILE,
      ),
    ).not.toThrow();
  });
});
