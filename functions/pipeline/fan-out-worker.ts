/**
 * The Profile step of the fan-out (./fan-out.ts): one worker invocation per batch of manifest
 * items, each contiguous run of a window's items written as a partial profile.
 */
import { captureSchema } from '../engine/drift/baseline.ts';
import { WindowProfiler } from '../engine/profile/window-profiler.ts';
import { loadBaseline } from '../sources/baseline-store.ts';
import { profileObjects } from '../sources/profile-capture.ts';
import type { StoredObject } from '../stores/object-store.ts';
import { S3Store } from '../stores/s3-store.ts';
import {
  checkRunId,
  FanOutEventError,
  type ManifestItem,
  type PartialProfile,
  type ProfileBatchEvent,
  partialKey,
  windowOptions,
} from './fan-out-contract.ts';
import { captureStore, type MonitorDeps, reportsStore } from './monitor-deps.ts';

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
