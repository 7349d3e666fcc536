/**
 * What the Slack notifier Lambda is told about its endpoint. The CDK stack builds this object and
 * passes it as the `SLACK_NOTIFIER_CONFIG` environment variable (JSON). It names the secret that
 * holds the webhook URL, never the URL. `infra/` imports the type (`import type`); the handler
 * parses the variable with {@link parseSlackNotifierConfig} and the secret's value with
 * {@link webhookUrlOf}.
 */
import { parseEnvJson } from './env-json.ts';
import type { JsonObject } from './json-fields.ts';

export interface SlackNotifierConfig {
  endpoint: string;
  scheduleName: string;
  /** Name or complete ARN of the Secrets Manager secret holding the webhook URL. */
  webhookSecretId: string;
  /** The endpoint's CloudWatch dashboard. */
  dashboardUrl: string;
  /** Bucket and key prefix of the reports, as the monitor has them (`reportsPrefix` may be empty). */
  reportsBucket: string;
  reportsPrefix: string;
}

/** Thrown for a `SLACK_NOTIFIER_CONFIG` the notifier cannot run with; the message names the field. */
export class SlackNotifierConfigError extends Error {}

/**
 * Parses `SLACK_NOTIFIER_CONFIG`, given the variable's value (`process.env.SLACK_NOTIFIER_CONFIG`);
 * errors name the field and the fix, and never quote a value (one may be the webhook URL).
 */
export function parseSlackNotifierConfig(text: string | undefined): SlackNotifierConfig {
  const raw = parseEnvJson('SLACK_NOTIFIER_CONFIG', text, 'the slack config', SlackNotifierConfigError);
  const c = (raw ?? {}) as JsonObject;
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
      const json = JSON.parse(url) as JsonObject;
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
