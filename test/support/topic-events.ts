/** SNS deliveries as the Lambda subscribers of an endpoint topic receive them. */
import type { Report } from '../../functions/engine/report/report-model.ts';
import { summaryAttributes } from '../../functions/sinks/topic-attributes.ts';

/** One SNS record, as Lambda receives it. */
export function snsEvent(message: string, subject: string | null, attributes: Record<string, unknown> = {}) {
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        Sns: {
          Type: 'Notification',
          MessageId: '95df01b4-ee98-5cb9-9903-4c221d41eb5e',
          TopicArn: 'arn:aws:sns:us-east-1:123456789012:driftwatch',
          Subject: subject,
          Message: message,
          Timestamp: '2026-11-26T06:12:04.000Z',
          MessageAttributes: attributes,
        },
      },
    ],
  };
}

/** A window summary as the monitor publishes it (attributes from `summaryAttributes`), as delivered. */
export function summaryEvent(
  report: Report,
  ctx: { endpoint: string; scheduleName: string; windowStart: Date; reportLocation: string },
  text = `driftwatch found violations on endpoint ${ctx.endpoint} ...`,
) {
  const windowEnd = new Date(ctx.windowStart.getTime() + 3_600_000);
  const delivered = Object.fromEntries(
    Object.entries(summaryAttributes(report, { ...ctx, windowEnd })).map(([name, v]) => [
      name,
      { Type: v.DataType, Value: v.StringValue },
    ]),
  );
  return snsEvent(text, `driftwatch: ${ctx.endpoint} summary`, delivered);
}

/** A CloudWatch alarm state change notification. */
export function alarmEvent(name: string, newState: string, stateChangeTime: string, oldState = 'OK') {
  return snsEvent(
    JSON.stringify({
      AlarmName: name,
      AlarmDescription: `${name}: test alarm`,
      AWSAccountId: '123456789012',
      NewStateValue: newState,
      NewStateReason: 'Threshold Crossed',
      StateChangeTime: stateChangeTime,
      Region: 'US East (N. Virginia)',
      AlarmArn: `arn:aws:cloudwatch:us-east-1:123456789012:alarm:${name}`,
      OldStateValue: oldState,
      Trigger: { MetricName: 'm', ComparisonOperator: 'GreaterThanThreshold', Threshold: 1 },
    }),
    `${newState}: "${name}" in US East (N. Virginia)`,
  );
}
