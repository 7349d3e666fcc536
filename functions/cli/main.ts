/**
 * The driftwatch command: the engine's local door. Parses arguments, drives the same pipeline
 * as the Lambdas, writes files, prints a summary. Returns the exit status.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { PROBLEM_TYPES, type ProblemType } from '../contracts/problem-type.ts';
import { baselineStatistics, baselineToJson } from '../engine/drift/baseline.ts';
import { parseFiniteNumber } from '../engine/quality/labelled-records.ts';
import {
  constraintsProblemType,
  type ModelQualityConstraints,
  parseQualityConstraints,
  suggestQualityConstraints,
} from '../engine/quality/quality-constraints.ts';
import {
  computeModelQualityStatistics,
  type ModelQualityStatistics,
  statisticsValues,
} from '../engine/quality/sagemaker-quality-statistics.ts';
import type { LabelledPrediction } from '../engine/quality/types.ts';
import { summaryTable } from '../engine/render/summary-table.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import {
  loadQualityBaseline,
  planQuality,
  QUALITY_CONSTRAINTS_FILE,
  QUALITY_SETTINGS_FILE,
  QUALITY_STATISTICS_FILE,
  type QualityBaselineFiles,
  type QualityBaselineSettings,
  startWindowQuality,
} from '../pipeline/quality-window.ts';
import { runWindow } from '../pipeline/run-window.ts';
import { writeReportFiles } from '../sinks/report-writer.ts';
import { BASELINE_FILE, CONSTRAINTS_FILE, loadBaseline, STATISTICS_FILE } from '../sources/baseline-store.ts';
import { defaultWorkerCount } from '../sources/parallel-profile.ts';
import { readTrainingData, TrainingDataError } from '../sources/training-data.ts';
import { LocalStore } from '../stores/local-store.ts';
import { isS3Uri, type ObjectStore } from '../stores/object-store.ts';
import { stdinPrompt } from './prompt.ts';
import { reportCommand } from './report-command.ts';
import { openStore } from './stores.ts';
import { HELP, UsageError, VERSION } from './usage.ts';

export interface Io {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** True when stderr is a terminal (progress is redrawn in place). */
  stderrIsTty: boolean;
  now: () => Date;
  /**
   * Asks a question and resolves to the line answered, or null at end of input. Commands that
   * change things (endpoint rollback) ask before; without it they need --yes.
   */
  prompt?: (question: string) => Promise<string | null>;
}

