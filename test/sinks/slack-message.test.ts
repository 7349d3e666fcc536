// The Block Kit builders on their own: escaping, Block Kit's limits, notices, console links.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AlarmTransition } from '../../functions/contracts/alarm-transition.ts';
import type { SummaryAttributes } from '../../functions/contracts/topic-attributes.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import {
  alarmPayload,
  escapeMrkdwn,
  type SlackPayload,
  type SlackText,
  s3ConsoleUrl,
  summaryPayload,
  textPayload,
} from '../../functions/sinks/slack-message.ts';
import { readSlackReport } from '../../functions/sinks/slack-report.ts';
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

const LINKS = { dashboardUrl: 'https://example.com/dashboard', region: 'eu-west-1' };
const SUMMARY: SummaryAttributes = {
  endpoint: 'churn-xgb',
  scheduleName: 'hourly',
  windowStart: new Date('2026-11-26T05:00:00Z'),
  windowEnd: new Date('2026-11-26T06:00:00Z'),
  reportLocation: 's3://reports/reports/churn-xgb/hourly/2026/11/26/05/',
  datasetDrift: true,
  qualityViolations: 0,
  biasViolations: 0,
  multivariateDrift: false,
  attributionDrift: false,
};

type Section = { type: string; text?: { text: string }; fields?: { text: string }[] };

