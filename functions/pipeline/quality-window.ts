/**
 * Model quality for one window: the window's predictions, collected while its capture is
 * profiled, joined to the ground-truth labels of its collection hours (the join and its rules:
 * functions/engine/quality/prediction-join.ts), giving the engine's quality report, SageMaker's
 * model-quality `statistics.json` for the window and the quality constraint violations.
 *
 * **Late labels**: labels land in the hour they were collected, hours or days after the
 * prediction. For a window [start, end) the labels of the collection hours
 * [start, end + look-back) are read (default look-back 24 h); without a window, every label.
 * Labels are matched as they are read: one that matches no prediction costs 8-16 bytes.
 */

import type { QualityBaselineSettings } from '../contracts/baseline-layout.ts';
import type { LabelFilesRead } from '../contracts/ground-truth-labels.ts';
import type { ProblemType } from '../contracts/problem-type.ts';
import { HOUR_MS } from '../contracts/time.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { DEFAULT_PROBABILITY_THRESHOLD } from '../engine/quality/binary-metrics.ts';
import { hashKey64 } from '../engine/quality/key-hash.ts';
import { LabelBuffer } from '../engine/quality/label-codes.ts';
import {
  evaluateJoin,
  type JoinQualityOptions,
  type QualityWindowResult,
} from '../engine/quality/prediction-join.ts';
import type { PredictionPart, PredictionSpec, SliceSpec } from '../engine/quality/prediction-part.ts';
import type { ModelQualityConstraints } from '../engine/quality/quality-constraints.ts';
import { PredictionJoin } from '../engine/quality/quality-join.ts';
import type { SliceBaseline } from '../engine/quality/slices.ts';
import { binEdges } from '../engine/stats/binning.ts';
import type { QualityBaselineFiles } from '../sources/baseline-store.ts';
import { streamGroundTruth } from '../sources/ground-truth.ts';
import type { ObjectStore } from '../stores/object-store.ts';
import {
  type BiasPlan,
  biasColumns,
  biasLabelRule,
  startWindowBias,
  type WindowBiasRun,
} from './bias-window.ts';

// The CLI's `baseline` and `run` take these from here: the baseline files and how they are read.
export {
  QUALITY_BASELINE_DIR,
  QUALITY_CONSTRAINTS_FILE,
  QUALITY_SETTINGS_FILE,
  QUALITY_STATISTICS_FILE,
  type QualityBaselineSettings,
} from '../contracts/baseline-layout.ts';
export { DEFAULT_MIN_SLICE_SUPPORT, type QualityWindowResult } from '../engine/quality/prediction-join.ts';
export {
  loadBiasBaseline,
  loadQualityBaseline,
  type QualityBaselineFiles,
} from '../sources/baseline-store.ts';

/** Hours of labels read after a window's end, by default. */
export const DEFAULT_LABEL_LOOKBACK_HOURS = 24;

/**
 * The output column predictions are read from, per the quality baseline's settings:
 * BinaryClassification's probability column (else its prediction column), the prediction column
 * for the other problem types; `null` (the first output column) without settings.
 */
export function predictionColumnOf(settings: QualityBaselineSettings | null, problemType: ProblemType) {
  if (settings === null) return null;
  return problemType === 'BinaryClassification'
    ? (settings.probabilityColumn ?? settings.predictionColumn)
    : settings.predictionColumn;
}

/**
 * How each input feature of the baseline is sliced for error analysis: numeric features by the
 * baseline's decile bin edges (METRICS.md `binEdges` on the baseline's values or sketch),
 * categorical features by the baseline's categories. Output columns and features the baseline
 * keeps no distribution of (id-like strings) are not sliced.
 */
export function sliceBaselines(baseline: Baseline): Record<string, SliceBaseline> {
  // Feature names are data: no prototype, so `__proto__` is a feature like any other.
  const out: Record<string, SliceBaseline> = Object.create(null);
  for (const f of baseline.features) {
    if (f.role !== 'input' || !f.hasDistribution) continue;
    const p = f.profile;
    if (f.kind === 'numeric' && p.numeric !== null && p.numeric.count > 0) {
      out[f.name] = { kind: 'numeric', binEdges: binEdges(p.numeric.weightedSample()) };
    } else if (f.kind === 'categorical' && p.categorical !== null) {
      out[f.name] = { kind: 'categorical', categories: [...p.categorical.counts.keys()] };
    }
  }
  return out;
}

