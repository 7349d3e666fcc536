// The Slack notifier Lambda end to end: Secrets Manager and S3 mocked, fetch scripted. Asserts the
// exact Block Kit bodies posted for an alarm transition and a window summary, that the webhook
// URL reaches no log line, and how the secret is cached.
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  parseSlackNotifierConfig,
  type SlackNotifierConfig,
  webhookUrlOf,
} from '../../functions/contracts/slack-notifier-config.ts';
import type { Violation } from '../../functions/engine/drift/checks.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { createSlackNotifierHandler } from '../../functions/handlers/slack-notifier.ts';
import type { FetchLike } from '../../functions/sinks/slack-client.ts';
import { driftViolation, feature, report } from '../sinks/report-fixture.ts';
import { snsEvent, summaryEvent } from '../support/topic-events.ts';

const WEBHOOK = 'https://hooks.slack.com/services/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';
const SECRET_ID = 'driftwatch/slack-webhook';
const DASHBOARD =
  'https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=driftwatch-churn-xgb';
const CONFIG: SlackNotifierConfig = {
  endpoint: 'churn-xgb',
  scheduleName: 'churn-xgb-hourly',
  webhookSecretId: SECRET_ID,
  dashboardUrl: DASHBOARD,
  reportsBucket: 'reports',
  reportsPrefix: 'ml',
};
const REPORT_FOLDER = 's3://reports/ml/reports/churn-xgb/churn-xgb-hourly/2026/11/26/05/';

const secrets = mockClient(SecretsManagerClient);
const s3 = mockClient(S3Client);

const ALARM_MESSAGE = JSON.stringify({
  AlarmName: 'driftwatch-churn-xgb-dataset-drift',
  AlarmDescription:
    'churn-xgb: At least 50% of the monitored features drifted in a window (dataset_drift_share >= 0.5): the input data as a whole moved away from the baseline.',
  AWSAccountId: '123456789012',
  AlarmConfigurationUpdatedTimestamp: '2026-11-20T10:00:00.000+0000',
  NewStateValue: 'ALARM',
  NewStateReason:
    'Threshold Crossed: 1 out of the last 3 datapoints [0.6666666666666666 (26/11/26 05:00:00)] was greater than or equal to the threshold (0.5) (minimum 1 datapoint for OK -> ALARM transition).',
  StateChangeTime: '2026-11-26T06:12:03.456+0000',
  Region: 'US East (N. Virginia)',
  AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:driftwatch-churn-xgb-dataset-drift',
  OldStateValue: 'OK',
  OKActions: [],
  AlarmActions: [],
  InsufficientDataActions: [],
  Trigger: {
    MetricName: 'dataset_drift_share',
    Namespace: 'aws/sagemaker/Endpoints/data-metrics',
    StatisticType: 'Statistic',
    Statistic: 'MAXIMUM',
    Unit: null,
    Dimensions: [
      { value: 'churn-xgb', name: 'Endpoint' },
      { value: 'churn-xgb-hourly', name: 'MonitoringSchedule' },
    ],
    Period: 3600,
    EvaluationPeriods: 3,
    DatapointsToAlarm: 1,
    ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    Threshold: 0.5,
    TreatMissingData: 'notBreaching',
    EvaluateLowSampleCountPercentile: '',
  },
});

const completeness = (name: string): Violation => ({
  feature_name: name,
  constraint_check_type: 'completeness_check',
  description: 'Data completeness requirement is not met.',
});

function windowReport(): Report {
  return report(
    [
      feature('plan', { distance: 0.41234, drifted: true }),
      feature('region'),
      feature('a<b>&*c*', { distance: 0.2, drifted: true, threshold: 0.15 }),
    ],
    [completeness('region'), driftViolation('plan'), driftViolation('a<b>&*c*')],
    {
      quality: {
        violations: [
          {
            metric_name: 'auc',
            constraint_check_type: 'LessThanThreshold',
            description: "Metric auc with 0.71 was LessThanThreshold '0.8'",
          },
        ],
      } as unknown as Report['quality'],
    },
  );
}

