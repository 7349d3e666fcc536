/**
 * `driftwatch baseline DATA --out DIR`: profiles a training set and writes SageMaker-format
 * statistics.json and constraints.json, plus baseline.json for exact comparisons; with
 * --problem-type, the model-quality statistics and suggested constraints too.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  BIAS_ANALYSIS_FILE,
  BIAS_CONFIG_FILE,
  EXPLAIN_ANALYSIS_FILE,
  EXPLAIN_SETTINGS_FILE,
  MULTIVARIATE_FILE,
} from '../contracts/baseline-layout.ts';
import { isS3Uri } from '../contracts/s3-uri.ts';
import { buildExplainabilityAnalysis } from '../engine/attribution/attribution-analysis.ts';
import type { ExplainConfig } from '../engine/attribution/explain-config.ts';
import type { ExplainResult } from '../engine/attribution/explain-records.ts';
import { EXPLAIN_SETTINGS_FORMAT, type ExplainSettings } from '../engine/attribution/explain-settings.ts';
import {
  type BiasConfig,
  BiasConfigError,
  checkBiasConfigAgainstData,
  type DataColumn,
  parseBiasConfig,
} from '../engine/bias/analysis-config.ts';
import { analysisJson, buildBiasAnalysis } from '../engine/bias/analysis-json.ts';
import { BiasTally, labelPositive } from '../engine/bias/facet-rows.ts';
import { type Baseline, baselineStatistics, baselineToJson } from '../engine/drift/baseline.ts';
import { multivariateModelToJson } from '../engine/multivariate/multivariate-model.ts';
import { parseFiniteNumber } from '../engine/quality/labelled-records.ts';
import { suggestQualityConstraints } from '../engine/quality/quality-constraints.ts';
import {
  computeModelQualityStatistics,
  type ModelQualityStatistics,
  statisticsValues,
} from '../engine/quality/sagemaker-quality-statistics.ts';
import type { LabelledPrediction } from '../engine/quality/types.ts';
import {
  attributionFeatures,
  baselineBackground,
  type ExplainPlan,
  explainTrainingSet,
  planLabel,
} from '../pipeline/attribution-window.ts';
import {
  QUALITY_CONSTRAINTS_FILE,
  QUALITY_SETTINGS_FILE,
  QUALITY_STATISTICS_FILE,
  type QualityBaselineSettings,
} from '../pipeline/quality-window.ts';
import { BASELINE_FILE, CONSTRAINTS_FILE, STATISTICS_FILE } from '../sources/baseline-store.ts';
import { fitTrainingModel } from '../sources/multivariate-store.ts';
import { leftOutText, readTrainingSet, TrainingDataError } from '../sources/training-data.ts';
import type { ObjectStore } from '../stores/object-store.ts';
import { configBackground, openEndpoint, readExplainConfig } from './explain-options.ts';
import {
  EXPLAIN_OPTIONS,
  type ExplainFlags,
  explainFlags,
  list,
  nonNegative,
  outputFolder,
  positiveInt,
  problemTypeOf,
  realLocation,
  s3Location,
  threshold,
} from './flags.ts';
import type { Io } from './io.ts';
import { openFile, openStore } from './stores.ts';
import { UsageError } from './usage.ts';

/**
 * Suggested model-quality thresholds sit this far (relative) or three standard deviations of the
 * metric on a window of --quality-window-records labelled records, whichever is larger, beyond
 * the baseline value, so ordinary hourly noise does not page anyone. `--quality-margin 0` gives
 * SageMaker's suggestion (the baseline value itself).
 */
const DEFAULT_QUALITY_MARGIN = 0.05;

function qualityMargin(
  v: string | undefined,
  windowRecords: string | undefined,
): { deviations: number; relative: number; windowRecords?: number } {
  const relative = nonNegative(v, '--quality-margin') ?? DEFAULT_QUALITY_MARGIN;
  const records = positiveInt(windowRecords, '--quality-window-records') ?? DEFAULT_QUALITY_WINDOW_RECORDS;
  return relative === 0
    ? { deviations: 0, relative: 0 }
    : { deviations: 3, relative, windowRecords: records };
}

