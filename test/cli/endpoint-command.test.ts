/**
 * `driftwatch endpoint history` on report folders, and `driftwatch endpoint rollback` against
 * mocked SageMaker responses, through `main(argv, io)`.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DescribeEndpointCommand,
  DescribeEndpointConfigCommand,
  DescribeModelCommand,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Io, main } from '../../functions/cli/main.ts';
import type { Report, ServingModel } from '../../functions/engine/report/report-model.ts';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  questions: string[];
}

/** Runs the CLI; `answers` are what the prompt gets, in order (null: end of input; absent: no terminal). */
async function cli(argv: string[], answers?: (string | null)[]): Promise<Run> {
  const run: Run = { code: -1, stdout: '', stderr: '', questions: [] };
  const io: Io = {
    stdout: (s) => {
      run.stdout += s;
    },
    stderr: (s) => {
      run.stderr += s;
    },
    stderrIsTty: false,
    now: () => new Date('2026-11-26T06:00:00Z'),
    ...(answers
      ? {
          prompt: async (q: string) => {
            run.questions.push(q);
            return answers.shift() ?? null;
          },
        }
      : {}),
  };
  run.code = await main(argv, io);
  return run;
}

const PACKAGE = 'arn:aws:sagemaker:us-east-1:123456789012:model-package/churn-xgb';

function serving(config: string, version: number, endpoint = 'churn-xgb'): ServingModel {
  return {
    endpointName: endpoint,
    endpointConfigName: config,
    lastModifiedTime: '2026-11-25T10:20:00.000Z',
    variants: [
      {
        variantName: 'AllTraffic',
        modelName: `churn-xgb-v${version}`,
        modelPackageArn: `${PACKAGE}/${version}`,
        modelPackageVersion: version,
      },
    ],
  };
}

/** A report.json of the hour `hour` of 2026-11-25 with what the history reads. */
function report(
  hour: number,
  share: number,
  model: ServingModel | null | undefined,
  extra: { changed?: boolean; accuracy?: number } = {},
): Report {
  const h = (n: number) => `2026-11-25T${String(n).padStart(2, '0')}:00:00.000Z`;
  return {
    version: 1,
    window: { start: h(hour), end: h(hour + 1) },
    generatedAt: h(hour + 1),
    records: { total: 10, profiled: 10, rejected: 0, rejectedByReason: {}, outsideWindow: 0 },
    features: [],
    datasetDrift: {
      monitoredFeatures: 4,
      driftedFeatures: share * 4,
      share,
      threshold: 0.5,
      detected: share >= 0.5,
    },
    violations: [],
    quality:
      extra.accuracy === undefined
        ? null
        : ({ metrics: { accuracy: extra.accuracy } } as unknown as NonNullable<Report['quality']>),
    baseline: { source: 'driftwatch', path: 's3://ml/baselines/churn-xgb/' },
    warnings: [],
    ...(model !== undefined ? { model } : {}),
    ...(extra.changed !== undefined ? { modelChangedDuringWindow: extra.changed } : {}),
  };
}

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'driftwatch-endpoint-'));
  const write = (endpoint: string, hour: number, r: Report) => {
    const folder = join(
      dir,
      'reports',
      endpoint,
      'hourly',
      '2026',
      '11',
      '25',
      String(hour).padStart(2, '0'),
    );
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, 'report.json'), JSON.stringify(r));
  };
  write('churn-xgb', 7, report(7, 0.25, undefined));
  write('churn-xgb', 8, report(8, 0, serving('churn-xgb-config-6', 6), { changed: false, accuracy: 0.9 }));
  write('churn-xgb', 9, report(9, 0.25, serving('churn-xgb-config-6', 6), { changed: false, accuracy: 0.8 }));
  write('churn-xgb', 10, report(10, 0.5, serving('churn-xgb-config-7', 7), { changed: true, accuracy: 0.7 }));
  write('churn-xgb', 11, report(11, 0.75, serving('churn-xgb-config-7', 7), { changed: false }));
  write('churn-xgb', 12, report(12, 0.5, null));
  write('fraud', 9, report(9, 1, serving('fraud-config-1', 1, 'fraud')));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('driftwatch endpoint history', () => {
  it('lists the versions seen with their windows, drift and accuracy, and the windows that span a change', async () => {
    const { code, stdout, stderr } = await cli(['endpoint', 'history', 'churn-xgb', '--reports', dir]);

    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        `Versions of churn-xgb in 4 windows under ${dir}, in the order first seen:`,
        '',
        '  endpoint config     models                                 first window      last window       windows                  drift share  quality',
        '  churn-xgb-config-6  AllTraffic churn-xgb-v6 (churn-xgb/6)  2026-11-25 08:00  2026-11-25 10:00  2                        0.125        accuracy 0.85 (2 windows)',
        '  churn-xgb-config-7  AllTraffic churn-xgb-v7 (churn-xgb/7)  2026-11-25 10:00  2026-11-25 12:00  2 (1 spanning a change)  0.625        accuracy 0.7 (1 window)',
        '',
        'Windows that span a deployment (records on both sides of it):',
        '  2026-11-25 10:00 UTC: to churn-xgb-config-7',
        '',
        '2 windows of churn-xgb record no model (written before driftwatch recorded models, SageMaker could not be read, or the endpoint changed after the window).',
        '',
      ].join('\n'),
    );
  });

  it('gives the same as JSON', async () => {
    const { code, stdout } = await cli(['endpoint', 'history', 'fraud', '--reports', dir, '--json']);

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      endpoint: 'fraud',
      versions: [
        {
          endpointConfigName: 'fraud-config-1',
          models: ['AllTraffic churn-xgb-v1 (churn-xgb/1)'],
          firstWindow: '2026-11-25T09:00:00.000Z',
          lastWindow: '2026-11-25T10:00:00.000Z',
          windows: 1,
          windowsSpanningChange: 0,
          meanDatasetDriftShare: 1,
          quality: null,
        },
      ],
      windowsWithoutModel: 0,
      changes: [],
    });
  });

  it('names what is missing', async () => {
    expect(await cli(['endpoint', 'history', 'churn-xgb'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('endpoint history needs --reports DIR|s3://bucket/prefix'),
    });
    expect(await cli(['endpoint', 'history', '--reports', dir])).toMatchObject({
      code: 2,
      stderr: 'driftwatch: endpoint history takes one endpoint NAME\n',
    });
    expect(await cli(['endpoint', 'forget', 'x'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('endpoint takes history or rollback, not "forget"'),
    });
    const none = await cli(['endpoint', 'history', 'nothing-here', '--reports', dir]);
    expect(none).toMatchObject({
      code: 0,
      stdout: `No window under ${dir} records what served nothing-here (no report of it there).\n`,
    });
  });
});

