/**
 * The SNS message attributes driftwatch writes on its messages, as `MessageAttributeValue`s. The
 * names and how subscribers read them back are in contracts/topic-attributes.ts.
 */
import type { MessageAttributeValue } from '@aws-sdk/client-sns';
import { ATTRIBUTE, MAX_SUMMARY_ATTRIBUTES, type MessageKind } from '../contracts/topic-attributes.ts';
import type { Report } from '../engine/report/report-model.ts';

const text = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });
const number = (value: number): MessageAttributeValue => ({ DataType: 'Number', StringValue: String(value) });

/**
 * The attributes of a window summary, at most {@link MAX_SUMMARY_ATTRIBUTES}: with the bias,
 * multivariate and attribution attributes all present, `windowEnd` (always the start + 1 h,
 * which readers assume without it) is left out.
 */
export function summaryAttributes(
  report: Report,
  ctx: { endpoint: string; scheduleName: string; windowStart: Date; windowEnd: Date; reportLocation: string },
): Record<string, MessageAttributeValue> {
  const attributes: Record<string, MessageAttributeValue> = {
    [ATTRIBUTE.kind]: text('window-summary' satisfies MessageKind),
    [ATTRIBUTE.endpoint]: text(ctx.endpoint),
    [ATTRIBUTE.schedule]: text(ctx.scheduleName),
    [ATTRIBUTE.windowStart]: text(ctx.windowStart.toISOString()),
    [ATTRIBUTE.windowEnd]: text(ctx.windowEnd.toISOString()),
    [ATTRIBUTE.report]: text(ctx.reportLocation),
    [ATTRIBUTE.datasetDrift]: text(String(report.datasetDrift.detected)),
    [ATTRIBUTE.qualityViolations]: number(report.quality?.violations.length ?? 0),
    // Only when the report has the section: "0" would claim bias was measured.
    ...(report.bias ? { [ATTRIBUTE.biasViolations]: number(report.bias.violations) } : {}),
    ...(report.multivariate
      ? { [ATTRIBUTE.multivariateDrift]: text(String(report.multivariate.drifted)) }
      : {}),
    // Only when measured: "false" for a failed explanation would claim the ranking held.
    ...(report.attribution && report.attribution.ndcg !== null
      ? { [ATTRIBUTE.attributionDrift]: text(String(report.attribution.drifted)) }
      : {}),
  };
  if (Object.keys(attributes).length > MAX_SUMMARY_ATTRIBUTES) delete attributes[ATTRIBUTE.windowEnd];
  return attributes;
}

/** The attributes of a retraining notice. */
export function retrainingAttributes(endpoint: string): Record<string, MessageAttributeValue> {
  return {
    [ATTRIBUTE.kind]: text('retraining' satisfies MessageKind),
    [ATTRIBUTE.endpoint]: text(endpoint),
  };
}
