/**
 * The join of a window's predictions to its ground-truth labels, and the window's quality from
 * it. Pure: the predictions come from the profiler's rows, the labels from whoever read them
 * (functions/pipeline/quality-window.ts reads the window's collection hours). The rules, as
 * `report.json` states them (`quality.join`, `quality.notes`):
 *
 * - **Key**: a prediction's key is its capture's `inferenceId`, else its `eventId`; a label's is
 *   its `eventMetadata.eventId` (FORMATS.md). A prediction is a profiled row of the window that
 *   has an output value: BinaryClassification's score, MulticlassClassification's predicted label,
 *   Regression's number, read from the output column the quality baseline names (the probability
 *   column for binary, else the prediction column) or else the row's first output column.
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
 * as predictions. That suits hourly or daily windows of an endpoint, not unbounded history.
 */

import {
  type GroundTruthLabels,
  LABEL_REJECT_REASON_TEXT,
  type LabelRejectReason,
  rejectedLabelCount,
} from '../../contracts/ground-truth-labels.ts';
import type { ProblemType } from '../../contracts/problem-type.ts';
import { DEFAULT_PROBABILITY_THRESHOLD } from './binary-metrics.ts';
import { FeatureColumns } from './feature-columns.ts';
import { parseFiniteNumber } from './labelled-records.ts';
import type { ModelQualityConstraints, QualityViolation } from './quality-constraints.ts';
import { computeQuality, type JoinCounts, type QualityReport } from './quality-report.ts';
import {
  computeModelQualityStatistics,
  type ModelQualityStatistics,
} from './sagemaker-quality-statistics.ts';
import type { SliceBaseline } from './slices.ts';
import type { FeatureValue, FeatureValues, LabelledPrediction } from './types.ts';
import type { QualityJoin, WindowQuality } from './window-quality.ts';

/** Fewest records a listed slice has, by default. */
export const DEFAULT_MIN_SLICE_SUPPORT = 30;

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
 * Collects a window's predictions as the profiler's `onRow` sees them (one call per profiled
 * row), for {@link joinQuality}. Keeps one entry per row: see the memory note above.
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

  /** Pass as the profiler's `onRow`. */
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
      // Not in this row: left missing. Own fields only: `constructor` is a name like any other.
      if (!Object.hasOwn(inputs, name)) continue;
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
    if (
      this.outputColumn !== null &&
      Object.hasOwn(outputs, this.outputColumn) &&
      outputs[this.outputColumn] !== undefined
    )
      return outputs[this.outputColumn];
    for (const k in outputs) if (Object.hasOwn(outputs, k)) return outputs[k];
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
  /** How to slice input features; no slices when absent. */
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

/** The predictions that have a label, and the counts of both sides. */
function matchLabels(
  collector: PredictionCollector,
  labels: GroundTruthLabels,
  problemType: ProblemType,
): { records: LabelledPrediction[]; join: JoinCounts } {
  const records: LabelledPrediction[] = [];
  let unmatched = collector.keyless;
  for (const [key, p] of collector.predictions()) {
    const label = labels.labels.get(key);
    if (label === undefined) unmatched++;
    else records.push(labelledPrediction(problemType, label, p));
  }
  const join: JoinCounts = {
    matched: records.length,
    unmatchedPredictions: unmatched,
    unmatchedLabels: labels.labels.size - records.length,
    duplicateLabels: labels.duplicates,
  };
  return { records, join };
}

/**
 * The slices to analyse: those of `wanted` the window's inputs carry (a SageMaker baseline's
 * first columns are outputs), each as the collector kept it.
 */
function slicesToAnalyse(
  collector: PredictionCollector,
  wanted: Readonly<Record<string, SliceBaseline>>,
): Record<string, SliceBaseline> {
  const slices: Record<string, SliceBaseline> = Object.create(null);
  for (const [name, s] of Object.entries(wanted)) {
    if (!collector.seenFeatures.has(name)) continue;
    // The collector kept each value as its slicing needs it: it must be sliced the same way.
    if (collector.sliceKind(name) !== s.kind)
      throw new Error(
        `feature "${name}" was collected for ${collector.sliceKind(name)} slices, not ${s.kind}`,
      );
    slices[name] = s;
  }
  return slices;
}

