/**
 * The charts of index.html: values over a run of windows, each point a link to its window's
 * report.html. Windows sit at equal steps in time order (as the heat map's columns do, so the
 * charts line up with it); the axis names their start times. Markup only; see svg-chart.ts.
 *
 * At production scale (two weeks of hourly windows, 336) a marker per point would be a wall of
 * dots and megabytes of markup: past {@link DENSE_WINDOWS} windows the lines are drawn bare and
 * only the points that matter (drifted, violating) are marked and linked; the axis is labelled
 * at round times that fit (hours, then days, then weeks); the heat map merges windows into
 * columns wide enough to see and point at.
 */
import { escapeHtml as e } from './html-escape.ts';
import { windowText } from './report-html.ts';
import {
  COLOURS,
  fmt,
  legend,
  line,
  linear,
  link,
  polyline,
  px,
  rect,
  svgChart,
  text,
  ticks,
  truncate,
  yAxis,
} from './svg-chart.ts';

/** One window on the time axis. */
export interface TrendWindow {
  /** Short name (`05:00`, `11-26 05:00`), for text that points at the window. */
  label: string;
  /** The window's start and end (ISO-8601), when known: the axis is labelled from them. */
  start: string | null;
  end: string | null;
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

/**
 * Past this many windows a chart draws its lines without a marker per point: only the drifted
 * and violating points are marked (and linked); the heat map and the windows table link the rest.
 */
export const DENSE_WINDOWS = 48;

/** The width of a tick label's character, in chart units: the 10px tick font's digits (DejaVu Sans, 0.64 em). */
const TICK_CHAR = 6.4;
/** Room kept between two axis labels, in chart units. */
const LABEL_GAP = 8;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 1970-01-05, the first Monday of the epoch: weeks start on Mondays. */
const MONDAY = 4 * DAY;
/** The label steps, finest first: hours, then days, then weeks. */
const LABEL_STEPS = [
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  28 * DAY,
];

/** An x-axis label: under window `i`, reading `text`. */
export interface AxisLabel {
  i: number;
  text: string;
}

const two = (n: number) => String(n).padStart(2, '0');
const dayText = (t: number) => {
  const d = new Date(t);
  return `${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}`;
};
const hourText = (t: number) => {
  const d = new Date(t);
  return `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
};

/**
 * The x-axis labels that fit between `x0` and `x1`, none overlapping another. With window
 * starts, labels sit at round times, the finest step whose labels fit: every hour or few hours
 * (`05:00`, and the day, `11-26`, at midnight), else every day or two (`11-26`), else every week
 * (Mondays) or more; without them (a run over a whole folder), at every window that fits. Each
 * label is kept only when it clears the one before it by its estimated width.
 */
export function axisLabels(
  windows: readonly TrendWindow[],
  x: (i: number) => number,
  x0: number,
  x1: number,
): AxisLabel[] {
  const n = windows.length;
  const starts = windows.map((w) => (w.start === null ? Number.NaN : Date.parse(w.start)));
  let candidates: AxisLabel[];
  if (n === 0) return [];
  if (starts.some((t) => Number.isNaN(t))) candidates = windows.map((w, i) => ({ i, text: w.label }));
  else {
    const band = (x1 - x0) / n;
    const gaps = starts
      .slice(1)
      .map((t, i) => t - starts[i]!)
      .filter((d) => d > 0)
      .sort((a, b) => a - b);
    const typical = gaps[Math.floor(gaps.length / 2)] ?? HOUR;
    const room = 5 * TICK_CHAR + LABEL_GAP;
    const step = LABEL_STEPS.find((s) => Math.max(1, s / typical) * band >= room) ?? LABEL_STEPS.at(-1)!;
    const offset = step >= 7 * DAY ? MONDAY : 0;
    const bucket = (t: number) => Math.floor((t - offset) / step);
    const multiDay = Math.floor(starts[0]! / DAY) !== Math.floor(starts[n - 1]! / DAY);
    candidates = [];
    starts.forEach((t, i) => {
      const first = i === 0 ? (t - offset) % step === 0 : bucket(t) !== bucket(starts[i - 1]!);
      if (!first) return;
      const newDay = i === 0 ? t % DAY === 0 : Math.floor(t / DAY) !== Math.floor(starts[i - 1]! / DAY);
      const text = step >= DAY || (multiDay && newDay) ? dayText(t) : hourText(t);
      candidates.push({ i, text });
    });
  }
  const shown: AxisLabel[] = [];
  let right = Number.NEGATIVE_INFINITY;
  for (const c of candidates) {
    const half = (Array.from(c.text).length * TICK_CHAR) / 2;
    if (x(c.i) - half < right + LABEL_GAP) continue;
    shown.push(c);
    right = x(c.i) + half;
  }
  return shown;
}

/** The x-axis labels as marks, at `y`. */
function xLabels(
  windows: readonly TrendWindow[],
  x: (i: number) => number,
  y: number,
  x0: number,
  x1: number,
): string {
  return axisLabels(windows, x, x0, x1)
    .map((l) => text(x(l.i), y, l.text, 'class="tick x" text-anchor="middle"'))
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
  body += xLabels(windows, x, bottom + 14, left, right);
  if (options.threshold) {
    const t = y(options.threshold.value);
    body += line(left, t, right, t, `stroke="${COLOURS.drift}" stroke-width="1.5" stroke-dasharray="6 4"`);
    body += text(right, t - 4, options.threshold.label, 'class="tick thr" text-anchor="end"');
  }
  const dense = windows.length > DENSE_WINDOWS;
  for (const s of series) {
    const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
    const points = polyline(
      s.values.map((v, i) => [x(i), v === null || !Number.isFinite(v) ? null : y(v)] as const),
      `fill="none" stroke="${s.colour}" stroke-width="${dense ? 1.5 : 2}"${dash}`,
    );
    body += dense ? `<g><title>${e(s.name)}</title>${points}</g>` : points;
    s.values.forEach((v, i) => {
      if (v === null || !Number.isFinite(v)) return;
      const alarm = s.alarms?.[i] === true;
      if (dense && !alarm) return;
      const win = windows[i]!;
      const tip = `${win.name}: ${s.name} ${format(v)}${alarm ? ' (drifted)' : ''}`;
      const r = dense ? 2.5 : alarm ? 5 : 4;
      const mark = `<circle cx="${x(i).toFixed(1)}" cy="${y(v).toFixed(1)}" r="${r}" fill="${alarm ? COLOURS.drift : s.dashed ? '#fff' : s.colour}" stroke="${alarm ? COLOURS.drift : s.colour}" stroke-width="1.5"><title>${e(tip)}</title></circle>`;
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
  if (windows.length > DENSE_WINDOWS) {
    // One path per stack: hundreds of bars, each too thin to point at (the table has the numbers).
    const paths = stacks.map(() => [] as string[]);
    windows.forEach((_, i) => {
      let acc = 0;
      stacks.forEach((st, k) => {
        const v = st.values[i] ?? 0;
        if (v > 0)
          paths[k]!.push(`M${px(x(i) - barW / 2)} ${px(y(acc + v))}h${px(barW)}V${px(y(acc))}h${px(-barW)}z`);
        acc += v;
      });
    });
    stacks.forEach((st, k) => {
      if (paths[k]!.length)
        body += `<path d="${paths[k]!.join('')}" fill="${st.colour}"><title>${e(st.name)}</title></path>`;
    });
  } else
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
  body += xLabels(windows, x, bottom + 14, left, right);
  body += legend(left, 14, stacks);
  return svgChart(kind, width, height, label, body, true);
}

/** One cell of the heat map: a feature in a window (or the worst of a few, when merged). */
export interface HeatCell {
  severity: number | null;
  drifted: boolean;
  tip: string;
  value?: number | null;
  /** The cell's link when not its column's window's (a merged column links each row's worst window). */
  href?: string | null;
}

/** One row of the heat map: a feature, and its severity (1 = at the threshold) per window. */
export interface HeatRow {
  name: string;
  cells: readonly (HeatCell | null)[];
}

/** The narrowest heat-map column worth drawing, in chart units: narrower, windows share a column. */
const MIN_HEAT_CELL = 12;
/** How many windows a heat-map column may merge: round numbers of hours. */
const HEAT_MERGES = [1, 2, 3, 4, 6, 8, 12, 24, 48, 72, 168];

/** Heat-map columns: each the windows it merges (one, unless there are too many to draw). */
export interface HeatColumns {
  windows: TrendWindow[];
  rows: HeatRow[];
  /** The most windows one column merges. */
  merged: number;
}

/**
 * Merges windows into at most about `maxColumns` columns: runs of a round number of windows,
 * aligned to the clock when the windows have starts (six-hour columns start at 00:00, 06:00 and
 * so on). A merged cell shows its row's worst window (highest severity), links to it and says
 * how many of the column's windows drifted.
 */
export function mergeHeatColumns(
  windows: readonly TrendWindow[],
  rows: readonly HeatRow[],
  maxColumns: number,
): HeatColumns {
  const n = windows.length;
  if (n <= maxColumns) return { windows: [...windows], rows: [...rows], merged: 1 };
  const want = n / Math.max(1, maxColumns);
  const per = HEAT_MERGES.find((m) => m >= want) ?? Math.ceil(want / 168) * 168;
  const starts = windows.map((w) => (w.start === null ? Number.NaN : Date.parse(w.start)));
  const timed = !starts.some((t) => Number.isNaN(t));
  const gaps = starts
    .slice(1)
    .map((t, i) => t - starts[i]!)
    .filter((d) => d > 0)
    .sort((a, b) => a - b);
  const span = per * (gaps[Math.floor(gaps.length / 2)] ?? 1);
  const key = (i: number) => (timed ? Math.floor(starts[i]! / span) : Math.floor(i / per));
  const groups: number[][] = [];
  for (let i = 0; i < n; i++) {
    const last = groups.at(-1);
    if (last !== undefined && key(last[0]!) === key(i)) last.push(i);
    else groups.push([i]);
  }
  const columns = groups.map((g): TrendWindow => {
    const first = windows[g[0]!]!;
    const last = windows[g.at(-1)!]!;
    if (g.length === 1) return first;
    return {
      label: first.label,
      start: first.start,
      end: last.end,
      name: `${windowText({ start: first.start, end: last.end })}, ${g.length} windows`,
      href: last.href,
    };
  });
  const merged = rows.map((row) => ({
    name: row.name,
    cells: groups.map((g, c): HeatCell | null => {
      const cells = g.flatMap((i) => {
        const cell = row.cells[i];
        return cell ? [{ cell, i }] : [];
      });
      if (cells.length === 0) return null;
      if (g.length === 1) return cells[0]!.cell;
      const worst = cells.reduce((a, b) => ((b.cell.severity ?? -1) > (a.cell.severity ?? -1) ? b : a));
      const drifted = cells.filter((x) => x.cell.drifted).length;
      return {
        severity: worst.cell.severity,
        drifted: worst.cell.drifted,
        value: worst.cell.value ?? null,
        href: worst.cell.href ?? windows[worst.i]!.href,
        tip: `${worst.cell.tip} (the worst of ${columns[c]!.name}; ${drifted} drifted)`,
      };
    }),
  }));
  return { windows: columns, rows: merged, merged: Math.max(...groups.map((g) => g.length)) };
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

/**
 * Features (rows) by windows (columns), each cell coloured by how far past its threshold it is
 * and linked to the window. Too many windows for columns of {@link MIN_HEAT_CELL} units share
 * columns (see mergeHeatColumns).
 */
export function driftHeatmap(
  allWindows: readonly TrendWindow[],
  allRows: readonly HeatRow[],
  width = 1080,
): string {
  const labelW = 160;
  const top = 30;
  const cellH = 22;
  const room = width - labelW - 10;
  const { windows, rows, merged } = mergeHeatColumns(allWindows, allRows, Math.floor(room / MIN_HEAT_CELL));
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
  if (merged > 1)
    body += text(
      width - 10,
      14,
      `a column: up to ${merged} windows, the worst shown`,
      'class="tick" text-anchor="end"',
    );
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
      body += cell === null ? mark : link(cell.href ?? win.href, `<g>${mark}</g>`);
    });
  });
  const centre = windowX(windows.length, labelW, labelW + cellW * windows.length);
  body += xLabels(windows, centre, top + rows.length * cellH + 14, labelW, labelW + cellW * windows.length);
  return svgChart('heatmap', width, h, 'drift by feature and window', body, true);
}
