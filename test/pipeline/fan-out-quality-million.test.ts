/**
 * The issue-13 check at full size, run by hand (it takes minutes and 1.5 GB of disk):
 *
 *   DRIFTWATCH_LARGE_TESTS=1 npx vitest run test/pipeline/fan-out-quality-million.test.ts
 *
 * A window of 1,000,000 labelled records (scripts/gen-capture.mjs, the benchmark's shape) in
 * s3rver, monitored whole by the monitor function and in parts by the fan-out steps (10 worker
 * batches, 9 join partitions): the two `quality` sections and model-quality files are equal.
 * Skipped in `npm test`, which checks the same on a 3,300-record window (fan-out-quality.test.ts).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { createProfileWorkerHandler } from '../../functions/handlers/profile-worker.ts';
import { createReduceWindowHandler } from '../../functions/handlers/reduce-window.ts';
import { type ManifestItem, type ProfileBatchEvent, planMonitor } from '../../functions/pipeline/fan-out.ts';
import { runMonitor } from '../../functions/pipeline/monitor-run.ts';
import { monitorConfig, monitorFakes, SCHEDULE } from '../support/monitor-fakes.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

const LARGE = process.env.DRIFTWATCH_LARGE_TESTS === '1';
const ROOT = new URL('../../', import.meta.url).pathname;
const BUCKET = 'big-data';
const REPORTS = 'big-reports';
const ENDPOINT = 'churn-xgb';
const HOUR = '2026-11-26T05:00:00Z';
const END = '2026-11-26T06:00:00Z';
const FOLDER = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/26/05/`;

let s3: LocalS3;
let dir: string;

function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => statSync(join(root, f)).isFile());
}

beforeAll(async () => {
  if (!LARGE) return;
  dir = mkdtempSync(join(tmpdir(), 'driftwatch-million-'));
  const gen = spawnSync(
    process.execPath,
    [join(ROOT, 'scripts/gen-capture.mjs'), dir, '--records', '1000000', '--files', '20'],
    {
      encoding: 'utf8',
    },
  );
  expect(gen.status, gen.stderr).toBe(0);
  const cli = spawnSync(
    process.execPath,
    [
      join(ROOT, 'bin/driftwatch.mjs'),
      'baseline',
      join(dir, 'train.csv'),
      '--label-column',
      'label',
      '--out',
      join(dir, 'baseline'),
    ],
    { encoding: 'utf8' },
  );
  expect(cli.status, cli.stderr).toBe(0);
  s3 = await startLocalS3([BUCKET, REPORTS]);
  for (const top of ['capture', 'ground-truth', 'baseline'])
    for (const f of filesUnder(join(dir, top)))
      await s3.client.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: `${top}/${relative(join(dir, top), join(dir, top, f))}`,
          Body: readFileSync(join(dir, top, f)),
        }),
      );
}, 900_000);

afterAll(async () => {
  await s3?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function config(prefix: string, fanOut?: MonitorRuntimeConfig['fanOut']): MonitorRuntimeConfig {
  return monitorConfig(prefix, {
    endpoint: ENDPOINT,
    variants: ['AllTraffic'],
    captureUri: `s3://${BUCKET}/capture`,
    baselineUri: `s3://${BUCKET}/baseline`,
    groundTruthUri: `s3://${BUCKET}/ground-truth`,
    problemType: 'BinaryClassification',
    reportsBucket: REPORTS,
    ...(fanOut ? { fanOut } : {}),
  });
}

async function text(key: string): Promise<string> {
  const res = await s3.client.send(new GetObjectCommand({ Bucket: REPORTS, Key: key }));
  return res.Body!.transformToString();
}

const withoutEvaluationTime = (t: string) => {
  const json = JSON.parse(t);
  delete json.dataset?.evaluation_time;
  return json;
};

describe.skipIf(!LARGE)('a million labelled records, whole and in parts', () => {
  it('give the same quality section and model-quality files', async () => {
    const whole = monitorFakes(s3.client, config('whole'), '2026-11-26T08:10:00Z');
    await runMonitor(whole.deps, { endpoint: ENDPOINT, start: HOUR, end: END });
    const wholeReport = JSON.parse(await text(`whole/${FOLDER}report.json`)) as Report;
    expect(wholeReport.records.profiled).toBe(1_000_000);
    expect(wholeReport.quality!.matched).toBe(1_000_000);

    const parts = monitorFakes(
      s3.client,
      config('parts', { maxObjects: 5, maxBytes: 1 << 30, joinPartitionBytes: 64 * 1024 * 1024 }),
      '2026-11-26T08:10:00Z',
    );
    const plan = (
      await planMonitor(parts.deps, {
        fanOut: { runId: 'big' },
        event: { endpoint: ENDPOINT, start: HOUR, end: END },
      })
    ).fanOut!;
    expect(plan.windows[0]!.quality!.partitions).toBe(9);
    const items = JSON.parse(await text(plan.manifestKey)) as ManifestItem[];
    const worker = createProfileWorkerHandler(() => parts.deps);
    const batches: ProfileBatchEvent[] = [];
    for (let i = 0; i < items.length; i += 2)
      batches.push({ Items: items.slice(i, i + 2), BatchInput: { runId: 'big' } });
    expect(batches.length).toBeGreaterThanOrEqual(10);
    for (const batch of batches.reverse()) await worker(batch);
    for (const join of plan.joins) await worker({ join });
    await createReduceWindowHandler(() => parts.deps)({
      runId: 'big',
      plannedAt: plan.plannedAt,
      window: plan.windows[0],
    });

    const partsReport = JSON.parse(await text(`parts/${FOLDER}report.json`)) as Report;
    expect(partsReport.quality).toEqual(wholeReport.quality);
    for (const file of ['model_quality_statistics.json', 'model_quality_constraint_violations.json'])
      expect(withoutEvaluationTime(await text(`parts/${FOLDER}${file}`)), file).toEqual(
        withoutEvaluationTime(await text(`whole/${FOLDER}${file}`)),
      );
  }, 1_800_000);
});
