/**
 * One SNS message per window with violations: the subject names the endpoint, the hour and how
 * many features drifted; the body lists them and where the report is. At most one per window,
 * also when the window is run again: a marker object next to the report (SUMMARY_MARKER),
 * written with S3's conditional put, decides who sends.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { CONSTRAINT_VIOLATIONS_JSON, REPORT_HTML, REPORT_JSON } from '../contracts/report-layout.ts';
import { rankFeatures } from '../engine/attribution/global-attribution.ts';
import { attributionText } from '../engine/render/attribution-text.ts';
import { terminalText } from '../engine/render/terminal-text.ts';
import type { Report } from '../engine/report/report-model.ts';
import { modelLabel } from '../engine/report/serving-window.ts';
import { hourLabel } from './report-writer.ts';
import { summaryAttributes } from './topic-attributes.ts';

/** What a summary is about, besides the report. */
export interface SummaryContext {
  endpoint: string;
  scheduleName: string;
  windowStart: Date;
  windowEnd: Date;
  /** The window's report folder, `s3://bucket/.../hh/`. */
  reportLocation: string;
}

/** A window summary as SNS sends it: subject and body. */
export interface SummaryMessage {
  subject: string;
  message: string;
}

/** SNS takes subjects of up to 100 printable ASCII characters. */
const MAX_SUBJECT = 100;
/** Drifted features listed by name; the rest are counted (SNS messages stop at 256 KB). */
const MAX_LISTED_FEATURES = 50;

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
const num = (x: number): string => (Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4))));

/** Printable ASCII only: anything else becomes `?`. */
function ascii(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    out += c >= 32 && c <= 126 ? ch : '?';
  }
  return out;
}

/**
 * A name from the user's data, quoted: JSON escapes quotes and control characters, and the
 * characters some mail readers break lines at, and the bidi controls, are escaped too.
 */
