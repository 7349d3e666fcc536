/**
 * Everything after profiling, the same for a window profiled by the monitor function and one
 * profiled in parts (./fan-out.ts): record what served the window, write its report files,
 * publish its metrics, send its summary (at most once per window), and log one line.
 */

import { EXPLAINABILITY_METRICS_NAMESPACE } from '../contracts/metric-names.ts';
import { reportFolder, SUMMARY_MARKER } from '../contracts/report-layout.ts';
import { HOUR_MS } from '../contracts/time.ts';
import type { BiasConfig } from '../engine/bias/analysis-config.ts';
import type { AnalysisJson } from '../engine/bias/analysis-json.ts';
import { BIAS_METRICS_NAMESPACE } from '../engine/bias/bias-metric-data.ts';
import type { IncompleteWindow, Report } from '../engine/report/report-model.ts';
import type { WindowResult } from '../engine/report/window-result.ts';
import {
  biasMetricsForReport,
  explainabilityMetricsForReport,
  incompleteWindowMetrics,
  metricsForReport,
  publishMetrics,
} from '../sinks/cloudwatch-metrics.ts';
import { writeHistory } from '../sinks/history-writer.ts';
import { hourLabel, writeReportFiles } from '../sinks/report-writer.ts';
import {
  type SummaryContext,
  type SummaryOutcome,
  sendWindowSummary,
  summaryMarker,
} from '../sinks/sns-summary.ts';
import type { S3Store } from '../stores/s3-store.ts';
import { logger } from './log.ts';
import { DEFAULT_PRICE_PER_GB_SECOND, type MonitorDeps, reportsStore } from './monitor-deps.ts';
import type { MonitorRun } from './monitor-start.ts';
import { recordServingModel } from './window-serving-model.ts';

/** CloudWatch takes data points up to two weeks old; older windows get reports but no metrics. */
const METRICS_MAX_AGE_MS = 14 * 24 * HOUR_MS - 10 * 60_000;

/** What one window came to. */
export interface WindowOutcome {
  start: string;
  end: string;
  /** Capture objects read. */
  objects: number;
  records: { total: number; profiled: number; rejected: number };
  driftedFeatures: number;
  violations: number;
  /** The window's report folder, `s3://bucket/.../hh/`. */
  reportLocation: string;
  /** PutMetricData requests sent; 0 when the window is too old for CloudWatch. */
  metricRequests: number;
  /** `incomplete`: the window was not read whole, so no summary is sent for it. */
  summary: SummaryOutcome | 'incomplete';
  seconds: number;
  /** The endpoint config that served the window (`null`: not known); absent when not read. */
  endpointConfig?: string | null;
  /** Set when the window was profiled in parts by the fan-out state machine. */
  fanOut?: { runId: string; parts: number };
  /** Set when the run stopped before reading the whole window (report.json `complete: false`). */
  incomplete?: IncompleteWindow;
  /** The predictions of the window matched to a label so far; absent without ground truth. */
  labelsMatched?: number;
  /** `failed` when the window's history lines could not be written (the error is logged). */
  history?: 'failed';
}

/** How a window was processed, for its metrics and log line. */
export interface WindowRunInfo {
  /** Capture objects read. */
  objects: number;
  /** When work on the window began: the run duration is measured from here. */
  started: Date;
  /**
   * When this function began on the window, for its share of the cost.
   * @default started
   */
  functionStarted?: Date;
  /**
   * GB-seconds spent on the window by other functions (fan-out workers), for the cost metric.
   * @default 0
   */
  workerGbSeconds?: number;
  fanOut?: { runId: string; parts: number };
}

/** What publishing a window's metrics came to. */
interface MetricsSent {
  /** PutMetricData requests sent. */
  requests: number;
  /** Seconds from `info.started` to when the report files were written. */
  runSeconds: number;
  /** The window is older than CloudWatch takes data points: no metrics but for an incomplete window. */
  tooOld: boolean;
}

