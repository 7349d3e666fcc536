/**
 * The driftwatch command: the engine's local door. Parses arguments, drives the same pipeline
 * as the Lambdas, writes files, prints a summary. Returns the exit status.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { baselineStatistics, baselineToJson } from '../engine/baseline.ts';
import { BaselineFileError } from '../engine/baseline-error.ts';
import { reportHtml } from '../engine/report-html.ts';
import { summaryTable } from '../engine/summary-table.ts';
import { runWindow } from '../pipeline/run-window.ts';
import { BASELINE_FILE, CONSTRAINTS_FILE, loadBaseline, STATISTICS_FILE } from '../sources/baseline-store.ts';
import { LocalStore } from '../sources/local-store.ts';
import { isS3Uri } from '../sources/object-store.ts';
import { readTrainingData, TrainingDataError } from '../sources/training-data.ts';
import { openStore } from './stores.ts';
import { HELP, UsageError, VERSION } from './usage.ts';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal (progress is redrawn in place). */
  stderrIsTty: boolean;
  now: () => Date;
}

const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTty: Boolean(process.stderr.isTTY),
  now: () => new Date(),
};

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  try {
    const [command, ...rest] = argv;
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    if (command === 'baseline') return await baselineCommand(rest, io);
    if (command === 'run') return await runCommand(rest, io);
    throw new UsageError(`unknown command "${command}"; use baseline or run (driftwatch --help)`);
  } catch (e) {
    if (e instanceof UsageError || e instanceof BaselineFileError || e instanceof TrainingDataError) {
      io.stderr(`driftwatch: ${e.message}\n`);
      return 2;
    }
    if (
      (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (e as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      io.stderr(`driftwatch: ${(e as Error).message} (driftwatch --help)\n`);
      return 2;
    }
    io.stderr(`driftwatch: ${(e as Error).stack ?? String(e)}\n`);
    return 3;
  }
}

function list(v: string | undefined): string[] {
  return v === undefined
    ? []
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

function positiveInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0)
    throw new UsageError(`${flag} must be a positive whole number; got "${v}"`);
  return n;
}

function fraction(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new UsageError(`${flag} must be a number from 0 to 1; got "${v}"`);
  return n;
}

function isoTime(v: string | undefined, flag: string): string | null {
  if (v === undefined) return null;
  const t = Date.parse(v);
  if (Number.isNaN(t))
    throw new UsageError(`${flag} must be an ISO-8601 time such as 2026-11-26T05:00:00Z; got "${v}"`);
  return new Date(t).toISOString();
}

async function baselineCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      out: { type: 'string' },
      'label-column': { type: 'string' },
      categorical: { type: 'string' },
      numeric: { type: 'string' },
      'no-header': { type: 'boolean' },
      'problem-type': { type: 'string' },
      'prediction-column': { type: 'string' },
      'probability-column': { type: 'string' },
      'exact-cap': { type: 'string' },
      'max-categories': { type: 'string' },
    },
  });
  const data = positionals[0];
  if (!data || positionals.length > 1)
    throw new UsageError('baseline takes one DATA file: driftwatch baseline DATA --out DIR');
  if (!values.out)
    throw new UsageError('baseline needs --out DIR (where statistics.json and constraints.json go)');
  if (!isS3Uri(data) && !existsSync(data)) throw new UsageError(`${data}: no such file`);
  const store = isS3Uri(data)
    ? openStore(data.slice(0, data.lastIndexOf('/') + 1))
    : new LocalStore(dirname(data));
  const key = isS3Uri(data) ? data.slice(data.lastIndexOf('/') + 1) : basename(data);
  const outputColumns = [values['probability-column'], values['prediction-column']].filter(
    (c): c is string => !!c,
  );
  const baseline = await readTrainingData(store, key, {
    labelColumn: values['label-column'],
    outputColumns,
    categorical: list(values.categorical),
    numeric: list(values.numeric),
    noHeader: values['no-header'],
    limits: {
      exactCap: positiveInt(values['exact-cap'], '--exact-cap') ?? 100_000,
      maxCategories: positiveInt(values['max-categories'], '--max-categories') ?? 10_000,
    },
  }).catch((e: Error) => {
    if (e instanceof TrainingDataError) throw e;
    if (e.message.includes('is not in the data')) throw new UsageError(`${data}: ${e.message}`);
    throw e;
  });
  const out = openStore(values.out);
  await out.putText(BASELINE_FILE, JSON.stringify(baselineToJson(baseline)), 'application/json');
  await out.putText(
    STATISTICS_FILE,
    `${JSON.stringify(baselineStatistics(baseline), null, 2)}\n`,
    'application/json',
  );
  await out.putText(
    CONSTRAINTS_FILE,
    `${JSON.stringify(baseline.constraints, null, 2)}\n`,
    'application/json',
  );
  const numeric = baseline.features.filter((f) => f.kind === 'numeric').length;
  io.stdout(
    `Baseline of ${baseline.itemCount} rows: ${baseline.features.length} features (${numeric} numeric, ${baseline.features.length - numeric} categorical)` +
      `${baseline.labelColumn ? `, label column "${baseline.labelColumn}" left out` : ''}.\n` +
      `Wrote ${values.out}/{${STATISTICS_FILE},${CONSTRAINTS_FILE},${BASELINE_FILE}}\n`,
  );
  return 0;
}

