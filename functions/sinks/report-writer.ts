/**
 * A window's result as files: report.json, statistics.json, constraint_violations.json and
 * report.html, and with model quality model_quality_statistics.json and
 * model_quality_constraint_violations.json, under `reports/ENDPOINT/SCHEDULE/yyyy/mm/dd/hh/` of a
 * store (the monitor) or in one folder (the CLI's `run --out`). The JSON is serialised the same
 * way every time (2-space indent, the engine's key order), so re-running a window writes the
 * same bytes but for `generatedAt`.
 */

import { reportHtml } from '../engine/render/report-html.ts';
import type { WindowResult } from '../engine/report/window-result.ts';
import type { ObjectStore } from '../stores/object-store.ts';

/** SageMaker's model-quality statistics of the window, beside report.json. */
export const WINDOW_QUALITY_STATISTICS_FILE = 'model_quality_statistics.json';
/** The window's model-quality constraint violations, beside report.json. */
export const WINDOW_QUALITY_VIOLATIONS_FILE = 'model_quality_constraint_violations.json';

/** One file of a window's results. */
export interface ReportFile {
  name: string;
  body: string;
  contentType: string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/**
 * The files of a window's results, in a fixed order; the model-quality files when the result has
 * model quality (the statistics only when something could be evaluated). `title` is report.html's
 * title (its default without).
 */
export function reportFiles(result: WindowResult, title?: string): ReportFile[] {
  const files: ReportFile[] = [
    { name: 'report.json', body: json(result.report), contentType: 'application/json' },
    { name: 'statistics.json', body: json(result.statistics), contentType: 'application/json' },
    { name: 'constraint_violations.json', body: json(result.violations), contentType: 'application/json' },
    { name: 'report.html', body: reportHtml(result.report, title), contentType: 'text/html; charset=utf-8' },
  ];
  const quality = result.modelQuality;
  if (quality) {
    files.push({
      name: WINDOW_QUALITY_VIOLATIONS_FILE,
      body: json(quality.violations),
      contentType: 'application/json',
    });
    if (quality.statistics !== null)
      files.push({
        name: WINDOW_QUALITY_STATISTICS_FILE,
        body: json(quality.statistics),
        contentType: 'application/json',
      });
  }
  return files;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** `yyyy/mm/dd/hh/` of the UTC hour `t` falls in. */
export function hourPath(t: Date): string {
  return `${t.getUTCFullYear()}/${pad(t.getUTCMonth() + 1)}/${pad(t.getUTCDate())}/${pad(t.getUTCHours())}/`;
}

/** `reports/ENDPOINT/SCHEDULE/yyyy/mm/dd/hh/`: where a window's files go, by its start's UTC hour. */
export function reportFolder(endpoint: string, scheduleName: string, windowStart: Date): string {
  return `reports/${endpoint}/${scheduleName}/${hourPath(windowStart)}`;
}

/** `2026-11-26 05:00 UTC`: a window's hour as people read it. */
export function hourLabel(windowStart: Date): string {
  return `${windowStart.toISOString().slice(0, 10)} ${pad(windowStart.getUTCHours())}:00 UTC`;
}

/** Writes a window's files under `folder` of `store` (`''`: its root); returns their keys. */
export async function writeReportFiles(
  store: ObjectStore,
  folder: string,
  result: WindowResult,
  title?: string,
): Promise<string[]> {
  const files = reportFiles(result, title);
  await Promise.all(files.map((f) => store.putText(`${folder}${f.name}`, f.body, f.contentType)));
  return files.map((f) => `${folder}${f.name}`);
}
