/**
 * What the monitor Lambda does for its endpoint: profile one window (the last complete hour on
 * schedule, or each hour of a backfill) from S3, join its predictions to the ground truth when
 * the endpoint has labels, record what served it (SageMaker, read once per run), write the
 * report files, publish the metrics, send a summary when the window has violations, and after
 * the run rebuild the endpoint's index.html. The steps after profiling (`publishWindow`) are
 * shared with the fan-out reducer (./fan-out.ts). Clients and the clocks come in as parameters.
 *
 * **Quality and late labels.** Each run computes a window's quality with the labels that have
 * arrived by then (collection hours [window start, window end + 24 h)): an hourly run sees few,
 * so its `quality.matched` is small and `quality.estimated` (from the scores, BinaryClassification)
 * carries the signal; `labels_matched` is published with the metrics. The scheduled run does not
 * revisit earlier windows: a backfill (`{endpoint, start, end}`) a day or more later recomputes
 * them with their labels in, rewriting their reports (the summary is not sent twice) and
 * publishing their metrics again at the same timestamps, which CloudWatch keeps as second data
 * points of those hours.
 *
 * **Deadline.** With `remainingMs` (Lambda's `getRemainingTimeInMillis`), a run that gets within
 * the safety margin of its deadline stops between capture objects: the window's report is
 * written with `complete: false`, only `windows_incomplete` is published for it (no drift or
 * quality metrics, no summary), later hours are not started, and the result lists the hours left
 * with the event that resends them.
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import { HOUR_MS } from '../contracts/time.ts';
import { hourFolders } from '../engine/capture/capture-window.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { constraintsProblemType } from '../engine/quality/quality-constraints.ts';
import type { IncompleteWindow, Report, ServingModel } from '../engine/report/report-model.ts';
import { applyWindowModel, type WindowModel, windowModel } from '../engine/report/serving-window.ts';
import type { WindowResult } from '../engine/report/window-result.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import { incompleteWindowMetrics, metricsForReport, publishMetrics } from '../sinks/cloudwatch-metrics.ts';
import { DEFAULT_INDEX_WINDOWS, writeReportIndex } from '../sinks/report-index.ts';
import { hourLabel, reportFolder, writeReportFiles } from '../sinks/report-writer.ts';
import {
  claimObject,
  SUMMARY_MARKER,
  type SummaryOutcome,
  sendWindowSummary,
  summaryMarkerFailed,
} from '../sinks/sns-summary.ts';
import { loadBaseline } from '../sources/baseline-store.ts';
import { ServingModelCache } from '../sources/serving-model.ts';
import { parseS3Uri } from '../stores/object-store.ts';
import { S3Store } from '../stores/s3-store.ts';
import {
  loadQualityBaseline,
  planQuality,
  QUALITY_CONSTRAINTS_FILE,
  type QualityPlan,
  startWindowQuality,
} from './quality-window.ts';
import { runWindow, selectWindowObjects, type WindowSelection } from './run-window.ts';

/** CloudWatch takes data points up to two weeks old; older windows get reports but no metrics. */
const METRICS_MAX_AGE_MS = 14 * 24 * HOUR_MS - 10 * 60_000;
/** Most hours one backfill invocation takes. */
export const MAX_BACKFILL_HOURS = 744;
/** Lambda arm64 price per GB-second in USD (us-east-1). */
export const DEFAULT_PRICE_PER_GB_SECOND = 0.0000133334;
/**
 * Time kept back before the deadline: writing an incomplete window's report files and its one
 * metric takes a few seconds; the rest covers a slow S3 request and the read-ahead abandoned.
 */
export const DEFAULT_SAFETY_MARGIN_MS = 45_000;

