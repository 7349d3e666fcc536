// The retraining flow end to end: state in s3rver (conditional writes honoured), SageMaker and SNS
// mocked, the clock set per run. Covers what starts a retraining, the cooldown across runs,
// re-runs and redeliveries of a window, dry run, and a start that fails.
//
// The function's S3 requests are answered as S3 answers its role (test/support/s3rver.ts): a GET
// of a missing key is 403 AccessDenied, not 404, as the role holds s3:ListBucket only for
// listings under its state prefix (what a dry run needs), or not at all (as deployed before: a
// real run needs none).
import { ListObjectsV2Command, S3ServiceException } from '@aws-sdk/client-s3';
import {
  DescribeTrainingJobCommand,
  SageMakerClient,
  StartPipelineExecutionCommand,
} from '@aws-sdk/client-sagemaker';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  parseRetrainingConfig,
  type RetrainingRuntimeConfig,
} from '../../functions/contracts/retraining-config.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { handler } from '../../functions/handlers/retraining.ts';
import { type RetrainingDeps, requestOf, runRetraining } from '../../functions/pipeline/retraining-run.ts';
import { topicMessages } from '../../functions/sources/topic-message.ts';
import {
  attributionSection,
  attributionViolation,
  biasSection,
  driftViolation,
  feature,
  multivariateResult,
  multivariateViolation,
  report,
} from '../sinks/report-fixture.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';
import { alarmEvent, snsEvent, summaryEvent } from '../support/topic-events.ts';

const BUCKET = 'reports';
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:driftwatch-churn-xgb';
const EXECUTION = 'arn:aws:sagemaker:us-east-1:123456789012:pipeline/churn-retrain/execution/abc123';

/** The retraining role: ListBucket only for listings under a state prefix (`${stateKeys}/*`). */
const ROLE = 'retraining';
/** The retraining role without ListBucket. */
const ROLE_WITHOUT_LIST = 'retraining-without-list';

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3([BUCKET], {
    principals: {
      [ROLE]: { listBucket: { [BUCKET]: ['retraining/*/state/*'] } },
      [ROLE_WITHOUT_LIST]: { listBucket: {} },
    },
  });
});
afterAll(async () => {
  await s3?.stop();
});

const sagemaker = new SageMakerClient({ region: 'us-east-1' });
const sns = new SNSClient({ region: 'us-east-1' });
const sm = mockClient(sagemaker);
const topic = mockClient(sns);
beforeEach(() => {
  sm.reset();
  topic.reset();
  sm.on(StartPipelineExecutionCommand).resolves({ PipelineExecutionArn: EXECUTION });
  topic.on(PublishCommand).resolves({ MessageId: 'm' });
});

let n = 0;
/** A config with a state prefix of its own. */
function config(over: Partial<RetrainingRuntimeConfig> = {}): RetrainingRuntimeConfig {
  n++;
  return {
    endpoint: 'churn-xgb',
    scheduleName: 'hourly',
    topicArn: TOPIC,
    reportsBucket: BUCKET,
    reportsPrefix: '',
    stateUri: `s3://${BUCKET}/retraining/churn-xgb-${n}/state/`,
    dryRun: false,
    cooldownHours: 24,
    on: {
      datasetDrift: true,
      qualityViolation: true,
      biasViolation: false,
      multivariateDrift: false,
      attributionDrift: false,
      alarms: ['driftwatch-churn-xgb-quality-auc'],
    },
    action: {
      kind: 'pipeline',
      pipelineName: 'churn-retrain',
      parameters: { TrainingInstanceType: 'ml.m5.xlarge' },
      windowParameters: { start: 'WindowStart', end: 'WindowEnd', report: 'ReportUri' },
    },
    ...over,
  };
}

function deps(c: RetrainingRuntimeConfig, now: string, role = ROLE): RetrainingDeps {
  return { config: c, s3: s3.clientAs(role), sagemaker, sns, now: () => new Date(now), log: () => {} };
}

const drifted = (): Report => {
  const names = ['plan', 'age'];
  return report(
    names.map((name) => feature(name, { distance: 0.4, drifted: true })),
    names.map(driftViolation),
  );
};
const calm = (): Report => report([feature('plan'), feature('age')]);

