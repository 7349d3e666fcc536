/**
 * A CloudWatch alarm's state change as it arrives on an endpoint's topic: read by
 * functions/sources/topic-message.ts, shown by functions/sinks/slack-message.ts.
 */

/** One CloudWatch alarm state change, from the JSON CloudWatch publishes. */
export interface AlarmTransition {
  name: string;
  description: string | null;
  /** `ALARM`, `OK` or `INSUFFICIENT_DATA`. */
  newState: string;
  oldState: string;
  reason: string;
  stateChangeTime: Date;
  /** The alarm's region code (from its ARN), when the message has one. */
  region: string | null;
  /** The metric and condition, for single-metric alarms. */
  trigger: { metricName: string; comparison: string; threshold: number } | null;
}
