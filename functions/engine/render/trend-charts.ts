/**
 * The charts of index.html: values over a run of windows, each point a link to its window's
 * report.html. Windows sit at equal steps in time order (as the heat map's columns do, so the
 * charts line up with it); the axis names their start times. Markup only; see svg-chart.ts.
 */
import { escapeHtml as e } from './html-escape.ts';
import {
  COLOURS,
  fmt,
  legend,
  line,
  linear,
  link,
  polyline,
  rect,
  svgChart,
  text,
  ticks,
  truncate,
  yAxis,
} from './svg-chart.ts';

/** One window on the time axis. */
export interface TrendWindow {
  /** Axis label (`05:00`). */
  label: string;
  /** Full name for tooltips (`2026-11-26 05:00 UTC`). */
  name: string;
  /** URL-encoded relative link to the window's report.html; `null` when it has none. */
  href: string | null;
}

/** One line of a chart: a value per window, `null` where the window has none. */
export interface TrendSeries {
  name: string;
  colour: string;
  values: readonly (number | null)[];
  dashed?: boolean;
  /** Windows whose point is drawn in the alarm colour (a drifted window). */
  alarms?: readonly boolean[];
}

export interface LineChartOptions {
  width?: number;
  height?: number;
  /** Lowest and highest y; from the data (and 0) when absent. */
  yDomain?: [number, number];
  /** A horizontal reference line (the threshold). */
  threshold?: { value: number; label: string };
  yFormat?: (v: number) => string;
  /** Draw a legend of the series (off for single-series charts). */
  showLegend?: boolean;
  /** What the y axis measures, written above it. */
  yCaption?: string;
}

/** X of window `i` of `n`: the middle of its equal band between `x0` and `x1`. */
function windowX(n: number, x0: number, x1: number): (i: number) => number {
  const band = (x1 - x0) / Math.max(1, n);
  return (i) => x0 + (i + 0.5) * band;
}

/** Axis labels under the windows, thinned so they do not overlap (the last one kept when it fits). */
function xLabels(windows: readonly TrendWindow[], x: (i: number) => number, y: number, room: number): string {
  const every = Math.ceil(windows.length / Math.max(1, Math.floor(room / 52)));
  const last = windows.length - 1;
  const shown = (i: number) => i % every === 0 || (i === last && last % every >= every * 0.6);
  return windows
    .map((w, i) => (shown(i) ? text(x(i), y, w.label, 'class="tick" text-anchor="middle"') : ''))
    .join('');
}

/** Values over windows: one line per series, each point a link to its window's report. */
export function trendLineChart(
  kind: string,
  label: string,
  windows: readonly TrendWindow[],
  series: readonly TrendSeries[],
  options: LineChartOptions = {},
): string {
  const w = options.width ?? 520;
  const h = options.height ?? 200;
  const format = options.yFormat ?? fmt;
  const left = 44;
  const right = w - 14;
  const top = options.showLegend || options.yCaption ? 26 : 12;
  const bottom = h - 22;
  const all = series.flatMap((s) => s.values.filter((v): v is number => v !== null && Number.isFinite(v)));
  if (options.threshold) all.push(options.threshold.value);
  const lo = options.yDomain?.[0] ?? Math.min(0, ...all);
  const hiData = options.yDomain?.[1] ?? Math.max(...all, lo + 1e-9) * 1.15;
  const hi = hiData > lo ? hiData : lo + 1;
  const y = linear([lo, hi], [bottom, top]);
  const x = windowX(windows.length, left, right);

  let body = yAxis(ticks(lo, hi, 4), y, left, right, format);
  if (options.yCaption) body += text(left - 30, 12, options.yCaption, 'class="tick"');
  body += line(left, bottom, right, bottom, `stroke="${COLOURS.muted}"`);
  body += xLabels(windows, x, bottom + 14, right - left);
  if (options.threshold) {
    const t = y(options.threshold.value);
    body += line(left, t, right, t, `stroke="${COLOURS.drift}" stroke-width="1.5" stroke-dasharray="6 4"`);
    body += text(right, t - 4, options.threshold.label, 'class="tick thr" text-anchor="end"');
  }
  for (const s of series) {
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    body += polyline(
      s.values.map((v, i) => [x(i), v === null || !Number.isFinite(v) ? null : y(v)] as const),
      `fill="none" stroke="${s.colour}" stroke-width="2"${dash}`,
    );
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      const win = windows[i]!;
      const alarm = s.alarms?.[i] === true;
      const tip = `${win.name}: ${s.name} ${format(v)}${alarm ? ' (drifted)' : ''}`;
      const mark = `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${alarm ? 5 : 4}" fill="${alarm ? COLOURS.drift : s.dashed ? '#fff' : s.colour}" stroke="${alarm ? COLOURS.drift : s.colour}" stroke-width="1.5"><title>${e(tip)}</title></circle>`;
      body += link(win.href, mark);
    });
  }
  if (options.showLegend)
    body += legend(
      left,
      14,
      series.map((s) => ({ name: s.name, colour: s.colour, dashed: s.dashed })),
    );
  return svgChart(kind, w, h, label, body, true);
}