/** Labelled records an hourly window is assumed to hold when suggesting quality thresholds. */
const DEFAULT_QUALITY_WINDOW_RECORDS = 1000;

/** A value of a labelled row as a label or prediction; anything else is left for the parsers to count. */
function scalar(v: unknown): string | number | boolean | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

/** What `baseline --problem-type` needs, checked before anything is read. */
function qualityBaselineSettings(values: {
  'problem-type'?: string;
  'label-column'?: string;
  'probability-column'?: string;
  'prediction-column'?: string;
  'probability-threshold'?: string;
}): QualityBaselineSettings | null {
  const problemType = problemTypeOf(values['problem-type'], '--problem-type');
  const limit = threshold(values['probability-threshold'], '--probability-threshold');
  if (problemType === undefined) {
    if (limit !== undefined)
      throw new UsageError('--probability-threshold needs --problem-type BinaryClassification');
    return null;
  }
  const label = values['label-column'];
  if (!label)
    throw new UsageError(
      `--problem-type ${problemType} needs --label-column NAME (the ground-truth column of the labelled set)`,
    );
  const probability = values['probability-column'] ?? null;
  const prediction = values['prediction-column'] ?? null;
  if (problemType === 'BinaryClassification') {
    if (probability === null && prediction === null)
      throw new UsageError(
        '--problem-type BinaryClassification needs --probability-column NAME (the score) or --prediction-column NAME (a 0/1 prediction)',
      );
  } else {
    if (prediction === null)
      throw new UsageError(
        `--problem-type ${problemType} needs --prediction-column NAME (the model's output)`,
      );
    if (probability !== null)
      throw new UsageError(
        `--probability-column applies to BinaryClassification only; the problem type is ${problemType}`,
      );
    if (limit !== undefined)
      throw new UsageError(
        `--probability-threshold applies to BinaryClassification only; the problem type is ${problemType}`,
      );
  }
  return {
    format: 'driftwatch-quality-baseline',
    version: 1,
    problemType,
    labelColumn: label,
    probabilityColumn: probability,
    predictionColumn: prediction,
    threshold: problemType === 'BinaryClassification' ? (limit ?? 0.5) : null,
  };
}

/** A labelled training row as the quality engine takes it. */
function labelledRow(
  settings: QualityBaselineSettings,
  row: Readonly<Record<string, unknown>>,
): LabelledPrediction {
  const label = scalar(row[settings.labelColumn]) ?? '';
  const prediction = settings.predictionColumn === null ? undefined : scalar(row[settings.predictionColumn]);
  const out: LabelledPrediction = {
    label,
    prediction: typeof prediction === 'boolean' ? String(prediction) : prediction,
  };
  if (settings.probabilityColumn !== null) {
    // An unreadable score stays unreadable: NaN is counted as an invalid prediction.
    out.score = parseFiniteNumber(row[settings.probabilityColumn]) ?? Number.NaN;
  }
  return out;
}

/** What `baseline --bias-config` needs: the configuration, read and checked before the data. */
interface BiasBaseline {
  config: BiasConfig;
  /** The configuration's text, written into the baseline folder as given. */
  text: string;
}

/**
 * Reads and checks Clarify's `analysis_config.json` (every mistake at once, exit 2), and makes
 * the flags agree with it: `--bias-config` implies BinaryClassification, and `--label-column`,
 * when given, must be the configuration's `label`.
 */
async function biasBaseline(values: {
  'bias-config'?: string;
  'problem-type'?: string;
  'label-column'?: string;
}): Promise<BiasBaseline | null> {
  const file = values['bias-config'];
  if (file === undefined) return null;
  if (!isS3Uri(file) && !existsSync(file)) throw new UsageError(`--bias-config ${file}: no such file`);
  const { store, key } = openFile(file);
  const text = (await store.getText(key)) ?? '';
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(
      `--bias-config ${file}: not JSON (${(e as Error).message}); give Clarify's analysis_config.json`,
    );
  }
  let config: BiasConfig;
  try {
    config = parseBiasConfig(json, file);
  } catch (e) {
    if (e instanceof BiasConfigError) throw new UsageError(e.message);
    throw e;
  }
  const problemType = values['problem-type'];
  if (problemType !== undefined && problemType !== 'BinaryClassification')
    throw new UsageError(
      `--bias-config measures bias of a binary classifier; --problem-type is ${problemType}: leave it out or pass BinaryClassification`,
    );
  const label = values['label-column'];
  if (label !== undefined && label !== config.label)
    throw new UsageError(
      `--label-column ${label} is not the bias configuration's label "${config.label}"; leave --label-column out (it defaults to the configuration's) or make them agree`,
    );
  return { config, text };
}