/** `quality.join`: what was read on each side and what could not be used. */
function joinDetails(
  collector: PredictionCollector,
  labels: GroundTruthLabels,
  o: Pick<JoinQualityOptions, 'labelHours' | 'lookbackHours'>,
): QualityJoin {
  return {
    key: 'inferenceId, else eventId',
    labelHours: o.labelHours,
    lookbackHours: o.lookbackHours,
    labelFiles: labels.files,
    labels: labels.labels.size,
    labelsRejected: rejectedLabelCount(labels),
    labelsRejectedByReason: Object.fromEntries(Object.entries(labels.rejectedByReason).sort()) as Record<
      string,
      number
    >,
    rows: collector.rows,
    rowsWithoutOutput: collector.rowsWithoutOutput,
    predictionsWithoutKey: collector.keyless,
    repeatedPredictionKeys: collector.repeatedKeys,
  };
}

/** `quality.notes`: what the numbers cover, in plain language, only where something is worth saying. */
function joinNotes(
  join: JoinCounts,
  details: QualityJoin,
  report: QualityReport,
  labels: GroundTruthLabels,
  o: Pick<JoinQualityOptions, 'problemType' | 'window' | 'labelHours' | 'lookbackHours'>,
): string[] {
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
  if (details.labelsRejected > 0)
    notes.push(
      `${plural(details.labelsRejected, 'ground-truth line')} could not be used (${Object.entries(
        details.labelsRejectedByReason,
      )
        .map(([k, n]) => `${k}: ${n}, ${LABEL_REJECT_REASON_TEXT[k as LabelRejectReason] ?? k}`)
        .join('; ')}).`,
    );
  if (report.invalidLabels > 0 || report.invalidPredictions > 0)
    notes.push(
      `Left out of the metrics: ${plural(report.invalidLabels, 'matched label')} that do not parse as ${o.problemType} labels, ${plural(report.invalidPredictions, 'prediction')} that do not parse.`,
    );
  if (details.predictionsWithoutKey > 0)
    notes.push(
      `${plural(details.predictionsWithoutKey, 'row')} had neither inferenceId nor eventId and cannot be joined.`,
    );
  if (details.repeatedPredictionKeys > 0)
    notes.push(
      `${plural(details.repeatedPredictionKeys, 'row')} repeated a key an earlier row had (batch records or reused inferenceIds): each key is joined once, with its last row.`,
    );
  if (labels.skipped.length > 0)
    notes.push(
      `${plural(labels.skipped.length, 'file')} under the ground-truth location are not JSON Lines and were not read, e.g. ${labels.skipped[0]}.`,
    );
  return notes;
}

/**
 * Joins collected predictions to the labels read (the rules are in this file's header) and
 * computes the window's quality: `report.json`'s `quality`, SageMaker's model-quality statistics
 * of the window (when anything could be evaluated) and the constraint violations.
 */
export function joinQuality(
  collector: PredictionCollector,
  labels: GroundTruthLabels,
  o: JoinQualityOptions,
): QualityWindowResult {
  const threshold = o.threshold ?? DEFAULT_PROBABILITY_THRESHOLD;
  const { records, join } = matchLabels(collector, labels, o.problemType);
  const minSliceSupport = o.minSliceSupport ?? DEFAULT_MIN_SLICE_SUPPORT;
  const report = computeQuality(o.problemType, records, {
    join,
    threshold,
    constraints: o.constraints ?? null,
    sliceBaselines: slicesToAnalyse(collector, o.sliceBaselines ?? {}),
    minSliceSupport,
    sliceLimit: o.sliceLimit,
    windowScores: o.problemType === 'BinaryClassification' ? collector.scores : undefined,
  });
  const details = joinDetails(collector, labels, o);
  const notes = joinNotes(join, details, report, labels, o);

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
