/**
 * The Slack notifier Lambda, subscribed to one endpoint's topic: posts each alarm transition,
 * window summary and retraining notice to the Slack incoming webhook whose URL is the value of a
 * Secrets Manager secret (functions/pipeline/slack-notify.ts). The environment names the secret
 * (`SLACK_NOTIFIER_CONFIG`), never the URL; the URL is read once per container and never logged.
 * A message Slack does not take after the retries fails the invocation, so the notifier's Errors
 * alarm fires.
 */

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseS3Uri } from '../contracts/s3-uri.ts';
import {
  parseSlackNotifierConfig,
  type SlackNotifierConfig,
  webhookUrlOf,
} from '../contracts/slack-notifier-config.ts';
import type { Report } from '../engine/report/report-model.ts';
import { logFailure } from '../pipeline/failure-log.ts';
import { notifySlack, type SlackNotifyOutcome } from '../pipeline/slack-notify.ts';
import { type FetchLike, postToSlack, SlackWebhookError } from '../sinks/slack-client.ts';

/** What the handler runs with. */
export interface SlackNotifierHandlerDeps {
  config: SlackNotifierConfig;
  s3: S3Client;
  secrets: SecretsManagerClient;
  /** The region, for console links. */
  region: string;
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** The waits between retries. @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

/** The handler over the deps `deps` makes on the first invocation (tests pass mocks and a scripted fetch). */
export function createSlackNotifierHandler(deps: () => SlackNotifierHandlerDeps) {
  let built: SlackNotifierHandlerDeps | undefined;
  /** The webhook URL, read once per container; dropped when Slack refuses it (rotated or revoked). */
  let webhook: Promise<string> | undefined;
  const webhookUrl = ({ secrets, config }: SlackNotifierHandlerDeps): Promise<string> => {
    if (!webhook) {
      const read = secrets
        .send(new GetSecretValueCommand({ SecretId: config.webhookSecretId }))
        .then((res) => webhookUrlOf(res.SecretString, config.webhookSecretId));
      // A failed read is not cached: the next invocation tries again.
      read.catch(() => {
        if (webhook === read) webhook = undefined;
      });
      webhook = read;
    }
    return webhook;
  };
  return async (event: unknown): Promise<SlackNotifyOutcome[]> => {
    built ??= deps();
    const d = built;
    try {
      return await notifySlack(
        {
          config: d.config,
          region: d.region,
          webhookUrl: () => webhookUrl(d),
          post: (url, payload) =>
            postToSlack(url, payload, {
              fetch: d.fetch ?? (globalThis.fetch as unknown as FetchLike),
              ...(d.sleep ? { sleep: d.sleep } : {}),
            }),
          readReport: (uri) => readReport(d.s3, uri),
        },
        event,
      );
    } catch (e) {
      if (e instanceof SlackWebhookError && !e.retryable) webhook = undefined;
      logFailure('Slack notification failed', { endpoint: d.config.endpoint }, (e as Error).message);
      throw e;
    }
  };
}

async function readReport(s3: S3Client, uri: string): Promise<Report> {
  const { bucket, prefix } = parseS3Uri(uri);
  const key = prefix.replace(/\/$/, '');
  const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse((await res.Body?.transformToString('utf-8')) ?? '') as Report;
}

// Clients and config live as long as the container; the SDK retries throttling and 5xx itself.
export const handler = createSlackNotifierHandler(() => ({
  config: parseSlackNotifierConfig(process.env.SLACK_NOTIFIER_CONFIG),
  s3: new S3Client({ maxAttempts: 5 }),
  secrets: new SecretsManagerClient({ maxAttempts: 5 }),
  region: process.env.AWS_REGION ?? 'us-east-1',
}));