/** The summary of the 05:00 window as the monitor publishes it, as SNS delivers it. */
const summaryOf = (r: Report) =>
  summaryEvent(r, {
    endpoint: 'churn-xgb',
    scheduleName: 'churn-xgb-hourly',
    windowStart: new Date('2026-11-26T05:00:00Z'),
    reportLocation: REPORT_FOLDER,
  });

type Answer = { status: number; body?: string; headers?: Record<string, string> } | Error;

/** A fetch answering from `answers` in order (200 ok when they run out). */
function scriptedFetch(answers: Answer[] = []) {
  const bodies: unknown[] = [];
  const fetch: FetchLike = async (url, init) => {
    if (url !== WEBHOOK) throw new Error(`posted to the wrong URL`);
    bodies.push(JSON.parse(init.body));
    const answer = answers.shift() ?? { status: 200, body: 'ok' };
    if (answer instanceof Error) throw answer;
    return {
      status: answer.status,
      ok: answer.status < 300,
      text: async () => answer.body ?? '',
      headers: new Headers(answer.headers ?? {}),
    };
  };
  return { fetch, bodies };
}

/** Everything written to the console or to stdout/stderr while `run` runs. */
async function captureOutput(run: () => Promise<unknown>): Promise<string> {
  const out: string[] = [];
  const record = (...args: unknown[]) => {
    out.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : String(a))).join(' '));
  };
  const spies = [
    ...(['log', 'info', 'warn', 'error', 'debug', 'trace'] as const).map((m) =>
      vi.spyOn(console, m).mockImplementation(record),
    ),
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    }),
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: unknown) => {
      out.push(String(chunk));
      return true;
    }),
  ];
  try {
    await run().catch((e: Error) => record(e));
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return out.join('\n');
}

beforeEach(() => {
  secrets.reset();
  s3.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: WEBHOOK });
  s3.on(GetObjectCommand).callsFake(async () => ({
    Body: { transformToString: async () => JSON.stringify(windowReport()) },
  }));
});

const quiet = { log: vi.fn() };
const noSleep = async () => {};

/** The notifier for CONFIG over the mocked clients; a test gives the HTTP client and the waits. */
const notifier = ({ fetch, sleep }: { fetch: FetchLike; sleep: (ms: number) => Promise<void> }) =>
  createSlackNotifierHandler(() => ({
    config: CONFIG,
    region: 'us-east-1',
    s3: new S3Client({ region: 'us-east-1' }),
    secrets: new SecretsManagerClient({ region: 'us-east-1' }),
    fetch,
    sleep,
  }));