function quoted(name: string): string {
  return JSON.stringify(name).replace(
    /[\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

function qualityViolations(report: Report): NonNullable<Report['quality']>['violations'] {
  return report.quality?.violations ?? [];
}

/** Significant bias violations of the window (0 without a bias section). */
function biasViolations(report: Report): number {
  return report.bias?.violations ?? 0;
}

/**
 * Whether a window needs a summary: any data or model-quality violation, significant bias
 * violation, or multivariate drift (a drifted feature attribution ranking is a report violation).
 */
export function hasViolations(report: Report): boolean {
  return (
    report.violations.length > 0 ||
    qualityViolations(report).length > 0 ||
    biasViolations(report) > 0 ||
    report.multivariate?.drifted === true
  );
}

/** Bias facets listed by name; the rest are counted. */
const MAX_LISTED_BIAS = 20;

/** The bias verdict's lines: the count, then each significant violation (names quoted). */
function biasSummaryLines(bias: NonNullable<Report['bias']>): string[] {
  const significant = bias.facets.filter((f) => f.significant);
  const lines = [
    `Bias: ${plural(bias.violations, 'significant violation')} (${plural(bias.matched, 'labelled prediction')} counted).`,
  ];
  for (const f of significant.slice(0, MAX_LISTED_BIAS))
    lines.push(
      `  ${quoted(f.facet)} = ${quoted(f.value)}: ${f.metric} ${value(f.window)} (baseline ${value(f.baseline)}, ${f.stage.replace('_', '-')})`,
    );
  if (significant.length > MAX_LISTED_BIAS)
    lines.push(`  and ${significant.length - MAX_LISTED_BIAS} more: see the report`);
  return lines;
}

/** Features named in the multivariate verdict, by their share of the error. */
const MAX_LISTED_CONTRIBUTIONS = 5;

/** The multivariate verdict's lines: the value against the band, and what drives the error. */
function multivariateSummaryLines(m: NonNullable<Report['multivariate']>): string[] {
  const band = `band ${num(m.lowerThreshold)} to ${num(m.upperThreshold)}`;
  if (m.value === null) return [`Multivariate drift: not scored (no rows), ${band}.`];
  const lines = [
    `Multivariate drift: ${m.drifted ? 'DETECTED' : 'not detected'}: reconstruction error ${num(m.value)}${m.samplingError === null ? '' : ` (sampling error ${num(m.samplingError)})`}, ${band}, ${plural(m.rows, 'row')}.`,
  ];
  if (m.drifted && m.featureContributions.length) {
    lines.push('  Largest contributions to the error:');
    for (const c of m.featureContributions.slice(0, MAX_LISTED_CONTRIBUTIONS))
      lines.push(
        `  ${quoted(c.feature)}: ${num(c.share * 100)}% (mean squared residual ${num(c.meanSquaredResidual)})`,
      );
  }
  return lines;
}

const value = (x: number | null): string => (x === null ? '-' : num(x));

/** Features of each ranking named in the attribution verdict. */
const MAX_RANKED_FEATURES = 5;

/**
 * The feature attribution verdict's lines: the terminal's line (nDCG and verdict, or what failed,
 * and the cost), how far a stopped explanation got, and the top of both rankings (names quoted).
 */
function attributionSummaryLines(report: Report): string[] {
  const a = report.attribution!;
  const lines = [attributionText(report).trimEnd()];
  if (a.stoppedEarly !== null) lines.push(`  Stopped early: ${a.stoppedEarly}.`);
  if (a.window !== null) {
    const features = Object.keys(a.baseline);
    const top = (o: Record<string, number>) => {
      const values = features.map((f) => (Object.hasOwn(o, f) ? o[f]! : 0));
      return rankFeatures(values)
        .slice(0, MAX_RANKED_FEATURES)
        .map((i) => `${quoted(features[i]!)} ${num(values[i]!)}`)
        .join(', ');
    };
    lines.push(`  Ranking in the window: ${top(a.window)}`, `  Ranking in the baseline: ${top(a.baseline)}`);
  }
  return lines;
}

/**
 * The summary of a window. Feature names come from the user's data: they appear in the body
 * only, quoted so no name can start a line of its own, and never in the subject.
 */
export function summaryMessage(report: Report, ctx: SummaryContext): SummaryMessage {
  const drifted = report.features.filter((f) => f.drifted);
  const other = report.violations.filter((v) => v.constraint_check_type !== 'baseline_drift_check');
  const quality = qualityViolations(report);
  // multivariate_drift_check is among `other` (a report violation); bias has its own count.
  const otherCount = other.length + quality.length + biasViolations(report);

  const counts = `${plural(drifted.length, 'feature')} drifted${otherCount ? `, ${plural(otherCount, 'other violation')}` : ''}`;
  const tail = ` ${hourLabel(ctx.windowStart)}: ${counts}`;
  const head = 'driftwatch: ';
  let name = ascii(ctx.endpoint);
  const room = MAX_SUBJECT - head.length - tail.length;
  if (name.length > room) name = `${name.slice(0, Math.max(0, room - 3))}...`;
  const subject = `${head}${name}${tail}`.slice(0, MAX_SUBJECT);

  const dd = report.datasetDrift;
  const lines = [
    `driftwatch found violations on endpoint ${ctx.endpoint} (schedule ${ctx.scheduleName}) in the window ${ctx.windowStart.toISOString()} to ${ctx.windowEnd.toISOString()}.`,
    '',
    `Dataset drift: ${dd.detected ? 'detected' : 'not detected'}: ${dd.driftedFeatures} of ${dd.monitoredFeatures} monitored features drifted (share ${num(dd.share)}; drift from ${num(dd.threshold)}).`,
  ];
  if (drifted.length) {
    lines.push('', 'Drifted features:');
    for (const f of drifted.slice(0, MAX_LISTED_FEATURES))
      lines.push(
        `  ${quoted(f.name)}: distance ${f.distance === null ? '-' : num(f.distance)} (${f.distanceMetric ?? '-'}), threshold ${f.threshold === null ? '-' : num(f.threshold)}`,
      );
    if (drifted.length > MAX_LISTED_FEATURES)
      lines.push(`  and ${drifted.length - MAX_LISTED_FEATURES} more: see the report`);
  }
  if (other.length) {
    lines.push('', `Other violations: ${other.length}`);
    const byCheck = new Map<string, number>();
    for (const v of other)
      byCheck.set(v.constraint_check_type, (byCheck.get(v.constraint_check_type) ?? 0) + 1);
    for (const [check, n] of [...byCheck].sort()) lines.push(`  ${check}: ${n}`);
  }
  if (quality.length) {
    lines.push('', `Model-quality violations: ${quality.length}`);
    for (const v of quality) lines.push(`  ${quoted(v.metric_name)}: ${v.constraint_check_type}`);
  }
  if (report.bias) lines.push('', ...biasSummaryLines(report.bias));
  if (report.multivariate) lines.push('', ...multivariateSummaryLines(report.multivariate));
  if (report.attribution) lines.push('', ...attributionSummaryLines(report));
  if (report.modelChangedDuringWindow && report.model)
    lines.push(
      '',
      `The endpoint was updated inside this window (at ${report.model.lastModifiedTime}): records before that may come from the model served before. Now serving ${modelLabel(report.model)}.`,
    );
  const r = report.records;
  lines.push(
    '',
    `Records: ${r.total} read, ${r.profiled} profiled, ${r.rejected} rejected.`,
    '',
    `Report: ${ctx.reportLocation}${REPORT_HTML}`,
    `Violations: ${ctx.reportLocation}${CONSTRAINT_VIOLATIONS_JSON}`,
    '',
  );
  // Every line as plain text from data is shown: controls and bidi overrides (which would show
  // the e-mail's names and numbers in another order) written as escapes.
  return { subject, message: lines.map(terminalText).join('\n') };
}

/**
 * Claims a key by creating it only when absent (S3 conditional write, `If-None-Match: *`).
 * Returns false when the key exists already (412), or another writer is creating it (409).
 */
export async function claimObject(
  client: S3Client,
  bucket: string,
  key: string,
  body: string,
  /**
   * Decides, from an existing object's text, whether it may be taken over (e.g. a summary whose
   * sending failed). The takeover is a put conditional on that object's ETag, so two runs cannot
   * both take it. @default - never
   */
  reclaimable?: (existing: string) => boolean,
): Promise<boolean> {
  // The same put either way; only its condition differs.
  const put = (condition: { IfNoneMatch: '*' } | { IfMatch: string }) =>
    client.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: body,
        ContentType: 'application/json',
        ...condition,
      }),
    );
  try {
    await put({ IfNoneMatch: '*' });
    return true;
  } catch (e) {
    if (!isConflict(e)) throw e;
  }
  if (!reclaimable) return false;
  const existing = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const text = (await existing.Body?.transformToString('utf-8')) ?? '';
  if (!reclaimable(text) || existing.ETag === undefined) return false;
  try {
    await put({ IfMatch: existing.ETag });
    return true;
  } catch (e) {
    if (isConflict(e)) return false;
    throw e;
  }
}

