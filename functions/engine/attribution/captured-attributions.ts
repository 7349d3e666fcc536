/**
 * Attributions the endpoint already returns with each prediction (a model that explains itself,
 * such as SageMaker Clarify's online explainability, or a container that adds SHAP values to its
 * output): read per record from the captured output at the configured `attributionsPath`, and
 * aggregated into global attributions with no model calls.
 *
 * At the path: a list of numbers in feature order, or an object with a number for each feature
 * by name (fields for other names are ignored).
 */
import { fieldOf, type JsonObject, shown } from '../../contracts/json-fields.ts';
import { type FieldPath, valueAt } from './field-path.ts';
import { type AggMethod, DEFAULT_AGG_METHOD, globalAttributions } from './global-attribution.ts';

/** One output's attributions, or why it has none (never quoting the output). */
export type CapturedAttributions = { values: Float64Array } | { problem: string };

/** Reads the attributions of one parsed output (see the module's comment). */
export function readCapturedAttributions(
  output: unknown,
  path: FieldPath,
  features: readonly string[],
): CapturedAttributions {
  const where = path.text === '' ? 'the output' : `the output's "${path.text}"`;
  const at = valueAt(output, path);
  if (at === undefined || at === null) return { problem: `${where} is missing` };
  const d = features.length;
  const values = new Float64Array(d);
  if (Array.isArray(at)) {
    if (at.length !== d) return { problem: `${where} lists ${at.length} values for ${d} features` };
    for (let i = 0; i < d; i++) {
      const v = at[i];
      if (typeof v !== 'number' || !Number.isFinite(v))
        return { problem: `${where} has no finite number at position ${i} (feature ${shown(features[i])})` };
      values[i] = v;
    }
    return { values };
  }
  if (typeof at !== 'object') return { problem: `${where} is neither a list nor an object of attributions` };
  for (let i = 0; i < d; i++) {
    const v = fieldOf(at as JsonObject, features[i]!);
    if (typeof v !== 'number' || !Number.isFinite(v))
      return { problem: `${where} has no finite number for feature ${shown(features[i])}` };
    values[i] = v;
  }
  return { values };
}

/**
 * Captured attributions of a window, tallied: the records read, and those without attributions
 * counted by problem. Memory grows with the records (the median needs every value).
 */
export class CapturedAttributionTally {
  private readonly records: Float64Array[] = [];
  /** Outputs without usable attributions, by problem. */
  readonly rejected = new Map<string, number>();

  constructor(
    readonly features: readonly string[],
    readonly path: FieldPath,
  ) {}

  /** Adds one parsed output; `false` when it had no usable attributions (counted in `rejected`). */
  add(output: unknown): boolean {
    const read = readCapturedAttributions(output, this.path, this.features);
    if ('problem' in read) {
      this.rejected.set(read.problem, (this.rejected.get(read.problem) ?? 0) + 1);
      return false;
    }
    this.records.push(read.values);
    return true;
  }

  /** Outputs read with attributions. */
  get accepted(): number {
    return this.records.length;
  }

  /** The global attribution of each feature; `null` when no output had attributions. */
  global(method: AggMethod = DEFAULT_AGG_METHOD): number[] | null {
    if (this.records.length === 0) return null;
    return globalAttributions(this.records, this.features.length, method);
  }
}