/** The summary of the window starting at `hour` (ISO), as delivered. */
const summary = (hour: string, r: Report = drifted()) =>
  summaryEvent(r, {
    endpoint: 'churn-xgb',
    scheduleName: 'hourly',
    windowStart: new Date(hour),
    reportLocation: `s3://${BUCKET}/reports/churn-xgb/hourly/${hour.slice(0, 10).replace(/-/g, '/')}/${hour.slice(11, 13)}/`,
  });

const starts = () => sm.commandCalls(StartPipelineExecutionCommand).map((c) => c.args[0].input);
const notices = () =>
  topic.commandCalls(PublishCommand).map((c) => {
    const { Subject, Message, MessageAttributes, TopicArn } = c.args[0].input;
    return { TopicArn, Subject, Message: Message ?? '', MessageAttributes };
  });

async function stateKeys(c: RetrainingRuntimeConfig): Promise<string[]> {
  const prefix = c.stateUri.replace(`s3://${BUCKET}/`, '');
  const res = await s3.client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!.slice(prefix.length)).sort();
}

const NOTICE_ATTRIBUTES = {
  'driftwatch.kind': { DataType: 'String', StringValue: 'retraining' },
  'driftwatch.endpoint': { DataType: 'String', StringValue: 'churn-xgb' },
};

describe('on dataset drift', () => {
  it('starts the pipeline once, skips the next window for the cooldown, and starts again after it', async () => {
    const c = config();

    const first = await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));
    const next = await runRetraining(deps(c, '2026-11-26T07:12:00Z'), summary('2026-11-26T06:00:00Z'));
    const dayAfter = await runRetraining(deps(c, '2026-11-27T07:12:00Z'), summary('2026-11-27T06:00:00Z'));

    expect([first, next, dayAfter].map((o) => o.map((x) => x.outcome))).toEqual([
      ['started'],
      ['skipped'],
      ['started'],
    ]);
    expect(starts().map((s) => s.PipelineParameters)).toEqual([
      [
        { Name: 'TrainingInstanceType', Value: 'ml.m5.xlarge' },
        { Name: 'WindowStart', Value: '2026-11-26T05:00:00.000Z' },
        { Name: 'WindowEnd', Value: '2026-11-26T06:00:00.000Z' },
        { Name: 'ReportUri', Value: 's3://reports/reports/churn-xgb/hourly/2026/11/26/05/' },
      ],
      [
        { Name: 'TrainingInstanceType', Value: 'ml.m5.xlarge' },
        { Name: 'WindowStart', Value: '2026-11-27T06:00:00.000Z' },
        { Name: 'WindowEnd', Value: '2026-11-27T07:00:00.000Z' },
        { Name: 'ReportUri', Value: 's3://reports/reports/churn-xgb/hourly/2026/11/27/06/' },
      ],
    ]);
    expect(notices()).toEqual([
      {
        TopicArn: TOPIC,
        Subject: 'driftwatch: churn-xgb retraining started',
        Message: [
          'driftwatch started a retraining of endpoint churn-xgb because dataset drift was detected in the window of 2026-11-26 05:00 UTC.',
          '',
          `Pipeline execution: abc123 (${EXECUTION})`,
          'Window: 2026-11-26T05:00:00.000Z to 2026-11-26T06:00:00.000Z',
          'Report: s3://reports/reports/churn-xgb/hourly/2026/11/26/05/',
          '',
          'No other retraining of churn-xgb starts before 2026-11-27T06:12:00.000Z (cooldown of 24 hours).',
          '',
        ].join('\n'),
        MessageAttributes: NOTICE_ATTRIBUTES,
      },
      {
        TopicArn: TOPIC,
        Subject: 'driftwatch: churn-xgb retraining skipped',
        Message: [
          'driftwatch did not start a retraining of endpoint churn-xgb: a retraining started at 2026-11-26T06:12:00.000Z (dataset drift was detected in the window of 2026-11-26 05:00 UTC), and none starts within 24 hours of it, until 2026-11-27T06:12:00.000Z.',
          '',
          'Asked for because dataset drift was detected in the window of 2026-11-26 06:00 UTC.',
          'Window: 2026-11-26T06:00:00.000Z to 2026-11-26T07:00:00.000Z',
          'Report: s3://reports/reports/churn-xgb/hourly/2026/11/26/06/',
          '',
        ].join('\n'),
        MessageAttributes: NOTICE_ATTRIBUTES,
      },
      expect.objectContaining({ Subject: 'driftwatch: churn-xgb retraining started' }),
    ]);
    expect(await stateKeys(c)).toEqual([
      'last-start.json',
      'windows/2026-11-26T05Z.json',
      'windows/2026-11-26T06Z.json',
      'windows/2026-11-27T06Z.json',
    ]);
  });

  it('does not start a second retraining when the same window comes again (re-run, redelivery, or its alarm)', async () => {
    const c = config({ cooldownHours: 0.001 });

    await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));
    const again = await runRetraining(deps(c, '2026-11-26T09:00:00Z'), summary('2026-11-26T05:00:00Z'));
    const alarm = await runRetraining(
      deps(c, '2026-11-26T09:00:00Z'),
      alarmEvent('driftwatch-churn-xgb-quality-auc', 'ALARM', '2026-11-26T06:14:10.000+0000'),
    );

    expect(starts()).toHaveLength(1);
    expect([...again, ...alarm]).toEqual([
      expect.objectContaining({ outcome: 'skipped', why: 'window-handled' }),
      expect.objectContaining({ outcome: 'skipped', why: 'window-handled' }),
    ]);
    expect(notices()[1]?.Message.split('\n')[0]).toBe(
      'driftwatch did not start a retraining of endpoint churn-xgb: the window was already handled at 2026-11-26T06:12:00.000Z (dataset drift was detected in the window of 2026-11-26 05:00 UTC).',
    );
  });

  it('starts only once when two windows race for the cooldown', async () => {
    const c = config();

    const outcomes = await Promise.all(
      ['2026-11-26T03:00:00Z', '2026-11-26T04:00:00Z', '2026-11-26T05:00:00Z'].map((hour) =>
        runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary(hour)),
      ),
    );

    expect(starts()).toHaveLength(1);
    expect(
      outcomes
        .flat()
        .map((o) => o.outcome)
        .sort(),
    ).toEqual(['skipped', 'skipped', 'started']);
  });
});

