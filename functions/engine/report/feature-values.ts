/**
 * Per-feature values read off a report row the same way by every exit (Prometheus, history
 * records): the p-value of the feature's test and its missing share.
 */

import type { FeatureDrift } from '../drift/compare.ts';

/** The p-value of a feature's test: KS (numeric) or chi-squared (categorical); `null` without metrics. */
export function featurePValue(f: Pick<FeatureDrift, 'metrics'>): number | null {
  const m = f.metrics;
  if (m === null) return null;
  if ('ks' in m) return m.ks.pValue;
  if ('chiSquare' in m) return m.chiSquare.pValue;
  return null;
}

/**
 * Share of the feature's values missing in the window, 0 to 1 (a value of the wrong type is
 * still present, as the completeness check counts it); `null` when the window has no values.
 */
export function missingShare(f: Pick<FeatureDrift, 'count' | 'missing' | 'typeMismatch'>): number | null {
  const all = f.count + f.typeMismatch + f.missing;
  return all > 0 ? f.missing / all : null;
}