describe('the Slack notifier posts', () => {
  it('an alarm transition as exactly this Block Kit message', async () => {
    const { fetch, bodies } = scriptedFetch();
    const handler = notifier({ fetch, sleep: noSleep });

    const output = await captureOutput(() =>
      handler(
        snsEvent(ALARM_MESSAGE, 'ALARM: "driftwatch-churn-xgb-dataset-drift" in US East (N. Virginia)'),
      ),
    );

    expect(JSON.parse(output)).toEqual({
      level: 'info',
      message: 'posted to Slack',
      endpoint: 'churn-xgb',
      kind: 'alarm',
      attempts: 1,
    });
    expect(bodies).toEqual([
      {
        text: 'ALARM: driftwatch-churn-xgb-dataset-drift',
        blocks: [
          {
            type: 'header',
            text: {
              type: 'plain_text',
              text: ':rotating_light: ALARM: driftwatch-churn-xgb-dataset-drift',
              emoji: true,
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text: 'churn-xgb: At least 50% of the monitored features drifted in a window (dataset_drift_share &gt;= 0.5): the input data as a whole moved away from the baseline.',
            },
          },
          {
            type: 'section',
            fields: [
              { type: 'mrkdwn', verbatim: true, text: '*Endpoint*\n`churn-xgb`' },
              { type: 'mrkdwn', verbatim: true, text: '*State*\nOK → *ALARM*' },
              { type: 'mrkdwn', verbatim: true, text: '*Changed at*\n2026-11-26 06:12 UTC' },
              {
                type: 'mrkdwn',
                verbatim: true,
                text: '*Hour*\n2026-11-26 05:00 UTC (the last complete window)',
              },
              { type: 'mrkdwn', verbatim: true, text: '*Condition*\n`dataset_drift_share` &gt;= 0.5' },
            ],
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text: '*Reason*\nThreshold Crossed: 1 out of the last 3 datapoints [0.6666666666666666 (26/11/26 05:00:00)] was greater than or equal to the threshold (0.5) (minimum 1 datapoint for OK -&gt; ALARM transition).',
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text: [
                '<https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/driftwatch-churn-xgb-dataset-drift|Alarm>',
                `<${DASHBOARD}|Dashboard>`,
                '<https://s3.console.aws.amazon.com/s3/buckets/reports?region=us-east-1&prefix=ml%2Freports%2Fchurn-xgb%2Fchurn-xgb-hourly%2F2026%2F11%2F26%2F05%2F|Report of 2026-11-26 05:00 UTC>',
              ].join('  ·  '),
            },
          },
        ],
      },
    ]);
  });

  it('a window summary as exactly this Block Kit message, built from the report the summary names', async () => {
    const { fetch, bodies } = scriptedFetch();
    const handler = notifier({ fetch, sleep: noSleep });
    const spy = vi.spyOn(console, 'log').mockImplementation(quiet.log);

    const outcomes = await handler(summaryOf(windowReport()));
    spy.mockRestore();

    expect(outcomes).toEqual([{ kind: 'window-summary', attempts: 1 }]);
    expect(s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input)).toEqual([
      { Bucket: 'reports', Key: 'ml/reports/churn-xgb/churn-xgb-hourly/2026/11/26/05/report.json' },
    ]);
    expect(bodies).toEqual([
      {
        text: 'driftwatch: churn-xgb 2026-11-26 05:00 UTC: dataset drift',
        blocks: [
          {
            type: 'header',
            text: { type: 'plain_text', text: ':warning: Dataset drift on churn-xgb', emoji: true },
          },
          {
            type: 'section',
            fields: [
              {
                type: 'mrkdwn',
                verbatim: true,
                text: '*Endpoint*\n`churn-xgb` (schedule `churn-xgb-hourly`)',
              },
              { type: 'mrkdwn', verbatim: true, text: '*Hour*\n2026-11-26 05:00 UTC to 06:00 UTC' },
              {
                type: 'mrkdwn',
                verbatim: true,
                text: '*Verdict*\nDataset drift detected: 2 of 3 monitored features drifted (share 0.6667, dataset drift from 0.5). 1 model-quality violation.',
              },
              { type: 'mrkdwn', verbatim: true, text: '*Records*\n120 read, 118 profiled, 2 rejected' },
            ],
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text: [
                '*Drifted features*',
                '• `plan`: distance 0.4123 (linfRobust), threshold 0.1',
                '• `a&lt;b&gt;&amp;*c*`: distance 0.2 (linfRobust), threshold 0.15',
              ].join('\n'),
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text: '*Other data-quality violations*\n• completeness_check: 1 (`region`)',
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text: "*Model quality*\n• `auc`: Metric auc with 0.71 was LessThanThreshold '0.8'",
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              verbatim: true,
              text: `<https://s3.console.aws.amazon.com/s3/object/reports?region=us-east-1&prefix=ml%2Freports%2Fchurn-xgb%2Fchurn-xgb-hourly%2F2026%2F11%2F26%2F05%2Freport.html|Report>  ·  <${DASHBOARD}|Dashboard>`,
            },
          },
          {
            type: 'context',
            elements: [{ type: 'mrkdwn', verbatim: true, text: `\`${REPORT_FOLDER}report.html\`` }],
          },
        ],
      },
    ]);
  });

  it('the summary text when report.json cannot be read, rather than nothing', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('The specified key does not exist.'), { name: 'NoSuchKey' }),
    );
    const { fetch, bodies } = scriptedFetch();
    const handler = notifier({ fetch, sleep: noSleep });
    const spy = vi.spyOn(console, 'log').mockImplementation(quiet.log);

    const outcomes = await handler(summaryOf(windowReport()));
    spy.mockRestore();

    expect(outcomes).toEqual([
      {
        kind: 'window-summary',
        attempts: 1,
        reportUnreadable: 'NoSuchKey: The specified key does not exist.',
      },
    ]);
    const body = bodies[0] as { blocks: { text?: { text: string } }[] };
    expect(body.blocks[2]?.text?.text).toBe(
      "report.json could not be read, so the details are the summary's:\n```driftwatch found violations on endpoint churn-xgb ...```",
    );
  });
});