/** A training row read by name (names are data: own fields only). */
function rowReader(row: Readonly<Record<string, unknown>>): (name: string) => unknown {
  return (name) => (Object.hasOwn(row, name) ? row[name] : undefined);
}

/** Runs `driftwatch baseline`; returns the exit status. */
export async function baselineCommand(args: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'quality-margin': { type: 'string' },
      'quality-window-records': { type: 'string' },
      out: { type: 'string' },
      'label-column': { type: 'string' },
      categorical: { type: 'string' },
      numeric: { type: 'string' },
      'no-header': { type: 'boolean' },
      'problem-type': { type: 'string' },
      'prediction-column': { type: 'string' },
      'probability-column': { type: 'string' },
      'probability-threshold': { type: 'string' },
      'exact-cap': { type: 'string' },
      'max-categories': { type: 'string' },
      'bias-config': { type: 'string' },
      'no-multivariate': { type: 'boolean' },
      ...EXPLAIN_OPTIONS,
    },
  });
  const data = positionals[0];
  if (!data || positionals.length > 1)
    throw new UsageError('baseline takes one DATA file: driftwatch baseline DATA --out DIR');
  if (!values.out)
    throw new UsageError('baseline needs --out DIR (where statistics.json and constraints.json go)');
  if (!isS3Uri(data) && !existsSync(data)) throw new UsageError(`${data}: no such file`);
  outputFolder(values.out, '--out');
  refuseOverwritingData(data, values.out);
  const { store, key } = openFile(data);
  const outputColumns = [values['probability-column'], values['prediction-column']].filter(
    (c): c is string => !!c,
  );
  const bias = await biasBaseline(values);
  if (bias !== null) {
    values['label-column'] ??= bias.config.label;
    // Without a score column there is no model quality, and bias is pre-training only.
    if (values['probability-column'] !== undefined || values['prediction-column'] !== undefined)
      values['problem-type'] ??= 'BinaryClassification';
    if (values['probability-threshold'] === undefined && values['problem-type'] !== undefined)
      values['probability-threshold'] = String(bias.config.probabilityThreshold);
  }
  const quality = qualityBaselineSettings(values);
  const scoreColumn = values['probability-column'] ?? null;
  const biasTally = bias === null ? null : new BiasTally(bias.config, scoreColumn);
  // The label's kind, for the configuration's check: numeric when every label read is a number.
  let labelsNumeric = true;
  // Every flag is checked before anything is read or written.
  const margin = qualityMargin(values['quality-margin'], values['quality-window-records']);
  const explain = explainFlags(values);
  const explainConfig =
    explain?.configFile === undefined ? null : await readExplainConfig(explain.configFile);
  const labelled: LabelledPrediction[] = [];
  const { baseline, leftOut, columns } = await readTrainingSet(store, key, {
    onRow:
      quality === null && biasTally === null
        ? undefined
        : (row) => {
            if (quality !== null) {
              const record = labelledRow(quality, row);
              // With a bias configuration, its label rule says which labels are positive.
              if (bias !== null) {
                const positive = labelPositive(bias.config.positive, rowReader(row)(quality.labelColumn));
                record.label = positive === null ? '' : positive ? 1 : 0;
              }
              labelled.push(record);
            }
            if (biasTally !== null) {
              const get = rowReader(row);
              biasTally.add(get);
              const label = get(bias!.config.label);
              if (label !== undefined && label !== '' && parseFiniteNumber(label) === null)
                labelsNumeric = false;
            }
          },
    labelColumn: values['label-column'],
    outputColumns,
    categorical: list(values.categorical),
    numeric: list(values.numeric),
    noHeader: values['no-header'],
    limits: {
      exactCap: positiveInt(values['exact-cap'], '--exact-cap') ?? 100_000,
      maxCategories: positiveInt(values['max-categories'], '--max-categories') ?? 10_000,
    },
  }).catch((e: Error) => {
    if (e instanceof TrainingDataError) throw e;
    if (e.message.includes('is not in the data')) throw new UsageError(`${data}: ${e.message}`);
    throw e;
  });
  if (bias !== null) {
    const kinds = new Map(baseline.features.map((f) => [f.name, f.kind]));
    const dataColumns: DataColumn[] = columns.map((name) => ({
      name,
      kind: kinds.get(name) ?? (labelsNumeric ? 'numeric' : 'categorical'),
    }));
    const problems = checkBiasConfigAgainstData(bias.config, dataColumns);
    if (problems.length > 0)
      throw new UsageError(
        `--bias-config ${values['bias-config']}: ${problems.length === 1 ? problems[0] : `${problems.length} problems:\n  ${problems.join('\n  ')}`}`,
      );
  }
  // Model quality is computed before anything is written, so a set without usable labels writes nothing.
  let qualityStatistics: ModelQualityStatistics | null = null;
  if (quality !== null) {
    try {
      qualityStatistics = computeModelQualityStatistics(quality.problemType, labelled, {
        threshold: quality.threshold ?? undefined,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`${data}: ${e.message}`);
      throw e;
    }
  }
  // The multivariate model: two more streaming reads of the data, before anything is written.
  const multivariate = values['no-multivariate']
    ? null
    : await fitTrainingModel(store, key, baseline, { noHeader: values['no-header'] });
  // Feature attributions: the training rows explained by the endpoint, before anything is written.
  const attribution =
    explain === null
      ? null
      : await explainBaseline(store, key, values['no-header'], baseline, explain, explainConfig);
  if (attribution !== null && 'failed' in attribution) {
    io.stderr(`driftwatch: ${attribution.failed}; nothing was written\n`);
    return 3;
  }
  const out = openStore(values.out);
  await out.putText(BASELINE_FILE, JSON.stringify(baselineToJson(baseline)), 'application/json');
  await out.putText(
    STATISTICS_FILE,
    `${JSON.stringify(baselineStatistics(baseline), null, 2)}\n`,
    'application/json',
  );
  await out.putText(
    CONSTRAINTS_FILE,
    `${JSON.stringify(baseline.constraints, null, 2)}\n`,
    'application/json',
  );
  const numeric = baseline.features.filter((f) => f.kind === 'numeric').length;
  const ragged = leftOut.tooFewFields + leftOut.tooManyFields;
  if (ragged > 0)
    io.stderr(
      `driftwatch: warning: ${data}: ${ragged} rows left out of the baseline, their fields not the header's ${leftOut.expected} (${leftOutText(leftOut)})\n`,
    );
  io.stdout(
    `Baseline of ${baseline.itemCount} rows${ragged > 0 ? ` (${ragged} more left out: ${leftOut.tooFewFields} with too few fields, ${leftOut.tooManyFields} with too many)` : ''}: ${baseline.features.length} features (${numeric} numeric, ${baseline.features.length - numeric} categorical)` +
      `${baseline.labelColumn ? `, label column "${baseline.labelColumn}" left out` : ''}.\n` +
      `Wrote ${values.out}/{${STATISTICS_FILE},${CONSTRAINTS_FILE},${BASELINE_FILE}}\n`,
  );
  if (multivariate !== null) {
    if (multivariate.model === null) io.stdout(`No multivariate model: ${multivariate.reason}.\n`);
    else {
      const m = multivariate.model;
      await out.putText(
        MULTIVARIATE_FILE,
        `${JSON.stringify(multivariateModelToJson(m), null, 2)}\n`,
        'application/json',
      );
      const explained = m.pca.explainedVarianceRatio.reduce((a, b) => a + b, 0);
      const round = (x: number) => Number(x.toPrecision(4));
      io.stdout(
        `Multivariate model (PCA reconstruction) of ${m.features.length} features: ${m.pca.components.length} component${m.pca.components.length === 1 ? '' : 's'} explain ${(100 * explained).toFixed(1)}% of the variance; drift outside [${round(m.thresholds.lower)}, ${round(m.thresholds.upper)}]` +
          `${m.excluded.length > 0 ? ` (left out: ${m.excluded.map((e) => JSON.stringify(e.name)).join(', ')})` : ''}.\n` +
          `Wrote ${values.out}/${MULTIVARIATE_FILE}\n`,
      );
    }
  }
  if (bias !== null && biasTally !== null) {
    const analysis = analysisJson(buildBiasAnalysis(biasTally));
    await out.putText(BIAS_ANALYSIS_FILE, `${JSON.stringify(analysis, null, 2)}\n`, 'application/json');
    await out.putText(
      BIAS_CONFIG_FILE,
      bias.text.endsWith('\n') ? bias.text : `${bias.text}\n`,
      'application/json',
    );
    const stages = [
      'pre-training',
      ...(scoreColumn !== null && bias.config.methods.postTraining.length > 0 ? ['post-training'] : []),
    ];
    io.stdout(
      `Bias (Clarify) of ${biasTally.counted} rows, ${bias.config.facets.length} facet value${bias.config.facets.length === 1 ? '' : 's'}: ${stages.join(' and ')} metrics` +
        `${scoreColumn === null ? ' (no --probability-column: no post-training metrics)' : ''}.\n` +
        `Wrote ${values.out}/{${BIAS_ANALYSIS_FILE},${BIAS_CONFIG_FILE}}\n`,
    );
  }
  if (quality !== null && qualityStatistics !== null) {
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    await out.putText(QUALITY_STATISTICS_FILE, json(qualityStatistics), 'application/json');
    await out.putText(
      QUALITY_CONSTRAINTS_FILE,
      json(suggestQualityConstraints(qualityStatistics, margin)),
      'application/json',
    );
    await out.putText(QUALITY_SETTINGS_FILE, json(quality), 'application/json');
    const n = qualityStatistics.dataset.item_count;
    io.stdout(
      `Model quality (${quality.problemType}) of ${n} labelled rows` +
        (n < labelled.length
          ? ` (${labelled.length - n} left out: label or prediction does not parse)`
          : '') +
        `: ${qualityHeadline(qualityStatistics)}.\n` +
        `Wrote ${values.out}/{${QUALITY_STATISTICS_FILE},${QUALITY_CONSTRAINTS_FILE},${QUALITY_SETTINGS_FILE}}\n`,
    );
  }
  if (attribution !== null) {
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    await out.putText(EXPLAIN_ANALYSIS_FILE, json(attribution.analysis), 'application/json');
    await out.putText(EXPLAIN_SETTINGS_FILE, json(attribution.settings), 'application/json');
    const r = attribution.result;
    io.stdout(
      `Feature attributions (${r.method === 'exact' ? 'exact Shapley values' : `Kernel SHAP, ${r.numSamples} coalitions`}, ${attribution.settings.features.length} features) of ${r.recordsExplained} of ${attribution.rows} training rows: ${r.modelRows} model rows in ${r.requests} requests to endpoint ${attribution.settings.endpoint}` +
        `${r.reason !== null ? ` (${r.reason})` : ''}.\n` +
        `Wrote ${values.out}/{${EXPLAIN_ANALYSIS_FILE},${EXPLAIN_SETTINGS_FILE}}\n`,
    );
  }
  return 0;
}

