/**
 * How captured columns are named. CSV payload columns carry no names: they come from the
 * baseline. Two layouts are accepted (FORMATS.md): driftwatch's, where inputs and outputs are
 * named separately, and SageMaker's analyzer layout, where a row is the output columns followed
 * by the input columns and the baseline lists them in that order.
 */
import type { FeatureRole, RejectReason } from '../capture/capture-record.ts';
import type { ProfileKind } from './feature-profile.ts';

/** A feature the baseline knows. */
export interface FeatureSpec {
  name: string;
  role: FeatureRole;
  kind: ProfileKind;
}

export type ColumnLayout =
  | { kind: 'separate'; inputs: string[]; outputs: string[] }
  | { kind: 'sagemaker-merged'; columns: string[] };

/** Names for a CSV row's input and output columns, or why the row cannot be named. */
export type CsvNaming = { input: string[]; output: string[] } | { reject: RejectReason };

/** Output columns beyond the ones the baseline names: `prediction`, `prediction_1`, ... */
export function defaultOutputName(index: number): string {
  return index === 0 ? 'prediction' : `prediction_${index}`;
}

export class CaptureSchema {
  private readonly cache = new Map<number, CsvNaming>();

  constructor(
    readonly features: FeatureSpec[],
    readonly layout: ColumnLayout,
  ) {}

  /** Names for a CSV input of `inputCols` columns and a CSV output of `outputCols` (0 when absent). */
  csvNaming(inputCols: number, outputCols: number): CsvNaming {
    // Exact for any column counts below 2^21 (payloads past --max-columns never get here).
    const key = inputCols * 4294967296 + outputCols;
    let naming = this.cache.get(key);
    if (naming === undefined) {
      naming = this.resolve(inputCols, outputCols);
      this.cache.set(key, naming);
    }
    return naming;
  }

  private resolve(inputCols: number, outputCols: number): CsvNaming {
    const outputsNamed = (names: string[]) =>
      Array.from({ length: outputCols }, (_, i) => names[i] ?? defaultOutputName(i));
    if (this.layout.kind === 'separate') {
      const { inputs, outputs } = this.layout;
      if (inputCols > 0 && inputCols < inputs.length) return { reject: 'csv_too_few_columns' };
      if (inputCols > inputs.length) return { reject: 'csv_too_many_columns' };
      return { input: inputs.slice(0, inputCols), output: outputsNamed(outputs) };
    }
    const cols = this.layout.columns;
    if (inputCols + outputCols === cols.length && outputCols > 0) {
      return { input: cols.slice(outputCols), output: cols.slice(0, outputCols) };
    }
    if (inputCols === cols.length || (inputCols === 0 && outputCols <= cols.length)) {
      return {
        input: cols.slice(0, inputCols),
        output: inputCols === 0 ? cols.slice(0, outputCols) : outputsNamed([]),
      };
    }
    if (inputCols === cols.length - 1 && outputCols === 0) return { input: cols.slice(1), output: [] };
    return { reject: inputCols + outputCols < cols.length ? 'csv_too_few_columns' : 'csv_too_many_columns' };
  }
}
