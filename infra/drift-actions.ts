import type { CfnAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { RetrainingRuntimeConfig } from '../functions/contracts/retraining-config.ts';
import type { DriftwatchConfig, EndpointConfig, RetrainingConfig, SlackConfig } from './config/index.ts';
import type { EndpointMonitor } from './constructs/endpoint-monitor.ts';
import { RetrainingTrigger } from './constructs/retraining-trigger.ts';
import { SlackChatbot } from './constructs/slack-chatbot.ts';
import { SlackNotifier } from './constructs/slack-notifier.ts';
import { HANDLER_ENTRIES } from './handler-entries.ts';
import { reportsKmsKeyArn } from './kms-grants.ts';
import { reportsKeyPrefix } from './monitor-runtime-config.ts';
import { joinKey } from './s3-grants.ts';

/** What acting on one endpoint's drift needs from the stack. */
export interface DriftActionsProps {
  /** The whole configuration (its top-level `slack` applies to every endpoint). */
  readonly config: DriftwatchConfig;
  /** The endpoint whose monitor the actions are added to. */
  readonly endpoint: EndpointConfig;
  /** The reports bucket: the notifier reads reports, the retraining trigger keeps its state there. */
  readonly reportsBucket: IBucket;
  /** The key that encrypts the endpoint's topic, which the retraining trigger publishes to. */
  readonly topicKey: IKey;
}

/** What was added for an endpoint. */
export interface DriftActions {
  /** The Slack notifier or Chatbot channel, when Slack is configured for the endpoint. */
  readonly slack?: SlackNotifier | SlackChatbot;
  /** The retraining trigger, when the endpoint has a `retraining` block. */
  readonly retraining?: RetrainingTrigger;
}

/** The Slack settings of an endpoint: its own, else the top-level ones; `undefined` when off. */
export function endpointSlack(config: DriftwatchConfig, endpoint: EndpointConfig): SlackConfig | undefined {
  if (endpoint.slack === false) return undefined;
  return endpoint.slack ?? config.slack;
}

/** `[PREFIX/]retraining/ENDPOINT`: the endpoint's retraining keys in the reports bucket. */
export function retrainingKeyPrefix(reportsPrefix: string, endpointName: string): string {
  return joinKey(reportsPrefix, `retraining/${endpointName}`);
}

/** The `RETRAINING_CONFIG` of an endpoint (tokens for the bucket and topic are fine). */
export function buildRetrainingRuntimeConfig(
  endpoint: EndpointConfig,
  retraining: RetrainingConfig,
  resources: { reportsBucketName: string; reportsPrefix: string; topicArn: string },
): RetrainingRuntimeConfig {
  const keys = retrainingKeyPrefix(resources.reportsPrefix, endpoint.name);
  const action = retraining.action;
  return {
    endpoint: endpoint.name,
    scheduleName: endpoint.scheduleName,
    topicArn: resources.topicArn,
    reportsBucket: resources.reportsBucketName,
    reportsPrefix: resources.reportsPrefix,
    stateUri: `s3://${resources.reportsBucketName}/${keys}/state/`,
    dryRun: retraining.dryRun,
    cooldownHours: retraining.cooldownHours,
    on: { ...retraining.on, alarms: [...retraining.on.alarms] },
    action:
      action.kind === 'pipeline'
        ? {
            kind: 'pipeline',
            pipelineName: action.pipelineName,
            parameters: { ...action.parameters },
            windowParameters: { ...action.windowParameters },
          }
        : {
            kind: 'trainingJob',
            sourceJobName: action.sourceJobName,
            roleArn: action.roleArn,
            jobNamePrefix: action.jobNamePrefix,
            outputUri: action.output?.uri ?? `s3://${resources.reportsBucketName}/${keys}/training-jobs`,
          },
  };
}

/**
 * Adds what acts on an endpoint's drift, as children of its monitor: the Slack notifier (or the
 * Chatbot channel) and the retraining trigger, each only when configured.
 */
export function addDriftActions(monitor: EndpointMonitor, props: DriftActionsProps): DriftActions {
  const { config, endpoint } = props;
  const reportsPrefix = config.reportsBucket.prefix;
  const reportsKey = reportsKmsKeyArn(config);
  let slack: SlackNotifier | SlackChatbot | undefined;
  const slackConfig = endpointSlack(config, endpoint);
  if (slackConfig?.kind === 'webhook') {
    slack = new SlackNotifier(monitor, 'SlackNotifier', {
      endpointName: endpoint.name,
      scheduleName: endpoint.scheduleName,
      entry: HANDLER_ENTRIES.slackNotifier,
      topic: monitor.topic,
      webhookSecret: slackConfig.webhookSecret,
      ...(slackConfig.webhookSecretKmsKeyArn
        ? { webhookSecretKmsKeyArn: slackConfig.webhookSecretKmsKeyArn }
        : {}),
      dashboardUrl: monitor.dashboardUrl,
      reportsBucket: props.reportsBucket,
      reportKeys: reportsKeyPrefix(reportsPrefix, endpoint),
      reportsPrefix,
      ...(reportsKey ? { reportsKmsKeyArn: reportsKey } : {}),
    });
  } else if (slackConfig?.kind === 'chatbot') {
    slack = new SlackChatbot(monitor, 'SlackChatbot', {
      endpointName: endpoint.name,
      topic: monitor.topic,
      workspaceId: slackConfig.workspaceId,
      channelId: slackConfig.channelId,
    });
  }

  let retraining: RetrainingTrigger | undefined;
  if (endpoint.retraining) {
    checkAlarmNames(endpoint, endpoint.retraining, monitor);
    retraining = new RetrainingTrigger(monitor, 'Retraining', {
      entry: HANDLER_ENTRIES.retraining,
      runtimeConfig: buildRetrainingRuntimeConfig(endpoint, endpoint.retraining, {
        reportsBucketName: props.reportsBucket.bucketName,
        reportsPrefix,
        topicArn: monitor.topic.topicArn,
      }),
      topic: monitor.topic,
      topicKey: props.topicKey,
      stateBucket: props.reportsBucket,
      stateKeys: `${retrainingKeyPrefix(reportsPrefix, endpoint.name)}/state`,
      ...(reportsKey ? { stateKmsKeyArn: reportsKey } : {}),
    });
  }
  return { ...(slack ? { slack } : {}), ...(retraining ? { retraining } : {}) };
}

/** Fails the synth when `retraining.on.alarms` names an alarm the endpoint does not have. */
function checkAlarmNames(
  endpoint: EndpointConfig,
  retraining: RetrainingConfig,
  monitor: EndpointMonitor,
): void {
  const names = monitor.alarms.map((alarm) => (alarm.node.defaultChild as CfnAlarm).alarmName);
  for (const alarm of retraining.on.alarms) {
    if (!names.includes(alarm))
      throw new Error(
        `endpoint ${endpoint.name}: retraining.on.alarms names ${alarm}, which this endpoint does not have; its alarms are ${names.join(', ')}`,
      );
  }
}