/** A baseline's attributions and what runs need to compare with them, or why there are none. */
type BaselineAttribution =
  | { analysis: unknown; settings: ExplainSettings; result: ExplainResult; rows: number }
  | { failed: string };

/**
 * Explains the training rows with the endpoint (`--explain-records` of them, drawn by the seeded
 * hash of their ordinal): the baseline's global attributions, and the settings a run repeats.
 * Bad settings are usage errors; a failed endpoint is `failed`.
 */
async function explainBaseline(
  store: ObjectStore,
  key: string,
  noHeader: boolean | undefined,
  baseline: Baseline,
  flags: ExplainFlags,
  given: { config: ExplainConfig; json: unknown } | null,
): Promise<BaselineAttribution> {
  const features = attributionFeatures(baseline);
  if (features.length === 0)
    throw new UsageError('--explain-endpoint: the baseline has no input features to attribute');
  const config = given?.config ?? null;
  let background = config === null ? null : await configBackground(config, features, flags.configFile!);
  if (background === null) {
    try {
      background = baselineBackground(baseline, features);
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`--explain-endpoint: ${e.message}`);
      throw e;
    }
  }
  const plan: ExplainPlan = {
    endpoint: flags.endpoint,
    features,
    background,
    config,
    records: flags.records,
    maxRows: flags.maxRows,
  };
  const endpoint = await openEndpoint(flags, config);
  let explained: { result: ExplainResult; rows: number };
  try {
    explained = await explainTrainingSet(store, key, { noHeader }, plan, endpoint.model);
  } finally {
    endpoint.close();
  }
  const { result } = explained;
  if (result.error !== null)
    return { failed: `explaining the training rows with endpoint ${flags.endpoint} failed: ${result.error}` };
  if (result.global === null || result.expectedValue === null)
    return {
      failed: `no training row could be explained with endpoint ${flags.endpoint}${result.reason !== null ? `: ${result.reason}` : ''}`,
    };
  const analysis = buildExplainabilityAnalysis({
    label: planLabel(plan),
    features: features.map((f) => f.name),
    values: result.global,
    expectedValue: result.expectedValue,
  });
  const settings: ExplainSettings = {
    format: EXPLAIN_SETTINGS_FORMAT,
    version: 1,
    endpoint: flags.endpoint,
    features,
    background,
    config: given?.json ?? null,
    records: flags.records,
    maxRows: flags.maxRows,
  };
  return { analysis, settings, result, rows: explained.rows };
}

