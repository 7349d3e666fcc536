/**
 * index.html over many windows (trends-html.ts), and `driftwatch report`, which finds the
 * report.json files and builds it: window order, "since when", links relative to the index.
 */

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeatureDrift } from '../../../functions/engine/drift/compare.ts';
import {
  driftStreaks,
  relativeHref,
  type TrendInput,
  trendsHtml,
} from '../../../functions/engine/render/trends-html.ts';
import type { Report } from '../../../functions/engine/report/report-model.ts';
import { biasSection, feature as fixtureFeature, multivariateResult } from '../../sinks/report-fixture.ts';
import { cliRunner } from '../../support/cli-run.ts';

/** A numeric feature of 100 values at `distance`, drifted past 0.1. */
const feature = (name: string, distance: number, over: Partial<FeatureDrift> = {}): FeatureDrift =>
  fixtureFeature(name, { type: 'numeric', count: 100, distance, drifted: distance > 0.1, ...over });

/** A window starting at `hour` (UTC, 2026-11-26) whose features have these distances. */
function windowReport(
  hour: number,
  distances: Record<string, number>,
  accuracy: number | null = null,
): Report {
  const features = Object.entries(distances).map(([name, d]) => feature(name, d));
  const drifted = features.filter((f) => f.drifted).length;
  const iso = (h: number) => new Date(Date.UTC(2026, 10, 26, h)).toISOString();
  return {
    version: 1,
    window: { start: iso(hour), end: iso(hour + 1) },
    generatedAt: iso(hour + 1),
    records: {
      total: 100 + hour,
      profiled: 98 + hour,
      rejected: 2,
      rejectedByReason: { invalid_json: 2 },
      outsideWindow: 0,
    },
    features,
    datasetDrift: {
      monitoredFeatures: features.length,
      driftedFeatures: drifted,
      share: drifted / features.length,
      threshold: 0.5,
      detected: drifted / features.length >= 0.5,
    },
    violations: [],
    quality:
      accuracy === null
        ? null
        : ({
            problemType: 'BinaryClassification',
            metrics: {
              accuracy,
              precision: 0.5,
              recall: 0.5,
              f1: 0.5,
              auc: 0.7,
              confusionMatrix: { tn: 1, fp: 1, fn: 1, tp: 1 },
            },
            estimated: null,
            violations: [],
          } as unknown as Report['quality']),
    baseline: { source: 'driftwatch', path: 'baseline' },
    warnings: [],
  };
}

const windows: TrendInput[] = [
  // Given out of order: the page sorts by window start.
  { path: 'h05/report.html', report: windowReport(5, { price: 0.3, region: 0.02, age: 0.2 }, 0.7) },
  { path: 'h03/report.html', report: windowReport(3, { price: 0.01, region: 0.3, age: 0 }, 0.9) },
  { path: 'h04/report.html', report: windowReport(4, { price: 0.25, region: 0.01, age: 0 }, 0.8) },
];

