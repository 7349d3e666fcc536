/**
 * The explainability configuration: the SHAP part of Clarify's `analysis_config.json`, read as
 * Clarify writes it, with driftwatch's own fields beside it. Every mistake is collected and
 * reported at once, each naming its field and the fix.
 *
 * ```
 * { "methods": { "shap": {
 *     "baseline": [[1.5, "red", 0]] | "s3://bucket/baseline.csv",
 *     "num_samples": 500, "agg_method": "mean_abs", "use_logit": false, "seed": 7 } },
 *   "predictor": { "content_type": "text/csv", "accept_type": "text/csv", "label_headers": ["churn"] },
 *   "predictionPath": "score",
 *   "attributionsPath": "predictions.0.shap" }
 * ```
 *
 * Clarify's fields: `methods.shap.baseline` (rows, or an S3 object URI kept as text for the
 * caller to read), `num_samples`, `agg_method` (`mean_abs` default, `median`, `mean_sq`),
 * `use_logit` (default false), `seed`; `predictor.content_type` (`text/csv` default, or
 * `application/json`) and `accept_type` (default: the content type); the first of
 * `predictor.label_headers` names the output label in `analysis.json` (`label0` otherwise).
 * Other fields of Clarify's file are left alone.
 *
 * driftwatch's own, as dotted paths (see field-path.ts): `predictionPath`, where the score is in
 * one JSON output item (default `score`); `attributionsPath`, where a captured output already
 * holds the record's attributions (then no model is called).
 */
import { fieldOf, type JsonObject, shown } from '../../contracts/json-fields.ts';
import { isS3Uri, parseS3ObjectUri } from '../../contracts/s3-uri.ts';
import { DEFAULT_LABEL } from './attribution-analysis.ts';
import type { ModelValue } from './batch-model.ts';
import { type FieldPath, parseFieldPath } from './field-path.ts';
import { AGG_METHODS, type AggMethod, DEFAULT_AGG_METHOD } from './global-attribution.ts';

/** The payload formats the endpoint adapter speaks. */
export const CONTENT_TYPES = ['text/csv', 'application/json'] as const;
export type ContentType = (typeof CONTENT_TYPES)[number];

/** Where the score sits in a JSON output item unless `predictionPath` says otherwise. */
export const DEFAULT_PREDICTION_PATH = 'score';

/** The background: rows given in the file, or an S3 object for the caller to read. */
export type BaselineSource = { rows: ModelValue[][] } | { uri: string };

export interface ExplainConfig {
  /** `methods.shap.baseline`; `null`: the baseline's means and most frequent values. */
  baseline: BaselineSource | null;
  /** `methods.shap.num_samples`; `null`: Kernel SHAP's default (2d + 2048). */
  numSamples: number | null;
  aggMethod: AggMethod;
  useLogit: boolean;
  /** `methods.shap.seed`; `null`: driftwatch's default seed. */
  seed: number | null;
  contentType: ContentType;
  acceptType: ContentType;
  /** The output label the files name. */
  label: string;
  predictionPath: FieldPath;
  attributionsPath: FieldPath | null;
}

