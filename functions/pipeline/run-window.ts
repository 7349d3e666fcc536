/**
 * The monitoring flow for one window, shared by the CLI and the Lambda handlers: load the
 * baseline, select and profile the window's capture, compare, build the results. Storage comes
 * in as ObjectStores, so the same code runs on local folders, S3 and s3rver in tests.
 */
import type { RecordSampler, RecordSamplerSpec } from '../engine/attribution/record-sampler.ts';
import { type Baseline, captureSchema } from '../engine/drift/baseline.ts';
import type { MultivariateScore } from '../engine/multivariate/multivariate-score.ts';
import type { ProfileLimits } from '../engine/profile/feature-profile.ts';
import { DEFAULT_LIMITS } from '../engine/profile/feature-profile.ts';
import type { WindowProfile } from '../engine/profile/window-profile.ts';
import { WindowProfiler, type WindowProfilerOptions } from '../engine/profile/window-profiler.ts';
import type { PredictionPart, PredictionSpec } from '../engine/quality/prediction-part.ts';
import { applyMultivariate, buildWindowResult, type WindowResult } from '../engine/report/window-result.ts';
import { WindowRows } from '../engine/report/window-rows.ts';
import { type MultivariateBaseline, windowMultivariate } from '../sources/multivariate-store.ts';
import { profileInParallel } from '../sources/parallel-profile.ts';
import { profileObjects, selectCaptureObjects } from '../sources/profile-capture.ts';
import type { ObjectStore, StoredObject } from '../stores/object-store.ts';

/** What {@link runWindow} takes: the baseline, the capture and the window, and how to profile it. */
export interface RunWindowOptions {
  baseline: Baseline;
  baselinePath: string;
  capture: ObjectStore;
  /** Prefixes under the capture store to read (e.g. one per variant); default: the whole store. */
  capturePrefixes?: string[];
  start: string | null;
  end: string | null;
  limits?: Partial<ProfileLimits>;
  maxLineBytes?: number;
  maxColumns?: number;
  datasetDriftShare?: number;
  featureThresholds?: Record<string, number>;
  now: Date;
  /** Model quality: the predictions every part of the window collects (prediction-part.ts). */
  predictions?: PredictionSpec;
  /**
   * The baseline's multivariate model (or why it has none): every part of the window scores its
   * rows against it. @default - no multivariate section in the report
   */
  multivariate?: MultivariateBaseline;
  /**
   * Feature attribution: the rows every part keeps for explanation (record-sampler.ts), merged
   * into `attributionSample`. @default - no rows kept (and no cost)
   */
  attribution?: RecordSamplerSpec;
  /**
   * Worker threads to profile files on (CLI: one per core). Used when the window has several
   * files and at least PARALLEL_MIN_BYTES. @default 1
   */
  workers?: number;
  /** Called when the window is profiled on worker threads, as they start: the main thread only waits for them. */
  onParallel?: () => void;
  /** Least capture (bytes) profiled on workers. @default PARALLEL_MIN_BYTES */
  parallelMinBytes?: number;
  onProgress?: (p: { objects: number; objectsDone: number; bytes: number; bytesDone: number }) => void;
  /**
   * Asked between capture objects (profileObjects): when it says yes, the window is evaluated
   * on the objects read so far and `objectsRead` says how many. Only the in-thread path stops
   * early, so a window with `shouldStop` is never profiled on workers.
   * @default - never stop
   */
  shouldStop?: () => boolean;
}

/** Below this much capture, starting workers costs more than it saves. */
export const PARALLEL_MIN_BYTES = 128 * 1024 * 1024;

/** A window's results, and the capture objects it was built from. */
export interface RunWindowOutput extends WindowResult {
  /** The predictions collected, one part per thread (none without `predictions`). */
  predictionParts: PredictionPart[];
  objects: StoredObject[];
  skippedFiles: string[];
  /** Objects read: all of `objects` unless `shouldStop` stopped the window early. */
  objectsRead: number;
  /** The rows kept for feature attribution, all parts merged; `null` without `attribution`. */
  attributionSample: RecordSampler | null;
}

/** The capture objects of a window, and the files beside them that are not capture. */
export interface WindowSelection {
  objects: StoredObject[];
  skippedFiles: string[];
}

/** Lists the window's capture objects under each prefix, in prefix then key order. */
export async function selectWindowObjects(
  capture: ObjectStore,
  prefixes: readonly string[],
  start: string | null,
  end: string | null,
): Promise<WindowSelection> {
  const startMs = start ? Date.parse(start) : Number.NEGATIVE_INFINITY;
  const endMs = end ? Date.parse(end) : Number.POSITIVE_INFINITY;
  const objects: StoredObject[] = [];
  const skippedFiles: string[] = [];
  for (const prefix of prefixes) {
    const sel = await selectCaptureObjects(capture, startMs, endMs, prefix);
    objects.push(...sel.objects);
    skippedFiles.push(...sel.skipped);
  }
  return { objects, skippedFiles };
}

