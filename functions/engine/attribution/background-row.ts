/**
 * The default background row (ATTRIBUTION.md): the baseline's mean of each numeric feature and
 * most frequent value of each categorical one, from the baseline's profiles. Clarify's own
 * default is a k-means summary of the training set; the means keep the row one line of JSON and
 * the cost of each record at 2^d model rows.
 */
import { shown } from '../../contracts/json-fields.ts';
import type { FeatureProfile } from '../profile/feature-profile.ts';
import type { ModelValue } from './batch-model.ts';
import type { AttributionFeature } from './record-sampler.ts';

/** A feature with its baseline profile. */
export interface ProfiledFeature extends AttributionFeature {
  profile: FeatureProfile;
}

/**
 * The background row of `features`, in their order. A categorical tie goes to the value first in
 * code-unit order, so the row does not depend on the order values were counted in. Throws naming
 * the first feature with no value in the baseline.
 */
export function defaultBackground(features: readonly ProfiledFeature[]): ModelValue[] {
  return features.map((f) => {
    if (f.kind === 'numeric') {
      const mean = f.profile.numeric?.moments().mean ?? Number.NaN;
      if (Number.isFinite(mean)) return mean;
    } else {
      let best: string | null = null;
      let bestCount = 0;
      for (const [value, n] of f.profile.categorical?.counts ?? [])
        if (n > bestCount || (n === bestCount && best !== null && value < best)) {
          best = value;
          bestCount = n;
        }
      if (best !== null) return best;
    }
    throw new RangeError(
      `feature ${shown(f.name)} has no ${f.kind === 'numeric' ? 'numeric ' : ''}value in the baseline to take as its background; give the background rows in --explain-config methods.shap.baseline`,
    );
  });
}
