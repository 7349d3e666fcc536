/**
 * Fan-out: a window too large for one function is profiled in parts by the Step Functions state
 * machine (infra/constructs/fan-out.ts), and its parts merged into the report the monitor
 * function would have written.
 *
 * 1. Plan (the monitor function, asked by the state machine): lists each window of the event.
 *    Windows within the thresholds are monitored right there; for the others it writes one
 *    manifest, a JSON array of the capture objects (`ManifestItem`, in key order, numbered per
 *    window), and returns where it is.
 * 2. Profile (one worker invocation per batch of manifest items, a Distributed Map with an
 *    ItemBatcher): each contiguous run of a window's items is profiled with the window's own
 *    profiler settings and written as a partial profile, named by its first item's number.
 * 3. Reduce (once per planned window): reads the window's partials, checks they cover every
 *    object exactly once, merges them in item order (WindowProfile.merge), evaluates and
 *    publishes exactly as the monitor function does for a window it profiles itself, and
 *    refreshes the endpoint's index.html. Model quality is not computed for such a window (the
 *    workers keep profiles, not predictions); its report says so, and a backfill by the
 *    monitor function computes it.
 *
 * Why a manifest rather than an ItemReader listing the hour's prefix: a window reads several
 * prefixes (every variant, and the next hour's folder for late files) and only some keys in
 * them (capture files whose hour overlaps the window); the plan lists them anyway to decide
 * whether to fan out, and the reducer needs the count to know every part is in.
 *
 * Layout, under the reports bucket and prefix: `fan-out/ENDPOINT/SCHEDULE/RUN/manifest.json` and
 * `.../RUN/partials/yyyy/mm/dd/hh/part-NNNNNNN.json`, RUN being the execution's name.
 */

import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import { HOUR_MS } from '../contracts/time.ts';
import { type Baseline, captureSchema } from '../engine/drift/baseline.ts';
import { WindowProfile, type WindowProfileJson } from '../engine/profile/window-profile.ts';
import { WindowProfiler } from '../engine/profile/window-profiler.ts';
import { hourPath } from '../sinks/report-writer.ts';
import { loadBaseline } from '../sources/baseline-store.ts';
import { profileObjects } from '../sources/profile-capture.ts';
import type { StoredObject } from '../stores/object-store.ts';
import { S3Store } from '../stores/s3-store.ts';
import {
  captureStore,
  listWindow,
  type MonitorDeps,
  monitorWindow,
  publishWindow,
  refreshIndex,
  startRun,
  type WindowOutcome,
  windowsOfEvent,
} from './monitor-run.ts';
import { evaluateWindow, type WindowSelection, windowProfilerOptions } from './run-window.ts';

/** What the state machine's Plan step sends the monitor function. */
export interface FanOutRequest {
  fanOut: { runId: string };
  /** The event the state machine was started with (a scheduled event, `{}`, or a backfill). */
  event: unknown;
}

/** One capture object of a planned window: what the Distributed Map iterates over. */
export interface ManifestItem {
  /** The window's start, ISO-8601. */
  window: string;
  /** The object's place among the window's objects, from 0, in key order. */
  index: number;
  /** The key under the capture URI. */
  key: string;
  size: number;
}

/** A window handed to the state machine. */
export interface FanOutWindow {
  start: string;
  objects: number;
  bytes: number;
  /** Files in the window's folders that are not capture: how many, and the first. */
  skipped: { count: number; first: string } | null;
}

/** Where the plan left the work: the state machine's input to the Map and Reduce steps. */
export interface FanOutPlan {
  runId: string;
  bucket: string;
  /** Full key of the manifest in `bucket`. */
  manifestKey: string;
  /** When planning started: the windows' run duration is measured from here. */
  plannedAt: string;
  windows: FanOutWindow[];
}

/** What the Plan step returns; kept small (state machine payloads stop at 256 KB). */
export interface PlanResult {
  endpoint: string;
  scheduleName: string;
  /** Windows small enough to be monitored by the plan step itself, done already. */
  windowsMonitored: number;
  /** `null` when no window needed fanning out: the execution ends there. */
  fanOut: FanOutPlan | null;
}

