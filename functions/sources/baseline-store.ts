/**
 * Reads a baseline folder (local or S3, laid out as contracts/baseline-layout.ts says): the data
 * baseline, driftwatch's `baseline.json` when present (exact comparisons), else SageMaker's own
 * `statistics.json` (sketch comparisons), with `constraints.json` from the same folder in both
 * cases; and the model-quality files under `model-quality/`. Errors name the file.
 */

import {
  BASELINE_FILE,
  BIAS_ANALYSIS_FILE,
  BIAS_BASELINE_DIR,
  BIAS_CONFIG_FILE,
  CONSTRAINTS_FILE,
  QUALITY_BASELINE_DIR,
  QUALITY_CONSTRAINTS_FILE,
  QUALITY_SETTINGS_FILE,
  type QualityBaselineSettings,
  STATISTICS_FILE,
} from '../contracts/baseline-layout.ts';
import { PROBLEM_TYPES, type ProblemType } from '../contracts/problem-type.ts';
import { type BiasConfig, parseBiasConfig } from '../engine/bias/analysis-config.ts';
import { type BiasAnalysis, parseAnalysisJson } from '../engine/bias/analysis-json.ts';
import { type Baseline, baselineFromJson, baselineFromSageMaker } from '../engine/drift/baseline.ts';
import {
  type ModelQualityConstraints,
  parseQualityConstraints,
} from '../engine/quality/quality-constraints.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import { type ConstraintsDoc, parseConstraints } from '../engine/sagemaker/sagemaker-constraints.ts';
import { parseStatistics } from '../engine/sagemaker/sagemaker-statistics.ts';
import type { ObjectStore } from '../stores/object-store.ts';

// The CLI names these files when it writes a baseline.
export { BASELINE_FILE, CONSTRAINTS_FILE, STATISTICS_FILE };

/** `file` of `store`, as errors name it. */
function whereIn(store: ObjectStore, file: string): string {
  return `${store.location.replace(/\/$/, '')}/${file}`;
}

/** Reads the data baseline of a folder. */
export async function loadBaseline(store: ObjectStore): Promise<Baseline> {
  const where = (f: string) => whereIn(store, f);
  // List first and read only what exists: with a least-privilege role S3 answers a GET of a
  // missing key with 403, not 404, which must not read as "the baseline is broken".
  const present = new Set<string>();
  for await (const o of store.list()) if (!o.key.includes('/')) present.add(o.key);
  const read = (f: string) => (present.has(f) ? store.getText(f) : Promise.resolve(null));
  const constraintsText = await read(CONSTRAINTS_FILE);
  const constraints: ConstraintsDoc | null =
    constraintsText === null
      ? null
      : parseConstraints(parseJson(constraintsText, where(CONSTRAINTS_FILE)), where(CONSTRAINTS_FILE));
  const own = await read(BASELINE_FILE);
  if (own !== null)
    return baselineFromJson(parseJson(own, where(BASELINE_FILE)), constraints, where(BASELINE_FILE));
  const stats = await read(STATISTICS_FILE);
  if (stats === null)
    throw new BaselineFileError(
      store.location,
      "holds neither baseline.json nor statistics.json; create one with `driftwatch baseline TRAIN.csv --out DIR` or point --baseline at SageMaker's baseline output",
    );
  return baselineFromSageMaker(
    parseStatistics(parseJson(stats, where(STATISTICS_FILE)), where(STATISTICS_FILE)),
    constraints,
  );
}

/** The JSON of `file`; an error naming it, and `fix`, when it does not parse. */
function parseJson(text: string, file: string, fix = 'restore it or rebuild the baseline'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BaselineFileError(file, `is not valid JSON (${(e as Error).message}); ${fix}`);
  }
}

/** A baseline folder's model-quality files; either may be absent. */
export interface QualityBaselineFiles {
  constraints: ModelQualityConstraints | null;
  settings: QualityBaselineSettings | null;
}

const QUALITY_FIX = 'restore or rebuild it';

/**
 * Reads `model-quality/constraints.json` (ours or SageMaker's, as they are) and
 * `model-quality/quality-baseline.json` from a baseline folder. Errors name the file.
 */
