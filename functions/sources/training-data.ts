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

/** Reads a CSV or JSON Lines training file of `store`, row by row, and builds its baseline. */
export async function readTrainingData(store: ObjectStore, key: string, options: TrainingDataOptions = {}) {
  const json = /\.(jsonl|json)$/i.test(key);
  let builder: BaselineBuilder | null = null;
  let lineNo = 0;
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
      if (!options.noHeader) return;
    }
    builder.addFields(fields, n);
    if (options.onRow) {
      const row: Record<string, unknown> = {};
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
  return (builder as BaselineBuilder).finish();
}
