/**
 * Where `driftwatch run` sends a window besides its report files: the history tables
 * (`--history`), a node_exporter textfile (`--prometheus`) and a Pushgateway (`--pushgateway`).
 * The flags are checked with the run's other flags, before anything is read or written; the
 * exports are written after the report files, each on its own, so one that fails (a Pushgateway
 * that is down) neither hides the others nor the report.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { HistoryNameError, historyKey, historyPartitionValue } from '../contracts/history-schema.ts';
import { isS3Uri } from '../contracts/s3-uri.ts';
import { prometheusText } from '../engine/export/prometheus-text.ts';
import type { Report } from '../engine/report/report-model.ts';
import { writeHistory } from '../sinks/history-writer.ts';
import { writePrometheusTextfile } from '../sinks/prometheus-textfile.ts';
import { pushgatewayUrl, pushMetrics } from '../sinks/pushgateway.ts';
import { outputFolder, refuseOutputInside } from './flags.ts';
import { openStore } from './stores.ts';
import { UsageError } from './usage.ts';

/** The export flags of `run`, as parseArgs options. */
export const EXPORT_OPTIONS = {
  history: { type: 'string' },
  prometheus: { type: 'string' },
  pushgateway: { type: 'string' },
  endpoint: { type: 'string' },
  schedule: { type: 'string' },
  'model-version': { type: 'string' },
} as const;

/** The export flags, checked. */
export interface WindowExports {
  /** The endpoint and schedule the window belongs to (history partitions, Prometheus labels). */
  endpoint: string;
  schedule: string;
  /** --history DIR|s3://...; undefined when not given. */
  history: string | undefined;
  /** --model-version: the history's model_version column. */
  modelVersion: string | undefined;
  /** --prometheus FILE. */
  prometheus: string | undefined;
  /** --pushgateway URL (may carry credentials: never printed as given). */
  pushgateway: string | undefined;
}

/** What the run reads, which no export may write into. */
interface RunLocations {
  inputs: ReadonlyArray<readonly [flag: string, location: string | undefined]>;
  /** Whether the run has a window (--start and --end): history is kept by hour. */
  window: { start: string | null; end: string | null };
}

/**
 * The export flags, checked; `null` when none is given (then --endpoint, --schedule and
 * --model-version would do nothing and are usage errors). Every mistake is a UsageError naming
 * the flag and what it takes.
 */
export function windowExports(
  values: Partial<Record<keyof typeof EXPORT_OPTIONS, string>>,
  run: RunLocations,
): WindowExports | null {
  const { history, prometheus, pushgateway } = values;
  if (history === undefined && prometheus === undefined && pushgateway === undefined) {
    const given = (['endpoint', 'schedule', 'model-version'] as const).find((f) => values[f] !== undefined);
    if (given !== undefined)
      throw new UsageError(
        `--${given} names what --history, --prometheus or --pushgateway write; give one of them too`,
      );
    return null;
  }
  const sink =
    history !== undefined ? '--history' : prometheus !== undefined ? '--prometheus' : '--pushgateway';
  const endpoint = partitionName(values.endpoint, '--endpoint', 'endpoint', sink);
  const schedule = partitionName(values.schedule, '--schedule', 'schedule', sink);
  if (values['model-version'] !== undefined && history === undefined)
    throw new UsageError('--model-version is the model version of the history lines; give --history DIR too');
  if (values['model-version'] !== undefined && values['model-version'].trim() === '')
    throw new UsageError(
      '--model-version must not be empty; give the version (a release tag, a registry version)',
    );
  if (history !== undefined) {
    if (run.window.start === null || run.window.end === null)
      throw new UsageError(
        '--history needs --start and --end (the window): the history is kept per window, by its start hour',
      );
    outputFolder(history, '--history');
    refuseOutputInside(history, '--history', run.inputs);
    // Checks that the keys can be made (the names are checked above; the start is a time).
    historyKey('windows', endpoint, schedule, new Date(run.window.start));
  }
  if (prometheus !== undefined) textfilePath(prometheus);
  if (pushgateway !== undefined) {
    try {
      pushgatewayUrl({ url: pushgateway, endpoint, schedule });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  }
  return {
    endpoint,
    schedule,
    history,
    modelVersion: values['model-version'],
    prometheus,
    pushgateway,
  };
}

/** A name for the history's partitions and the Prometheus labels; HistoryNameError as a usage error. */
function partitionName(v: string | undefined, flag: string, what: string, sink: string): string {
  if (v === undefined)
    throw new UsageError(
      `${sink} needs ${flag} NAME (the ${what} the window belongs to, as the deployed monitor names it)`,
    );
  try {
    historyPartitionValue(v, what);
  } catch (e) {
    if (e instanceof HistoryNameError) throw new UsageError(`${flag}: ${e.message}`);
    throw e;
  }
  return v;
}

/** Checks --prometheus FILE: a local file (not a folder) in a folder that exists. */
function textfilePath(path: string): void {
  if (isS3Uri(path))
    throw new UsageError(
      `--prometheus ${path}: give a local file (node_exporter's textfile collector reads a folder on its host)`,
    );
  if (path === '' || (existsSync(path) && statSync(path).isDirectory()))
    throw new UsageError(
      `--prometheus ${path}: is a folder; name a file in it, such as ${resolve(path, 'driftwatch.prom')}`,
    );
  const folder = dirname(resolve(path));
  if (!(existsSync(folder) && statSync(folder).isDirectory()))
    throw new UsageError(
      `--prometheus ${path}: no such folder ${folder}; give a file in the textfile collector's folder`,
    );
}

/** What the exports wrote, for the summary line, and what failed. */
export interface ExportOutcome {
  /** Printable lines: `Wrote history DIR/{features key,windows key}`. */
  written: string[];
  /** Messages of the exports that failed (each names its target, never credentials). */
  failures: string[];
}

/**
 * Writes the exports of `report`: history, then the textfile, then the push. Each is tried even
 * when an earlier one failed; failures are returned, not thrown.
 */
export async function writeWindowExports(
  exports: WindowExports,
  report: Report,
  fetchFn: typeof fetch,
): Promise<ExportOutcome> {
  const written: string[] = [];
  const failures: string[] = [];
  const { endpoint, schedule } = exports;
  if (exports.history !== undefined) {
    const store = openStore(exports.history);
    try {
      const keys = await writeHistory(store, report, {
        endpoint,
        schedule,
        ...(exports.modelVersion !== undefined ? { modelVersion: exports.modelVersion } : {}),
      });
      written.push(`Wrote history ${exports.history.replace(/\/$/, '')}/{${keys.features},${keys.windows}}`);
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  const needsText = exports.prometheus !== undefined || exports.pushgateway !== undefined;
  const text = needsText ? prometheusText(report, { endpoint, schedule }) : '';
  if (exports.prometheus !== undefined) {
    try {
      await writePrometheusTextfile(exports.prometheus, text);
      written.push(`Wrote Prometheus metrics ${exports.prometheus}`);
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  if (exports.pushgateway !== undefined) {
    const target = { url: exports.pushgateway, endpoint, schedule };
    try {
      await pushMetrics(fetchFn, target, text);
      written.push(`Pushed Prometheus metrics to ${pushgatewayUrl(target).url}`);
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  return { written, failures };
}