/** The configuration cannot be used; {@link problems} lists every mistake with its fix. */
export class ExplainConfigError extends Error {
  constructor(
    readonly problems: readonly string[],
    readonly file = 'analysis_config.json',
  ) {
    super(
      `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}:\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'ExplainConfigError';
  }
}

type Problems = string[];

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function readBaseline(v: unknown, problems: Problems): BaselineSource | null {
  const path = 'methods.shap.baseline';
  if (v === undefined || v === null) return null;
  if (typeof v === 'string') {
    if (isS3Uri(v) && parseS3ObjectUri(v) !== null) return { uri: v };
    problems.push(
      `${path}: must be an S3 object URI such as "s3://bucket/baseline.csv" or a list of rows (got ${shown(v)})`,
    );
    return null;
  }
  if (!Array.isArray(v) || v.length === 0) {
    problems.push(
      `${path}: must be a non-empty list of rows, e.g. [[1.5, "red", 0]], or an S3 object URI (got ${shown(v)})`,
    );
    return null;
  }
  const rows: ModelValue[][] = [];
  let width: number | null = null;
  v.forEach((row, r) => {
    if (!Array.isArray(row) || row.length === 0) {
      problems.push(`${path}[${r}]: must be a row: a non-empty list of feature values (got ${shown(row)})`);
      return;
    }
    if (width === null) width = row.length;
    else if (row.length !== width) {
      problems.push(
        `${path}[${r}]: has ${row.length} values where row 0 has ${width}; give every row one value per feature`,
      );
      return;
    }
    const out: ModelValue[] = [];
    row.forEach((x: unknown, i) => {
      if (x === null || typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x))) out.push(x);
      else problems.push(`${path}[${r}][${i}]: must be a number, text or null (got ${shown(x)})`);
    });
    rows.push(out);
  });
  return rows.length === v.length ? { rows } : null;
}

function readInteger(v: unknown, path: string, min: number, problems: Problems, fix: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= min) return v;
  problems.push(`${path}: must be a whole number of ${min} or more (got ${shown(v)}); ${fix}`);
  return null;
}

function readContentType(v: unknown, path: string, fallback: ContentType, problems: Problems): ContentType {
  if (v === undefined || v === null) return fallback;
  if (typeof v === 'string' && (CONTENT_TYPES as readonly string[]).includes(v)) return v as ContentType;
  problems.push(`${path}: must be one of ${CONTENT_TYPES.map((c) => `"${c}"`).join(', ')} (got ${shown(v)})`);
  return fallback;
}

function readPath(v: unknown, path: string, problems: Problems): FieldPath | null {
  if (v === undefined || v === null) return null;
  const parsed = typeof v === 'string' ? parseFieldPath(v) : null;
  if (parsed === null)
    problems.push(
      `${path}: must be a dotted path such as "predictions.0.shap" (names and list positions separated by dots, none empty), got ${shown(v)}`,
    );
  return parsed;
}

/** Reads the explainability configuration (see the module's comment); throws {@link ExplainConfigError}. */
export function parseExplainConfig(json: unknown, file = 'analysis_config.json'): ExplainConfig {
  const problems: Problems = [];
  if (!isObject(json))
    throw new ExplainConfigError([`(the file): must be a JSON object (got ${shown(json)})`], file);
  const methods = fieldOf(json, 'methods');
  let shap: JsonObject = {};
  if (!isObject(methods) || !isObject(fieldOf(methods, 'shap'))) {
    problems.push(
      `methods.shap: is missing; add {"methods": {"shap": {"num_samples": 500, "agg_method": "mean_abs"}}} (every field of it may be left out)`,
    );
  } else shap = fieldOf(methods, 'shap') as JsonObject;

  const baseline = readBaseline(fieldOf(shap, 'baseline'), problems);
  const numSamples = readInteger(
    fieldOf(shap, 'num_samples'),
    'methods.shap.num_samples',
    1,
    problems,
    'leave it out for 2 × features + 2048',
  );
  const agg = fieldOf(shap, 'agg_method');
  let aggMethod: AggMethod = DEFAULT_AGG_METHOD;
  if (agg !== undefined && agg !== null) {
    if (typeof agg === 'string' && (AGG_METHODS as readonly string[]).includes(agg))
      aggMethod = agg as AggMethod;
    else
      problems.push(
        `methods.shap.agg_method: must be one of ${AGG_METHODS.map((m) => `"${m}"`).join(', ')} (got ${shown(agg)})`,
      );
  }
  const logit = fieldOf(shap, 'use_logit');
  let useLogit = false;
  if (logit !== undefined && logit !== null) {
    if (typeof logit === 'boolean') useLogit = logit;
    else problems.push(`methods.shap.use_logit: must be true or false (got ${shown(logit)})`);
  }
  const seed = readInteger(
    fieldOf(shap, 'seed'),
    'methods.shap.seed',
    0,
    problems,
    'leave it out for the default seed',
  );

  const predictor = fieldOf(json, 'predictor');
  let p: JsonObject = {};
  if (predictor !== undefined && predictor !== null) {
    if (isObject(predictor)) p = predictor;
    else
      problems.push(
        `predictor: must be an object such as {"content_type": "text/csv"} (got ${shown(predictor)})`,
      );
  }
  const contentType = readContentType(
    fieldOf(p, 'content_type'),
    'predictor.content_type',
    'text/csv',
    problems,
  );
  const acceptType = readContentType(
    fieldOf(p, 'accept_type'),
    'predictor.accept_type',
    contentType,
    problems,
  );
  let label = DEFAULT_LABEL;
  const headers = fieldOf(p, 'label_headers');
  if (headers !== undefined && headers !== null) {
    if (Array.isArray(headers) && typeof headers[0] === 'string' && headers[0] !== '') label = headers[0];
    else
      problems.push(
        `predictor.label_headers: must be a list of output label names, e.g. ["churn"] (got ${shown(headers)})`,
      );
  }
  const predictionPath = readPath(fieldOf(json, 'predictionPath'), 'predictionPath', problems);
  const attributionsPath = readPath(fieldOf(json, 'attributionsPath'), 'attributionsPath', problems);
  if (problems.length > 0) throw new ExplainConfigError(problems, file);
  return {
    baseline,
    numSamples,
    aggMethod,
    useLogit,
    seed,
    contentType,
    acceptType,
    label,
    predictionPath: predictionPath ?? parseFieldPath(DEFAULT_PREDICTION_PATH)!,
    attributionsPath,
  };
}
