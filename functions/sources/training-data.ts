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

/** What {@link scanTrainingFile} hands on: the columns once, then each row that has them all. */
interface TrainingRows {
  /** The data's columns, in order: the CSV header (or `_c0`, ...) or the first JSON row's keys. */
  columns(names: string[]): void;
  /** A CSV row of exactly the header's number of fields (`fields` is reused; `n` fields are set). */
  fields(fields: readonly string[], n: number): void;
  /** A JSON Lines row (an object with its own keys, as JSON.parse made it). */
  object(row: Record<string, unknown>): void;
}

/**
 * Reads a CSV or JSON Lines training file row by row: one reader for every pass over the data
 * (the baseline's profiles, the multivariate model's two fitting reads), so each pass sees the
 * same rows in the same order and leaves out the same ragged ones.
 */
async function scanTrainingFile(
  store: ObjectStore,
  key: string,
  options: { noHeader?: boolean },
  rows: TrainingRows,
): Promise<{ leftOut: LeftOutRows; file: string; sawHeader: boolean }> {
  const json = /\.(jsonl|json)$/i.test(key);
  let columns: string[] | null = null;
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
      if (columns === null) {
        columns = Object.keys(row);
        rows.columns(columns);
      }
      rows.object(row as Record<string, unknown>);
      return;
    }
    const n = splitCsvRecord(text, fields);
    if (columns === null) {
      columns = options.noHeader
        ? Array.from({ length: n }, (_, i) => `_c${i}`)
        : fields.slice(0, n).map((c) => c.trim());
      if (new Set(columns).size !== columns.length)
        throw new TrainingDataError(`${file}: the header names a column twice; column names must be unique`);
      leftOut.expected = columns.length;
      rows.columns(columns);
      if (!options.noHeader) return;
    }
    rowNo++;
    if (n !== leftOut.expected) {
      if (n < leftOut.expected) leftOut.tooFewFields++;
      else leftOut.tooManyFields++;
      leftOut.first ??= { row: rowNo, fields: n };
      return;
    }
    rows.fields(fields, n);
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
  return { leftOut, file, sawHeader: columns !== null };
}

/** {@link readTrainingData}, with the CSV rows it left out. */
export async function readTrainingSet(store: ObjectStore, key: string, options: TrainingDataOptions = {}) {
  let builder: BaselineBuilder | null = null;
  const { leftOut, file } = await scanTrainingFile(store, key, options, {
    columns(names) {
      builder = new BaselineBuilder(names, options);
    },
    fields(fields, n) {
      const b = builder as unknown as BaselineBuilder;
      b.addFields(fields, n);
      if (options.onRow) {
        // Column names are data: `__proto__` must be a column like any other, not the prototype.
        const row: Record<string, unknown> = Object.create(null);
        b.columns.forEach((c, i) => {
          if (i < n) row[c] = fields[i];
        });
        options.onRow(row);
      }
    },
    object(row) {
      (builder as unknown as BaselineBuilder).addNamed(row);
      options.onRow?.(row);
    },
  });
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

/**
 * Reads the training file again, handing `onRow` each row's values of `wanted` columns, in
 * that order (CSV fields as text, JSON values as they are; `undefined` where a JSON row lacks
 * the key). The array is reused for the next row. The rows are those {@link readTrainingSet}
 * profiled, in the same order.
 */
export async function readTrainingRows(
  store: ObjectStore,
  key: string,
  wanted: readonly string[],
  options: { noHeader?: boolean },
  onRow: (values: readonly unknown[]) => void,
): Promise<void> {
  const values = new Array<unknown>(wanted.length);
  let at: number[] = [];
  await scanTrainingFile(store, key, options, {
    columns(names) {
      const index = new Map(names.map((c, i) => [c, i]));
      at = wanted.map((c) => index.get(c) ?? -1);
    },
    fields(fields) {
      for (let j = 0; j < at.length; j++) values[j] = at[j]! < 0 ? undefined : fields[at[j]!];
      onRow(values);
    },
    object(row) {
      for (let j = 0; j < wanted.length; j++)
        values[j] = Object.hasOwn(row, wanted[j]!) ? row[wanted[j]!] : undefined;
      onRow(values);
    },
  });
}

/** The rows left out, in words: "2 with fewer fields than 5; the first is data row 7, with 4 fields". */
export function leftOutText(l: LeftOutRows): string {
  const parts = [
    ...(l.tooFewFields ? [`${l.tooFewFields} with fewer fields than ${l.expected}`] : []),
    ...(l.tooManyFields ? [`${l.tooManyFields} with more fields than ${l.expected}`] : []),
  ];
  return `${parts.join(', ')}; the first is data row ${l.first?.row}, with ${l.first?.fields} fields`;
}
