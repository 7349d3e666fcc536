// The fan-out state machine in the template: its Distributed Map over the plan's manifest, the
// worker and reducer functions, logging and tracing, the schedule that starts it, and
// least-privilege IAM for every role involved.
import { describe, expect, it } from 'vitest';
import { ConfigError, FAN_OUT_DEFAULTS } from '../../infra/config/index.ts';
import { buildStack, renderTokens, resourcesOf, TEST_CONFIG_JSON, testConfig } from './stack-fixtures.ts';

const FAN_OUT_JSON = {
  ...TEST_CONFIG_JSON,
  endpoints: [{ ...TEST_CONFIG_JSON.endpoints[0]!, fanOut: { maxObjects: 1500, batchSize: 40 } }],
};
const { template } = buildStack(testConfig(FAN_OUT_JSON));

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource?: unknown;
  Condition?: unknown;
}

const list = <T>(x: T | T[] | undefined): T[] => (x === undefined ? [] : Array.isArray(x) ? x : [x]);

/** renderTokens, plus the `Fn::Select` of an ARN's name CDK builds execution ARNs with. */
function render(value: unknown): string {
  const node = value as Record<string, unknown>;
  const select = node?.['Fn::Select'] as [number, { 'Fn::Split': [string, unknown] }] | undefined;
  if (select) return `<part ${select[0]} of ${render(select[1]['Fn::Split'][1])}>`;
  const join = node?.['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(render).join(join[0]);
  return renderTokens(value);
}

/** Every identity-policy statement, as `{policy, statement}` with resources rendered. */
function statements(): { policy: string; actions: string[]; resources: string[]; statement: Statement }[] {
  return resourcesOf(template, 'AWS::IAM::Policy').flatMap(([policy, p]) =>
    (p.PolicyDocument as { Statement: Statement[] }).Statement.map((statement) => ({
      policy,
      actions: list(statement.Action),
      resources: list(statement.Resource).map(render),
      statement,
    })),
  );
}

function logicalId(type: string, part: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.includes(part));
  if (ids.length !== 1) throw new Error(`expected one ${type} matching ${part}, found ${ids.join(', ')}`);
  return ids[0]!;
}

/** The resources a role's policies grant `action` on, sorted. */
function granted(rolePart: string, action: string): string[] {
  return statements()
    .filter((s) => s.policy.includes(rolePart) && s.actions.includes(action))
    .flatMap((s) => s.resources)
    .sort();
}

const stateMachineId = logicalId('AWS::StepFunctions::StateMachine', 'FanOut');
const [, stateMachine] = resourcesOf(template, 'AWS::StepFunctions::StateMachine')[0]!;
const definition = JSON.parse(renderTokens(stateMachine.DefinitionString)) as {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
};
const fn = {
  monitor: logicalId('AWS::Lambda::Function', 'MonitorFunction'),
  worker: logicalId('AWS::Lambda::Function', 'FanOutWorkerFunction'),
  reduce: logicalId('AWS::Lambda::Function', 'FanOutReduceFunction'),
};
const FAN_OUT_OBJECTS = '<ReportsBucket4E7C5994.Arn>/fan-out/churn-endpoint/driftwatch-hourly/*';
const MAP_RESULTS = '<ReportsBucket4E7C5994.Arn>/fan-out/churn-endpoint/driftwatch-hourly/map-results/*';
const REPORT_OBJECTS = '<ReportsBucket4E7C5994.Arn>/reports/churn-endpoint/driftwatch-hourly/*';
const HISTORY_OBJECTS = ['features', 'windows'].map(
  (t) => `<ReportsBucket4E7C5994.Arn>/history/${t}/endpoint=churn-endpoint/schedule=driftwatch-hourly/*`,
);
const BASELINE_OBJECTS = 'arn:<AWS::Partition>:s3:::baseline-bucket/baselines/churn/*';
const CAPTURE_OBJECTS = 'arn:<AWS::Partition>:s3:::capture-bucket/datacapture/churn-endpoint/*';
const LABEL_OBJECTS = 'arn:<AWS::Partition>:s3:::labels-bucket/ground-truth/*';

