/**
 * The feature attribution charts of report.html: the window's nDCG against the 0.9 threshold,
 * and the features' global attributions in the baseline and in the window, ranked. Markup only;
 * see svg-chart.ts. Feature names are data: they reach the page only through `text` and `e`.
 */
import { rankFeatures } from '../attribution/global-attribution.ts';
import type { AttributionReport } from '../report/report-model.ts';
import { escapeHtml as e } from './html-escape.ts';
import { COLOURS, fmt, line, linear, rect, svgChart, text, truncate } from './svg-chart.ts';

/** Features drawn as bars: the table below them has every one. */
export const MAX_ATTRIBUTION_BARS = 20;

/** A feature's attributions, in the report's feature order. */
export interface AttributionRow {
  feature: string;
  baseline: number;
  window: number | null;
  /** 1-based places in each ranking (descending; ties keep the feature order). */
  baselineRank: number;
  windowRank: number | null;
}

/** A finite number, or `fallback` (a report read from a bucket may hold anything). */
const finite = (x: unknown, fallback = 0): number =>
  typeof x === 'number' && Number.isFinite(x) ? x : fallback;

/** The report's attributions as rows, ranked by the window's (by the baseline's without a window). */
export function attributionRows(a: AttributionReport): AttributionRow[] {
  const features = Object.keys(a.baseline);
  const base = features.map((f) => finite(a.baseline[f]));
  const win =
    a.window === null ? null : features.map((f) => finite(Object.hasOwn(a.window!, f) ? a.window![f] : 0));
  const baseRank = new Array<number>(features.length);
  rankFeatures(base).forEach((i, k) => {
    baseRank[i] = k + 1;
  });
  const winRank = new Array<number>(features.length);
  if (win !== null)
    rankFeatures(win).forEach((i, k) => {
      winRank[i] = k + 1;
    });
  const rows = features.map((feature, i) => ({
    feature,
    baseline: base[i]!,
    window: win === null ? null : win[i]!,
    baselineRank: baseRank[i]!,
    windowRank: win === null ? null : winRank[i]!,
  }));
  return rows.sort((x, y) => (x.windowRank ?? x.baselineRank) - (y.windowRank ?? y.baselineRank));
}

/** The nDCG on a 0 to 1 axis: the drift zone below the threshold shaded, the value as a dot. */
export function ndcgChart(ndcg: number, threshold: number, drifted: boolean): string {
  const w = 520;
  const h = 64;
  const left = 16;
  const right = w - 16;
  const axisY = 34;
  const x = linear([0, 1], [left, right]);
  const label = `nDCG ${fmt(ndcg)} against the threshold ${fmt(threshold)}${drifted ? ': below, drifted' : ': at or above, held'}`;
  let body = [0, 0.25, 0.5, 0.75, 1]
    .map((t) => text(x(t), axisY + 22, fmt(t), 'class="tick" text-anchor="middle"'))
    .join('');
  body += rect(
    x(0),
    axisY - 10,
    x(threshold) - x(0),
    20,
    `fill="${COLOURS.drift}" fill-opacity="0.08"`,
    `below ${fmt(threshold)}: the ranking drifted`,
  );
  body += line(left, axisY, right, axisY, `stroke="${COLOURS.muted}"`);
  body += line(
    x(threshold),
    axisY - 14,
    x(threshold),
    axisY + 14,
    `stroke="${COLOURS.threshold}" stroke-dasharray="3 2"`,
  );
  body += text(x(threshold), axisY - 18, `threshold ${fmt(threshold)}`, 'class="tick" text-anchor="middle"');
  const v = Math.min(1, Math.max(0, finite(ndcg)));
  body += `<circle cx="${x(v).toFixed(1)}" cy="${axisY}" r="6" fill="${drifted ? COLOURS.drift : COLOURS.current}"><title>${e(label)}</title></circle>`;
  return svgChart('attribution-ndcg', w, h, label, body, true);
}

/**
 * The global attribution of each feature, the baseline's bar above the window's, in the
 * window's ranking order (the baseline's without a window), each with its value and places.
 */
export function attributionBars(rows: readonly AttributionRow[]): string {
  const shown = rows.slice(0, MAX_ATTRIBUTION_BARS);
  const w = 560;
  const rowH = 34;
  const top = 8;
  const labelW = 170;
  const right = w - 110;
  const h = top + shown.length * rowH + 22;
  const max = Math.max(1e-12, ...shown.flatMap((r) => [Math.abs(r.baseline), Math.abs(r.window ?? 0)]));
  const x = linear([0, max], [labelW, right]);
  let body = '';
  shown.forEach((r, i) => {
    const y0 = top + i * rowH;
    const title = `${r.feature}: baseline ${fmt(r.baseline)} (#${r.baselineRank}), window ${fmt(r.window)}${r.windowRank === null ? '' : ` (#${r.windowRank})`}`;
    body += `<g><title>${e(title)}</title>`;
    body += text(labelW - 6, y0 + 19, truncate(r.feature, 26), 'class="label" text-anchor="end"');
    const b = Math.abs(r.baseline);
    body += rect(
      labelW,
      y0 + 4,
      x(b) - labelW,
      11,
      `fill="${COLOURS.baseline}" stroke="${COLOURS.baselineEdge}" rx="2"`,
    );
    body += text(x(b) + 6, y0 + 13, `${fmt(r.baseline)} (#${r.baselineRank})`, 'class="tick"');
    if (r.window !== null) {
      const v = Math.abs(r.window);
      const moved = r.windowRank !== r.baselineRank;
      body += rect(
        labelW,
        y0 + 17,
        x(v) - labelW,
        11,
        `fill="${moved ? COLOURS.warn : COLOURS.current}" rx="2"`,
      );
      body += text(x(v) + 6, y0 + 26, `${fmt(r.window)} (#${r.windowRank})`, 'class="tick"');
    }
    body += '</g>';
  });
  const base = top + shown.length * rowH;
  body += line(labelW, base, right, base, `stroke="${COLOURS.muted}"`);
  body += text(
    labelW,
    base + 14,
    'global attribution: baseline (grey) and window (blue; orange where its place changed)',
    'class="tick"',
  );
  return svgChart(
    'attribution-bars',
    w,
    h,
    'global feature attributions, baseline against window, ranked',
    body,
    true,
  );
}
