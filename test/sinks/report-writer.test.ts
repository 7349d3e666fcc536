import { describe, expect, it } from 'vitest';
import { reportFolder } from '../../functions/contracts/report-layout.ts';
import type { WindowResult } from '../../functions/engine/report/window-result.ts';
import { hourLabel, reportFiles, writeReportFiles } from '../../functions/sinks/report-writer.ts';
import type { ObjectStore, StoredObject } from '../../functions/stores/object-store.ts';
import { driftViolation, feature, report } from './report-fixture.ts';

/** An ObjectStore in memory, keeping what was put and how. */
class MemoryStore implements ObjectStore {
  readonly location = 'memory://';
  readonly objects = new Map<string, { body: string; contentType: string }>();
  async *list(): AsyncIterable<StoredObject> {}
  async *read(): AsyncIterable<Uint8Array> {}
  async getText(key: string): Promise<string | null> {
    return this.objects.get(key)?.body ?? null;
  }
  async putText(key: string, body: string, contentType: string): Promise<void> {
    this.objects.set(key, { body, contentType });
  }
}

const result: WindowResult = {
  report: report([feature('plan', { distance: 0.4, drifted: true })], [driftViolation('plan')]),
  statistics: {
    version: 0,
    dataset: { item_count: 118 },
    features: [],
  } as unknown as WindowResult['statistics'],
  violations: { violations: [driftViolation('plan')] },
};

describe('report files', () => {
  it("go under reports/ENDPOINT/SCHEDULE/ and the window start's UTC hour", () => {
    const start = new Date('2026-01-02T03:00:00Z');

    expect(reportFolder('churn-xgb', 'hourly', start)).toBe('reports/churn-xgb/hourly/2026/01/02/03/');
    expect(hourLabel(start)).toBe('2026-01-02 03:00 UTC');
  });

  it('are the four SageMaker-compatible files, JSON with a 2-space indent and a final newline', async () => {
    const store = new MemoryStore();

    const keys = await writeReportFiles(store, 'reports/e/s/2026/11/26/05/', result, 'driftwatch report: e');

    expect(keys).toEqual(
      ['report.json', 'statistics.json', 'constraint_violations.json', 'report.html'].map(
        (f) => `reports/e/s/2026/11/26/05/${f}`,
      ),
    );
    expect([...store.objects].map(([k, o]) => [k.split('/').pop(), o.contentType])).toEqual([
      ['report.json', 'application/json'],
      ['statistics.json', 'application/json'],
      ['constraint_violations.json', 'application/json'],
      ['report.html', 'text/html; charset=utf-8'],
    ]);
    const reportJson = store.objects.get('reports/e/s/2026/11/26/05/report.json')!.body;
    expect(reportJson).toBe(`${JSON.stringify(result.report, null, 2)}\n`);
    expect(
      JSON.parse(store.objects.get('reports/e/s/2026/11/26/05/constraint_violations.json')!.body),
    ).toEqual(result.violations);
    expect(store.objects.get('reports/e/s/2026/11/26/05/report.html')!.body).toContain(
      '<title>driftwatch report: e</title>',
    );
  });

  it('include model_quality_constraint_violations.json, and model_quality_statistics.json when quality was evaluated', async () => {
    const statistics = {
      version: 0,
      dataset: { item_count: 24, evaluation_time: '2026-11-26T06:10:00.000Z' },
      binary_classification_metrics: { accuracy: { value: 0.75, standard_deviation: 'NaN' } },
    } as unknown as NonNullable<WindowResult['modelQuality']>['statistics'];
    const violations = {
      violations: [
        { metric_name: 'recall', constraint_check_type: 'LessThanThreshold', description: 'recall fell' },
      ],
    } as unknown as NonNullable<WindowResult['modelQuality']>['violations'];
    const store = new MemoryStore();

    const keys = await writeReportFiles(store, 'w/', { ...result, modelQuality: { statistics, violations } });

    expect(keys).toEqual(
      [
        'report.json',
        'statistics.json',
        'constraint_violations.json',
        'report.html',
        'model_quality_constraint_violations.json',
        'model_quality_statistics.json',
      ].map((f) => `w/${f}`),
    );
    expect(store.objects.get('w/model_quality_statistics.json')).toEqual({
      body: `${JSON.stringify(statistics, null, 2)}\n`,
      contentType: 'application/json',
    });
    expect(JSON.parse(store.objects.get('w/model_quality_constraint_violations.json')!.body)).toEqual(
      violations,
    );
    // No label matched yet: the violations (none) are written, the statistics are not.
    expect(
      reportFiles({ ...result, modelQuality: { statistics: null, violations: { violations: [] } } }).map(
        (f) => f.name,
      ),
    ).toEqual([
      'report.json',
      'statistics.json',
      'constraint_violations.json',
      'report.html',
      'model_quality_constraint_violations.json',
    ]);
  });

  it('are the same bytes for the same window', () => {
    const copy: WindowResult = JSON.parse(JSON.stringify(result));

    expect(reportFiles(copy, 't')).toEqual(reportFiles(result, 't'));
  });
});
