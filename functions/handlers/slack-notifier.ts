/**
 * The Slack notifier Lambda, subscribed to one endpoint's topic: posts each alarm transition,
 * window summary and retraining notice to the Slack incoming webhook whose URL is the value of a
 * Secrets Manager secret. The environment names the secret (`SLACK_NOTIFIER_CONFIG`), never the
 * URL; the URL is read once per container and never logged. A message Slack does not take after
 * the retries fails the invocation, so the notifier's Errors alarm fires.
 */

import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SlackNotifierConfig } from '../contracts/slack-notifier-config.ts';
import type { Report } from '../engine/report/report-model.ts';
import { logFailure } from '../pipeline/failure-log.ts';
import { notifySlack, type SlackNotifyOutcome } from '../pipeline/slack-notify.ts';
import { type FetchLike, postToSlack, SlackWebhookError } from '../sinks/slack-client.ts';
import { parseS3Uri } from '../stores/object-store.ts';

/** Thrown for a `SLACK_NOTIFIER_CONFIG` the notifier cannot run with; the message names the field. */
export class SlackNotifierConfigError extends Error {}

/** Parses `SLACK_NOTIFIER_CONFIG`; errors name the field and the fix. */
export function parseSlackNotifierConfig(text: string | undefined): SlackNotifierConfig {
  if (text === undefined || text.trim() === '')
    throw new SlackNotifierConfigError(
      'SLACK_NOTIFIER_CONFIG is not set; the stack sets it from the slack config: redeploy',
    );
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new SlackNotifierConfigError(
      `SLACK_NOTIFIER_CONFIG is not valid JSON (${(e as Error).message}); redeploy the stack`,
    );
  }
  const c = (raw ?? {}) as Record<string, unknown>;
  const str = (field: keyof SlackNotifierConfig, allowEmpty = false): string => {
    const v = c[field];
    if (typeof v !== 'string' || (!allowEmpty && v === ''))
      throw new SlackNotifierConfigError(
        `SLACK_NOTIFIER_CONFIG.${field} must be a ${allowEmpty ? '' : 'non-empty '}string; redeploy the stack`,
      );
    return v;
  };
  const config: SlackNotifierConfig = {
    endpoint: str('endpoint'),
    scheduleName: str('scheduleName'),
    webhookSecretId: str('webhookSecretId'),
    dashboardUrl: str('dashboardUrl'),
    reportsBucket: str('reportsBucket'),
    reportsPrefix: str('reportsPrefix', true),
  };
  if (/^https?:\/\//i.test(config.webhookSecretId))
    // Not echoed: it would be the webhook URL itself.
    throw new SlackNotifierConfigError(
      'SLACK_NOTIFIER_CONFIG.webhookSecretId holds a URL, not a secret name or ARN; set slack.webhookSecret to the secret and redeploy',
    );
  return config;
}

/** The webhook URL in a secret's value: the URL itself, or JSON with `webhookUrl` (or `url`). */
export function webhookUrlOf(secretValue: string | undefined, secretId: string): string {
  let url = secretValue?.trim();
  if (url?.startsWith('{')) {
    try {
      const json = JSON.parse(url) as Record<string, unknown>;
      const value = json.webhookUrl ?? json.url;
      url = typeof value === 'string' ? value.trim() : undefined;
    } catch {
      url = undefined;
    }
  }
  // The value is never quoted in the message: it is, or may be, the credential.
  if (!url || !/^https:\/\/[^\s/]+\/\S+$/.test(url))
    throw new Error(
      `secret ${secretId} does not hold a Slack webhook URL: store the https:// URL itself, or {"webhookUrl": "https://..."}, as its secret string`,
    );
  return url;
}

/** What a test may replace: the HTTP client and the waits between retries. */
export interface SlackNotifierOptions {
  /** @default globalThis.fetch */
  fetch?: FetchLike;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
}

interface Container {
  config: SlackNotifierConfig;
  s3: S3Client;
  secrets: SecretsManagerClient;
  /** The webhook URL, read once per container; dropped when Slack refuses it (rotated or revoked). */
  webhookUrl?: Promise<string>;
}

/** Builds the Lambda handler; `handler` is the one deployed. */
export function makeSlackNotifierHandler(options: SlackNotifierOptions = {}) {
  let container: Container | undefined;
  return async (event: unknown): Promise<SlackNotifyOutcome[]> => {
    container ??= {
      config: parseSlackNotifierConfig(process.env.SLACK_NOTIFIER_CONFIG),
      s3: new S3Client({ maxAttempts: 5 }),
      secrets: new SecretsManagerClient({ maxAttempts: 5 }),
    };
    const c = container;
    const webhookUrl = () => {
      if (!c.webhookUrl) {
        const read = c.secrets
          .send(new GetSecretValueCommand({ SecretId: c.config.webhookSecretId }))
          .then((res) => webhookUrlOf(res.SecretString, c.config.webhookSecretId));
        // A failed read is not cached: the next invocation tries again.
        read.catch(() => {
          if (c.webhookUrl === read) c.webhookUrl = undefined;
        });
        c.webhookUrl = read;
      }
      return c.webhookUrl;
    };
    try {
      return await notifySlack(
        {
          config: c.config,
          region: process.env.AWS_REGION ?? 'us-east-1',
          webhookUrl,
          post: (url, payload) =>
            postToSlack(url, payload, {
              fetch: options.fetch ?? (globalThis.fetch as unknown as FetchLike),
              ...(options.sleep ? { sleep: options.sleep } : {}),
            }),
          readReport: (uri) => readReport(c.s3, uri),
        },
        event,
      );
    } catch (e) {
      if (e instanceof SlackWebhookError && !e.retryable) c.webhookUrl = undefined;
      logFailure('Slack notification failed', { endpoint: c.config.endpoint }, (e as Error).message);
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

export const handler = makeSlackNotifierHandler();
