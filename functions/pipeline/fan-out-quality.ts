/**
 * Model quality of a fanned-out window (./fan-out.ts tells the flow), exact whatever the window:
 *
 * 1. **Profile step**: each worker collects the predictions of the objects it profiles (as the
 *    monitor function does) and writes them split by key partition (prediction-part.ts
 *    `keyPartition`); the manifest also lists the window's label files, and the worker given
 *    one reads it once and writes its labels split the same way, with its line counts.
 * 2. **Join step**, once per (window, partition): the partition's predictions from every part,
 *    its labels in reading order (files in key order, lines in order), joined
 *    (quality-join.ts) into a quality partial. Any key lands in one partition, so nothing is
 *    missed; a step holds one partition only, whatever the window.
 * 3. **Reduce step**: merges the partitions' partials, adds what the parts counted (rows, keyless
 *    predictions, the estimate), and evaluates the window as a whole-window run would.
 *
 * Files, under the run's folder: `quality/predictions/HOUR/p-PPPP/part-FIRST.json`,
 * `quality/labels/HOUR/p-PPPP/file-NNNNNNN.json`, `quality/label-files/HOUR/file-NNNNNNN.json`
 * and `quality/joined/HOUR/p-PPPP.json`. Typed arrays are written as base64 in the JSON.
 */
import type { LabelFilesRead } from '../contracts/ground-truth-labels.ts';
import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import { hourPath } from '../contracts/report-layout.ts';
import { HOUR_MS } from '../contracts/time.ts';
import { BiasTally } from '../engine/bias/facet-rows.ts';
import { windowBias } from '../engine/bias/window-bias.ts';
import { hashKey64 } from '../engine/quality/key-hash.ts';
import { LabelBuffer, type LabelBufferState, LabelPartitions } from '../engine/quality/label-codes.ts';
import { evaluateJoin } from '../engine/quality/prediction-join.ts';
import { type PartSummary, type PredictionPart, splitByKey } from '../engine/quality/prediction-part.ts';
import { addPartSummaries, PredictionJoin } from '../engine/quality/quality-join.ts';
import { QualityPartial, type QualityPartialState } from '../engine/quality/quality-partial.ts';
import { listLabelFiles, readLabelFile } from '../sources/ground-truth.ts';
import type { ObjectStore } from '../stores/object-store.ts';
import { BIAS_SCORE, type BiasPlan, biasLabelRule, startWindowBias } from './bias-window.ts';
import { checkRunId, FanOutEventError, runFolder } from './fan-out-contract.ts';
import {
  DEFAULT_LABEL_LOOKBACK_HOURS,
  predictionSpec,
  type QualityAndBias,
  type QualityPlan,
} from './quality-window.ts';

/** Capture bytes per join partition: a partition's predictions and labels fit a step's memory. */
export const JOIN_PARTITION_BYTES = 256 * 1024 * 1024;
/** Most join partitions of a window (the Join step's inline Map iterates windows x partitions). */
export const MAX_JOIN_PARTITIONS = 40;

/** Join partitions of a window of `bytes` capture: one per `partitionBytes`, from 1 to the most. */
export function joinPartitions(bytes: number, partitionBytes = JOIN_PARTITION_BYTES): number {
  return Math.min(MAX_JOIN_PARTITIONS, Math.max(1, Math.ceil(bytes / partitionBytes)));
}

/** What the plan tells the steps about one window's quality. */
export interface WindowQualityPlan {
  partitions: number;
  /** Label files of the window's collection hours: the manifest's label items of the window. */
  labelFiles: number;
  /** The collection hours read, [start, end), and the look-back past the window's end. */
  labelHours: { start: string; end: string };
  lookbackHours: number;
}

/** One (window, partition) join: the Join step's event. */
export interface JoinPartitionEvent {
  join: { runId: string; window: string; partition: number; partitions: number };
}

// ---- keys -------------------------------------------------------------------------------------

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function qualityFolder(config: MonitorRuntimeConfig, runId: string, what: string, windowStart: Date): string {
  return `${runFolder(config, runId)}quality/${what}/${hourPath(windowStart)}`;
}

function predictionsFolder(
  config: MonitorRuntimeConfig,
  runId: string,
  windowStart: Date,
  partition: number,
) {
  return `${qualityFolder(config, runId, 'predictions', windowStart)}p-${pad(partition, 4)}/`;
}

function labelsFolder(config: MonitorRuntimeConfig, runId: string, windowStart: Date, partition: number) {
  return `${qualityFolder(config, runId, 'labels', windowStart)}p-${pad(partition, 4)}/`;
}

