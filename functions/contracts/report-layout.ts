/**
 * Where the monitor keeps things under its reports bucket and prefix, and the names of a
 * window's files: one definition for what writes them (sinks, pipeline), what reads them back
 * (the Slack notifier, the retraining trigger, the CLI) and the stack's grants (infra).
 *
 * ```
 * [PREFIX/]reports/ENDPOINT/SCHEDULE/index.html
 * [PREFIX/]reports/ENDPOINT/SCHEDULE/yyyy/mm/dd/hh/{report.json, report.html, statistics.json, ...}
 * [PREFIX/]fan-out/ENDPOINT/SCHEDULE/RUN/{manifest.json, partials/yyyy/mm/dd/hh/part-NNNNNNN.json}
 * ```
 */
import {
  BASELINE_FILE,
  CONSTRAINTS_FILE,
  EXPLAIN_SETTINGS_FILE,
  MULTIVARIATE_FILE,
  QUALITY_SETTINGS_FILE,
} from './baseline-layout.ts';

/** A window's report, as driftwatch writes it. */
export const REPORT_JSON = 'report.json';
/** A window's report as a page. */
export const REPORT_HTML = 'report.html';
/** SageMaker's data-quality statistics of the window. */
export const STATISTICS_JSON = 'statistics.json';
/** SageMaker's data-quality constraint violations of the window. */
export const CONSTRAINT_VIOLATIONS_JSON = 'constraint_violations.json';
/** SageMaker's model-quality statistics of the window, beside report.json. */
export const WINDOW_QUALITY_STATISTICS_FILE = 'model_quality_statistics.json';
/** The window's model-quality constraint violations, beside report.json. */
export const WINDOW_QUALITY_VIOLATIONS_FILE = 'model_quality_constraint_violations.json';
/** Clarify's analysis.json of the window's joined predictions, in the window's folder. */
export const WINDOW_BIAS_ANALYSIS_FILE = 'bias/analysis.json';
/** The window's bias_drift_check violations (SageMaker's format), in the window's folder. */
export const WINDOW_BIAS_VIOLATIONS_FILE = 'bias/constraint_violations.json';
/** Clarify's explainability analysis.json of the window's explained records, in the window's folder. */
export const WINDOW_EXPLAIN_ANALYSIS_FILE = 'explainability/analysis.json';
/** The window's feature_attribution_drift_check violations (Clarify's format), in the window's folder. */
export const WINDOW_EXPLAIN_VIOLATIONS_FILE = 'explainability/constraint_violations.json';
/** The trends page over a schedule's windows, in the schedule's folder. */
export const INDEX_HTML = 'index.html';
/** The marker that a window's summary was sent (or is being sent), in the window's folder. */
export const SUMMARY_MARKER = 'summary-sent.json';

const pad = (n: number): string => String(n).padStart(2, '0');

/** `yyyy/mm/dd/hh/` of the UTC hour `t` falls in. */
export function hourPath(t: Date): string {
  return `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${pad(t.getUTCHours())}/`;
}

/** `reports/ENDPOINT/SCHEDULE/`: a schedule's windows, and its index.html. */
export function scheduleFolder(endpoint: string, scheduleName: string): string {
  return `reports/${endpoint}/${scheduleName}/`;
}

/** `reports/ENDPOINT/SCHEDULE/yyyy/mm/dd/hh/`: where a window's files go, by its start's UTC hour. */
export function reportFolder(endpoint: string, scheduleName: string, windowStart: Date): string {
  return `${scheduleFolder(endpoint, scheduleName)}${hourPath(windowStart)}`;
}

/** `fan-out/ENDPOINT/SCHEDULE/`: the manifests and partial profiles of a schedule's fan-out runs. */
export function fanOutFolder(endpoint: string, scheduleName: string): string {
  return `fan-out/${endpoint}/${scheduleName}/`;
}

/** Where an endpoint's reports are, as its runtime configs say. */
export interface ReportsWhere {
  endpoint: string;
  scheduleName: string;
  reportsBucket: string;
  /** Key prefix before `reports/`; may be empty. */
  reportsPrefix: string;
}

/** The report folder of the endpoint's window starting at `windowStart`, `s3://bucket/.../hh/`. */
export function windowReportLocation(where: ReportsWhere, windowStart: Date): string {
  const root = where.reportsPrefix === '' ? '' : `${where.reportsPrefix.replace(/\/+$/, '')}/`;
  return `s3://${where.reportsBucket}/${root}${reportFolder(where.endpoint, where.scheduleName, windowStart)}`;
}

/**
 * File names driftwatch writes (a window's files, a baseline's, the summary marker): never read
 * as capture, whoever points a capture location at a folder that holds them.
 */
const OUTPUT_FILE_NAMES = new Set([
  REPORT_JSON,
  STATISTICS_JSON,
  CONSTRAINT_VIOLATIONS_JSON,
  WINDOW_QUALITY_STATISTICS_FILE,
  WINDOW_QUALITY_VIOLATIONS_FILE,
  'analysis.json',
  SUMMARY_MARKER,
  BASELINE_FILE,
  CONSTRAINTS_FILE,
  MULTIVARIATE_FILE,
  QUALITY_SETTINGS_FILE.slice(QUALITY_SETTINGS_FILE.lastIndexOf('/') + 1),
  EXPLAIN_SETTINGS_FILE.slice(EXPLAIN_SETTINGS_FILE.lastIndexOf('/') + 1),
]);

/** Whether `key` names one of driftwatch's own output files (by its last path segment). */
export function isDriftwatchOutput(key: string): boolean {
  return OUTPUT_FILE_NAMES.has(key.slice(key.lastIndexOf('/') + 1));
}
