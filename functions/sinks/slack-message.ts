/**
 * Slack Block Kit messages for what arrives on an endpoint's topic: a window summary (built from
 * the window's report.json), an alarm transition, or a text notice (retraining, anything else).
 * Pure: the notifier reads the report and posts; this only shapes the message.
 *
 * Everything from the user's data (feature and metric names), from report.json, from the
 * topic's messages (subjects, attributes, texts) or from AWS (alarm names and reasons) is
 * escaped for Slack's mrkdwn, so no value can mention a channel or a person, make a link or
 * break the layout, and every text is kept within Block Kit's limits. Every mrkdwn text is
 * `verbatim` (Slack then links no bare URL and parses no bare mention), report.json is checked
 * field by field before anything of it is shown ({@link readSlackReport}), and only a report
 * location that is an S3 URI is linked.
 */
import type { AlarmTransition } from '../contracts/alarm-transition.ts';
import { REPORT_HTML } from '../contracts/report-layout.ts';
import type { SummaryAttributes } from '../contracts/topic-attributes.ts';
import { escapeBidi } from '../engine/render/terminal-text.ts';
import { hourLabel } from './report-writer.ts';
import { readSlackReport, type SlackReport } from './slack-report.ts';

/** A Block Kit text object. */
export interface SlackText {
  type: 'plain_text' | 'mrkdwn';
  text: string;
  emoji?: boolean;
  /** mrkdwn only: true, so Slack links no bare URL and parses no bare mention in it. */
  verbatim?: boolean;
}

/** The Block Kit blocks driftwatch's messages use. */
export type SlackBlock =
  | { type: 'header'; text: SlackText }
  | { type: 'section'; text?: SlackText; fields?: SlackText[] }
  | { type: 'context'; elements: SlackText[] };

/** The JSON body posted to an incoming webhook. */
export interface SlackPayload {
  /** The notification text (and what clients without Block Kit show). */
  text: string;
  blocks: SlackBlock[];
}

/** What every message links to. */
export interface SlackLinks {
  /** The endpoint's CloudWatch dashboard. */
  dashboardUrl: string;
  /** The region the stack runs in, for console links. */
  region: string;
}

/** Block Kit limits: header text 150 characters, section text 3,000, a field 2,000. */
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;
/** Drifted features and quality violations listed by name; the report has the rest. */
const MAX_LISTED = 15;

/**
 * Escapes the three characters Slack's mrkdwn treats as markup (`<@U…>`, `<!channel>`, links),
 * breaks the bare special mentions (`@channel`, `@here`, `@everyone`) with a word joiner, and
 * writes bidi overrides as `\uNNNN` so a value reads in the order it is stored.
 */
export function escapeMrkdwn(s: string): string {
  return escapeBidi(s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')).replace(
    /@(channel|here|everyone)\b/gi,
    '@\u2060$1',
  );
}

/** A value as the notification text and plain_text headers show it: one line, no bidi tricks. */
function plain(s: string): string {
  return escapeBidi(s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?'));
}

/** A name from the user's data as inline code: no formatting applies inside, no line breaks. */
function code(name: string): string {
  return `\`${escapeMrkdwn(name.replace(/[`\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?'))}\``;
}

function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 1)}…`;
}

/** Lines joined until `max` characters, then a line saying how many were left out. */
function lines(head: string, items: readonly string[], total: number, max = SECTION_MAX): string {
  let out = head;
  let shown = 0;
  for (const item of items) {
    const rest = total - shown - 1;
    const tail = rest > 0 ? `\n… and ${rest} more in the report` : '';
    if (out.length + 1 + item.length + tail.length > max) break;
    out += `\n${item}`;
    shown++;
  }
  if (shown < total) out += `\n… and ${total - shown} more in the report`;
  return out;
}

const num = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));
const value = (x: number | null): string => (x === null ? '-' : num(x));
const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
/** A header: plain text (Slack parses no mention or link in it), one line, clipped. */
const header = (text: string): SlackBlock => ({
  type: 'header',
  text: { type: 'plain_text', text: clip(plain(text), HEADER_MAX), emoji: true },
});
const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text, verbatim: true });
const section = (text: string): SlackBlock => ({ type: 'section', text: mrkdwn(clip(text, SECTION_MAX)) });
const field = (label: string, value: string): SlackText => mrkdwn(clip(`*${label}*\n${value}`, FIELD_MAX));
const link = (url: string, label: string): string => `<${url}|${label}>`;

/** An AWS region code (`eu-west-1`, `us-gov-east-1`); anything else is not put in a URL. */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
/** An S3 URI whose bucket is lowercase letters, digits, dots and hyphens (nothing a URL or mrkdwn reads). */
const S3_LOCATION = /^s3:\/\/([a-z0-9][a-z0-9.-]{0,62})(?:\/(.*))?$/s;

/**
 * The S3 console page of an object or folder (`s3://bucket/key`); null when `uri` is not an S3
 * URI with a valid bucket name or `region` is not a region code: such a location is never linked.
 */
