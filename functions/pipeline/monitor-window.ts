/**
 * One window in the monitor function: list its capture objects (every variant, with the late
 * folder), profile them here, join its predictions to the labels when the run has a quality
 * plan, explain its kept rows when the run has an attribution plan (./monitor-attribution.ts),
 * and publish it (./publish-window.ts).
 */
import { HOUR_MS } from '../contracts/time.ts';
import { hourFolders } from '../engine/capture/capture-window.ts';
import type { IncompleteWindow, Report } from '../engine/report/report-model.ts';
import { samplerSpec } from './attribution-window.ts';
import { applyWindowBias } from './bias-window.ts';
import { explainMonitorWindow, hasPlan } from './monitor-attribution.ts';
import { captureStore, DEFAULT_SAFETY_MARGIN_MS, type MonitorDeps } from './monitor-deps.ts';
import type { MonitorRun } from './monitor-start.ts';
import { publishWindow, type WindowOutcome } from './publish-window.ts';
import { startWindowQuality } from './quality-window.ts';
import { runWindow, selectWindowObjects, type WindowSelection } from './run-window.ts';

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
      ...run.limits,
      datasetDriftShare: config.datasetDriftShare,
      featureThresholds: config.featureThresholds,
      now: started,
      multivariate: run.multivariate,
      ...(quality ? { predictions: quality.spec } : {}),
      ...(hasPlan(run.attribution) ? { attribution: samplerSpec(run.attribution.plan) } : {}),
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
    const q = await quality.evaluate(result.predictionParts, window, started);
    result.report.quality = q.quality;
    result.modelQuality = { statistics: q.statistics, violations: q.violations };
    if (run.quality?.bias) applyWindowBias(result, q.bias);
  }
  // Last, with what is left of the function's time: it stops at the deadline and says how far it got.
  if (run.attribution !== null && result.objectsRead === result.objects.length)
    await explainMonitorWindow(deps, run.attribution, result, result.attributionSample);
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
