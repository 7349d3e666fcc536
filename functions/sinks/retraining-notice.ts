/**
 * Publishes a retraining notice (what was started, skipped or would be started) on the
 * endpoint's topic, with the attributes that tell its subscribers it is one.
 */
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { retrainingAttributes } from './topic-attributes.ts';

/** A notice as people read it. */
export interface Notice {
  subject: string;
  message: string;
}

/** Publishes `notice` about `endpoint` to `topicArn`. */
export async function publishRetrainingNotice(
  sns: SNSClient,
  topicArn: string,
  endpoint: string,
  notice: Notice,
): Promise<void> {
  await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: notice.subject,
      Message: notice.message,
      MessageAttributes: retrainingAttributes(endpoint),
    }),
  );
}
