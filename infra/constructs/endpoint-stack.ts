import { NestedStack } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { DriftwatchConfig, EndpointConfig } from '../config/index.ts';
import { addDriftActions, type DriftActions } from '../drift-actions.ts';
import { HANDLER_ENTRIES } from '../handler-entries.ts';
import { reportsKmsKeyArn } from '../kms-grants.ts';
import { EndpointMonitor } from './endpoint-monitor.ts';

/** Properties of an {@link EndpointStack}. */
export interface EndpointStackProps {
  /** The whole configuration (namespaces, reports prefix, the top-level emails and Slack). */
  readonly config: DriftwatchConfig;
  /** The endpoint this stack monitors. */
  readonly endpoint: EndpointConfig;
  /** The reports bucket, shared by every endpoint (it lives in the parent stack). */
  readonly reportsBucket: IBucket;
  /** The key of the alarm topics, shared by every endpoint (it lives in the parent stack). */
  readonly topicKey: IKey;
  /**
   * Absolute path of the monitor handler's entry file.
   * @default functions/handlers/monitor.ts in this repository
   */
  readonly monitorEntry?: string;
}

/**
 * One endpoint's resources in a CloudFormation nested stack of their own: its
 * {@link EndpointMonitor} (function, schedule, queue, topic, alarms, dashboard, fan-out) and its
 * drift actions (Slack, retraining). CloudFormation counts its 500-resource limit per stack, so the
 * limit applies per endpoint, not to the whole deployment; what every endpoint shares (the reports
 * bucket, the topic key) stays in the parent.
 *
 * The monitor is this stack's child under the endpoint's name, as it was the parent's before, so
 * its resources keep the logical ids they had (within this stack).
 */
export class EndpointStack extends NestedStack {
  readonly monitor: EndpointMonitor;
  readonly actions: DriftActions;

  constructor(scope: Construct, id: string, props: EndpointStackProps) {
    super(scope, id, { description: `driftwatch: monitoring of SageMaker endpoint ${props.endpoint.name}` });
    const { config, endpoint, reportsBucket, topicKey, monitorEntry } = props;
    const reportsKey = reportsKmsKeyArn(config);
    this.monitor = new EndpointMonitor(this, endpoint.name, {
      endpoint,
      monitorEntry: monitorEntry ?? HANDLER_ENTRIES.monitor,
      namespaces: { data: config.namespace, model: config.modelMetricsNamespace },
      reportsBucket,
      reportsPrefix: config.reportsBucket.prefix,
      ...(reportsKey ? { reportsKmsKeyArn: reportsKey } : {}),
      topicKey,
      emails: [...new Set([...config.alarmEmails, ...endpoint.emails])],
    });
    this.actions = addDriftActions(this.monitor, {
      config,
      endpoint,
      reportsBucket,
      topicKey,
    });
  }
}