export function s3ConsoleUrl(uri: string, region: string): string | null {
  const match = S3_LOCATION.exec(uri);
  if (!match || !REGION.test(region)) return null;
  const [, bucket, key = ''] = match;
  const page = key === '' || key.endsWith('/') ? 'buckets' : 'object';
  return `https://s3.console.aws.amazon.com/s3/${page}/${bucket}?region=${region}&prefix=${encodeURIComponent(key)}`;
}

/** The CloudWatch console page of an alarm; null when `region` is not a region code. */
export function alarmConsoleUrl(name: string, region: string): string | null {
  if (!REGION.test(region)) return null;
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(name)}`;
}

/** A link when there is a URL, else the label as plain words. */
const linkOr = (url: string | null, label: string): string => (url === null ? label : link(url, label));

/** What a window came to, in a few words, and the sentence behind them. */
function verdict(report: SlackReport): { title: string; detail: string } {
  const dd = report.datasetDrift;
  const driftedCount = report.features.filter((f) => f.drifted).length;
  const quality = report.quality?.violations.length ?? 0;
  const share = `${dd.driftedFeatures} of ${dd.monitoredFeatures} monitored features drifted (share ${num(dd.share)}, dataset drift from ${num(dd.threshold)})`;
  const parts = [dd.detected ? `Dataset drift detected: ${share}.` : `No dataset drift: ${share}.`];
  if (quality) parts.push(`${plural(quality, 'model-quality violation')}.`);
  const bias = report.bias?.violations ?? 0;
  if (report.bias) parts.push(`${plural(bias, 'significant bias violation')}.`);
  const multivariate = report.multivariate?.drifted === true;
  if (multivariate) parts.push('Multivariate drift detected.');
  const attribution = report.attribution?.drifted === true;
  if (attribution) parts.push('Feature attribution drift detected.');
  const title = dd.detected
    ? 'Dataset drift'
    : driftedCount > 0
      ? 'Feature drift'
      : multivariate
        ? 'Multivariate drift'
        : attribution
          ? 'Feature attribution drift'
          : quality > 0
            ? 'Model-quality violations'
            : bias > 0
              ? 'Bias violations'
              : 'Data-quality violations';
  return { title, detail: parts.join(' ') };
}

/**
 * The message of a window summary: endpoint, hour, verdict, the drifted features with distance
 * and threshold, the other violations, the model-quality violations, the significant bias
 * violations, the multivariate and feature attribution verdicts, and links to the report and the dashboard. `report` is report.json as read (`null` when it could not be read): it is
 * checked with {@link readSlackReport} first, and when it is not a report the message says so
 * and carries the summary's text instead.
 */
export function summaryPayload(
  summary: SummaryAttributes,
  report: unknown,
  summaryText: string,
  links: SlackLinks,
): SlackPayload {
  const hour = hourLabel(summary.windowStart);
  const reportHtml = `${summary.reportLocation}${REPORT_HTML}`;
  const endpointField = field(
    'Endpoint',
    `${code(summary.endpoint)} (schedule ${code(summary.scheduleName)})`,
  );
  const hourField = field('Hour', `${hour} to ${summary.windowEnd.toISOString().slice(11, 16)} UTC`);
  const linkBlocks: SlackBlock[] = [
    section(
      `${linkOr(s3ConsoleUrl(reportHtml, links.region), 'Report')}  ·  ${link(links.dashboardUrl, 'Dashboard')}`,
    ),
    { type: 'context', elements: [mrkdwn(code(reportHtml))] },
  ];
  const notice = `driftwatch: ${escapeMrkdwn(plain(summary.endpoint))} ${hour}`;

  let checked: SlackReport | null = null;
  let problem = 'report.json could not be read';
  if (report !== null && report !== undefined) {
    try {
      checked = readSlackReport(report);
    } catch (e) {
      problem = `report.json is not a driftwatch report (${escapeMrkdwn(plain((e as Error).message))})`;
    }
  }

  if (!checked) {
    const title = summary.datasetDrift ? 'Dataset drift' : 'Violations';
    return {
      text: `${notice}: ${title.toLowerCase()}`,
      blocks: [
        header(`:warning: ${title} on ${summary.endpoint}`),
        {
          type: 'section',
          fields: [
            endpointField,
            hourField,
            field(
              'Verdict',
              `${summary.datasetDrift ? 'Dataset drift detected' : 'No dataset drift'}; ${plural(summary.qualityViolations, 'model-quality violation')}${summary.biasViolations ? `; ${plural(summary.biasViolations, 'significant bias violation')}` : ''}${summary.multivariateDrift ? '; multivariate drift detected' : ''}${summary.attributionDrift ? '; feature attribution drift detected' : ''}`,
            ),
          ],
        },
        section(
          `${clip(problem, 300)}, so the details are the summary's:\n\`\`\`${escapeMrkdwn(clip(summaryText, SECTION_MAX - 500))}\`\`\``,
        ),
        ...linkBlocks,
      ],
    };
  }

  const { title, detail } = verdict(checked);
  const r = checked.records;
  const blocks: SlackBlock[] = [
    header(`:warning: ${title} on ${summary.endpoint}`),
    {
      type: 'section',
      fields: [
        endpointField,
        hourField,
        field('Verdict', escapeMrkdwn(detail)),
        field('Records', `${r.total} read, ${r.profiled} profiled, ${r.rejected} rejected`),
      ],
    },
  ];

  const drifted = checked.features.filter((f) => f.drifted);
  if (drifted.length) {
    const items = drifted
      .slice(0, MAX_LISTED)
      .map(
        (f) =>
          `• ${code(f.name)}: distance ${f.distance === null ? '-' : num(f.distance)} (${escapeMrkdwn(f.distanceMetric ?? '-')}), threshold ${f.threshold === null ? '-' : num(f.threshold)}`,
      );
    blocks.push(section(lines('*Drifted features*', items, drifted.length)));
  }

  const other = checked.violations.filter((v) => v.constraint_check_type !== 'baseline_drift_check');
  if (other.length) {
    const byCheck = new Map<string, string[]>();
    for (const v of other)
      byCheck.set(v.constraint_check_type, [...(byCheck.get(v.constraint_check_type) ?? []), v.feature_name]);
    const items = [...byCheck]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(
        ([check, names]) =>
          `• ${escapeMrkdwn(check)}: ${names.length} (${names.slice(0, 5).map(code).join(', ')}${names.length > 5 ? ', …' : ''})`,
      );
    blocks.push(section(lines('*Other data-quality violations*', items, items.length)));
  }

  const quality = checked.quality?.violations ?? [];
  if (quality.length) {
    const items = quality
      .slice(0, MAX_LISTED)
      .map((v) => `• ${code(v.metric_name)}: ${escapeMrkdwn(v.description || v.constraint_check_type)}`);
    blocks.push(section(lines('*Model quality*', items, quality.length)));
  }

  const bias = checked.bias;
  if (bias?.significant.length) {
    const items = bias.significant
      .slice(0, MAX_LISTED)
      .map(
        (f) =>
          `• ${code(f.facet)} = ${code(f.value)}: ${code(f.metric)} ${value(f.window)} (baseline ${value(f.baseline)}, ${escapeMrkdwn(f.stage.replace('_', '-'))})`,
      );
    blocks.push(
      section(
        lines(
          `*Bias* (${plural(bias.violations, 'significant violation')}, ${plural(bias.matched, 'labelled prediction')})`,
          items,
          bias.significant.length,
        ),
      ),
    );
  }

  const mv = checked.multivariate;
  if (mv) {
    const head = `*Multivariate drift* ${mv.drifted ? 'detected' : 'not detected'}: reconstruction error ${value(mv.value)}${mv.samplingError === null ? '' : ` ± ${num(mv.samplingError)}`} (band ${num(mv.lowerThreshold)} to ${num(mv.upperThreshold)}, ${plural(mv.rows, 'row')})`;
    const items = mv.drifted
      ? mv.featureContributions
          .slice(0, 5)
          .map((c) => `• ${code(c.feature)}: ${num(c.share * 100)}% of the error`)
      : [];
    blocks.push(section(lines(head, items, items.length)));
  }

  const attr = checked.attribution;
  if (attr) {
    const cost = `${attr.recordsExplained} of ${plural(attr.windowRows, 'row')} explained, ${plural(attr.modelRows, 'model row')} in ${plural(attr.requests, 'request')}${attr.endpoint === null ? '' : ` to ${code(attr.endpoint)}`}`;
    const head =
      attr.error !== null
        ? `*Feature attribution* not measured: ${escapeMrkdwn(plain(clip(attr.error, 500)))} (${cost})`
        : attr.ndcg === null
          ? `*Feature attribution* not measured: no record explained (${cost})`
          : `*Feature attribution* ${attr.drifted ? 'drifted' : 'held'}: nDCG ${num(attr.ndcg)} against the baseline's ranking (threshold ${num(attr.threshold)}), ${cost}`;
    const items = attr.top.map(
      (f) => `• ${code(f.feature)}: ${num(f.window)} (baseline ${value(f.baseline)})`,
    );
    blocks.push(section(lines(head, items, items.length)));
    if (attr.stoppedEarly !== null)
      blocks.push({
        type: 'context',
        elements: [
          mrkdwn(`Explanation stopped early: ${escapeMrkdwn(plain(clip(attr.stoppedEarly, 500)))}.`),
        ],
      });
  }

  if (checked.modelChangedDuringWindow && checked.model?.lastModifiedTime)
    blocks.push({
      type: 'context',
      elements: [
        mrkdwn(
          `The endpoint was updated inside this window (at ${escapeMrkdwn(checked.model.lastModifiedTime)}): some records come from the model served before.`,
        ),
      ],
    });

  blocks.push(...linkBlocks);
  return { text: `${notice}: ${title.toLowerCase()}`, blocks };
}

