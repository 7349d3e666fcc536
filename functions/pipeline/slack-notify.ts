/**
 * What the Slack notifier Lambda does with each message of its endpoint's topic: shape it as Block
 * Kit (reading the window's report.json for a summary) and post it to the webhook. The webhook
 * URL comes from a function the handler passes in (Secrets Manager, cached); it is handed to the
 * poster and nowhere else: never logged, never part of a result.
 */

import { REPORT_JSON, windowReportLocation } from '../contracts/report-layout.ts';
import type { SlackNotifierConfig } from '../contracts/slack-notifier-config.ts';
import type { SlackPostResult } from '../sinks/slack-client.ts';
import { alarmPayload, type SlackPayload, summaryPayload, textPayload } from '../sinks/slack-message.ts';
import { readSlackReport } from '../sinks/slack-report.ts';
import { alarmWindow, type TopicMessage, topicMessages } from '../sources/topic-message.ts';
import { logger } from './log.ts';

/** What the Slack notifier takes: its config, the webhook, the poster and the report reader. */
export interface SlackNotifyDeps {
  config: SlackNotifierConfig;
  /** The region, for console links. */
  region: string;
  /** The webhook URL (read from Secrets Manager and cached by the handler). */
  webhookUrl: () => Promise<string>;
  /** Posts a payload to the webhook, with retries (`postToSlack`). */
  post: (url: string, payload: SlackPayload) => Promise<SlackPostResult>;
  /** Reads and parses a report.json (`s3://...`); what it holds is checked before use. */
  readReport: (uri: string) => Promise<unknown>;
  /** @default console.log */
  log?: (line: string) => void;
}

/** What became of one message of the topic. */
export interface SlackNotifyOutcome {
  kind: TopicMessage['kind'];
  attempts: number;
  /** Set when the summary's report.json could not be read and the summary's text was posted instead. */
  reportUnreadable?: string;
}

/** Posts every message of an SNS event; throws (failing the invocation) when Slack does not take one. */
export async function notifySlack(deps: SlackNotifyDeps, event: unknown): Promise<SlackNotifyOutcome[]> {
  const log = logger(deps.log);
  const outcomes: SlackNotifyOutcome[] = [];
  for (const message of topicMessages(event)) {
    const { payload, reportUnreadable } = await payloadOf(deps, message);
    const result = await deps.post(await deps.webhookUrl(), payload);
    const outcome: SlackNotifyOutcome = {
      kind: message.kind,
      attempts: result.attempts,
      ...(reportUnreadable ? { reportUnreadable } : {}),
    };
    log.info('posted to Slack', { endpoint: deps.config.endpoint, ...outcome });
    outcomes.push(outcome);
  }
  return outcomes;
}

async function payloadOf(
  deps: SlackNotifyDeps,
  message: TopicMessage,
): Promise<{ payload: SlackPayload; reportUnreadable?: string }> {
  const links = { dashboardUrl: deps.config.dashboardUrl, region: deps.region };
  switch (message.kind) {
    case 'window-summary': {
      const uri = `${message.summary.reportLocation}${REPORT_JSON}`;
      try {
        // Checked before it is shown: report.json is read back from a bucket others may write.
        const report = readSlackReport(await deps.readReport(uri));
        return { payload: summaryPayload(message.summary, report, message.text, links) };
      } catch (e) {
        // A summary without its details beats no summary: post what the message itself says.
        const reason = `${(e as Error).name}: ${(e as Error).message}`;
        return {
          payload: summaryPayload(message.summary, null, message.text, links),
          reportUnreadable: reason,
        };
      }
    }
    case 'alarm': {
      const window = alarmWindow(message.alarm);
      return {
        payload: alarmPayload(message.alarm, {
          ...links,
          endpoint: deps.config.endpoint,
          windowStart: window.start,
          reportLocation: windowReportLocation(deps.config, window.start),
        }),
      };
    }
    case 'retraining':
      return {
        payload: textPayload(message.subject, message.text, {
          ...links,
          endpoint: deps.config.endpoint,
          retraining: true,
        }),
      };
    case 'text':
      return {
        payload: textPayload(message.subject, message.text, {
          ...links,
          endpoint: deps.config.endpoint,
          retraining: false,
        }),
      };
  }
}