describe('the fan-out state machine', () => {
  it('plans, profiles the manifest with a Distributed Map in batches, and reduces each planned window', () => {
    expect(definition.StartAt).toBe('Plan');
    expect(definition.States.Plan).toMatchObject({
      Type: 'Task',
      Resource: 'arn:<AWS::Partition>:states:::lambda:invoke',
      Parameters: {
        FunctionName: `<${fn.monitor}.Arn>`,
        Payload: { 'event.$': '$', fanOut: { 'runId.$': '$$.Execution.Name' } },
      },
      ResultSelector: { 'fanOut.$': '$.Payload.fanOut' },
      Next: 'AnyLargeWindow',
    });
    expect(definition.States.AnyLargeWindow).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.fanOut.manifestKey', IsPresent: true, Next: 'ProfileParts' }],
      Default: 'Done',
    });

    const maps = Object.entries(definition.States).filter(
      ([, s]) =>
        s.Type === 'Map' &&
        (s.ItemProcessor as { ProcessorConfig?: { Mode?: string } }).ProcessorConfig?.Mode === 'DISTRIBUTED',
    );
    expect(maps.map(([name]) => name)).toEqual(['ProfileParts']);
    const [, map] = maps[0]!;
    expect(map).toMatchObject({
      ItemReader: {
        Resource: 'arn:<AWS::Partition>:states:::s3:getObject',
        ReaderConfig: { InputType: 'JSON' },
        Parameters: { 'Bucket.$': '$.fanOut.bucket', 'Key.$': '$.fanOut.manifestKey' },
      },
      ItemSelector: { 'runId.$': '$.fanOut.runId', 'item.$': '$$.Map.Item.Value' },
      ItemBatcher: { MaxItemsPerBatch: 40, MaxInputBytesPerBatch: 256 * 1024 },
      MaxConcurrency: FAN_OUT_DEFAULTS.maxConcurrency,
      ResultPath: null,
      Next: 'JoinPartitions',
      ItemProcessor: {
        StartAt: 'ProfileBatch',
        States: {
          ProfileBatch: {
            Type: 'Task',
            Parameters: {
              FunctionName: `<${fn.worker}.Arn>`,
              Payload: { 'Items.$': '$.Items[*].item', BatchInput: { 'runId.$': '$.Items[0].runId' } },
            },
          },
        },
      },
    });
    // Model quality: one join per (window, key partition), as the plan lists them, by the worker.
    expect(definition.States.JoinPartitions).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.fanOut.joins',
      MaxConcurrency: 40,
      ItemSelector: { 'join.$': '$$.Map.Item.Value' },
      ResultPath: null,
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        States: { JoinPartition: { Parameters: { FunctionName: `<${fn.worker}.Arn>`, 'Payload.$': '$' } } },
      },
      Next: 'ReduceWindows',
    });
    expect(definition.States.ReduceWindows).toMatchObject({
      Type: 'Map',
      ItemsPath: '$.fanOut.windows',
      MaxConcurrency: 1,
      ItemSelector: {
        'runId.$': '$.fanOut.runId',
        'plannedAt.$': '$.fanOut.plannedAt',
        'window.$': '$$.Map.Item.Value',
      },
      ItemProcessor: {
        ProcessorConfig: { Mode: 'INLINE' },
        States: { ReduceWindow: { Parameters: { FunctionName: `<${fn.reduce}.Arn>`, 'Payload.$': '$' } } },
      },
      Next: 'Done',
    });
  });

  it('passes the run id by ItemSelector (paths documented there), never a path in the fixed BatchInput', () => {
    const map = definition.States.ProfileParts!;
    const batcher = map.ItemBatcher as Record<string, unknown>;

    expect(Object.keys(batcher).sort()).toEqual(['MaxInputBytesPerBatch', 'MaxItemsPerBatch']);
    expect(JSON.stringify(batcher)).not.toContain('.$');
    expect((map.ItemSelector as Record<string, string>)['runId.$']).toBe('$.fanOut.runId');
  });

  it("writes the child executions' results to S3, under the fan-out prefix, and keeps them out of the state", () => {
    const map = definition.States.ProfileParts!;

    expect(map.ResultWriter).toEqual({
      Resource: 'arn:<AWS::Partition>:states:::s3:putObject',
      Parameters: {
        Bucket: `<${logicalId('AWS::S3::Bucket', 'ReportsBucket')}>`,
        Prefix: 'fan-out/churn-endpoint/driftwatch-hourly/map-results',
      },
    });
    expect(map.ResultPath).toBeNull();
    // Each child's output is one number, not the worker's response.
    expect(
      (map.ItemProcessor as { States: Record<string, { ResultSelector: unknown }> }).States.ProfileBatch!
        .ResultSelector,
    ).toEqual({ 'parts.$': '$.Payload.parts' });
  });

  it('logs ALL events with execution data to its own log group, and traces with X-Ray', () => {
    expect(stateMachine.LoggingConfiguration).toEqual({
      Destinations: [
        {
          CloudWatchLogsLogGroup: {
            LogGroupArn: { 'Fn::GetAtt': [logicalId('AWS::Logs::LogGroup', 'StateMachineLogGroup'), 'Arn'] },
          },
        },
      ],
      IncludeExecutionData: true,
      Level: 'ALL',
    });
    expect(stateMachine.TracingConfiguration).toEqual({ Enabled: true });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/vendedlogs/states/Driftwatch-churn-endpoint-fan-out',
      RetentionInDays: 30,
    });
  });

  it('is what the schedule starts, with the scheduled event, by a role that may start only it', () => {
    const [, schedule] = resourcesOf(template, 'AWS::Scheduler::Schedule')[0]!;
    const target = schedule.Target as { Arn: unknown; Input: string };

    expect(renderTokens(target.Arn)).toBe(`<${stateMachineId}>`);
    expect(JSON.parse(target.Input)).toEqual({
      'detail-type': 'Scheduled Event',
      time: '<aws.scheduler.scheduled-time>',
    });
    expect(granted('ScheduleRole', 'states:StartExecution')).toEqual([`<${stateMachineId}>`]);
    expect(granted('ScheduleRole', 'lambda:InvokeFunction')).toEqual([]);
  });

  it('runs the worker and the reducer with the house defaults and the monitor config', () => {
    const functions = Object.fromEntries(resourcesOf(template, 'AWS::Lambda::Function'));
    const configOf = (id: string) =>
      JSON.parse(
        renderTokens(
          (functions[id]!.Environment as { Variables: { MONITOR_CONFIG: unknown } }).Variables.MONITOR_CONFIG,
        ),
      );

    for (const id of [fn.worker, fn.reduce]) {
      expect(functions[id]).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 2048,
        Timeout: 600,
        TracingConfig: { Mode: 'Active' },
      });
      expect(configOf(id)).toEqual(configOf(fn.monitor));
    }
    expect(configOf(fn.monitor).fanOut).toEqual({ maxObjects: 1500, maxBytes: 512 * 1024 * 1024 });
    // Every part of a window is profiled within the smaller of the monitor's and the worker's memory.
    expect(functions[fn.monitor]!.MemorySize).toBe(1024);
    expect(configOf(fn.monitor).profileMemoryMb).toBe(1024);
  });

  it('alarms on failed, timed-out or aborted executions, to the endpoint topic', () => {
    const [, alarm] = resourcesOf(template, 'AWS::CloudWatch::Alarm').find(
      ([, a]) => a.AlarmName === 'driftwatch-churn-endpoint-fan-out-failed',
    )!;

    expect(alarm).toMatchObject({
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: logicalId('AWS::SNS::Topic', 'churnendpoint') }],
    });
    expect((alarm.Metrics as { Expression?: string }[])[0]!.Expression).toBe(
      'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)',
    );
  });

  it('expires the manifests and partial profiles of runs after a week', () => {
    const [, bucket] = resourcesOf(template, 'AWS::S3::Bucket').find(([id]) =>
      id.startsWith('ReportsBucket'),
    )!;

    expect((bucket.LifecycleConfiguration as { Rules: unknown[] }).Rules).toContainEqual({
      Id: 'driftwatch-fan-out-churn-endpoint',
      Prefix: 'fan-out/churn-endpoint/driftwatch-hourly/',
      ExpirationInDays: 7,
      NoncurrentVersionExpiration: { NoncurrentDays: 1 },
      Status: 'Enabled',
    });
  });
});