const processIo: Io = {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  stderrIsTty: Boolean(process.stderr.isTTY),
  now: () => new Date(),
  prompt: stdinPrompt,
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
    if (command === 'report') return await reportCommand(rest, io);
    if (command === 'endpoint') {
      // Loaded on demand: it brings the SageMaker client, which no other command needs.
      const { endpointCommand } = await import('./endpoint-command.ts');
      return await endpointCommand(rest, io);
    }
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

/**
 * Suggested model-quality thresholds sit this far (relative) or three standard deviations of the
 * metric on a window of --quality-window-records labelled records, whichever is larger, beyond
 * the baseline value, so ordinary hourly noise does not page anyone. `--quality-margin 0` gives
 * SageMaker's suggestion (the baseline value itself).
 */
const DEFAULT_QUALITY_MARGIN = 0.05;

function qualityMargin(
  v: string | undefined,
  windowRecords: string | undefined,
): { deviations: number; relative: number; windowRecords?: number } {
  const relative = nonNegative(v, '--quality-margin') ?? DEFAULT_QUALITY_MARGIN;
  const records = positiveInt(windowRecords, '--quality-window-records') ?? DEFAULT_QUALITY_WINDOW_RECORDS;
  return relative === 0
    ? { deviations: 0, relative: 0 }
    : { deviations: 3, relative, windowRecords: records };
}

/** Labelled records an hourly window is assumed to hold when suggesting quality thresholds. */
const DEFAULT_QUALITY_WINDOW_RECORDS = 1000;

function nonNegative(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a number of 0 or more; got "${v}"`);
  return n;
}

/** A size in megabytes (0 or more, fractions allowed) as bytes. */
function nonNegativeMb(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`${flag} must be a number of megabytes, 0 or more; got "${v}"`);
  return Math.round(n * 1024 * 1024);
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

function problemTypeOf(v: string | undefined, flag: string): ProblemType | undefined {
  if (v === undefined) return undefined;
  const found = PROBLEM_TYPES.find((p) => p.toLowerCase() === v.trim().toLowerCase());
  if (found === undefined)
    throw new UsageError(`${flag} must be one of ${PROBLEM_TYPES.join(', ')}; got "${v}"`);
  return found;
}

function threshold(v: string | undefined, flag: string): number | undefined {
  if (v !== undefined && v.trim() === '')
    throw new UsageError(`${flag} must be a number from 0 to 1; got ""`);
  return fraction(v, flag);
}

function nonNegativeInt(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isInteger(n) || n < 0)
    throw new UsageError(`${flag} must be a whole number, 0 or more; got "${v}"`);
  return n;
}

/** A value of a labelled row as a label or prediction; anything else is left for the parsers to count. */
function scalar(v: unknown): string | number | boolean | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

/** What `baseline --problem-type` needs, checked before anything is read. */
function qualityBaselineSettings(values: {
  'problem-type'?: string;
  'label-column'?: string;
  'probability-column'?: string;
  'prediction-column'?: string;
  'probability-threshold'?: string;
}): QualityBaselineSettings | null {
  const problemType = problemTypeOf(values['problem-type'], '--problem-type');
  const limit = threshold(values['probability-threshold'], '--probability-threshold');
  if (problemType === undefined) {
    if (limit !== undefined)
      throw new UsageError('--probability-threshold needs --problem-type BinaryClassification');
    return null;
  }
  const label = values['label-column'];
  if (!label)
    throw new UsageError(
      `--problem-type ${problemType} needs --label-column NAME (the ground-truth column of the labelled set)`,
    );
  const probability = values['probability-column'] ?? null;
  const prediction = values['prediction-column'] ?? null;
  if (problemType === 'BinaryClassification') {
    if (probability === null && prediction === null)
      throw new UsageError(
        '--problem-type BinaryClassification needs --probability-column NAME (the score) or --prediction-column NAME (a 0/1 prediction)',
      );
  } else {
    if (prediction === null)
      throw new UsageError(
        `--problem-type ${problemType} needs --prediction-column NAME (the model's output)`,
      );
    if (probability !== null)
      throw new UsageError(
        `--probability-column applies to BinaryClassification only; the problem type is ${problemType}`,
      );
    if (limit !== undefined)
      throw new UsageError(
        `--probability-threshold applies to BinaryClassification only; the problem type is ${problemType}`,
      );
  }
  return {
    format: 'driftwatch-quality-baseline',
    version: 1,
    problemType,
    labelColumn: label,
    probabilityColumn: probability,
    predictionColumn: prediction,
    threshold: problemType === 'BinaryClassification' ? (limit ?? 0.5) : null,
  };
}

/** A labelled training row as the quality engine takes it. */
function labelledRow(
  settings: QualityBaselineSettings,
  row: Readonly<Record<string, unknown>>,
): LabelledPrediction {
  const label = scalar(row[settings.labelColumn]) ?? '';
  const prediction = settings.predictionColumn === null ? undefined : scalar(row[settings.predictionColumn]);
  const out: LabelledPrediction = {
    label,
    prediction: typeof prediction === 'boolean' ? String(prediction) : prediction,
  };
  if (settings.probabilityColumn !== null) {
    // An unreadable score stays unreadable: NaN is counted as an invalid prediction.
    out.score = parseFiniteNumber(row[settings.probabilityColumn]) ?? Number.NaN;
  }
  return out;
}

