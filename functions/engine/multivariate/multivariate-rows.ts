/**
 * Scores a window's rows as the profiler reads them: the multivariate model's features are
 * tapped from each profiled row (engine/profile/row-sink.ts), so scoring costs no second parse
 * and no object per row, and runs wherever profiling runs (worker threads, fan-out workers).
 */
import { ByteSpan, type RowSink, type RowTap } from '../profile/row-sink.ts';
import { CategoryTable } from './category-table.ts';
import type { MultivariateModel } from './multivariate-model.ts';
import { MultivariateScore } from './multivariate-score.ts';
import { categoryText, type FeatureValue, numericValue } from './row-values.ts';

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
  private readonly encoded: Float64Array;
  /** 1 for a numeric feature, 0 for a categorical one. */
  private readonly numeric: Uint8Array;
  /** A numeric feature's imputation; a categorical feature's imputed category's share. */
  private readonly missing: Float64Array;
  private readonly frequencies: (ReadonlyMap<string, number> | null)[];
  private readonly tables: (CategoryTable | null)[];

  constructor(readonly model: MultivariateModel) {
    // Categories are compared as text (`01` is not `1`); numbers arrive parsed where they can.
    this.taps = model.features.map((f) => ({ name: f.name, role: 'input', text: f.kind === 'categorical' }));
    this.score = new MultivariateScore(model);
    const d = model.features.length;
    this.encoded = new Float64Array(d);
    this.numeric = Uint8Array.from(model.features, (f) => (f.kind === 'numeric' ? 1 : 0));
    this.missing = Float64Array.from(model.features, (f) =>
      f.kind === 'numeric' ? f.imputation : (f.frequencies.get(f.imputation) ?? 0),
    );
    this.frequencies = model.features.map((f) => (f.kind === 'categorical' ? f.frequencies : null));
    this.tables = model.features.map((f) =>
      f.kind === 'categorical' ? new CategoryTable(f.frequencies) : null,
    );
  }

  beginObject(): void {
    this.score.beginBlock();
  }

  /**
   * Encodes the row's values straight from what the profiler tapped (no string for a category
   * read in place), with the rules of row-values.ts: the same numbers `Reconstruction.measure`
   * gives the same row as {@link featureValue}s.
   */
  row(_key: unknown, values: readonly unknown[]): void {
    const { encoded: x, numeric, missing, tables } = this;
    for (let j = 0; j < x.length; j++) {
      const v = values[j];
      if (typeof v === 'number') {
        if (numeric[j] === 1) x[j] = Number.isFinite(v) ? v : missing[j]!;
        else x[j] = Number.isFinite(v) ? (this.frequencies[j]!.get(String(v)) ?? 0) : missing[j]!;
      } else if (v instanceof ByteSpan && numeric[j] === 0) x[j] = tables[j]!.get(v.bytes, v.start, v.end);
      else x[j] = this.slow(j, v);
    }
    this.score.addEncoded(x);
  }

  /** Any other value, by row-values.ts' rules. */
  private slow(j: number, v: unknown): number {
    if (this.numeric[j] === 1) {
      const n = numericValue(featureValue(v));
      return Number.isNaN(n) ? this.missing[j]! : n;
    }
    const text = categoryText(featureValue(v));
    return text === null ? this.missing[j]! : (this.frequencies[j]!.get(text) ?? 0);
  }
}
