import { Duration } from 'aws-cdk-lib';
import { Metric, Stats } from 'aws-cdk-lib/aws-cloudwatch';
import { BIAS_METRICS_NAMESPACE, BIAS_VIOLATIONS_METRIC } from '../functions/contracts/metric-names.ts';
import type { EndpointConfig } from './config/index.ts';
import { DRIFTWATCH_METRICS } from './metric-names.ts';

/** SageMaker's invocation metrics (dimensions EndpointName, VariantName). */
export const SAGEMAKER_NAMESPACE = 'AWS/SageMaker';
/** SageMaker's instance metrics (same dimensions). */
export const SAGEMAKER_INSTANCE_NAMESPACE = '/aws/sagemaker/Endpoints';

/**
 * The statistics SageMaker documents for `ModelLatency` and `OverheadLatency` that suit a latency
 * graph or alarm ("Valid statistics: Average, Sum, Min, Max, Sample Count", SageMaker's
 * "Metrics in Amazon CloudWatch" page); percentiles are not among them.
 */
export type LatencyStatistic = typeof Stats.AVERAGE | typeof Stats.MAXIMUM;

/** Namespaces of the metrics the monitor publishes. */
export interface MonitorNamespaces {
  /** The data-quality (drift) metrics' namespace. */
  readonly data: string;
  /** The model-quality metrics' namespace. */
  readonly model: string;
}

/**
 * The one place that turns an endpoint into CloudWatch `Metric`s, for its alarms and its dashboard
 * alike: the monitor's custom metrics (hourly, dimensions Endpoint and MonitoringSchedule) and
 * SageMaker's own endpoint metrics (five minutes, per variant). The metrics carry no labels, so
 * alarms render as plain metric alarms; the dashboard labels its lines.
 */
export class EndpointMetrics {
  constructor(
    private readonly endpoint: EndpointConfig,
    private readonly namespaces: MonitorNamespaces,
  ) {}

  featureDrift(feature: string): Metric {
    return this.data(DRIFTWATCH_METRICS.featureBaselineDrift(feature), Stats.MAXIMUM);
  }

  featureNonNull(feature: string): Metric {
    return this.data(DRIFTWATCH_METRICS.featureNonNull(feature), Stats.MINIMUM);
  }

  datasetDriftShare(): Metric {
    return this.data(DRIFTWATCH_METRICS.datasetDriftShare, Stats.MAXIMUM);
  }

  violations(): Metric {
    return this.data(DRIFTWATCH_METRICS.violations, Stats.MAXIMUM);
  }

  recordsProfiled(): Metric {
    // Maximum, not Sum: re-running a window publishes the same value again.
    return this.data(DRIFTWATCH_METRICS.recordsProfiled, Stats.MAXIMUM);
  }

  recordsRejected(): Metric {
    return this.data(DRIFTWATCH_METRICS.recordsRejected, Stats.MAXIMUM);
  }

  runDurationSeconds(): Metric {
    return this.data(DRIFTWATCH_METRICS.runDurationSeconds, Stats.MAXIMUM);
  }

  runCostUsd(): Metric {
    return this.data(DRIFTWATCH_METRICS.runCostUsd, Stats.SUM);
  }

  /** The highest model package version serving each window (when the models come from the registry). */
  modelVersion(): Metric {
    return this.data(DRIFTWATCH_METRICS.modelVersion, Stats.MAXIMUM);
  }

  /** 1 in a window inside which the serving model changed (a deployment). */
  modelChanged(): Metric {
    return this.data(DRIFTWATCH_METRICS.modelChanged, Stats.MAXIMUM);
  }

  /** 1 when a run stopped near its deadline and left a window incomplete (timestamped at the run). */
  windowsIncomplete(): Metric {
    return this.data(DRIFTWATCH_METRICS.windowsIncomplete, Stats.MAXIMUM);
  }

  /** The window's multivariate reconstruction error (mean over its rows). */
  multivariateReconstructionError(): Metric {
    return this.data(DRIFTWATCH_METRICS.multivariateReconstructionError, Stats.MAXIMUM);
  }

  /** 1 when the window's reconstruction error left the baseline's band, else 0. */
  multivariateDrift(): Metric {
    return this.data(DRIFTWATCH_METRICS.multivariateDrift, Stats.MAXIMUM);
  }

  /** The baseline's band around the reconstruction error: `upper` or `lower` threshold. */
  multivariateThreshold(which: 'upper' | 'lower'): Metric {
    return this.data(
      which === 'upper'
        ? DRIFTWATCH_METRICS.multivariateUpperThreshold
        : DRIFTWATCH_METRICS.multivariateLowerThreshold,
      Stats.MAXIMUM,
    );
  }