describe('what asks for a retraining', () => {
  it('a model-quality violation, a named alarm going to ALARM; not a calm window, other alarms, OK, or its own notices', async () => {
    const quality = report([feature('plan')], [], {
      quality: { violations: [{ metric_name: 'auc' }] } as unknown as Report['quality'],
    });
    const events = [
      summary('2026-11-26T01:00:00Z', calm()),
      alarmEvent('driftwatch-churn-xgb-memory', 'ALARM', '2026-11-26T02:30:00.000+0000'),
      alarmEvent('driftwatch-churn-xgb-quality-auc', 'OK', '2026-11-26T02:30:00.000+0000', 'ALARM'),
      snsEvent('started', 'driftwatch: churn-xgb retraining started', {
        'driftwatch.kind': { Type: 'String', Value: 'retraining' },
      }),
      summary('2026-11-26T03:00:00Z', quality),
      alarmEvent('driftwatch-churn-xgb-quality-auc', 'ALARM', '2026-11-26T07:12:30.000+0000'),
    ];

    const outcomes = [];
    for (const event of events)
      outcomes.push(
        ...(await runRetraining(deps(config({ cooldownHours: 1 }), '2026-11-26T08:00:00Z'), event)),
      );

    expect(
      outcomes.map((o) => (o.outcome === 'ignored' ? o.why : `${o.outcome}: ${o.request.reason}`)),
    ).toEqual([
      'the summary of 2026-11-26 01:00 UTC has no dataset drift, model-quality or bias violation, multivariate or feature attribution drift that retraining.on names',
      'alarm driftwatch-churn-xgb-memory is not in retraining.on.alarms',
      'alarm driftwatch-churn-xgb-quality-auc went to OK, not ALARM',
      'a retraining message asks for no retraining',
      'started: 1 model-quality constraint was broken in the window of 2026-11-26 03:00 UTC',
      'started: alarm driftwatch-churn-xgb-quality-auc went to ALARM at 2026-11-26T07:12:30.000Z',
    ]);
    // The alarm speaks for the last complete hour before it changed state.
    expect(starts()[1]?.PipelineParameters?.slice(1)).toEqual([
      { Name: 'WindowStart', Value: '2026-11-26T06:00:00.000Z' },
      { Name: 'WindowEnd', Value: '2026-11-26T07:00:00.000Z' },
      { Name: 'ReportUri', Value: 's3://reports/reports/churn-xgb/hourly/2026/11/26/06/' },
    ]);
    expect(notices()).toHaveLength(2);
  });

  it('a significant bias violation or multivariate drift, each only when retraining.on names it', async () => {
    const biased = report([feature('plan')], [], { bias: biasSection() });
    const together = report([feature('plan')], [multivariateViolation()], {
      multivariate: multivariateResult(),
    });
    const noisy = report([feature('plan')], [], { bias: biasSection({ violations: 0 }) });
    const off = config();
    const on = config({
      on: {
        datasetDrift: false,
        qualityViolation: false,
        biasViolation: true,
        multivariateDrift: true,
        alarms: [],
      },
    });

    const ignored = [
      ...(await runRetraining(deps(off, '2026-11-26T08:00:00Z'), summary('2026-11-26T01:00:00Z', biased))),
      ...(await runRetraining(deps(off, '2026-11-26T08:00:00Z'), summary('2026-11-26T02:00:00Z', together))),
      ...(await runRetraining(deps(on, '2026-11-26T08:00:00Z'), summary('2026-11-26T03:00:00Z', noisy))),
    ];
    const [bias] = await runRetraining(
      deps(on, '2026-11-26T08:00:00Z'),
      summary('2026-11-26T04:00:00Z', biased),
    );
    const [multivariate] = await runRetraining(
      deps(config({ on: on.on }), '2026-11-26T08:00:00Z'),
      summary('2026-11-26T05:00:00Z', together),
    );

    expect(ignored.map((o) => o.outcome)).toEqual(['ignored', 'ignored', 'ignored']);
    expect(bias?.outcome === 'started' && bias.request.reason).toBe(
      '1 significant bias violation was found in the window of 2026-11-26 04:00 UTC',
    );
    expect(multivariate?.outcome === 'started' && multivariate.request.reason).toBe(
      'multivariate drift was detected in the window of 2026-11-26 05:00 UTC',
    );
    expect(starts()).toHaveLength(2);
  });

  it('feature attribution drift, only when retraining.on names it', async () => {
    const moved = report([feature('plan')], [attributionViolation()], { attribution: attributionSection() });
    const off = config();
    const on = config({
      on: { datasetDrift: false, qualityViolation: false, attributionDrift: true, alarms: [] },
    });

    const [ignored] = await runRetraining(
      deps(off, '2026-11-26T08:00:00Z'),
      summary('2026-11-26T01:00:00Z', moved),
    );
    const [started] = await runRetraining(
      deps(on, '2026-11-26T08:00:00Z'),
      summary('2026-11-26T02:00:00Z', moved),
    );

    expect(ignored?.outcome).toBe('ignored');
    expect(started?.outcome === 'started' && started.request.reason).toBe(
      'the feature attribution ranking drifted in the window of 2026-11-26 02:00 UTC',
    );
    expect(started?.outcome === 'started' && started.request.window).toEqual({
      start: new Date('2026-11-26T02:00:00Z'),
      end: new Date('2026-11-26T03:00:00Z'),
    });
    expect(starts()).toHaveLength(1);
  });

  it('reads a summary from an older monitor, without the bias and multivariate attributes, as neither', () => {
    const c = config({
      on: {
        datasetDrift: false,
        qualityViolation: false,
        biasViolation: true,
        multivariateDrift: true,
        alarms: [],
      },
    });
    const event = summary('2026-11-26T04:00:00Z', calm());

    const request = requestOf(topicMessages(event)[0]!, c);

    expect(request).toEqual({
      ignored:
        'the summary of 2026-11-26 04:00 UTC has no dataset drift, model-quality or bias violation, multivariate or feature attribution drift that retraining.on names',
    });
  });

  it('not dataset drift when retraining.on.datasetDrift is false', async () => {
    const c = config({ on: { datasetDrift: false, qualityViolation: true, alarms: [] } });

    const [outcome] = await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));

    expect(outcome?.outcome).toBe('ignored');
    expect(starts()).toEqual([]);
  });
});

