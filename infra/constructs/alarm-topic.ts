import { Aws } from 'aws-cdk-lib';
import { type IGrantable, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';

/** Properties of an {@link AlarmTopic}. */
export interface AlarmTopicProps {
  /**
   * The customer managed key that encrypts the topic. Its key policy must let
   * `cloudwatch.amazonaws.com` use `kms:Decrypt` and `kms:GenerateDataKey`, or alarms cannot publish.
   */
  readonly key: IKey;
  /**
   * Email addresses subscribed to the topic (each confirms by a link SNS mails them).
   * @default [] (no subscriptions)
   */
  readonly emails?: readonly string[];
  /**
   * The sender name of the topic's emails.
   * @default - SNS's default (the topic name)
   */
  readonly displayName?: string;
}

/**
 * An SNS topic for alarm and OK transitions and the monitor's summaries: KMS-encrypted, SSL
 * enforced, open to CloudWatch alarms of this account, with email subscriptions.
 */
export class AlarmTopic extends Construct {
  readonly topic: Topic;
  private readonly key: IKey;

  constructor(scope: Construct, id: string, props: AlarmTopicProps) {
    super(scope, id);
    this.key = props.key;
    this.topic = new Topic(this, 'Topic', {
      masterKey: props.key,
      enforceSSL: true,
      ...(props.displayName ? { displayName: props.displayName } : {}),
    });
    // A topic policy replaces SNS's default one, so say explicitly that this account's alarms may publish.
    this.topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsOfThisAccountPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*`,
          },
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        },
      }),
    );
    for (const email of props.emails ?? []) this.topic.addSubscription(new EmailSubscription(email));
  }

  /**
   * Lets `grantee` publish to the topic. Unlike `Topic.grantPublish`, which grants
   * `kms:GenerateDataKey*`, this names the two key actions publishing uses, so no action has a wildcard.
   */
  grantPublish(grantee: IGrantable): void {
    grantTopicPublish(grantee, this.topic, this.key);
  }
}

/**
 * Lets `grantee` publish to a topic encrypted with `key`: `sns:Publish` on the topic, and the two
 * key actions publishing uses (`Topic.grantPublish` would grant `kms:GenerateDataKey*`).
 */
export function grantTopicPublish(grantee: IGrantable, topic: ITopic, key: IKey): void {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
  );
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['kms:Decrypt', 'kms:GenerateDataKey'], resources: [key.keyArn] }),
  );
}