/** The endpoint, and the window an alarm most likely judged (the last complete hour), to link its report. */
export interface AlarmContext extends SlackLinks {
  endpoint: string;
  windowStart: Date;
  /** That window's report folder, `s3://bucket/.../hh/`. */
  reportLocation: string;
}

// Maps: a state or operator is text from the message, never a key (`constructor` finds nothing).
const STATE_EMOJI: ReadonlyMap<string, string> = new Map([
  ['ALARM', ':rotating_light:'],
  ['OK', ':white_check_mark:'],
  ['INSUFFICIENT_DATA', ':grey_question:'],
]);

const COMPARISON: ReadonlyMap<string, string> = new Map([
  ['GreaterThanThreshold', '>'],
  ['GreaterThanOrEqualToThreshold', '>='],
  ['LessThanThreshold', '<'],
  ['LessThanOrEqualToThreshold', '<='],
]);

/** The message of an alarm transition: state, endpoint, time, condition, reason, and links. */
export function alarmPayload(alarm: AlarmTransition, ctx: AlarmContext): SlackPayload {
  // The ARN's region is the message's word: a link uses it only when it is a region code.
  const region = alarm.region !== null && REGION.test(alarm.region) ? alarm.region : ctx.region;
  const changed = alarm.stateChangeTime.toISOString();
  const fields = [
    field('Endpoint', code(ctx.endpoint)),
    field('State', `${escapeMrkdwn(alarm.oldState)} → *${escapeMrkdwn(alarm.newState)}*`),
    field('Changed at', `${changed.slice(0, 10)} ${changed.slice(11, 16)} UTC`),
    field('Hour', `${hourLabel(ctx.windowStart)} (the last complete window)`),
  ];
  if (alarm.trigger)
    fields.push(
      field(
        'Condition',
        `${code(alarm.trigger.metricName)} ${escapeMrkdwn(COMPARISON.get(alarm.trigger.comparison) ?? alarm.trigger.comparison)} ${num(alarm.trigger.threshold)}`,
      ),
    );
  const blocks: SlackBlock[] = [
    header(`${STATE_EMOJI.get(alarm.newState) ?? ':bell:'} ${alarm.newState}: ${alarm.name}`),
  ];
  if (alarm.description) blocks.push(section(escapeMrkdwn(alarm.description)));
  blocks.push({ type: 'section', fields });
  if (alarm.reason) blocks.push(section(`*Reason*\n${escapeMrkdwn(alarm.reason)}`));
  blocks.push(
    section(
      [
        linkOr(alarmConsoleUrl(alarm.name, region), 'Alarm'),
        link(ctx.dashboardUrl, 'Dashboard'),
        linkOr(s3ConsoleUrl(ctx.reportLocation, ctx.region), `Report of ${hourLabel(ctx.windowStart)}`),
      ].join('  ·  '),
    ),
  );
  return { text: escapeMrkdwn(plain(`${alarm.newState}: ${alarm.name}`)), blocks };
}

/** A notice that is neither a summary nor an alarm (retraining started or skipped, anything else). */
export function textPayload(
  subject: string | null,
  text: string,
  ctx: SlackLinks & { endpoint: string; retraining: boolean },
): SlackPayload {
  const title = subject ?? `Message on the driftwatch topic of ${ctx.endpoint}`;
  return {
    text: escapeMrkdwn(plain(title)),
    blocks: [
      header(`${ctx.retraining ? ':gear:' : ':speech_balloon:'} ${title}`),
      section(escapeMrkdwn(text.trim() || '(empty message)')),
      section(link(ctx.dashboardUrl, 'Dashboard')),
    ],
  };
}
