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
 * Memory: predictions are bytes (prediction-part.ts, about 24 bytes plus 1-2 per sliced feature),
 * labels are matched as they are read (quality-join.ts), and what is kept for the metrics is a
 * mergeable partial (quality-partial.ts, 9 bytes a labelled binary prediction).
 */

import {
  LABEL_REJECT_REASON_TEXT,
  type LabelFilesRead,
  type LabelRejectReason,
  rejectedLabelCount,
} from '../../contracts/ground-truth-labels.ts';
import type { ProblemType } from '../../contracts/problem-type.ts';
import { partialMetrics } from './partial-metrics.ts';
import type { ModelQualityConstraints, QualityViolation } from './quality-constraints.ts';
import type { QualityPartial } from './quality-partial.ts';
import { type JoinCounts, type QualityReport, reportOfPartial } from './quality-report.ts';
import { type ModelQualityStatistics, statisticsOfMetrics } from './sagemaker-quality-statistics.ts';
import type { QualityJoin, WindowQuality } from './window-quality.ts';

/** Fewest records a listed slice has, by default. */
export const DEFAULT_MIN_SLICE_SUPPORT = 30;

/** Options of {@link joinQuality}. */
export interface JoinQualityOptions {
  problemType: ProblemType;
  /** Model-quality constraints to evaluate; none when absent. */
  constraints?: ModelQualityConstraints | null;
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

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** What the report states about both sides of the join. */
function joinCounts(p: QualityPartial): JoinCounts {
  return {
    matched: p.counts.matched,
    unmatchedPredictions: p.counts.unmatchedPredictions,
    unmatchedLabels: p.counts.unmatchedLabels,
    duplicateLabels: p.counts.duplicateLabels,
  };
}

/** `quality.join`: what was read on each side and what could not be used. */
function joinDetails(
  p: QualityPartial,
  labels: LabelFilesRead,
  o: Pick<JoinQualityOptions, 'labelHours' | 'lookbackHours'>,
): QualityJoin {
  return {
    key: 'inferenceId, else eventId',
    labelHours: o.labelHours,
    lookbackHours: o.lookbackHours,
    labelFiles: labels.files,
    labels: p.counts.labels,
    labelsRejected: rejectedLabelCount(labels),
    labelsRejectedByReason: Object.fromEntries(Object.entries(labels.rejectedByReason).sort()) as Record<
      string,
      number
    >,
    rows: p.counts.rows,
    rowsWithoutOutput: p.counts.rowsWithoutOutput,
    predictionsWithoutKey: p.counts.keyless,
    repeatedPredictionKeys: p.counts.repeatedKeys,
  };
}

/** `quality.notes`: what the numbers cover, in plain language, only where something is worth saying. */
function joinNotes(
  join: JoinCounts,
  details: QualityJoin,
  report: QualityReport,
  labels: LabelFilesRead,
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
  if (report.approximation)
    notes.push(
      `More labelled predictions than are kept exactly: the ROC AUC and curves come from a ${report.approximation.bins}-bin score histogram, the AUC within ${report.approximation.aucErrorBound.toPrecision(2)} of its exact value; the confusion counts and the metrics from them are exact.`,
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
 * The window's quality from its joined partial (quality-join.ts) and what the label reader
 * read: `report.json`'s `quality`, SageMaker's model-quality statistics of the window (when
 * anything could be evaluated) and the constraint violations.
 */
export function evaluateJoin(
  p: QualityPartial,
  labels: LabelFilesRead,
  o: JoinQualityOptions,
): QualityWindowResult {
  const join = joinCounts(p);
  const minSliceSupport = o.minSliceSupport ?? DEFAULT_MIN_SLICE_SUPPORT;
  const pm = partialMetrics(p);
  const report = reportOfPartial(p, pm, {
    join,
    constraints: o.constraints ?? null,
    minSliceSupport,
    sliceLimit: o.sliceLimit,
    slices: true,
  });
  const details = joinDetails(p, labels, o);
  const notes = joinNotes(join, details, report, labels, o);

  let statistics: ModelQualityStatistics | null = null;
  if (report.evaluated > 0) {
    const window: Record<string, string> = { evaluation_time: o.now.toISOString() };
    if (o.window.start !== null) window.start_time = o.window.start;
    if (o.window.end !== null) window.end_time = o.window.end;
    statistics = statisticsOfMetrics(o.problemType, pm, { window });
  }

  return {
    quality: { ...report, minSliceSupport, join: details, notes },
    statistics,
    violations: { violations: report.violations },
  };
}