function labelFilesFolder(config: MonitorRuntimeConfig, runId: string, windowStart: Date) {
  return qualityFolder(config, runId, 'label-files', windowStart);
}

function joinedKey(config: MonitorRuntimeConfig, runId: string, windowStart: Date, partition: number) {
  return `${qualityFolder(config, runId, 'joined', windowStart)}p-${pad(partition, 4)}.json`;
}

/** A partition's bias counts, beside its quality partial, when the baseline has a bias configuration. */
function biasKey(config: MonitorRuntimeConfig, runId: string, windowStart: Date, partition: number) {
  return `${qualityFolder(config, runId, 'bias', windowStart)}p-${pad(partition, 4)}.json`;
}

// ---- typed arrays in JSON -------------------------------------------------------------------

const TYPED_ARRAYS = { Float64Array, Uint32Array, Uint16Array, Uint8Array } as const;
type TypedName = keyof typeof TYPED_ARRAYS;

/** JSON of `value` with each typed array as `{"$typed": NAME, "base64": BYTES}` (little-endian, as the platform). */
export function encodeData(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (ArrayBuffer.isView(v) && !(v instanceof DataView))
      return {
        $typed: v.constructor.name,
        base64: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64'),
      };
    return v;
  });
}

/** The value {@link encodeData} wrote. */
export function decodeData<T>(text: string, source: string): T {
  return JSON.parse(text, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || !('$typed' in v)) return v;
    const { $typed, base64 } = v as { $typed: unknown; base64: unknown };
    const Typed = TYPED_ARRAYS[$typed as TypedName];
    if (Typed === undefined || typeof base64 !== 'string')
      throw new Error(`${source}: an array of unknown type ${JSON.stringify($typed)}; re-run the window`);
    const bytes = Buffer.from(base64, 'base64');
    // Copied into a buffer of its own: aligned for the array type, not Node's shared pool.
    const own = new Uint8Array(bytes.length);
    own.set(bytes);
    return new Typed(own.buffer);
  }) as T;
}

async function readData<T>(store: ObjectStore, key: string): Promise<T> {
  const text = await store.getText(key);
  if (text === null)
    throw new Error(`${store.location}${key}: disappeared while being read; re-run the window`);
  return decodeData<T>(text, `${store.location}${key}`);
}

async function keysIn(store: ObjectStore, folder: string, pattern: RegExp): Promise<string[]> {
  const keys: string[] = [];
  for await (const o of store.list(folder)) if (pattern.test(o.key)) keys.push(o.key);
  return keys.sort();
}

// ---- plan -----------------------------------------------------------------------------------

/**
 * A window's quality plan: its join partitions, and its label files (listed now, so every
 * step sees the same ones; the caller puts them in the manifest as label items).
 */
export async function planWindowQuality(
  plan: QualityPlan,
  windowStart: Date,
  bytes: number,
  partitionBytes?: number,
): Promise<{ quality: WindowQualityPlan; labelKeys: string[]; labelSkipped: string[] }> {
  const lookbackHours = plan.labelLookbackHours ?? DEFAULT_LABEL_LOOKBACK_HOURS;
  const startMs = windowStart.getTime();
  const endMs = startMs + HOUR_MS + lookbackHours * HOUR_MS;
  const { keys, skipped } = await listLabelFiles(plan.groundTruth, { startMs, endMs });
  return {
    quality: {
      partitions: joinPartitions(bytes, partitionBytes),
      labelFiles: keys.length,
      labelHours: { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() },
      lookbackHours,
    },
    labelKeys: keys,
    labelSkipped: skipped,
  };
}

/** Where the plan leaves a window's skipped label files (not JSON Lines), for the reducer's notes. */
function skippedKey(config: MonitorRuntimeConfig, runId: string, windowStart: Date): string {
  return `${labelFilesFolder(config, runId, windowStart)}skipped.json`;
}

/** Writes the skipped label files of a window (the plan's listing). */
export async function writeSkippedLabelFiles(
  reports: ObjectStore,
  config: MonitorRuntimeConfig,
  runId: string,
  windowStart: Date,
  skipped: string[],
): Promise<void> {
  await reports.putText(skippedKey(config, runId, windowStart), JSON.stringify(skipped), 'application/json');
}

// ---- profile step ---------------------------------------------------------------------------

