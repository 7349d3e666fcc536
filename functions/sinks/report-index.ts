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
    (k) => r[k] === null || typeof r[k] !== 'object' || Array.isArray(r[k]),
  );
  if (missing !== undefined || !Array.isArray(r.features) || !Array.isArray(r.violations))
    return `is not a driftwatch report.json (no ${missing ?? 'features or violations'})`;
  const damage = damagedField(r as Record<string, unknown>);
  return damage === null ? (r as Report) : `is damaged: ${damage}`;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);
const isCount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isNumberOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
const isTimeOrNull = (v: unknown) => v === null || (typeof v === 'string' && !Number.isNaN(Date.parse(v)));

/**
 * The first field the index reads that a report holds wrongly (`features[2].name is not a
 * string`), or null: a report damaged by hand or by a disk is left out, not drawn as garbage or
 * allowed to stop the page.
 */
function damagedField(r: Record<string, unknown>): string | null {
  const window = r.window as Record<string, unknown>;
  for (const k of ['start', 'end']) if (!isTimeOrNull(window[k])) return `window.${k} is not a time or null`;
  const records = r.records as Record<string, unknown>;
  for (const k of ['total', 'profiled', 'rejected'])
    if (!isCount(records[k])) return `records.${k} is not a count`;
  const dd = r.datasetDrift as Record<string, unknown>;
  for (const k of ['monitoredFeatures', 'driftedFeatures'])
    if (!isCount(dd[k])) return `datasetDrift.${k} is not a count`;
  if (!isNumberOrNull(dd.share)) return 'datasetDrift.share is not a number';
  if (typeof dd.detected !== 'boolean') return 'datasetDrift.detected is not true or false';
  const features = r.features as unknown[];
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    if (!isObject(f)) return `features[${i}] is not an object`;
    if (typeof f.name !== 'string') return `features[${i}].name is not a string`;
    if (typeof f.drifted !== 'boolean') return `features[${i}].drifted is not true or false`;
    for (const k of ['distance', 'threshold'])
      if (f[k] !== undefined && !isNumberOrNull(f[k])) return `features[${i}].${k} is not a number or null`;
  }
  const violations = r.violations as unknown[];
  const bad = violations.findIndex((v) => !isObject(v));
  if (bad !== -1) return `violations[${bad}] is not an object`;
  const q = r.quality;
  if (q !== undefined && q !== null) {
    if (!isObject(q)) return 'quality is not an object or null';
    if (q.violations !== undefined && !Array.isArray(q.violations)) return 'quality.violations is not a list';
    for (const k of ['metrics', 'estimated'])
      if (q[k] !== undefined && q[k] !== null && !isObject(q[k]))
        return `quality.${k} is not an object or null`;
  }
  return null;
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
    const window: TrendInput = { path: o.linkTo(folder.slice(prefix.length)), report: parsed };
    SOURCES.set(window, where);
    windows.push(window);
  }
  windows.sort(byWindowStart);
  return { windows, found: found.length, read: chosen.length };
}

/** Where each window collected was read from, for messages. */
const SOURCES = new WeakMap<TrendInput, string>();

/**
 * The trends page over `windows`. Should drawing fail on a report that passed parseReport (a
 * field the checks do not cover), each window is drawn alone to find the ones that fail; those
 * are left out and told to `onIssue`, and the page is drawn from the rest.
 */
export function renderIndex(
  windows: TrendInput[],
  title?: string,
  onIssue?: (message: string) => void,
): { html: string; windows: TrendInput[] } {
  try {
    return { html: trendsHtml(windows, title), windows };
  } catch (whole) {
    const drawable = windows.filter((w) => {
      try {
        trendsHtml([w], title);
        return true;
      } catch (e) {
        onIssue?.(
          `skipping ${SOURCES.get(w) ?? w.path}: the index cannot be drawn from it (${(e as Error).message})`,
        );
        return false;
      }
    });
    if (drawable.length === windows.length) throw whole;
    return { html: trendsHtml(drawable, title), windows: drawable };
  }
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
  const page = renderIndex(windows, o.title, o.onIssue);
  await store.putText(key, page.html, 'text/html; charset=utf-8');
  return { key, windows: page.windows.length, found };
}
