import { Duration } from 'aws-cdk-lib';
import {
  type Alarm,
  ComparisonOperator,
  type Metric,
  Stats,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  type AlarmSetting,
  type AlarmSettings,
  type EndpointConfig,
  featureThreshold,
  type HealthAlarmsConfig,
} from '../config/index.ts';
import type { EndpointMetrics } from '../endpoint-metrics.ts';
import { DRIFTWATCH_METRICS, QUALITY_METRICS } from '../metric-names.ts';
import { AlarmFactory } from './alarm-factory.ts';

/** Properties of {@link EndpointAlarms}. */
export interface EndpointAlarmsProps {
  /** The endpoint and its alarm settings. */
  readonly endpoint: EndpointConfig;
  /** The endpoint's metrics. */
  readonly metrics: EndpointMetrics;
  /** Receives every alarm's ALARM and OK transitions. */
  readonly topic: ITopic;
  /** The monitor function, whose errors, throttles and duration are alarmed. */
  readonly monitorFunction: IFunction;
  /** The monitor function's timeout; the duration alarm fires near it. */
  readonly monitorTimeout: Duration;
  /** The queue of failed runs, alarmed as soon as it holds a message. */
  readonly deadLetterQueue: IQueue;
  /**
   * Share of the timeout at which the monitor's p99 duration alarms.
   * @default 0.8
   */
  readonly durationAlarmShare?: number;
}

/**
 * Every alarm of one endpoint: its drift, completeness, violations, quality and capture metrics,
 * SageMaker's health metrics per variant, and the monitor's own health. Alarm names start with
 * `driftwatch-ENDPOINT-`, so an email's subject says where to look.
 */
export class EndpointAlarms extends Construct {
  /** All the alarms, in creation order (for the dashboard's status widget). */
  readonly alarms: Alarm[] = [];
  private readonly factory: AlarmFactory;
  private readonly endpointName: string;

  constructor(scope: Construct, id: string, props: EndpointAlarmsProps) {
    super(scope, id);
    const { endpoint, metrics } = props;
    this.factory = new AlarmFactory(this, { endpointName: endpoint.name, topic: props.topic });
    this.endpointName = endpoint.name;
    const { alarms } = endpoint;

    const featureDrift = alarms.featureDrift;
    if (featureDrift) {
      endpoint.features.forEach((feature, i) => {
        const threshold = featureThreshold(endpoint, feature) ?? featureDrift.threshold;
        this.add(`FeatureDrift${i}`, `feature-drift-${feature}`, metrics.featureDrift(feature), {
          settings: { ...featureDrift, threshold },
          comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
          description: `Feature "${feature}" drifted from the baseline: ${DRIFTWATCH_METRICS.featureBaselineDrift(feature)} > ${threshold}. The window's report.html shows its distribution against the baseline.`,
        });
      });
    }
    const completeness = alarms.completeness;
    if (completeness) {
      endpoint.features.forEach((feature, i) => {
        this.add(
          `FeatureCompleteness${i}`,
          `feature-completeness-${feature}`,
          metrics.featureNonNull(feature),
          {
            settings: completeness,
            comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
            description: `Feature "${feature}" is missing in more requests than allowed: ${DRIFTWATCH_METRICS.featureNonNull(feature)} < ${completeness.threshold}.`,
          },
        );
      });
    }
    this.addIf('DatasetDrift', 'dataset-drift', metrics.datasetDriftShare(), alarms.datasetDrift, {
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: (t) =>
        `At least ${t * 100}% of the monitored features drifted in a window (${DRIFTWATCH_METRICS.datasetDriftShare} >= ${t}): the input data as a whole moved away from the baseline.`,
    });
    this.addIf('Violations', 'violations', metrics.violations(), alarms.violations, {
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: (t) =>
        `A window had ${t} or more data-quality constraint violations; constraint_violations.json in the window's reports lists them.`,
    });
    // Only with a bias block (parseAlarms leaves the setting false without one).
    this.addIf('BiasViolations', 'bias-violations', metrics.biasViolations(), alarms.biasViolations, {
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: (t) =>
        `A window had ${t} or more significant bias violations (bias_violations: a facet's Clarify metric farther from the ideal than the baseline, beyond the window's sampling noise); the window's report.html lists them by facet, and bias/constraint_violations.json has SageMaker's file.`,
    });
    // On unless turned off: the stack cannot see whether the baseline has a multivariate model;
    // without one nothing is published and the alarm stays OK (missing data is not breaching).
    this.addIf(
      'MultivariateDrift',
      'multivariate-drift',
      metrics.multivariateDrift(),
      alarms.multivariateDrift,
      {
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: () =>
          "The features moved together away from the baseline: a window's mean PCA reconstruction error (multivariate_reconstruction_error) left the baseline's band (multivariate_drift = 1). The window's report.html shows the error against the band and the features contributing most.",
      },
    );
    // Only with an attribution block (parseAlarms leaves the setting false without one). A failed
    // explanation publishes no flag, so the alarm keeps its state; attribution_failures shows it.
    this.addIf('AttributionDrift', 'attribution-drift', metrics.attributionDrift(), alarms.attributionDrift, {
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: () =>
        "The reasons behind the model's predictions moved: the nDCG of a window's feature-attribution ranking (SHAP values) against the baseline's fell below 0.9 (attribution_drift = 1). The window's report.html ranks the features' attributions in the baseline and in the window.",
    });
    if (endpoint.problemType) {
      this.addIf('QualityViolations', 'quality-violations', metrics.qualityViolations(), alarms.violations, {
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        description: (t) =>
          `A window broke ${t} or more of the baseline's model-quality constraints (model-metrics violations); the window's constraint_violations.json lists them.`,
      });
      const directions = QUALITY_METRICS[endpoint.problemType];
      for (const [metricName, settings] of Object.entries(alarms.quality)) {
        const higherIsBetter = directions[metricName] !== 'lowerIsBetter';
        this.add(`Quality-${metricName}`, `quality-${metricName}`, metrics.quality(metricName), {
          settings,
          comparison: higherIsBetter
            ? ComparisonOperator.LESS_THAN_THRESHOLD
            : ComparisonOperator.GREATER_THAN_THRESHOLD,
          description: `Model quality fell: ${metricName} ${higherIsBetter ? '<' : '>'} ${settings.threshold} against the ground truth.`,
        });
      }
    }
    this.addIf('NoCaptureData', 'no-capture-data', metrics.recordsProfiled(), alarms.noData, {
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      treatMissingData: TreatMissingData.BREACHING,
      description: () =>
        "No capture records were profiled for two windows in a row, or the monitor published nothing. Check that the endpoint receives traffic, that data capture is enabled and writes under captureUri, and the monitor function's logs.",
    });

    for (const variant of endpoint.variants) this.addHealthAlarms(variant, metrics, alarms.health);
    this.addMonitorAlarms(props);
  }