export interface MonitorDeps {
  config: MonitorRuntimeConfig;
  s3: S3Client;
  cloudwatch: CloudWatchClient;
  sns: SNSClient;
  /** The clock: which hour is the last complete one, `generatedAt`, and run durations. */
  now: () => Date;
  /** The function's memory in MB, for the run-cost metric. */
  memoryMb: number;
  /** Where the one structured line per window goes. @default console.log */
  log?: (line: string) => void;
  /**
   * Reads what the endpoint serves, for each report's `model`.
   * @default - none: reports record no model
   */
  sagemaker?: SageMakerClient;
  /**
   * Milliseconds left before the invocation is stopped: the handler passes Lambda's
   * `context.getRemainingTimeInMillis`. Only `runMonitor` stops early.
   * @default - no deadline
   */
  remainingMs?: () => number;
  /** How close to the deadline a run stops. @default DEFAULT_SAFETY_MARGIN_MS (45 s) */
  safetyMarginMs?: number;
  /** Newest reports the endpoint's index.html covers. @default DEFAULT_INDEX_WINDOWS (two weeks of hours) */
  indexWindows?: number;
}

/** A hand invocation: profile every hour in [start, end), one window at a time. */
export interface BackfillEvent {
  endpoint: string;
  /** ISO-8601, on the hour. */
  start: string;
  /** ISO-8601, on the hour; not after the start of the current hour. */
  end: string;
}

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
}

export interface MonitorResult {
  endpoint: string;
  scheduleName: string;
  windows: WindowOutcome[];
  /**
   * Set when the run stopped near its deadline: the hours still to do (the incomplete window
   * first, then those not started) and the event that resends them.
   */
  hoursLeft?: { hours: string[]; resend: BackfillEvent };
  /**
   * The endpoint's index.html, rebuilt after the run (not when it stopped early); `error` when
   * rebuilding failed, which fails nothing else: the windows' reports are written by then.
   */
  index?: { location: string; windows: number } | { error: string };
}

/** Thrown for an invocation event the monitor cannot act on; the message says what it takes. */
export class MonitorEventError extends Error {}

const EVENT_FORMS =
  'invoke with {} (the last complete hour), an EventBridge scheduled event, or {"endpoint", "start", "end"} to backfill';

function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

function parseHour(value: unknown, field: 'start' | 'end'): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new MonitorEventError(
      `event.${field} must be an ISO-8601 time such as 2026-11-26T05:00:00Z; got ${JSON.stringify(value)}`,
    );
  if (ms % HOUR_MS !== 0)
    throw new MonitorEventError(
      `event.${field} ${value} is not on the hour; windows are whole UTC hours, e.g. ${new Date(hourStart(ms)).toISOString()}`,
    );
  return ms;
}

/** The windows (start ms of each hour) an invocation event asks for. */
export function windowsOfEvent(event: unknown, config: MonitorRuntimeConfig, now: Date): number[] {
  const lastComplete = hourStart(now.getTime()) - HOUR_MS;
  if (event === null || event === undefined) return [lastComplete];
  if (typeof event !== 'object' || Array.isArray(event))
    throw new MonitorEventError(`the event is not an object; ${EVENT_FORMS}`);
  const e = event as Record<string, unknown>;
  if ('endpoint' in e || 'start' in e || 'end' in e) {
    if (e.endpoint !== config.endpoint)
      throw new MonitorEventError(
        `event.endpoint ${JSON.stringify(e.endpoint)} is not ${JSON.stringify(config.endpoint)}, the endpoint this function monitors; invoke that endpoint's monitor function`,
      );
    const start = parseHour(e.start, 'start');
    const end = parseHour(e.end, 'end');
    if (start >= end) throw new MonitorEventError(`event.start ${e.start} is not before event.end ${e.end}`);
    if (end > lastComplete + HOUR_MS)
      throw new MonitorEventError(
        `event.end ${e.end} is after the last complete hour, which ends at ${new Date(lastComplete + HOUR_MS).toISOString()}; an hour is profiled once it is over`,
      );
    const hours = (end - start) / HOUR_MS;
    if (hours > MAX_BACKFILL_HOURS)
      throw new MonitorEventError(
        `the backfill spans ${hours} hours; one invocation takes at most ${MAX_BACKFILL_HOURS}: split the range`,
      );
    return Array.from({ length: hours }, (_, i) => start + i * HOUR_MS);
  }
  if (Object.keys(e).length === 0) return [lastComplete];
  // An EventBridge rule's scheduled event: its time, not the clock, names the hour, so a retry
  // profiles the same window.
  if (
    e['detail-type'] === 'Scheduled Event' &&
    typeof e.time === 'string' &&
    !Number.isNaN(Date.parse(e.time))
  )
    return [hourStart(Date.parse(e.time)) - HOUR_MS];
  throw new MonitorEventError(`unknown event with keys ${Object.keys(e).join(', ')}; ${EVENT_FORMS}`);
}

