/**
 * Scores a window's rows as the profiler reads them: the multivariate model's features are
 * tapped from each profiled row (engine/profile/row-sink.ts), so scoring costs no second parse
 * and no object per row, and runs wherever profiling runs (worker threads, fan-out workers).
 */
import { ByteSpan, type RowSink, type RowTap } from '../profile/row-sink.ts';
import type { MultivariateModel } from './multivariate-model.ts';
import { MultivariateScore } from './multivariate-score.ts';
import type { FeatureValue } from './row-values.ts';

/**
 * A value as a source gave it, as the multivariate model reads it: numbers and texts as they
 * are, a JSON `true`/`false` as its text (what a CSV field holds), anything else missing.
 */
export function featureValue(v: unknown): FeatureValue {
  if (typeof v === 'number' || typeof v === 'string') return v;
  if (v instanceof ByteSpan) return v.text();
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  return undefined;
}

/** The profiler's row sink that scores every profiled row against `model`. */
export class MultivariateRowSink implements RowSink {
  readonly taps: readonly RowTap[];
  readonly score: MultivariateScore;
  private readonly values: FeatureValue[];

  constructor(readonly model: MultivariateModel) {
    // Categories are compared as text (`01` is not `1`); numbers arrive parsed where they can.
    this.taps = model.features.map((f) => ({ name: f.name, role: 'input', text: f.kind === 'categorical' }));
    this.score = new MultivariateScore(model);
    this.values = new Array<FeatureValue>(model.features.length);
  }

  beginObject(): void {
    this.score.beginBlock();
  }

  row(_key: unknown, values: readonly unknown[]): void {
    const row = this.values;
    for (let j = 0; j < row.length; j++) row[j] = featureValue(values[j]);
    this.score.addRow(row);
  }
}