  private addHealthAlarms(variant: string, metrics: EndpointMetrics, health: HealthAlarmsConfig): void {
    const above = ComparisonOperator.GREATER_THAN_THRESHOLD;
    const atOrAbove = ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD;
    const id = (name: string) => `${variant}-${name}`;
    // Average, not p99: SageMaker documents no percentile statistics for its latency metrics.
    this.addIf(
      id('ModelLatency'),
      id('model-latency'),
      metrics.modelLatency(variant),
      health.modelLatencyMicros,
      {
        comparison: above,
        description: (t) =>
          `Variant ${variant}: average ModelLatency above ${t} µs (the model container is slow); the dashboard shows the maximum too.`,
      },
    );
    this.addIf(
      id('OverheadLatency'),
      id('overhead-latency'),
      metrics.overheadLatency(variant),
      health.overheadLatencyMicros,
      {
        comparison: above,
        description: (t) =>
          `Variant ${variant}: average OverheadLatency above ${t} µs (SageMaker's own overhead); the dashboard shows the maximum too.`,
      },
    );
    this.addIf(
      id('Invocations'),
      id('invocations-low'),
      metrics.invocations(variant),
      health.invocationsMin,
      {
        comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
        treatMissingData: TreatMissingData.BREACHING,
        description: (t) =>
          `Variant ${variant}: fewer than ${t} invocations in a period; traffic stopped or dropped.`,
      },
    );
    this.addIf(
      id('4xxErrors'),
      id('4xx-errors'),
      metrics.invocation4xxErrors(variant),
      health.invocation4xxErrors,
      {
        comparison: atOrAbove,
        description: (t) => `Variant ${variant}: ${t} or more Invocation4XXErrors per period (bad requests).`,
      },
    );
    this.addIf(
      id('5xxErrors'),
      id('5xx-errors'),
      metrics.invocation5xxErrors(variant),
      health.invocation5xxErrors,
      {
        comparison: atOrAbove,
        description: (t) =>
          `Variant ${variant}: ${t} or more Invocation5XXErrors per period (the model fails).`,
      },
    );
    this.addIf(id('Cpu'), id('cpu'), metrics.cpuUtilization(variant), health.cpuUtilization, {
      comparison: atOrAbove,
      description: (t) => `Variant ${variant}: CPUUtilization at or above ${t}% (summed over vCPUs).`,
    });
    this.addIf(id('Memory'), id('memory'), metrics.memoryUtilization(variant), health.memoryUtilization, {
      comparison: atOrAbove,
      description: (t) => `Variant ${variant}: MemoryUtilization at or above ${t}%.`,
    });
    this.addIf(id('Disk'), id('disk'), metrics.diskUtilization(variant), health.diskUtilization, {
      comparison: atOrAbove,
      description: (t) => `Variant ${variant}: DiskUtilization at or above ${t}%.`,
    });
  }

