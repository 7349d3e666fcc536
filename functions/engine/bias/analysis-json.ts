/**
 * Clarify's `analysis.json`, the bias part: built from a tally's counts, written as Clarify
 * writes it, and read back (the baseline's is also the monitor's constraints).
 *
 * The layout, from SageMaker's documentation (Developer Guide, "Run SageMaker Clarify
 * processing jobs", Get the analysis results; and the bias drift baseline it is compared with)
 * and the reference library's report (`report.py`: `FacetReport`, `MetricError`):
 *
 * ```
 * { "version": "1.0",
 *   "pre_training_bias_metrics": {
 *     "label": "target", "label_value_or_threshold": "1",
 *     "facets": { "feature_2": [ { "value_or_threshold": "1",
 *       "metrics": [ {"name": "CI", "description": "Class Imbalance (CI)", "value": 0.1} ] } ] } },
 *   "post_training_bias_metrics": { ...the same shape... } }
 * ```
 *
 * A value is a number, `"Infinity"` / `"-Infinity"` (the library's `inf_as_str`), or `null`
 * with an `"error"` text where the counts cannot give one. Metrics are listed by name.
 */
import {
  at,
  fieldOf,
  type JsonObject,
  JsonShapeError,
  readList,
  readObject,
  readString,
  shown,
} from '../../contracts/json-fields.ts';
import { BaselineFileError } from '../sagemaker/baseline-error.ts';
import {
  type BiasMetricName,
  type BiasMetricResult,
  type BiasStage,
  metricDescription,
  metricResults,
  STAGE_METRICS,
} from './bias-metrics.ts';
import { type BiasTally, facetValueOrThreshold } from './facet-rows.ts';

/** The `version` driftwatch writes (SageMaker's bias baseline files carry "1.0"). */
export const ANALYSIS_VERSION = '1.0';

/** The file's key of each stage. */
export const STAGE_KEYS: Readonly<Record<BiasStage, string>> = {
  pre_training: 'pre_training_bias_metrics',
  post_training: 'post_training_bias_metrics',
};

/** One configured value of a facet and its metrics. */
export interface BiasFacetValueResult {
  /**
   * The configured value ({@link facetValueKey} of the text for a file read back): what a
   * baseline and a window are matched on.
   */
  value: string;
  /** Clarify's `value_or_threshold`: the values, or the threshold's interval `(60, 89]`. */
  valueOrThreshold: string;
  metrics: BiasMetricResult[];
}

/** One facet column's entries, in the configuration's order. */
export interface BiasFacetResult {
  name: string;
  values: BiasFacetValueResult[];
}

/** One stage of the report. */
export interface BiasStageResult {
  label: string;
  labelValueOrThreshold: string;
  facets: BiasFacetResult[];
}

/** The bias report: either stage may be absent (not configured, or no scores). */
export interface BiasAnalysis {
  version: string | null;
  preTraining: BiasStageResult | null;
  postTraining: BiasStageResult | null;
}

/** A metric's value in the file. */
export type AnalysisValue = number | 'Infinity' | '-Infinity' | null;

/** `analysis.json` as written. Facet names are data: the object is built with own fields only. */
export interface AnalysisJson {
  version?: string;
  pre_training_bias_metrics?: AnalysisStageJson;
  post_training_bias_metrics?: AnalysisStageJson;
}

export interface AnalysisStageJson {
  label: string;
  label_value_or_threshold: string;
  facets: Record<string, { value_or_threshold: string; metrics: AnalysisMetricJson[] }[]>;
}

export interface AnalysisMetricJson {
  name: string;
  description: string;
  value: AnalysisValue;
  error?: string;
}

/** The stage of a {@link BiasAnalysis}. */
export function stageResult(analysis: BiasAnalysis, stage: BiasStage): BiasStageResult | null {
  return stage === 'pre_training' ? analysis.preTraining : analysis.postTraining;
}

