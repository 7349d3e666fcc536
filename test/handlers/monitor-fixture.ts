/**
 * A small SageMaker endpoint's world in S3 for the monitor tests: a training set and the
 * baseline driftwatch builds from it, and capture for two variants under SageMaker's layout
 * (`capture/ENDPOINT/VARIANT/yyyy/mm/dd/hh/`). Every value follows a fixed pattern, so the
 * tests know the window's numbers without running the engine.
 *
 * Drifted records have `charges` past anything the training set has and `plan` all "max"; the
 * other features keep the training set's patterns.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { main } from '../../functions/cli/main.ts';
import { MULTIVARIATE_FILE } from '../../functions/contracts/baseline-layout.ts';
import { baselineStatistics, baselineToJson } from '../../functions/engine/drift/baseline.ts';
import { multivariateModelToJson } from '../../functions/engine/multivariate/multivariate-model.ts';
import { BASELINE_FILE, CONSTRAINTS_FILE, STATISTICS_FILE } from '../../functions/sources/baseline-store.ts';
import { fitTrainingModel } from '../../functions/sources/multivariate-store.ts';
import { readTrainingData } from '../../functions/sources/training-data.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';

export const ENDPOINT = 'churn-xgb';
export const DATA_BUCKET = 'ml-data';
export const REPORTS_BUCKET = 'driftwatch-reports';
export const CAPTURE_URI = `s3://${DATA_BUCKET}/capture`;
export const BASELINE_URI = `s3://${DATA_BUCKET}/baselines/${ENDPOINT}`;

const PLANS = ['basic', 'basic', 'basic', 'basic', 'basic', 'pro', 'pro', 'pro', 'max', 'max'];

/** One captured record's values; `tenure` null when missing. */
export interface CapturedRecord {
  tenure: number | null;
  charges: number;
  plan: string;
  score: number;
  time: string;
}

const tenureOf = (i: number) => 1 + ((i * 7) % 72);
const chargesOf = (i: number) => 20.25 + ((i * 13) % 80);
const scoreOf = (i: number) => ((i * 37) % 100) / 100;

/** 600 rows: tenure 1 to 72, charges 20.25 to 99.25, plan basic/pro/max 5:3:2, score 0 to 0.99. */
export function trainingCsv(): string {
  const rows = ['label,tenure,charges,plan,score'];
  for (let i = 0; i < 600; i++)
    rows.push(`${i % 3 === 0 ? 1 : 0},${tenureOf(i)},${chargesOf(i)},${PLANS[i % 10]},${scoreOf(i)}`);
  return `${rows.join('\n')}\n`;
}

function captureLine(r: CapturedRecord, id: string): string {
  return JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: 'text/csv',
        mode: 'INPUT',
        data: `${r.tenure ?? ''},${r.charges},${r.plan}`,
        encoding: 'CSV',
      },
      endpointOutput: {
        observedContentType: 'text/csv; charset=utf-8',
        mode: 'OUTPUT',
        data: String(r.score),
        encoding: 'CSV',
      },
    },
    eventMetadata: { eventId: id, inferenceTime: r.time },
    eventVersion: '0',
  });
}

export interface CaptureObject {
  key: string;
  body: string;
  /** The records of the object, in order (a malformed line is not one). */
  records: CapturedRecord[];
}

const at = (hourIso: string, seconds: number) =>
  new Date(Date.parse(hourIso) + seconds * 1000).toISOString().replace('.000Z', 'Z');

/** Records that follow the training set's patterns, or drifted ones (`charges` + 100, `plan` all "max"). */
class RecordSeries {
  private n = 0;
  constructor(
    private readonly drifted: boolean,
    /** Every how many records `tenure` is missing; never when 0. */
    private readonly missingEvery = 0,
  ) {}

  next(time: string): CapturedRecord {
    const i = this.n++;
    const missing = this.missingEvery > 0 && i % this.missingEvery === this.missingEvery - 1;
    return {
      tenure: missing ? null : tenureOf(i),
      charges: this.drifted ? 100 + chargesOf(i) : chargesOf(i),
      plan: this.drifted ? 'max' : PLANS[i % 10]!,
      score: scoreOf(i),
      time,
    };
  }
}

