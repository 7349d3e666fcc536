import { Validations } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import {
  BIAS_METRICS_NAMESPACE,
  EXPLAINABILITY_METRICS_NAMESPACE,
} from '../functions/contracts/metric-names.ts';
import type { EndpointConfig } from './config/index.ts';
import type { AlarmTopic } from './constructs/alarm-topic.ts';
import type { MonitorNamespaces } from './endpoint-metrics.ts';
import { grantHistoryWrite } from './history-grants.ts';
import { acknowledgePrefixWildcards } from './iam-acknowledgements.ts';
import { grantDescribeServingModel } from './serving-model-grants.ts';

/**
 * Whether the endpoint's monitor may publish Clarify's bias metrics: with a `bias` block, and
 * also without one for a binary classifier with labels, whose baseline folder may hold `bias/`
 * files the monitor falls back to (the stack cannot see into the folder). The block is only
 * accepted for such an endpoint, so the block never widens the grant; it is named here so the
 * grant follows it should that rule ever loosen.
 */
export function mayPublishBias(endpoint: EndpointConfig): boolean {
  return (
    endpoint.bias !== undefined ||
    (endpoint.groundTruth !== undefined && endpoint.problemType === 'BinaryClassification')
  );
}

/** Where a function publishes an endpoint's windows. */
export interface PublishWindowTargets {
  /** The endpoint whose windows are published. */
  readonly endpoint: EndpointConfig;
  /** The bucket the reports are in. */
  readonly reportsBucket: IBucket;
  /** The endpoint's reports prefix, `[PREFIX/]reports/ENDPOINT/SCHEDULE`. */
  readonly reportKeys: string;
  /** The key prefix before `reports/` (and `history/`), without slashes; `''` for the bucket root. */
  readonly reportsPrefix: string;
  /** The namespaces the metrics go to. */
  readonly namespaces: MonitorNamespaces;
  /** The endpoint's topic, for the window summaries. */
  readonly topic: AlarmTopic;
}

/**
 * Lets `fn` publish an endpoint's windows as the monitor does (the fan-out reducer publishes the
 * windows it merges the same way): read and write only the endpoint's reports, write its history
 * lines, put metrics only to the two namespaces, publish only to its topic, and describe the
 * model serving the endpoint.
 */
export function grantPublishWindow(fn: IFunction, targets: PublishWindowTargets): void {
  const { endpoint, reportsBucket, reportKeys, namespaces } = targets;
  const role = fn.role!;
  const reports = new PolicyStatement({
    actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
    resources: [reportsBucket.arnForObjects(`${reportKeys}/*`)],
  });
  fn.addToRolePolicy(reports);
  acknowledgePrefixWildcards(
    role,
    reports,
    `Reads and writes only the reports of endpoint ${endpoint.name} and schedule ${endpoint.scheduleName}, under their reports prefix; the trailing /* stands for the hourly keys below the prefix, unknown in advance.`,
  );
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [reportsBucket.bucketArn],
      conditions: { StringLike: { 's3:prefix': [`${reportKeys}/*`] } },
    }),
  );

  // PutMetricData supports no resource-level permissions; the namespace condition is the scope.
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['cloudwatch:PutMetricData'],
      resources: ['*'],
      conditions: {
        StringEquals: {
          'cloudwatch:namespace': [
            namespaces.data,
            namespaces.model,
            ...(mayPublishBias(endpoint) ? [BIAS_METRICS_NAMESPACE] : []),
            ...(endpoint.attribution ? [EXPLAINABILITY_METRICS_NAMESPACE] : []),
          ],
        },
      },
    }),
  );
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "cloudwatch:PutMetricData supports no resource-level permissions; the statement is limited by the cloudwatch:namespace condition to the two driftwatch namespaces (and Clarify's bias-metrics namespace for an endpoint with a bias block, or a binary classifier with labels whose baseline folder may hold one; Clarify's explainability-metrics namespace for an endpoint with an attribution block).",
  });

  // Each complete window's history lines (sinks/history-writer.ts): put only, its two folders.
  grantHistoryWrite(role, reportsBucket, targets.reportsPrefix, endpoint.name, endpoint.scheduleName);

  targets.topic.grantPublish(fn);
  grantDescribeServingModel(fn, endpoint.name);
}
