/**
 * `driftwatch run --baseline DIR --capture DIR --out DIR`: compares one window of captured
 * requests with a baseline folder through the same pipeline as the Lambdas (with --ground-truth,
 * model quality too), writes the report files and prints a summary or report.json.
 */
import { existsSync, statSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  BIAS_CONFIG_FILE,
  EXPLAIN_ANALYSIS_FILE,
  EXPLAIN_SETTINGS_FILE,
} from '../contracts/baseline-layout.ts';
import { PROBLEM_TYPES, type ProblemType } from '../contracts/problem-type.ts';
import { isDriftwatchOutput } from '../contracts/report-layout.ts';
import { isS3Uri } from '../contracts/s3-uri.ts';
import { alignBaseline, ExplainabilityFileError } from '../engine/attribution/attribution-analysis.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import {
  constraintsProblemType,
  type ModelQualityConstraints,
  parseQualityConstraints,
} from '../engine/quality/quality-constraints.ts';
import { attributionText } from '../engine/render/attribution-text.ts';
import { summaryTable } from '../engine/render/summary-table.ts';
import { applyAttribution } from '../engine/report/window-result.ts';
import {
  attributionFeatures,
  type ExplainPlan,
  explainWindow,
  planLabel,
  samplerSpec,
} from '../pipeline/attribution-window.ts';
import { applyWindowBias, type BiasPlan } from '../pipeline/bias-window.ts';
import { baselineMemoryLimits } from '../pipeline/profile-limits.ts';
import {
  loadBiasBaseline,
  loadQualityBaseline,
  type PrefetchedLabels,
  planQuality,
  QUALITY_CONSTRAINTS_FILE,
  type QualityBaselineFiles,
  startWindowQuality,
} from '../pipeline/quality-window.ts';
import { runWindow, selectWindowObjects, type WindowSelection } from '../pipeline/run-window.ts';
import { writeReportFiles } from '../sinks/report-writer.ts';
import { loadBaseline } from '../sources/baseline-store.ts';
import { loadExplainAnalysis, loadExplainSettings } from '../sources/explain-baseline-store.ts';
import { loadMultivariateModel } from '../sources/multivariate-store.ts';
import { defaultWorkerCount } from '../sources/parallel-profile.ts';
import type { ObjectStore } from '../stores/object-store.ts';
import {
  configBackground,
  type EndpointHandle,
  openEndpoint,
  parseConfig,
  readExplainConfig,
} from './explain-options.ts';
import {
  EXPLAIN_OPTIONS,
  type ExplainFlags,
  existingFolder,
  explainFlags,
  fraction,
  isoTime,
  nonNegativeInt,
  nonNegativeMb,
  outputFolder,
  positiveInt,
  problemTypeOf,
  refuseOutputInside,
  threshold,
} from './flags.ts';
import type { Io } from './io.ts';
import { openFile, openStore } from './stores.ts';
import { UsageError } from './usage.ts';
import { EXPORT_OPTIONS, windowExports, writeWindowExports } from './window-exports.ts';

