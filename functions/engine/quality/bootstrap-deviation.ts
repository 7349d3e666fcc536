/**
 * SageMaker's rule for the `standard_deviation` of a model-quality metric: recompute the metric
 * on 5 random samples of about 80% of the records and take the standard deviation of the 5
 * values; below 200 records there is none, and the field holds the string "NaN".
 *
 * Which records a sample holds is decided by a hash of each record's join key and the sample's
 * number (key-hash.ts `sampleMask`), not by the record's position: a window read whole, by
 * threads or by fan-out workers draws the same samples, so its deviations are the same.
 */

/** Fewest records for which a standard deviation is computed. */
export const BOOTSTRAP_MIN_RECORDS = 200;

/** A standard deviation as `statistics.json` holds it: a number, or "NaN" where there is none. */
export type Deviation = number | 'NaN';

/**
 * Each named metric's sample standard deviation (divisor 4, the usual estimate from few draws)
 * over the samples' values; "NaN" for every metric when `recordCount` is below
 * {@link BOOTSTRAP_MIN_RECORDS}, and for a metric any sample leaves undefined.
 */
export function bootstrapDeviations(
  recordCount: number,
  names: readonly string[],
  draws: readonly Readonly<Record<string, number | null>>[],
): Record<string, Deviation> {
  const deviations: Record<string, Deviation> = {};
  for (const name of names)
    deviations[name] =
      recordCount < BOOTSTRAP_MIN_RECORDS ? 'NaN' : standardDeviation(draws.map((d) => d[name] ?? null));
  return deviations;
}

function standardDeviation(values: readonly (number | null)[]): Deviation {
  if (values.some((v) => v === null || !Number.isFinite(v))) return 'NaN';
  const xs = values as number[];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const squares = xs.reduce((a, x) => a + (x - mean) * (x - mean), 0);
  return Math.sqrt(squares / (xs.length - 1));
}
