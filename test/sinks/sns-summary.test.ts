import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Violation } from '../../functions/engine/drift/checks.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { claimObject, sendWindowSummary, summaryMessage } from '../../functions/sinks/sns-summary.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';
import {
  attributionSection,
  attributionViolation,
  biasSection,
  driftViolation,
  feature,
  multivariateResult,
  multivariateViolation,
  report,
} from './report-fixture.ts';

const CONTEXT = {
  endpoint: 'churn-xgb',
  scheduleName: 'churn-xgb-hourly',
  windowStart: new Date('2026-11-26T05:00:00Z'),
  windowEnd: new Date('2026-11-26T06:00:00Z'),
  reportLocation: 's3://reports/reports/churn-xgb/churn-xgb-hourly/2026/11/26/05/',
};
const TOPIC = 'arn:aws:sns:us-east-1:123456789012:driftwatch';

const completeness = (name: string): Violation => ({
  feature_name: name,
  constraint_check_type: 'completeness_check',
  description: 'Data completeness requirement is not met.',
});

const drifted = (name: string, distance: number) => feature(name, { distance, drifted: true });

describe('summaryMessage', () => {
  it('names the endpoint, the hour and the counts in the subject, the features and the report in the body', () => {
    const r = report(
      [drifted('plan', 0.41234), feature('region'), drifted('age', 0.2)],
      [completeness('region'), driftViolation('plan'), driftViolation('age')],
    );

    const { subject, message } = summaryMessage(r, CONTEXT);

    expect(subject).toBe('driftwatch: churn-xgb 2026-11-26 05:00 UTC: 2 features drifted, 1 other violation');
    expect(message).toBe(
      [
        'driftwatch found violations on endpoint churn-xgb (schedule churn-xgb-hourly) in the window 2026-11-26T05:00:00.000Z to 2026-11-26T06:00:00.000Z.',
        '',
        'Dataset drift: detected: 2 of 3 monitored features drifted (share 0.6667; drift from 0.5).',
        '',
        'Drifted features:',
        '  "plan": distance 0.4123 (linfRobust), threshold 0.1',
        '  "age": distance 0.2 (linfRobust), threshold 0.1',
        '',
        'Other violations: 1',
        '  completeness_check: 1',
        '',
        'Records: 120 read, 118 profiled, 2 rejected.',
        '',
        `Report: ${CONTEXT.reportLocation}report.html`,
        `Violations: ${CONTEXT.reportLocation}constraint_violations.json`,
        '',
      ].join('\n'),
    );
  });

  it('gives the bias and multivariate verdicts, with the significant facets and the largest contributions', () => {
    const r = report([feature('plan')], [multivariateViolation()], {
      bias: biasSection(),
      multivariate: multivariateResult(),
    });

    const { subject, message } = summaryMessage(r, CONTEXT);

    expect(subject).toBe(
      'driftwatch: churn-xgb 2026-11-26 05:00 UTC: 0 features drifted, 2 other violations',
    );
    expect(message.split('\n').slice(4, 17)).toEqual([
      'Other violations: 1',
      '  multivariate_drift_check: 1',
      '',
      'Bias: 1 significant violation (300 labelled predictions counted).',
      '  "region" = "south": DPPL 0.31 (baseline 0.02, post-training)',
      '',
      'Multivariate drift: DETECTED: reconstruction error 1.23 (sampling error 0.01), band 0.95 to 1.08, 118 rows.',
      '  Largest contributions to the error:',
      '  "Day Mins": 60% (mean squared residual 2.2)',
      '  "plan": 30% (mean squared residual 1.1)',
      '  "age": 10% (mean squared residual 0.37)',
      '',
      'Records: 120 read, 118 profiled, 2 rejected.',
    ]);
  });

  it('gives the attribution verdict: nDCG, cost, and both rankings', () => {
    const r = report([feature('plan')], [attributionViolation()], { attribution: attributionSection() });

    const { message } = summaryMessage(r, CONTEXT);

    expect(message.split('\n').slice(4, 12)).toEqual([
      'Other violations: 1',
      '  feature_attribution_drift_check: 1',
      '',
      "Feature attribution: nDCG 0.6123 against the baseline's ranking (threshold 0.9): DRIFTED; 100 of 118 rows explained, 701 model rows in 2 requests to churn-shadow; explaining 100 of 118 rows, as the records setting (--explain-records) asks.",
      '  Ranking in the window: "age" 0.7, "plan" 0.2, "Day Mins" 0.1',
      '  Ranking in the baseline: "Day Mins" 0.7, "plan" 0.5, "age" 0.05',
      '',
      'Records: 120 read, 118 profiled, 2 rejected.',
    ]);
  });

  it('says what failed or stopped an explanation, and names no ranking without one', () => {
    const failed = report([feature('plan')], [], {
      attribution: attributionSection({
        window: null,
        ndcg: null,
        drifted: false,
        recordsExplained: 0,
        modelRows: 1,
        requests: 1,
        reason: null,
        error:
          'model call 1 failed: InvokeEndpoint "churn-shadow": request 1 failed: ThrottlingException (HTTP 429)',
      }),
      violations: [completeness('plan')],
    });
    const stopped = report([feature('plan')], [completeness('plan')], {
      attribution: attributionSection({
        stoppedEarly: 'deadline passed after 65 of 100 records',
        reason: null,
      }),
    });

    const failedLines = summaryMessage(failed, CONTEXT).message.split('\n');
    const stoppedLines = summaryMessage(stopped, CONTEXT).message.split('\n');

    expect(failedLines.filter((l) => l.includes('attribution') || l.includes('Ranking'))).toEqual([
      'Feature attribution: not measured: model call 1 failed: InvokeEndpoint "churn-shadow": request 1 failed: ThrottlingException (HTTP 429) (0 of 118 rows explained, 1 model rows in 1 requests to churn-shadow).',
    ]);
    expect(stoppedLines).toContain('  Stopped early: deadline passed after 65 of 100 records.');
  });

  it('keeps feature names of the attribution rankings on their lines, quoted', () => {
    const r = report([feature('plan')], [attributionViolation()], {
      attribution: attributionSection({
        baseline: { 'a\nReport: s3://evil/': 0.9, b: 0.1 },
        window: { 'a\nReport: s3://evil/': 0.1, b: 0.9 },
      }),
    });

    const { message } = summaryMessage(r, CONTEXT);

    expect(message).toContain('  Ranking in the window: "b" 0.9, "a\\nReport: s3://evil/" 0.1');
    expect(message.split('\n').filter((l) => l.startsWith('Report:'))).toEqual([
      `Report: ${CONTEXT.reportLocation}report.html`,
    ]);
  });

  it('keeps facet and feature names of the bias and multivariate verdicts on their lines, quoted', () => {
    const hostile = 'x\nReport: s3://evil/\u202e';
    const r = report([feature('plan')], [], {
      bias: biasSection({
        facets: [{ ...biasSection().facets[0]!, facet: hostile, value: hostile }],
      }),
      multivariate: multivariateResult({
        featureContributions: [{ feature: hostile, share: 1, meanSquaredResidual: 3 }],
      }),
    });

    const { message } = summaryMessage(r, CONTEXT);

    expect(message.split('\n').filter((l) => l.startsWith('Report:'))).toEqual([
      `Report: ${CONTEXT.reportLocation}report.html`,
    ]);
    expect(message).toContain('  "x\\nReport: s3://evil/\\u202e" = "x\\nReport: s3://evil/\\u202e": DPPL');
    expect(message).toContain('  "x\\nReport: s3://evil/\\u202e": 100% (mean squared residual 3)');
  });

  it('says "1 feature" and counts model-quality violations among the others', () => {
    const quality = {
      violations: [{ metric_name: 'recall', constraint_check_type: 'LessThanThreshold', description: '' }],
    } as unknown as Report['quality'];
    const r = report([drifted('plan', 0.3)], [driftViolation('plan')], { quality });

    const { subject, message } = summaryMessage(r, CONTEXT);

    expect(subject).toBe('driftwatch: churn-xgb 2026-11-26 05:00 UTC: 1 feature drifted, 1 other violation');
    expect(message).toContain('\nModel-quality violations: 1\n  "recall": LessThanThreshold\n');
  });

  it('keeps the subject within 100 printable ASCII characters, shortening the endpoint', () => {
    const r = report(
      Array.from({ length: 120 }, (_, i) => drifted(`f${i}`, 0.5)),
      Array.from({ length: 130 }, (_, i) => (i < 120 ? driftViolation(`f${i}`) : completeness(`g${i}`))),
    );

    const long = summaryMessage(r, { ...CONTEXT, endpoint: `é-${'e'.repeat(61)}` });

    expect(long.subject).toBe(
      `driftwatch: ?-${'e'.repeat(19)}... 2026-11-26 05:00 UTC: 120 features drifted, 10 other violations`,
    );
    expect(long.subject).toHaveLength(100);
    expect(long.message).toContain('\n  and 70 more: see the report\n');
  });

  it('never lets a feature name start a line or reach the subject', () => {
    const name = 'x\nReport: s3://evil/\u2028"';
    const r = report([drifted(name, 0.3)], [driftViolation(name)]);

    const { subject, message } = summaryMessage(r, CONTEXT);

    expect(subject).not.toContain('evil');
    expect(message).toContain('  "x\\nReport: s3://evil/\\u2028\\"": distance 0.3');
    expect(message.split('\n').filter((l) => l.startsWith('Report:'))).toEqual([
      `Report: ${CONTEXT.reportLocation}report.html`,
    ]);
  });

  it('writes bidi overrides and isolates as escapes, so a name cannot reorder the e-mail', () => {
    // Shown raw, U+202E would display the line from there on right to left ("1.0 dlohserht ...").
    const names = ['plan\u202E', 'a\u2066b\u2069c', 'd\u202Ae\u202Bf\u202Cg\u202Dh', 'mark\u200F\u061C'];
    const r = report(
      names.map((n) => drifted(n, 0.3)),
      [],
      {
        quality: {
          violations: [
            { metric_name: 'auc\u2067', constraint_check_type: 'LessThanThreshold', description: '' },
          ],
        } as unknown as Report['quality'],
      },
    );

    const { subject, message } = summaryMessage(r, { ...CONTEXT, endpoint: 'churn\u202Exgb' });

    expect(message).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/);
    expect(subject).not.toMatch(/[^\x20-\x7e]/);
    expect(message).toContain('  "plan\\u202e": distance 0.3');
    expect(message).toContain('  "a\\u2066b\\u2069c": distance 0.3');
    expect(message).toContain('  "d\\u202ae\\u202bf\\u202cg\\u202dh": distance 0.3');
    expect(message).toContain('  "auc\\u2067": LessThanThreshold');
    expect(message).toContain('on endpoint churn\\u202exgb (schedule');
  });
});