  /** nDCG of the window's feature-attribution ranking against the baseline's (0.9 and above: no drift). */
  attributionNdcg(): Metric {
    return this.data(DRIFTWATCH_METRICS.attributionNdcg, Stats.MINIMUM);
  }

  /** 1 when the window's attribution ranking drifted (nDCG below 0.9), else 0. */
  attributionDrift(): Metric {
    return this.data(DRIFTWATCH_METRICS.attributionDrift, Stats.MAXIMUM);
  }

  /** Rows the window's explanation sent to the endpoint. */
  attributionModelRows(): Metric {
    return this.data(DRIFTWATCH_METRICS.attributionModelRows, Stats.MAXIMUM);
  }

  /** 1 when explaining the window failed (the endpoint refused, throttled or timed out). */
  attributionFailures(): Metric {
    return this.data(DRIFTWATCH_METRICS.attributionFailures, Stats.MAXIMUM);
  }

  /**
   * The window's significant bias violations, in Clarify's bias-metrics namespace (dimensions
   * Endpoint and MonitoringSchedule, as the monitor publishes them).
   */
  biasViolations(): Metric {
    return this.published(BIAS_METRICS_NAMESPACE, BIAS_VIOLATIONS_METRIC, Stats.MAXIMUM);
  }

  /** Predictions of a window matched to a label so far (the model namespace). */
  labelsMatched(): Metric {
    return this.model(DRIFTWATCH_METRICS.labelsMatched, Stats.MAXIMUM);
  }

  quality(metricName: string): Metric {
    return this.model(metricName, Stats.AVERAGE);
  }

  /** Model-quality constraint violations (the model namespace's `violations`). */
  qualityViolations(): Metric {
    return this.model(DRIFTWATCH_METRICS.violations, Stats.MAXIMUM);
  }

  /**
   * SageMaker's `ModelLatency` (µs). SageMaker documents Average, Sum, Min, Max and Sample Count
   * as its valid statistics, and no percentiles (which it does list for `ModelSetupTime`), so
   * only those are asked for: Average by default, Maximum for the worst request of a period.
   */
  modelLatency(variant: string, statistic: LatencyStatistic = Stats.AVERAGE): Metric {
    return this.sageMaker('ModelLatency', variant, statistic);
  }

  /** SageMaker's `OverheadLatency` (µs), with the same documented statistics as {@link modelLatency}. */
  overheadLatency(variant: string, statistic: LatencyStatistic = Stats.AVERAGE): Metric {
    return this.sageMaker('OverheadLatency', variant, statistic);
  }

  invocations(variant: string): Metric {
    return this.sageMaker('Invocations', variant, Stats.SUM);
  }

  invocation4xxErrors(variant: string): Metric {
    return this.sageMaker('Invocation4XXErrors', variant, Stats.SUM);
  }

  invocation5xxErrors(variant: string): Metric {
    return this.sageMaker('Invocation5XXErrors', variant, Stats.SUM);
  }

  cpuUtilization(variant: string): Metric {
    return this.instance('CPUUtilization', variant);
  }

  memoryUtilization(variant: string): Metric {
    return this.instance('MemoryUtilization', variant);
  }

  diskUtilization(variant: string): Metric {
    return this.instance('DiskUtilization', variant);
  }

  private monitorDimensions(): Record<string, string> {
    return {
      [DRIFTWATCH_METRICS.dimensions.endpoint]: this.endpoint.name,
      [DRIFTWATCH_METRICS.dimensions.monitoringSchedule]: this.endpoint.scheduleName,
    };
  }

  private data(metricName: string, statistic: string): Metric {
    return this.published(this.namespaces.data, metricName, statistic);
  }

  private model(metricName: string, statistic: string): Metric {
    return this.published(this.namespaces.model, metricName, statistic);
  }

  /** A metric the monitor publishes: hourly, per endpoint and schedule. */
  private published(namespace: string, metricName: string, statistic: string): Metric {
    return new Metric({
      namespace,
      metricName,
      dimensionsMap: this.monitorDimensions(),
      statistic,
      period: Duration.hours(1),
    });
  }

  private sageMaker(metricName: string, variant: string, statistic: string): Metric {
    return this.perVariant(SAGEMAKER_NAMESPACE, metricName, variant, statistic);
  }

  private instance(metricName: string, variant: string): Metric {
    return this.perVariant(SAGEMAKER_INSTANCE_NAMESPACE, metricName, variant, Stats.AVERAGE);
  }

  /** A metric SageMaker publishes: every five minutes, per endpoint and variant. */
  private perVariant(namespace: string, metricName: string, variant: string, statistic: string): Metric {
    return new Metric({
      namespace,
      metricName,
      dimensionsMap: { EndpointName: this.endpoint.name, VariantName: variant },
      statistic,
      period: Duration.minutes(5),
    });
  }
}
