/**
 * Model quality for one window: the window's predictions (collected while its capture is
 * profiled) joined to ground-truth labels, then the engine's quality report, SageMaker's
 * model-quality `statistics.json` for the window and the quality constraint violations.
 *
 * The join, as `report.json` states it (`quality.join`, `quality.notes`):
 *
 * - **Key**: a prediction's key is its capture's `inferenceId`, else its `eventId`; a label's is
 *   its `eventMetadata.eventId` (FORMATS.md). A prediction is a profiled row of the window that
 *   has an output value: BinaryClassification's score, MulticlassClassification's predicted label,
 *   Regression's number, read from the output column the quality baseline names (the probability
 *   column for binary, else the prediction column) or else the row's first output column.
 * - **Late labels**: labels land in the hour they were collected, hours or days after the
 *   prediction. For a window [start, end) the labels of the collection hours
 *   [start, end + look-back) are read (default look-back 24 h); without a window, every label.
 * - **matched**: predictions with a label. **unmatchedPredictions**: predictions with none (yet;
 *   a later run over the same window may match more), and rows with no key at all.
 *   **unmatchedLabels**: labels read that match no prediction of this window; with a window these
 *   are mostly labels of other windows' predictions read through the look-back, not errors.
 * - **Duplicates**: an id labelled twice keeps the label read last (files in key order, lines in
 *   order), and each replaced label is counted (`duplicateLabels`). Two rows of the window with
 *   one key (a batch record, a reused inferenceId) join their key once, with the last row; the
 *   others are counted (`join.repeatedPredictionKeys`).
 * - **Bad labels**: ground-truth lines that do not parse, or have no eventId or data, are counted
 *   by reason (`join.labelsRejectedByReason`); matched labels that do not parse for the problem
 *   type are counted as `invalidLabels`. Nothing is thrown.
 * - **Estimated quality** (BinaryClassification): from the scores of every row of the window,
 *   labelled or not, assuming calibrated scores (estimated-quality.ts), so a window whose labels
 *   have not arrived still gets one, shown next to the realised metrics once they do.
 *
 * Memory: the collector keeps one entry per row (the key, the output value and the sliced input
 * values, column by column: feature-columns.ts) until the join, so a window must fit in memory
 * as predictions; labels cost one map entry per id read. That suits hourly or daily windows of an endpoint, not unbounded history.
 */

import { PROBLEM_TYPES, type ProblemType } from '../contracts/problem-type.ts';
import { HOUR_MS } from '../contracts/time.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { DEFAULT_PROBABILITY_THRESHOLD } from '../engine/quality/binary-metrics.ts';
import { FeatureColumns } from '../engine/quality/feature-columns.ts';
import { parseFiniteNumber } from '../engine/quality/labelled-records.ts';
import {
  type ModelQualityConstraints,
  parseQualityConstraints,
  type QualityViolation,
} from '../engine/quality/quality-constraints.ts';
import { computeQuality, type JoinCounts } from '../engine/quality/quality-report.ts';
import {
  computeModelQualityStatistics,
  type ModelQualityStatistics,
} from '../engine/quality/sagemaker-quality-statistics.ts';
import type { SliceBaseline } from '../engine/quality/slices.ts';
import type { FeatureValue, FeatureValues, LabelledPrediction } from '../engine/quality/types.ts';
import type { QualityJoin, WindowQuality } from '../engine/quality/window-quality.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import { binEdges } from '../engine/stats/binning.ts';
import {
  type GroundTruthLabels,
  LABEL_REJECT_REASON_TEXT,
  type LabelRejectReason,
  readGroundTruth,
  rejectedLabelCount,
} from '../sources/ground-truth.ts';
import type { ObjectStore } from '../stores/object-store.ts';

/** Where a baseline folder keeps its model-quality files (SageMaker's format, plus the settings). */
export const QUALITY_BASELINE_DIR = 'model-quality';
export const QUALITY_STATISTICS_FILE = `${QUALITY_BASELINE_DIR}/statistics.json`;
export const QUALITY_CONSTRAINTS_FILE = `${QUALITY_BASELINE_DIR}/constraints.json`;
export const QUALITY_SETTINGS_FILE = `${QUALITY_BASELINE_DIR}/quality-baseline.json`;

/** Hours of labels read after a window's end, by default. */
export const DEFAULT_LABEL_LOOKBACK_HOURS = 24;
/** Fewest records a listed slice has, by default. */
export const DEFAULT_MIN_SLICE_SUPPORT = 30;

