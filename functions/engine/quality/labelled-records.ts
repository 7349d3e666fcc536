/**
 * Turns joined records into the clean columns the metric functions take. A record whose label or
 * prediction does not parse for the problem type is counted, never thrown: ground truth is
 * written by people and scripts, and one bad line must not lose a window's quality.
 */

import { classifyNumericText, ValueClass } from '../capture/value-parse.ts';
import type { LabelledPrediction } from './types.ts';

/** A binary class: 1 is the positive class. */
export type BinaryLabel = 0 | 1;

/**
 * Labels and predictions of the records that parsed, aligned by position, and the tally of those
 * that did not. A record is counted once, under its first problem: a bad label is an
 * `invalidLabels`, a good label with a bad prediction an `invalidPredictions`.
 */
export interface LabelledColumns<L, P> {
  labels: L[];
  predictions: P[];
  /** For each kept record, its position in the input (to reach its features). */
  kept: number[];
  invalidLabels: number;
  invalidPredictions: number;
}

/** Binary columns: the predictions are the scores. */
export type BinaryColumns = LabelledColumns<BinaryLabel, number>;
/** Multiclass columns: class names on both sides. */
export type MulticlassColumns = LabelledColumns<string, string>;
/** Regression columns: numbers on both sides. */
export type RegressionColumns = LabelledColumns<number, number>;

/**
 * A finite number from a number or decimal text (surrounding spaces allowed); `null` otherwise.
 * Decimal text only: `Number()` alone would also take `""`, `"0x1"` and `"Infinity"`.
 */
export function parseFiniteNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  const kind = classifyNumericText(text);
  if (kind !== ValueClass.Integral && kind !== ValueClass.Fractional) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/** A binary label from 0/1, `"0"`/`"1"`/`"1.0"`, `true`/`false` or `"true"`/`"false"`; `null` otherwise. */
export function parseBinaryLabel(value: unknown): BinaryLabel | null {
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = value.trim().toLowerCase();
    if (text === 'true') return 1;
    if (text === 'false') return 0;
  }
  const n = parseFiniteNumber(value);
  return n === 1 ? 1 : n === 0 ? 0 : null;
}

/**
 * The class name a label or prediction stands for; `null` for an empty or non-scalar value.
 * Numbers and numeric text share one spelling (`1`, `1.0` and `"1.0"` are all class `"1"`),
 * because a label written as text must match a model that outputs floats (XGBoost does).
 */
export function classKey(value: unknown): string | null {
  if (typeof value === 'boolean') return String(value);
  const n = parseFiniteNumber(value);
  if (n !== null) return String(n);
  if (typeof value !== 'string') return null;
  const text = value.trim();
  return text === '' ? null : text;
}

function parseColumns<L, P>(
  records: readonly LabelledPrediction[],
  parseLabel: (r: LabelledPrediction) => L | null,
  parsePrediction: (r: LabelledPrediction) => P | null,
): LabelledColumns<L, P> {
  const out: LabelledColumns<L, P> = {
    labels: [],
    predictions: [],
    kept: [],
    invalidLabels: 0,
    invalidPredictions: 0,
  };
  records.forEach((record, i) => {
    const label = parseLabel(record);
    if (label === null) {
      out.invalidLabels++;
      return;
    }
    const prediction = parsePrediction(record);
    if (prediction === null) {
      out.invalidPredictions++;
      return;
    }
    out.labels.push(label);
    out.predictions.push(prediction);
    out.kept.push(i);
  });
  return out;
}

/**
 * Binary columns. The score is `record.score`; a record without one may give a 0/1 `prediction`
 * instead (a model that outputs only its predicted label), which then acts as the score.
 */
export function parseBinaryRecords(records: readonly LabelledPrediction[]): BinaryColumns {
  return parseColumns(
    records,
    (r) => parseBinaryLabel(r.label),
    (r) => (r.score !== undefined ? parseFiniteNumber(r.score) : parseBinaryLabel(r.prediction)),
  );
}

/** Multiclass columns: label and prediction as {@link classKey}s. */
export function parseMulticlassRecords(records: readonly LabelledPrediction[]): MulticlassColumns {
  return parseColumns(
    records,
    (r) => classKey(r.label),
    (r) => classKey(r.prediction),
  );
}

/** Regression columns: label and prediction as finite numbers. */
export function parseRegressionRecords(records: readonly LabelledPrediction[]): RegressionColumns {
  return parseColumns(
    records,
    (r) => parseFiniteNumber(r.label),
    (r) => parseFiniteNumber(r.prediction),
  );
}
