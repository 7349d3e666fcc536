/**
 * The trend page at production scale, as text: which ranges the page offers, how the heat map
 * merges hundreds of windows into columns, where the x-axis is labelled, and that past a few
 * dozen windows only the drifted points are marked. (The Chromium test, trends-scale.browser,
 * checks the same page as laid out.)
 */
import { describe, expect, it } from 'vitest';
import {
  axisLabels,
  DENSE_WINDOWS,
  mergeHeatColumns,
  type TrendWindow,
} from '../../../functions/engine/render/trend-charts.ts';
import { rangeViews, trendsHtml } from '../../../functions/engine/render/trends-html.ts';
import { hourlyTrendInputs } from '../../support/trend-windows.ts';

/** `n` hourly axis windows from 2026-11-16 00:00 UTC. */
function hours(n: number): TrendWindow[] {
  return Array.from({ length: n }, (_, i) => {
    const start = new Date(Date.parse('2026-11-16T00:00:00Z') + i * 3_600_000).toISOString();
    const end = new Date(Date.parse(start) + 3_600_000).toISOString();
    return { label: start.slice(5, 16), start, end, name: start, href: `${start.slice(0, 13)}/report.html` };
  });
}

describe('rangeViews', () => {
  it('offers the last day and week of two weeks of hours, and everything', () => {
    expect(rangeViews(hourlyTrendInputs(336))).toEqual([
      { id: 'day', name: 'Last day', from: 312 },
      { id: 'week', name: 'Last week', from: 168 },
      { id: 'all', name: 'All 336', from: 0 },
    ]);
  });

  it('offers the day alone over 30 hours, and nothing to switch over a day', () => {
    expect(rangeViews(hourlyTrendInputs(30)).map((v) => [v.id, v.from])).toEqual([
      ['day', 6],
      ['all', 0],
    ]);
    expect(rangeViews(hourlyTrendInputs(24))).toEqual([{ id: 'all', name: 'All 24', from: 0 }]);
    expect(trendsHtml(hourlyTrendInputs(24))).not.toContain('name="range"');
  });
});

describe('mergeHeatColumns', () => {
  it('merges 336 hours into 56 six-hour columns from midnight, each cell its worst window', () => {
    const windows = hours(336);
    const severities = windows.map((_, i) => (i === 9 ? 2.5 : (i % 5) / 10));
    const rows = [
      {
        name: 'day_mins',
        cells: severities.map((s, i) => ({ severity: s, drifted: s >= 1, tip: `w${i}`, value: s / 10 })),
      },
    ];

    const merged = mergeHeatColumns(windows, rows, 75);

    expect(merged.merged).toBe(6);
    expect(merged.windows).toHaveLength(56);
    expect(merged.windows[1]!.start).toBe('2026-11-16T06:00:00.000Z');
    expect(merged.windows[1]!.end).toBe('2026-11-16T12:00:00.000Z');
    expect(merged.windows[1]!.name).toBe('2026-11-16 06:00 – 12:00 UTC, 6 windows');
    const cell = merged.rows[0]!.cells[1]!;
    expect(cell.severity).toBe(2.5);
    expect(cell.drifted).toBe(true);
    expect(cell.href).toBe('2026-11-16T09/report.html');
    expect(cell.tip).toBe('w9 (the worst of 2026-11-16 06:00 – 12:00 UTC, 6 windows; 1 drifted)');
  });

  it('leaves windows that fit alone', () => {
    const windows = hours(24);
    expect(mergeHeatColumns(windows, [], 75)).toEqual({ windows, rows: [], merged: 1 });
  });
});

describe('axisLabels', () => {
  const x = (n: number, x0: number, x1: number) => (i: number) => x0 + ((i + 0.5) * (x1 - x0)) / n;

  it('labels every hour of a few windows, days when they are many, and weeks when days crowd', () => {
    expect(axisLabels(hours(3), x(3, 44, 506), 44, 506).map((l) => l.text)).toEqual([
      '00:00',
      '01:00',
      '02:00',
    ]);
    // 336 hours on a 1022-unit chart: a day is 73 units, room for a label.
    expect(axisLabels(hours(336), x(336, 44, 1066), 44, 1066).map((l) => l.text)).toEqual(
      Array.from({ length: 14 }, (_, d) => `11-${String(16 + d).padStart(2, '0')}`),
    );
    // Eight weeks on a 302-unit chart: Mondays, every other week at most.
    const weeks = axisLabels(hours(8 * 168), x(8 * 168, 44, 346), 44, 346);
    expect(weeks.map((l) => l.text)).toEqual(['11-23', '12-07', '12-21', '01-04']);
  });

  it('never places two labels closer than their width', () => {
    for (const n of [10, 47, 100, 336, 1000]) {
      const at = x(n, 44, 346);
      const placed = axisLabels(hours(n), at, 44, 346).map((l) => at(l.i));
      for (let i = 1; i < placed.length; i++)
        expect(placed[i]! - placed[i - 1]!).toBeGreaterThanOrEqual(5 * 6.4 + 8);
    }
  });
});

describe('the trend page past a few dozen windows', () => {
  it('draws bare lines and marks only the drifted points', () => {
    const inputs = hourlyTrendInputs(DENSE_WINDOWS + 1);
    const html = trendsHtml(inputs);
    /** The every-window chart of `kind` (the n-th of its kind). */
    const everyWindow = (kind: string, n = 0) => {
      const charts = html
        .split(`<div class="range r-all"><svg class="chart fluid" data-chart="${kind}"`)
        .slice(1);
      return charts[n]!.slice(0, charts[n]!.indexOf('</svg>'));
    };
    const chart = everyWindow('dataset-drift-share');
    const score = Array.from({ length: 10 }, (_, i) => everyWindow('feature-trend', i)).find((c) =>
      c.includes('aria-label="score:'),
    )!;

    expect(chart.match(/<circle/g)).toBeNull(); // no window past the dataset drift share
    // score drifts in one window (its spike at window 29): one marker, linked to that window.
    const drifted = inputs.filter((w) => w.report.features.find((f) => f.name === 'score')!.drifted);
    expect(drifted.map((w) => w.path)).toEqual(['2026-11-17T05/report.html']);
    expect(score.match(/<circle/g)).toHaveLength(1);
    expect(score).toContain('<a href="2026-11-17T05/report.html"><circle');
    expect(score.match(/<polyline/g)).toHaveLength(1);
  });
});
