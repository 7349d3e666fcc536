/**
 * SageMaker's rule for the `standard_deviation` of a model-quality metric: recompute the metric
 * on 5 random samples of 80% of the records and take the standard deviation of the 5 values;
 * below 200 records there is none, and the field holds the string "NaN".
 */

import { mulberry32 } from '../stats/seeded-random.ts';

/** Fewest records for which a standard deviation is computed. */
export const BOOTSTRAP_MIN_RECORDS = 200;
/** Samples drawn. */
export const BOOTSTRAP_SAMPLES = 5;
/** Share of the records in each sample. */
export const BOOTSTRAP_FRACTION = 0.8;
/** The seed used unless the caller passes one: any fixed value keeps runs reproducible. */
export const DEFAULT_BOOTSTRAP_SEED = 0x5eed;

/** A standard deviation as `statistics.json` holds it: a number, or "NaN" where there is none. */
export type Deviation = number | 'NaN';

/**
 * Draws {@link BOOTSTRAP_SAMPLES} samples of `floor(0.8 n)` distinct records (without
 * replacement, so each sample is a plain subset) from a generator seeded with `seed`, asks
 * `compute` for the metrics of each, and returns each named metric's sample standard deviation
 * (divisor 4, the usual estimate from few draws). "NaN" for every metric when `recordCount` is
 * below {@link BOOTSTRAP_MIN_RECORDS}, and for a metric any sample leaves undefined.
 *
 * @param compute the metrics of the records at the given positions (ascending).
 */
export function bootstrapDeviations(
  recordCount: number,
  names: readonly string[],
  compute: (sample: Uint32Array) => Readonly<Record<string, number | null>>,
  seed: number = DEFAULT_BOOTSTRAP_SEED,
): Record<string, Deviation> {
  const deviations: Record<string, Deviation> = {};
  if (recordCount < BOOTSTRAP_MIN_RECORDS) {
    for (const name of names) deviations[name] = 'NaN';
    return deviations;
  }
  const random = mulberry32(seed);
  const size = Math.floor(recordCount * BOOTSTRAP_FRACTION);
  const order = Uint32Array.from({ length: recordCount }, (_, i) => i);
  const draws: Readonly<Record<string, number | null>>[] = [];
  for (let s = 0; s < BOOTSTRAP_SAMPLES; s++) {
    // Partial Fisher-Yates: the first `size` slots become a uniform random subset, whatever
    // order the previous sample left behind.
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(random() * (recordCount - i));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    draws.push(compute(order.slice(0, size).sort()));
  }
  for (const name of names) deviations[name] = standardDeviation(draws.map((d) => d[name] ?? null));
  return deviations;
}

function standardDeviation(values: readonly (number | null)[]): Deviation {
  if (values.some((v) => v === null || !Number.isFinite(v))) return 'NaN';
  const xs = values as number[];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const squares = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
  return Math.sqrt(squares / (xs.length - 1));
}
