/**
 * What the Slack notifier Lambda is told about its endpoint. The CDK stack builds this object and
 * passes it as the `SLACK_NOTIFIER_CONFIG` environment variable (JSON). It names the secret that
 * holds the webhook URL, never the URL. `infra/` imports this type only (`import type`), never code.
 */
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