describe('dry run', () => {
  it('starts nothing and writes no state, and says what it would send', async () => {
    const c = config({ dryRun: true });

    const outcomes = await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));
    await runRetraining(deps(c, '2026-11-26T07:12:00Z'), summary('2026-11-26T06:00:00Z'));

    expect(starts()).toEqual([]);
    expect(await stateKeys(c)).toEqual([]);
    expect(outcomes).toEqual([expect.objectContaining({ outcome: 'dry-run', wouldStart: true })]);
    const [first, second] = notices();
    expect(first?.Subject).toBe('driftwatch: churn-xgb retraining dry run');
    expect(first?.Message.split('\n').slice(0, 6)).toEqual([
      'Dry run: driftwatch would start an execution of SageMaker pipeline churn-retrain with parameters TrainingInstanceType=ml.m5.xlarge, WindowStart=2026-11-26T05:00:00.000Z, WindowEnd=2026-11-26T06:00:00.000Z, ReportUri=s3://reports/reports/churn-xgb/hourly/2026/11/26/05/, because dataset drift was detected in the window of 2026-11-26 05:00 UTC.',
      '',
      'Window: 2026-11-26T05:00:00.000Z to 2026-11-26T06:00:00.000Z',
      'Report: s3://reports/reports/churn-xgb/hourly/2026/11/26/05/',
      '',
      'The request it would send:',
    ]);
    expect(first?.Message).toContain('"PipelineName": "churn-retrain"');
    expect(
      first?.Message.endsWith('Set retraining.dryRun to false in the config to start retrainings.\n'),
    ).toBe(true);
    // Each window is judged alone: with no real start there is no cooldown to hold the second back.
    expect(second?.Message.split('\n')[0]).toMatch(/^Dry run: driftwatch would start /);
  });

  it('reports the cooldown a real start left', async () => {
    const real = config();
    await runRetraining(deps(real, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));
    const dry = { ...real, dryRun: true };

    const [outcome] = await runRetraining(deps(dry, '2026-11-26T07:12:00Z'), summary('2026-11-26T06:00:00Z'));

    expect(outcome).toMatchObject({
      outcome: 'dry-run',
      wouldStart: false,
      detail: expect.stringMatching(
        /: the cooldown from the start at 2026-11-26T06:12:00.000Z lasts until 2026-11-27T06:12:00.000Z$/,
      ),
    });
    expect(starts()).toHaveLength(1);
  });

  it('describes the source training job (checking the config) but creates nothing', async () => {
    const c = config({
      dryRun: true,
      action: {
        kind: 'trainingJob',
        sourceJobName: 'churn-xgb-v1',
        roleArn: 'arn:aws:iam::123456789012:role/SageMakerTraining',
        jobNamePrefix: 'churn-xgb-retrain',
        outputUri: 's3://reports/retraining/churn-xgb/training-jobs',
      },
    });
    sm.on(DescribeTrainingJobCommand).resolves({
      TrainingJobArn: 'arn:aws:sagemaker:us-east-1:123456789012:training-job/churn-xgb-v1',
      AlgorithmSpecification: { TrainingInputMode: 'File', TrainingImage: 'image' },
      OutputDataConfig: { S3OutputPath: 's3://ml/models/' },
      ResourceConfig: { InstanceType: 'ml.m5.xlarge', InstanceCount: 1, VolumeSizeInGB: 30 },
      StoppingCondition: { MaxRuntimeInSeconds: 3600 },
    });

    const [outcome] = await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));

    expect(outcome).toMatchObject({
      outcome: 'dry-run',
      detail:
        'would start SageMaker training job churn-xgb-retrain-2026112605, configured like churn-xgb-v1, writing to s3://reports/retraining/churn-xgb/training-jobs',
    });
    expect(sm.calls().map((call) => call.args[0].constructor.name)).toEqual(['DescribeTrainingJobCommand']);
  });
});

