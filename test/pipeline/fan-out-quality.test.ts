import { GetObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { createProfileWorkerHandler } from '../../functions/handlers/profile-worker.ts';
import { createReduceWindowHandler } from '../../functions/handlers/reduce-window.ts';
import { type ManifestItem, type ProfileBatchEvent, planMonitor } from '../../functions/pipeline/fan-out.ts';
import { runMonitor } from '../../functions/pipeline/monitor-run.ts';
import {
  type CaptureObject,
  DATA_BUCKET,
  ENDPOINT,
  GROUND_TRUTH_URI,
  putObjects,
  REPORTS_BUCKET,
  scheduledHourObjects,
  uploadQualityBaseline,
  writeWorld,
} from '../handlers/monitor-fixture.ts';
import { monitorConfig, monitorFakes, SCHEDULE } from '../support/monitor-fakes.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

const HOUR = '2026-11-26T05:00:00Z';
const HOUR_FOLDER = `reports/${ENDPOINT}/${SCHEDULE}/2026/11/26/05/`;
const QUALITY_BASELINE_URI = `s3://${DATA_BUCKET}/baselines/${ENDPOINT}-fan-out-quality`;

let s3: LocalS3;

/**
 * Labels of the window's records, from their capture lines: the model is wrong on every fifth;
 * collected over two hours, with a repeated label (the later one wins), a label of no
 * prediction and a line that is not JSON.
 */
function labelsOf(objects: CaptureObject[]): CaptureObject[] {
  const lines: string[] = [];
  let n = 0;
  for (const o of objects)
    for (const text of o.body.split('\n')) {
      let record: { eventMetadata: { eventId: string }; captureData: { endpointOutput: { data: string } } };
      try {
        record = JSON.parse(text);
      } catch {
        continue;
      }
      const predicted = Number(record.captureData.endpointOutput.data) >= 0.5;
      const label = predicted !== (n++ % 5 === 0) ? 1 : 0;
      // Every 7th record is never labelled: it stays unmatched.
      if (n % 7 !== 0) lines.push(labelLine(record.eventMetadata.eventId, label));
    }
  const half = Math.floor(lines.length / 2);
  const first = [...lines.slice(0, half), labelLine('an-id-of-another-hour', 1), '{"not json'];
  // The second hour relabels the first line's id: the label read last wins.
  const firstId = JSON.parse(lines[0]!).eventMetadata.eventId as string;
  const second = [...lines.slice(half), labelLine(firstId, 0)];
  return [
    { key: `${ENDPOINT}/2026/11/26/06/labels.jsonl`, body: `${first.join('\n')}\n`, records: [] },
    { key: `${ENDPOINT}/2026/11/26/07/labels.jsonl`, body: `${second.join('\n')}\n`, records: [] },
    { key: `${ENDPOINT}/2026/11/26/07/README.txt`, body: 'not labels\n', records: [] },
  ];
}

function labelLine(id: string, label: number): string {
  return JSON.stringify({
    groundTruthData: { data: String(label), encoding: 'CSV' },
    eventMetadata: { eventId: id },
    eventVersion: '0',
  });
}

beforeAll(async () => {
  s3 = await startLocalS3([DATA_BUCKET, REPORTS_BUCKET]);
  const objects = scheduledHourObjects();
  await writeWorld(s3.client, objects);
  await uploadQualityBaseline(s3.client, QUALITY_BASELINE_URI);
  await putObjects(s3.client, GROUND_TRUTH_URI, labelsOf(objects));
}, 120_000);
afterAll(async () => {
  await s3?.stop();
});

function config(reportsPrefix: string, fanOut?: MonitorRuntimeConfig['fanOut']): MonitorRuntimeConfig {
  return monitorConfig(reportsPrefix, {
    baselineUri: QUALITY_BASELINE_URI,
    groundTruthUri: GROUND_TRUTH_URI,
    problemType: 'BinaryClassification',
    ...(fanOut ? { fanOut } : {}),
  });
}

async function getText(key: string): Promise<string> {
  const res = await s3.client.send(new GetObjectCommand({ Bucket: REPORTS_BUCKET, Key: key }));
  return res.Body!.transformToString();
}

function batches(items: ManifestItem[], size: number, runId: string): ProfileBatchEvent[] {
  const out: ProfileBatchEvent[] = [];
  for (let i = 0; i < items.length; i += size)
    out.push({ Items: items.slice(i, i + size), BatchInput: { runId } });
  return out;
}

/** A model-quality file without its evaluation time (each run stamps its own). */
const withoutEvaluationTime = (text: string) => {
  const json = JSON.parse(text);
  if (json.dataset) delete json.dataset.evaluation_time;
  return json;
};

describe('model quality of a window profiled in parts', () => {
  it('equals the window profiled whole: the quality section and the model-quality files', async () => {
    // Prepare: the whole window, as the monitor function profiles it on schedule.
    const whole = monitorFakes(s3.client, config('whole'), '2026-11-26T08:10:00Z', { messageId: 'm' });
    await runMonitor(whole.deps, { endpoint: ENDPOINT, start: HOUR, end: '2026-11-26T06:00:00Z' });
    const wholeReport = JSON.parse(await getText(`whole/${HOUR_FOLDER}report.json`)) as Report;
    expect(wholeReport.quality).toMatchObject({ duplicateLabels: 1 });
    // The id of another hour, and labels of the late file's records of the next hour.
    expect(wholeReport.quality!.unmatchedLabels).toBeGreaterThan(0);
    expect(wholeReport.quality!.matched).toBeGreaterThan(2500);
    expect(wholeReport.quality!.join).toMatchObject({
      labelFiles: 2,
      labelsRejected: 1,
      repeatedPredictionKeys: 0,
    });

    // Act: the state machine's steps, join partitions of about 200 KB of capture each.
    const parts = monitorFakes(
      s3.client,
      config('parts', { maxObjects: 1000, maxBytes: 1 << 30, joinPartitionBytes: 200_000 }),
      '2026-11-26T08:10:00Z',
      { messageId: 'm' },
    );
    const planned = await planMonitor(parts.deps, {
      fanOut: { runId: 'exec-q' },
      event: { endpoint: ENDPOINT, start: HOUR, end: '2026-11-26T06:00:00Z' },
    });
    const plan = planned.fanOut!;
    const window = plan.windows[0]!;
    expect(window.quality).toMatchObject({ labelFiles: 2, lookbackHours: 24 });
    const partitions = window.quality!.partitions;
    expect(partitions).toBe(7);
    expect(plan.joins).toHaveLength(partitions);
    const items = JSON.parse(await getText(plan.manifestKey)) as ManifestItem[];
    expect(items.filter((i) => i.labels)).toHaveLength(2);

    // Batches of 48 items, run last to first; then every join; then the reduce.
    const worker = createProfileWorkerHandler(() => parts.deps);
    for (const batch of batches(items, 48, 'exec-q').reverse()) await worker(batch);
    for (const join of [...plan.joins].reverse()) await worker({ join });
    const reduce = createReduceWindowHandler(() => parts.deps);
    await reduce({ runId: 'exec-q', plannedAt: plan.plannedAt, window });

    // Assert: the same quality, to the last digit, and the same SageMaker files.
    const partsReport = JSON.parse(await getText(`parts/${HOUR_FOLDER}report.json`)) as Report;
    expect(partsReport.quality).toEqual(wholeReport.quality);
    expect(partsReport.warnings).toEqual(wholeReport.warnings);
    for (const file of ['model_quality_statistics.json', 'model_quality_constraint_violations.json'])
      expect(withoutEvaluationTime(await getText(`parts/${HOUR_FOLDER}${file}`)), file).toEqual(
        withoutEvaluationTime(await getText(`whole/${HOUR_FOLDER}${file}`)),
      );
  }, 120_000);
});
