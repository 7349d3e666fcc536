import type { AlarmSettings, HealthAlarmsConfig } from './types.ts';

/** The monitor publishes once an hour, about 70 minutes after a window's start (the metric's timestamp). */
export const HOURLY = { periodMinutes: 60, evaluationPeriods: 3, datapointsToAlarm: 1 } as const;
const FIVE_MINUTES = { periodMinutes: 5, evaluationPeriods: 3, datapointsToAlarm: 3 } as const;

/** A health alarm's default settings, and whether it is on when the config does not mention it. */
export interface HealthAlarmDefault {
  /** Whether the alarm is on when the config does not mention it. */
  readonly enabled: boolean;
  /** Its settings when the config turns it on (`true`) or sets only some of them. */
  readonly settings: AlarmSettings;
}

/** Defaults of every alarm (the dataset-drift threshold defaults to the endpoint's `datasetDriftShare`). */
export const ALARM_DEFAULTS: {
  readonly featureDrift: AlarmSettings;
  readonly completeness: AlarmSettings;
  readonly violations: AlarmSettings;
  readonly biasViolations: AlarmSettings;
  readonly multivariateDrift: AlarmSettings;
  readonly attributionDrift: AlarmSettings;
  readonly noData: AlarmSettings;
  readonly quality: Omit<AlarmSettings, 'threshold'>;
  readonly health: Readonly<Record<keyof HealthAlarmsConfig, HealthAlarmDefault>>;
} = {
  // Three hourly periods, one breaching: a window's result lands in the previous clock hour ten
  // minutes after the hour, so looking back three periods keeps the latest result in view until
  // the next one arrives; the alarm clears one window after the drift stops.
  featureDrift: { threshold: 0.1, ...HOURLY },
  completeness: { threshold: 0.95, ...HOURLY },
  violations: { threshold: 1, ...HOURLY },
  // Significant violations only (the monitor's count), so one is worth a page.
  biasViolations: { threshold: 1, ...HOURLY },
  // The flag is 0 or 1: 1 is "the window's reconstruction error left the baseline's band".
  multivariateDrift: { threshold: 1, ...HOURLY },
  // The flag is 0 or 1: 1 is "the nDCG of the window's attribution ranking fell below 0.9".
  attributionDrift: { threshold: 1, ...HOURLY },
  // Missing is breaching and the current and previous hours are always empty at the top of the
  // hour (nothing published yet), so four periods must all breach: two complete windows in a row
  // were empty or never published.
  noData: { threshold: 1, periodMinutes: 60, evaluationPeriods: 4, datapointsToAlarm: 4 },
  quality: HOURLY,
  health: {
    modelLatencyMicros: { enabled: true, settings: { threshold: 1_000_000, ...FIVE_MINUTES } },
    overheadLatencyMicros: { enabled: true, settings: { threshold: 100_000, ...FIVE_MINUTES } },
    invocationsMin: {
      enabled: true,
      settings: { threshold: 1, periodMinutes: 60, evaluationPeriods: 1, datapointsToAlarm: 1 },
    },
    invocation4xxErrors: { enabled: true, settings: { threshold: 10, ...FIVE_MINUTES } },
    invocation5xxErrors: {
      enabled: true,
      settings: { threshold: 1, periodMinutes: 5, evaluationPeriods: 3, datapointsToAlarm: 2 },
    },
    cpuUtilization: { enabled: false, settings: { threshold: 80, ...FIVE_MINUTES } },
    memoryUtilization: { enabled: true, settings: { threshold: 85, ...FIVE_MINUTES } },
    diskUtilization: { enabled: true, settings: { threshold: 85, ...FIVE_MINUTES } },
  },
};

/** Defaults of the top-level and endpoint fields. */
export const DEFAULTS = {
  namespace: 'aws/sagemaker/Endpoints/data-metrics',
  modelMetricsNamespace: 'aws/sagemaker/Endpoints/model-metrics',
  variants: ['AllTraffic'],
  scheduleName: 'driftwatch-hourly',
  // Ten minutes after the hour, so capture files SageMaker flushes late are in S3 before the run.
  schedule: 'cron(10 * * * ? *)',
  datasetDriftShare: 0.5,
} as const;

/**
 * Defaults of an endpoint's `attribution` block: the CLI's `--explain-records`,
 * `--explain-max-rows` and the endpoint adapter's request rate.
 */
export const ATTRIBUTION_DEFAULTS = {
  records: 100,
  maxRows: 200_000,
  requestsPerSecond: 10,
} as const;