  private addMonitorAlarms(props: EndpointAlarmsProps): void {
    const fn = props.monitorFunction;
    const hourly = { periodMinutes: 60, evaluationPeriods: 1, datapointsToAlarm: 1 };
    this.add('MonitorErrors', 'monitor-errors', fn.metricErrors({ statistic: Stats.SUM }), {
      settings: { threshold: 1, ...hourly },
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'The monitor function failed; its log group has the error. Failed scheduled runs land in the dead-letter queue.',
    });
    this.add('MonitorThrottles', 'monitor-throttles', fn.metricThrottles({ statistic: Stats.SUM }), {
      settings: { threshold: 1, ...hourly },
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'The monitor function was throttled: the account or its reserved concurrency is exhausted.',
    });
    const durationLimit = Math.round(
      props.monitorTimeout.toMilliseconds() * (props.durationAlarmShare ?? 0.8),
    );
    this.add('MonitorDuration', 'monitor-duration', fn.metricDuration({ statistic: Stats.p(99) }), {
      settings: { threshold: durationLimit, ...hourly },
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description: `The monitor's p99 duration reached ${durationLimit} ms, near its ${props.monitorTimeout.toSeconds()} s timeout; give it more memory or time before runs start timing out.`,
    });
    this.add('MonitorIncomplete', 'monitor-incomplete', props.metrics.windowsIncomplete(), {
      settings: { threshold: 1, ...hourly },
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      description:
        'A monitor run stopped near its timeout with hours left undone: a window it stopped inside has a report.json saying complete false and no drift or quality metrics or summary, and later hours were not started. The run\'s log line lists the hours left: resend them by invoking the function with {"endpoint", "start", "end"}, and give the function more memory or time.',
    });
    this.add(
      'DeadLetters',
      'monitor-dead-letters',
      props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: Stats.MAXIMUM }),
      {
        settings: { threshold: 0, periodMinutes: 5, evaluationPeriods: 1, datapointsToAlarm: 1 },
        comparison: ComparisonOperator.GREATER_THAN_THRESHOLD,
        description:
          'A scheduled monitor run failed after its retries and its event is in the dead-letter queue; read the message for the error, fix it, and backfill the window by invoking the function with {"endpoint", "start", "end"}.',
      },
    );
  }

  private addIf(
    id: string,
    suffix: string,
    metric: Metric,
    setting: AlarmSetting,
    options: {
      comparison: ComparisonOperator;
      treatMissingData?: TreatMissingData;
      description: (threshold: number) => string;
    },
  ): void {
    if (!setting) return;
    this.add(id, suffix, metric, {
      settings: setting,
      comparison: options.comparison,
      ...(options.treatMissingData ? { treatMissingData: options.treatMissingData } : {}),
      description: options.description(setting.threshold),
    });
  }

  private add(
    id: string,
    suffix: string,
    metric: Metric,
    options: {
      settings: AlarmSettings;
      comparison: ComparisonOperator;
      treatMissingData?: TreatMissingData;
      description: string;
    },
  ): void {
    const { settings } = options;
    const alarm = this.factory.addAlarm(id, {
      nameSuffix: suffix,
      alarmDescription: `${this.endpointName}: ${options.description}`,
      metric: metric.with({ period: Duration.minutes(settings.periodMinutes) }),
      threshold: settings.threshold,
      evaluationPeriods: settings.evaluationPeriods,
      datapointsToAlarm: settings.datapointsToAlarm,
      comparisonOperator: options.comparison,
      ...(options.treatMissingData ? { treatMissingData: options.treatMissingData } : {}),
    });
    this.alarms.push(alarm);
  }
}
