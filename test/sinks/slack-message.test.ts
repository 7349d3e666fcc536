// The Block Kit builders on their own: escaping, Block Kit's limits, notices, console links.
import { describe, expect, it } from 'vitest';
import type { SummaryAttributes } from '../../functions/contracts/topic-attributes.ts';
import {
  escapeMrkdwn,
  s3ConsoleUrl,
  summaryPayload,
  textPayload,
} from '../../functions/sinks/slack-message.ts';
import { driftViolation, feature, report } from './report-fixture.ts';

const LINKS = { dashboardUrl: 'https://example.com/dashboard', region: 'eu-west-1' };
const SUMMARY: SummaryAttributes = {
  endpoint: 'churn-xgb',
  scheduleName: 'hourly',
  windowStart: new Date('2026-11-26T05:00:00Z'),
  windowEnd: new Date('2026-11-26T06:00:00Z'),
  reportLocation: 's3://reports/reports/churn-xgb/hourly/2026/11/26/05/',
  datasetDrift: true,
  qualityViolations: 0,
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
          text: { type: 'mrkdwn', text: 'driftwatch did not start a retraining: cooldown &lt;24 h&gt;.' },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '<https://example.com/dashboard|Dashboard>' } },
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