/** What every window of one invocation shares: the baselines, and SageMaker read once. */
export interface MonitorRun {
  baseline: Baseline;
  baselinePath: string;
  servingModels: ServingModelCache | null;
  /** How windows get their model quality; `null` when the endpoint has no ground truth. */
  quality: QualityPlan | null;
}

/** Loads the baselines and sets up the per-run reads every window of the invocation shares. */
export async function startRun(deps: MonitorDeps): Promise<MonitorRun> {
  const baselineStore = new S3Store(deps.s3, deps.config.baselineUri);
  const baseline = await loadBaseline(baselineStore);
  return {
    baseline,
    baselinePath: baselineStore.location,
    servingModels: deps.sagemaker ? new ServingModelCache(deps.sagemaker) : null,
    quality: await qualityPlanOf(deps, baselineStore, baseline),
  };
}

/** The endpoint's labels: `GROUND_TRUTH_URI/ENDPOINT/`, whose hour folders are the collection hours. */
export function groundTruthUriOf(config: Pick<MonitorRuntimeConfig, 'groundTruthUri' | 'endpoint'>): string {
  const { bucket, prefix } = parseS3Uri(config.groundTruthUri ?? '');
  return `s3://${bucket}/${prefix}${config.endpoint}/`;
}

/**
 * The run's quality plan, as the CLI's `run --ground-truth` makes it: the baseline folder's
 * `model-quality/` files (constraints, and the settings that name the score column and
 * threshold), the configured problem type and threshold.
 */
async function qualityPlanOf(
  deps: MonitorDeps,
  baselineStore: S3Store,
  baseline: Baseline,
): Promise<QualityPlan | null> {
  const { config } = deps;
  if (config.groundTruthUri === undefined || config.problemType === undefined) return null;
  const files = await loadQualityBaseline(baselineStore);
  if (files.constraints !== null && constraintsProblemType(files.constraints) !== config.problemType)
    throw new BaselineFileError(
      `${baselineStore.location}${QUALITY_CONSTRAINTS_FILE}`,
      `holds ${constraintsProblemType(files.constraints)} constraints but the endpoint's problemType is ${config.problemType}; rebuild the quality baseline with driftwatch baseline --problem-type ${config.problemType}, or correct problemType in the config`,
    );
  return planQuality(baseline, files, {
    groundTruth: new S3Store(deps.s3, groundTruthUriOf(config)),
    problemType: config.problemType,
    threshold: config.probabilityThreshold,
  });
}

/**
 * Whether the run is within the safety margin of its deadline; `undefined` without a deadline.
 * Asked before each window after the first, and between capture objects.
 */
function deadlineOf(deps: MonitorDeps): (() => boolean) | undefined {
  const { remainingMs } = deps;
  if (!remainingMs) return undefined;
  const margin = deps.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS;
  return () => remainingMs() < margin;
}

/** The capture store of the endpoint. */
export function captureStore(deps: Pick<MonitorDeps, 's3' | 'config'>): S3Store {
  return new S3Store(deps.s3, deps.config.captureUri);
}

/** Lists the capture objects of the hour starting at `windowStart`, every variant, with the late folder. */
export async function listWindow(deps: MonitorDeps, windowStart: Date): Promise<WindowSelection> {
  const { config } = deps;
  const windowEnd = new Date(windowStart.getTime() + HOUR_MS);
  const folders = hourFolders(windowStart.getTime(), windowEnd.getTime());
  return selectWindowObjects(
    captureStore(deps),
    config.variants.flatMap((v) => folders.map((f) => `${config.endpoint}/${v}/${f}`)),
    windowStart.toISOString(),
    windowEnd.toISOString(),
  );
}

/**
 * Runs the windows an event asks for, one after another. A listing or read that fails fails the
 * window before anything of it is published, and the invocation with it. Every window is
 * profiled here, also past the fan-out thresholds: only the state machine fans out.
 */
