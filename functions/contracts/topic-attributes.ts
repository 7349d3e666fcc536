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
 * 10 attributes per message: a summary uses 8; counts beyond these are in report.json.
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
    const value = Number(get(name));
    if (!Number.isInteger(value) || value < 0)
      throw new AttributeError(`message attribute ${name} is not a count: ${JSON.stringify(get(name))}`);
    return value;
  };
  return {
    endpoint: get(ATTRIBUTE.endpoint),
    scheduleName: get(ATTRIBUTE.schedule),
    windowStart: date(ATTRIBUTE.windowStart),
    windowEnd: date(ATTRIBUTE.windowEnd),
    reportLocation: get(ATTRIBUTE.report),
    datasetDrift: get(ATTRIBUTE.datasetDrift) === 'true',
    qualityViolations: count(ATTRIBUTE.qualityViolations),
  };
}
