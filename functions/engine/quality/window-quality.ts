/**
 * `report.json`'s `quality` section: the engine's quality report and how predictions were joined to labels.
 */
import type { QualityReport } from './quality-report.ts';

/**
 * How a window's predictions were joined to ground truth (`prediction-join.ts` states the
 * rules): what was read on each side and what could not be used.
 */
export interface QualityJoin {
  /** The capture field the join key comes from. */
  key: 'inferenceId, else eventId';
  /** The label-collection hours read, [start, end); `null` ends: every hour. */
  labelHours: { start: string | null; end: string | null };
  /** Hours of labels read after the window's end (late labels); `null` without a window. */
  lookbackHours: number | null;
  /** Ground-truth files read. */
  labelFiles: number;
  /** Distinct ids labelled in those files. */
  labels: number;
  /** Ground-truth lines that could not be used, by reason (never thrown). */
  labelsRejected: number;
  labelsRejectedByReason: Record<string, number>;
  /** Profiled rows of the window (each a prediction when it has an output). */
  rows: number;
  /** Rows with no output value to evaluate (input-only capture): not predictions. */
  rowsWithoutOutput: number;
  /** Rows without inferenceId or eventId: they can never match a label. */
  predictionsWithoutKey: number;
  /** Rows whose key an earlier row of the window already had (a batch record, a reused id): the last row is joined. */
  repeatedPredictionKeys: number;
}

/** `report.json`'s `quality`: the engine's quality report, and how the join went. */
export interface WindowQuality extends QualityReport {
  /** Fewest records a listed slice has. */
  minSliceSupport: number;
  join: QualityJoin;
  /** Plain-language notes on what the numbers cover (late labels, unmatched labels, estimates). */
  notes: string[];
}
