/**
 * Streams a training set (CSV with a header, or JSON Lines) into a BaselineBuilder, so a
 * baseline never needs the data set in memory beyond the profiles.
 */

import { hasOpenQuote, splitCsvRecord } from '../engine/capture/csv.ts';
import { LineSplitter } from '../engine/capture/line-splitter.ts';
import { BaselineBuilder, type BaselineOptions } from '../engine/drift/baseline.ts';
import type { ObjectStore } from '../stores/object-store.ts';

/** How {@link readTrainingData} reads a file, besides the baseline's own options. */
export interface TrainingDataOptions extends BaselineOptions {
  /** The CSV has no header row: columns are named `_c0`, `_c1`, ... as SageMaker names them. */
  noHeader?: boolean;
  /**
   * Called with each data row by column name (CSV fields as text, JSON values as they are), e.g.
   * to collect labels and predictions for a model-quality baseline. Costs an object per row.
   */
  onRow?: (row: Readonly<Record<string, unknown>>) => void;
}

/** Thrown for a training file that cannot be read; the message names the file and the fix. */
export class TrainingDataError extends Error {}

/**
 * CSV rows left out of the baseline because they hold a different number of fields than the
 * header (or, without one, the first row): a value missing or a comma too many shifts every
 * column after it, so such a row is counted, never profiled cut or padded.
 */
export interface LeftOutRows {
  tooFewFields: number;
  tooManyFields: number;
  /** The first such row, counted from 1 over the data rows (the header is not one), and its fields. */
  first: { row: number; fields: number } | null;
  /** The fields a row must have. */
  expected: number;
}

/** Reads a CSV or JSON Lines training file of `store`, row by row, and builds its baseline. */
export async function readTrainingData(store: ObjectStore, key: string, options: TrainingDataOptions = {}) {
  return (await readTrainingSet(store, key, options)).baseline;
}

/** {@link readTrainingData}, with the CSV rows it left out. */
export async function readTrainingSet(store: ObjectStore, key: string, options: TrainingDataOptions = {}) {
  const json = /\.(jsonl|json)$/i.test(key);
  let builder: BaselineBuilder | null = null;
  let lineNo = 0;
  let rowNo = 0;
  const leftOut: LeftOutRows = { tooFewFields: 0, tooManyFields: 0, first: null, expected: 0 };
  let pending = '';
  const fields: string[] = [];
  const file = `${store.location.replace(/\/$/, '')}/${key}`.replace(/^\.\//, '');
  const onRecord = (text: string) => {
    if (json) {
      let row: unknown;
      try {
        row = JSON.parse(text);
      } catch {
        throw new TrainingDataError(
          `${file}: line ${lineNo} is not valid JSON; a JSON Lines training set needs one object per line`,
        );
      }
      if (row === null || typeof row !== 'object' || Array.isArray(row))
        throw new TrainingDataError(`${file}: line ${lineNo} is not a JSON object`);
      if (builder === null) builder = new BaselineBuilder(Object.keys(row), options);
      builder.addNamed(row as Record<string, unknown>);
      options.onRow?.(row as Record<string, unknown>);
      return;
    }
    const n = splitCsvRecord(text, fields);
    if (builder === null) {
      const columns = options.noHeader
        ? Array.from({ length: n }, (_, i) => `_c${i}`)
        : fields.slice(0, n).map((c) => c.trim());
      if (new Set(columns).size !== columns.length)
        throw new TrainingDataError(`${file}: the header names a column twice; column names must be unique`);
      builder = new BaselineBuilder(columns, options);
      leftOut.expected = columns.length;
      if (!options.noHeader) return;
    }
    rowNo++;
    if (n !== leftOut.expected) {
      if (n < leftOut.expected) leftOut.tooFewFields++;
      else leftOut.tooManyFields++;
      leftOut.first ??= { row: rowNo, fields: n };
      return;
    }
    builder.addFields(fields, n);
    if (options.onRow) {
      // Column names are data: `__proto__` must be a column like any other, not the prototype.
      const row: Record<string, unknown> = Object.create(null);
      builder.columns.forEach((c, i) => {
        if (i < n) row[c] = fields[i];
      });
      options.onRow(row);
    }
  };
  const splitter = new LineSplitter((e) => {
    lineNo++;
    if (e.kind !== 'line')
      throw new TrainingDataError(`${file}: line ${lineNo}: ${e.kind.replace(/_/g, ' ')}`);
    if (json) {
      onRecord(e.text);
      return;
    }
    // A quoted CSV field may span lines.
    const text = pending ? `${pending}\n${e.text}` : e.text;
    if (hasOpenQuote(text)) {
      pending = text;
      return;
    }
    pending = '';
    onRecord(text);
  });
  try {
    for await (const chunk of store.read(key)) splitter.push(chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') throw new TrainingDataError(`${file}: no such file`);
    throw e;
  }
  splitter.end();
  if (pending) onRecord(pending);
  if (builder === null)
    throw new TrainingDataError(`${file}: is empty; a training set needs a header and at least one row`);
  const baseline = (builder as BaselineBuilder).finish();
  if (baseline.itemCount === 0) {
    const ragged = leftOut.tooFewFields + leftOut.tooManyFields;
    throw new TrainingDataError(
      ragged === 0
        ? `${file}: has a header but no rows; a training set needs at least one row`
        : `${file}: none of its ${ragged} rows has the ${leftOut.expected} fields of the header (${leftOutText(leftOut)})`,
    );
  }
  // The data's columns, in its order (the label's included), for checks against other files.
  return { baseline, leftOut, columns: [...(builder as BaselineBuilder).columns] };
}

/** The rows left out, in words: "2 with fewer fields than 5; the first is data row 7, with 4 fields". */
export function leftOutText(l: LeftOutRows): string {
  const parts = [
    ...(l.tooFewFields ? [`${l.tooFewFields} with fewer fields than ${l.expected}`] : []),
    ...(l.tooManyFields ? [`${l.tooManyFields} with more fields than ${l.expected}`] : []),
  ];
  return `${parts.join(', ')}; the first is data row ${l.first?.row}, with ${l.first?.fields} fields`;
}