/** Publishes the window's report: the steps in the header's order. */
export async function publishWindow(
  deps: MonitorDeps,
  run: MonitorRun,
  windowStart: Date,
  result: WindowResult,
  info: WindowRunInfo,
): Promise<WindowOutcome> {
  const { config } = deps;
  const window = { start: windowStart, end: new Date(windowStart.getTime() + HOUR_MS) };
  const { report } = result;
  if (config.groundTruthUri && info.fanOut && report.quality === null)
    report.warnings.push(
      'Model quality was not computed for this window profiled in parts (fan-out): its run was planned without a quality join (by an earlier version of the stack). Backfill the window to compute it.',
    );

  const reports = reportsStore(deps);
  const folder = reportFolder(config.endpoint, config.scheduleName, windowStart);
  if (run.servingModels) await recordServingModel(run.servingModels, reports, config, window, report);
  await writeReportFiles(
    reports,
    folder,
    result,
    `driftwatch report: ${config.endpoint} ${hourLabel(windowStart)}`,
  );
  // A complete window's lines in the history tables (Athena, DuckDB): after its report files, as
  // they are its source. A failed write is logged and the window goes on: the report is written.
  const history = report.incomplete ? 'incomplete' : await writeWindowHistory(deps, reports, report);
  const bias =
    run.quality?.bias && result.bias
      ? { config: run.quality.bias.config, analysis: result.bias.analysis }
      : undefined;
  const metrics = await publishWindowMetrics(deps, report, windowStart, info, bias);
  const summaryContext: SummaryContext = {
    endpoint: config.endpoint,
    scheduleName: config.scheduleName,
    windowStart,
    windowEnd: window.end,
    reportLocation: `${reports.location}${folder}`,
  };
  const summary = report.incomplete
    ? 'incomplete'
    : await sendSummary(deps, reports, `${folder}${SUMMARY_MARKER}`, report, summaryContext);

  const outcome = windowOutcome(report, info, summaryContext, metrics, summary);
  if (history === 'failed') outcome.history = history;
  logWindow(deps, report, outcome, metrics);
  return outcome;
}

/**
 * Writes the window's history lines under the reports prefix (`[PREFIX/]history/...`, the Glue
 * tables' locations): `written`, or `failed` with an error log line naming the cause.
 */
async function writeWindowHistory(
  deps: MonitorDeps,
  reports: S3Store,
  report: Report,
): Promise<'written' | 'failed'> {
  const { config } = deps;
  try {
    await writeHistory(reports, report, {
      endpoint: config.endpoint,
      schedule: config.scheduleName,
      variants: config.variants,
    });
    return 'written';
  } catch (e) {
    logger(deps.log).error('window history not written', { error: (e as Error).message });
    return 'failed';
  }
}

/**
 * Publishes the window's metrics, timestamped at its start. An incomplete window publishes only
 * `windows_incomplete`: partial numbers would read as a real drop or drift. A window older than
 * CloudWatch takes publishes none.
 */
async function publishWindowMetrics(
  deps: MonitorDeps,
  report: Report,
  windowStart: Date,
  info: WindowRunInfo,
  bias?: { config: BiasConfig; analysis: AnalysisJson },
): Promise<MetricsSent> {
  const { config } = deps;
  const { started } = info;
  const finished = deps.now().getTime();
  const runSeconds = (finished - started.getTime()) / 1000;
  const tooOld = started.getTime() - windowStart.getTime() > METRICS_MAX_AGE_MS;
  let requests = 0;
  if (report.incomplete) {
    requests += await publishMetrics(
      deps.cloudwatch,
      config.dataMetricsNamespace,
      incompleteWindowMetrics(config, new Date(finished)),
    );
  } else if (!tooOld) {
    const ownSeconds = (finished - (info.functionStarted ?? started).getTime()) / 1000;
    const gbSeconds = (deps.memoryMb / 1024) * ownSeconds + (info.workerGbSeconds ?? 0);
    const metrics = metricsForReport(report, {
      endpoint: config.endpoint,
      scheduleName: config.scheduleName,
      windowStart,
      runSeconds,
      costUsd: gbSeconds * (config.pricePerGbSecond ?? DEFAULT_PRICE_PER_GB_SECOND),
    });
    requests += await publishMetrics(deps.cloudwatch, config.dataMetricsNamespace, metrics.data);
    if (metrics.model.length)
      requests += await publishMetrics(deps.cloudwatch, config.modelMetricsNamespace, metrics.model);
    if (bias && report.bias)
      requests += await publishMetrics(
        deps.cloudwatch,
        BIAS_METRICS_NAMESPACE,
        biasMetricsForReport(bias.analysis, report.bias.violations, {
          endpoint: config.endpoint,
          schedule: config.scheduleName,
          config: bias.config,
          timestamp: windowStart,
        }),
      );
    // Clarify's namespace: only for an endpoint with an attribution block (the role's condition).
    if (config.attribution) {
      const explain = explainabilityMetricsForReport(report, {
        endpoint: config.endpoint,
        scheduleName: config.scheduleName,
        windowStart,
      });
      if (explain.length)
        requests += await publishMetrics(deps.cloudwatch, EXPLAINABILITY_METRICS_NAMESPACE, explain);
    }
  }
  return { requests, runSeconds, tooOld };
}