/**
 * How a quality baseline was made (`model-quality/quality-baseline.json`), so a run reads the
 * same columns with the same threshold without being told again.
 */
export interface QualityBaselineSettings {
  format: 'driftwatch-quality-baseline';
  version: 1;
  problemType: ProblemType;
  labelColumn: string;
  /** BinaryClassification's score column, when there is one. */
  probabilityColumn: string | null;
  /** The predicted label (classification) or value (regression) column, when there is one. */
  predictionColumn: string | null;
  /** BinaryClassification's threshold; `null` for the other problem types. */
  threshold: number | null;
}

/** A baseline folder's model-quality files; either may be absent. */
export interface QualityBaselineFiles {
  constraints: ModelQualityConstraints | null;
  settings: QualityBaselineSettings | null;
}

function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BaselineFileError(file, `is not valid JSON (${(e as Error).message}); restore or rebuild it`);
  }
}

/**
 * Reads `model-quality/constraints.json` (ours or SageMaker's, as they are) and
 * `model-quality/quality-baseline.json` from a baseline folder. Errors name the file.
 */
export async function loadQualityBaseline(store: ObjectStore): Promise<QualityBaselineFiles> {
  const where = (f: string) => `${store.location.replace(/\/$/, '')}/${f}`;
  const constraintsText = await store.getText(QUALITY_CONSTRAINTS_FILE);
  let constraints: ModelQualityConstraints | null = null;
  if (constraintsText !== null) {
    const file = where(QUALITY_CONSTRAINTS_FILE);
    try {
      constraints = parseQualityConstraints(parseJsonFile(constraintsText, file), file);
    } catch (e) {
      if (e instanceof BaselineFileError) throw e;
      throw new BaselineFileError(file, (e as Error).message.replace(`${file}: `, ''));
    }
  }
  const settingsText = await store.getText(QUALITY_SETTINGS_FILE);
  let settings: QualityBaselineSettings | null = null;
  if (settingsText !== null) {
    const file = where(QUALITY_SETTINGS_FILE);
    const json = parseJsonFile(settingsText, file) as Partial<QualityBaselineSettings> | null;
    if (
      json === null ||
      typeof json !== 'object' ||
      json.format !== 'driftwatch-quality-baseline' ||
      !PROBLEM_TYPES.includes(json.problemType as ProblemType)
    )
      throw new BaselineFileError(
        file,
        'is not a driftwatch quality baseline; rebuild it with `driftwatch baseline --problem-type ...`',
      );
    settings = json as QualityBaselineSettings;
  }
  return { constraints, settings };
}

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
  const out: Record<string, SliceBaseline> = {};
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

/** Options of {@link PredictionCollector}. */
export interface PredictionCollectorOptions {
  problemType: ProblemType;
  /** Output column holding the score or prediction; `null`: each row's first output column. */
  outputColumn?: string | null;
  /**
   * Input features kept with each prediction, and how each will be sliced (the same baselines
   * must then be given to {@link joinQuality}); none when absent.
   */
  sliceBaselines?: Readonly<Record<string, SliceBaseline>>;
}

/** One collected prediction: its output value and the input values slices need. */
export interface CollectedPrediction {
  output: unknown;
  features: FeatureValues;
}

function featureValue(v: unknown): FeatureValue {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'boolean') return String(v);
  return null;
}

/**
 * Collects a window's predictions as `runWindow`'s `onRow` sees them (one call per profiled row),
 * for {@link joinQuality}. Keeps one entry per row: see the memory note above.
 */
export class PredictionCollector {
  /** The row of each join key's prediction (the last row with a key wins). */
  private readonly keyRows = new Map<string, number>();
  /** Output value of each row. */
  private readonly outputs: unknown[] = [];
  /** Sliced input values of each row. */
  private readonly features: FeatureColumns;
  /** Rows with no key: never matched. */
  keyless = 0;
  /** BinaryClassification: the score of every row with an output, for the estimate (NaN when not a number). */
  readonly scores: number[] = [];
  rows = 0;
  rowsWithoutOutput = 0;
  repeatedKeys = 0;
  /** Slice features seen on the input side of some row. */
  readonly seenFeatures = new Set<string>();
  private readonly outputColumn: string | null;

  constructor(private readonly options: PredictionCollectorOptions) {
    this.outputColumn = options.outputColumn ?? null;
    this.features = new FeatureColumns(options.sliceBaselines ?? {});
  }