/** Runs `driftwatch run`; returns the exit status. */
export async function runCommand(
  args: string[],
  io: Pick<Io, 'stdout' | 'stderr' | 'stderrIsTty' | 'now' | 'fetch'>,
): Promise<number> {
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
      'memory-mb': { type: 'string' },
      'dataset-drift-share': { type: 'string' },
      'label-lookback-hours': { type: 'string' },
      'quality-constraints': { type: 'string' },
      'min-slice-support': { type: 'string' },
      workers: { type: 'string' },
      'parallel-min-mb': { type: 'string' },
      ...EXPLAIN_OPTIONS,
      ...EXPORT_OPTIONS,
    },
  });
  if (positionals.length) throw new UsageError(`run takes no positional arguments; got "${positionals[0]}"`);
  if (!values.baseline)
    throw new UsageError("run needs --baseline DIR (a folder made by `driftwatch baseline`, or SageMaker's)");
  if (!values.capture)
    throw new UsageError('run needs --capture DIR|s3://bucket/prefix (the data-capture location)');
  if (!values.out) throw new UsageError('run needs --out DIR (where report.json and the rest go)');
  existingFolder(values.baseline, '--baseline');
  existingFolder(values.capture, '--capture');
  outputFolder(values.out, '--out');
  refuseOutputInside(values.out, '--out', [
    ['--baseline', values.baseline],
    ['--capture', values.capture],
    ['--ground-truth', values['ground-truth']],
  ]);
  const start = isoTime(values.start, '--start');
  const end = isoTime(values.end, '--end');
  if (start && end && Date.parse(start) >= Date.parse(end))
    throw new UsageError(`--start ${start} is not before --end ${end}`);
  // Every flag is checked before anything is read or written.
  const exactCap = positiveInt(values['exact-cap'], '--exact-cap');
  const maxCategories = positiveInt(values['max-categories'], '--max-categories');
  const maxLineBytes = positiveInt(values['max-line-bytes'], '--max-line-bytes');
  const maxColumns = positiveInt(values['max-columns'], '--max-columns');
  const memoryMb = positiveInt(values['memory-mb'], '--memory-mb');
  const datasetDriftShare = fraction(values['dataset-drift-share'], '--dataset-drift-share');
  // --memory-mb bounds one profiling thread: each worker thread would hold its own worst case.
  const workers =
    positiveInt(values.workers, '--workers') ?? (memoryMb !== undefined ? 1 : defaultWorkerCount());
  const parallelMinBytes = nonNegativeMb(values['parallel-min-mb'], '--parallel-min-mb');
  const explain = explainFlags(values);
  const exports = windowExports(values, {
    inputs: [
      ['--baseline', values.baseline],
      ['--capture', values.capture],
      ['--ground-truth', values['ground-truth']],
    ],
    window: { start, end },
  });
  const baselineStore = openStore(values.baseline);
  const baseline = await loadBaseline(baselineStore);
  // --memory-mb derives the limits not given explicitly; without it, the profiler's defaults.
  const derived = memoryMb === undefined ? null : baselineMemoryLimits(memoryMb, baseline);
  if (derived !== null && derived.worstCaseMb > memoryMb!)
    io.stderr(
      `driftwatch: warning: --memory-mb ${memoryMb} is below what the smallest limits need (${derived.worstCaseMb} MB at worst); a hostile window may run out of memory\n`,
    );
  const limits = {
    maxLineBytes: maxLineBytes ?? derived?.maxLineBytes,
    maxColumns: maxColumns ?? derived?.maxColumns,
    exactCap: exactCap ?? derived?.limits.exactCap,
    maxCategories: maxCategories ?? derived?.limits.maxCategories,
  };
  const multivariate = await loadMultivariateModel(baselineStore, baseline);
  const attribution = explain === null ? null : await attributionRunOf(explain, baselineStore, baseline);
  const qualityRun = await qualityRunOf(values, baselineStore);
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
            maxLineBytes: limits.maxLineBytes,
            bias: qualityRun.bias,
          }),
        );
  const capture = openStore(values.capture, (m) => io.stderr(`driftwatch: ${m}\n`));
  const selection = withoutOwnFiles(await selectWindowObjects(capture, [''], start, end));
  if (selection.own.length > 0)
    io.stderr(
      `driftwatch: skipping ${selection.own.length} of driftwatch's own output files under --capture ${values.capture} (${selection.own.slice(0, 3).join(', ')}${selection.own.length > 3 ? ', ...' : ''}); they are not capture\n`,
    );
  const t0 = Date.now();
  let lastProgress = 0;
  let prefetched: Promise<PrefetchedLabels> | undefined;
  const result = await runWindow(
    {
      baseline,
      baselinePath: values.baseline,
      capture,
      start,
      end,
      limits: {
        ...(limits.exactCap !== undefined ? { exactCap: limits.exactCap } : {}),
        ...(limits.maxCategories !== undefined ? { maxCategories: limits.maxCategories } : {}),
      },
      maxLineBytes: limits.maxLineBytes,
      maxColumns: limits.maxColumns,
      datasetDriftShare,
      now: io.now(),
      multivariate,
      ...(quality !== null
        ? {
            predictions: quality.spec,
            // The main thread waits while workers profile: it reads the labels meanwhile.
            onParallel: () => {
              prefetched = quality.prefetch({ start, end });
              prefetched.catch(() => {});
            },
          }
        : {}),
      ...(attribution !== null ? { attribution: samplerSpec(attribution.plan) } : {}),
      workers,
      parallelMinBytes,
      onProgress: (p) => {
        const now = Date.now();
        if (now - t0 < 1000 || now - lastProgress < (io.stderrIsTty ? 200 : 5000)) return;
        lastProgress = now;
        const line = `profiling: ${p.objects} files, ${(p.bytesDone / 1e6).toFixed(0)}/${(p.bytes / 1e6).toFixed(0)} MB`;
        io.stderr(io.stderrIsTty ? `\r${line}` : `${line}\n`);
      },
    },
    selection,
  );
  if (io.stderrIsTty && lastProgress) io.stderr('\n');
  const { report } = result;
  if (quality !== null) {
    const q = await quality.evaluate(result.predictionParts, { start, end }, io.now(), prefetched);
    report.quality = q.quality;
    result.modelQuality = { statistics: q.statistics, violations: q.violations };
    if (qualityRun?.bias) applyWindowBias(result, q.bias);
  }
  if (attribution !== null) await explainRunWindow(result, attribution, explain!, io);
  const written = (await writeReportFiles(openStore(values.out), '', result)).join(',');
  // The report files first: the exports describe a window whose report exists.
  const exported =
    exports === null
      ? { written: [], failures: [] }
      : await writeWindowExports(exports, report, io.fetch ?? fetch);
  if (values.json) io.stdout(`${JSON.stringify(report, null, 2)}\n`);
  else
    io.stdout(
      `${summaryTable(report)}\n${attributionText(report)}Wrote ${values.out}/{${written}}\n${exported.written.map((w) => `${w}\n`).join('')}`,
    );
  for (const failure of exported.failures) io.stderr(`driftwatch: ${failure}\n`);
  if (exported.failures.length > 0) return 3;
  const violations =
    report.violations.length + (report.quality?.violations.length ?? 0) + (report.bias?.violations ?? 0);
  return values['fail-on-violation'] && violations > 0 ? 1 : 0;
}