describe('a role without s3:ListBucket', () => {
  it('a real run needs none: it starts, skips for the cooldown and refuses a redelivery, reading no missing key', async () => {
    const c = config();

    const first = await runRetraining(
      deps(c, '2026-11-26T06:12:00Z', ROLE_WITHOUT_LIST),
      summary('2026-11-26T05:00:00Z'),
    );
    const next = await runRetraining(
      deps(c, '2026-11-26T07:12:00Z', ROLE_WITHOUT_LIST),
      summary('2026-11-26T06:00:00Z'),
    );
    const again = await runRetraining(
      deps(c, '2026-11-26T08:00:00Z', ROLE_WITHOUT_LIST),
      summary('2026-11-26T05:00:00Z'),
    );

    expect([...first, ...next, ...again].map((o) => (o.outcome === 'skipped' ? o.why : o.outcome))).toEqual([
      'started',
      'cooldown',
      'window-handled',
    ]);
    expect(starts()).toHaveLength(1);
    expect(notices()[2]?.Message.split('\n')[0]).toBe(
      'driftwatch did not start a retraining of endpoint churn-xgb: the window was already handled at 2026-11-26T06:12:00.000Z (dataset drift was detected in the window of 2026-11-26 05:00 UTC).',
    );
    expect(await stateKeys(c)).toEqual([
      'last-start.json',
      'windows/2026-11-26T05Z.json',
      'windows/2026-11-26T06Z.json',
    ]);
  });

  it('a dry run fails with AccessDenied rather than take the 403 for "no claim, no cooldown"', async () => {
    const c = config({ dryRun: true });

    await expect(
      runRetraining(deps(c, '2026-11-26T06:12:00Z', ROLE_WITHOUT_LIST), summary('2026-11-26T05:00:00Z')),
    ).rejects.toMatchObject({ name: 'AccessDenied', $metadata: { httpStatusCode: 403 } });
    expect(notices()).toEqual([]);
  });
});

