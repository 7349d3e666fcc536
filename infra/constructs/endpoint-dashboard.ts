import { Aws, Duration } from 'aws-cdk-lib';
import {
  AlarmStatusWidget,
  Dashboard,
  GraphWidget,
  type HorizontalAnnotation,
  type IAlarm,
  type IMetric,
  type IWidget,
  MathExpression,
  type Metric,
  Stats,
  TextWidget,
} from 'aws-cdk-lib/aws-cloudwatch';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { BIAS_METRICS_NAMESPACE } from '../../functions/contracts/metric-names.ts';
import { type EndpointConfig, featureThreshold } from '../config/index.ts';
import type { EndpointMetrics } from '../endpoint-metrics.ts';
import { HEADLINE_QUALITY_METRICS } from '../metric-names.ts';

/** Properties of an {@link EndpointDashboard}. */
export interface EndpointDashboardProps {
  /** The endpoint and its thresholds (drawn as annotations). */
  readonly endpoint: EndpointConfig;
  /** The endpoint's metrics. */
  readonly metrics: EndpointMetrics;
  /** The alarms whose states the dashboard shows. */
  readonly alarms: readonly IAlarm[];
  /** The monitor function. */
  readonly monitorFunction: IFunction;
  /** The monitor's dead-letter queue. */
  readonly deadLetterQueue: IQueue;
  /**
   * The dashboard's name.
   * @default "driftwatch-ENDPOINT"
   */
  readonly dashboardName?: string;
  /**
   * The time range the dashboard opens on.
   * @default Duration.days(7)
   */
  readonly defaultInterval?: Duration;
}

const THIRD = 8;
const FULL = 24;
const HEIGHT = 6;

/**
 * One endpoint's CloudWatch dashboard: alarm states; drift per listed feature against its
 * threshold; dataset drift share, violations, records; quality; SageMaker latency, invocations,
 * errors and utilization per variant; and the monitor's own runs.
 */