/** A window's quality and, when the baseline has a bias configuration, its bias. */
export type QualityAndBias = QualityWindowResult & { bias?: ReturnType<WindowBiasRun['result']> };

/** Options of {@link qualityForWindow}. */
export interface QualityWindowOptions extends Omit<JoinQualityOptions, 'labelHours' | 'lookbackHours'> {
  groundTruth: ObjectStore;
  /** The baseline's bias configuration and analysis: the window's bias is counted in the join. */
  bias?: BiasPlan | null;
  /**
   * Hours of labels read after the window's end.
   * @default 24
   */
  labelLookbackHours?: number;
  /** Longest ground-truth line read. */
  maxLineBytes?: number;
}

/** The label-collection hours of a window: [start, end + look-back); open ends without a window. */
function labelRange(o: Pick<QualityWindowOptions, 'window' | 'labelLookbackHours'>) {
  const windowed = o.window.start !== null || o.window.end !== null;
  const lookbackHours = windowed ? (o.labelLookbackHours ?? DEFAULT_LABEL_LOOKBACK_HOURS) : null;
  const startMs = o.window.start === null ? undefined : Date.parse(o.window.start);
  const endMs = o.window.end === null ? undefined : Date.parse(o.window.end) + (lookbackHours ?? 0) * HOUR_MS;
  return { startMs, endMs, lookbackHours };
}

/** Labels read ahead of the join (see {@link prefetchLabels}). */
export interface PrefetchedLabels {
  buffer: LabelBuffer;
  files: LabelFilesRead;
}

/**
 * Reads a window's labels into a {@link LabelBuffer} (16 bytes a label) while its capture is
 * still being profiled on worker threads, so the main thread's wait reads them.
 */
export async function prefetchLabels(
  problemType: ProblemType,
  o: Pick<QualityWindowOptions, 'window' | 'labelLookbackHours' | 'groundTruth' | 'maxLineBytes' | 'bias'>,
): Promise<PrefetchedLabels> {
  const { startMs, endMs } = labelRange(o);
  const buffer = new LabelBuffer(problemType, hashKey64, o.bias ? biasLabelRule(o.bias.config) : undefined);
  const files = await streamGroundTruth(
    o.groundTruth,
    { startMs, endMs, maxLineBytes: o.maxLineBytes },
    (id, label) => buffer.add(id, label),
  );
  return { buffer, files };
}

/**
 * Reads the labels of a window's collection hours (the window plus the look-back; everything
 * without a window), matching each as it is read to the predictions of the parts; or matches
 * the labels read ahead.
 */
export async function qualityForWindow(
  spec: PredictionSpec,
  parts: readonly PredictionPart[],
  o: QualityWindowOptions,
  prefetched?: Promise<PrefetchedLabels>,
): Promise<QualityAndBias> {
  const { startMs, endMs, lookbackHours } = labelRange(o);
  const bias = o.bias ? startWindowBias(o.bias, spec.extraColumns ?? []) : null;
  const join = new PredictionJoin(spec, parts, hashKey64, o.bias ? biasLabelRule(o.bias.config) : undefined);
  let labels: LabelFilesRead;
  if (prefetched !== undefined) {
    const read = await prefetched;
    join.offerBuffer(read.buffer);
    labels = read.files;
  } else
    labels = await streamGroundTruth(
      o.groundTruth,
      { startMs, endMs, maxLineBytes: o.maxLineBytes },
      (id, label) => join.offerLabel(id, label),
    );
  const partial = join.finish(bias?.visit);
  const result = evaluateJoin(partial, labels, {
    ...o,
    labelHours: {
      start: startMs === undefined ? null : new Date(startMs).toISOString(),
      end: endMs === undefined ? null : new Date(endMs).toISOString(),
    },
    lookbackHours,
  });
  return bias === null ? result : { ...result, bias: bias.result() };
}

/**
 * How a run computes model quality for its windows, settled once per run from the baseline
 * folder and the caller's settings; the CLI's `run` and the monitor Lambda both build one with
 * {@link planQuality} and run each window through {@link startWindowQuality}.
 */
export interface QualityPlan {
  /** Where the labels are: the store's hour folders are the label-collection hours. */
  groundTruth: ObjectStore;
  /** The baseline's bias configuration and analysis, when it has them. */
  bias?: BiasPlan | null;
  problemType: ProblemType;
  threshold: number;
  constraints: ModelQualityConstraints | null;
  /** The output column predictions are read from; `null`: each row's first output column. */
  outputColumn: string | null;
  /** How each input feature is sliced (see {@link sliceBaselines}). */
  sliceBaselines: Record<string, SliceBaseline>;
  /** @default 24 */
  labelLookbackHours?: number;
  /** @default 30 */
  minSliceSupport?: number;
  /** Longest ground-truth line read. */
  maxLineBytes?: number;
}