describe('driftwatch endpoint rollback', () => {
  const sm = mockClient(SageMakerClient);

  beforeAll(() => {
    sm.on(DescribeEndpointCommand, { EndpointName: 'churn-xgb' }).resolves({
      EndpointName: 'churn-xgb',
      EndpointConfigName: 'churn-xgb-config-7',
      EndpointStatus: 'InService',
      LastModifiedTime: new Date('2026-11-25T10:20:00Z'),
    });
    sm.on(DescribeEndpointCommand, { EndpointName: 'busy' }).resolves({
      EndpointName: 'busy',
      EndpointConfigName: 'busy-config-2',
      EndpointStatus: 'Updating',
    });
    sm.on(DescribeEndpointCommand, { EndpointName: 'gone' }).rejects(
      Object.assign(new Error('Could not find endpoint "gone".'), { name: 'ValidationException' }),
    );
    sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'churn-xgb-config-7' }).resolves({
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'churn-xgb-v7' }],
    });
    sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'churn-xgb-config-6' }).resolves({
      ProductionVariants: [{ VariantName: 'AllTraffic', ModelName: 'churn-xgb-v6' }],
    });
    sm.on(DescribeEndpointConfigCommand, { EndpointConfigName: 'no-such-config' }).rejects(
      Object.assign(new Error('Could not find endpoint configuration "no-such-config".'), {
        name: 'ValidationException',
      }),
    );
    sm.on(DescribeModelCommand, { ModelName: 'churn-xgb-v7' }).resolves({
      PrimaryContainer: { ModelPackageName: `${PACKAGE}/7` },
    });
    sm.on(DescribeModelCommand, { ModelName: 'churn-xgb-v6' }).resolves({
      PrimaryContainer: { ModelPackageName: `${PACKAGE}/6` },
    });
    sm.on(UpdateEndpointCommand).resolves({
      EndpointArn: 'arn:aws:sagemaker:us-east-1:123456789012:endpoint/churn-xgb',
    });
  });
  afterEach(() => sm.resetHistory());
  afterAll(() => sm.restore());

  const updates = () => sm.commandCalls(UpdateEndpointCommand).map((c) => c.args[0].input);
  const SHOWN = [
    'Endpoint churn-xgb (InService, last updated 2026-11-25T10:20:00.000Z)',
    '  serves now:   churn-xgb-config-7: AllTraffic churn-xgb-v7 (package churn-xgb/7)',
    '  roll back to: churn-xgb-config-6: AllTraffic churn-xgb-v6 (package churn-xgb/6)',
    '',
    '',
  ].join('\n');

  it('shows current and target, asks, and updates the endpoint on yes', async () => {
    const run = await cli(['endpoint', 'rollback', 'churn-xgb', '--to', 'churn-xgb-config-6'], ['y']);

    expect(run.questions).toEqual([
      'Update endpoint churn-xgb to endpoint config churn-xgb-config-6? [y/N] ',
    ]);
    expect(updates()).toEqual([{ EndpointName: 'churn-xgb', EndpointConfigName: 'churn-xgb-config-6' }]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      `${SHOWN}` +
        'Updating churn-xgb to churn-xgb-config-6: SageMaker is deploying it, and churn-xgb-config-7 serves until the new instances are in service.\n' +
        'Wait for it with: aws sagemaker wait endpoint-in-service --endpoint-name churn-xgb\n',
    );
  });

  it('changes nothing unless the answer is yes', async () => {
    for (const answer of ['n', '', 'maybe', null]) {
      const run = await cli(['endpoint', 'rollback', 'churn-xgb', '--to', 'churn-xgb-config-6'], [answer]);

      expect(run.code, String(answer)).toBe(1);
      expect(run.stdout).toBe(`${SHOWN}Not updated.\n`);
    }
    expect(updates()).toEqual([]);
  });

  it('updates without asking with --yes, and needs --yes where it cannot ask', async () => {
    const yes = await cli(['endpoint', 'rollback', 'churn-xgb', '--to', 'churn-xgb-config-6', '--yes']);
    const cannotAsk = await cli(['endpoint', 'rollback', 'churn-xgb', '--to', 'churn-xgb-config-6']);

    expect(yes.code).toBe(0);
    expect(cannotAsk).toMatchObject({
      code: 2,
      stderr:
        'driftwatch: endpoint rollback asks before it changes the endpoint; pass --yes to update without asking\n',
    });
    expect(updates()).toEqual([{ EndpointName: 'churn-xgb', EndpointConfigName: 'churn-xgb-config-6' }]);
  });

  it('does nothing when the endpoint serves the config already, or is busy, or either is unknown', async () => {
    const same = await cli(['endpoint', 'rollback', 'churn-xgb', '--to', 'churn-xgb-config-7', '--yes']);
    const busy = await cli(['endpoint', 'rollback', 'busy', '--to', 'busy-config-1', '--yes']);
    const gone = await cli(['endpoint', 'rollback', 'gone', '--to', 'x', '--yes']);
    const noConfig = await cli(['endpoint', 'rollback', 'churn-xgb', '--to', 'no-such-config', '--yes']);
    const noTarget = await cli(['endpoint', 'rollback', 'churn-xgb', '--yes']);

    expect(same).toMatchObject({
      code: 0,
      stdout:
        'Endpoint churn-xgb already serves endpoint config churn-xgb-config-7 (InService); nothing to do.\n',
    });
    expect(busy).toMatchObject({
      code: 2,
      stderr:
        'driftwatch: endpoint busy is Updating; SageMaker takes no update until it is InService (aws sagemaker wait endpoint-in-service --endpoint-name busy)\n',
    });
    expect(gone).toMatchObject({
      code: 2,
      stderr:
        'driftwatch: endpoint gone: Could not find endpoint "gone". (aws sagemaker list-endpoints lists them)\n',
    });
    expect(noConfig).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('driftwatch: --to no-such-config: no such endpoint config'),
    });
    expect(noTarget).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('endpoint rollback needs --to CONFIG'),
    });
    expect(updates()).toEqual([]);
  });

  it('reports a failed update with SageMaker error, exit status 3', async () => {
    sm.on(UpdateEndpointCommand).rejectsOnce(
      Object.assign(new Error('Cannot update in-progress endpoint'), { name: 'ValidationException' }),
    );

    const run = await cli(['endpoint', 'rollback', 'churn-xgb', '--to', 'churn-xgb-config-6', '--yes']);

    expect(run.code).toBe(3);
    expect(run.stderr).toBe(
      'driftwatch: UpdateEndpoint churn-xgb to churn-xgb-config-6 failed: ValidationException: Cannot update in-progress endpoint\n',
    );
  });
});
