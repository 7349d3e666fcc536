/**
 * The files of a baseline folder: what `driftwatch baseline` writes (functions/cli/) and what a
 * run reads back (functions/sources/baseline-store.ts). The data-quality files are SageMaker's
 * (plus driftwatch's own baseline.json for exact comparisons); the model-quality files sit in
 * `model-quality/`, SageMaker's format plus the settings the baseline was made with.
 */
import type { ProblemType } from './problem-type.ts';

/** driftwatch's own baseline (exact comparisons); preferred over statistics.json when present. */
export const BASELINE_FILE = 'baseline.json';
/** SageMaker's data-quality statistics (sketch comparisons). */
export const STATISTICS_FILE = 'statistics.json';
/** SageMaker's data-quality constraints. */
export const CONSTRAINTS_FILE = 'constraints.json';

/**
 * The multivariate drift model fitted on the training data (PCA reconstruction; MULTIVARIATE.md):
 * a run scores its windows against it and never reads the training data again.
 */
export const MULTIVARIATE_FILE = 'multivariate.json';

/** Where a baseline folder keeps its model-quality files (SageMaker's format, plus the settings). */
export const QUALITY_BASELINE_DIR = 'model-quality';
/** SageMaker's model-quality statistics of the baseline. */
export const QUALITY_STATISTICS_FILE = `${QUALITY_BASELINE_DIR}/statistics.json`;
/** Model-quality constraints (driftwatch's or SageMaker's, as they are). */
export const QUALITY_CONSTRAINTS_FILE = `${QUALITY_BASELINE_DIR}/constraints.json`;
/** How the quality baseline was made: {@link QualityBaselineSettings}. */
export const QUALITY_SETTINGS_FILE = `${QUALITY_BASELINE_DIR}/quality-baseline.json`;

/** Where a baseline folder keeps its bias files (Clarify's format). */
export const BIAS_BASELINE_DIR = 'bias';
/** Clarify's `analysis.json` of the training data: the baseline the windows are compared with. */
export const BIAS_ANALYSIS_FILE = `${BIAS_BASELINE_DIR}/analysis.json`;
/** Clarify's `analysis_config.json` the baseline was made with; `run` reads it from here. */
export const BIAS_CONFIG_FILE = `${BIAS_BASELINE_DIR}/analysis_config.json`;

/** Where a baseline folder keeps its explainability files (feature attribution, ATTRIBUTION.md). */
export const EXPLAINABILITY_BASELINE_DIR = 'explainability';
/** Clarify's `analysis.json` of the training rows: the global SHAP values windows are ranked against. */
export const EXPLAIN_ANALYSIS_FILE = `${EXPLAINABILITY_BASELINE_DIR}/analysis.json`;
/**
 * What a run needs to explain its windows the way the baseline was explained: the model's
 * features, the background row(s), the explainability configuration (explain-settings.ts).
 */
export const EXPLAIN_SETTINGS_FILE = `${EXPLAINABILITY_BASELINE_DIR}/explain-settings.json`;

/**
 * How a quality baseline was made (`model-quality/quality-baseline.json`), so a run reads the
 * same columns with the same threshold without being told again.
 */
export interface QualityBaselineSettings {
  format: 'driftwatch-quality-baseline';
  version: 1;
  problemType: ProblemType;
  labelColumn: string;
  /** BinaryClassification's score column, when there is one. */
  probabilityColumn: string | null;
  /** The predicted label (classification) or value (regression) column, when there is one. */
  predictionColumn: string | null;
  /** BinaryClassification's threshold; `null` for the other problem types. */
  threshold: number | null;
}
