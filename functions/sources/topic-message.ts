/**
 * What arrives on an endpoint's SNS topic, as the Lambda subscribers receive it: CloudWatch alarm
 * transitions (a JSON body, no attributes), the monitor's window summaries and retraining notices
 * (text bodies with driftwatch's message attributes), or anything else someone published.
 */
import type { AlarmTransition } from '../contracts/alarm-transition.ts';
import { HOUR_MS } from '../contracts/time.ts';
import {
  type DeliveredAttributes,
  messageKind,
  readSummaryAttributes,
  type SummaryAttributes,
} from '../contracts/topic-attributes.ts';

/** One message of the topic, by kind. */
export type TopicMessage =
  | { kind: 'alarm'; alarm: AlarmTransition }
  | { kind: 'window-summary'; summary: SummaryAttributes; subject: string; text: string }
  | { kind: 'retraining'; subject: string; text: string }
  | { kind: 'text'; subject: string | null; text: string };

/** The part of an SNS record a subscriber reads. */
interface SnsNotification {
  Subject?: string | null;
  Message: string;
  MessageAttributes?: DeliveredAttributes;
}

/** Thrown for an event that is not an SNS delivery; the message says what the function takes. */
export class TopicEventError extends Error {}

/** The messages of a Lambda SNS event (one record in practice; SNS delivers one at a time). */
export function topicMessages(event: unknown): TopicMessage[] {
  const records = (event as { Records?: unknown } | null)?.Records;
  if (!Array.isArray(records) || records.length === 0)
    throw new TopicEventError(
      'the event has no Records: this function takes SNS deliveries from its endpoint topic (subscribe it, or invoke it with an SNS test event)',
    );
  return records.map((record, i) => {
    const sns = (record as { Sns?: SnsNotification } | null)?.Sns;
    if (!sns || typeof sns.Message !== 'string')
      throw new TopicEventError(`event.Records[${i}] is not an SNS record (no Sns.Message)`);
    return parseNotification(sns);
  });
}

function parseNotification(sns: SnsNotification): TopicMessage {
  const subject = typeof sns.Subject === 'string' && sns.Subject !== '' ? sns.Subject : null;
  const kind = messageKind(sns.MessageAttributes);
  if (kind === 'window-summary' && sns.MessageAttributes)
    return {
      kind,
      summary: readSummaryAttributes(sns.MessageAttributes),
      subject: subject ?? '',
      text: sns.Message,
    };
  if (kind === 'retraining') return { kind, subject: subject ?? '', text: sns.Message };
  const alarm = parseAlarm(sns.Message);
  if (alarm) return { kind: 'alarm', alarm };
  return { kind: 'text', subject, text: sns.Message };
}

/** The alarm in a CloudWatch alarm notification; `undefined` when the body is not one. */
export function parseAlarm(body: string): AlarmTransition | undefined {
  if (!body.trimStart().startsWith('{')) return undefined;
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const str = (key: string): string | null => (typeof json[key] === 'string' ? (json[key] as string) : null);
  const name = str('AlarmName');
  const newState = str('NewStateValue');
  const changed = Date.parse(str('StateChangeTime') ?? '');
  if (name === null || newState === null || Number.isNaN(changed)) return undefined;
  const arn = str('AlarmArn');
  const trigger = json.Trigger as Record<string, unknown> | undefined;
  return {
    name,
    description: str('AlarmDescription'),
    newState,
    oldState: str('OldStateValue') ?? 'UNKNOWN',
    reason: str('NewStateReason') ?? '',
    stateChangeTime: new Date(changed),
    region: arn?.split(':')[3] || null,
    trigger:
      trigger && typeof trigger.MetricName === 'string' && typeof trigger.Threshold === 'number'
        ? {
            metricName: trigger.MetricName,
            comparison: String(trigger.ComparisonOperator ?? ''),
            threshold: trigger.Threshold,
          }
        : null,
  };
}

/** The window an alarm speaks for: the last complete hour before its state change (what the monitor last published). */
export function alarmWindow(alarm: AlarmTransition): { start: Date; end: Date } {
  const end = Math.floor(alarm.stateChangeTime.getTime() / HOUR_MS) * HOUR_MS;
  return { start: new Date(end - HOUR_MS), end: new Date(end) };
}