export async function runMonitor(deps: MonitorDeps, event: unknown): Promise<MonitorResult> {
  const { config } = deps;
  const windows = windowsOfEvent(event, config, deps.now());
  const run = await startRun(deps);
  const shouldStop = deadlineOf(deps);
  const outcomes: WindowOutcome[] = [];
  let left: number[] = [];
  for (const [i, start] of windows.entries()) {
    // The first window always starts: at worst it stops after one object, and says so.
    if (i > 0 && shouldStop?.()) {
      left = windows.slice(i);
      break;
    }
    const windowStart = new Date(start);
    const outcome = await monitorWindow(
      deps,
      run,
      windowStart,
      await listWindow(deps, windowStart),
      shouldStop,
    );
    outcomes.push(outcome);
    if (outcome.incomplete) {
      left = windows.slice(i);
      break;
    }
  }
  const result: MonitorResult = {
    endpoint: config.endpoint,
    scheduleName: config.scheduleName,
    windows: outcomes,
  };
  if (left.length > 0) {
    const hours = left.map((ms) => new Date(ms).toISOString());
    const resend: BackfillEvent = {
      endpoint: config.endpoint,
      start: hours[0]!,
      end: new Date(left.at(-1)! + HOUR_MS).toISOString(),
    };
    result.hoursLeft = { hours, resend };
    // Stopped between windows: no partial window published the marker, so the run does.
    if (!outcomes.at(-1)?.incomplete)
      await publishMetrics(
        deps.cloudwatch,
        config.dataMetricsNamespace,
        incompleteWindowMetrics(config, deps.now()),
      );
    (deps.log ?? console.log)(
      JSON.stringify({
        level: 'warn',
        message: 'run stopped before its deadline; resend the hours left',
        endpoint: config.endpoint,
        schedule: config.scheduleName,
        hoursLeft: hours.length,
        resend,
        indexRefreshed: false,
      }),
    );
  } else result.index = await refreshIndex(deps);
  return result;
}

/**
 * Rebuilds `reports/ENDPOINT/SCHEDULE/index.html` over the newest reports. A failure is logged
 * and returned, not thrown: the windows are done, and a retry would publish them again.
 */
export async function refreshIndex(deps: MonitorDeps): Promise<NonNullable<MonitorResult['index']>> {
  const { config } = deps;
  const log = deps.log ?? console.log;
  const reports = reportsStoreOf(deps);
  const folder = `reports/${config.endpoint}/${config.scheduleName}/`;
  try {
    const index = await writeReportIndex(reports, folder, {
      limit: deps.indexWindows ?? DEFAULT_INDEX_WINDOWS,
      title: `driftwatch: ${config.endpoint} (${config.scheduleName})`,
      onIssue: (issue) =>
        log(
          JSON.stringify({
            level: 'warn',
            message: 'index: report left out',
            endpoint: config.endpoint,
            issue,
          }),
        ),
    });
    return { location: `${reports.location}${index.key}`, windows: index.windows };
  } catch (e) {
    const error = `rebuilding ${reports.location}${folder}index.html failed: ${(e as Error).message}`;
    console.error(
      JSON.stringify({ level: 'error', message: 'index refresh failed', endpoint: config.endpoint, error }),
    );
    return { error };
  }
}

/** The reports store: the reports bucket under the reports prefix. */
function reportsStoreOf(deps: Pick<MonitorDeps, 's3' | 'config'>): S3Store {
  return new S3Store(deps.s3, `s3://${deps.config.reportsBucket}/${deps.config.reportsPrefix}`);
}

/**
 * Profiles one window's objects in this function, joins its predictions to the labels when the
 * run has a quality plan, and publishes its results. With `shouldStop`, a window stopped between
 * objects is published as incomplete (no quality: its labels are not read).
 */