/** Writes a part's predictions split by key partition (empty pieces are not written). */
export async function writePredictionPartitions(
  reports: ObjectStore,
  config: MonitorRuntimeConfig,
  runId: string,
  windowStart: Date,
  first: number,
  part: PredictionPart,
  partitions: number,
): Promise<void> {
  const pieces = splitByKey(part, partitions);
  for (let p = 0; p < pieces.length; p++) {
    const piece = pieces[p]!;
    if (piece.count === 0) continue;
    await reports.putText(
      `${predictionsFolder(config, runId, windowStart, p)}part-${pad(first, 7)}.json`,
      encodeData(piece),
      'application/json',
    );
  }
}

/** A label item of the manifest: one label file of a window. */
export interface LabelItem {
  window: string;
  /** The file's place among the window's label files, in key order. */
  index: number;
  /** The key under the endpoint's ground-truth location. */
  key: string;
}

/**
 * Reads one label file of a window once and writes its labels split by key partition, in
 * reading order, and its line counts. Writing it again (a retried batch) writes the same bytes.
 */
export async function partitionLabelFile(
  reports: ObjectStore,
  config: MonitorRuntimeConfig,
  runId: string,
  plan: QualityPlan,
  item: LabelItem,
  partitions: number,
): Promise<{ labels: number }> {
  const windowStart = new Date(item.window);
  const split = new LabelPartitions(
    plan.problemType,
    partitions,
    hashKey64,
    plan.bias ? biasLabelRule(plan.bias.config) : undefined,
  );
  const read: LabelFilesRead = { lines: 0, rejectedByReason: {}, files: 0, skipped: [] };
  await readLabelFile(
    plan.groundTruth,
    item.key,
    plan.maxLineBytes,
    (id, label) => split.add(id, label),
    read,
  );
  let labels = 0;
  for (let p = 0; p < split.buffers.length; p++) {
    const buffer = split.buffers[p]!;
    labels += buffer.count;
    if (buffer.count === 0) continue;
    await reports.putText(
      `${labelsFolder(config, runId, windowStart, p)}file-${pad(item.index, 7)}.json`,
      encodeData(buffer.toState()),
      'application/json',
    );
  }
  await reports.putText(
    `${labelFilesFolder(config, runId, windowStart)}file-${pad(item.index, 7)}.json`,
    JSON.stringify({ lines: read.lines, rejectedByReason: read.rejectedByReason }),
    'application/json',
  );
  return { labels };
}

// ---- join step ------------------------------------------------------------------------------

/** True for the Join step's event. */
export function isJoinEvent(event: unknown): event is JoinPartitionEvent {
  return typeof event === 'object' && event !== null && 'join' in event;
}

function checkJoinEvent(event: JoinPartitionEvent): JoinPartitionEvent['join'] {
  const j = event.join as Partial<JoinPartitionEvent['join']> | null;
  if (
    j === null ||
    typeof j !== 'object' ||
    typeof j.window !== 'string' ||
    Number.isNaN(Date.parse(j.window)) ||
    !Number.isInteger(j.partitions) ||
    j.partitions! < 1 ||
    !Number.isInteger(j.partition) ||
    j.partition! < 0 ||
    j.partition! >= j.partitions!
  )
    throw new FanOutEventError(
      `the event must be {"join": {"runId", "window", "partition", "partitions"}} as the plan lists it; got ${JSON.stringify(event)}`,
    );
  return { runId: checkRunId(j.runId), window: j.window, partition: j.partition!, partitions: j.partitions! };
}

/**
 * The Join step: one partition of a window, its predictions from every part joined to its
 * labels in reading order, written as a quality partial.
 */
export async function joinPartition(
  reports: ObjectStore,
  config: MonitorRuntimeConfig,
  plan: QualityPlan,
  event: JoinPartitionEvent,
): Promise<{ predictions: number; labels: number }> {
  const j = checkJoinEvent(event);
  const windowStart = new Date(j.window);
  const partFiles = await keysIn(
    reports,
    predictionsFolder(config, j.runId, windowStart, j.partition),
    /\/part-\d+\.json$/,
  );
  const parts: PredictionPart[] = [];
  for (const key of partFiles) parts.push(await readData<PredictionPart>(reports, key));
  const spec = predictionSpec(plan);
  const join = new PredictionJoin(spec, parts);
  const labelFiles = await keysIn(
    reports,
    labelsFolder(config, j.runId, windowStart, j.partition),
    /\/file-\d+\.json$/,
  );
  let labels = 0;
  for (const key of labelFiles) {
    // Labels were coded by the label files' workers, by the same rule.
    const buffer = LabelBuffer.fromState(plan.problemType, await readData<LabelBufferState>(reports, key));
    labels += buffer.count;
    join.offerBuffer(buffer);
  }
  const bias = plan.bias ? startWindowBias(plan.bias, spec.extraColumns ?? []) : null;
  await reports.putText(
    joinedKey(config, j.runId, windowStart, j.partition),
    encodeData(join.finish(bias?.visit).toState()),
    'application/json',
  );
  if (bias !== null)
    await reports.putText(
      biasKey(config, j.runId, windowStart, j.partition),
      JSON.stringify(bias.tally.toJSON()),
      'application/json',
    );
  return { predictions: parts.reduce((n, p) => n + p.count, 0), labels };
}