export async function loadQualityBaseline(store: ObjectStore): Promise<QualityBaselineFiles> {
  // List first and read only what exists, as loadBaseline does: a baseline SageMaker made has no
  // model-quality files, and S3 answers a GET of a missing key with 403 AccessDenied, not 404,
  // to a role without s3:ListBucket on the bucket (S3 API Reference, GetObject, "Permissions":
  // https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html). A ListBucket grant
  // limited by an s3:prefix condition does not count: a GET carries no s3:prefix. The listing
  // does carry one (the folder's prefix), so the monitor's grant covers it.
  const present = new Set<string>();
  for await (const o of store.list(`${QUALITY_BASELINE_DIR}/`)) present.add(o.key);
  const read = (f: string) => (present.has(f) ? store.getText(f) : Promise.resolve(null));
  const constraintsText = await read(QUALITY_CONSTRAINTS_FILE);
  let constraints: ModelQualityConstraints | null = null;
  if (constraintsText !== null) {
    const file = whereIn(store, QUALITY_CONSTRAINTS_FILE);
    try {
      constraints = parseQualityConstraints(parseJson(constraintsText, file, QUALITY_FIX), file);
    } catch (e) {
      if (e instanceof BaselineFileError) throw e;
      throw new BaselineFileError(file, (e as Error).message.replace(`${file}: `, ''));
    }
  }
  const settingsText = await read(QUALITY_SETTINGS_FILE);
  let settings: QualityBaselineSettings | null = null;
  if (settingsText !== null) {
    const file = whereIn(store, QUALITY_SETTINGS_FILE);
    const json = parseJson(settingsText, file, QUALITY_FIX) as Partial<QualityBaselineSettings> | null;
    if (
      json === null ||
      typeof json !== 'object' ||
      json.format !== 'driftwatch-quality-baseline' ||
      !PROBLEM_TYPES.includes(json.problemType as ProblemType)
    )
      throw new BaselineFileError(
        file,
        'is not a driftwatch quality baseline; rebuild it with `driftwatch baseline --problem-type ...`',
      );
    settings = json as QualityBaselineSettings;
  }
  return { constraints, settings };
}

/** A baseline folder's bias files: the configuration and the training data's analysis. */
export interface BiasBaselineFiles {
  config: BiasConfig;
  analysis: BiasAnalysis;
}

/**
 * Reads a baseline folder's `bias/` files (listed first, as the quality files are); `null` when
 * it has none. A configuration without its analysis, or either unreadable, is an error naming the
 * file and the fix.
 */
export async function loadBiasBaseline(store: ObjectStore): Promise<BiasBaselineFiles | null> {
  const present = new Set<string>();
  for await (const o of store.list(`${BIAS_BASELINE_DIR}/`)) present.add(o.key);
  if (!present.has(BIAS_CONFIG_FILE)) return null;
  const fix = 'rebuild the baseline with `driftwatch baseline ... --bias-config analysis_config.json`';
  const analysisFile = whereIn(store, BIAS_ANALYSIS_FILE);
  if (!present.has(BIAS_ANALYSIS_FILE))
    throw new BaselineFileError(analysisFile, `is missing beside ${BIAS_CONFIG_FILE}; ${fix}`);
  return parseBiasFiles(
    { text: (await store.getText(BIAS_CONFIG_FILE)) ?? '', file: whereIn(store, BIAS_CONFIG_FILE), fix },
    { text: (await store.getText(BIAS_ANALYSIS_FILE)) ?? '', file: analysisFile, fix },
  );
}

/** One object of a configured bias location: the store it is in, its key there, and the config field that names it. */
export interface BiasObject {
  store: ObjectStore;
  key: string;
  /** The deployed config's field naming the object (`bias.analysisConfig`), for the fix in errors. */
  field: string;
}

/**
 * Reads a bias configuration and its baseline analysis from where the deployed config puts them
 * (its `bias` block) instead of a baseline folder. Each object is read directly, without a
 * listing: the monitor may get exactly these two objects. A missing or unreadable object is an
 * error naming it and the config field to correct (S3 answers a missing object with 403, not
 * 404, to a role that may not list the bucket, so "access denied" may mean "not there").
 */
export async function loadConfiguredBias(
  config: BiasObject,
  analysis: BiasObject,
): Promise<BiasBaselineFiles> {
  const read = async (o: BiasObject) => {
    const file = whereIn(o.store, o.key);
    const fix = `upload it, or correct ${o.field} in the config and redeploy`;
    let text: string | null;
    try {
      text = await o.store.getText(o.key);
    } catch (e) {
      throw new BaselineFileError(
        file,
        `could not be read (${(e as Error).name}: ${(e as Error).message}); it may not exist (S3 answers a missing object with AccessDenied to a role that may not list its bucket): ${fix}`,
      );
    }
    if (text === null) throw new BaselineFileError(file, `does not exist; ${fix}`);
    return { text, file, fix };
  };
  return parseBiasFiles(await read(config), await read(analysis));
}

/** A bias configuration and its analysis from their texts; errors name the file and `fix`. */
function parseBiasFiles(
  config: { text: string; file: string; fix: string },
  analysis: { text: string; file: string; fix: string },
): BiasBaselineFiles {
  let parsed: BiasConfig;
  try {
    parsed = parseBiasConfig(parseJson(config.text, config.file, config.fix), config.file);
  } catch (e) {
    if (e instanceof BaselineFileError) throw e;
    throw new BaselineFileError(
      config.file,
      `${(e as Error).message.replace(`${config.file}: `, '')}; ${config.fix}`,
    );
  }
  return {
    config: parsed,
    analysis: parseAnalysisJson(parseJson(analysis.text, analysis.file, analysis.fix), analysis.file),
  };
}
