/**
 * index.html over many windows: collects the report.json objects under a folder of a store and
 * writes the trends page (functions/engine/render/trends-html.ts), each point linking to its window's
 * report.html by a path relative to the index. Shared by `driftwatch report` (any folder, any
 * depth) and the monitor Lambda, which refreshes `reports/ENDPOINT/SCHEDULE/index.html` after
 * each run over the newest windows only, so the refresh costs the same in year three as on day one.
 */

import { INDEX_HTML, REPORT_HTML, REPORT_JSON } from '../contracts/report-layout.ts';
import { byWindowStart, type TrendInput, trendsHtml } from '../engine/render/trends-html.ts';
import type { Report } from '../engine/report/report-model.ts';
import type { ObjectStore } from '../stores/object-store.ts';

// The CLI's `report` and `endpoint history` name the files through here.
export { INDEX_HTML, REPORT_HTML, REPORT_JSON };

/** Reports read at once: S3 round trips overlap, memory stays small. */
export const READ_CONCURRENCY = 16;
/** Windows the monitor's index covers by default: the newest two weeks of hourly reports. */
export const DEFAULT_INDEX_WINDOWS = 24 * 14;

/** The parsed report, or why it is not one (an index is built from the others). */
export function parseReport(text: string): Report | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return `is not valid JSON (${(e as Error).message})`;
  }
  const r = json as Partial<Report> | null;
  if (r === null || typeof r !== 'object' || r.version !== 1)
    return 'is not a driftwatch report.json (no "version": 1)';
  const missing = (['window', 'records', 'datasetDrift'] as const).find(
    (k) => r[k] === null || typeof r[k] !== 'object',
  );
  if (missing !== undefined || !Array.isArray(r.features) || !Array.isArray(r.violations))
    return `is not a driftwatch report.json (no ${missing ?? 'features or violations'})`;
  return r as Report;
}

/** `f` over `items`, at most `limit` at a time; results in the order of `items`. */
export async function mapConcurrent<T, U>(
  items: readonly T[],
  limit: number,
  f: (t: T) => Promise<U>,
): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Options of {@link collectReports}. */
export interface CollectReportsOptions {
  /** The folder under the store to collect from, ending in `/`. @default '' (the whole store) */
  prefix?: string;
  /**
   * Most reports read: the newest by key (the monitor's keys sort by window, `yyyy/mm/dd/hh/`).
   * @default - every report found
   */
  limit?: number;
  /** The href of `FOLDER/report.html` from the index, FOLDER relative to `prefix` (`''` for itself). */
  linkTo: (folder: string) => string;
  /** Told of each report.json left out (and why) and each without a report.html beside it. */
  onIssue?: (message: string) => void;
}

/** What {@link collectReports} found. */
export interface CollectedReports {
  /** The windows read, in window order. */
  windows: TrendInput[];
  /** report.json objects under the prefix. */
  found: number;
  /** Of those, how many were read (the newest `limit`). */
  read: number;
}

/**
 * Lists the report.json objects under a folder at any depth, reads the newest `limit` of them
 * (by key) and parses them. A report that does not parse is left out and told to `onIssue`,
 * never thrown: one damaged file must not cost the index.
 */
export async function collectReports(
  store: ObjectStore,
  o: CollectReportsOptions,
): Promise<CollectedReports> {
  const prefix = o.prefix ?? '';
  const keys = new Set<string>();
  for await (const obj of store.list(prefix)) keys.add(obj.key);
  const found = [...keys].filter((k) => k === `${prefix}${REPORT_JSON}` || k.endsWith(`/${REPORT_JSON}`));
  found.sort();
  // The newest `limit` by key, read (and told of) in key order.
  const chosen = o.limit === undefined ? found : found.slice(Math.max(0, found.length - o.limit));
  const read = await mapConcurrent(chosen, READ_CONCURRENCY, async (key) => ({
    key,
    parsed: parseReport((await store.getText(key)) ?? ''),
  }));
  const windows: TrendInput[] = [];
  for (const { key, parsed } of read) {
    const where = `${store.location.replace(/\/$/, '')}/${key}`;
    if (typeof parsed === 'string') {
      o.onIssue?.(`skipping ${where}: ${parsed}`);
      continue;
    }
    const folder = key.slice(0, key.length - REPORT_JSON.length);
    if (!keys.has(`${folder}${REPORT_HTML}`))
      o.onIssue?.(`${where} has no ${REPORT_HTML} beside it; its points in the index link to a missing page`);
    windows.push({ path: o.linkTo(folder.slice(prefix.length)), report: parsed });
  }
  windows.sort(byWindowStart);
  return { windows, found: found.length, read: chosen.length };
}

/** Options of {@link writeReportIndex}. */
export interface WriteReportIndexOptions {
  /** @default DEFAULT_INDEX_WINDOWS */
  limit?: number;
  /** The page's title when the reports do not name their endpoint. */
  title?: string;
  onIssue?: (message: string) => void;
}

/** What {@link writeReportIndex} wrote. */
export interface ReportIndex {
  /** The index's key in the store. */
  key: string;
  /** Windows drawn. */
  windows: number;
  /** report.json objects under the folder (more than `windows` past the limit). */
  found: number;
}

/**
 * Rebuilds `FOLDER/index.html` over the newest `limit` reports under `folder` of `store`, each
 * linked by its path relative to the folder. Re-running it over the same reports writes the same bytes.
 */
export async function writeReportIndex(
  store: ObjectStore,
  folder: string,
  o: WriteReportIndexOptions = {},
): Promise<ReportIndex> {
  const { windows, found } = await collectReports(store, {
    prefix: folder,
    limit: o.limit ?? DEFAULT_INDEX_WINDOWS,
    linkTo: (sub) => `${sub}${REPORT_HTML}`,
    ...(o.onIssue ? { onIssue: o.onIssue } : {}),
  });
  const key = `${folder}${INDEX_HTML}`;
  await store.putText(key, trendsHtml(windows, o.title), 'text/html; charset=utf-8');
  return { key, windows: windows.length, found };
}
