/**
 * Which rows are the sensitive facet, which labels are positive and which predictions are, as
 * Clarify's `analysis_config.json` says (BIAS.md): rows in, {@link BiasCounts} out.
 */
import { fieldOf } from '../../contracts/json-fields.ts';
import { BiasCounts } from './bias-counts.ts';

/** One facet of the configuration: sensitive values (categorical), or a threshold (numeric: above it). */
export type FacetRule = { name: string; values: readonly string[] } | { name: string; threshold: number };

/** The part of `analysis_config.json` the counts need. */
export interface BiasRules {
  label: string;
  /** Label values that are positive, compared as class keys (1, "1" and "1.0" are one class). */
  positiveLabels: readonly (string | number)[];
  /** The model's score column: a row is predicted positive when its score is at or above the threshold. */
  score: string;
  probabilityThreshold: number;
  groupVariable: string | null;
}

/** A value as a class key: numbers (and numeric text) by their value, anything else as text. */
function classKey(v: unknown): string {
  if (typeof v === 'number') return `n:${v}`;
  const s = String(v).trim();
  const n = Number(s);
  return s !== '' && Number.isFinite(n) ? `n:${n}` : `s:${s}`;
}

/**
 * Counts `rows` for one facet. Returns the counts and the facet's `value_or_threshold` as
 * Clarify writes it: the sensitive values joined by commas, or `(threshold, max]`.
 */
export function countFacet(
  rules: BiasRules,
  facet: FacetRule,
  rows: Iterable<Readonly<Record<string, unknown>>>,
): { counts: BiasCounts; valueOrThreshold: string } {
  const positive = new Set(rules.positiveLabels.map(classKey));
  const sensitiveValues = 'values' in facet ? new Set(facet.values.map(String)) : null;
  const counts = new BiasCounts();
  let max = Number.NEGATIVE_INFINITY;
  for (const row of rows) {
    const f = fieldOf(row, facet.name);
    let sensitive: boolean;
    if (sensitiveValues !== null) sensitive = sensitiveValues.has(String(f));
    else {
      const x = Number(f);
      if (x > max) max = x;
      sensitive = x > (facet as { threshold: number }).threshold;
    }
    const label = positive.has(classKey(fieldOf(row, rules.label)));
    const predicted = Number(fieldOf(row, rules.score)) >= rules.probabilityThreshold;
    const group = rules.groupVariable === null ? null : String(fieldOf(row, rules.groupVariable));
    counts.add(sensitive, label, predicted, group);
  }
  const valueOrThreshold =
    sensitiveValues !== null
      ? [...sensitiveValues].join(',')
      : `(${(facet as { threshold: number }).threshold}, ${max}]`;
  return { counts, valueOrThreshold };
}
