/**
 * What a baseline folder keeps for the runs that compare windows with its attributions
 * (`explainability/explain-settings.json`): the model's input features in column order, the
 * background row(s) the baseline was explained against, and the explainability configuration it
 * was made with. A run explains its window against the same background with the same settings,
 * so the window's attributions and the baseline's measure the same thing.
 *
 * ```
 * { "format": "driftwatch-explain-settings", "version": 1, "endpoint": "churn-shadow",
 *   "features": [{"name": "age", "kind": "numeric"}, {"name": "city", "kind": "categorical"}],
 *   "background": [[41.2, "Paris"]], "config": null | { Clarify's analysis_config.json },
 *   "records": 100, "maxRows": 200000 }
 * ```
 */
import {
  at,
  fieldOf,
  JsonShapeError,
  readCount,
  readList,
  readObject,
  readOneOf,
  readString,
  shown,
} from '../../contracts/json-fields.ts';
import { ExplainabilityFileError } from './attribution-analysis.ts';
import type { ModelValue } from './batch-model.ts';
import type { AttributionFeature } from './record-sampler.ts';

export const EXPLAIN_SETTINGS_FORMAT = 'driftwatch-explain-settings';

export interface ExplainSettings {
  format: typeof EXPLAIN_SETTINGS_FORMAT;
  version: 1;
  /** The endpoint the baseline was explained with. */
  endpoint: string;
  features: AttributionFeature[];
  /** One or more background rows, one value per feature. */
  background: ModelValue[][];
  /** The explainability configuration as given (`--explain-config`), or `null`. */
  config: unknown;
  /** `--explain-records` and `--explain-max-rows` of the baseline (a run's defaults). */
  records: number;
  maxRows: number;
}

/** Reads `explain-settings.json` (`file` names it in errors); throws {@link ExplainabilityFileError}. */
export function parseExplainSettings(json: unknown, file = 'explain-settings.json'): ExplainSettings {
  try {
    const root = readObject(json, '(the file)');
    const format = fieldOf(root, 'format');
    if (format !== EXPLAIN_SETTINGS_FORMAT)
      throw new JsonShapeError('format', `must be "${EXPLAIN_SETTINGS_FORMAT}" (got ${shown(format)})`);
    const features = readList(fieldOf(root, 'features'), 'features').map((f, i) => {
      const o = readObject(f, at('features', i));
      return {
        name: readString(fieldOf(o, 'name'), at(at('features', i), 'name')),
        kind: readOneOf(fieldOf(o, 'kind'), at(at('features', i), 'kind'), [
          'numeric',
          'categorical',
        ] as const),
      };
    });
    if (features.length === 0) throw new JsonShapeError('features', 'lists no features');
    const background = readList(fieldOf(root, 'background'), 'background').map((r, i) => {
      const row = readList(r, at('background', i));
      if (row.length !== features.length)
        throw new JsonShapeError(
          at('background', i),
          `has ${row.length} values for ${features.length} features`,
        );
      return row.map((v, j): ModelValue => {
        if (v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
        throw new JsonShapeError(
          at(at('background', i), j),
          `must be a number, text or null (got ${shown(v)})`,
        );
      });
    });
    if (background.length === 0) throw new JsonShapeError('background', 'lists no rows');
    return {
      format: EXPLAIN_SETTINGS_FORMAT,
      version: 1,
      endpoint: readString(fieldOf(root, 'endpoint'), 'endpoint'),
      features,
      background,
      config: fieldOf(root, 'config') ?? null,
      records: readCount(fieldOf(root, 'records'), 'records'),
      maxRows: readCount(fieldOf(root, 'maxRows'), 'maxRows'),
    };
  } catch (e) {
    if (e instanceof JsonShapeError) throw new ExplainabilityFileError(file, e.message);
    throw e;
  }
}