/** The event of one profile worker: an ItemBatcher batch. */
export interface ProfileBatchEvent {
  Items: ManifestItem[];
  BatchInput: { runId: string };
}

/** One worker's profile of a contiguous run of a window's objects. */
export interface PartialProfile {
  format: 'driftwatch-partial-profile';
  version: 1;
  window: string;
  /** Index of the first object profiled. */
  first: number;
  objects: number;
  bytes: number;
  /** Seconds and memory the worker spent on it, for the window's cost metric. */
  seconds: number;
  memoryMb: number;
  profile: WindowProfileJson;
}

/** The event of one Reduce step. */
export interface ReduceWindowEvent {
  runId: string;
  plannedAt: string;
  window: FanOutWindow;
}

/** An event a fan-out step cannot act on; the message says what it takes. */
export class FanOutEventError extends Error {}

/** True for the Plan step's event (as opposed to a schedule or a hand invocation). */
export function isFanOutRequest(event: unknown): event is FanOutRequest {
  return (
    typeof event === 'object' &&
    event !== null &&
    'fanOut' in event &&
    'event' in event &&
    typeof (event as { fanOut: unknown }).fanOut === 'object'
  );
}

/** Whether a window is past the thresholds and is profiled in parts. */
export function exceedsFanOut(
  selection: WindowSelection,
  thresholds: NonNullable<MonitorRuntimeConfig['fanOut']>,
): boolean {
  const bytes = selection.objects.reduce((s, o) => s + o.size, 0);
  return selection.objects.length > thresholds.maxObjects || bytes > thresholds.maxBytes;
}

/** The reports store (bucket and reports prefix), where the fan-out folder lives too. */
function reportsStore(deps: Pick<MonitorDeps, 's3' | 'config'>): S3Store {
  return new S3Store(deps.s3, `s3://${deps.config.reportsBucket}/${deps.config.reportsPrefix}`);
}

/** Execution names are used in keys: letters, digits, `-` and `_` only (Scheduler's are UUIDs). */
function checkRunId(runId: unknown): string {
  if (typeof runId !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(runId))
    throw new FanOutEventError(
      `the run id must be 1 to 80 letters, digits, "-" or "_" (the execution name); got ${JSON.stringify(runId)}`,
    );
  return runId;
}

/** `fan-out/ENDPOINT/SCHEDULE/RUN/` under the reports prefix. */
export function runFolder(config: MonitorRuntimeConfig, runId: string): string {
  return `fan-out/${config.endpoint}/${config.scheduleName}/${runId}/`;
}

/** The folder of a window's partial profiles. */
export function partialsFolder(config: MonitorRuntimeConfig, runId: string, windowStart: Date): string {
  return `${runFolder(config, runId)}partials/${hourPath(windowStart)}`;
}

/** A partial's key: numbered by its first object, zero-padded, so key order is item order. */
export function partialKey(
  config: MonitorRuntimeConfig,
  runId: string,
  windowStart: Date,
  first: number,
): string {
  return `${partialsFolder(config, runId, windowStart)}part-${String(first).padStart(7, '0')}.json`;
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
  const items: ManifestItem[] = [];
  const planned: FanOutWindow[] = [];
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
    selection.objects.forEach((o, index) => {
      items.push({ window, index, key: o.key, size: o.size });
    });
    const { skippedFiles } = selection;
    planned.push({
      start: window,
      objects: selection.objects.length,
      bytes: selection.objects.reduce((s, o) => s + o.size, 0),
      skipped: skippedFiles.length ? { count: skippedFiles.length, first: skippedFiles[0]! } : null,
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
  const reports = reportsStore(deps);
  const manifest = `${runFolder(config, runId)}manifest.json`;
  await reports.putText(manifest, JSON.stringify(items), 'application/json');
  (deps.log ?? console.log)(
    JSON.stringify({
      level: 'info',
      message: 'windows handed to fan-out',
      endpoint: config.endpoint,
      schedule: config.scheduleName,
      runId,
      windows: planned.map((w) => ({ start: w.start, objects: w.objects, bytes: w.bytes })),
      manifest: `${reports.location}${manifest}`,
    }),
  );
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
    },
  };
}

