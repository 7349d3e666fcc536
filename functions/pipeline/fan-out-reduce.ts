/**
 * The Reduce step of the fan-out (./fan-out.ts), once per planned window: merges the window's
 * partial profiles (and the rows they kept to explain, which it explains once) and publishes it
 * as the monitor function publishes a window it profiled.
 */
import { RecordSampler, type RecordSamplerSpec } from '../engine/attribution/record-sampler.ts';
import { type Baseline, captureSchema } from '../engine/drift/baseline.ts';
import type { MultivariateModel } from '../engine/multivariate/multivariate-model.ts';
import { MultivariateScore } from '../engine/multivariate/multivariate-score.ts';
import { WindowProfile } from '../engine/profile/window-profile.ts';
import { WindowProfiler } from '../engine/profile/window-profiler.ts';
import { applyMultivariate } from '../engine/report/window-result.ts';
import { windowMultivariate } from '../sources/multivariate-store.ts';
import { samplerSpec } from './attribution-window.ts';
import { applyWindowBias } from './bias-window.ts';
import {
  checkRunId,
  FanOutEventError,
  type PartialProfile,
  partialsFolder,
  type ReduceWindowEvent,
  windowOptions,
} from './fan-out-contract.ts';
import { reduceWindowQuality } from './fan-out-quality.ts';
import { refreshIndex } from './index-refresh.ts';
import { explainMonitorWindow, hasPlan } from './monitor-attribution.ts';
import { type MonitorDeps, reportsStore } from './monitor-deps.ts';
import { startRun } from './monitor-start.ts';
import { configuredLimits } from './profile-limits.ts';
import { publishWindow, type WindowOutcome } from './publish-window.ts';
import { evaluateWindow } from './run-window.ts';

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

/** A window's partials merged. */
export interface MergedPartials {
  profile: WindowProfile;
  parts: Omit<PartialProfile, 'profile' | 'multivariate' | 'attribution'>[];
  multivariate: MultivariateScore | null;
  /**
   * The rows every part kept for feature attribution, merged (`null` without a sampler spec);
   * a string when a part kept none though the spec asks for them (the baseline changed during the run).
   */
  attribution: RecordSampler | string | null;
}

/**
 * Reads a window's partials in item order and merges them into one profile (and, with
 * `attributionSpec`, the rows they kept to explain). Every object must be covered exactly once:
 * a missing or overlapping part is an error naming it.
 */
export async function mergePartials(
  deps: Pick<MonitorDeps, 's3' | 'config'>,
  baseline: Baseline,
  event: ReduceWindowEvent,
  multivariateModel?: MultivariateModel | null,
  attributionSpec?: RecordSamplerSpec | null,
): Promise<MergedPartials> {
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
  const merged = new WindowProfiler(
    captureSchema(baseline),
    windowOptions(windowStart, configuredLimits(config, baseline)),
  ).profile;
  const model = multivariateModel ?? null;
  const multivariate = model === null ? null : new MultivariateScore(model);
  const parts: MergedPartials['parts'] = [];
  const spec = attributionSpec ?? null;
  let attribution: RecordSampler | string | null = spec === null ? null : new RecordSampler(spec);
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
    if (model !== null) {
      if (!part.multivariate)
        throw new Error(
          `${reports.location}${keys[i]}: has no multivariate score, but the baseline has a multivariate model (the baseline changed during the run?); re-run the window`,
        );
      multivariate!.merge(MultivariateScore.fromJSON(model, part.multivariate, `${keys[i]}: multivariate`));
    }
    if (attribution instanceof RecordSampler) {
      if (part.attribution) attribution.merge(RecordSampler.fromJSON(spec!, part.attribution));
      else
        attribution = `feature attribution drift not measured: ${reports.location}${keys[i]} kept no rows to explain (the baseline or the attribution block changed during the run); re-run the window`;
    }
    next = part.first + part.objects;
    const { profile: _, multivariate: __, attribution: ___, ...summary } = part;
    parts.push(summary);
  }
  if (next !== event.window.objects)
    throw new Error(
      `${where}: the partials cover ${next} of the window's ${event.window.objects} objects; a profile worker did not finish: re-run the window`,
    );
  return { profile: merged, parts, multivariate, attribution };
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
  const { profile, parts, multivariate, attribution } = await mergePartials(
    deps,
    run.baseline,
    e,
    run.multivariate.model,
    hasPlan(run.attribution) ? samplerSpec(run.attribution.plan) : null,
  );
  const result = evaluateWindow(run.baseline, profile, {
    baselinePath: run.baselinePath,
    now: reduceStarted,
    datasetDriftShare: config.datasetDriftShare,
    featureThresholds: config.featureThresholds,
    ...(e.window.skipped ? { skipped: e.window.skipped } : {}),
  });
  applyMultivariate(result, windowMultivariate(run.multivariate, multivariate));
  if (run.quality !== null && e.window.quality) {
    const summaries = parts.flatMap((p) => (p.quality ? [p.quality] : []));
    const q = await reduceWindowQuality(
      reportsStore(deps),
      config,
      e.runId,
      run.quality,
      new Date(e.window.start),
      e.window.quality,
      summaries,
      reduceStarted,
    );
    result.report.quality = q.quality;
    result.modelQuality = { statistics: q.statistics, violations: q.violations };
    if (run.quality.bias) applyWindowBias(result, q.bias);
  }
  // Explained once, here, on the rows the parts kept, within this function's time.
  if (run.attribution !== null)
    await explainMonitorWindow(
      deps,
      typeof attribution === 'string' ? { reason: attribution } : run.attribution,
      result,
      attribution instanceof RecordSampler ? attribution : null,
    );
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
