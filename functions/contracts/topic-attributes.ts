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
 * section, `multivariateDrift` when it has a multivariate one and `attributionDrift` when its
 * feature attribution was measured. With all three, `windowEnd` is left out (the window is always
 * an hour: readers take the start + 1 h), so a summary never has more than
 * {@link MAX_SUMMARY_ATTRIBUTES}; counts beyond these are in report.json.
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
  /** The report's `attribution.drifted`; absent when the window's attribution was not measured (no nDCG). */
  attributionDrift: 'driftwatch.attributionDrift',
} as const;

/** SNS delivers at most 10 message attributes to SQS subscribers. */
export const MAX_SUMMARY_ATTRIBUTES = 10;

/** A monitor window's length: the end a summary without `windowEnd` has. */
const WINDOW_MS = 60 * 60 * 1000;

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
  /** The feature attribution ranking drifted; false when the summary does not say. */
  attributionDrift: boolean;
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
  // Read in this order, so the first attribute missing is the one an error names.
  const endpoint = get(ATTRIBUTE.endpoint);
  const scheduleName = get(ATTRIBUTE.schedule);
  const windowStart = date(ATTRIBUTE.windowStart);
  return {
    endpoint,
    scheduleName,
    windowStart,
    windowEnd: optional(ATTRIBUTE.windowEnd, date, new Date(windowStart.getTime() + WINDOW_MS)),
    reportLocation: get(ATTRIBUTE.report),
    datasetDrift: get(ATTRIBUTE.datasetDrift) === 'true',
    qualityViolations: count(ATTRIBUTE.qualityViolations),
    biasViolations: optional(ATTRIBUTE.biasViolations, count, 0),
    multivariateDrift: optional(ATTRIBUTE.multivariateDrift, (n) => get(n) === 'true', false),
    attributionDrift: optional(ATTRIBUTE.attributionDrift, (n) => get(n) === 'true', false),
  };
}
