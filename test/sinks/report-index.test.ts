import { describe, expect, it } from 'vitest';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { collectReports, parseReport, writeReportIndex } from '../../functions/sinks/report-index.ts';
import type { ObjectStore, StoredObject } from '../../functions/stores/object-store.ts';
import { report } from './report-fixture.ts';

/** An ObjectStore in memory that lists in key order and counts the objects read. */
class MemoryStore implements ObjectStore {
  readonly location = 'memory://reports/';
  readonly objects = new Map<string, string>();
  readonly reads: string[] = [];
  async *list(prefix = ''): AsyncIterable<StoredObject> {
    for (const key of [...this.objects.keys()].sort())
      if (key.startsWith(prefix)) yield { key, size: this.objects.get(key)!.length };
  }
  async *read(): AsyncIterable<Uint8Array> {}
  async getText(key: string): Promise<string | null> {
    this.reads.push(key);
    return this.objects.get(key) ?? null;
  }
  async putText(key: string, body: string): Promise<void> {
    this.objects.set(key, body);
  }
}

const FOLDER = 'reports/churn-xgb/hourly/';

/** A report of the hour starting `hour` hours after 2026-11-26 00:00 UTC. */
function hourly(hour: number): Report {
  const start = new Date(Date.UTC(2026, 10, 26, hour));
  return report([], [], {
    window: { start: start.toISOString(), end: new Date(start.getTime() + 3_600_000).toISOString() },
  });
}

/** A store holding `hours` hourly windows' report.json and report.html under FOLDER. */
function storeWith(hours: number[]): MemoryStore {
  const store = new MemoryStore();
  for (const h of hours) {
    const folder = `${FOLDER}2026/11/26/${String(h).padStart(2, '0')}/`;
    store.objects.set(`${folder}report.json`, JSON.stringify(hourly(h)));
    store.objects.set(`${folder}report.html`, '<html></html>');
    store.objects.set(`${folder}summary-sent.json`, '{}');
  }
  return store;
}

describe('the report index', () => {
  it('reads only the newest reports by key, and links them relative to the index', async () => {
    const store = storeWith([3, 0, 7, 5, 1]);

    const index = await writeReportIndex(store, FOLDER, { limit: 3 });

    expect(index).toEqual({ key: `${FOLDER}index.html`, windows: 3, found: 5 });
    expect(store.reads.sort()).toEqual(['03', '05', '07'].map((h) => `${FOLDER}2026/11/26/${h}/report.json`));
    const html = store.objects.get(`${FOLDER}index.html`)!;
    for (const h of ['03', '05', '07']) expect(html).toContain(`href="2026/11/26/${h}/report.html"`);
    expect(html).not.toContain('2026/11/26/01/report.html');
  });

  it('leaves out a report that does not parse and one of another folder, telling why', async () => {
    const store = storeWith([2, 4]);
    store.objects.set(`${FOLDER}2026/11/26/03/report.json`, '{"version": 1');
    store.objects.set('reports/other-endpoint/hourly/2026/11/26/05/report.json', JSON.stringify(hourly(5)));
    store.objects.delete(`${FOLDER}2026/11/26/04/report.html`);
    const issues: string[] = [];

    const { windows, found, read } = await collectReports(store, {
      prefix: FOLDER,
      linkTo: (folder) => `${folder}report.html`,
      onIssue: (m) => issues.push(m),
    });

    expect([found, read]).toEqual([3, 3]);
    expect(windows.map((w) => [w.path, w.report.window.start])).toEqual([
      ['2026/11/26/02/report.html', '2026-11-26T02:00:00.000Z'],
      ['2026/11/26/04/report.html', '2026-11-26T04:00:00.000Z'],
    ]);
    expect(issues).toEqual([
      expect.stringMatching(
        /^skipping memory:\/\/reports\/reports\/churn-xgb\/hourly\/2026\/11\/26\/03\/report\.json: is not valid JSON/,
      ),
      `memory://reports/${FOLDER}2026/11/26/04/report.json has no report.html beside it; its points in the index link to a missing page`,
    ]);
  });

  it('writes the same bytes over the same reports', async () => {
    const store = storeWith([0, 1, 2]);

    await writeReportIndex(store, FOLDER);
    const first = store.objects.get(`${FOLDER}index.html`);
    await writeReportIndex(store, FOLDER);

    expect(store.objects.get(`${FOLDER}index.html`)).toBe(first);
  });

  it('tells a report.json from other JSON', () => {
    expect(parseReport(JSON.stringify(hourly(0)))).toMatchObject({ version: 1 });
    expect(parseReport('{"version": 2}')).toBe('is not a driftwatch report.json (no "version": 1)');
  });
});