describe('index.html', () => {
  const sorted = [...windows].sort((a, b) => (a.report.window.start! < b.report.window.start! ? -1 : 1));
  const html = trendsHtml(windows);

  it('knows since when each feature drifts', () => {
    const streaks = driftStreaks(sorted);
    expect(streaks).toEqual([
      { name: 'price', driftedNow: true, since: 1, lastDrifted: 2 },
      { name: 'region', driftedNow: false, since: null, lastDrifted: 0 },
      { name: 'age', driftedNow: true, since: 2, lastDrifted: 2 },
    ]);
    expect(html).toContain(
      'drifting since <a href="h04/report.html">2026-11-26 04:00 – 05:00 UTC</a> (2 windows)',
    );
    expect(html).toContain(
      'drifting since <a href="h05/report.html">2026-11-26 05:00 – 06:00 UTC</a> (1 window)',
    );
    expect(html).toMatch(
      /Drifted earlier, not now: <b title="region">region<\/b> \(last 2026-11-26 03:00 – 04:00 UTC\)/,
    );
  });

  it('draws one distance chart per feature, each point a link to its window in time order', () => {
    const charts = html.split('data-chart="feature-trend"').slice(1);
    expect(charts).toHaveLength(3);
    for (const chart of charts) {
      const body = chart.slice(0, chart.indexOf('</svg>'));
      expect([...body.matchAll(/<a href="([^"]+)"><circle/g)].map((m) => m[1])).toEqual([
        'h03/report.html',
        'h04/report.html',
        'h05/report.html',
      ]);
      expect(body).toContain('threshold 0.1');
    }
    // Drifted points are drawn in the alarm colour and say so.
    expect(html).toContain('2026-11-26 04:00 – 05:00 UTC: linfRobust 0.25 (drifted)');
  });

  it('draws the heat map, dataset drift share, quality and records per window', () => {
    for (const kind of ['heatmap', 'dataset-drift-share', 'quality', 'records'])
      expect(html, kind).toContain(`data-chart="${kind}"`);
    // Heat map: 3 features x 3 windows, every cell linked.
    const heat = html.slice(
      html.indexOf('data-chart="heatmap"'),
      html.indexOf('</svg>', html.indexOf('data-chart="heatmap"')),
    );
    expect(heat.match(/<a href=/g)).toHaveLength(9);
    expect(html).toContain('2026-11-26 05:00 – 06:00 UTC: accuracy 0.7');
    expect(html).toContain('2026-11-26 03:00 – 04:00 UTC: 101 profiled');
  });

  it('draws significant bias violations per window, and the multivariate error against its two thresholds', () => {
    const withMonitors = sorted.map((w, i) => ({
      ...w,
      report: {
        ...w.report,
        bias: i === 0 ? null : biasSection({ violations: i - 1 }),
        multivariate: multivariateResult({ value: [1, 1.02, 1.3][i]!, drifted: i === 2 }),
      },
    }));

    const out = trendsHtml(withMonitors);

    const chart = (kind: string) => {
      const at = out.indexOf(`data-chart="${kind}"`);
      return out.slice(at, out.indexOf('</svg>', at));
    };
    expect([...chart('bias-violations').matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1])).toEqual([
      '2026-11-26 04:00 – 05:00 UTC: significant bias violations 0',
      '2026-11-26 05:00 – 06:00 UTC: significant bias violations 1 (drifted)',
    ]);
    const titles = [...chart('multivariate').matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toContain('2026-11-26 05:00 – 06:00 UTC: reconstruction error 1.3 (drifted)');
    expect(titles).toContain('2026-11-26 03:00 – 04:00 UTC: upper threshold 1.08');
    expect(titles).toContain('2026-11-26 03:00 – 04:00 UTC: lower threshold 0.95');
    // Reports without either (older ones) draw neither chart.
    expect(html).not.toContain('data-chart="bias-violations"');
    expect(html).not.toContain('data-chart="multivariate"');
  });

  it('lists the windows in a sortable table', () => {
    const table = html.slice(html.indexOf('id="windows"'));
    expect([...table.matchAll(/<td data-v="([^"]+)"><a href="([^"]+)"/g)].map((m) => m[2])).toEqual([
      'h03/report.html',
      'h04/report.html',
      'h05/report.html',
    ]);
    expect(table).toContain('<th><button type="button">Window</button></th>');
  });

  it('percent-encodes each path segment and keeps ".." so links stay relative', () => {
    expect(relativeHref('../a b/#x?/report.html')).toBe('../a%20b/%23x%3F/report.html');
    expect(relativeHref('javascript:alert(1)/report.html')).toBe('javascript%3Aalert(1)/report.html');
  });
});

describe('driftwatch report', () => {
  let root: string;
  const run = cliRunner('2026-11-27T00:00:00Z');
  const put = (path: string, text: string) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'driftwatch-report-cmd-'));
    for (const w of windows) {
      const folder = join(root, 'reports', 'churn', '2026', '11', '26', w.path.slice(1, 3));
      put(join(folder, 'report.json'), JSON.stringify(w.report));
      put(join(folder, 'report.html'), '<!doctype html>');
    }
    put(join(root, 'reports', 'notes', 'report.json'), '{"not": "a report"}');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('finds report.json at any depth, skips what is not a report, and writes DIR/index.html', async () => {
    const out = await run('report', '--reports', join(root, 'reports'));
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toMatch(/skipping .*notes\/report\.json: is not a driftwatch report\.json/);
    expect(out.stdout).toContain('3 windows, 2026-11-26 03:00 – 06:00 UTC; latest: 2 of 3 features drifted');
    const html = readFileSync(join(root, 'reports', 'index.html'), 'utf8');
    const links = [...html.slice(html.indexOf('id="windows"')).matchAll(/<a href="([^"]+)"/g)].map(
      (m) => m[1],
    );
    expect(links).toEqual([
      'churn/2026/11/26/03/report.html',
      'churn/2026/11/26/04/report.html',
      'churn/2026/11/26/05/report.html',
    ]);
  });

  it('links relative to --out when the index goes elsewhere', async () => {
    const out = await run(
      'report',
      '--reports',
      join(root, 'reports', 'churn'),
      '--out',
      join(root, 'site', 'trends.html'),
    );
    expect(out.code, out.stderr).toBe(0);
    const html = readFileSync(join(root, 'site', 'trends.html'), 'utf8');
    expect(html).toContain('href="../reports/churn/2026/11/26/03/report.html"');
  });

  it('exits 2 with a clear message when there is no report', async () => {
    mkdirSync(join(root, 'empty'), { recursive: true });
    const none = await run('report', '--reports', join(root, 'empty'));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/--reports .*empty: no report\.json under it/);
    const missing = await run('report', '--reports', join(root, 'nowhere'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/nowhere: no such folder/);
    const noFlag = await run('report');
    expect(noFlag.code).toBe(2);
    expect(noFlag.stderr).toMatch(/report needs --reports/);
    const onlyJunk = await run('report', '--reports', join(root, 'reports', 'notes'));
    expect(onlyJunk.code).toBe(2);
    expect(onlyJunk.stderr).toMatch(/none of the 1 report\.json files under it is a driftwatch report/);
  });

  it('refuses an --out that relative links cannot reach', async () => {
    const out = await run('report', '--reports', join(root, 'reports'), '--out', 's3://bucket/index.html');
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/must be on the same disk as --reports/);
  });
});
