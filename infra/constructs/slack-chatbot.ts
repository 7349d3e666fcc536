import { LoggingLevel, SlackChannelConfiguration } from 'aws-cdk-lib/aws-chatbot';
import { type IManagedPolicy, ManagedPolicy } from 'aws-cdk-lib/aws-iam';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

/** Properties of a {@link SlackChatbot}. */
export interface SlackChatbotProps {
  /** The endpoint whose topic is posted; names the channel configuration `driftwatch-ENDPOINT`. */
  readonly endpointName: string;
  /** The endpoint's topic. */
  readonly topic: ITopic;
  /** The Slack workspace (team) ID, authorized once in the AWS Chatbot console. */
  readonly workspaceId: string;
  /** The Slack channel ID. */
  readonly channelId: string;
  /**
   * The most channel members may do through Chatbot, whatever the channel role allows.
   * @default [CloudWatchReadOnlyAccess] (CloudFormation's default would be AdministratorAccess)
   */
  readonly guardrailPolicies?: readonly IManagedPolicy[];
  /**
   * What Chatbot logs to CloudWatch Logs (in us-east-1).
   * @default LoggingLevel.ERROR
   */
  readonly loggingLevel?: LoggingLevel;
}

/**
 * The AWS Chatbot alternative to the webhook notifier: a Slack channel configuration subscribed to
 * an endpoint's topic. Chatbot formats the CloudWatch alarm transitions itself; the monitor's
 * plain-text summaries and retraining notices are not an event type it renders, which is why the
 * webhook notifier is the richer choice. The channel role Chatbot creates has no permissions.
 */
export class SlackChatbot extends Construct {
  readonly configuration: SlackChannelConfiguration;

  constructor(scope: Construct, id: string, props: SlackChatbotProps) {
    super(scope, id);
    this.configuration = new SlackChannelConfiguration(this, 'Channel', {
      slackChannelConfigurationName: `driftwatch-${props.endpointName}`,
      slackWorkspaceId: props.workspaceId,
      slackChannelId: props.channelId,
      notificationTopics: [props.topic],
      loggingLevel: props.loggingLevel ?? LoggingLevel.ERROR,
      guardrailPolicies: [
        ...(props.guardrailPolicies ?? [ManagedPolicy.fromAwsManagedPolicyName('CloudWatchReadOnlyAccess')]),
      ],
    });
  }
}
