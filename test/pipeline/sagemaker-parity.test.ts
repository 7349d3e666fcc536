// Drop-in compatibility with SageMaker's own files: the statistics SageMaker computed on the
// aai540 training set (fixtures/sagemaker/aai540_statistics.json) against ours, and a run
// against SageMaker's baseline folder as it is.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { baselineStatistics } from '../../functions/engine/drift/baseline.ts';
import type { StatisticsDoc } from '../../functions/engine/sagemaker/sagemaker-statistics.ts';
import { runWindow } from '../../functions/pipeline/run-window.ts';
import { loadBaseline } from '../../functions/sources/baseline-store.ts';
import { readTrainingData } from '../../functions/sources/training-data.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import { expectClose } from '../support/compare.ts';

const fixtures = new URL('../fixtures/sagemaker/', import.meta.url).pathname;
const sagemaker: StatisticsDoc = JSON.parse(readFileSync(join(fixtures, 'aai540_statistics.json'), 'utf8'));

describe('driftwatch baseline on aai540_train_data.csv equals SageMaker statistics.json', async () => {
  const ours = baselineStatistics(await readTrainingData(new LocalStore(fixtures), 'aai540_train_data.csv'));
  const byName = new Map(ours.features.map((f) => [f.name, f]));

  it('has the same item count and features in the same order with the same inferred types', () => {
    expect(ours.dataset.item_count).toBe(sagemaker.dataset.item_count);
    expect(ours.features.map((f) => [f.name, f.inferred_type])).toEqual(
      sagemaker.features.map((f) => [f.name, f.inferred_type]),
    );
  });

  for (const expected of sagemaker.features) {
    it(`${expected.name}: counts, moments, buckets`, () => {
      const actual = byName.get(expected.name)!;
      if (expected.numerical_statistics) {
        const e = expected.numerical_statistics;
        const a = actual.numerical_statistics!;
        expect(a.common).toEqual(e.common);
        for (const k of ['mean', 'sum', 'std_dev', 'min', 'max'] as const)
          expectClose(a[k], e[k], `${expected.name}.${k}`);
        const eb = e.distribution!.kll.buckets;
        const ab = a.distribution!.kll.buckets;
        expect(ab).toHaveLength(10);
        ab.forEach((b, i) => {
          expectClose(b.lower_bound, eb[i]!.lower_bound, `bucket ${i} lower`);
          expectClose(b.upper_bound, eb[i]!.upper_bound, `bucket ${i} upper`);
          // SageMaker's bucket counts are estimates from its KLL sketch; ours are exact counts.
          expect(Math.abs(b.count - eb[i]!.count), `bucket ${i} count`).toBeLessThanOrEqual(
            0.001 * e.common.num_present,
          );
        });
        expect(ab.reduce((s, b) => s + b.count, 0)).toBe(e.common.num_present);
        // The sketch has SageMaker's shape: parameters c and k, and levels whose weights add up.
        const sk = a.distribution!.kll.sketch;
        expect(sk.parameters).toEqual(e.distribution!.kll.sketch.parameters);
        expect(sk.data.reduce((s, level, h) => s + level.length * 2 ** h, 0)).toBe(e.common.num_present);
      } else {
        const e = expected.string_statistics!;
        const a = actual.string_statistics!;
        expect(a.common).toEqual(e.common);
        const eb = e.distribution?.categorical?.buckets;
        const ab = a.distribution?.categorical?.buckets;
        expect(ab === undefined, 'categorical buckets present exactly where SageMaker has them').toBe(
          eb === undefined,
        );
        if (eb && ab) {
          const toMap = (bs: Array<{ value: string; count: number }>) =>
            Object.fromEntries(bs.map((b) => [b.value, b.count]));
          expect(toMap(ab)).toEqual(toMap(eb));
        }
        // distinct_count is an estimate on both sides.
        expect(Math.abs(a.distinct_count - e.distinct_count)).toBeLessThanOrEqual(
          0.05 * e.distinct_count + 1,
        );
      }
    });
  }
});

describe("driftwatch run against SageMaker's own baseline files", () => {
  it('reads statistics.json + constraints.json, compares in sketch mode, and finds no drift in a window of the same data', async () => {
    const baselineDir = mkdtempSync(join(tmpdir(), 'dw-smb-'));
    writeFileSync(
      join(baselineDir, 'statistics.json'),
      readFileSync(join(fixtures, 'aai540_statistics.json')),
    );
    writeFileSync(
      join(baselineDir, 'constraints.json'),
      readFileSync(join(fixtures, 'aai540_constraints.json')),
    );
    const captureDir = mkdtempSync(join(tmpdir(), 'dw-smc-'));
    const hour = join(captureDir, 'aai540', 'AllTraffic', '2026', '11', '26', '05');
    mkdirSync(hour, { recursive: true });
    // Every 7th training row, sent as the CSV body of a request (SageMaker's capture layout).
    const rows = readFileSync(join(fixtures, 'aai540_train_data.csv'), 'utf8').trim().split('\n').slice(1);
    const lines = rows
      .filter((_, i) => i % 7 === 0)
      .map((data, i) =>
        JSON.stringify({
          captureData: {
            endpointInput: { observedContentType: 'text/csv', mode: 'INPUT', data, encoding: 'CSV' },
          },
          eventMetadata: { eventId: `e-${i}`, inferenceTime: '2026-11-26T05:10:00Z' },
          eventVersion: '0',
        }),
      );
    writeFileSync(join(hour, '10-00-000-a.jsonl'), `${lines.join('\n')}\n`);

    const baseline = await loadBaseline(new LocalStore(baselineDir));
    const { report } = await runWindow({
      baseline,
      baselinePath: baselineDir,
      capture: new LocalStore(captureDir),
      start: '2026-11-26T05:00:00Z',
      end: '2026-11-26T06:00:00Z',
      now: new Date('2026-11-26T06:10:00Z'),
    });

    expect(baseline.source).toBe('sagemaker');
    expect(report.records).toMatchObject({ total: lines.length, profiled: lines.length, rejected: 0 });
    const numeric = report.features.filter((f) => f.type === 'numeric');
    expect(numeric).toHaveLength(8);
    for (const f of numeric) {
      expect(f.method, f.name).toBe('sketch');
      expect(f.drifted, f.name).toBe(false);
      expect(f.metrics).not.toBeNull();
    }
    // Categorical features with SageMaker buckets (event_time, state, county) are compared exactly.
    expect(report.features.filter((f) => f.type === 'categorical' && f.monitored).map((f) => f.name)).toEqual(
      ['event_time', 'state', 'county'],
    );
    expect(report.datasetDrift).toMatchObject({ driftedFeatures: 0, detected: false, monitoredFeatures: 11 });
    expect(report.violations.filter((v) => v.constraint_check_type === 'baseline_drift_check')).toEqual([]);
  });
});