/** What a run needs to explain its window: the plan and the baseline's attributions to rank against. */
interface AttributionRun {
  plan: ExplainPlan;
  baseline: { analysis: Awaited<ReturnType<typeof loadExplainAnalysis>>; values: number[] };
  endpoint: EndpointHandle;
}

/**
 * Reads what explaining the window takes, before the window is read: the baseline's explain
 * settings and analysis, the configuration (--explain-config, else the baseline's), the
 * background (the configuration's, else the baseline's), and the endpoint's client. Every
 * mistake is a usage error, found before anything is written.
 */
async function attributionRunOf(
  flags: ExplainFlags,
  baselineStore: ObjectStore,
  baseline: Baseline,
): Promise<AttributionRun> {
  const settings = await loadExplainSettings(baselineStore);
  const folder = baselineStore.location.replace(/\/$/, '');
  const settingsFile = `${folder}/${EXPLAIN_SETTINGS_FILE}`;
  const given = flags.configFile === undefined ? null : await readExplainConfig(flags.configFile);
  const config =
    given?.config ??
    (settings.config === null ? null : parseConfig(settings.config, `${settingsFile} (config)`));
  if (config !== null && config.attributionsPath !== null)
    throw new UsageError(
      '--explain-config attributionsPath is not supported by run yet: the window is explained by calling --explain-endpoint; leave attributionsPath out',
    );
  const known = new Set(attributionFeatures(baseline).map((f) => f.name));
  const lost = settings.features.find((f) => !known.has(f.name));
  if (lost !== undefined)
    throw new UsageError(
      `${settingsFile}: the model's feature ${JSON.stringify(lost.name)} is not an input feature of the baseline; rebuild the baseline with --explain-endpoint`,
    );
  const background =
    (config === null
      ? null
      : await configBackground(config, settings.features, flags.configFile ?? settingsFile)) ??
    settings.background;
  const plan: ExplainPlan = {
    endpoint: flags.endpoint,
    features: settings.features,
    background,
    config,
    records: flags.records,
    maxRows: flags.maxRows,
  };
  const analysis = await loadExplainAnalysis(baselineStore, planLabel(plan));
  let values: number[];
  try {
    values = alignBaseline(
      analysis,
      settings.features.map((f) => f.name),
      `${folder}/${EXPLAIN_ANALYSIS_FILE}`,
    );
  } catch (e) {
    if (e instanceof ExplainabilityFileError) throw new UsageError(e.message);
    throw e;
  }
  const endpoint = await openEndpoint(flags, config);
  return { plan, baseline: { analysis, values }, endpoint };
}