async function baselineCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      'quality-margin': { type: 'string' },
      'quality-window-records': { type: 'string' },
      out: { type: 'string' },
      'label-column': { type: 'string' },
      categorical: { type: 'string' },
      numeric: { type: 'string' },
      'no-header': { type: 'boolean' },
      'problem-type': { type: 'string' },
      'prediction-column': { type: 'string' },
      'probability-column': { type: 'string' },
      'probability-threshold': { type: 'string' },
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
  const quality = qualityBaselineSettings(values);
  const labelled: LabelledPrediction[] = [];
  const baseline = await readTrainingData(store, key, {
    onRow: quality === null ? undefined : (row) => labelled.push(labelledRow(quality, row)),
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
  // Model quality is computed before anything is written, so a set without usable labels writes nothing.
  let qualityStatistics: ModelQualityStatistics | null = null;
  if (quality !== null) {
    try {
      qualityStatistics = computeModelQualityStatistics(quality.problemType, labelled, {
        threshold: quality.threshold ?? undefined,
      });
    } catch (e) {
      if (e instanceof RangeError) throw new UsageError(`${data}: ${e.message}`);
      throw e;
    }
  }
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
  if (quality !== null && qualityStatistics !== null) {
    const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;
    await out.putText(QUALITY_STATISTICS_FILE, json(qualityStatistics), 'application/json');
    await out.putText(
      QUALITY_CONSTRAINTS_FILE,
      json(
        suggestQualityConstraints(
          qualityStatistics,
          qualityMargin(values['quality-margin'], values['quality-window-records']),
        ),
      ),
      'application/json',
    );
    await out.putText(QUALITY_SETTINGS_FILE, json(quality), 'application/json');
    const n = qualityStatistics.dataset.item_count;
    io.stdout(
      `Model quality (${quality.problemType}) of ${n} labelled rows` +
        (n < labelled.length
          ? ` (${labelled.length - n} left out: label or prediction does not parse)`
          : '') +
        `: ${qualityHeadline(qualityStatistics)}.\n` +
        `Wrote ${values.out}/{${QUALITY_STATISTICS_FILE},${QUALITY_CONSTRAINTS_FILE},${QUALITY_SETTINGS_FILE}}\n`,
    );
  }
  return 0;
}

/** The headline metrics of a model-quality statistics.json, for the baseline's message. */
function qualityHeadline(statistics: ModelQualityStatistics): string {
  const values = statisticsValues(statistics);
  const names =
    'binary_classification_metrics' in statistics
      ? ['accuracy', 'precision', 'recall', 'f1', 'auc']
      : 'multiclass_classification_metrics' in statistics
        ? ['accuracy', 'weighted_precision', 'weighted_recall', 'weighted_f1']
        : ['mae', 'rmse', 'r2'];
  return names
    .map((name) => {
      const v = values[name];
      return `${name} ${v === null || v === undefined ? 'NaN' : Number(v.toPrecision(4))}`;
    })
    .join(', ');
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
      'label-lookback-hours': { type: 'string' },
      'quality-constraints': { type: 'string' },
      'min-slice-support': { type: 'string' },
      workers: { type: 'string' },
      'parallel-min-mb': { type: 'string' },
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
  const maxLineBytes = positiveInt(values['max-line-bytes'], '--max-line-bytes');
  const qualityRun = await qualityRunOf(values, baselineStore);
  // Collecting predictions needs the rows in this thread, so runWindow profiles without workers then.
  const quality =
    qualityRun === null
      ? null
      : startWindowQuality(
          planQuality(baseline, qualityRun.files, {
            groundTruth: openStore(qualityRun.groundTruth),
            problemType: qualityRun.problemType,
            threshold: qualityRun.threshold,
            constraints: qualityRun.constraints,
            labelLookbackHours: qualityRun.labelLookbackHours,
            minSliceSupport: qualityRun.minSliceSupport,
            maxLineBytes,
          }),
        );
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
    maxLineBytes,
    maxColumns: positiveInt(values['max-columns'], '--max-columns'),
    datasetDriftShare: fraction(values['dataset-drift-share'], '--dataset-drift-share'),
    now: io.now(),
    onRow: quality?.onRow,
    workers: positiveInt(values.workers, '--workers') ?? defaultWorkerCount(),
    parallelMinBytes: nonNegativeMb(values['parallel-min-mb'], '--parallel-min-mb'),
    onProgress: (p) => {
      const now = Date.now();
      if (now - t0 < 1000 || now - lastProgress < (io.stderrIsTty ? 200 : 5000)) return;
      lastProgress = now;
      const line = `profiling: ${p.objects} files, ${(p.bytesDone / 1e6).toFixed(0)}/${(p.bytes / 1e6).toFixed(0)} MB`;
      io.stderr(io.stderrIsTty ? `\r${line}` : `${line}\n`);
    },
  });
  if (io.stderrIsTty && lastProgress) io.stderr('\n');
  const { report } = result;
  if (quality !== null) {
    const q = await quality.evaluate({ start, end }, io.now());
    report.quality = q.quality;
    result.modelQuality = { statistics: q.statistics, violations: q.violations };
  }
  const written = (await writeReportFiles(openStore(values.out), '', result)).join(',');
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else io.stdout(`${summaryTable(report)}\nWrote ${values.out}/{${written}}\n`);
  const violations = report.violations.length + (report.quality?.violations.length ?? 0);
  return values['fail-on-violation'] && violations > 0 ? 1 : 0;
}