describe('summaryPayload', () => {
  it('lists drifted features within the 3,000 characters of a section and counts the rest', () => {
    const features = Array.from({ length: 400 }, (_, i) =>
      feature(`feature_${i}_${'x'.repeat(40)}`, { distance: 0.5, drifted: true }),
    );
    const payload = summaryPayload(
      SUMMARY,
      report(
        features,
        features.map((f) => driftViolation(f.name)),
      ),
      '',
      LINKS,
    );

    const drifted = payload.blocks[2] as Section;
    const lines = drifted.text!.text.split('\n');
    expect(drifted.text!.text.length).toBeLessThanOrEqual(3000);
    expect(lines[0]).toBe('*Drifted features*');
    expect(lines.slice(1, -1)).toHaveLength(15);
    expect(lines.at(-1)).toBe('… and 385 more in the report');
  });

  it('keeps names from the data inert: no mention, no link, no line break, no code fence escape', () => {
    const name = 'x`<!channel>\n<https://evil.example|click>';
    const payload = summaryPayload(
      SUMMARY,
      report([feature(name, { distance: 0.3, drifted: true })], [driftViolation(name)]),
      '',
      LINKS,
    );

    const text = (payload.blocks[2] as Section).text!.text;
    expect(text).toBe(
      '*Drifted features*\n• `x?&lt;!channel&gt;?&lt;https://evil.example|click&gt;`: distance 0.3 (linfRobust), threshold 0.1',
    );
  });

  it('gives the bias and multivariate verdicts: significant facets, the error against its band, the largest contributions', () => {
    const r = report([feature('plan')], [multivariateViolation()], {
      bias: biasSection(),
      multivariate: multivariateResult(),
    });

    const payload = summaryPayload({ ...SUMMARY, datasetDrift: false }, r, '', LINKS);

    expect((payload.blocks[0] as { text: { text: string } }).text.text).toBe(
      ':warning: Multivariate drift on churn-xgb',
    );
    const verdict = (payload.blocks[1] as Section).fields![2]!.text;
    expect(verdict).toBe(
      '*Verdict*\nNo dataset drift: 0 of 1 monitored features drifted (share 0, dataset drift from 0.5). 1 significant bias violation. Multivariate drift detected.',
    );
    const texts = payload.blocks.map((b) => (b as Section).text?.text ?? '');
    expect(texts).toContain(
      '*Bias* (1 significant violation, 300 labelled predictions)\n• `region` = `south`: `DPPL` 0.31 (baseline 0.02, post-training)',
    );
    expect(texts).toContain(
      '*Multivariate drift* detected: reconstruction error 1.23 ± 0.01 (band 0.95 to 1.08, 118 rows)\n• `Day Mins`: 60% of the error\n• `plan`: 30% of the error\n• `age`: 10% of the error',
    );
  });

  it('keeps facet and feature names of the bias and multivariate verdicts inert', () => {
    const name = 'x`<!channel>\n<https://evil.example|click>';
    const r = report([feature('plan')], [multivariateViolation()], {
      bias: biasSection({ facets: [{ ...biasSection().facets[0]!, facet: name, value: name }] }),
      multivariate: multivariateResult({
        featureContributions: [{ feature: name, share: 1, meanSquaredResidual: 3 }],
      }),
    });

    const payload = summaryPayload(SUMMARY, r, '', LINKS);

    expectInert(payload);
    const inert = '`x?&lt;!channel&gt;?&lt;https://evil.example|click&gt;`';
    const texts = payload.blocks.map((b) => (b as Section).text?.text ?? '');
    expect(texts.find((t) => t.startsWith('*Bias*'))).toContain(`• ${inert} = ${inert}: \`DPPL\``);
    expect(texts.find((t) => t.startsWith('*Multivariate'))).toContain(`• ${inert}: 100% of the error`);
  });

  it('names bias violations and multivariate drift from the attributes when report.json cannot be read', () => {
    const payload = summaryPayload(
      { ...SUMMARY, datasetDrift: false, biasViolations: 2, multivariateDrift: true },
      null,
      'the summary',
      LINKS,
    );

    expect((payload.blocks[1] as Section).fields![2]!.text).toBe(
      '*Verdict*\nNo dataset drift; 0 model-quality violations; 2 significant bias violations; multivariate drift detected',
    );
  });

  it('gives the attribution verdict: nDCG, cost, the top of the window ranking against the baseline', () => {
    const r = report([feature('plan')], [attributionViolation()], { attribution: attributionSection() });

    const payload = summaryPayload({ ...SUMMARY, datasetDrift: false, attributionDrift: true }, r, '', LINKS);

    expect((payload.blocks[0] as { text: { text: string } }).text.text).toBe(
      ':warning: Feature attribution drift on churn-xgb',
    );
    expect((payload.blocks[1] as Section).fields![2]!.text).toBe(
      '*Verdict*\nNo dataset drift: 0 of 1 monitored features drifted (share 0, dataset drift from 0.5). Feature attribution drift detected.',
    );
    const texts = payload.blocks.map((b) => (b as Section).text?.text ?? '');
    expect(texts).toContain(
      "*Feature attribution* drifted: nDCG 0.6123 against the baseline's ranking (threshold 0.9), 100 of 118 rows explained, 701 model rows in 2 requests to `churn-shadow`\n• `age`: 0.7 (baseline 0.05)\n• `plan`: 0.2 (baseline 0.5)\n• `Day Mins`: 0.1 (baseline 0.7)",
    );
  });

  it('says what failed or stopped an explanation, names inert, and refuses a malformed attribution', () => {
    const name = 'x`<!channel>\n<https://evil.example|click>';
    const failed = report([feature('plan')], [], {
      attribution: attributionSection({
        window: null,
        ndcg: null,
        drifted: false,
        recordsExplained: 0,
        modelRows: 1,
        requests: 1,
        error: 'request 1 failed: <!here> ThrottlingException',
      }),
    });
    const stopped = report([feature('plan')], [attributionViolation()], {
      attribution: attributionSection({
        baseline: { [name]: 0.9, b: 0.1 },
        window: { [name]: 0.5, b: 0.6 },
        stoppedEarly: 'deadline passed after 65 of 100 records',
      }),
    });
    const malformed = {
      ...report([feature('plan')]),
      attribution: { ...attributionSection(), window: { plan: '0.4' } },
    };

    const failedTexts = summaryPayload(SUMMARY, failed, '', LINKS).blocks.map(
      (b) => (b as Section).text?.text ?? '',
    );
    const stoppedPayload = summaryPayload(SUMMARY, stopped, '', LINKS);

    expect(failedTexts).toContain(
      '*Feature attribution* not measured: request 1 failed: &lt;!here&gt; ThrottlingException (0 of 118 rows explained, 1 model row in 1 request to `churn-shadow`)',
    );
    expectInert(stoppedPayload);
    const texts = stoppedPayload.blocks.map((b) => (b as Section).text?.text ?? '');
    expect(texts.find((t) => t.startsWith('*Feature attribution*'))).toContain(
      '• `b`: 0.6 (baseline 0.1)\n• `x?&lt;!channel&gt;?&lt;https://evil.example|click&gt;`: 0.5 (baseline 0.9)',
    );
    expect(JSON.stringify(stoppedPayload)).toContain(
      'Explanation stopped early: deadline passed after 65 of 100 records.',
    );
    expect(JSON.stringify(summaryPayload(SUMMARY, malformed, 'the summary', LINKS))).toContain(
      'report.json is not a driftwatch report',
    );
    expect(JSON.stringify(summaryPayload(SUMMARY, malformed, 'the summary', LINKS))).toContain(
      'report.attribution.window.plan',
    );
  });

  it('clips the header to Block Kit’s 150 characters', () => {
    const payload = summaryPayload({ ...SUMMARY, endpoint: 'e'.repeat(200) }, report([]), '', LINKS);

    const header = payload.blocks[0] as { text: { text: string } };
    expect(header.text.text).toHaveLength(150);
    expect(header.text.text.endsWith('…')).toBe(true);
  });
});