  /** The predictions by join key, in the order of the rows that keyed them last. */
  *predictions(): IterableIterator<[string, CollectedPrediction]> {
    for (const [key, row] of this.keyRows)
      yield [key, { output: this.outputs[row], features: this.features.view(row) }];
  }

  /** How the collector kept `feature` for slicing, undefined when it did not. */
  sliceKind(feature: string): SliceBaseline['kind'] | undefined {
    return this.features.kindOf(feature);
  }

  /** Pass as `runWindow`'s `onRow`. */
  readonly onRow = (
    key: string | undefined,
    inputs: Record<string, unknown>,
    outputs: Record<string, unknown>,
  ): void => {
    this.rows++;
    const output = this.outputOf(outputs);
    if (output === undefined) {
      this.rowsWithoutOutput++;
      return;
    }
    if (this.options.problemType === 'BinaryClassification')
      this.scores.push(parseFiniteNumber(output) ?? Number.NaN);
    if (key === undefined) {
      this.keyless++;
      return;
    }
    const row = this.features.addRow();
    const names = this.features.names;
    for (let f = 0; f < names.length; f++) {
      const name = names[f]!;
      // Not in this row: left missing.
      if (!(name in inputs)) continue;
      this.seenFeatures.add(name);
      this.features.set(f, row, featureValue(inputs[name]));
    }
    this.outputs[row] = output;
    if (this.keyRows.has(key)) {
      this.repeatedKeys++;
      // Re-insert so iteration order stays the order of the rows joined.
      this.keyRows.delete(key);
    }
    this.keyRows.set(key, row);
  };

  private outputOf(outputs: Record<string, unknown>): unknown {
    if (this.outputColumn !== null && outputs[this.outputColumn] !== undefined)
      return outputs[this.outputColumn];
    for (const k in outputs) return outputs[k];
    return undefined;
  }
}

/** Options of {@link joinQuality}. */
export interface JoinQualityOptions {
  problemType: ProblemType;
  /** @default 0.5 */
  threshold?: number;
  /** Model-quality constraints to evaluate; none when absent. */
  constraints?: ModelQualityConstraints | null;
  /** How to slice input features (see {@link sliceBaselines}); no slices when absent. */
  sliceBaselines?: Readonly<Record<string, SliceBaseline>>;
  /** @default 30 */
  minSliceSupport?: number;
  /** @default 10 */
  sliceLimit?: number;
  /** The window the predictions come from. */
  window: { start: string | null; end: string | null };
  /** The label-collection hours that were read, [start, end). */
  labelHours: { start: string | null; end: string | null };
  /** The look-back used, `null` without a window. */
  lookbackHours: number | null;
  /** Evaluation time written into the window's statistics. */
  now: Date;
}

/** The quality results of a window. */
export interface QualityWindowResult {
  /** `report.json`'s `quality`. */
  quality: WindowQuality;
  /** SageMaker model-quality `statistics.json` of the window; `null` when nothing could be evaluated. */
  statistics: ModelQualityStatistics | null;
  /** Model-quality `constraint_violations.json` of the window. */
  violations: { violations: QualityViolation[] };
}