describe('a hostile report.json', () => {
  it('is checked before it is shown: a text where a count belongs mentions no one', async () => {
    const hostile = { ...windowReport(), records: { ...windowReport().records, total: '<!channel>' } };
    s3.on(GetObjectCommand).callsFake(async () => ({
      Body: { transformToString: async () => JSON.stringify(hostile) },
    }));
    const { fetch, bodies } = scriptedFetch();
    const handler = notifier({ fetch, sleep: noSleep });
    const spy = vi.spyOn(console, 'log').mockImplementation(quiet.log);

    const outcomes = await handler(summaryOf(windowReport()));
    spy.mockRestore();

    expect(outcomes).toEqual([
      {
        kind: 'window-summary',
        attempts: 1,
        reportUnreadable:
          'JsonShapeError: report.records.total must be a whole number not below 0 (got "<!channel>")',
      },
    ]);
    expect(JSON.stringify(bodies)).not.toContain('<!channel>');
  });
});

describe('the webhook URL', () => {
  const runs: [string, () => { answers: Answer[]; event: unknown }][] = [
    ['a posted alarm', () => ({ answers: [], event: snsEvent(ALARM_MESSAGE, 'ALARM') })],
    ['a posted summary', () => ({ answers: [], event: summaryOf(windowReport()) })],
    [
      'a retraining notice',
      () => ({
        answers: [],
        event: snsEvent('started', 'driftwatch: x retraining started', {
          'driftwatch.kind': { Type: 'String', Value: 'retraining' },
        }),
      }),
    ],
    [
      'Slack refusing it (404 no_service)',
      () => ({ answers: [{ status: 404, body: 'no_service' }], event: snsEvent(ALARM_MESSAGE, null) }),
    ],
    [
      'Slack down (persistent 500)',
      () => ({
        answers: Array.from({ length: 5 }, () => ({ status: 500 })),
        event: snsEvent(ALARM_MESSAGE, null),
      }),
    ],
    [
      'network errors whose messages carry the URL',
      () => ({
        answers: Array.from(
          { length: 5 },
          () => new TypeError(`fetch failed: connect ECONNREFUSED ${WEBHOOK}`),
        ),
        event: snsEvent(ALARM_MESSAGE, null),
      }),
    ],
    ['an event that is not an SNS delivery', () => ({ answers: [], event: { hello: WEBHOOK.slice(0, 10) } })],
  ];

  it.each(runs)('appears in no log line or error with %s', async (_, setup) => {
    const { answers, event } = setup();
    const { fetch } = scriptedFetch(answers);
    const handler = notifier({ fetch, sleep: noSleep });

    const output = await captureOutput(() => handler(event));

    expect(output.length).toBeGreaterThan(0);
    expect(output).not.toContain(WEBHOOK);
    expect(output).not.toContain('B0WATCH00/zq8RkVn3XyW7pLm2Hs4Tb6Uc');
  });

  it('appears in no log line when the secret holds something else (the value is never quoted)', async () => {
    const value = 'xoxb-not-a-webhook-but-still-secret';
    secrets.on(GetSecretValueCommand).resolves({ SecretString: value });
    const handler = notifier({ fetch: scriptedFetch().fetch, sleep: noSleep });

    const output = await captureOutput(() => handler(snsEvent(ALARM_MESSAGE, null)));

    expect(output).toContain(
      `secret ${SECRET_ID} does not hold a Slack webhook URL: store the https:// URL itself, or {\\"webhookUrl\\": \\"https://...\\"}, as its secret string`,
    );
    expect(output).not.toContain(value);
  });

  it('is read from Secrets Manager once per container, and again after Slack refused it (rotation)', async () => {
    const { fetch } = scriptedFetch([
      { status: 200 },
      { status: 200 },
      { status: 403, body: 'invalid_token' },
    ]);
    const handler = notifier({ fetch, sleep: noSleep });

    await captureOutput(async () => {
      await handler(snsEvent(ALARM_MESSAGE, null));
      await handler(snsEvent(ALARM_MESSAGE, null));
      await handler(snsEvent(ALARM_MESSAGE, null)).catch(() => {});
      await handler(snsEvent(ALARM_MESSAGE, null));
    });

    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: SECRET_ID },
      { SecretId: SECRET_ID },
    ]);
  });

  it('is read again on the next invocation when reading the secret failed', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))
      .resolves({ SecretString: WEBHOOK });
    const { fetch, bodies } = scriptedFetch();
    const handler = notifier({ fetch, sleep: noSleep });

    const output = await captureOutput(async () => {
      await handler(snsEvent(ALARM_MESSAGE, null)).catch(() => {});
      await handler(snsEvent(ALARM_MESSAGE, null));
    });

    expect(output).toContain('"error":"Rate exceeded"');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    expect(bodies).toHaveLength(1);
  });

  it('may be kept as JSON {"webhookUrl": ...}, and never configured in the environment', () => {
    expect(webhookUrlOf(JSON.stringify({ webhookUrl: WEBHOOK }), SECRET_ID)).toBe(WEBHOOK);
    expect(webhookUrlOf(` ${WEBHOOK}\n`, SECRET_ID)).toBe(WEBHOOK);
    expect(() => webhookUrlOf(undefined, SECRET_ID)).toThrow(`secret ${SECRET_ID} does not hold`);

    const error = (() => {
      try {
        parseSlackNotifierConfig(JSON.stringify({ ...CONFIG, webhookSecretId: WEBHOOK }));
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe(
      'SLACK_NOTIFIER_CONFIG.webhookSecretId holds a URL, not a secret name or ARN; set slack.webhookSecret to the secret and redeploy',
    );
  });
});

describe('a failed post', () => {
  it('fails the invocation (for the Errors alarm) after the retries, logging why without the URL', async () => {
    const { fetch, bodies } = scriptedFetch(
      Array.from({ length: 5 }, () => ({ status: 502, body: 'bad gateway' })),
    );
    const waits: number[] = [];
    const handler = notifier({ fetch, sleep: async (ms) => void waits.push(ms) });
    const errors: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));

    await expect(handler(snsEvent(ALARM_MESSAGE, null))).rejects.toThrow(
      'Slack did not take the message after 5 attempts; last: HTTP 502: "bad gateway"',
    );
    spy.mockRestore();

    expect(bodies).toHaveLength(5);
    expect(waits).toEqual([1000, 2000, 4000, 8000]);
    expect(errors.map((l) => JSON.parse(l))).toEqual([
      {
        level: 'error',
        message: 'Slack notification failed',
        endpoint: 'churn-xgb',
        error: 'Slack did not take the message after 5 attempts; last: HTTP 502: "bad gateway"',
      },
    ]);
  });
});