/**
 * A client of the retraining role whose GETs of `last-start.json` are refused (say, by KMS), and
 * its deletes too when `deletes`.
 */
function lastStartDenied(deletes = false) {
  const client = s3.newClient(ROLE);
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const key = (args.input as { Key?: string }).Key ?? '';
      const refused =
        (context.commandName === 'GetObjectCommand' && key.endsWith('/last-start.json')) ||
        (deletes && context.commandName === 'DeleteObjectCommand');
      if (refused)
        throw new S3ServiceException({
          name: 'AccessDenied',
          $fault: 'client',
          $metadata: { httpStatusCode: 403 },
          message: 'not authorized to perform: kms:Decrypt',
        });
      return next(args);
    },
    { step: 'initialize', name: 'denyLastStart' },
  );
  return client;
}

describe('a step that fails after the window is claimed', () => {
  it('reading the cooldown: the window is given back, so the retry acts on it', async () => {
    const c = config({ cooldownHours: 1 });
    await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));
    const denied = lastStartDenied();

    await expect(
      runRetraining({ ...deps(c, '2026-11-26T09:12:00Z'), s3: denied }, summary('2026-11-26T08:00:00Z')),
    ).rejects.toThrow('kms:Decrypt');
    denied.destroy();
    const stateAfterFailure = await stateKeys(c);
    const retry = await runRetraining(deps(c, '2026-11-26T09:12:05Z'), summary('2026-11-26T08:00:00Z'));

    expect(stateAfterFailure).toEqual(['last-start.json', 'windows/2026-11-26T05Z.json']);
    expect(retry).toEqual([expect.objectContaining({ outcome: 'started' })]);
    expect(starts()).toHaveLength(2);
  });

  it('says which claim to delete when giving the window back fails too', async () => {
    const c = config({ cooldownHours: 1 });
    await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));
    const denied = lastStartDenied(true);

    const error = await runRetraining(
      { ...deps(c, '2026-11-26T09:12:00Z'), s3: denied },
      summary('2026-11-26T08:00:00Z'),
    ).catch((e: unknown) => e as Error);
    denied.destroy();

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `not authorized to perform: kms:Decrypt; giving back what it had taken failed too (not authorized to perform: kms:Decrypt): delete ${c.stateUri}windows/2026-11-26T08Z.json for a retry to act on the window`,
    );
    expect((error as Error).cause).toMatchObject({ name: 'AccessDenied' });
  });

  it('sending the notice of a skip: the window is given back, so the retry sends it', async () => {
    const c = config();
    // The notice of the start goes out; the next, of the skip, fails.
    topic
      .on(PublishCommand)
      .resolvesOnce({ MessageId: 'm' })
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
      .resolves({ MessageId: 'm' });
    await runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z'));

    await expect(
      runRetraining(deps(c, '2026-11-26T07:12:00Z'), summary('2026-11-26T06:00:00Z')),
    ).rejects.toThrow('Rate exceeded');
    const stateAfterFailure = await stateKeys(c);
    const retry = await runRetraining(deps(c, '2026-11-26T07:12:05Z'), summary('2026-11-26T06:00:00Z'));

    expect(stateAfterFailure).toEqual(['last-start.json', 'windows/2026-11-26T05Z.json']);
    expect(retry).toEqual([expect.objectContaining({ outcome: 'skipped', why: 'cooldown' })]);
    expect(notices().map((n) => n.Subject)).toEqual([
      'driftwatch: churn-xgb retraining started',
      'driftwatch: churn-xgb retraining skipped',
      'driftwatch: churn-xgb retraining skipped',
    ]);
  });

  it('sending the notice of a start: the window stays handled, so the retry does not start it twice', async () => {
    const c = config();
    topic
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }))
      .resolves({ MessageId: 'm' });

    await expect(
      runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z')),
    ).rejects.toThrow('Rate exceeded');
    const retry = await runRetraining(deps(c, '2026-11-26T06:12:05Z'), summary('2026-11-26T05:00:00Z'));

    expect(starts()).toHaveLength(1);
    expect(retry).toEqual([expect.objectContaining({ outcome: 'skipped', why: 'window-handled' })]);
  });
});