describe('least privilege with fan-out', () => {
  it('allows no wildcard action, and Resource "*" only for logging, tracing and namespaced metrics', () => {
    const all = statements().filter((s) => s.statement.Effect === 'Allow');

    expect(all.flatMap((s) => s.actions.filter((a) => a.includes('*')))).toEqual([]);
    for (const s of all.filter((x) => x.resources.includes('*'))) {
      const ok =
        s.actions.every((a) => a.startsWith('xray:') || a.startsWith('logs:')) ||
        (s.actions.join() === 'cloudwatch:PutMetricData' &&
          JSON.stringify(s.statement.Condition).includes('cloudwatch:namespace'));
      expect(ok, `${s.policy}: ${s.actions.join(', ')}`).toBe(true);
      if (s.actions.some((a) => a.startsWith('logs:'))) expect(s.policy).toContain('FanOutStateMachineRole');
    }
  });

  it('lets the state machine invoke exactly its three functions (no versions or aliases) and read its manifests', () => {
    expect(granted('FanOutStateMachineRole', 'lambda:InvokeFunction')).toEqual(
      [`<${fn.monitor}.Arn>`, `<${fn.reduce}.Arn>`, `<${fn.worker}.Arn>`].sort(),
    );
    expect(granted('FanOutStateMachineRole', 's3:GetObject')).toEqual([FAN_OUT_OBJECTS, MAP_RESULTS].sort());
    expect(granted('StateMachineDistributedMapPolicy', 'states:StartExecution')).toEqual([
      `<${stateMachineId}>`,
    ]);
  });

  it('lets the Distributed Map write its results under its map-results folder only, with the actions ResultWriter needs', () => {
    const writer = statements().filter(
      (s) => s.policy.includes('FanOutStateMachineRole') && s.actions.includes('s3:PutObject'),
    );

    expect(writer.map((s) => [s.actions.sort(), s.resources])).toEqual([
      [
        ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        [MAP_RESULTS],
      ],
    ]);
  });

  it('lets a worker read capture, baseline and labels, write partials and read its quality partitions, and nothing else', () => {
    const worker = statements().filter((s) => s.policy.includes('FanOutWorkerFunctionRole'));

    expect(granted('FanOutWorkerFunctionRole', 's3:GetObject')).toEqual([
      FAN_OUT_OBJECTS,
      BASELINE_OBJECTS,
      CAPTURE_OBJECTS,
      LABEL_OBJECTS,
    ]);
    expect(granted('FanOutWorkerFunctionRole', 's3:PutObject')).toEqual([FAN_OUT_OBJECTS]);
    expect([...new Set(worker.flatMap((s) => s.actions))].sort()).toEqual([
      'logs:CreateLogStream',
      'logs:PutLogEvents',
      's3:GetObject',
      's3:ListBucket',
      's3:PutObject',
      'xray:PutTelemetryRecords',
      'xray:PutTraceSegments',
    ]);
  });

  it('lets the reducer read partials, write reports, publish and describe the endpoint, as the monitor does', () => {
    expect(granted('FanOutReduceFunctionRole', 's3:GetObject')).toEqual(
      [BASELINE_OBJECTS, FAN_OUT_OBJECTS, REPORT_OBJECTS].sort(),
    );
    // The reports, and the window's history lines (put only).
    expect(granted('FanOutReduceFunctionRole', 's3:PutObject')).toEqual([...HISTORY_OBJECTS, REPORT_OBJECTS]);
    expect(granted('FanOutReduceFunctionRole', 'sns:Publish')).toEqual([
      `<${logicalId('AWS::SNS::Topic', 'churnendpoint')}>`,
    ]);
    expect(granted('FanOutReduceFunctionRole', 'sagemaker:DescribeEndpoint')).toEqual([
      'arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:endpoint/churn-endpoint',
    ]);
    expect(granted('FanOutReduceFunctionRole', 's3:DeleteObject')).toEqual([]);
    // The plan step (the monitor) writes the manifest, under the same prefix only.
    expect(granted('MonitorFunctionRole', 's3:PutObject')).toEqual(
      [FAN_OUT_OBJECTS, ...HISTORY_OBJECTS, REPORT_OBJECTS].sort(),
    );
  });
});