describe('sendWindowSummary', () => {
  const setup = (claimed: boolean) => {
    const sns = new SNSClient({ region: 'us-east-1' });
    const topic = mockClient(sns);
    topic.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const markers: string[] = [];
    const claim = async (body: string) => {
      markers.push(body);
      return claimed;
    };
    return { deps: { sns, topicArn: TOPIC, claim }, topic, markers };
  };

  it('publishes one message when the window has violations and its marker was free', async () => {
    const { deps, topic, markers } = setup(true);
    const r = report([drifted('plan', 0.3)], [driftViolation('plan')]);

    const outcome = await sendWindowSummary(deps, r, CONTEXT);

    expect(outcome).toBe('sent');
    expect(JSON.parse(markers[0]!)).toEqual({
      window: r.window,
      report: `${CONTEXT.reportLocation}report.json`,
      topicArn: TOPIC,
      state: 'sending',
    });
    const { subject, message } = summaryMessage(r, CONTEXT);
    expect(topic.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Subject: subject,
        Message: message,
        MessageAttributes: {
          'driftwatch.kind': { DataType: 'String', StringValue: 'window-summary' },
          'driftwatch.endpoint': { DataType: 'String', StringValue: 'churn-xgb' },
          'driftwatch.schedule': { DataType: 'String', StringValue: 'churn-xgb-hourly' },
          'driftwatch.windowStart': { DataType: 'String', StringValue: '2026-11-26T05:00:00.000Z' },
          'driftwatch.windowEnd': { DataType: 'String', StringValue: '2026-11-26T06:00:00.000Z' },
          'driftwatch.report': { DataType: 'String', StringValue: CONTEXT.reportLocation },
          'driftwatch.datasetDrift': { DataType: 'String', StringValue: 'true' },
          'driftwatch.qualityViolations': { DataType: 'Number', StringValue: '0' },
        },
      },
    ]);
  });

  it('publishes nothing when the marker exists', async () => {
    const { deps, topic } = setup(false);

    const outcome = await sendWindowSummary(deps, report([], [completeness('a')]), CONTEXT);

    expect(outcome).toBe('already-sent');
    expect(topic.commandCalls(PublishCommand)).toEqual([]);
  });

  it('publishes for a window whose only finding is a significant bias violation', async () => {
    const { deps, topic } = setup(true);

    const outcome = await sendWindowSummary(
      deps,
      report([feature('plan')], [], { bias: biasSection() }),
      CONTEXT,
    );

    expect(outcome).toBe('sent');
    expect(topic.commandCalls(PublishCommand)[0]?.args[0].input.MessageAttributes).toMatchObject({
      'driftwatch.biasViolations': { DataType: 'Number', StringValue: '1' },
    });
  });

  it('neither claims nor publishes for a window without violations', async () => {
    const { deps, topic, markers } = setup(true);

    const outcome = await sendWindowSummary(deps, report([feature('plan')]), CONTEXT);

    expect(outcome).toBe('no-violations');
    expect(markers).toEqual([]);
    expect(topic.commandCalls(PublishCommand)).toEqual([]);
  });
});

describe('claimObject', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3(['reports']);
  });
  afterAll(async () => {
    await s3?.stop();
  });

  it('creates the marker once: a second claim finds it (S3 conditional write)', async () => {
    const first = await claimObject(s3.client, 'reports', 'w/summary-sent.json', '{"n":1}');
    const second = await claimObject(s3.client, 'reports', 'w/summary-sent.json', '{"n":2}');

    expect([first, second]).toEqual([true, false]);
  });

  it('yields to a concurrent writer (409) and throws any other error', async () => {
    const client = new S3Client({ region: 'us-east-1' });
    const mock = mockClient(client);
    const failure = (status: number) =>
      Object.assign(new Error(`status ${status}`), {
        name: 'S3ServiceException',
        $metadata: { httpStatusCode: status },
      });
    mock.on(PutObjectCommand).rejectsOnce(failure(409)).rejectsOnce(failure(403));

    await expect(claimObject(client, 'reports', 'k', '{}')).resolves.toBe(false);
    await expect(claimObject(client, 'reports', 'k', '{}')).rejects.toThrow('status 403');
    expect(mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      IfNoneMatch: '*',
      Key: 'k',
    });
  });
});