export async function monitorWindow(
  deps: MonitorDeps,
  run: MonitorRun,
  windowStart: Date,
  selection: WindowSelection,
  shouldStop?: () => boolean,
): Promise<WindowOutcome> {
  const { config } = deps;
  const started = deps.now();
  const windowEnd = new Date(windowStart.getTime() + HOUR_MS);
  const window = { start: windowStart.toISOString(), end: windowEnd.toISOString() };
  const quality = run.quality ? startWindowQuality(run.quality) : null;
  const result = await runWindow(
    {
      baseline: run.baseline,
      baselinePath: run.baselinePath,
      capture: captureStore(deps),
      ...window,
      datasetDriftShare: config.datasetDriftShare,
      featureThresholds: config.featureThresholds,
      now: started,
      ...(quality ? { onRow: quality.onRow } : {}),
      ...(shouldStop ? { shouldStop } : {}),
    },
    selection,
  );
  if (result.objectsRead < result.objects.length) {
    const margin = (deps.safetyMarginMs ?? DEFAULT_SAFETY_MARGIN_MS) / 1000;
    markIncomplete(result.report, {
      objectsRead: result.objectsRead,
      objectsTotal: result.objects.length,
      reason: `the function's remaining time fell below its ${margin} s safety margin`,
    });
  } else if (quality) {
    // Evaluated at the report's time, so both files of the window carry one run timestamp.
    const q = await quality.evaluate(window, started);
    result.report.quality = q.quality;
    result.modelQuality = { statistics: q.statistics, violations: q.violations };
  }
  return publishWindow(deps, run, windowStart, result, { objects: result.objectsRead, started });
}

