/**
 * What the monitor Lambda does for its endpoint: profile one window (the last complete hour on
 * schedule, or each hour of a backfill: ./monitor-event.ts) from S3, join its predictions to the
 * ground truth when the endpoint has labels, record what served it (SageMaker, read once per
 * run), write the report files, publish the metrics, send a summary when the window has
 * violations (./publish-window.ts, shared with the fan-out reducer), and after the run rebuild
 * the endpoint's index.html. Clients and the clocks come in as parameters (./monitor-deps.ts).
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
import { HOUR_MS } from '../contracts/time.ts';
import { incompleteWindowMetrics, publishMetrics } from '../sinks/cloudwatch-metrics.ts';
import { type IndexRefresh, refreshIndex } from './index-refresh.ts';
import { logger } from './log.ts';
import { DEFAULT_SAFETY_MARGIN_MS, type MonitorDeps } from './monitor-deps.ts';
import { type BackfillEvent, windowsOfEvent } from './monitor-event.ts';
import { startRun } from './monitor-start.ts';
import { listWindow, monitorWindow } from './monitor-window.ts';
import { warnUnfitLimits } from './profile-limits.ts';
import type { WindowOutcome } from './publish-window.ts';

// The monitor's names, for the handlers, the fan-out steps and the tests, from where they live.
export { refreshIndex } from './index-refresh.ts';
export {
  captureStore,
  DEFAULT_PRICE_PER_GB_SECOND,
  DEFAULT_SAFETY_MARGIN_MS,
  type MonitorDeps,
} from './monitor-deps.ts';
export {
  type BackfillEvent,
  MAX_BACKFILL_HOURS,
  MonitorEventError,
  windowsOfEvent,
} from './monitor-event.ts';
export { groundTruthUriOf, type MonitorRun, startRun } from './monitor-start.ts';
export { listWindow, monitorWindow } from './monitor-window.ts';
export { publishWindow, type WindowOutcome, type WindowRunInfo } from './publish-window.ts';

/** What one invocation of the monitor came to, window by window. */
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
  index?: IndexRefresh;
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

/**
 * Runs the windows an event asks for, one after another. A listing or read that fails fails the
 * window before anything of it is published, and the invocation with it. Every window is
 * profiled here, also past the fan-out thresholds: only the state machine fans out.
 */
export async function runMonitor(deps: MonitorDeps, event: unknown): Promise<MonitorResult> {
  const { config } = deps;
  const windows = windowsOfEvent(event, config, deps.now());
  const run = await startRun(deps);
  warnUnfitLimits(deps, run.baseline);
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
  if (left.length > 0) result.hoursLeft = await stopEarly(deps, left, outcomes);
  else result.index = await refreshIndex(deps);
  return result;
}

/**
 * A run stopped near its deadline with `left` hours to do: publishes the marker the alarm
 * watches (unless the window it stopped inside did), logs the resend event and returns it.
 */
async function stopEarly(
  deps: MonitorDeps,
  left: readonly number[],
  outcomes: readonly WindowOutcome[],
): Promise<NonNullable<MonitorResult['hoursLeft']>> {
  const { config } = deps;
  const hours = left.map((ms) => new Date(ms).toISOString());
  const resend: BackfillEvent = {
    endpoint: config.endpoint,
    start: hours[0]!,
    end: new Date(left.at(-1)! + HOUR_MS).toISOString(),
  };
  // Stopped between windows: no partial window published the marker, so the run does.
  if (!outcomes.at(-1)?.incomplete)
    await publishMetrics(
      deps.cloudwatch,
      config.dataMetricsNamespace,
      incompleteWindowMetrics(config, deps.now()),
    );
  logger(deps.log).warn('run stopped before its deadline; resend the hours left', {
    endpoint: config.endpoint,
    schedule: config.scheduleName,
    hoursLeft: hours.length,
    resend,
    indexRefreshed: false,
  });
  return { hours, resend };
}
