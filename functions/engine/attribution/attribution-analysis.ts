/**
 * Clarify's explainability files (ATTRIBUTION.md): `analysis.json` with the global SHAP values of
 * a baseline or a window, written and read back; and a window's `constraint_violations.json` for
 * `feature_attribution_drift_check`.
 *
 * ```
 * { "version": "1.0",
 *   "explanations": { "kernel_shap": { "label0": {
 *     "global_shap_values": { "f0": 6.36, "f1": 0.31 }, "expected_value": 0.3 } } } }
 * ```
 *
 * Feature names are data: the object written is keyed by them with own fields only (a feature
 * named `__proto__` is a field), and a file read back becomes feature lists, never objects
 * indexed by name.
 */
import {
  at,
  fieldOf,
  JsonShapeError,
  readNumber,
  readObject,
  readString,
  shown,
} from '../../contracts/json-fields.ts';
import { isAttributionDrift, NDCG_THRESHOLD } from './global-attribution.ts';

/** The `version` written. */
export const EXPLAINABILITY_VERSION = '1.0';
/** The output label Clarify names when the configuration names none. */
export const DEFAULT_LABEL = 'label0';
/** The method key under `explanations`. */
export const KERNEL_SHAP = 'kernel_shap';
/** The check's `constraint_check_type`. */
export const ATTRIBUTION_DRIFT_CHECK = 'feature_attribution_drift_check';

/** One label's global explanation: features in column order with their global attribution. */
export interface GlobalExplanation {
  label: string;
  features: readonly string[];
  values: readonly number[];
  /** v(∅), the model's mean over the background. */
  expectedValue: number;
}

/** `analysis.json` as written: every name under `global_shap_values` is an own field. */
export interface ExplainabilityAnalysisJson {
  version: string;
  explanations: {
    kernel_shap: Record<string, { global_shap_values: Record<string, number>; expected_value: number }>;
  };
}

/** An object with `entries` as own fields, whatever their names. */
function ownObject<T>(entries: readonly (readonly [string, T])[]): Record<string, T> {
  const o: Record<string, T> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** `analysis.json` of a global explanation. Throws on a value that JSON cannot hold. */
export function buildExplainabilityAnalysis(e: GlobalExplanation): ExplainabilityAnalysisJson {
  if (e.features.length !== e.values.length)
    throw new RangeError(`${e.features.length} features but ${e.values.length} global values`);
  e.values.forEach((v, i) => {
    if (!Number.isFinite(v))
      throw new RangeError(`the global SHAP value of feature ${shown(e.features[i])} is ${v}`);
  });
  if (!Number.isFinite(e.expectedValue)) throw new RangeError(`the expected value is ${e.expectedValue}`);
  const values = ownObject(e.features.map((f, i) => [f, e.values[i]!] as const));
  return {
    version: EXPLAINABILITY_VERSION,
    explanations: {
      kernel_shap: ownObject([[e.label, { global_shap_values: values, expected_value: e.expectedValue }]]),
    },
  };
}

/** An explainability file that cannot be used: the message names the file and the field. */
export class ExplainabilityFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'ExplainabilityFileError';
  }
}

/**
 * Reads `label`'s global explanation from a parsed `analysis.json` (`file` names it in errors),
 * features in the file's order.
 */
export function parseExplainabilityAnalysis(
  json: unknown,
  file = 'analysis.json',
  label = DEFAULT_LABEL,
): GlobalExplanation {
  try {
    const root = readObject(json, '(the file)');
    const explanations = readObject(fieldOf(root, 'explanations'), 'explanations');
    const kernel = readObject(fieldOf(explanations, KERNEL_SHAP), at('explanations', KERNEL_SHAP));
    const kernelPath = `explanations.${KERNEL_SHAP}`;
    if (!Object.hasOwn(kernel, label)) {
      const labels = Object.keys(kernel);
      throw new JsonShapeError(
        kernelPath,
        `has no label ${shown(label)} (it has ${labels.length === 0 ? 'none' : labels.map((l) => shown(l)).join(', ')}); name the output label the baseline was computed for`,
      );
    }
    const labelPath = at(kernelPath, label);
    const entry = readObject(fieldOf(kernel, label), labelPath);
    const global = readObject(fieldOf(entry, 'global_shap_values'), at(labelPath, 'global_shap_values'));
    const features = Object.keys(global);
    if (features.length === 0)
      throw new JsonShapeError(at(labelPath, 'global_shap_values'), 'lists no features');
    const values = features.map((f) =>
      readNumber(fieldOf(global, f), at(at(labelPath, 'global_shap_values'), f)),
    );
    const expectedValue = readNumber(fieldOf(entry, 'expected_value'), at(labelPath, 'expected_value'));
    const version = fieldOf(root, 'version');
    if (version !== undefined) readString(version, 'version');
    return { label, features, values, expectedValue };
  } catch (e) {
    if (e instanceof JsonShapeError) throw new ExplainabilityFileError(file, e.message);
    throw e;
  }
}

/**
 * The baseline's global values in `features`' order. Throws naming the first feature the
 * baseline lacks: ranking against a baseline without it would say nothing.
 */
export function alignBaseline(
  baseline: GlobalExplanation,
  features: readonly string[],
  file = 'analysis.json',
): number[] {
  const byName = new Map(baseline.features.map((f, i) => [f, baseline.values[i]!] as const));
  return features.map((f) => {
    const v = byName.get(f);
    if (v === undefined)
      throw new ExplainabilityFileError(
        file,
        `the baseline has no global SHAP value for feature ${shown(f)}; recompute the baseline with the model's current features`,
      );
    return v;
  });
}

/** One violation of `constraint_violations.json`. */
export interface AttributionViolationJson {
  label: string;
  metric_name: 'shap';
  constraint_check_type: typeof ATTRIBUTION_DRIFT_CHECK;
  description: string;
}

export interface AttributionViolationsJson {
  version: string;
  violations: AttributionViolationJson[];
}

/**
 * A window's `constraint_violations.json`: one violation when `ndcgScore` is below the
 * threshold, none otherwise.
 */
export function buildAttributionViolations(
  ndcgScore: number,
  label = DEFAULT_LABEL,
  threshold = NDCG_THRESHOLD,
): AttributionViolationsJson {
  const violations: AttributionViolationJson[] = isAttributionDrift(ndcgScore, threshold)
    ? [
        {
          label,
          metric_name: 'shap',
          constraint_check_type: ATTRIBUTION_DRIFT_CHECK,
          description: `Feature attribution drift: the nDCG of the window's feature ranking against the baseline's is ${ndcgScore}, below the threshold ${threshold}`,
        },
      ]
    : [];
  return { version: EXPLAINABILITY_VERSION, violations };
}