/** What a profile worker needs. */
export type WorkerDeps = Pick<MonitorDeps, 'config' | 's3' | 'now' | 'memoryMb' | 'log'>;

function checkItems(event: unknown): { items: ManifestItem[]; runId: string } {
  const e = event as Partial<ProfileBatchEvent> | null;
  const items = e?.Items;
  if (!Array.isArray(items) || items.length === 0)
    throw new FanOutEventError(
      'the event must be an ItemBatcher batch: {"Items": [manifest items], "BatchInput"}',
    );
  for (const item of items) {
    const i = item as Partial<ManifestItem> | null;
    if (
      typeof i?.key !== 'string' ||
      typeof i.window !== 'string' ||
      Number.isNaN(Date.parse(i.window)) ||
      !Number.isInteger(i.index) ||
      typeof i.size !== 'number'
    )
      throw new FanOutEventError(
        `a batch item must be {"window", "index", "key", "size"} as the plan writes it; got ${JSON.stringify(item)}`,
      );
  }
  return { items, runId: checkRunId(e?.BatchInput?.runId) };
}

/**
 * Groups a batch's items into contiguous runs of one window each (a batch may span two windows,
 * and the Map keeps the manifest's order, but nothing is assumed).
 */
function contiguousRuns(items: readonly ManifestItem[]): ManifestItem[][] {
  const sorted = [...items].sort((a, b) =>
    a.window !== b.window ? (a.window < b.window ? -1 : 1) : a.index - b.index,
  );
  const runs: ManifestItem[][] = [];
  for (const item of sorted) {
    const last = runs.at(-1)?.at(-1);
    if (last && last.window === item.window && last.index + 1 === item.index) runs.at(-1)!.push(item);
    else runs.push([item]);
  }
  return runs;
}

/**
 * A profile worker: profiles each contiguous run of the batch with the window's own settings
 * and writes it as a partial. Writing the same part again (a retried batch) writes the same bytes.
 */
export async function profileBatch(
  deps: WorkerDeps,
  event: unknown,
): Promise<{ parts: number; objects: number }> {
  const { items, runId } = checkItems(event);
  const { config } = deps;
  const baseline = await loadBaseline(new S3Store(deps.s3, config.baselineUri));
  const capture = captureStore(deps);
  const reports = reportsStore(deps);
  const runs = contiguousRuns(items);
  for (const run of runs) {
    const started = deps.now();
    const windowStart = new Date(run[0]!.window);
    const profiler = new WindowProfiler(captureSchema(baseline), windowOptions(windowStart));
    const objects: StoredObject[] = run.map((i) => ({ key: i.key, size: i.size }));
    const profile = await profileObjects(capture, objects, profiler);
    const partial: PartialProfile = {
      format: 'driftwatch-partial-profile',
      version: 1,
      window: windowStart.toISOString(),
      first: run[0]!.index,
      objects: run.length,
      bytes: objects.reduce((s, o) => s + o.size, 0),
      seconds: (deps.now().getTime() - started.getTime()) / 1000,
      memoryMb: deps.memoryMb,
      profile: profile.toJSON(),
    };
    await reports.putText(
      partialKey(config, runId, windowStart, partial.first),
      JSON.stringify(partial),
      'application/json',
    );
  }
  return { parts: runs.length, objects: items.length };
}

/** The profiler settings of the hour starting at `windowStart` (the monitor's: default limits). */
function windowOptions(windowStart: Date) {
  return windowProfilerOptions({
    start: windowStart.toISOString(),
    end: new Date(windowStart.getTime() + HOUR_MS).toISOString(),
  });
}

function checkReduceEvent(event: unknown): ReduceWindowEvent {
  const e = event as Partial<ReduceWindowEvent> | null;
  const w = e?.window;
  if (
    typeof e?.plannedAt !== 'string' ||
    Number.isNaN(Date.parse(e.plannedAt)) ||
    typeof w?.start !== 'string' ||
    Number.isNaN(Date.parse(w.start)) ||
    !Number.isInteger(w.objects) ||
    w.objects < 1
  )
    throw new FanOutEventError(
      `the event must be {"runId", "plannedAt", "window": {"start", "objects", "bytes", "skipped"}} as the plan returns it; got ${JSON.stringify(event)}`,
    );
  return { runId: checkRunId(e.runId), plannedAt: e.plannedAt, window: w };
}

