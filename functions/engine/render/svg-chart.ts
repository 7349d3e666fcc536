/**
 * Plain SVG chart primitives for report.html and index.html, drawn server-side as text.
 *
 * Why no charting library: the pages must open from S3, from disk and offline, under a CSP that
 * allows no script but the table sorter. Server-side SVG needs zero dependencies, no script to
 * render, no data serialised into JavaScript (so nothing to escape for a JS context: every value
 * goes through escapeHtml into markup), and a chart is visible even in a mail client or a viewer
 * with scripts off. The charts here are few and simple (bars, lines, a heat map), which a
 * hundred lines of scales and marks cover.
 *
 * Every function returns markup whose text and attribute values are escaped; callers never have
 * to escape what comes back.
 */
import { escapeHtml as e } from './html-escape.ts';

/** Colours shared by both pages (and the CSS in report-html.ts). */
export const COLOURS = {
  ink: '#1f2937',
  muted: '#6b7280',
  grid: '#e5e7eb',
  baseline: '#cbd5e1',
  baselineEdge: '#94a3b8',
  current: '#2563eb',
  drift: '#dc2626',
  ok: '#16a34a',
  warn: '#d97706',
  threshold: '#111827',
} as const;

/** Series colours for multi-line charts, in order. */
export const SERIES_COLOURS = ['#2563eb', '#db2777', '#059669', '#d97706', '#7c3aed', '#0891b2'] as const;

/**
 * A number as people read it: 3 significant digits, exponents only for very small or large
 * values, `–` for null. The result is plain text; it is still escaped where it is placed.
 */
export function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined) return '–';
  // A report.json read from a bucket may hold anything where a number belongs: show it as text.
  if (typeof x !== 'number') return String(x);
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a < 1e-4 || a >= 1e9) return x.toExponential(digits - 1).replace(/\.?0+e/, 'e');
  if (a >= 10 ** digits) return Math.round(x).toLocaleString('en-US');
  return String(Number(x.toPrecision(digits)));
}

/** A share as a percentage: `60%`, `4.5%`, `0.1%`. */
export function pct(x: number | null | undefined): string {
  if (x === null || x === undefined) return '–';
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return '–';
  const p = x * 100;
  if (p === 0) return '0%';
  return `${Math.abs(p) < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

/** A whole count with thousands separators. */
export function count(n: number): string {
  return typeof n === 'number' && Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

/** At most `max` characters (by code point, so no surrogate pair is cut), with an ellipsis. */
export function truncate(s: string, max: number): string {
  const chars = Array.from(String(s));
  return chars.length <= max ? String(s) : `${chars.slice(0, max - 1).join('')}…`;
}

/** A linear map from `domain` to `range`; a zero-width domain maps to the range's middle. */
export function linear(domain: readonly [number, number], range: readonly [number, number]) {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  if (d1 === d0) return () => (r0 + r1) / 2;
  return (x: number) => r0 + ((x - d0) / (d1 - d0)) * (r1 - r0);
}

/** About `n` round tick values covering [lo, hi] (1, 2 or 5 times a power of ten apart). */
export function ticks(lo: number, hi: number, n = 4): number[] {
  if (!(hi > lo) || !Number.isFinite(lo) || !Number.isFinite(hi)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step)
    out.push(Number(t.toPrecision(12)));
  return out;
}

/** Coordinates rounded to 0.1 px: shorter markup, the same picture. */
export function px(x: number): string {
  return Number.isFinite(x) ? String(Math.round(x * 10) / 10) : '0';
}

/**
 * The chart element. `kind` names the chart for tests (`data-chart`); `label` is its accessible
 * name; a `fluid` chart stretches to its container's width (its text scales with it).
 */
export function svgChart(
  kind: string,
  width: number,
  height: number,
  label: string,
  body: string,
  fluid = false,
): string {
  return `<svg class="chart${fluid ? ' fluid' : ''}" data-chart="${e(kind)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${e(label)}">${body}</svg>`;
}

/** A text mark; `s` is escaped. */
export function text(x: number, y: number, s: string, attrs = ''): string {
  return `<text x="${px(x)}" y="${px(y)}"${attrs ? ` ${attrs}` : ''}>${e(s)}</text>`;
}

/** A rectangle; negative sizes are drawn as zero. */
export function rect(x: number, y: number, w: number, h: number, attrs: string, title?: string): string {
  const body = title === undefined ? '' : `<title>${e(title)}</title>`;
  return `<rect x="${px(x)}" y="${px(y)}" width="${px(Math.max(0, w))}" height="${px(Math.max(0, h))}" ${attrs}>${body}</rect>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, attrs: string): string {
  return `<line x1="${px(x1)}" y1="${px(y1)}" x2="${px(x2)}" y2="${px(y2)}" ${attrs}/>`;
}

/** A polyline through the points (`null` y values split it into pieces). */
export function polyline(points: readonly (readonly [number, number | null])[], attrs: string): string {
  const pieces: string[][] = [[]];
  for (const [x, y] of points) {
    if (y === null) pieces.push([]);
    else pieces.at(-1)!.push(`${px(x)},${px(y)}`);
  }
  return pieces
    .filter((p) => p.length > 0)
    .map((p) =>
      p.length === 1
        ? `<polyline points="${p[0]} ${p[0]}" ${attrs}/>`
        : `<polyline points="${p.join(' ')}" ${attrs}/>`,
    )
    .join('');
}

/** Wraps a mark in a link; `href` is escaped here (callers pass it already URL-encoded). */
export function link(href: string | null, body: string): string {
  return href === null ? body : `<a href="${e(href)}">${body}</a>`;
}

/** A horizontal value axis: grid lines and labels at `values` for the y scale `y`. */
export function yAxis(
  values: readonly number[],
  y: (v: number) => number,
  x0: number,
  x1: number,
  label: (v: number) => string = fmt,
): string {
  return values
    .map(
      (v) =>
        line(x0, y(v), x1, y(v), `class="grid"`) +
        text(x0 - 4, y(v) + 3, label(v), 'class="tick" text-anchor="end"'),
    )
    .join('');
}

/** A legend: coloured swatches with names, laid out left to right from (x, y). */
export function legend(
  x: number,
  y: number,
  items: readonly { name: string; colour: string; dashed?: boolean }[],
) {
  let at = x;
  return items
    .map((it) => {
      const swatch = it.dashed
        ? line(at, y - 3, at + 14, y - 3, `stroke="${it.colour}" stroke-width="2" stroke-dasharray="4 2"`)
        : rect(at, y - 8, 14, 8, `fill="${it.colour}" rx="1.5"`);
      const out = swatch + text(at + 18, y, it.name, 'class="tick"');
      at += 26 + Array.from(it.name).length * 5.6;
      return out;
    })
    .join('');
}
