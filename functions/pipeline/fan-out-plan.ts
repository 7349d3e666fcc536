/**
 * The Plan step of the fan-out (./fan-out.ts), run by the monitor function: monitors the windows
 * within the thresholds right there, and writes the manifest of the others.
 */
import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import type { ObjectStore } from '../stores/object-store.ts';
import {
  checkRunId,
  FanOutEventError,
  type FanOutPlan,
  type FanOutRequest,
  type FanOutWindow,
  type ManifestItem,
  type PlanResult,
  runFolder,
} from './fan-out-contract.ts';
import { planWindowQuality, type WindowQualityPlan, writeSkippedLabelFiles } from './fan-out-quality.ts';
import { refreshIndex } from './index-refresh.ts';
import { logger } from './log.ts';
import { type MonitorDeps, reportsStore } from './monitor-deps.ts';
import { windowsOfEvent } from './monitor-event.ts';
import { type MonitorRun, startRun } from './monitor-start.ts';
import { listWindow, monitorWindow } from './monitor-window.ts';
import { warnUnfitLimits } from './profile-limits.ts';
import type { WindowSelection } from './run-window.ts';

/** Whether a window is past the thresholds and is profiled in parts. */
export function exceedsFanOut(
  selection: WindowSelection,
  thresholds: NonNullable<MonitorRuntimeConfig['fanOut']>,
): boolean {
  const bytes = selection.objects.reduce((s, o) => s + o.size, 0);
  return selection.objects.length > thresholds.maxObjects || bytes > thresholds.maxBytes;
}

/**
 * A window's quality plan when the run monitors quality: its join partitions and label files
 * (the skipped ones written for the reducer's notes).
 */
async function planQuality(
  deps: MonitorDeps,
  run: MonitorRun,
  runId: string,
  windowStart: Date,
  bytes: number,
  reports: ObjectStore,
): Promise<{ quality: WindowQualityPlan; labels: string[] } | null> {
  if (run.quality === null) return null;
  const planned = await planWindowQuality(
    run.quality,
    windowStart,
    bytes,
    deps.config.fanOut?.joinPartitionBytes,
  );
  await writeSkippedLabelFiles(reports, deps.config, runId, windowStart, planned.labelSkipped);
  return { quality: planned.quality, labels: planned.labelKeys };
}

/**
 * The Plan step: monitors the windows within the thresholds, and writes the manifest of the
 * others. Windows are taken in order; a failure fails the step (the state machine retries it).
 */
export async function planMonitor(deps: MonitorDeps, request: FanOutRequest): Promise<PlanResult> {
  const { config } = deps;
  const thresholds = config.fanOut;
  if (!thresholds)
    throw new FanOutEventError(
      `MONITOR_CONFIG of ${config.endpoint} has no fanOut, yet the fan-out state machine invoked it; redeploy the stack`,
    );
  const runId = checkRunId(request.fanOut.runId);
  const plannedAt = deps.now();
  const windows = windowsOfEvent(request.event, config, plannedAt);
  const run = await startRun(deps);
  warnUnfitLimits(deps, run.baseline);
  const items: ManifestItem[] = [];
  const planned: FanOutWindow[] = [];
  const joins: FanOutPlan['joins'] = [];
  const reports = reportsStore(deps);
  let monitored = 0;
  for (const start of windows) {
    const windowStart = new Date(start);
    const selection = await listWindow(deps, windowStart);
    if (!exceedsFanOut(selection, thresholds)) {
      await monitorWindow(deps, run, windowStart, selection);
      monitored++;
      continue;
    }
    const window = windowStart.toISOString();
    const bytes = selection.objects.reduce((s, o) => s + o.size, 0);
    const quality = await planQuality(deps, run, runId, windowStart, bytes, reports);
    const partitions = quality?.quality.partitions;
    selection.objects.forEach((o, index) => {
      items.push({ window, index, key: o.key, size: o.size, ...(partitions ? { partitions } : {}) });
    });
    // The window's label files are items too: each is read once, by one worker.
    quality?.labels.forEach((key, index) => {
      items.push({ window, index, key, size: 0, labels: true, partitions });
    });
    for (let partition = 0; partition < (partitions ?? 0); partition++)
      joins.push({ runId, window, partition, partitions: partitions! });
    const { skippedFiles } = selection;
    planned.push({
      start: window,
      objects: selection.objects.length,
      bytes,
      skipped: skippedFiles.length ? { count: skippedFiles.length, first: skippedFiles[0]! } : null,
      quality: quality?.quality ?? null,
    });
  }
  // The reducer refreshes the index again after each window it publishes.
  if (monitored > 0) await refreshIndex(deps);
  if (planned.length === 0)
    return {
      endpoint: config.endpoint,
      scheduleName: config.scheduleName,
      windowsMonitored: monitored,
      fanOut: null,
    };
  const manifest = `${runFolder(config, runId)}manifest.json`;
  await reports.putText(manifest, JSON.stringify(items), 'application/json');
  logger(deps.log).info('windows handed to fan-out', {
    endpoint: config.endpoint,
    schedule: config.scheduleName,
    runId,
    windows: planned.map((w) => ({ start: w.start, objects: w.objects, bytes: w.bytes })),
    manifest: `${reports.location}${manifest}`,
  });
  return {
    endpoint: config.endpoint,
    scheduleName: config.scheduleName,
    windowsMonitored: monitored,
    fanOut: {
      runId,
      bucket: reports.bucket,
      manifestKey: `${reports.prefix}${manifest}`,
      plannedAt: plannedAt.toISOString(),
      windows: planned,
      joins,
    },
  };
}
