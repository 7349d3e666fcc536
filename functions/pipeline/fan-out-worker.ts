/**
 * The Profile step of the fan-out (./fan-out.ts): one worker invocation per batch of manifest
 * items, each contiguous run of a window's items written as a partial profile.
 */
import { type Baseline, captureSchema } from '../engine/drift/baseline.ts';
import { WindowProfiler } from '../engine/profile/window-profiler.ts';
import { summaryOf } from '../engine/quality/prediction-part.ts';
import { WindowRows } from '../engine/report/window-rows.ts';
import { loadBaseline } from '../sources/baseline-store.ts';
import { loadMultivariateModel } from '../sources/multivariate-store.ts';
import { profileObjects } from '../sources/profile-capture.ts';
import type { StoredObject } from '../stores/object-store.ts';
import { S3Store } from '../stores/s3-store.ts';
import { samplerSpec } from './attribution-window.ts';
import {
  checkRunId,
  FanOutEventError,
  type ManifestItem,
  type PartialProfile,
  type ProfileBatchEvent,
  partialKey,
  windowOptions,
} from './fan-out-contract.ts';
import {
  type JoinPartitionEvent,
  joinPartition,
  partitionLabelFile,
  writePredictionPartitions,
} from './fan-out-quality.ts';
import { hasPlan, loadMonitorAttribution } from './monitor-attribution.ts';
import { captureStore, type MonitorDeps, reportsStore } from './monitor-deps.ts';
import { qualityPlanOf } from './monitor-start.ts';
import { configuredLimits } from './profile-limits.ts';
import { predictionSpec } from './quality-window.ts';

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
      typeof i.size !== 'number' ||
      (i.partitions !== undefined && (!Number.isInteger(i.partitions) || i.partitions < 1)) ||
      (i.labels !== undefined && (i.labels !== true || i.partitions === undefined))
    )
      throw new FanOutEventError(
        `a batch item must be {"window", "index", "key", "size"} as the plan writes it; got ${JSON.stringify(item)}`,
      );
  }
  return { items, runId: checkRunId(e?.BatchInput?.runId) };
}

/** Whether a batch has capture items (a batch of label files only profiles nothing). */
function runsHaveCapture(items: readonly ManifestItem[]): boolean {
  return items.some((i) => !i.labels);
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

/** The quality plan of a batch that carries quality work; `null` when none of its items does. */
async function qualityOf(
  deps: WorkerDeps,
  baselineStore: S3Store,
  baseline: Baseline,
  items: ManifestItem[],
) {
  if (!items.some((i) => i.partitions !== undefined)) return null;
  const plan = await qualityPlanOf(deps, baselineStore, baseline);
  if (plan === null)
    throw new FanOutEventError(
      `the manifest asks for model quality but MONITOR_CONFIG of ${deps.config.endpoint} has no groundTruthUri and problemType; redeploy the stack`,
    );
  return plan;
}

/**
 * A profile worker: profiles each contiguous run of the batch's capture items with the window's
 * own settings and writes it as a partial (with its predictions split by key partition when the
 * window's quality is monitored), and splits each label item's file the same way
 * (fan-out-quality.ts). Writing the same part again (a retried batch) writes the same bytes.
 */
export async function profileBatch(
  deps: WorkerDeps,
  event: unknown,
): Promise<{ parts: number; objects: number }> {
  const { items, runId } = checkItems(event);
  const { config } = deps;
  const baselineStore = new S3Store(deps.s3, config.baselineUri);
  const baseline = await loadBaseline(baselineStore);
  const capture = captureStore(deps);
  const reports = reportsStore(deps);
  const quality = await qualityOf(deps, baselineStore, baseline, items);
  const multivariate = await loadMultivariateModel(baselineStore, baseline);
  // The reducer explains the merged rows; each part keeps its share of them.
  const attribution = runsHaveCapture(items)
    ? await loadMonitorAttribution(deps, baselineStore, baseline)
    : null;
  const attributionSpec = hasPlan(attribution) ? samplerSpec(attribution.plan) : null;
  // The monitor's limits, so this part merges with the others into the whole window.
  const limits = configuredLimits(config, baseline);
  for (const item of items.filter((i) => i.labels))
    await partitionLabelFile(reports, config, runId, quality!, item, item.partitions!);
  const runs = contiguousRuns(items.filter((i) => !i.labels));
  for (const run of runs) {
    const started = deps.now();
    const windowStart = new Date(run[0]!.window);
    const partitions = run[0]!.partitions;
    const rows = new WindowRows({
      ...(partitions !== undefined && quality !== null ? { predictions: predictionSpec(quality) } : {}),
      multivariate: multivariate.model,
      attribution: attributionSpec,
    });
    const profiler = new WindowProfiler(captureSchema(baseline), {
      ...windowOptions(windowStart, limits),
      rows: rows.sink,
    });
    const objects: StoredObject[] = run.map((i) => ({ key: i.key, size: i.size }));
    const ordinals = run.map((i) => i.index);
    const profile = await profileObjects(capture, objects, profiler, undefined, undefined, ordinals);
    const predictions = rows.predictions();
    if (predictions !== null)
      await writePredictionPartitions(
        reports,
        config,
        runId,
        windowStart,
        run[0]!.index,
        predictions,
        partitions!,
      );
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
      quality: predictions === null ? null : summaryOf(predictions),
      multivariate: rows.multivariate()?.toJSON() ?? null,
      attribution: rows.attributionSample()?.toJSON() ?? null,
    };
    await reports.putText(
      partialKey(config, runId, windowStart, partial.first),
      JSON.stringify(partial),
      'application/json',
    );
  }
  return { parts: runs.length, objects: items.length };
}

/**
 * The Join step (fan-out-quality.ts): one (window, partition) of the plan's joins, run by the
 * profile worker's function (it holds one partition at a time, whatever the window).
 */
export async function joinBatch(
  deps: WorkerDeps,
  event: JoinPartitionEvent,
): Promise<{ predictions: number; labels: number }> {
  const baselineStore = new S3Store(deps.s3, deps.config.baselineUri);
  const plan = await qualityPlanOf(deps, baselineStore, await loadBaseline(baselineStore));
  if (plan === null)
    throw new FanOutEventError(
      `the plan asks for a quality join but MONITOR_CONFIG of ${deps.config.endpoint} has no groundTruthUri and problemType; redeploy the stack`,
    );
  return joinPartition(reportsStore(deps), deps.config, plan, event);
}