/** Marks a report as covering part of its window only, with a warning the page shows. */
function markIncomplete(report: Report, incomplete: IncompleteWindow): void {
  report.complete = false;
  report.incomplete = incomplete;
  report.warnings.push(
    `Incomplete window: ${incomplete.objectsRead} of ${incomplete.objectsTotal} capture objects were read (${incomplete.reason}); the numbers cover those only, no metrics or summary were published for it, and re-running the window replaces this report.`,
  );
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

/**
 * Everything after profiling, the same for a window profiled here and one profiled in parts:
 * records the serving model, writes the report files, publishes the metrics, sends the summary
 * and logs one line.
 */
export async function publishWindow(
  deps: MonitorDeps,
  run: MonitorRun,
  windowStart: Date,
  result: WindowResult,
  info: WindowRunInfo,
): Promise<WindowOutcome> {
  const { config } = deps;
  const { started } = info;
  const windowEnd = new Date(windowStart.getTime() + HOUR_MS);
  const { report } = result;
  const incomplete = report.incomplete;
  if (config.groundTruthUri && info.fanOut && report.quality === null)
    report.warnings.push(
      'Model quality is not computed for a window profiled in parts (fan-out): its predictions are not collected. Backfill the window with the monitor function to compute it.',
    );

  const reports = reportsStoreOf(deps);
  const folder = reportFolder(config.endpoint, config.scheduleName, windowStart);
  const reportLocation = `${reports.location}${folder}`;
  if (run.servingModels) {
    const previous = () =>
      previousModel(
        reports,
        reportFolder(config.endpoint, config.scheduleName, new Date(windowStart.getTime() - HOUR_MS)),
      );
    applyWindowModel(
      report,
      await servedModel(run.servingModels, config.endpoint, { start: windowStart, end: windowEnd }, previous),
    );
  }
  await writeReportFiles(
    reports,
    folder,
    result,
    `driftwatch report: ${config.endpoint} ${hourLabel(windowStart)}`,
  );

  const finished = deps.now().getTime();
  const runSeconds = (finished - started.getTime()) / 1000;
  const ownSeconds = (finished - (info.functionStarted ?? started).getTime()) / 1000;
  const gbSeconds = (deps.memoryMb / 1024) * ownSeconds + (info.workerGbSeconds ?? 0);
  const costUsd = gbSeconds * (config.pricePerGbSecond ?? DEFAULT_PRICE_PER_GB_SECOND);
  let metricRequests = 0;
  const tooOld = started.getTime() - windowStart.getTime() > METRICS_MAX_AGE_MS;
  if (incomplete) {
    // Partial numbers would read as a real drop or drift: only the marker the alarm watches.
    metricRequests += await publishMetrics(
      deps.cloudwatch,
      config.dataMetricsNamespace,
      incompleteWindowMetrics(config, new Date(finished)),
    );
  } else if (!tooOld) {
    const metrics = metricsForReport(report, {
      endpoint: config.endpoint,
      scheduleName: config.scheduleName,
      windowStart,
      runSeconds,
      costUsd,
    });
    metricRequests += await publishMetrics(deps.cloudwatch, config.dataMetricsNamespace, metrics.data);
    if (metrics.model.length)
      metricRequests += await publishMetrics(deps.cloudwatch, config.modelMetricsNamespace, metrics.model);
  }

  const summary = incomplete
    ? 'incomplete'
    : await sendWindowSummary(
        {
          sns: deps.sns,
          topicArn: config.topicArn,
          claim: (body) =>
            claimObject(
              deps.s3,
              reports.bucket,
              `${reports.prefix}${folder}${SUMMARY_MARKER}`,
              body,
              summaryMarkerFailed,
            ),
          mark: async (body) => {
            await deps.s3.send(
              new PutObjectCommand({
                Bucket: reports.bucket,
                Key: `${reports.prefix}${folder}${SUMMARY_MARKER}`,
                Body: body,
                ContentType: 'application/json',
              }),
            );
          },
        },
        report,
        {
          endpoint: config.endpoint,
          scheduleName: config.scheduleName,
          windowStart,
          windowEnd,
          reportLocation,
        },
      );

  const outcome: WindowOutcome = {
    start: windowStart.toISOString(),
    end: windowEnd.toISOString(),
    objects: info.objects,
    records: {
      total: report.records.total,
      profiled: report.records.profiled,
      rejected: report.records.rejected,
    },
    driftedFeatures: report.datasetDrift.driftedFeatures,
    violations: report.violations.length,
    reportLocation,
    metricRequests,
    summary,
    seconds: runSeconds,
    ...(report.model !== undefined ? { endpointConfig: report.model?.endpointConfigName ?? null } : {}),
    ...(info.fanOut ? { fanOut: info.fanOut } : {}),
    ...(incomplete ? { incomplete } : {}),
    ...(report.quality ? { labelsMatched: report.quality.matched } : {}),
  };
  // Counts and locations only: never a captured value.
  (deps.log ?? console.log)(
    JSON.stringify({
      level: incomplete ? 'warn' : 'info',
      message: incomplete
        ? 'window incomplete: stopped before the deadline; no metrics but windows_incomplete, no summary'
        : 'window monitored',
      endpoint: config.endpoint,
      schedule: config.scheduleName,
      window: { start: outcome.start, end: outcome.end },
      objects: outcome.objects,
      records: outcome.records,
      driftedFeatures: outcome.driftedFeatures,
      violations: outcome.violations,
      durationSeconds: runSeconds,
      metricRequests,
      ...(tooOld && !incomplete
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
      summary,
      ...(report.model !== undefined
        ? {
            model: {
              endpointConfig: outcome.endpointConfig,
              changedDuringWindow: report.modelChangedDuringWindow ?? null,
            },
          }
        : {}),
      ...(info.fanOut ? { fanOut: info.fanOut } : {}),
      report: reportLocation,
    }),
  );
  return outcome;
}

/**
 * The model fields of a window. Reading SageMaker is not worth failing a window over: when it
 * fails, the report says so and records no model.
 */
async function servedModel(
  cache: ServingModelCache,
  endpoint: string,
  window: { start: Date; end: Date },
  previous: () => Promise<ServingModel | null | undefined>,
): Promise<WindowModel> {
  let serving: ServingModel;
  try {
    serving = await cache.get(endpoint);
  } catch (e) {
    return {
      model: null,
      note: `the serving model could not be read from SageMaker, so none is recorded: ${(e as Error).message}`,
    };
  }
  const updated = serving.lastModifiedTime === null ? null : Date.parse(serving.lastModifiedTime);
  // The previous window's report is read only when the endpoint changed inside this window.
  const inside = updated !== null && updated > window.start.getTime() && updated < window.end.getTime();
  return windowModel(serving, window, inside ? await previous() : undefined);
}

/** The `model` of the report in `folder`; undefined when there is no such report or it has none. */
async function previousModel(reports: S3Store, folder: string): Promise<ServingModel | null | undefined> {
  const text = await reports.getText(`${folder}report.json`);
  if (text === null) return undefined;
  try {
    return (JSON.parse(text) as Partial<Report>).model;
  } catch {
    return undefined;
  }
}
