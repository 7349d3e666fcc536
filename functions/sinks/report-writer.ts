/**
 * A window's result as files: report.json, statistics.json, constraint_violations.json and
 * report.html, and with model quality model_quality_statistics.json and
 * model_quality_constraint_violations.json, with bias and feature attribution their Clarify files
 * under bias/ and explainability/, in a window's report folder of a store (the monitor,
 * contracts/report-layout.ts) or in one folder (the CLI's `run --out`). The JSON is serialised the same
 * way every time (2-space indent, the engine's key order), so re-running a window writes the
 * same bytes but for `generatedAt`.
 */

import {
  CONSTRAINT_VIOLATIONS_JSON,
  REPORT_HTML,
  REPORT_JSON,
  STATISTICS_JSON,
  WINDOW_BIAS_ANALYSIS_FILE,
  WINDOW_BIAS_VIOLATIONS_FILE,
  WINDOW_EXPLAIN_ANALYSIS_FILE,
  WINDOW_EXPLAIN_VIOLATIONS_FILE,
  WINDOW_QUALITY_STATISTICS_FILE,
  WINDOW_QUALITY_VIOLATIONS_FILE,
} from '../contracts/report-layout.ts';
import { reportHtml } from '../engine/render/report-html.ts';
import type { WindowResult } from '../engine/report/window-result.ts';
import type { ObjectStore } from '../stores/object-store.ts';

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
    { name: REPORT_JSON, body: json(result.report), contentType: 'application/json' },
    { name: STATISTICS_JSON, body: json(result.statistics), contentType: 'application/json' },
    { name: CONSTRAINT_VIOLATIONS_JSON, body: json(result.violations), contentType: 'application/json' },
    { name: REPORT_HTML, body: reportHtml(result.report, title), contentType: 'text/html; charset=utf-8' },
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
  if (result.bias) {
    files.push({
      name: WINDOW_BIAS_ANALYSIS_FILE,
      body: json(result.bias.analysis),
      contentType: 'application/json',
    });
    files.push({
      name: WINDOW_BIAS_VIOLATIONS_FILE,
      body: json(result.bias.violations),
      contentType: 'application/json',
    });
  }
  const explained = result.attribution;
  if (explained?.analysis)
    files.push({
      name: WINDOW_EXPLAIN_ANALYSIS_FILE,
      body: json(explained.analysis),
      contentType: 'application/json',
    });
  if (explained?.violations)
    files.push({
      name: WINDOW_EXPLAIN_VIOLATIONS_FILE,
      body: json(explained.violations),
      contentType: 'application/json',
    });
  return files;
}

/** `2026-11-26 05:00 UTC`: a window's hour as people read it. */
export function hourLabel(windowStart: Date): string {
  return `${windowStart.toISOString().slice(0, 10)} ${String(windowStart.getUTCHours()).padStart(2, '0')}:00 UTC`;
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