/** Partials read ahead of the merge: S3 round trips overlap, memory holds a few parts only. */
const READ_AHEAD = 4;

/**
 * Reads a window's partials in item order and merges them into one profile. Every object must
 * be covered exactly once: a missing or overlapping part is an error naming it.
 */
export async function mergePartials(
  deps: Pick<MonitorDeps, 's3' | 'config'>,
  baseline: Baseline,
  event: ReduceWindowEvent,
): Promise<{ profile: WindowProfile; parts: Omit<PartialProfile, 'profile'>[] }> {
  const { config } = deps;
  const windowStart = new Date(event.window.start);
  const reports = reportsStore(deps);
  const folder = partialsFolder(config, event.runId, windowStart);
  const keys: string[] = [];
  for await (const o of reports.list(folder)) if (/\/part-\d+\.json$/.test(o.key)) keys.push(o.key);
  keys.sort();
  const where = `${reports.location}${folder}`;
  if (keys.length === 0)
    throw new Error(`${where}: no partial profiles; the profile workers wrote none (see the Map run)`);

  // The empty profile a whole-window run starts from, so the merge ends where that run would.
  const merged = new WindowProfiler(captureSchema(baseline), windowOptions(windowStart)).profile;
  const parts: Omit<PartialProfile, 'profile'>[] = [];
  const read = (key: string) =>
    reports.getText(key).then((text) => {
      if (text === null) throw new Error(`${reports.location}${key}: disappeared while being read`);
      const p = JSON.parse(text) as PartialProfile;
      if (p.format !== 'driftwatch-partial-profile' || p.window !== windowStart.toISOString())
        throw new Error(
          `${reports.location}${key}: not a partial profile of the window ${event.window.start}`,
        );
      return p;
    });
  const pending = keys.slice(0, READ_AHEAD).map(read);
  let next = 0;
  for (let i = 0; i < keys.length; i++) {
    const part = await pending[i]!;
    if (i + READ_AHEAD < keys.length) pending.push(read(keys[i + READ_AHEAD]!));
    if (part.first !== next)
      throw new Error(
        `${where}: the partials ${part.first < next ? 'overlap' : 'leave a gap'} at object ${Math.min(part.first, next)} (part ${keys[i]}); re-run the window`,
      );
    merged.merge(WindowProfile.fromJSON(part.profile));
    next = part.first + part.objects;
    const { profile: _, ...summary } = part;
    parts.push(summary);
  }
  if (next !== event.window.objects)
    throw new Error(
      `${where}: the partials cover ${next} of the window's ${event.window.objects} objects; a profile worker did not finish: re-run the window`,
    );
  return { profile: merged, parts };
}

/**
 * The Reduce step: merges a window's partials, evaluates the merged profile and publishes it as
 * the monitor function publishes a window it profiled itself (report files, metrics, summary).
 */
export async function reduceWindow(deps: MonitorDeps, event: unknown): Promise<WindowOutcome> {
  const e = checkReduceEvent(event);
  const { config } = deps;
  const reduceStarted = deps.now();
  const run = await startRun(deps);
  const { profile, parts } = await mergePartials(deps, run.baseline, e);
  const result = evaluateWindow(run.baseline, profile, {
    baselinePath: run.baselinePath,
    now: reduceStarted,
    datasetDriftShare: config.datasetDriftShare,
    featureThresholds: config.featureThresholds,
    ...(e.window.skipped ? { skipped: e.window.skipped } : {}),
  });
  const outcome = await publishWindow(deps, run, new Date(e.window.start), result, {
    objects: e.window.objects,
    started: new Date(e.plannedAt),
    functionStarted: reduceStarted,
    workerGbSeconds: parts.reduce((s, p) => s + (p.memoryMb / 1024) * p.seconds, 0),
    fanOut: { runId: e.runId, parts: parts.length },
  });
  await refreshIndex(deps);
  return outcome;
}