/** The files `baseline` writes under --out. */
const WRITTEN = [
  EXPLAIN_ANALYSIS_FILE,
  EXPLAIN_SETTINGS_FILE,
  MULTIVARIATE_FILE,
  BIAS_ANALYSIS_FILE,
  BIAS_CONFIG_FILE,
  BASELINE_FILE,
  STATISTICS_FILE,
  CONSTRAINTS_FILE,
  QUALITY_STATISTICS_FILE,
  QUALITY_CONSTRAINTS_FILE,
  QUALITY_SETTINGS_FILE,
];

/**
 * Refuses an --out whose files would overwrite the DATA file (`--out` being DATA itself is
 * refused as a file by outputFolder). DATA in --out under another name is fine: `baseline
 * data/train.csv --out data` writes data/statistics.json beside it.
 */
function refuseOverwritingData(data: string, out: string): void {
  let overwritten: string | undefined;
  if (isS3Uri(data) && isS3Uri(out)) {
    const o = s3Location(out, '--out');
    overwritten = WRITTEN.find((f) => `s3://${o.bucket}/${o.prefix}${f}` === data);
  } else if (!isS3Uri(data) && !isS3Uri(out)) {
    const real = realLocation(data);
    overwritten = WRITTEN.find((f) => realLocation(join(out, f)) === real);
  }
  if (overwritten !== undefined)
    throw new UsageError(
      `--out ${out}: would overwrite the training data ${data} with its ${overwritten}; choose another --out`,
    );
}

/** The headline metrics of a model-quality statistics.json, for the baseline's message. */
function qualityHeadline(statistics: ModelQualityStatistics): string {
  const values = statisticsValues(statistics);
  const names =
    'binary_classification_metrics' in statistics
      ? ['accuracy', 'precision', 'recall', 'f1', 'auc']
      : 'multiclass_classification_metrics' in statistics
        ? ['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f1']
        : ['mae', 'rmse', 'r2'];
  return names
    .map((name) => {
      const v = values[name];
      return `${name} ${v === null || v === undefined ? 'NaN' : Number(v.toPrecision(4))}`;
    })
    .join(', ');
}