/** Stacked bars over windows (records profiled and rejected), each bar a link to its window's report. */
export function trendStackedBars(
  kind: string,
  label: string,
  windows: readonly TrendWindow[],
  stacks: readonly { name: string; colour: string; values: readonly number[] }[],
  width = 520,
  height = 200,
): string {
  const left = 52;
  const right = width - 14;
  const top = 26;
  const bottom = height - 22;
  const totals = windows.map((_, i) => stacks.reduce((s, st) => s + (st.values[i] ?? 0), 0));
  const hi = Math.max(1, ...totals) * 1.1;
  const y = linear([0, hi], [bottom, top]);
  const x = windowX(windows.length, left, right);
  const barW = Math.max(2, Math.min(36, ((right - left) / Math.max(1, windows.length)) * 0.6));
  let body = yAxis(ticks(0, hi, 4), y, left, right, fmt);
  windows.forEach((win, i) => {
    let acc = 0;
    let bars = '';
    for (const st of stacks) {
      const v = st.values[i] ?? 0;
      bars += rect(
        x(i) - barW / 2,
        y(acc + v),
        barW,
        y(acc) - y(acc + v),
        `fill="${st.colour}"`,
        `${win.name}: ${fmt(v)} ${st.name}`,
      );
      acc += v;
    }
    body += link(win.href, `<g>${bars}</g>`);
  });
  body += line(left, bottom, right, bottom, `stroke="${COLOURS.muted}"`);
  body += xLabels(windows, x, bottom + 14, right - left);
  body += legend(left, 14, stacks);
  return svgChart(kind, width, height, label, body, true);
}

/** One row of the heat map: a feature, and its severity (1 = at the threshold) per window. */
export interface HeatRow {
  name: string;
  cells: readonly ({
    severity: number | null;
    drifted: boolean;
    tip: string;
    value?: number | null;
  } | null)[];
}

/** Colour of a heat-map cell: grey-blue to amber below the threshold, light to deep red past it. */
function heatColour(cell: { severity: number | null; drifted: boolean } | null): string {
  if (cell === null) return '#ffffff';
  if (cell.severity === null) return '#f3f4f6';
  const mix = (a: readonly number[], b: readonly number[], t: number) =>
    `rgb(${a.map((v, i) => Math.round(v + (b[i]! - v) * Math.max(0, Math.min(1, t)))).join(',')})`;
  if (!cell.drifted) return mix([226, 232, 240], [253, 224, 138], cell.severity);
  return mix([252, 165, 165], [153, 27, 27], (cell.severity - 1) / 2);
}

/** Features (rows) by windows (columns), each cell coloured by how far past its threshold it is and linked to the window. */
export function driftHeatmap(
  windows: readonly TrendWindow[],
  rows: readonly HeatRow[],
  width = 1080,
): string {
  const labelW = 160;
  const top = 30;
  const cellH = 22;
  const room = width - labelW - 10;
  const cellW = Math.max(2, Math.min(72, room / Math.max(1, windows.length)));
  const h = top + rows.length * cellH + 24;
  const x = (i: number) => labelW + i * cellW;
  let body = legend(labelW, 14, [
    { name: 'far below threshold', colour: heatColour({ severity: 0, drifted: false }) },
    { name: 'near threshold', colour: heatColour({ severity: 0.9, drifted: false }) },
    { name: 'drifted', colour: heatColour({ severity: 1, drifted: true }) },
    { name: '3× past threshold', colour: heatColour({ severity: 3, drifted: true }) },
    { name: 'not compared', colour: heatColour({ severity: null, drifted: false }) },
  ]);
  rows.forEach((row, r) => {
    const y0 = top + r * cellH;
    body += `<g><title>${e(row.name)}</title>${text(labelW - 8, y0 + 15, truncate(row.name, 24), 'class="label" text-anchor="end"')}</g>`;
    row.cells.forEach((cell, i) => {
      const win = windows[i]!;
      let mark = rect(
        x(i) + 1,
        y0 + 1,
        cellW - 2,
        cellH - 2,
        `fill="${heatColour(cell)}" rx="2"`,
        cell?.tip ?? `${win.name}: no data`,
      );
      // The value itself where the cell has room for it.
      if (cell?.value !== undefined && cell.value !== null && cellW >= 40)
        mark += text(
          x(i) + cellW / 2,
          y0 + 15,
          fmt(cell.value),
          `class="tick${cell.drifted && (cell.severity ?? 0) > 1.6 ? ' on-dark' : ''}" text-anchor="middle"`,
        );
      body += cell === null ? mark : link(win.href, `<g>${mark}</g>`);
    });
  });
  const centre = windowX(windows.length, labelW, labelW + cellW * windows.length);
  body += xLabels(windows, centre, top + rows.length * cellH + 14, cellW * windows.length);
  return svgChart('heatmap', width, h, 'drift by feature and window', body, true);
}
