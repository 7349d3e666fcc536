/**
 * The drift charts of report.html: a feature's distance against its threshold, and its baseline
 * and current distributions overlaid. Markup only; see svg-chart.ts for why plain SVG.
 */

import type { CategoricalMetrics } from '../drift/categorical-drift.ts';
import type { FeatureDrift } from '../drift/compare.ts';
import type { NumericMetrics } from '../drift/numeric-drift.ts';
import { escapeHtml as e } from './html-escape.ts';
import {
  COLOURS,
  fmt,
  legend,
  line,
  linear,
  pct,
  rect,
  svgChart,
  text,
  ticks,
  truncate,
  yAxis,
} from './svg-chart.ts';

/** Distances the drift decision reads as p-values: the feature drifts when the value is BELOW the threshold. */
const P_VALUE_METRICS = new Set(['chiSquarePValue']);

/** Whether a feature's distance is a p-value (drift below the threshold) rather than a distance (drift above). */
export function isPValueDistance(f: Pick<FeatureDrift, 'distanceMetric'>): boolean {
  return f.distanceMetric !== null && P_VALUE_METRICS.has(f.distanceMetric);
}

/**
 * How far past its threshold a feature is, on one scale for every metric: 1 at the threshold,
 * above 1 drifted. Distances: distance / threshold. P-values: log p / log threshold (p = 1 gives 0,
 * smaller p more). `null` when the feature was not compared.
 */
export function severity(f: Pick<FeatureDrift, 'distance' | 'threshold' | 'distanceMetric'>): number | null {
  if (f.distance === null || f.threshold === null || !Number.isFinite(f.distance)) return null;
  if (isPValueDistance(f)) {
    if (!(f.threshold > 0 && f.threshold < 1)) return null;
    return Math.log(Math.max(f.distance, 1e-300)) / Math.log(f.threshold);
  }
  return f.threshold > 0 ? f.distance / f.threshold : null;
}

/**
 * The drift table's bar: the feature's distance on a scale shared by the table (0 to `max`),
 * with its threshold as a tick. Red past the threshold, blue below.
 */
export function distanceBar(f: FeatureDrift, max: number): string {
  const w = 150;
  const h = 18;
  const x = linear([0, max > 0 ? max : 1], [2, w - 4]);
  const colour = f.drifted ? COLOURS.drift : f.monitored ? COLOURS.current : COLOURS.baselineEdge;
  const d = f.distance;
  const label =
    d === null
      ? `${f.name}: not compared`
      : `${f.name}: ${f.distanceMetric ?? 'distance'} ${fmt(d)}, threshold ${fmt(f.threshold)}${isPValueDistance(f) ? ' (drift below)' : ''}`;
  let body = rect(2, 7, w - 6, 4, `fill="${COLOURS.grid}" rx="2"`);
  if (d !== null) body += rect(2, 4, Math.min(x(d), w - 4) - 2, 10, `fill="${colour}" rx="2"`, label);
  if (f.threshold !== null) {
    const t = x(f.threshold);
    body += line(t, 1, t, h - 1, `stroke="${COLOURS.threshold}" stroke-width="2"`);
  }
  return svgChart('distance', w, h, label, body);
}

const OVERLAY_W = 440;
const OVERLAY_H = 200;

function overlayLegend(drifted: boolean): string {
  return legend(44, 12, [
    { name: 'baseline', colour: COLOURS.baseline },
    { name: 'this window', colour: drifted ? COLOURS.drift : COLOURS.current },
  ]);
}

/**
 * A numeric feature's histogram on the baseline's bins. The bins are the baseline's deciles
 * (METRICS.md `binEdges`), so each holds about a tenth of the baseline: they are drawn as equal
 * slots, which makes the baseline flat and any departure of the window stand out, and the axis
 * names the edges. The outer bins are open; the axis ends show the smallest and largest values
 * seen on either side.
 */
