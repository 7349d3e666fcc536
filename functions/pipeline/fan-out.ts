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
 *    With model quality, the run's predictions are written split by key partition, and the
 *    manifest's label items (the window's label files) are read once each and split the same way.
 * 3. Join (with model quality; once per window and partition, an inline Map): the partition's
 *    predictions joined to its labels, written as a quality partial (fan-out-quality.ts).
 * 4. Reduce (once per planned window): reads the window's partials, checks they cover every
 *    object exactly once, merges them in item order (WindowProfile.merge), merges the quality
 *    partials, evaluates and publishes exactly as the monitor function does for a window it
 *    profiles itself, and refreshes the endpoint's index.html.
 *
 * Why a manifest rather than an ItemReader listing the hour's prefix: a window reads several
 * prefixes (every variant, and the next hour's folder for late files) and only some keys in
 * them (capture files whose hour overlaps the window); the plan lists them anyway to decide
 * whether to fan out, and the reducer needs the count to know every part is in.
 *
 * Layout, under the reports bucket and prefix: `fan-out/ENDPOINT/SCHEDULE/RUN/manifest.json`,
 * `.../RUN/partials/yyyy/mm/dd/hh/part-NNNNNNN.json` and `.../RUN/quality/...`, RUN being the
 * execution's name.
 */

// The steps' names, for the handlers and the tests, from the files that hold them.
export {
  FanOutEventError,
  type FanOutPlan,
  type FanOutRequest,
  type FanOutWindow,
  isFanOutRequest,
  type ManifestItem,
  type PartialProfile,
  type PlanResult,
  type ProfileBatchEvent,
  partialKey,
  partialsFolder,
  type ReduceWindowEvent,
  runFolder,
} from './fan-out-contract.ts';
export { exceedsFanOut, planMonitor } from './fan-out-plan.ts';
export { isJoinEvent, type JoinPartitionEvent } from './fan-out-quality.ts';
export { mergePartials, reduceWindow } from './fan-out-reduce.ts';
export { joinBatch, profileBatch, type WorkerDeps } from './fan-out-worker.ts';