function object(key: string, records: CapturedRecord[], extraLine?: string): CaptureObject {
  const lines = records.map((r, i) => captureLine(r, `${key}#${i}`));
  if (extraLine !== undefined) lines.push(extraLine);
  return { key, body: `${lines.join('\n')}\n`, records };
}

/** `count` objects of three records each, one second apart, in `variant`'s folder of the hour. */
function hourObjects(series: RecordSeries, variant: string, hourIso: string, count: number): CaptureObject[] {
  const folder = hourIso.slice(0, 13).replace(/[-T]/g, '/');
  return Array.from({ length: count }, (_, o) =>
    object(
      `${ENDPOINT}/${variant}/${folder}/${String(o).padStart(4, '0')}-capture.jsonl`,
      [0, 1, 2].map((k) => series.next(at(hourIso, (o * 3 + k) % 3600))),
    ),
  );
}

/** Late files in the folder of the hour after `hourIso`: one record of the hour and one after it each. */
function lateObjects(series: RecordSeries, hourIso: string, count: number): CaptureObject[] {
  const folder = at(hourIso, 3600).slice(0, 13).replace(/[-T]/g, '/');
  return Array.from({ length: count }, (_, o) =>
    object(`${ENDPOINT}/AllTraffic/${folder}/${String(o).padStart(4, '0')}-late.jsonl`, [
      series.next(at(hourIso, 3590 + o)),
      series.next(at(hourIso, 3630 + o)),
    ]),
  );
}

/**
 * The scheduled hour, 2026-11-26 05:00 UTC: 1,020 objects for AllTraffic (its listing takes
 * two pages) and 80 for Canary, drifted, `tenure` missing in one record of 50, one malformed
 * line; 4 late files in folder 06.
 */
export function scheduledHourObjects(): CaptureObject[] {
  const series = new RecordSeries(true, 50);
  const hour = '2026-11-26T05:00:00Z';
  const all = hourObjects(series, 'AllTraffic', hour, 1020);
  all[0] = { ...all[0]!, body: `${all[0]!.body}{"captureData": {"endpointInput"\n` };
  return [...all, ...hourObjects(series, 'Canary', hour, 80), ...lateObjects(series, hour, 4)];
}

/**
 * Two hours for a backfill: 2026-11-25 10:00 like the training set (10 objects), 11:00
 * drifted (10 AllTraffic, 5 Canary), 1 late file in folder 12.
 */
export function backfillObjects(): CaptureObject[] {
  const drifted = new RecordSeries(true);
  return [
    ...hourObjects(new RecordSeries(false), 'AllTraffic', '2026-11-25T10:00:00Z', 10),
    ...hourObjects(drifted, 'AllTraffic', '2026-11-25T11:00:00Z', 10),
    ...hourObjects(drifted, 'Canary', '2026-11-25T11:00:00Z', 5),
    ...lateObjects(drifted, '2026-11-25T11:00:00Z', 1),
  ];
}

/** Records of `objects` whose inferenceTime is in [start, end). */
export function recordsIn(objects: CaptureObject[], start: string, end: string): CapturedRecord[] {
  const s = Date.parse(start);
  const e = Date.parse(end);
  return objects.flatMap((o) => o.records.filter((r) => Date.parse(r.time) >= s && Date.parse(r.time) < e));
}

async function inParallel<T>(items: T[], limit: number, f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) await f(items[next++]!);
    }),
  );
}

/**
 * Writes the training set, the baseline built from it (as `driftwatch baseline` writes it) and
 * the capture objects to S3.
 */
export async function writeWorld(
  client: S3Client,
  objects: CaptureObject[],
  options: { multivariate?: boolean } = {},
): Promise<void> {
  const data = new S3Store(client, `s3://${DATA_BUCKET}/`);
  await data.putText('training/train.csv', trainingCsv(), 'text/csv');
  const baseline = await readTrainingData(new S3Store(client, `s3://${DATA_BUCKET}/training/`), 'train.csv', {
    labelColumn: 'label',
    outputColumns: ['score'],
  });
  const out = new S3Store(client, BASELINE_URI);
  await out.putText(BASELINE_FILE, JSON.stringify(baselineToJson(baseline)), 'application/json');
  await out.putText(
    STATISTICS_FILE,
    JSON.stringify(baselineStatistics(baseline), null, 2),
    'application/json',
  );
  await out.putText(CONSTRAINTS_FILE, JSON.stringify(baseline.constraints, null, 2), 'application/json');
  if (options.multivariate) {
    const fit = await fitTrainingModel(
      new S3Store(client, `s3://${DATA_BUCKET}/training/`),
      'train.csv',
      baseline,
    );
    if (fit.model === null)
      throw new Error(`the world's training set fits no multivariate model: ${fit.reason}`);
    await out.putText(
      MULTIVARIATE_FILE,
      JSON.stringify(multivariateModelToJson(fit.model)),
      'application/json',
    );
  }
  const capture = new S3Store(client, CAPTURE_URI);
  await inParallel(objects, 32, (o) => capture.putText(o.key, o.body, 'application/jsonlines'));
}