export function numericOverlay(name: string, m: NumericMetrics, drifted: boolean): string {
  const b = m.binProportions.baseline;
  const c = m.binProportions.current;
  const n = Math.max(b.length, c.length, 1);
  const left = 44;
  const right = OVERLAY_W - 12;
  const top = 24;
  const bottom = OVERLAY_H - 34;
  const yMax = Math.max(0.01, ...b, ...c) * 1.12;
  const y = linear([0, yMax], [bottom, top]);
  const slot = (right - left) / n;
  const currentColour = drifted ? COLOURS.drift : COLOURS.current;
  const edges = m.binEdges;
  const lo = Math.min(m.min.baseline, m.min.current);
  const hi = Math.max(m.max.baseline, m.max.current);
  const binName = (i: number) =>
    `${i === 0 ? `[${fmt(lo)}` : `(${fmt(edges[i - 1])}`}, ${i === n - 1 ? `${fmt(hi)}]` : `${fmt(edges[i])}]`}`;

  let body = yAxis(ticks(0, yMax, 4), y, left, right, pct);
  for (let i = 0; i < n; i++) {
    const x0 = left + i * slot;
    const bv = b[i] ?? 0;
    const cv = c[i] ?? 0;
    const tip = `${name} ${binName(i)}: baseline ${pct(bv)}, this window ${pct(cv)}`;
    body += rect(x0 + 1.5, y(bv), slot - 3, bottom - y(bv), `fill="${COLOURS.baseline}"`, tip);
    body += rect(x0 + slot * 0.28, y(cv), slot * 0.44, bottom - y(cv), `fill="${currentColour}"`, tip);
  }
  body += line(left, bottom, right, bottom, `stroke="${COLOURS.muted}"`);
  // Edge labels; every other one when the slots are too narrow for all.
  const every = slot < 34 ? 2 : 1;
  edges.forEach((edge, i) => {
    if (i % every !== 0) return;
    const x = left + (i + 1) * slot;
    body += line(x, bottom, x, bottom + 4, `stroke="${COLOURS.muted}"`);
    body += text(x, bottom + 15, fmt(edge), 'class="tick" text-anchor="middle"');
  });
  body += text(left, bottom + 28, `min ${fmt(lo)}`, 'class="tick end"');
  body += text(right, bottom + 28, `max ${fmt(hi)}`, 'class="tick end" text-anchor="end"');
  body += overlayLegend(drifted);
  return svgChart(
    'distribution',
    OVERLAY_W,
    OVERLAY_H,
    `${name}: baseline and window histograms`,
    body,
    true,
  );
}

/** Categories drawn before the rest are summed into "other". */
export const TOP_CATEGORIES = 8;

/** The categories to draw: the largest on either side, then the rest summed as "other". */
export function topCategories(m: CategoricalMetrics): { name: string; baseline: number; current: number }[] {
  const all = m.categories.map((name, i) => ({
    name,
    baseline: m.proportions.baseline[i] ?? 0,
    current: m.proportions.current[i] ?? 0,
  }));
  all.sort((a, b) => Math.max(b.baseline, b.current) - Math.max(a.baseline, a.current));
  if (all.length <= TOP_CATEGORIES + 1) return all;
  const rest = all.slice(TOP_CATEGORIES);
  return [
    ...all.slice(0, TOP_CATEGORIES),
    {
      name: `other (${rest.length} categories)`,
      baseline: rest.reduce((s, r) => s + r.baseline, 0),
      current: rest.reduce((s, r) => s + r.current, 0),
    },
  ];
}

/** A categorical feature's shares, baseline and window side by side, one row per category. */
export function categoricalOverlay(name: string, m: CategoricalMetrics, drifted: boolean): string {
  const rows = topCategories(m);
  const rowH = 22;
  const top = 24;
  const labelW = 120;
  const right = OVERLAY_W - 78;
  const h = Math.max(120, top + rows.length * rowH + 22);
  const xMax = Math.max(0.01, ...rows.map((r) => Math.max(r.baseline, r.current)));
  const x = linear([0, xMax], [labelW, right]);
  const currentColour = drifted ? COLOURS.drift : COLOURS.current;
  const bottom = top + rows.length * rowH;
  let body = ticks(0, xMax, 4)
    .map(
      (t) =>
        line(x(t), top - 2, x(t), bottom, 'class="grid"') +
        text(x(t), bottom + 12, pct(t), 'class="tick" text-anchor="middle"'),
    )
    .join('');
  rows.forEach((r, i) => {
    const y0 = top + i * rowH;
    const tip = `${name} = ${r.name}: baseline ${pct(r.baseline)}, this window ${pct(r.current)}`;
    // The full value is in the title, for the reader who hovers a truncated name.
    body += `<g><title>${e(tip)}</title>${text(labelW - 6, y0 + 14, truncate(r.name, 18), 'class="label" text-anchor="end"')}</g>`;
    body += rect(labelW, y0 + 3, x(r.baseline) - labelW, 8, `fill="${COLOURS.baseline}"`, tip);
    body += rect(labelW, y0 + 11, x(r.current) - labelW, 8, `fill="${currentColour}"`, tip);
    body += text(
      Math.max(x(r.baseline), x(r.current)) + 4,
      y0 + 15,
      `${pct(r.baseline)} → ${pct(r.current)}`,
      'class="tick"',
    );
  });
  body += line(labelW, top - 2, labelW, bottom, `stroke="${COLOURS.muted}"`);
  body += overlayLegend(drifted);
  return svgChart('distribution', OVERLAY_W, h, `${name}: baseline and window category shares`, body, true);
}