/** `run`'s quality flags, checked, with the baseline's model-quality files; `null` without --ground-truth. */
interface QualityRun {
  groundTruth: string;
  files: QualityBaselineFiles;
  problemType: ProblemType;
  /** --probability-threshold; else the quality baseline's (planQuality). */
  threshold: number | undefined;
  constraints: ModelQualityConstraints | null;
  labelLookbackHours: number | undefined;
  minSliceSupport: number | undefined;
}

const QUALITY_FLAGS = [
  'problem-type',
  'probability-threshold',
  'label-lookback-hours',
  'quality-constraints',
  'min-slice-support',
] as const;

/**
 * Checks run's quality flags and reads the quality constraints (--quality-constraints, else the
 * baseline's model-quality/constraints.json). The problem type is --problem-type, else the quality
 * baseline's, else the constraints'. Bad values are usage errors naming the flag or the file.
 */
async function qualityRunOf(
  values: Partial<Record<(typeof QUALITY_FLAGS)[number] | 'ground-truth', string>>,
  baselineStore: ObjectStore,
): Promise<QualityRun | null> {
  const groundTruth = values['ground-truth'];
  if (groundTruth === undefined) {
    const given = QUALITY_FLAGS.find((f) => values[f] !== undefined);
    if (given !== undefined)
      throw new UsageError(
        `--${given} needs --ground-truth DIR|s3://... (the labels to join to predictions)`,
      );
    return null;
  }
  if (!isS3Uri(groundTruth) && !(existsSync(groundTruth) && statSync(groundTruth).isDirectory()))
    throw new UsageError(`--ground-truth ${groundTruth}: no such folder`);
  const explicitType = problemTypeOf(values['problem-type'], '--problem-type');
  const limit = threshold(values['probability-threshold'], '--probability-threshold');
  const labelLookbackHours = nonNegativeInt(values['label-lookback-hours'], '--label-lookback-hours');
  const minSliceSupport = positiveInt(values['min-slice-support'], '--min-slice-support');
  const files = await loadQualityBaseline(baselineStore);
  let constraints = files.constraints;
  let constraintsSource = `${baselineStore.location.replace(/\/$/, '')}/${QUALITY_CONSTRAINTS_FILE}`;
  const constraintsFile = values['quality-constraints'];
  if (constraintsFile !== undefined) {
    constraints = await readQualityConstraints(constraintsFile);
    constraintsSource = constraintsFile;
  }
  const problemType =
    explicitType ??
    files.settings?.problemType ??
    (constraints === null ? undefined : constraintsProblemType(constraints));
  if (problemType === undefined)
    throw new UsageError(
      `--ground-truth needs --problem-type ${PROBLEM_TYPES.join('|')} (the baseline has no model-quality files to take it from)`,
    );
  if (limit !== undefined && problemType !== 'BinaryClassification')
    throw new UsageError(
      `--probability-threshold applies to BinaryClassification only; the problem type is ${problemType}`,
    );
  if (constraints !== null && constraintsProblemType(constraints) !== problemType)
    throw new UsageError(
      `${constraintsSource}: holds ${constraintsProblemType(constraints)} constraints but the problem type is ${problemType}; pass --problem-type ${constraintsProblemType(constraints)} or --quality-constraints FILE for ${problemType}`,
    );
  return {
    groundTruth,
    files,
    problemType,
    threshold: limit,
    constraints,
    labelLookbackHours,
    minSliceSupport,
  };
}

/** Reads a model-quality constraints file given with --quality-constraints (local or s3://). */
async function readQualityConstraints(file: string): Promise<ModelQualityConstraints> {
  if (!isS3Uri(file) && !(existsSync(file) && statSync(file).isFile()))
    throw new UsageError(`--quality-constraints ${file}: no such file`);
  const cut = file.lastIndexOf('/') + 1;
  const text = isS3Uri(file)
    ? await openStore(file.slice(0, cut)).getText(file.slice(cut))
    : await new LocalStore(dirname(file)).getText(basename(file));
  if (text === null) throw new UsageError(`--quality-constraints ${file}: no such file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file}: is not valid JSON (${(e as Error).message})`);
  }
  try {
    return parseQualityConstraints(json, file);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
