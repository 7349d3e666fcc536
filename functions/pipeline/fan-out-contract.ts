/**
 * What the steps of the fan-out state machine hand each other (./fan-out.ts tells the flow): the
 * events, the manifest and partial-profile files and where they are kept, and the profiler
 * settings every part of a window is profiled with.
 */
import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import { fanOutFolder, hourPath } from '../contracts/report-layout.ts';
import { HOUR_MS } from '../contracts/time.ts';
import type { RecordSampleJson } from '../engine/attribution/record-sampler.ts';
import type { MultivariateScoreJson } from '../engine/multivariate/multivariate-score.ts';
import type { WindowProfileJson } from '../engine/profile/window-profile.ts';
import type { PartSummary } from '../engine/quality/prediction-part.ts';
import type { JoinPartitionEvent, WindowQualityPlan } from './fan-out-quality.ts';
import type { WindowLimits } from './profile-limits.ts';
import { windowProfilerOptions } from './run-window.ts';

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
  /** The key under the capture URI; for a label item, under the endpoint's ground-truth location. */
  key: string;
  size: number;
  /** Set on a label item: one label file of the window, `index` its place among them. */
  labels?: true;
  /** The window's join partitions, when its quality is monitored (fan-out-quality.ts). */
  partitions?: number;
}

/** A window handed to the state machine. */
export interface FanOutWindow {
  start: string;
  objects: number;
  bytes: number;
  /** Files in the window's folders that are not capture: how many, and the first. */
  skipped: { count: number; first: string } | null;
  /** How the window's model quality is joined; `null` when the endpoint has no ground truth. */
  quality: WindowQualityPlan | null;
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
  /** The Join step's work: one (window, partition) each; empty without quality. */
  joins: JoinPartitionEvent['join'][];
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
  /** What the part counted for model quality besides its predictions; `null` without quality. */
  quality: PartSummary | null;
  /**
   * The part's multivariate score against the baseline's model; `null` without a model (absent
   * in parts written before the multivariate check existed).
   */
  multivariate?: MultivariateScoreJson | null;
  /**
   * The rows the part kept for feature attribution (its smallest seeded hashes); `null` when the
   * endpoint's windows are not explained (absent in parts written before attribution existed).
   */
  attribution?: RecordSampleJson | null;
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

/** Execution names are used in keys: letters, digits, `-` and `_` only (Scheduler's are UUIDs). */
export function checkRunId(runId: unknown): string {
  if (typeof runId !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(runId))
    throw new FanOutEventError(
      `the run id must be 1 to 80 letters, digits, "-" or "_" (the execution name); got ${JSON.stringify(runId)}`,
    );
  return runId;
}

/** `fan-out/ENDPOINT/SCHEDULE/RUN/` under the reports prefix. */
export function runFolder(config: MonitorRuntimeConfig, runId: string): string {
  return `${fanOutFolder(config.endpoint, config.scheduleName)}${runId}/`;
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
 * The profiler settings of the hour starting at `windowStart`, bounded by `limits` (the run's
 * configuredLimits in profile-limits.ts, as the monitor function profiles a whole window).
 */
export function windowOptions(windowStart: Date, limits: WindowLimits) {
  return windowProfilerOptions({
    start: windowStart.toISOString(),
    end: new Date(windowStart.getTime() + HOUR_MS).toISOString(),
    ...limits,
  });
}