/**
 * A facet entry's matching key: numbers spelled one way (`60.0` is `60`), and a threshold's
 * interval `(60, 89]` reduced to its threshold `60` (its upper bound is the data's maximum and
 * changes every window). Values joined by commas are keyed part by part.
 */
export function facetValueKey(text: string): string {
  const interval = /^\((\S+), (\S+)\]$/.exec(text);
  if (interval !== null) {
    const lo = Number(interval[1]);
    if (Number.isFinite(lo) && Number.isFinite(Number(interval[2]))) return String(lo);
  }
  return text
    .split(',')
    .map((part) => {
      const t = part.trim();
      const n = t === '' ? Number.NaN : Number(t);
      return /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) && Number.isFinite(n) ? String(n) : part;
    })
    .join(',');
}

/**
 * The report of a tally: pre-training metrics when configured; post-training metrics when
 * configured and the tally had a score column. Each configured facet value is one entry under its
 * column, with the configured metrics only.
 */
export function buildBiasAnalysis(tally: BiasTally, version: string | null = ANALYSIS_VERSION): BiasAnalysis {
  const { config } = tally;
  const stage = (names: readonly BiasMetricName[]): BiasStageResult | null => {
    if (names.length === 0) return null;
    const facets: BiasFacetResult[] = [];
    for (const { facet, counts } of tally.facets) {
      let entry = facets.find((f) => f.name === facet.name);
      if (entry === undefined) {
        entry = { name: facet.name, values: [] };
        facets.push(entry);
      }
      entry.values.push({
        value: facet.value,
        valueOrThreshold: facetValueOrThreshold(facet, counts),
        metrics: metricResults(counts, names),
      });
    }
    return { label: config.label, labelValueOrThreshold: tally.labelValueOrThreshold(), facets };
  };
  return {
    version,
    preTraining: stage(config.methods.preTraining),
    postTraining: tally.scoreColumn === null ? null : stage(config.methods.postTraining),
  };
}

