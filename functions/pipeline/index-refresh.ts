/**
 * Rebuilds an endpoint's `reports/ENDPOINT/SCHEDULE/index.html` over its newest reports, after a
 * run or a fan-out window. A failure is logged and returned, not thrown: the windows are done by
 * then, and a retry would publish them again.
 */
import { INDEX_HTML, scheduleFolder } from '../contracts/report-layout.ts';
import { DEFAULT_INDEX_WINDOWS, writeReportIndex } from '../sinks/report-index.ts';
import { logger } from './log.ts';
import { type MonitorDeps, reportsStore } from './monitor-deps.ts';

/** Where the index was written and how many windows it draws, or why it was not. */
export type IndexRefresh = { location: string; windows: number } | { error: string };

/** Rebuilds the endpoint's index.html; reports left out of it are logged as warnings. */
export async function refreshIndex(deps: MonitorDeps): Promise<IndexRefresh> {
  const { config } = deps;
  const log = logger(deps.log);
  const reports = reportsStore(deps);
  const folder = scheduleFolder(config.endpoint, config.scheduleName);
  try {
    const index = await writeReportIndex(reports, folder, {
      limit: deps.indexWindows ?? DEFAULT_INDEX_WINDOWS,
      title: `driftwatch: ${config.endpoint} (${config.scheduleName})`,
      onIssue: (issue) => log.warn('index: report left out', { endpoint: config.endpoint, issue }),
    });
    return { location: `${reports.location}${index.key}`, windows: index.windows };
  } catch (e) {
    const error = `rebuilding ${reports.location}${folder}${INDEX_HTML} failed: ${(e as Error).message}`;
    log.error('index refresh failed', { endpoint: config.endpoint, error });
    return { error };
  }
}
