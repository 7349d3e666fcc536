/**
 * The SNS message attributes that make driftwatch's own messages on an endpoint's topic machine
 * readable, and their reading back. The topic carries three kinds of message: CloudWatch alarm
 * transitions (JSON, no attributes), the monitor's window summaries (text for people, these
 * attributes for the Slack notifier and the retraining trigger) and retraining notices. The
 * monitor writes them (functions/sinks/topic-attributes.ts) and the subscribers read them
 * (functions/sources/topic-message.ts): the names exist here once.
 */

/**
 * Attribute names. SNS allows letters, digits, `-`, `_` and single dots, and (for SQS subscribers)
 * 10 attributes per message: a summary uses 8, plus `biasViolations` when the report has a bias
 * section and `multivariateDrift` when it has a multivariate one (10 at most); counts beyond
 * these are in report.json.
 */
export const ATTRIBUTE = {
  kind: 'driftwatch.kind',
  endpoint: 'driftwatch.endpoint',
  schedule: 'driftwatch.schedule',
  windowStart: 'driftwatch.windowStart',
  windowEnd: 'driftwatch.windowEnd',
  /** The window's report folder, `s3://bucket/.../hh/`. */
  report: 'driftwatch.report',
  datasetDrift: 'driftwatch.datasetDrift',
  qualityViolations: 'driftwatch.qualityViolations',
  /** The report's significant bias violations (`bias.violations`); absent without a bias section. */
  biasViolations: 'driftwatch.biasViolations',
  /** The report's `multivariate.drifted`; absent without a multivariate section. */
  multivariateDrift: 'driftwatch.multivariateDrift',
} as const;

/** Values of `driftwatch.kind`. */
export type MessageKind = 'window-summary' | 'retraining';

/** What a window summary's attributes say, parsed. */
export interface SummaryAttributes {
  endpoint: string;
  scheduleName: string;
  windowStart: Date;
  windowEnd: Date;
  /** The window's report folder, `s3://bucket/.../hh/`. */
  reportLocation: string;
  /** The report's `datasetDrift.detected`. */
  datasetDrift: boolean;
  /** Model-quality constraint violations. */
  qualityViolations: number;
  /** Significant bias violations; 0 when the summary does not say (no bias section, or an older monitor). */
  biasViolations: number;
  /** Multivariate drift was detected; false when the summary does not say. */
  multivariateDrift: boolean;
}

/** Message attributes as a Lambda SNS event delivers them. */
export type DeliveredAttributes = Readonly<Record<string, { Type?: string; Value?: string } | undefined>>;

/** The `driftwatch.kind` of a delivered message; `undefined` for messages not from driftwatch (alarms). */
export function messageKind(attributes: DeliveredAttributes | undefined): string | undefined {
  return attributes?.[ATTRIBUTE.kind]?.Value;
}

/** Thrown for a window summary whose attributes are missing or malformed; names the attribute. */
export class AttributeError extends Error {}

/** Reads a window summary's attributes back; throws `AttributeError` naming what is wrong. */
export function readSummaryAttributes(attributes: DeliveredAttributes): SummaryAttributes {
  const get = (name: string): string => {
    const value = attributes[name]?.Value;
    if (value === undefined || value === '')
      throw new AttributeError(`window summary without the ${name} message attribute`);
    return value;
  };
  const date = (name: string): Date => {
    const value = get(name);
    const ms = Date.parse(value);
    if (Number.isNaN(ms))
      throw new AttributeError(`message attribute ${name} is not an ISO-8601 time: ${JSON.stringify(value)}`);
    return new Date(ms);
  };
  const count = (name: string): number => {
    const text = get(name);
    const value = Number(text);
    if (!Number.isInteger(value) || value < 0)
      throw new AttributeError(`message attribute ${name} is not a count: ${JSON.stringify(text)}`);
    return value;
  };
  // Attributes added later: a summary from an older monitor (or a window without the section) has none.
  const optional = <T>(name: string, read: (name: string) => T, absent: T): T =>
    attributes[name]?.Value === undefined ? absent : read(name);
  return {
    endpoint: get(ATTRIBUTE.endpoint),
    scheduleName: get(ATTRIBUTE.schedule),
    windowStart: date(ATTRIBUTE.windowStart),
    windowEnd: date(ATTRIBUTE.windowEnd),
    reportLocation: get(ATTRIBUTE.report),
    datasetDrift: get(ATTRIBUTE.datasetDrift) === 'true',
    qualityViolations: count(ATTRIBUTE.qualityViolations),
    biasViolations: optional(ATTRIBUTE.biasViolations, count, 0),
    multivariateDrift: optional(ATTRIBUTE.multivariateDrift, (n) => get(n) === 'true', false),
  };
}