describe('the fanOut setting', () => {
  it('is off unless set, takes true for the defaults, and names a wrong field', () => {
    expect(testConfig().endpoints[0]!.fanOut).toBeUndefined();
    expect(buildStack().template.findResources('AWS::StepFunctions::StateMachine')).toEqual({});
    const endpoint = (fanOut: unknown) => ({
      ...TEST_CONFIG_JSON,
      endpoints: [{ ...TEST_CONFIG_JSON.endpoints[0]!, fanOut }],
    });
    expect(testConfig(endpoint(true)).endpoints[0]!.fanOut).toEqual({
      maxObjects: 2000,
      maxBytes: 536870912,
      batchSize: 100,
      maxConcurrency: 50,
    });
    expect(testConfig(endpoint(false)).endpoints[0]!.fanOut).toBeUndefined();
    expect(() => testConfig(endpoint({ batchSize: 0, maxObject: 5 }))).toThrow(ConfigError);
    expect(() => testConfig(endpoint({ batchSize: 0, maxObject: 5 }))).toThrow(
      [
        'test.config.json: endpoints[0].fanOut.batchSize must be a whole number from 1 to 9007199254740991; got 0',
        'test.config.json: endpoints[0].fanOut.maxObject is not a known field; known fields are maxObjects, maxBytes, batchSize, maxConcurrency; got 5',
      ].join('\n'),
    );
  });
});
