/**
 * A window's history (contracts/history-schema.ts) written to an object store: the reports
 * bucket's prefix in the deployed monitor, the `--history` folder from the CLI. Each window has
 * one object per table, keyed by its hour, so re-running a window replaces its lines.
 */

import { historyJsonLines, historyKey } from '../contracts/history-schema.ts';
import { type HistoryContext, historyRecords } from '../engine/export/history-records.ts';
import type { Report } from '../engine/report/report-model.ts';
import type { ObjectStore } from '../stores/object-store.ts';

/** The media type of the history objects. */
export const HISTORY_CONTENT_TYPE = 'application/x-ndjson';

/** The keys a window's history went to. */
export interface WrittenHistory {
  features: string;
  windows: string;
  /** Lines of the features object (the baseline's features). */
  featureLines: number;
}

/**
 * Writes the window's per-feature and per-window lines to `store`. Every line is validated
 * against the schema before anything is written; throws naming the store and key that failed.
 */
export async function writeHistory(
  store: ObjectStore,
  report: Report,
  ctx: HistoryContext,
): Promise<WrittenHistory> {
  const records = historyRecords(report, ctx);
  const features = historyKey('features', ctx.endpoint, ctx.schedule, records.windowStart);
  const windows = historyKey('windows', ctx.endpoint, ctx.schedule, records.windowStart);
  const featureText = historyJsonLines('features', records.features);
  const windowText = historyJsonLines('windows', [records.window]);
  for (const [key, text] of [
    [features, featureText],
    [windows, windowText],
  ] as const) {
    try {
      await store.putText(key, text, HISTORY_CONTENT_TYPE);
    } catch (e) {
      throw new Error(
        `${store.location}/${key}: cannot write the window's history (${(e as Error).message})`,
        {
          cause: e,
        },
      );
    }
  }
  return { features, windows, featureLines: records.features.length };
}