/** Sends the window's summary when it has violations, claiming the marker at `markerKey` first. */
function sendSummary(
  deps: MonitorDeps,
  reports: S3Store,
  markerKey: string,
  report: Report,
  ctx: SummaryContext,
): Promise<SummaryOutcome> {
  return sendWindowSummary(
    {
      sns: deps.sns,
      topicArn: deps.config.topicArn,
      ...summaryMarker(deps.s3, reports.bucket, `${reports.prefix}${markerKey}`),
    },
    report,
    ctx,
  );
}

/** The window's outcome, as the run returns it. */
function windowOutcome(
  report: Report,
  info: WindowRunInfo,
  ctx: SummaryContext,
  metrics: MetricsSent,
  summary: WindowOutcome['summary'],
): WindowOutcome {
  const { incomplete } = report;
  return {
    start: ctx.windowStart.toISOString(),
    end: ctx.windowEnd.toISOString(),
    objects: info.objects,
    records: {
      total: report.records.total,
      profiled: report.records.profiled,
      rejected: report.records.rejected,
    },
    driftedFeatures: report.datasetDrift.driftedFeatures,
    violations: report.violations.length,
    reportLocation: ctx.reportLocation,
    metricRequests: metrics.requests,
    summary,
    seconds: metrics.runSeconds,
    ...(report.model !== undefined ? { endpointConfig: report.model?.endpointConfigName ?? null } : {}),
    ...(info.fanOut ? { fanOut: info.fanOut } : {}),
    ...(incomplete ? { incomplete } : {}),
    ...(report.quality ? { labelsMatched: report.quality.matched } : {}),
  };
}

/** The window's one log line: counts and locations only, never a captured value. */
function logWindow(deps: MonitorDeps, report: Report, outcome: WindowOutcome, metrics: MetricsSent): void {
  const { config } = deps;
  const { incomplete } = outcome;
  logger(deps.log).log(
    incomplete ? 'warn' : 'info',
    incomplete
      ? 'window incomplete: stopped before the deadline; no metrics but windows_incomplete, no summary'
      : 'window monitored',
    {
      endpoint: config.endpoint,
      schedule: config.scheduleName,
      window: { start: outcome.start, end: outcome.end },
      objects: outcome.objects,
      records: outcome.records,
      driftedFeatures: outcome.driftedFeatures,
      violations: outcome.violations,
      durationSeconds: outcome.seconds,
      metricRequests: outcome.metricRequests,
      ...(metrics.tooOld && !incomplete
        ? { metricsSkipped: 'the window is older than CloudWatch takes data points (two weeks)' }
        : {}),
      ...(incomplete ? { incomplete } : {}),
      ...(report.quality
        ? {
            quality: {
              matched: report.quality.matched,
              unmatchedPredictions: report.quality.unmatchedPredictions,
              violations: report.quality.violations.length,
            },
          }
        : {}),
      ...(report.attribution
        ? {
            attribution: {
              ndcg: report.attribution.ndcg,
              drifted: report.attribution.drifted,
              recordsExplained: report.attribution.recordsExplained,
              modelRows: report.attribution.modelRows,
              requests: report.attribution.requests,
              stoppedEarly: report.attribution.stoppedEarly !== null,
              failed: report.attribution.error !== null,
            },
          }
        : {}),
      summary: outcome.summary,
      ...(report.model !== undefined
        ? {
            model: {
              endpointConfig: outcome.endpointConfig,
              changedDuringWindow: report.modelChangedDuringWindow ?? null,
            },
          }
        : {}),
      ...(outcome.fanOut ? { fanOut: outcome.fanOut } : {}),
      report: outcome.reportLocation,
    },
  );
}