function isConflict(e: unknown): boolean {
  const status = (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return status === 412 || status === 409;
}

/** A summary marker whose sending failed: the next run of the window may send it. */
export function summaryMarkerFailed(text: string): boolean {
  try {
    return (JSON.parse(text) as { state?: string }).state === 'failed';
  } catch {
    return false;
  }
}

/**
 * The claim and mark of a window's summary marker, the S3 object `key` of `bucket` (the window's
 * folder and SUMMARY_MARKER, contracts/report-layout.ts): the claim creates it, or takes over
 * one whose sending failed; the mark overwrites it whatever it holds.
 */
export function summaryMarker(
  client: S3Client,
  bucket: string,
  key: string,
): Pick<SummaryDeps, 'claim' | 'mark'> {
  return {
    claim: (body) => claimObject(client, bucket, key, body, summaryMarkerFailed),
    mark: async (body) => {
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentType: 'application/json' }),
      );
    },
  };
}

/** What {@link sendWindowSummary} sends with, and how it claims and marks the window's marker. */
export interface SummaryDeps {
  sns: SNSClient;
  topicArn: string;
  /** Creates the window's marker when absent (or marked failed); false when the summary was sent. */
  claim: (body: string) => Promise<boolean>;
  /** Overwrites the marker (after a failed publish, with state "failed", so a re-run sends it). */
  mark?: (body: string) => Promise<void>;
}

/** What became of a window's summary. */
export type SummaryOutcome = 'sent' | 'already-sent' | 'no-violations';

/**
 * Sends the window's summary when it has violations and no summary was sent for it. The marker
 * goes first, so a window never gets two summaries; a publish that still fails after the
 * client's retries marks it failed and throws, so the run's retry sends it.
 */
export async function sendWindowSummary(
  deps: SummaryDeps,
  report: Report,
  ctx: SummaryContext,
): Promise<SummaryOutcome> {
  if (!hasViolations(report)) return 'no-violations';
  const marker = (state: 'sending' | 'failed') =>
    `${JSON.stringify({ window: report.window, report: `${ctx.reportLocation}${REPORT_JSON}`, topicArn: deps.topicArn, state }, null, 2)}\n`;
  if (!(await deps.claim(marker('sending')))) return 'already-sent';
  const { subject, message } = summaryMessage(report, ctx);
  try {
    // The attributes make the summary machine readable for the Slack notifier and retraining trigger.
    await deps.sns.send(
      new PublishCommand({
        TopicArn: deps.topicArn,
        Subject: subject,
        Message: message,
        MessageAttributes: summaryAttributes(report, ctx),
      }),
    );
  } catch (e) {
    // Failed after the SDK's retries: say so in the marker, so the run's retry (or a re-run of
    // the window) sends the summary instead of skipping it, then fail the run loudly.
    await deps.mark?.(marker('failed')).catch(() => {});
    throw e;
  }
  return 'sent';
}
