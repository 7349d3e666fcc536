/**
 * A baseline folder's explainability files, read back by a run that explains its window:
 * `explainability/explain-settings.json` (how the baseline was explained) and
 * `explainability/analysis.json` (its global SHAP values, Clarify's format).
 */
import { EXPLAIN_ANALYSIS_FILE, EXPLAIN_SETTINGS_FILE } from '../contracts/baseline-layout.ts';
import {
  ExplainabilityFileError,
  type GlobalExplanation,
  parseExplainabilityAnalysis,
} from '../engine/attribution/attribution-analysis.ts';
import { type ExplainSettings, parseExplainSettings } from '../engine/attribution/explain-settings.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import type { ObjectStore } from '../stores/object-store.ts';

const FIX =
  'make the baseline with `driftwatch baseline DATA --out DIR --explain-endpoint NAME` (it writes both files)';

function whereIn(store: ObjectStore, key: string): string {
  return `${store.location.replace(/\/$/, '')}/${key}`;
}

async function readJson(store: ObjectStore, key: string): Promise<unknown> {
  const file = whereIn(store, key);
  const text = await store.getText(key);
  if (text === null) throw new BaselineFileError(file, `is missing; ${FIX}`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BaselineFileError(file, `is not valid JSON (${(e as Error).message}); ${FIX}`);
  }
}

/** The settings alone (the label of the analysis depends on the configuration the run uses). */
export async function loadExplainSettings(store: ObjectStore): Promise<ExplainSettings> {
  const json = await readJson(store, EXPLAIN_SETTINGS_FILE);
  try {
    return parseExplainSettings(json, whereIn(store, EXPLAIN_SETTINGS_FILE));
  } catch (e) {
    if (e instanceof ExplainabilityFileError) throw new BaselineFileError(e.file, `${e.problem}; ${FIX}`);
    throw e;
  }
}

/** The baseline's global explanation of `label`. */
export async function loadExplainAnalysis(store: ObjectStore, label: string): Promise<GlobalExplanation> {
  const json = await readJson(store, EXPLAIN_ANALYSIS_FILE);
  try {
    return parseExplainabilityAnalysis(json, whereIn(store, EXPLAIN_ANALYSIS_FILE), label);
  } catch (e) {
    if (e instanceof ExplainabilityFileError) throw new BaselineFileError(e.file, e.problem);
    throw e;
  }
}