function labelledPrediction(
  problemType: ProblemType,
  label: string | number,
  p: CollectedPrediction,
): LabelledPrediction {
  const out = p.output;
  const prediction =
    typeof out === 'number' || typeof out === 'string'
      ? out
      : typeof out === 'boolean'
        ? String(out)
        : undefined;
  if (problemType === 'BinaryClassification') {
    const score = parseFiniteNumber(out);
    // Not a number: may still be a 0/1 or true/false predicted label (labelled-records.ts).
    return score === null
      ? { label, prediction, features: p.features }
      : { label, score, features: p.features };
  }
  return { label, prediction, features: p.features };
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * Joins collected predictions to labels read (the rules are in this file's header) and computes
 * the window's quality. Pure: reading the labels is {@link qualityForWindow}'s job.
 */
export function joinQuality(
  collector: PredictionCollector,
  labels: GroundTruthLabels,
  o: JoinQualityOptions,
): QualityWindowResult {
  const threshold = o.threshold ?? DEFAULT_PROBABILITY_THRESHOLD;
  const records: LabelledPrediction[] = [];
  let unmatched = collector.keyless;
  for (const [key, p] of collector.predictions()) {
    const label = labels.labels.get(key);
    if (label === undefined) unmatched++;
    else records.push(labelledPrediction(o.problemType, label, p));
  }
  const join: JoinCounts = {
    matched: records.length,
    unmatchedPredictions: unmatched,
    unmatchedLabels: labels.labels.size - records.length,
    duplicateLabels: labels.duplicates,
  };
  // Slice only features the window's inputs carry (a SageMaker baseline's first columns are outputs).
  const slices: Record<string, SliceBaseline> = {};
  for (const [name, s] of Object.entries(o.sliceBaselines ?? {})) {
    if (!collector.seenFeatures.has(name)) continue;
    // The collector kept each value as its slicing needs it: it must be sliced the same way.
    if (collector.sliceKind(name) !== s.kind)
      throw new Error(
        `feature "${name}" was collected for ${collector.sliceKind(name)} slices, not ${s.kind}`,
      );
    slices[name] = s;
  }
  const minSliceSupport = o.minSliceSupport ?? DEFAULT_MIN_SLICE_SUPPORT;
  const report = computeQuality(o.problemType, records, {
    join,
    threshold,
    constraints: o.constraints ?? null,
    sliceBaselines: slices,
    minSliceSupport,
    sliceLimit: o.sliceLimit,
    windowScores: o.problemType === 'BinaryClassification' ? collector.scores : undefined,
  });

  const labelsRejected = rejectedLabelCount(labels);
  const details: QualityJoin = {
    key: 'inferenceId, else eventId',
    labelHours: o.labelHours,
    lookbackHours: o.lookbackHours,
    labelFiles: labels.files,
    labels: labels.labels.size,
    labelsRejected,
    labelsRejectedByReason: Object.fromEntries(Object.entries(labels.rejectedByReason).sort()) as Record<
      string,
      number
    >,
    rows: collector.rows,
    rowsWithoutOutput: collector.rowsWithoutOutput,
    predictionsWithoutKey: collector.keyless,
    repeatedPredictionKeys: collector.repeatedKeys,
  };

  const notes: string[] = [];
  const windowed = o.window.start !== null || o.window.end !== null;
  notes.push(
    windowed
      ? `Labels were read from the collection hours ${o.labelHours.start ?? '…'} to ${o.labelHours.end ?? '…'}` +
          (o.lookbackHours === null
            ? ''
            : ` (the window and ${o.lookbackHours} h after it, for late labels)`) +
          `; ${plural(join.unmatchedLabels, 'label matches', 'labels match')} no prediction of this window: they may belong to other windows' predictions.`
      : `Labels were read from every ground-truth file; ${plural(join.unmatchedLabels, 'label matches', 'labels match')} no captured prediction.`,
  );
  if (join.matched === 0) {
    notes.push(
      o.problemType === 'BinaryClassification'
        ? 'No label has arrived for this window’s predictions yet: metrics are null; `estimated` comes from the scores alone and assumes they are calibrated probabilities.'
        : 'No label has arrived for this window’s predictions yet: metrics are null until they do.',
    );
  } else if (join.unmatchedPredictions > 0) {
    notes.push(
      `${plural(join.unmatchedPredictions, 'prediction has', 'predictions have')} no label yet (labels arrive late, some never): the metrics cover the ${join.matched} matched; a later run over this window may match more.`,
    );
  }
  if (report.estimated !== null && join.matched > 0)
    notes.push(
      '`estimated` is computed from every score of the window (calibration assumed); compare it with the realised metrics to see how far to trust it before labels arrive.',
    );
  if (join.duplicateLabels > 0)
    notes.push(
      `${plural(join.duplicateLabels, 'label')} replaced an earlier label for the same id: the one read last (files in key order) wins.`,
    );
  if (labelsRejected > 0)
    notes.push(
      `${plural(labelsRejected, 'ground-truth line')} could not be used (${Object.entries(
        details.labelsRejectedByReason,
      )
        .map(([k, n]) => `${k}: ${n}, ${LABEL_REJECT_REASON_TEXT[k as LabelRejectReason] ?? k}`)
        .join('; ')}).`,
    );
  if (report.invalidLabels > 0 || report.invalidPredictions > 0)
    notes.push(
      `Left out of the metrics: ${plural(report.invalidLabels, 'matched label')} that do not parse as ${o.problemType} labels, ${plural(report.invalidPredictions, 'prediction')} that do not parse.`,
    );
  if (collector.keyless > 0)
    notes.push(
      `${plural(collector.keyless, 'row')} had neither inferenceId nor eventId and cannot be joined.`,
    );
  if (collector.repeatedKeys > 0)
    notes.push(
      `${plural(collector.repeatedKeys, 'row')} repeated a key an earlier row had (batch records or reused inferenceIds): each key is joined once, with its last row.`,
    );
  if (labels.skipped.length > 0)
    notes.push(
      `${plural(labels.skipped.length, 'file')} under the ground-truth location are not JSON Lines and were not read, e.g. ${labels.skipped[0]}.`,
    );

  let statistics: ModelQualityStatistics | null = null;
  if (report.evaluated > 0) {
    const window: Record<string, string> = { evaluation_time: o.now.toISOString() };
    if (o.window.start !== null) window.start_time = o.window.start;
    if (o.window.end !== null) window.end_time = o.window.end;
    statistics = computeModelQualityStatistics(o.problemType, records, { threshold, window });
  }

  return {
    quality: { ...report, minSliceSupport, join: details, notes },
    statistics,
    violations: { violations: report.violations },
  };
}

/** Options of {@link qualityForWindow}. */
export interface QualityWindowOptions extends Omit<JoinQualityOptions, 'labelHours' | 'lookbackHours'> {
  groundTruth: ObjectStore;
  /**
   * Hours of labels read after the window's end.
   * @default 24
   */
  labelLookbackHours?: number;
  /** Longest ground-truth line read. */
  maxLineBytes?: number;
}

/**
 * Reads the labels of a window's collection hours (the window plus the look-back; everything
 * without a window) and joins them to the collected predictions.
 */
export async function qualityForWindow(
  collector: PredictionCollector,
  o: QualityWindowOptions,
): Promise<QualityWindowResult> {
  const windowed = o.window.start !== null || o.window.end !== null;
  const lookbackHours = windowed ? (o.labelLookbackHours ?? DEFAULT_LABEL_LOOKBACK_HOURS) : null;
  const startMs = o.window.start === null ? undefined : Date.parse(o.window.start);
  const endMs = o.window.end === null ? undefined : Date.parse(o.window.end) + (lookbackHours ?? 0) * HOUR_MS;
  const labels = await readGroundTruth(o.groundTruth, { startMs, endMs, maxLineBytes: o.maxLineBytes });
  return joinQuality(collector, labels, {
    ...o,
    labelHours: {
      start: startMs === undefined ? null : new Date(startMs).toISOString(),
      end: endMs === undefined ? null : new Date(endMs).toISOString(),
    },
    lookbackHours,
  });
}

/**
 * How a run computes model quality for its windows, settled once per run from the baseline
 * folder and the caller's settings; the CLI's `run` and the monitor Lambda both build one with
 * {@link planQuality} and run each window through {@link startWindowQuality}.
 */
export interface QualityPlan {
  /** Where the labels are: the store's hour folders are the label-collection hours. */
  groundTruth: ObjectStore;
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
    threshold: o.threshold ?? settings?.threshold ?? DEFAULT_PROBABILITY_THRESHOLD,
    constraints: o.constraints === undefined ? files.constraints : o.constraints,
    outputColumn: predictionColumnOf(settings, o.problemType),
    sliceBaselines: sliceBaselines(baseline),
    ...(o.labelLookbackHours !== undefined ? { labelLookbackHours: o.labelLookbackHours } : {}),
    ...(o.minSliceSupport !== undefined ? { minSliceSupport: o.minSliceSupport } : {}),
    ...(o.maxLineBytes !== undefined ? { maxLineBytes: o.maxLineBytes } : {}),
  };
}

/** One window's quality in progress: collect its rows while it is profiled, then evaluate. */
export interface WindowQualityRun {
  /** Pass as `runWindow`'s `onRow` (which then profiles in this thread). */
  onRow: PredictionCollector['onRow'];
  /** Reads the labels of the window's collection hours and joins them to the rows collected. */
  evaluate(window: { start: string | null; end: string | null }, now: Date): Promise<QualityWindowResult>;
}

/** Starts the quality of one window under `plan`: a fresh collector, then {@link qualityForWindow}. */
export function startWindowQuality(plan: QualityPlan): WindowQualityRun {
  const collector = new PredictionCollector({
    problemType: plan.problemType,
    outputColumn: plan.outputColumn,
    sliceBaselines: plan.sliceBaselines,
  });
  return {
    onRow: collector.onRow,
    evaluate: (window, now) =>
      qualityForWindow(collector, {
        problemType: plan.problemType,
        threshold: plan.threshold,
        constraints: plan.constraints,
        sliceBaselines: plan.sliceBaselines,
        minSliceSupport: plan.minSliceSupport,
        window,
        now,
        groundTruth: plan.groundTruth,
        labelLookbackHours: plan.labelLookbackHours,
        maxLineBytes: plan.maxLineBytes,
      }),
  };
}
