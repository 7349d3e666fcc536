/**
 * SageMaker's data-quality checks (FORMATS.md, constraint_violations.json), with its check names
 * and description texts, so parsers written for SageMaker's files keep working.
 */

import type { WindowProfile } from '../profile/window-profile.ts';
import { javaDouble } from '../sagemaker/java-double.ts';
import { DEFAULT_MONITORING_CONFIG } from '../sagemaker/sagemaker-constraints.ts';
import type { Baseline } from './baseline.ts';
import type { FeatureDrift } from './compare.ts';

/** A SageMaker `constraint_violations.json` entry. */
export interface Violation {
  feature_name: string;
  constraint_check_type:
    | 'data_type_check'
    | 'completeness_check'
    | 'baseline_drift_check'
    | 'missing_column_check'
    | 'extra_column_check'
    | 'categorical_values_check';
  description: string;
}

/** Name used for violations about the dataset as a whole (CSV rows with the wrong column count). */
export const DATASET_FEATURE_NAME = '*';

export function dataQualityViolations(
  baseline: Baseline,
  window: WindowProfile,
  drifts: FeatureDrift[],
): Violation[] {
  const out: Violation[] = [];
  const mc = baseline.constraints.monitoring_config;
  const typeThreshold = mc.datatype_check_threshold ?? DEFAULT_MONITORING_CONFIG.datatype_check_threshold;
  const domainThreshold = mc.domain_content_threshold ?? DEFAULT_MONITORING_CONFIG.domain_content_threshold;
  const constraintOf = new Map(baseline.constraints.features.map((f) => [f.name, f]));
  const driftOf = new Map(drifts.map((d) => [d.name, d]));
  const evaluate = mc.evaluate_constraints !== 'Disabled';

  const tooFew = window.rejectedByReason.get('csv_too_few_columns') ?? 0;
  if (tooFew > 0)
    out.push({
      feature_name: DATASET_FEATURE_NAME,
      constraint_check_type: 'missing_column_check',
      description: `There are missing columns in current dataset. ${tooFew} rows have fewer columns than the ${baseline.features.length} in the baseline constraints.`,
    });
  const tooMany = window.rejectedByReason.get('csv_too_many_columns') ?? 0;
  if (tooMany > 0)
    out.push({
      feature_name: DATASET_FEATURE_NAME,
      constraint_check_type: 'extra_column_check',
      description: `There are extra columns in current dataset. ${tooMany} rows have more columns than the ${baseline.features.length} in the baseline constraints.`,
    });

  for (const bf of baseline.features) {
    const wf = window.features.get(bf.name);
    const rows = wf ? wf.present + wf.missing : 0;
    if (!wf || rows === 0) continue;
    const fc = constraintOf.get(bf.name);
    if (wf.present === 0) {
      out.push({
        feature_name: bf.name,
        constraint_check_type: 'missing_column_check',
        description: `There are missing columns in current dataset: "${bf.name}" has no value in any of the ${rows} rows.`,
      });
      continue;
    }
    if (!evaluate) continue;
    const type = fc?.inferred_type ?? bf.inferredType;
    if (type === 'Integral' || type === 'Fractional') {
      const matched = type === 'Integral' ? wf.integral : wf.integral + wf.fractional;
      const share = matched / wf.present;
      if (share < typeThreshold)
        out.push({
          feature_name: bf.name,
          constraint_check_type: 'data_type_check',
          description: `Data type match requirement is not met. Expected data type: ${type}, Expected match: ${javaDouble(typeThreshold * 100)}%. Observed: Only ${javaDouble(share * 100)}% of data is ${type}.`,
        });
    }
    const completeness = fc?.completeness;
    if (completeness !== undefined) {
      const observed = wf.present / rows;
      if (observed < completeness)
        out.push({
          feature_name: bf.name,
          constraint_check_type: 'completeness_check',
          description: `Data completeness requirement is not met. Expected completeness: ${javaDouble(completeness * 100)}%. Observed: Only ${javaDouble(observed * 100)}% of data is complete.`,
        });
    }
    const domains = fc?.string_constraints?.domains;
    if (domains && bf.kind === 'categorical' && wf.categorical && wf.categorical.count > 0) {
      const domain = new Set(domains);
      let outside = wf.categorical.overflow;
      for (const [v, n] of wf.categorical.counts) if (!domain.has(v)) outside += n;
      const inside = 1 - outside / wf.categorical.count;
      if (inside < domainThreshold)
        out.push({
          feature_name: bf.name,
          constraint_check_type: 'categorical_values_check',
          description: `Categorical value requirement is not met. Expected: ${javaDouble(domainThreshold * 100)}% of values in the baseline domain. Observed: Only ${javaDouble(inside * 100)}% of data is in the baseline domain (${outside} of ${wf.categorical.count} values are not).`,
        });
    }
    const d = driftOf.get(bf.name);
    if (d?.drifted && d.distance !== null && d.threshold !== null) {
      const side = bf.kind === 'numeric' ? 'Numerical' : 'Categorical';
      const lower = side.toLowerCase();
      out.push({
        feature_name: bf.name,
        constraint_check_type: 'baseline_drift_check',
        description:
          d.distanceMetric === 'chiSquarePValue'
            ? `${side} distance: chi-squared p-value ${javaDouble(d.distance)} is below ${lower} threshold: ${javaDouble(d.threshold)}`
            : `${side} distance: ${javaDouble(d.distance)} exceeds ${lower} threshold: ${javaDouble(d.threshold)}`,
      });
    }
  }
  for (const d of drifts) {
    if (d.note === 'not in the baseline' && d.role === 'input' && d.count > 0)
      out.push({
        feature_name: d.name,
        constraint_check_type: 'extra_column_check',
        description: `There are extra columns in current dataset: "${d.name}" is not in the baseline constraints.`,
      });
  }
  return out;
}