/** What {@link planQuality} takes besides the baseline and its model-quality files. */
export interface QualityPlanOptions {
  groundTruth: ObjectStore;
  problemType: ProblemType;
  /** BinaryClassification's threshold. @default the quality baseline's, else 0.5 */
  threshold?: number;
  /** Constraints to use instead of the baseline folder's (the CLI's --quality-constraints). */
  constraints?: ModelQualityConstraints | null;
  labelLookbackHours?: number;
  minSliceSupport?: number;
  maxLineBytes?: number;
  /** The baseline's bias files: its threshold is the run's unless `threshold` is given. */
  bias?: BiasPlan | null;
}

/**
 * The quality plan of a run: the threshold and output column from the quality baseline's settings
 * when they are for the same problem type, its constraints unless others are given, and the
 * slices from the data baseline. The caller checks that the constraints suit the problem type,
 * so its error can name its own flag or field.
 */
export function planQuality(
  baseline: Baseline,
  files: QualityBaselineFiles,
  o: QualityPlanOptions,
): QualityPlan {
  const settings = files.settings?.problemType === o.problemType ? files.settings : null;
  return {
    groundTruth: o.groundTruth,
    problemType: o.problemType,
    threshold:
      o.threshold ??
      o.bias?.config.probabilityThreshold ??
      settings?.threshold ??
      DEFAULT_PROBABILITY_THRESHOLD,
    constraints: o.constraints === undefined ? files.constraints : o.constraints,
    outputColumn: predictionColumnOf(settings, o.problemType),
    sliceBaselines: sliceBaselines(baseline),
    ...(o.labelLookbackHours !== undefined ? { labelLookbackHours: o.labelLookbackHours } : {}),
    ...(o.minSliceSupport !== undefined ? { minSliceSupport: o.minSliceSupport } : {}),
    ...(o.maxLineBytes !== undefined ? { maxLineBytes: o.maxLineBytes } : {}),
    ...(o.bias ? { bias: o.bias } : {}),
  };
}

/** What every part of a window collects for its quality (the same for all, so they join). */
export function predictionSpec(plan: QualityPlan): PredictionSpec {
  const slices: SliceSpec[] = Object.entries(plan.sliceBaselines).map(([name, baseline]) => ({
    name,
    baseline,
  }));
  return {
    problemType: plan.problemType,
    outputColumn: plan.outputColumn,
    slices,
    threshold: plan.threshold,
    ...(plan.bias ? { extraColumns: biasColumns(plan.bias.config) } : {}),
  };
}

/** One window's quality: what its parts collect, then the join with the labels. */
export interface WindowQualityRun {
  /** Pass as `runWindow`'s `predictions`: every part of the window collects these. */
  spec: PredictionSpec;
  /**
   * Starts reading the window's labels ahead, 16 bytes a label: for when the main thread would
   * otherwise wait (profiling on worker threads). Pass the result to evaluate.
   */
  prefetch(window: { start: string | null; end: string | null }): Promise<PrefetchedLabels>;
  /** Reads the labels of the window's collection hours (or takes those read ahead) and joins them to the parts' predictions. */
  evaluate(
    parts: readonly PredictionPart[],
    window: { start: string | null; end: string | null },
    now: Date,
    prefetched?: Promise<PrefetchedLabels>,
  ): Promise<QualityAndBias>;
}

/** Starts the quality of one window under `plan` (see {@link qualityForWindow}). */
export function startWindowQuality(plan: QualityPlan): WindowQualityRun {
  const spec = predictionSpec(plan);
  const reading = {
    groundTruth: plan.groundTruth,
    labelLookbackHours: plan.labelLookbackHours,
    maxLineBytes: plan.maxLineBytes,
    bias: plan.bias ?? null,
  };
  return {
    spec,
    prefetch: (window) => prefetchLabels(plan.problemType, { ...reading, window }),
    evaluate: (parts, window, now, prefetched) =>
      qualityForWindow(
        spec,
        parts,
        {
          ...reading,
          problemType: plan.problemType,
          constraints: plan.constraints,
          minSliceSupport: plan.minSliceSupport,
          window,
          now,
        },
        prefetched,
      ),
  };
}