describe('textPayload', () => {
  it('posts a retraining notice with its subject as the header and its text escaped', () => {
    const payload = textPayload(
      'driftwatch: churn-xgb retraining skipped',
      'driftwatch did not start a retraining: cooldown <24 h>.\n',
      { ...LINKS, endpoint: 'churn-xgb', retraining: true },
    );

    expect(payload).toEqual({
      text: 'driftwatch: churn-xgb retraining skipped',
      blocks: [
        {
          type: 'header',
          text: { type: 'plain_text', text: ':gear: driftwatch: churn-xgb retraining skipped', emoji: true },
        },
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: 'driftwatch did not start a retraining: cooldown &lt;24 h&gt;.',
            verbatim: true,
          },
        },
        {
          type: 'section',
          text: { type: 'mrkdwn', text: '<https://example.com/dashboard|Dashboard>', verbatim: true },
        },
      ],
    });
  });
});

describe('links', () => {
  it('opens objects and folders in the S3 console of the region', () => {
    expect(s3ConsoleUrl('s3://b/reports/x y/report.html', 'eu-west-1')).toBe(
      'https://s3.console.aws.amazon.com/s3/object/b?region=eu-west-1&prefix=reports%2Fx%20y%2Freport.html',
    );
    expect(s3ConsoleUrl('s3://b/reports/', 'eu-west-1')).toBe(
      'https://s3.console.aws.amazon.com/s3/buckets/b?region=eu-west-1&prefix=reports%2F',
    );
  });

  it('escapes exactly the three characters mrkdwn reserves', () => {
    expect(escapeMrkdwn('a & b < c > d *e*')).toBe('a &amp; b &lt; c &gt; d *e*');
  });
});

/** Every text object of a payload, and the notification text. */
function texts(p: SlackPayload): { notice: string; plain: string[]; mrkdwn: SlackText[] } {
  const all = p.blocks.flatMap((b) =>
    b.type === 'context'
      ? b.elements
      : [...(b.text ? [b.text] : []), ...('fields' in b ? (b.fields ?? []) : [])],
  );
  return {
    notice: p.text,
    plain: all.filter((t) => t.type === 'plain_text').map((t) => t.text),
    mrkdwn: all.filter((t) => t.type === 'mrkdwn'),
  };
}