/**
 * The profiler settings of a window. Every part of a window (worker threads, fan-out workers)
 * must be profiled with the same settings for the parts to merge into the whole.
 */
export function windowProfilerOptions(
  o: Pick<RunWindowOptions, 'start' | 'end' | 'limits' | 'maxLineBytes' | 'maxColumns'>,
): Omit<WindowProfilerOptions, 'rows'> {
  return {
    window: { start: o.start, end: o.end },
    limits: { ...DEFAULT_LIMITS, ...(o.limits ?? {}) },
    maxLineBytes: o.maxLineBytes,
    maxColumns: o.maxColumns,
  };
}

/** What evaluating a window's profile takes besides the baseline and the profile. */
export interface EvaluateWindowOptions {
  baselinePath: string;
  now: Date;
  datasetDriftShare?: number;
  featureThresholds?: Record<string, number>;
  /** Files under the capture location that are not capture: how many, and the first. */
  skipped?: { count: number; first: string };
}

/** Compares a window's profile with the baseline: the report, statistics and violations. */
export function evaluateWindow(
  baseline: Baseline,
  window: WindowProfile,
  o: EvaluateWindowOptions,
): WindowResult {
  const result = buildWindowResult(baseline, window, {
    baselinePath: o.baselinePath,
    now: o.now,
    datasetDriftShare: o.datasetDriftShare,
    featureThresholds: o.featureThresholds,
  });
  if (o.skipped && o.skipped.count > 0)
    result.report.warnings.push(
      `${o.skipped.count} files under the capture location are not capture files (.jsonl) and were not read, e.g. ${o.skipped.first}`,
    );
  return result;
}

/**
 * Lists (unless `selection` is given), profiles and evaluates one window. `selection` lets a
 * caller that has listed the window already (to decide whether to fan out) not list it twice.
 */
export async function runWindow(o: RunWindowOptions, selection?: WindowSelection): Promise<RunWindowOutput> {
  const { objects, skippedFiles } =
    selection ?? (await selectWindowObjects(o.capture, o.capturePrefixes ?? [''], o.start, o.end));
  const profilerOptions = windowProfilerOptions(o);
  const totalBytes = objects.reduce((s, x) => s + x.size, 0);
  const workers = o.workers ?? 1;
  let window: WindowProfile;
  let predictionParts: PredictionPart[] = [];
  let multivariate: MultivariateScore | null = null;
  let attributionSample: RecordSampler | null = null;
  const model = o.multivariate?.model ?? null;
  let objectsRead = objects.length;
  if (
    workers > 1 &&
    !o.shouldStop &&
    objects.length > 1 &&
    totalBytes >= (o.parallelMinBytes ?? PARALLEL_MIN_BYTES)
  ) {
    const parallel = profileInParallel(
      o.baseline,
      o.capture.location,
      objects,
      {
        ...profilerOptions,
        predictions: o.predictions,
        multivariate: model,
        attribution: o.attribution ?? null,
      },
      workers,
      (bytesDone) =>
        o.onProgress?.({ objects: objects.length, objectsDone: 0, bytes: totalBytes, bytesDone }),
    );
    o.onParallel?.();
    ({ window, predictionParts, multivariate, attribution: attributionSample } = await parallel);
  } else {
    const rows = new WindowRows({
      predictions: o.predictions,
      multivariate: model,
      attribution: o.attribution ?? null,
    });
    const profiler = new WindowProfiler(captureSchema(o.baseline), { ...profilerOptions, rows: rows.sink });
    objectsRead = 0;
    window = await profileObjects(
      o.capture,
      objects,
      profiler,
      (done, bytes) => {
        objectsRead = done;
        o.onProgress?.({ objects: objects.length, objectsDone: done, bytes: totalBytes, bytesDone: bytes });
      },
      o.shouldStop,
    );
    const part = rows.predictions();
    if (part !== null) predictionParts = [part];
    multivariate = rows.multivariate();
    attributionSample = rows.attributionSample();
  }
  const result = evaluateWindow(o.baseline, window, {
    baselinePath: o.baselinePath,
    now: o.now,
    datasetDriftShare: o.datasetDriftShare,
    featureThresholds: o.featureThresholds,
    ...(skippedFiles.length ? { skipped: { count: skippedFiles.length, first: skippedFiles[0]! } } : {}),
  });
  if (o.multivariate !== undefined)
    applyMultivariate(result, windowMultivariate(o.multivariate, multivariate));
  return { ...result, predictionParts, objects, skippedFiles, objectsRead, attributionSample };
}