describe('a start that fails', () => {
  it('fails the invocation and gives the window and the cooldown back, so the retry starts it', async () => {
    const c = config();
    sm.on(StartPipelineExecutionCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ PipelineExecutionArn: EXECUTION });

    await expect(
      runRetraining(deps(c, '2026-11-26T06:12:00Z'), summary('2026-11-26T05:00:00Z')),
    ).rejects.toThrow('Rate exceeded');
    const stateAfterFailure = await stateKeys(c);
    const retry = await runRetraining(deps(c, '2026-11-26T06:12:05Z'), summary('2026-11-26T05:00:00Z'));

    expect(stateAfterFailure).toEqual([]);
    expect(retry).toEqual([expect.objectContaining({ outcome: 'started' })]);
    expect(starts()).toHaveLength(2);
    expect(starts()[0]?.ClientRequestToken).toBe(starts()[1]?.ClientRequestToken);
    expect(notices().map((x) => x.Subject)).toEqual(['driftwatch: churn-xgb retraining started']);
  });
});

describe('the handler', () => {
  it('reads RETRAINING_CONFIG and names the field that is wrong', () => {
    const good = config();

    expect(parseRetrainingConfig(JSON.stringify(good))).toEqual(good);
    expect(() => parseRetrainingConfig(JSON.stringify({ ...good, cooldownHours: 0 }))).toThrow(
      'RETRAINING_CONFIG.cooldownHours must be a number above 0; got 0',
    );
    expect(() =>
      parseRetrainingConfig(JSON.stringify({ ...good, action: { ...good.action, kind: 'notebook' } })),
    ).toThrow('RETRAINING_CONFIG.action.kind must be "pipeline" or "trainingJob"; got "notebook"');
    expect(() => parseRetrainingConfig(undefined)).toThrow('RETRAINING_CONFIG is not set');
  });

  it('fails an event that is not an SNS delivery, logging why', async () => {
    vi.stubEnv('RETRAINING_CONFIG', JSON.stringify(config()));
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));

    await expect(handler({ source: 'aws.events' })).rejects.toThrow('the event has no Records');
    spy.mockRestore();
    vi.unstubAllEnvs();

    expect(JSON.parse(errors[0]!)).toMatchObject({
      level: 'error',
      message: 'retraining failed',
      endpoint: 'churn-xgb',
    });
  });
});