/** The links driftwatch itself makes: to the S3 and CloudWatch consoles and the dashboard. */
const OWN_LINK =
  /<(https:\/\/s3\.console\.aws\.amazon\.com\/s3\/(object|buckets)\/[a-z0-9.-]+\?region=[a-z0-9-]+&prefix=[^|<>\s]*|https:\/\/[a-z0-9-]+\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=[a-z0-9-]+#alarmsV2:alarm\/[^|<>\s]*|https:\/\/example\.com\/dashboard)\|[A-Za-z0-9 :-]+>/g;

/** No mention, no link but driftwatch's own, no bare special mention, every mrkdwn text verbatim. */
function expectInert(p: SlackPayload): void {
  const { notice, plain, mrkdwn } = texts(p);
  expect(notice).not.toMatch(/[<>]|@(channel|here|everyone)\b/i);
  for (const t of mrkdwn) {
    expect(t.verbatim, t.text).toBe(true);
    expect(t.text.replace(OWN_LINK, ''), t.text).not.toMatch(/[<>]|@(channel|here|everyone)\b/i);
  }
  for (const t of plain) expect(t).not.toMatch(/[\u0000-\u001f\u202a-\u202e\u2066-\u2069]/);
}

const ALARM: AlarmTransition = {
  name: 'driftwatch-churn-xgb-dataset-drift',
  description: null,
  newState: 'ALARM',
  oldState: 'OK',
  reason: 'Threshold Crossed',
  stateChangeTime: new Date('2026-11-26T06:12:00Z'),
  region: 'us-east-1',
  trigger: { metricName: 'dataset_drift_share', comparison: 'GreaterThanOrEqualToThreshold', threshold: 0.5 },
};
const ALARM_CONTEXT = {
  ...LINKS,
  endpoint: 'churn-xgb',
  windowStart: new Date('2026-11-26T05:00:00Z'),
  reportLocation: SUMMARY.reportLocation,
};

describe('values from a report, an alarm, a subject or an attribute', () => {
  const MENTION = '<!channel> @here <@U123> <#C1|general> <https://evil.example|click here>';

  it('mention no one and link nowhere in the notification text and every block', () => {
    const summary = summaryPayload(
      { ...SUMMARY, endpoint: MENTION, scheduleName: MENTION },
      report(
        [feature(MENTION, { distance: 0.3, drifted: true, distanceMetric: MENTION })],
        [driftViolation(MENTION)],
      ),
      MENTION,
      LINKS,
    );
    const alarm = alarmPayload(
      {
        ...ALARM,
        name: MENTION,
        description: MENTION,
        newState: MENTION,
        oldState: MENTION,
        reason: MENTION,
        trigger: { metricName: MENTION, comparison: MENTION, threshold: 1 },
      },
      { ...ALARM_CONTEXT, endpoint: MENTION },
    );
    const text = textPayload(MENTION, MENTION, { ...LINKS, endpoint: MENTION, retraining: false });

    for (const p of [summary, alarm, text]) expectInert(p);
    expect(text.text).toBe(
      '&lt;!channel&gt; @\u2060here &lt;@U123&gt; &lt;#C1|general&gt; &lt;https://evil.example|click here&gt;',
    );
    expect(alarm.text).toBe(`${escapeMrkdwn(MENTION)}: ${escapeMrkdwn(MENTION)}`);
  });

  it('stay inert whatever they hold (property)', () => {
    const hostile = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 40 }),
      fc.constantFrom(MENTION, '@channel', '@everyone', 'x\u202Ey', '\n<!here>\n'),
    );
    fc.assert(
      fc.property(hostile, hostile, hostile, (a, b, c) => {
        expectInert(
          summaryPayload(
            { ...SUMMARY, endpoint: a, scheduleName: b },
            report([feature(c, { distance: 0.3, drifted: true })], [driftViolation(a)]),
            c,
            LINKS,
          ),
        );
        expectInert(
          alarmPayload({ ...ALARM, name: a, description: b, reason: c, newState: b }, ALARM_CONTEXT),
        );
        expectInert(textPayload(a, b, { ...LINKS, endpoint: c, retraining: true }));
      }),
      { numRuns: 60 },
    );
  });

  it('look up no alarm state or operator on an object: `constructor` is a state like any other', () => {
    const p = alarmPayload(
      { ...ALARM, newState: 'constructor', trigger: { ...ALARM.trigger!, comparison: 'toString' } },
      ALARM_CONTEXT,
    );

    expect(JSON.stringify(p)).not.toContain('function');
    expect((p.blocks[0] as { text: SlackText }).text.text).toBe(
      ':bell: constructor: driftwatch-churn-xgb-dataset-drift',
    );
  });

  it('link a report location only when it is an S3 URI', () => {
    for (const reportLocation of [
      'https://evil.example/',
      'javascript:alert(1)//',
      's3://Evil|bucket>/x/',
      's3://b>|<!channel/x/',
    ]) {
      const summary = summaryPayload({ ...SUMMARY, reportLocation }, report([]), '', LINKS);
      const alarm = alarmPayload(ALARM, { ...ALARM_CONTEXT, reportLocation });
      const json = JSON.stringify([summary, alarm]);

      expect(json, reportLocation).not.toContain('evil.example|');
      expect(json, reportLocation).not.toContain('<javascript');
      expect(
        texts(summary).mrkdwn.some((t) =>
          t.text.includes('Report  ·  <https://example.com/dashboard|Dashboard>'),
        ),
      ).toBe(true);
      expectInert(summary);
      expectInert(alarm);
    }
    expect(s3ConsoleUrl('https://evil.example/report.html', 'eu-west-1')).toBeNull();
  });

  it('take the region of a console link from the alarm only when it is a region code', () => {
    const p = alarmPayload({ ...ALARM, region: 'x>|<!channel' }, ALARM_CONTEXT);

    expectInert(p);
    expect(JSON.stringify(p)).toContain(
      '<https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#alarmsV2:alarm/',
    );
  });
});