export const GROUND_TRUTH_URI = `s3://${DATA_BUCKET}/ground-truth`;
/** The hour whose quality the quality tests monitor: 2026-11-24 08:00 UTC. */
export const QUALITY_HOUR = '2026-11-24T08:00:00Z';

/** A captured record of the quality hour, with its join key and the label it will get. */
export interface LabelledRecord extends CapturedRecord {
  /** The capture's eventId: the join key (no inferenceId is set). */
  id: string;
  /** 1 when the score is 0.5 or more, except every fifth record (the model's mistakes). */
  label: 0 | 1;
}

/**
 * The quality hour: 10 AllTraffic objects of 3 drifted records each (30 predictions, scores
 * 0 to 0.99), and the label each record will get.
 */
export function qualityHourObjects(): { objects: CaptureObject[]; records: LabelledRecord[] } {
  const objects = hourObjects(new RecordSeries(true), 'AllTraffic', QUALITY_HOUR, 10);
  const records = objects.flatMap((o, i) =>
    o.records.map((r, k) => {
      const n = i * 3 + k;
      const predicted = r.score >= 0.5;
      return { ...r, id: `${o.key}#${k}`, label: (predicted !== (n % 5 === 0) ? 1 : 0) as 0 | 1 };
    }),
  );
  return { objects, records };
}

/** A ground-truth file (FORMATS.md) in the collection hour of `hourIso`, under the endpoint's folder. */
export function labelFile(hourIso: string, labels: { id: string; label: number }[]): CaptureObject {
  const folder = hourIso.slice(0, 13).replace(/[-T]/g, '/');
  const lines = labels.map(({ id, label }) =>
    JSON.stringify({
      groundTruthData: { data: String(label), encoding: 'CSV' },
      eventMetadata: { eventId: id },
      eventVersion: '0',
    }),
  );
  return { key: `${ENDPOINT}/${folder}/labels.jsonl`, body: `${lines.join('\n')}\n`, records: [] };
}

/** Writes objects under an S3 URI. */
export async function putObjects(client: S3Client, uri: string, objects: CaptureObject[]): Promise<void> {
  const store = new S3Store(client, uri);
  await inParallel(objects, 16, (o) => store.putText(o.key, o.body, 'application/jsonlines'));
}

/**
 * The training set's baseline as `driftwatch baseline --problem-type BinaryClassification`
 * writes it (data and model-quality files), uploaded as it is under `uri`; returns its keys.
 */
export async function uploadQualityBaseline(client: S3Client, uri: string): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'driftwatch-quality-baseline-'));
  try {
    await writeFile(join(dir, 'train.csv'), trainingCsv());
    const output: string[] = [];
    const status = await main(
      [
        'baseline',
        join(dir, 'train.csv'),
        '--out',
        join(dir, 'baseline'),
        '--label-column',
        'label',
        '--problem-type',
        'BinaryClassification',
        '--probability-column',
        'score',
      ],
      {
        stdout: (t) => output.push(t),
        stderr: (t) => output.push(t),
        stderrIsTty: false,
        now: () => new Date(QUALITY_HOUR),
      },
    );
    if (status !== 0) throw new Error(`driftwatch baseline failed: ${output.join('')}`);
    const local = new LocalStore(join(dir, 'baseline'));
    const remote = new S3Store(client, uri);
    const keys: string[] = [];
    for await (const o of local.list()) {
      await remote.putText(o.key, (await local.getText(o.key))!, 'application/json');
      keys.push(o.key);
    }
    return keys;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