// ---- reduce step ----------------------------------------------------------------------------

/**
 * The window's quality from its partitions' partials, completed with what its parts counted
 * and with its label files' line counts; evaluated as a whole-window run evaluates it.
 */
export async function reduceWindowQuality(
  reports: ObjectStore,
  config: MonitorRuntimeConfig,
  runId: string,
  plan: QualityPlan,
  windowStart: Date,
  window: WindowQualityPlan,
  summaries: readonly PartSummary[],
  now: Date,
): Promise<QualityAndBias> {
  const spec = predictionSpec(plan);
  const partial = new QualityPartial(plan.problemType, plan.threshold, spec.slices);
  for (let p = 0; p < window.partitions; p++) {
    const state = await reports.getText(joinedKey(config, runId, windowStart, p));
    if (state === null)
      throw new Error(
        `${reports.location}${joinedKey(config, runId, windowStart, p)}: missing; the join of partition ${p} did not finish: re-run the window`,
      );
    partial.merge(
      QualityPartial.fromState(decodeData<QualityPartialState>(state, `partition ${p}`), spec.slices),
    );
  }
  addPartSummaries(partial, summaries);

  const statsKeys = await keysIn(reports, labelFilesFolder(config, runId, windowStart), /\/file-\d+\.json$/);
  if (statsKeys.length !== window.labelFiles)
    throw new Error(
      `${reports.location}${labelFilesFolder(config, runId, windowStart)}: ${statsKeys.length} of the window's ${window.labelFiles} label files were read; a profile worker did not finish: re-run the window`,
    );
  const skipped = JSON.parse(
    (await reports.getText(skippedKey(config, runId, windowStart))) ?? '[]',
  ) as string[];
  const files: LabelFilesRead = { lines: 0, rejectedByReason: {}, files: statsKeys.length, skipped };
  for (const key of statsKeys) {
    const stats = JSON.parse((await reports.getText(key)) ?? '{}') as Pick<
      LabelFilesRead,
      'lines' | 'rejectedByReason'
    >;
    files.lines += stats.lines ?? 0;
    for (const [reason, n] of Object.entries(stats.rejectedByReason ?? {}) as [
      keyof LabelFilesRead['rejectedByReason'],
      number,
    ][])
      files.rejectedByReason[reason] = (files.rejectedByReason[reason] ?? 0) + n;
  }
  const windowEnd = new Date(windowStart.getTime() + HOUR_MS).toISOString();
  const bias = plan.bias
    ? await mergedBias(reports, config, runId, plan.bias, windowStart, window.partitions)
    : null;
  const result = evaluateJoin(partial, files, {
    problemType: plan.problemType,
    constraints: plan.constraints,
    minSliceSupport: plan.minSliceSupport,
    window: { start: windowStart.toISOString(), end: windowEnd },
    labelHours: window.labelHours,
    lookbackHours: window.lookbackHours,
    now,
  });
  return bias === null ? result : { ...result, bias: windowBias(bias, plan.bias!.analysis) };
}

/** The bias counts of a window's partitions, merged (any order gives the whole's). */
async function mergedBias(
  reports: ObjectStore,
  config: MonitorRuntimeConfig,
  runId: string,
  plan: BiasPlan,
  windowStart: Date,
  partitions: number,
): Promise<BiasTally> {
  const tally = new BiasTally(plan.config, BIAS_SCORE);
  for (let p = 0; p < partitions; p++) {
    const key = biasKey(config, runId, windowStart, p);
    const text = await reports.getText(key);
    if (text === null)
      throw new Error(
        `${reports.location}${key}: missing; the join of partition ${p} did not finish: re-run the window`,
      );
    tally.merge(BiasTally.fromJSON(plan.config, BIAS_SCORE, JSON.parse(text), `${reports.location}${key}`));
  }
  return tally;
}
