/**
 * What each part of a window (a thread, a fan-out worker, the whole window in one thread)
 * collects from its profiled rows besides the profile: model quality's predictions, the
 * multivariate score and the rows feature attribution explains. One builder, so every part taps
 * the same columns the same way.
 */
import { RecordSampler, type RecordSamplerSpec } from '../attribution/record-sampler.ts';
import type { MultivariateModel } from '../multivariate/multivariate-model.ts';
import { MultivariateRowSink } from '../multivariate/multivariate-rows.ts';
import type { MultivariateScore } from '../multivariate/multivariate-score.ts';
import { type RowSink, RowSinks } from '../profile/row-sink.ts';
import {
  type PredictionPart,
  PredictionPartBuilder,
  type PredictionSpec,
} from '../quality/prediction-part.ts';

/** The collectors of one part; `sink` goes to the profiler (undefined: nothing to collect). */
export class WindowRows {
  readonly sink: RowSink | undefined;
  private readonly predictionBuilder: PredictionPartBuilder | null;
  private readonly scorer: MultivariateRowSink | null;
  private readonly sampler: RecordSampler | null;

  constructor(o: {
    predictions?: PredictionSpec;
    multivariate?: MultivariateModel | null;
    /** The rows to keep for feature attribution. @default - none kept */
    attribution?: RecordSamplerSpec | null;
  }) {
    this.predictionBuilder = o.predictions ? new PredictionPartBuilder(o.predictions) : null;
    this.scorer = o.multivariate ? new MultivariateRowSink(o.multivariate) : null;
    this.sampler = o.attribution ? new RecordSampler(o.attribution) : null;
    const sinks = [this.predictionBuilder, this.scorer, this.sampler].filter(
      (s): s is NonNullable<typeof s> => s !== null,
    );
    this.sink = sinks.length === 0 ? undefined : sinks.length === 1 ? sinks[0] : new RowSinks(sinks);
  }

  /** The part's predictions (`null` without a prediction spec); call once, when the part is read. */
  predictions(): PredictionPart | null {
    return this.predictionBuilder?.build() ?? null;
  }

  /** The part's multivariate score (`null` without a model). */
  multivariate(): MultivariateScore | null {
    return this.scorer?.score ?? null;
  }

  /** The part's rows kept for feature attribution (`null` without a sampler spec). */
  attributionSample(): RecordSampler | null {
    return this.sampler;
  }
}