export class EndpointDashboard extends Construct {
  readonly dashboard: Dashboard;
  /** The dashboard in the CloudWatch console of the stack's region. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: EndpointDashboardProps) {
    super(scope, id);
    const { endpoint, metrics } = props;
    const { alarms } = endpoint;
    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName ?? `driftwatch-${endpoint.name}`,
      defaultInterval: props.defaultInterval ?? Duration.days(7),
    });
    this.url = `https://${Aws.REGION}.console.aws.amazon.com/cloudwatch/home?region=${Aws.REGION}#dashboards:name=${this.dashboard.dashboardName}`;

    this.dashboard.addWidgets(
      new TextWidget({
        markdown: [
          `# driftwatch: ${endpoint.name}`,
          `Variants ${endpoint.variants.join(', ')}; schedule \`${endpoint.schedule}\` (UTC), monitoring schedule \`${endpoint.scheduleName}\`.`,
          'Monitor metrics are hourly, timestamped at the start of the window they describe.',
        ].join('\n\n'),
        width: FULL,
        height: 3,
      }),
    );
    this.dashboard.addWidgets(
      new AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: FULL, height: HEIGHT }),
    );

    this.dashboard.addWidgets(
      graph('Dataset drift share', [metrics.datasetDriftShare()], THIRD, [
        line(
          'dataset drift',
          alarms.datasetDrift ? alarms.datasetDrift.threshold : endpoint.datasetDriftShare,
        ),
      ]),
      graph(
        'Constraint violations',
        [metrics.violations()],
        THIRD,
        alarms.violations ? [line('alarm', alarms.violations.threshold)] : [],
      ),
      graph('Records per window', [metrics.recordsProfiled(), metrics.recordsRejected()], THIRD),
    );

    const driftThreshold = alarms.featureDrift ? alarms.featureDrift.threshold : 0.1;
    const featureWidgets: IWidget[] = endpoint.features.map((feature) =>
      graph(`Drift: ${feature}`, [metrics.featureDrift(feature)], THIRD, [
        line('threshold', featureThreshold(endpoint, feature) ?? driftThreshold),
      ]),
    );
    if (endpoint.features.length > 0) {
      featureWidgets.push(
        graph(
          'Completeness (non-null share)',
          endpoint.features.map((feature) => metrics.featureNonNull(feature)),
          THIRD,
          alarms.completeness ? [line('alarm', alarms.completeness.threshold)] : [],
        ),
      );
    }
    for (let i = 0; i < featureWidgets.length; i += 3)
      this.dashboard.addWidgets(...featureWidgets.slice(i, i + 3));

    if (endpoint.bias) this.dashboard.addWidgets(...biasRow(endpoint, metrics));
    // The band is the baseline's (its multivariate.json), unknown here: the monitor publishes it
    // with each value, so the widget draws the value between its thresholds.
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Multivariate drift: reconstruction error against the baseline band',
        left: [
          labelled(metrics.multivariateReconstructionError(), 'reconstruction error'),
          labelled(metrics.multivariateThreshold('upper'), 'upper threshold'),
          labelled(metrics.multivariateThreshold('lower'), 'lower threshold'),
        ],
        right: [labelled(metrics.multivariateDrift(), 'outside the baseline band (1)')],
        rightYAxis: { min: 0, max: 1, showUnits: false },
        width: FULL,
        height: HEIGHT,
      }),
    );

    if (endpoint.attribution) this.dashboard.addWidgets(...attributionRow(metrics));

    if (endpoint.problemType) {
      const names = [
        ...new Set([...HEADLINE_QUALITY_METRICS[endpoint.problemType], ...Object.keys(alarms.quality)]),
      ];
      this.dashboard.addWidgets(
        graph(
          `Model quality (${endpoint.problemType})`,
          names.map((name) => metrics.quality(name)),
          FULL,
          Object.entries(alarms.quality).map(([name, settings]) => line(name, settings.threshold)),
        ),
      );
    }

    const variants = endpoint.variants;
    this.dashboard.addWidgets(
      // Average and Maximum: the statistics SageMaker documents for these metrics (no percentiles).
      graph(
        'Latency, average and maximum (µs)',
        variants.flatMap((v) => [
          labelled(metrics.modelLatency(v, Stats.AVERAGE), `${v} model avg`),
          labelled(metrics.modelLatency(v, Stats.MAXIMUM), `${v} model max`),
          labelled(metrics.overheadLatency(v, Stats.AVERAGE), `${v} overhead avg`),
          labelled(metrics.overheadLatency(v, Stats.MAXIMUM), `${v} overhead max`),
        ]),
        THIRD,
      ),
      graph(
        'Invocations',
        variants.map((v) => labelled(metrics.invocations(v), v)),
        THIRD,
      ),
      graph(
        'Invocation errors',
        variants.flatMap((v) => [
          labelled(metrics.invocation4xxErrors(v), `${v} 4XX`),
          labelled(metrics.invocation5xxErrors(v), `${v} 5XX`),
        ]),
        THIRD,
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'CPU utilization (%, summed over vCPUs)',
        variants.map((v) => labelled(metrics.cpuUtilization(v), v)),
        THIRD,
      ),
      graph(
        'Memory utilization (%)',
        variants.map((v) => labelled(metrics.memoryUtilization(v), v)),
        THIRD,
      ),
      graph(
        'Disk utilization (%)',
        variants.map((v) => labelled(metrics.diskUtilization(v), v)),
        THIRD,
      ),
    );

    // Deployments: a bar in the hour the serving model changed, against the registry version.
    this.dashboard.addWidgets(
      new GraphWidget({
        title: 'Serving model: version and deployments',
        left: [labelled(metrics.modelVersion(), 'model package version')],
        right: [labelled(metrics.modelChanged(), 'deployed during the window')],
        rightYAxis: { min: 0, max: 1, showUnits: false },
        width: FULL,
        height: HEIGHT,
      }),
    );

    const fn = props.monitorFunction;
    this.dashboard.addWidgets(
      graph('Monitor run duration (s)', [metrics.runDurationSeconds()], THIRD),
      graph('Monitor run cost (USD)', [metrics.runCostUsd()], THIRD),
      graph(
        'Monitor failures',
        [
          fn.metricErrors({ statistic: Stats.SUM, period: Duration.hours(1) }),
          fn.metricThrottles({ statistic: Stats.SUM, period: Duration.hours(1) }),
          props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: Stats.MAXIMUM,
            period: Duration.hours(1),
            label: 'dead letters',
          }),
        ],
        THIRD,
      ),
    );
  }
}

/**
 * Clarify's key metrics of a facet, per facet value: DPPL (difference in positive proportions in
 * predicted labels, post-training) and DI (disparate impact). The facets are in the deployed
 * analysis_config.json, unknown when the stack is built, so a SEARCH finds every facet value
 * the monitor published for the endpoint (only configured values are ever published).
 */
const BIAS_KEY_METRICS = [
  { name: 'DPPL', title: 'Bias: DPPL per facet value (ideal 0)' },
  { name: 'DI', title: 'Bias: disparate impact per facet value (ideal 1)' },
] as const;

/** The bias row: significant violations against the alarm, and the key metrics per facet value. */
function biasRow(endpoint: EndpointConfig, metrics: EndpointMetrics): IWidget[] {
  const alarm = endpoint.alarms.biasViolations;
  const dims =
    '{' +
    [
      BIAS_METRICS_NAMESPACE,
      'Endpoint',
      'MonitoringSchedule',
      'BiasStage',
      'Label',
      'LabelValue',
      'Facet',
      'FacetValue',
    ].join(',') +
    '}';
  const search = (metric: string) =>
    new MathExpression({
      // Endpoint and schedule names are SageMaker names (letters, digits, hyphens): nothing to quote.
      expression: `SEARCH('${dims} Endpoint="${endpoint.name}" MonitoringSchedule="${endpoint.scheduleName}" MetricName="bias_metric_${metric}"', 'Maximum', 3600)`,
      label: '',
      period: Duration.hours(1),
    });
  return [
    graph(
      'Bias: significant violations per window',
      [labelled(metrics.biasViolations(), 'bias_violations')],
      THIRD,
      alarm ? [line('alarm', alarm.threshold)] : [],
    ),
    ...BIAS_KEY_METRICS.map((m) => graph(m.title, [search(m.name)], THIRD)),
  ];
}

/** The nDCG below which the attribution ranking counts as drifted (Clarify's, fixed). */
const NDCG_THRESHOLD = 0.9;

/** The feature attribution row: nDCG against 0.9, the endpoint rows each window cost, and failures. */
function attributionRow(metrics: EndpointMetrics): IWidget[] {
  return [
    new GraphWidget({
      title: 'Feature attribution: nDCG against the baseline ranking',
      left: [labelled(metrics.attributionNdcg(), 'nDCG')],
      leftYAxis: { min: 0, max: 1, showUnits: false },
      leftAnnotations: [line('drift below', NDCG_THRESHOLD)],
      width: THIRD,
      height: HEIGHT,
    }),
    graph(
      'Feature attribution: model rows sent',
      [labelled(metrics.attributionModelRows(), 'model rows')],
      THIRD,
    ),
    new GraphWidget({
      title: 'Feature attribution: failed explanations',
      left: [labelled(metrics.attributionFailures(), 'failed (1)')],
      leftYAxis: { min: 0, max: 1, showUnits: false },
      width: THIRD,
      height: HEIGHT,
    }),
  ];
}

function graph(
  title: string,
  left: IMetric[],
  width: number,
  annotations: HorizontalAnnotation[] = [],
): GraphWidget {
  return new GraphWidget({ title, left, width, height: HEIGHT, leftAnnotations: annotations });
}

function labelled(metric: Metric, label: string): Metric {
  return metric.with({ label });
}

function line(label: string, value: number): HorizontalAnnotation {
  return { label: `${label} ${value}`, value };
}
