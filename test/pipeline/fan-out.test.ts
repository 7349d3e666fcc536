import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { createProfileWorkerHandler } from '../../functions/handlers/profile-worker.ts';
import { createReduceWindowHandler } from '../../functions/handlers/reduce-window.ts';
import {
  type FanOutPlan,
  type ManifestItem,
  type PartialProfile,
  type ProfileBatchEvent,
  planMonitor,
} from '../../functions/pipeline/fan-out.ts';
import { runMonitor } from '../../functions/pipeline/monitor-run.ts';
import {
  backfillObjects,
  DATA_BUCKET,
  ENDPOINT,
  REPORTS_BUCKET,
  scheduledHourObjects,
  writeWorld,
} from '../handlers/monitor-fixture.ts';
import { monitorConfig, monitorFakes, SCHEDULE } from '../support/monitor-fakes.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

const HOUR_FOLDER = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/26/05/`;

let s3: LocalS3;

beforeAll(async () => {
  s3 = await startLocalS3([DATA_BUCKET, REPORTS_BUCKET]);
  // With a multivariate model: its score is merged from the parts like the profiles.
  await writeWorld(s3.client, [...scheduledHourObjects(), ...backfillObjects()], { multivariate: true });
});
afterAll(async () => {
  await s3?.stop();
});

/** The config as the stack writes it: the limits derive from the monitor's 1,024 MB (the defaults for this baseline). */
function config(reportsPrefix: string, fanOut?: MonitorRuntimeConfig['fanOut']): MonitorRuntimeConfig {
  return monitorConfig(reportsPrefix, { profileMemoryMb: 1024, ...(fanOut ? { fanOut } : {}) });
}

/** Deps with CloudWatch and SNS mocked and a clock that starts at `startIso` and moves 1.5 s a reading. */
function fakes(cfg: MonitorRuntimeConfig, startIso: string) {
  const { deps, logs, metricRequests, publishes } = monitorFakes(s3.client, cfg, startIso, {
    messageId: 'm',
  });
  return { deps, logs, metrics: metricRequests, publishes };
}

async function getText(key: string): Promise<string> {
  const res = await s3.client.send(new GetObjectCommand({ Bucket: REPORTS_BUCKET, Key: key }));
  return res.Body!.transformToString();
}

async function keysUnder(prefix: string): Promise<string[]> {
  const out: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.client.send(
      new ListObjectsV2Command({ Bucket: REPORTS_BUCKET, Prefix: prefix, ContinuationToken: token }),
    );
    out.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.NextContinuationToken;
  } while (token);
  return out;
}

/** The batches a Distributed Map's ItemBatcher makes of the manifest: `size` items each, in order. */
function batches(items: ManifestItem[], size: number, runId: string): ProfileBatchEvent[] {
  const out: ProfileBatchEvent[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push({ Items: items.slice(i, i + size), BatchInput: { runId } });
  return out;
}

async function manifestOf(plan: FanOutPlan): Promise<ManifestItem[]> {
  expect(plan.bucket).toBe(REPORTS_BUCKET);
  return JSON.parse(await getText(plan.manifestKey)) as ManifestItem[];
}

const withoutGeneratedAt = (r: Report) => ({ ...r, generatedAt: '-' });
/** The run's own duration and cost differ by construction; every other datum must not. */
const dataMetrics = (requests: { MetricData?: { MetricName?: string }[] }[]) =>
  requests.flatMap((r) =>
    (r.MetricData ?? []).filter((d) => !['run_duration_seconds', 'run_cost_usd'].includes(d.MetricName!)),
  );

describe('a window profiled in parts and merged', () => {
  it('equals the window profiled whole: report.json, statistics.json, violations, metrics and summary', async () => {
    // Prepare: the whole window, as the monitor function profiles it on schedule.
    const whole = fakes(config('whole'), '2026-11-26T06:10:00Z');
    const wholeRun = await runMonitor(whole.deps, {});
    expect(wholeRun.windows.map((w) => [w.objects, w.records.profiled])).toEqual([[1104, 3304]]);

    // Act: the state machine's steps on the same window.
    const parts = fakes(config('parts', { maxObjects: 1000, maxBytes: 1 << 30 }), '2026-11-26T06:10:00Z');
    const planned = await planMonitor(parts.deps, { fanOut: { runId: 'exec-1' }, event: {} });

    expect(planned).toMatchObject({ endpoint: ENDPOINT, scheduleName: SCHEDULE, windowsMonitored: 0 });
    const plan = planned.fanOut!;
    expect(plan).toMatchObject({
      runId: 'exec-1',
      manifestKey: `parts/fan-out/${ENDPOINT}/${SCHEDULE}/exec-1/manifest.json`,
      plannedAt: '2026-11-26T06:10:00.000Z',
      windows: [{ start: '2026-11-26T05:00:00.000Z', objects: 1104, skipped: null }],
    });
    const items = await manifestOf(plan);
    expect(items).toHaveLength(1104);
    expect(items.map((i) => i.index)).toEqual(items.map((_, i) => i));
    expect(plan.windows[0]!.bytes).toBe(items.reduce((s, i) => s + i.size, 0));

    // 23 batches of 48 objects; workers finish in any order, so they run last to first here.
    const worker = createProfileWorkerHandler(() => parts.deps);
    const workerResults: Record<string, number>[] = [];
    for (const batch of batches(items, 48, 'exec-1').reverse()) workerResults.push(await worker(batch));
    expect(workerResults).toHaveLength(23);
    expect(workerResults.every((r) => r.parts === 1 && r.objects === 48)).toBe(true);
    const partialKeys = await keysUnder(`parts/fan-out/${ENDPOINT}/${SCHEDULE}/exec-1/partials/`);
    expect(partialKeys).toHaveLength(23);
    expect(partialKeys[1]).toBe(
      `parts/fan-out/${ENDPOINT}/${SCHEDULE}/exec-1/partials/2026/11/26/05/part-0000048.json`,
    );

    const reduce = createReduceWindowHandler(() => parts.deps);
    const outcome = await reduce({ runId: 'exec-1', plannedAt: plan.plannedAt, window: plan.windows[0] });

    // Assert: the same report, but for when it was generated.
    expect(outcome).toMatchObject({
      start: '2026-11-26T05:00:00.000Z',
      objects: 1104,
      records: { total: 3305, profiled: 3304, rejected: 1 },
      driftedFeatures: 2,
      violations: 3,
      summary: 'sent',
      reportLocation: `s3://${REPORTS_BUCKET}/parts/${HOUR_FOLDER}`,
      fanOut: { runId: 'exec-1', parts: 23 },
    });
    const wholeReport = JSON.parse(await getText(`whole/${HOUR_FOLDER}report.json`)) as Report;
    const partsReport = JSON.parse(await getText(`parts/${HOUR_FOLDER}report.json`)) as Report;
    expect(partsReport.features.every((f) => f.method === 'exact')).toBe(true);
    expect(partsReport.features).toEqual(wholeReport.features);
    expect(partsReport.multivariate).not.toBeNull();
    expect(partsReport.multivariate!.rows).toBe(3304);
    expect(partsReport.multivariate).toEqual(wholeReport.multivariate);
    expect(withoutGeneratedAt(partsReport)).toEqual(withoutGeneratedAt(wholeReport));
    for (const file of ['statistics.json', 'constraint_violations.json'])
      expect(await getText(`parts/${HOUR_FOLDER}${file}`), file).toBe(
        await getText(`whole/${HOUR_FOLDER}${file}`),
      );

    expect(dataMetrics(parts.metrics())).toEqual(dataMetrics(whole.metrics()));
    expect(parts.publishes().map((p) => p.Message!.replaceAll('/parts/', '/whole/'))).toEqual(
      whole.publishes().map((p) => p.Message),
    );
    // The run is measured from the plan, and costs what the workers and the reducer spent.
    const runDuration = parts.metrics()[0]!.MetricData!.find((d) => d.MetricName === 'run_duration_seconds')!
      .Value!;
    expect(runDuration).toBeGreaterThan(1.5 * 23);
    const log = JSON.parse(parts.logs.at(-1)!);
    expect(log).toMatchObject({ message: 'window monitored', fanOut: { runId: 'exec-1', parts: 23 } });
  });

  it('profiles every part with the limits derived from the configured memory, and warns once a run when they do not fit it', async () => {
    // Prepare: 128 MB, below what the limits' floors need (1 MB lines, 100 columns, 1,000 exact values a feature).
    const small = { profileMemoryMb: 128 };
    const whole = fakes(monitorConfig('small-whole', small), '2026-11-26T06:10:00Z');
    const parts = fakes(
      monitorConfig('small-parts', { ...small, fanOut: { maxObjects: 1000, maxBytes: 1 << 30 } }),
      '2026-11-26T06:10:00Z',
    );

    // Act: the whole window in the monitor, and in 23 parts merged by the reducer.
    await runMonitor(whole.deps, {});
    const plan = (await planMonitor(parts.deps, { fanOut: { runId: 'exec-small' }, event: {} })).fanOut!;
    const worker = createProfileWorkerHandler(() => parts.deps);
    for (const batch of batches(await manifestOf(plan), 48, 'exec-small').reverse()) await worker(batch);
    await createReduceWindowHandler(() => parts.deps)({
      runId: 'exec-small',
      plannedAt: plan.plannedAt,
      window: plan.windows[0],
    });

    // Assert: every part was profiled with the derived limits, not the defaults.
    const partKeys = await keysUnder(`small-parts/fan-out/${ENDPOINT}/${SCHEDULE}/exec-small/partials/`);
    expect(partKeys).toHaveLength(23);
    for (const key of [partKeys[0]!, partKeys[22]!])
      expect((JSON.parse(await getText(key)) as PartialProfile).profile.limits).toEqual({
        exactCap: 1000,
        maxCategories: 200,
      });
    // The numeric features pass 1,000 values, so both sketch them (sketches merged from parts
    // differ from one built in a stream in their last digits, as at the default 100,000).
    const wholeReport = JSON.parse(await getText(`small-whole/${HOUR_FOLDER}report.json`)) as Report;
    const partsReport = JSON.parse(await getText(`small-parts/${HOUR_FOLDER}report.json`)) as Report;
    const methods = (r: Report) => r.features.map((f) => [f.name, f.method, f.count]);
    expect(wholeReport.records).toMatchObject({ total: 3305, profiled: 3304, rejected: 1 });
    expect(wholeReport.features.filter((f) => f.method !== 'exact').map((f) => f.name)).toEqual([
      'tenure',
      'charges',
      'score',
    ]);
    expect(methods(partsReport)).toEqual(methods(wholeReport));
    expect(partsReport.records).toEqual(wholeReport.records);
    // One warning a run: the monitor's, and the Plan step's (not the workers' or the reducer's).
    const warnings = (logs: string[]) =>
      logs.map((l) => JSON.parse(l)).filter((l) => l.level === 'warn' && 'profileMemoryMb' in l);
    const expected = {
      profileMemoryMb: 128,
      // 150 MB runtime + 20 MB (a 1 MB line) + 15.6 MB (100 columns) + the fixture's few features.
      worstCaseMb: 186,
      maxLineBytes: 1024 * 1024,
      maxColumns: 100,
      exactCap: 1000,
      maxCategories: 200,
    };
    expect(warnings(whole.logs)).toEqual([expect.objectContaining(expected)]);
    expect(warnings(parts.logs)).toEqual([expect.objectContaining(expected)]);
  });

  it('plans only the windows past the thresholds, monitors the others itself, and splits batches at window boundaries', async () => {
    // Prepare: a backfill of two hours; 10:00 reads 25 objects (its folder and the next), 11:00 16.
    const run = fakes(config('backfill', { maxObjects: 20, maxBytes: 1 << 30 }), '2026-11-26T06:10:00Z');
    const whole = fakes(config('backfill-whole'), '2026-11-26T06:10:00Z');
    const event = { endpoint: ENDPOINT, start: '2026-11-25T10:00:00Z', end: '2026-11-25T12:00:00Z' };

    // Act
    const planned = await planMonitor(run.deps, { fanOut: { runId: 'exec-2' }, event });
    const plan = planned.fanOut!;
    const items = await manifestOf(plan);
    const worker = createProfileWorkerHandler(() => run.deps);
    // One batch holding every item: the worker writes one part per contiguous run of a window.
    const results = [await worker({ Items: items, BatchInput: { runId: 'exec-2' } })];
    const outcomes = [];
    for (const window of plan.windows)
      outcomes.push(
        await createReduceWindowHandler(() => run.deps)({
          runId: 'exec-2',
          plannedAt: plan.plannedAt,
          window,
        }),
      );
    await runMonitor(whole.deps, event);

    // Assert
    expect(planned.windowsMonitored).toBe(1);
    expect(plan.windows.map((w) => [w.start, w.objects])).toEqual([['2026-11-25T10:00:00.000Z', 25]]);
    expect(new Set(items.map((i) => i.window))).toEqual(new Set(['2026-11-25T10:00:00.000Z']));
    expect(results).toEqual([{ parts: 1, objects: 25 }]);
    expect(outcomes.map((o) => [o.start, o.records.profiled, o.driftedFeatures])).toEqual([
      ['2026-11-25T10:00:00.000Z', 30, 0],
    ]);
    for (const hour of ['10', '11']) {
      const folder = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/25/${hour}/`;
      const a = JSON.parse(await getText(`backfill/${folder}report.json`)) as Report;
      const b = JSON.parse(await getText(`backfill-whole/${folder}report.json`)) as Report;
      expect(withoutGeneratedAt(a), hour).toEqual(withoutGeneratedAt(b));
    }
  });

  it('writes one part per window when a batch spans two planned windows', async () => {
    const run = fakes(config('two', { maxObjects: 5, maxBytes: 1 << 30 }), '2026-11-26T06:10:00Z');
    const event = { endpoint: ENDPOINT, start: '2026-11-25T10:00:00Z', end: '2026-11-25T12:00:00Z' };

    const plan = (await planMonitor(run.deps, { fanOut: { runId: 'exec-3' }, event })).fanOut!;
    const items = await manifestOf(plan);
    const result = await createProfileWorkerHandler(() => run.deps)({
      Items: items,
      BatchInput: { runId: 'exec-3' },
    });

    // 10:00 reads its folder and the next one (late files): 25 objects; 11:00 reads 16.
    expect(plan.windows.map((w) => [w.start, w.objects])).toEqual([
      ['2026-11-25T10:00:00.000Z', 25],
      ['2026-11-25T11:00:00.000Z', 16],
    ]);
    expect(result).toEqual({ parts: 2, objects: 41 });
    const keys = await keysUnder(`two/fan-out/${ENDPOINT}/${SCHEDULE}/exec-3/partials/`);
    expect(keys.map((k) => k.split('/partials/')[1])).toEqual([
      '2026/11/25/10/part-0000000.json',
      '2026/11/25/11/part-0000000.json',
    ]);
    const part = JSON.parse(await getText(keys[0]!)) as PartialProfile;
    expect(part).toMatchObject({
      format: 'driftwatch-partial-profile',
      window: plan.windows[0]!.start,
      first: 0,
      objects: 25,
    });
  });

  it('refuses to reduce a window whose partials leave a gap, before writing anything', async () => {
    const run = fakes(config('gap', { maxObjects: 1000, maxBytes: 1 << 30 }), '2026-11-26T06:10:00Z');
    const plan = (await planMonitor(run.deps, { fanOut: { runId: 'exec-4' }, event: {} })).fanOut!;
    const items = await manifestOf(plan);
    const worker = createProfileWorkerHandler(() => run.deps);
    const all = batches(items, 500, 'exec-4');
    // The middle batch never ran.
    await worker(all[0]!);
    await worker(all[2]!);

    await expect(
      createReduceWindowHandler(() => run.deps)({
        runId: 'exec-4',
        plannedAt: plan.plannedAt,
        window: plan.windows[0],
      }),
    ).rejects.toThrow(
      `s3://${REPORTS_BUCKET}/gap/fan-out/${ENDPOINT}/${SCHEDULE}/exec-4/partials/2026/11/26/05/: the partials leave a gap at object 500`,
    );
    expect(await keysUnder('gap/reports/')).toEqual([]);
    expect(run.metrics()).toEqual([]);
  });

  it('names what is wrong with an event it cannot act on', async () => {
    const run = fakes(config('stale', { maxObjects: 1, maxBytes: 1 << 30 }), '2026-11-26T06:10:00Z');
    const worker = createProfileWorkerHandler(() => run.deps);

    await expect(worker({ Items: [], BatchInput: { runId: 'x' } })).rejects.toThrow(
      'the event must be an ItemBatcher batch',
    );
    await expect(
      worker({
        Items: [{ window: '2026-11-26T05:00:00Z', index: 0, key: 'k', size: 1 }],
        BatchInput: { runId: '../x' },
      }),
    ).rejects.toThrow('the run id must be 1 to 80 letters, digits, "-" or "_"');
    await expect(
      planMonitor({ ...run.deps, config: config('stale') }, { fanOut: { runId: 'r' }, event: {} }),
    ).rejects.toThrow('has no fanOut, yet the fan-out state machine invoked it');
  });
});