/** A metric value as the file holds it. */
export function analysisValue(value: number | null): AnalysisValue {
  if (value === null || Number.isNaN(value)) return null;
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

function stageJson(s: BiasStageResult): AnalysisStageJson {
  // Object.fromEntries defines own fields, so a facet named "__proto__" is a facet like any other.
  const facets = Object.fromEntries(
    s.facets.map((f) => [
      f.name,
      f.values.map((v) => ({
        value_or_threshold: v.valueOrThreshold,
        metrics: v.metrics.map((m) => {
          const out: AnalysisMetricJson = {
            name: m.name,
            description: m.description,
            value: analysisValue(m.value),
          };
          if (m.value === null || Number.isNaN(m.value)) out.error = m.error ?? 'The metric has no value';
          return out;
        }),
      })),
    ]),
  );
  return { label: s.label, label_value_or_threshold: s.labelValueOrThreshold, facets };
}

/** The report as `analysis.json` holds it (stages without metrics left out). */
export function analysisJson(analysis: BiasAnalysis): AnalysisJson {
  const out: AnalysisJson = {};
  if (analysis.version !== null) out.version = analysis.version;
  if (analysis.preTraining !== null) out.pre_training_bias_metrics = stageJson(analysis.preTraining);
  if (analysis.postTraining !== null) out.post_training_bias_metrics = stageJson(analysis.postTraining);
  return out;
}

const KNOWN_METRICS = new Set<string>([...STAGE_METRICS.pre_training, ...STAGE_METRICS.post_training]);

function readValue(v: unknown, path: string): number | null {
  if (v === null) return null;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  throw new JsonShapeError(path, `must be a number, "Infinity", "-Infinity" or null (got ${shown(v)})`);
}

function readStage(v: unknown, path: string, stage: BiasStage): BiasStageResult {
  const o = readObject(v, path);
  const label = readString(fieldOf(o, 'label'), at(path, 'label'));
  const labelValueOrThreshold = readString(
    fieldOf(o, 'label_value_or_threshold'),
    at(path, 'label_value_or_threshold'),
  );
  const facetsObject = readObject(fieldOf(o, 'facets'), at(path, 'facets'));
  const stageNames = STAGE_METRICS[stage] as readonly string[];
  const facets: BiasFacetResult[] = Object.keys(facetsObject).map((name) => {
    const facetPath = `${at(path, 'facets')}[${JSON.stringify(name)}]`;
    const seen = new Set<string>();
    const values = readList(fieldOf(facetsObject, name), facetPath).map((entry, i) => {
      const entryPath = at(facetPath, i);
      const e = readObject(entry, entryPath);
      const valueOrThreshold = readString(
        fieldOf(e, 'value_or_threshold'),
        at(entryPath, 'value_or_threshold'),
      );
      const value = facetValueKey(valueOrThreshold);
      if (seen.has(value))
        throw new JsonShapeError(
          entryPath,
          `repeats the facet value ${shown(valueOrThreshold)}; keep one entry per value`,
        );
      seen.add(value);
      const names = new Set<string>();
      const metrics = readList(fieldOf(e, 'metrics'), at(entryPath, 'metrics')).map((m, j) => {
        const metricPath = at(at(entryPath, 'metrics'), j);
        const mo: JsonObject = readObject(m, metricPath);
        const name = readString(fieldOf(mo, 'name'), at(metricPath, 'name'));
        if (!stageNames.includes(name))
          throw new JsonShapeError(
            at(metricPath, 'name'),
            KNOWN_METRICS.has(name)
              ? `is ${shown(name)}, a metric of the other stage`
              : `is ${shown(name)}, not one of ${stageNames.join(', ')}`,
          );
        if (names.has(name)) throw new JsonShapeError(at(metricPath, 'name'), `repeats ${shown(name)}`);
        names.add(name);
        const description = fieldOf(mo, 'description');
        const result: BiasMetricResult = {
          name: name as BiasMetricName,
          description:
            description === undefined
              ? metricDescription(name as BiasMetricName)
              : readString(description, at(metricPath, 'description')),
          value: readValue(fieldOf(mo, 'value'), at(metricPath, 'value')),
        };
        const error = fieldOf(mo, 'error');
        if (error !== undefined && error !== null) result.error = readString(error, at(metricPath, 'error'));
        return result;
      });
      return { value, valueOrThreshold, metrics };
    });
    return { name, values };
  });
  return { label, labelValueOrThreshold, facets };
}

/**
 * Reads `analysis.json` (already parsed) back; throws {@link BaselineFileError} naming the
 * file, the field and the fix. Either stage may be absent, not both.
 */
export function parseAnalysisJson(json: unknown, file = 'analysis.json'): BiasAnalysis {
  const fix =
    "rebuild it with `driftwatch baseline ... --bias-config analysis_config.json`, or correct the file to Clarify's analysis.json layout";
  try {
    const o = readObject(json, '');
    const version = fieldOf(o, 'version');
    const pre = fieldOf(o, STAGE_KEYS.pre_training);
    const post = fieldOf(o, STAGE_KEYS.post_training);
    if ((pre === undefined || pre === null) && (post === undefined || post === null))
      throw new JsonShapeError(
        `${STAGE_KEYS.pre_training} and ${STAGE_KEYS.post_training}`,
        'are both missing, so the file holds no bias metrics',
      );
    return {
      version: version === undefined || version === null ? null : readString(version, 'version'),
      preTraining:
        pre === undefined || pre === null ? null : readStage(pre, STAGE_KEYS.pre_training, 'pre_training'),
      postTraining:
        post === undefined || post === null
          ? null
          : readStage(post, STAGE_KEYS.post_training, 'post_training'),
    };
  } catch (e) {
    if (e instanceof JsonShapeError)
      throw new BaselineFileError(
        file,
        `${e.path === '' ? 'the file must be a JSON object' : e.message}; ${fix}`,
      );
    throw e;
  }
}