async function runCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      baseline: { type: 'string' },
      capture: { type: 'string' },
      out: { type: 'string' },
      'ground-truth': { type: 'string' },
      start: { type: 'string' },
      end: { type: 'string' },
      'problem-type': { type: 'string' },
      'probability-threshold': { type: 'string' },
      'fail-on-violation': { type: 'boolean' },
      json: { type: 'boolean' },
      'exact-cap': { type: 'string' },
      'max-categories': { type: 'string' },
      'max-line-bytes': { type: 'string' },
      'max-columns': { type: 'string' },
      'dataset-drift-share': { type: 'string' },
    },
  });
  if (positionals.length) throw new UsageError(`run takes no positional arguments; got "${positionals[0]}"`);
  if (!values.baseline)
    throw new UsageError("run needs --baseline DIR (a folder made by `driftwatch baseline`, or SageMaker's)");
  if (!values.capture)
    throw new UsageError('run needs --capture DIR|s3://bucket/prefix (the data-capture location)');
  if (!values.out) throw new UsageError('run needs --out DIR (where report.json and the rest go)');
  for (const [flag, loc] of [
    ['--baseline', values.baseline],
    ['--capture', values.capture],
  ] as const) {
    if (!isS3Uri(loc) && !(existsSync(loc) && statSync(loc).isDirectory()))
      throw new UsageError(`${flag} ${loc}: no such folder`);
  }
  const start = isoTime(values.start, '--start');
  const end = isoTime(values.end, '--end');
  if (start && end && Date.parse(start) >= Date.parse(end))
    throw new UsageError(`--start ${start} is not before --end ${end}`);
  const baselineStore = openStore(values.baseline);
  const baseline = await loadBaseline(baselineStore);
  const t0 = Date.now();
  let lastProgress = 0;
  const result = await runWindow({
    baseline,
    baselinePath: values.baseline,
    capture: openStore(values.capture),
    start,
    end,
    limits: {
      ...(values['exact-cap'] ? { exactCap: positiveInt(values['exact-cap'], '--exact-cap')! } : {}),
      ...(values['max-categories']
        ? { maxCategories: positiveInt(values['max-categories'], '--max-categories')! }
        : {}),
    },
    maxLineBytes: positiveInt(values['max-line-bytes'], '--max-line-bytes'),
    maxColumns: positiveInt(values['max-columns'], '--max-columns'),
    datasetDriftShare: fraction(values['dataset-drift-share'], '--dataset-drift-share'),
    now: io.now(),
    onProgress: (p) => {
      const now = Date.now();
      if (now - t0 < 1000 || now - lastProgress < (io.stderrIsTty ? 200 : 5000)) return;
      lastProgress = now;
      const line = `profiling: ${p.objectsDone}/${p.objects} files, ${(p.bytesDone / 1e6).toFixed(0)}/${(p.bytes / 1e6).toFixed(0)} MB`;
      io.stderr(io.stderrIsTty ? `\r${line}` : `${line}\n`);
    },
  });
  if (io.stderrIsTty && lastProgress) io.stderr('\n');
  const out = openStore(values.out);
  const { report } = result;
  await out.putText('report.json', `${JSON.stringify(report, null, 2)}\n`, 'application/json');
  await out.putText('statistics.json', `${JSON.stringify(result.statistics, null, 2)}\n`, 'application/json');
  await out.putText(
    'constraint_violations.json',
    `${JSON.stringify(result.violations, null, 2)}\n`,
    'application/json',
  );
  await out.putText('report.html', reportHtml(report), 'text/html; charset=utf-8');
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else
    io.stdout(
      summaryTable(report) +
        `\nWrote ${values.out}/{report.json,statistics.json,constraint_violations.json,report.html}\n`,
    );
  return values['fail-on-violation'] && report.violations.length > 0 ? 1 : 0;
}