/**
 * Explains the window's kept rows. Contained: whatever fails here ends up in the report
 * (`attribution.error`, or `null` and a warning), never in the run's exit status.
 */
async function explainRunWindow(
  result: Awaited<ReturnType<typeof runWindow>>,
  run: AttributionRun,
  flags: ExplainFlags,
  io: Pick<Io, 'stderr'>,
): Promise<void> {
  try {
    const sample = result.attributionSample;
    if (sample === null) throw new Error('the window kept no rows to explain');
    await explainWindow(result, sample, run.plan, run.baseline, run.endpoint.model);
  } catch (e) {
    const message = `feature attribution drift not measured: explaining with endpoint ${flags.endpoint} failed: ${(e as Error).message}`;
    io.stderr(`driftwatch: warning: ${message}\n`);
    applyAttribution(result, { reason: message });
  } finally {
    run.endpoint.close();
  }
}

/**
 * The JSON files driftwatch itself writes (window reports, baselines, the summary marker): never
 * capture, even when an --out folder sits inside a tree later given as --capture. Capture files
 * are named by SageMaker (`05-10-123-uuid.jsonl`), so no capture file has these names.
 */
/** The selection with driftwatch's own files (skipped when listed) named in `own`. */
function withoutOwnFiles(selection: WindowSelection): WindowSelection & { own: string[] } {
  return { ...selection, own: selection.skippedFiles.filter(isDriftwatchOutput) };
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
  /** The baseline folder's bias configuration and analysis, when it has them. */
  bias: BiasPlan | null;
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
  existingFolder(groundTruth, '--ground-truth');
  const explicitType = problemTypeOf(values['problem-type'], '--problem-type');
  const limit = threshold(values['probability-threshold'], '--probability-threshold');
  const labelLookbackHours = nonNegativeInt(values['label-lookback-hours'], '--label-lookback-hours');
  const minSliceSupport = positiveInt(values['min-slice-support'], '--min-slice-support');
  const files = await loadQualityBaseline(baselineStore);
  const bias = await loadBiasBaseline(baselineStore);
  let constraints = files.constraints;
  let constraintsSource = `${baselineStore.location.replace(/\/$/, '')}/${QUALITY_CONSTRAINTS_FILE}`;
  const constraintsFile = values['quality-constraints'];
  if (constraintsFile !== undefined) {
    constraints = await readQualityConstraints(constraintsFile);
    constraintsSource = constraintsFile;
  }
  if (bias !== null && explicitType !== undefined && explicitType !== 'BinaryClassification')
    throw new UsageError(
      `the baseline has a bias configuration (${BIAS_CONFIG_FILE}), which measures a binary classifier; --problem-type is ${explicitType}`,
    );
  const problemType =
    explicitType ??
    (bias !== null ? 'BinaryClassification' : undefined) ??
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
    bias,
  };
}

/** Reads a model-quality constraints file given with --quality-constraints (local or s3://). */
async function readQualityConstraints(file: string): Promise<ModelQualityConstraints> {
  if (!isS3Uri(file) && !(existsSync(file) && statSync(file).isFile()))
    throw new UsageError(`--quality-constraints ${file}: no such file`);
  const { store, key } = openFile(file);
  const text = await store.getText(key);
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
