import { type Checker, KMS_KEY_ARN } from './checker.ts';
import type { SlackConfig } from './types.ts';

/** A Secrets Manager secret name (what the console calls the secret's name). */
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** A complete secret ARN: the name followed by the six random characters Secrets Manager adds. */
const SECRET_ARN =
  /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/;
const SLACK_ID = /^[A-Z0-9]{2,64}$/;
const SLACK_KEYS = ['webhookSecret', 'webhookSecretKmsKeyArn', 'chatbot'] as const;

/** `slack`, at the top or in an endpoint (where `false` turns it off for the endpoint). */
export function parseSlack(
  check: Checker,
  value: unknown,
  path: string,
  allowFalse: true,
): SlackConfig | false | undefined;
export function parseSlack(
  check: Checker,
  value: unknown,
  path: string,
  allowFalse: false,
): SlackConfig | undefined;
export function parseSlack(
  check: Checker,
  value: unknown,
  path: string,
  allowFalse: boolean,
): SlackConfig | false | undefined {
  if (value === false && allowFalse) return false;
  const fix = `must be {"webhookSecret": "SECRET-NAME-OR-ARN"} or {"chatbot": {"workspaceId": "T...", "channelId": "C..."}}${allowFalse ? ', or false (no Slack for this endpoint)' : ''}`;
  const obj = check.object(value, path, fix);
  if (!obj) return undefined;
  check.knownKeys(obj, path, SLACK_KEYS);
  if ((obj.webhookSecret === undefined) === (obj.chatbot === undefined)) {
    check.fail(
      path,
      `sets ${obj.chatbot === undefined ? 'neither' : 'both'} "webhookSecret" and "chatbot": ${fix}`,
      Object.keys(obj),
    );
    return undefined;
  }
  if (obj.chatbot !== undefined) {
    if (obj.webhookSecretKmsKeyArn !== undefined)
      check.fail(
        `${path}.webhookSecretKmsKeyArn`,
        'only applies with "webhookSecret": remove it',
        obj.webhookSecretKmsKeyArn,
      );
    const chatbot = check.object(
      obj.chatbot,
      `${path}.chatbot`,
      'must be {"workspaceId": "T...", "channelId": "C..."}',
    );
    if (!chatbot) return undefined;
    check.knownKeys(chatbot, `${path}.chatbot`, ['workspaceId', 'channelId']);
    const id = (key: 'workspaceId' | 'channelId', example: string, where: string) => {
      const v = chatbot[key];
      if (typeof v === 'string' && SLACK_ID.test(v)) return v;
      check.fail(
        `${path}.chatbot.${key}`,
        `must be a Slack ${where} ID like ${example} (${where === 'workspace' ? 'the AWS Chatbot console shows it once the workspace is authorized' : 'the end of the channel link'})`,
        v,
      );
      return undefined;
    };
    const workspaceId = id('workspaceId', 'T07EXAMPLE', 'workspace');
    const channelId = id('channelId', 'C07EXAMPLE', 'channel');
    return workspaceId && channelId ? { kind: 'chatbot', workspaceId, channelId } : undefined;
  }
  const secret = obj.webhookSecret;
  if (typeof secret === 'string' && /^https?:\/\//i.test(secret)) {
    // Never echo it: this is the webhook URL itself, which must stay out of configs and logs.
    check.failConcealed(
      `${path}.webhookSecret`,
      'is a URL, not a secret: store the webhook URL in Secrets Manager (aws secretsmanager create-secret --name driftwatch/slack-webhook --secret-string URL), name the secret here, and regenerate the webhook in Slack since it has been in a file',
      'a URL',
    );
    return undefined;
  }
  const isArn = typeof secret === 'string' && secret.startsWith('arn:');
  if (typeof secret !== 'string' || (isArn ? !SECRET_ARN.test(secret) : !SECRET_NAME.test(secret))) {
    check.fail(
      `${path}.webhookSecret`,
      isArn
        ? "must be the secret's complete ARN, ending in the six characters Secrets Manager adds (arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf), or just its name"
        : 'must be the name of a Secrets Manager secret like driftwatch/slack-webhook, or its complete ARN',
      secret,
    );
    return undefined;
  }
  const key = obj.webhookSecretKmsKeyArn;
  if (key !== undefined && (typeof key !== 'string' || !KMS_KEY_ARN.test(key))) {
    check.fail(
      `${path}.webhookSecretKmsKeyArn`,
      'must be a KMS key ARN like arn:aws:kms:REGION:ACCOUNT:key/ID',
      key,
    );
    return undefined;
  }
  return {
    kind: 'webhook',
    webhookSecret: secret,
    ...(key !== undefined ? { webhookSecretKmsKeyArn: key } : {}),
  };
}