describe('a damaged or hostile report.json', () => {
  const good = (): Report =>
    JSON.parse(JSON.stringify(report([feature('plan', { distance: 0.3, drifted: true })])));
  const damaged: Array<[string, (r: Report) => unknown]> = [
    ['not an object', () => 'report'],
    ['null', () => null],
    ['no features', (r) => ({ ...r, features: undefined })],
    ['features not a list', (r) => ({ ...r, features: { length: 1 } })],
    [
      'a feature name that is not a string',
      (r) => ({ ...r, features: [{ ...r.features[0]!, name: { toString: 1 } }] }),
    ],
    ['a distance that is text', (r) => ({ ...r, features: [{ ...r.features[0]!, distance: '<!channel>' }] })],
    ['a record count that is text', (r) => ({ ...r, records: { ...r.records, total: '<!channel>' } })],
    ['a share that is text', (r) => ({ ...r, datasetDrift: { ...r.datasetDrift, share: '<!here>' } })],
    ['violations not a list', (r) => ({ ...r, violations: 'x' })],
    ['a quality violation without a name', (r) => ({ ...r, quality: { violations: [{}] } })],
    [
      'a model time that is a number',
      (r) => ({ ...r, modelChangedDuringWindow: true, model: { lastModifiedTime: 7 } }),
    ],
    ['bias not an object', (r) => ({ ...r, bias: '<!channel>' })],
    ['bias facets not a list', (r) => ({ ...r, bias: { ...biasSection(), facets: 'x' } })],
    [
      'a bias facet name that is not a string',
      (r) => ({ ...r, bias: { ...biasSection(), facets: [{ ...biasSection().facets[0], facet: 7 }] } }),
    ],
    [
      'a bias window value that is text',
      (r) => ({
        ...r,
        bias: { ...biasSection(), facets: [{ ...biasSection().facets[0], window: '<!here>' }] },
      }),
    ],
    [
      'a bias violation count that is not whole',
      (r) => ({ ...r, bias: { ...biasSection(), violations: 1.5 } }),
    ],
    ['multivariate not an object', (r) => ({ ...r, multivariate: [] })],
    [
      'a multivariate value that is text',
      (r) => ({ ...r, multivariate: { ...multivariateResult(), value: '1' } }),
    ],
    [
      'a multivariate drifted flag that is not a boolean',
      (r) => ({ ...r, multivariate: { ...multivariateResult(), drifted: 'yes' } }),
    ],
    [
      'a contribution without a feature name',
      (r) => ({
        ...r,
        multivariate: {
          ...multivariateResult(),
          featureContributions: [{ share: 1, meanSquaredResidual: 1 }],
        },
      }),
    ],
    [
      'a contribution share above 1',
      (r) => ({
        ...r,
        multivariate: {
          ...multivariateResult(),
          featureContributions: [{ feature: 'a', share: 2, meanSquaredResidual: 1 }],
        },
      }),
    ],
  ];

  it.each(damaged)('is not shown, and the message says so: %s', (_, damage) => {
    const hostile = damage(good());
    let payload: SlackPayload | undefined;

    expect(() => {
      payload = summaryPayload(SUMMARY, hostile, 'the summary <!channel>', LINKS);
    }).not.toThrow();
    expectInert(payload!);
    expect(JSON.stringify(payload)).toMatch(/report\.json (is not a driftwatch report|could not be read)/);
    expect(() => readSlackReport(hostile)).toThrow();
  });

  it('reads an older report, without bias or multivariate, as having neither', () => {
    const older = good() as unknown as Record<string, unknown>;
    delete older.bias;
    delete older.multivariate;

    expect(readSlackReport(older)).toMatchObject({ bias: null, multivariate: null });
  });

  it('is shown when it is a report, whatever fields it has besides', () => {
    const r = { ...good(), extra: { '<!channel>': 1 }, quality: null };

    expect(readSlackReport(r).features).toEqual([
      { name: 'plan', drifted: true, distance: 0.3, threshold: 0.1, distanceMetric: 'linfRobust' },
    ]);
  });
});
