/**
 * index.html over many windows: what drifted, how far, and since when. Per feature, the drift
 * distance over time against its threshold; the dataset drift share; model quality; records per
 * window. Every point links to its window's report.html. Self-contained like report.html (same
 * CSP, same stylesheet, plain SVG); every value from the reports is escaped.
 */

import type { FeatureDrift } from '../drift/compare.ts';
import type { Report } from '../report/report-model.ts';
import { isPValueDistance, severity } from './drift-charts.ts';
import { escapeHtml as e } from './html-escape.ts';
import { featureOrder, htmlPage, type ReportContext, timeText, windowText } from './report-html.ts';
import { COLOURS, count, fmt, pct, SERIES_COLOURS, truncate } from './svg-chart.ts';
import {
  DENSE_WINDOWS,
  driftHeatmap,
  type HeatRow,
  type TrendSeries,
  type TrendWindow,
  trendLineChart,
  trendStackedBars,
} from './trend-charts.ts';

/** One window of the index: its report, and the link to its report.html relative to index.html. */
export interface TrendInput {
  /** Relative path from index.html to the window's report.html, `/`-separated (encoded here). */
  path: string;
  report: Report;
}

/** Orders windows by start (windows without one first), then by end, then by path. */
export function byWindowStart(a: TrendInput, b: TrendInput): number {
  const key = (t: TrendInput) => [t.report.window.start ?? '', t.report.window.end ?? '', t.path] as const;
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

/** A relative path as an href: each segment percent-encoded, so no name can become a scheme or break out. */
export function relativeHref(path: string): string {
  return path
    .split('/')
    .map((seg) => (seg === '.' || seg === '..' ? seg : encodeURIComponent(seg)))
    .join('/');
}

/** Where a feature's drift stands in the latest window, and since when. */
export interface DriftStreak {
  name: string;
  /** Drifted in the latest window. */
  driftedNow: boolean;
  /** Index of the first window of the run of drifted windows that ends at the latest. */
  since: number | null;
  /** Index of the last drifted window, when any. */
  lastDrifted: number | null;
}

/** For each feature, whether it drifts in the latest window and since which window. */
export function driftStreaks(windows: readonly TrendInput[]): DriftStreak[] {
  const names = featureNames(windows);
  return names.map((name) => {
    let since: number | null = null;
    let lastDrifted: number | null = null;
    windows.forEach((w, i) => {
      const drifted = w.report.features.find((f) => f.name === name)?.drifted === true;
      if (drifted) {
        lastDrifted = i;
        since ??= i;
      } else since = null;
    });
    const driftedNow = windows.length > 0 && lastDrifted === windows.length - 1;
    return { name, driftedNow, since: driftedNow ? since : null, lastDrifted };
  });
}

/** Every feature name, in order of first appearance. */
function featureNames(windows: readonly TrendInput[]): string[] {
  const seen = new Set<string>();
  for (const w of windows) for (const f of w.report.features) seen.add(f.name);
  return [...seen];
}

function axisWindows(windows: readonly TrendInput[]): TrendWindow[] {
  const starts = windows.map((w) =>
    w.report.window.start === null ? null : timeText(w.report.window.start),
  );
  const oneDay = new Set(starts.map((s) => s?.slice(0, 10) ?? '')).size <= 1;
  return windows.map((w, i) => {
    const s = starts[i];
    return {
      label: s === null || s === undefined ? `#${i + 1}` : oneDay ? s.slice(11) : s.slice(5),
      start: w.report.window.start,
      end: w.report.window.end,
      name: windowText(w.report.window),
      href: relativeHref(w.path),
    };
  });
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function latestVerdict(
  windows: readonly TrendInput[],
  axis: readonly TrendWindow[],
  streaks: readonly DriftStreak[],
): string {
  const last = windows.at(-1)!;
  const lastAxis = axis.at(-1)!;
  const dd = last.report.datasetDrift;
  const now = streaks.filter((s) => s.driftedNow);
  const features = new Map(last.report.features.map((f) => [f.name, f] as const));
  now.sort((a, b) => featureOrder(features.get(a.name)!, features.get(b.name)!));
  const before = streaks.filter((s) => !s.driftedNow && s.lastDrifted !== null);
  // The window-level verdicts (multivariate, bias, attribution) count as much as a feature's.
  const m = last.report.multivariate;
  const bias = last.report.bias?.violations ?? 0;
  const attribution = last.report.attribution?.drifted === true;
  const windowLevel = [
    ...(m?.drifted
      ? [
          `multivariate drift: reconstruction error ${fmt(m.value)} outside [${fmt(m.lowerThreshold)}, ${fmt(m.upperThreshold)}], the features no longer move together as in training`,
        ]
      : []),
    ...(bias > 0 ? [`${plural(bias, 'significant bias violation')}`] : []),
    ...(attribution ? [`feature attribution drift (nDCG ${fmt(last.report.attribution!.ndcg)})`] : []),
  ];
  const level = dd.detected ? 'bad' : now.length || windowLevel.length ? 'warn' : 'good';
  const headline = now.length
    ? `${dd.detected ? 'Dataset drift: ' : ''}${now.length} of ${dd.monitoredFeatures} features drift in the latest window`
    : windowLevel.length
      ? `No single feature drifts, but the latest window has ${windowLevel.length === 1 ? windowLevel[0]!.replace(/:.*$/, '') : 'window-level violations'}`
      : `No feature drifts in the latest window`;
  const alsoNow = windowLevel.length
    ? `<p>Also in the latest window: ${windowLevel.map((x) => e(x)).join('; ')}.</p>`
    : '';
  const items = now
    .map((s) => {
      const f = features.get(s.name)!;
      const n = windows.length - s.since!;
      return `<li><b title="${e(s.name)}">${e(truncate(s.name, 60))}</b>: ${e(f.distanceMetric ?? 'distance')} ${e(fmt(f.distance))} against ${e(fmt(f.threshold))}, drifting since <a href="${e(axis[s.since!]!.href)}">${e(axis[s.since!]!.name)}</a> (${e(plural(n, 'window'))})</li>`;
    })
    .join('');
  const earlier = before.length
    ? `<p>Drifted earlier, not now: ${before
        .map(
          (s) =>
            `<b title="${e(s.name)}">${e(truncate(s.name, 40))}</b> (last ${e(axis[s.lastDrifted!]!.name)})`,
        )
        .join(', ')}.</p>`
    : '';
  return `<section class="verdict ${level}" id="verdict"><div class="icon" aria-hidden="true">${level === 'good' ? '✓' : '!'}</div><div>
<div class="headline">${e(headline)}</div>
<p>Latest window <a href="${e(lastAxis.href)}">${e(lastAxis.name)}</a>: dataset drift <b>${dd.detected ? 'detected' : 'not detected'}</b> (${e(pct(dd.share))} of monitored features; declared at ${e(pct(dd.threshold))}).</p>
${alsoNow}${items ? `<ul class="since">${items}</ul>` : ''}${earlier}</div></section>`;
}

function heatRows(
  windows: readonly TrendInput[],
  axis: readonly TrendWindow[],
  streaks: readonly DriftStreak[],
): HeatRow[] {
  const rows = streaks.map((s) => {
    const cells = windows.map((w, i) => {
      const f = w.report.features.find((x) => x.name === s.name);
      if (f === undefined) return null;
      const sev = severity(f);
      const tip =
        f.distance === null
          ? `${s.name}, ${axis[i]!.name}: not compared`
          : `${s.name}, ${axis[i]!.name}: ${f.distanceMetric ?? 'distance'} ${fmt(f.distance)} (threshold ${fmt(f.threshold)})${f.drifted ? ', drifted' : ''}`;
      return { severity: sev, drifted: f.drifted, tip, value: f.distance };
    });
    const worst = Math.max(-1, ...cells.map((c) => c?.severity ?? -1));
    const latest = cells.at(-1)?.severity ?? -1;
    return { row: { name: s.name, cells }, now: s.driftedNow, latest, worst };
  });
  rows.sort(
    (a, b) =>
      Number(b.now) - Number(a.now) ||
      b.latest - a.latest ||
      b.worst - a.worst ||
      (a.row.name < b.row.name ? -1 : 1),
  );
  return rows.map((r) => r.row);
}

/** The feature's latest row in the windows (its threshold and metric as last used). */
function latestFeature(windows: readonly TrendInput[], name: string): FeatureDrift | undefined {
  for (let i = windows.length - 1; i >= 0; i--) {
    const f = windows[i]!.report.features.find((x) => x.name === name);
    if (f) return f;
  }
  return undefined;
}

/** The feature's distance chart over `windows`. */
function featureChart(windows: readonly TrendInput[], axis: readonly TrendWindow[], name: string): string {
  const latest = latestFeature(windows, name);
  const rows = windows.map((w) => w.report.features.find((f) => f.name === name));
  const values = rows.map((f) => (f?.distance === undefined ? null : f.distance));
  const threshold = latest?.threshold ?? null;
  const pValue = latest !== undefined && isPValueDistance(latest);
  const metric = latest?.distanceMetric ?? 'distance';
  return trendLineChart(
    'feature-trend',
    `${name}: ${metric} over time against its threshold`,
    axis,
    [{ name: metric, colour: COLOURS.current, values, alarms: rows.map((f) => f?.drifted === true) }],
    {
      width: 360,
      height: 170,
      yCaption: metric,
      yDomain: pValue ? [0, 1] : undefined,
      threshold:
        threshold === null
          ? undefined
          : { value: threshold, label: `${pValue ? 'drift below' : 'threshold'} ${fmt(threshold)}` },
    },
  );
}

/** A feature's card: its name, where its drift stands (over every window), and its chart per range. */
function featureTrend(axis: readonly TrendWindow[], s: DriftStreak, chart: string): string {
  const status = s.driftedNow
    ? `<span class="pill drift">drifting since ${e(axis[s.since!]!.label)}</span>`
    : s.lastDrifted !== null
      ? `<span class="pill na">last drifted ${e(axis[s.lastDrifted]!.label)}</span>`
      : '<span class="pill ok">no drift</span>';
  return `<article class="feature${s.driftedNow ? ' drifted' : ''}"><header><h3 title="${e(s.name)}">${e(truncate(s.name, 80))}</h3> ${status}</header>${chart}</article>`;
}

/** The quality metrics to plot for the windows' problem type: rates on [0, 1], or regression errors. */
function qualitySeries(windows: readonly TrendInput[]): { series: TrendSeries[]; rates: boolean } | null {
  const first = windows.find((w) => w.report.quality?.metrics)?.report.quality;
  const firstEstimate = windows.some((w) => w.report.quality?.estimated);
  if (!first?.metrics && !firstEstimate) return null;
  const m = first?.metrics ?? null;
  const keys =
    m === null
      ? []
      : 'mae' in m
        ? ['mae', 'rmse']
        : 'precision_macro' in m
          ? ['accuracy', 'precision_macro', 'recall_macro', 'f1_macro']
          : ['accuracy', 'precision', 'recall', 'f1', 'auc'];
  const value = (w: TrendInput, key: string) => {
    const v = (w.report.quality?.metrics as unknown as Record<string, unknown> | null | undefined)?.[key];
    return typeof v === 'number' ? v : null;
  };
  // A point whose metric violates its constraint is marked as a drifted point is.
  const violated = (w: TrendInput, key: string) =>
    (w.report.quality?.violations ?? []).some((v) => v.metric_name === key);
  const series: TrendSeries[] = keys.map((key, i) => ({
    name: key,
    colour: SERIES_COLOURS[i % SERIES_COLOURS.length]!,
    values: windows.map((w) => value(w, key)),
    alarms: windows.map((w) => violated(w, key)),
  }));
  if (firstEstimate)
    series.push({
      name: 'accuracy, estimated',
      colour: SERIES_COLOURS[0],
      dashed: true,
      values: windows.map((w) => w.report.quality?.estimated?.accuracy ?? null),
    });
  return { series, rates: m === null || !('mae' in m) };
}

/**
 * The bias chart: significant bias violations per window (windows without a bias result have no
 * point); `null` when no window has a bias section.
 */
function biasTrend(windows: readonly TrendInput[], axis: readonly TrendWindow[]): string | null {
  if (!windows.some((w) => w.report.bias !== undefined)) return null;
  const values = windows.map((w) => w.report.bias?.violations ?? null);
  return trendLineChart(
    'bias-violations',
    'significant bias violations per window',
    axis,
    [
      {
        name: 'significant bias violations',
        colour: COLOURS.current,
        values,
        alarms: values.map((v) => v !== null && v > 0),
      },
    ],
    { width: 1080, height: 200, yCaption: 'significant violations' },
  );
}

/**
 * The multivariate chart: each window's reconstruction error with the baseline's two thresholds
 * (per window, so a rebuilt baseline shows as a step); `null` when no window has a result.
 */
function multivariateTrend(windows: readonly TrendInput[], axis: readonly TrendWindow[]): string | null {
  if (!windows.some((w) => w.report.multivariate)) return null;
  const m = windows.map((w) => w.report.multivariate ?? null);
  return trendLineChart(
    'multivariate',
    'multivariate reconstruction error per window, against the lower and upper thresholds',
    axis,
    [
      {
        name: 'reconstruction error',
        colour: COLOURS.current,
        values: m.map((x) => x?.value ?? null),
        alarms: m.map((x) => x?.drifted === true),
      },
      {
        name: 'upper threshold',
        colour: COLOURS.drift,
        dashed: true,
        values: m.map((x) => x?.upperThreshold ?? null),
      },
      {
        name: 'lower threshold',
        colour: COLOURS.warn,
        dashed: true,
        values: m.map((x) => x?.lowerThreshold ?? null),
      },
    ],
    { width: 1080, height: 240, showLegend: true },
  );
}

function windowsTable(windows: readonly TrendInput[], axis: readonly TrendWindow[]): string {
  const num = (v: number | null, shown: string) =>
    `<td class="num" data-v="${v === null || !Number.isFinite(v) ? '' : e(String(v))}">${e(shown)}</td>`;
  const head = (label: string, numeric: boolean) =>
    `<th${numeric ? ' class="num" data-type="number"' : ''}><button type="button">${e(label)}</button></th>`;
  const rows = windows
    .map((w, i) => {
      const r = w.report;
      const q = r.quality;
      const acc = (q?.metrics as { accuracy?: unknown } | null | undefined)?.accuracy;
      const accuracy = typeof acc === 'number' ? acc : null;
      const dd = r.datasetDrift;
      return `<tr class="${dd.driftedFeatures > 0 ? 'drifted' : ''}"><td data-v="${e(r.window.start ?? '')}"><a href="${e(axis[i]!.href)}">${e(axis[i]!.name)}</a></td>${num(r.records.total, count(r.records.total))}${num(r.records.rejected, count(r.records.rejected))}${num(dd.driftedFeatures, `${dd.driftedFeatures} / ${dd.monitoredFeatures}`)}${num(dd.share, pct(dd.share))}${num(r.violations.length, count(r.violations.length))}${num(q ? q.violations.length : null, q ? count(q.violations.length) : '–')}${num(accuracy, fmt(accuracy))}</tr>`;
    })
    .join('\n');
  return `<div class="panel"><table class="sortable" id="windows"><thead><tr>${head('Window', false)}${head('Records', true)}${head('Rejected', true)}${head('Drifted', true)}${head('Share', true)}${head('Data violations', true)}${head('Quality violations', true)}${head('Accuracy', true)}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

/** A range of the page's charts: the last day, the last week, or every window. */
export interface RangeView {
  id: 'day' | 'week' | 'all';
  /** What the switch says (`Last day`). */
  name: string;
  /** The index of the range's first window (of the windows in time order). */
  from: number;
}

const DAY_MS = 86_400_000;

/**
 * The ranges worth offering: the last day and the last week (windows starting within 24 hours
 * or 7 days of the latest window's end), each only when it leaves windows out and holds fewer
 * than the next; and every window. One range (all) when the windows span a day or less, or have
 * no times.
 */
export function rangeViews(windows: readonly TrendInput[]): RangeView[] {
  const all: RangeView = { id: 'all', name: `All ${windows.length}`, from: 0 };
  const last = windows.at(-1)?.report.window;
  const lastTime = Date.parse(last?.end ?? last?.start ?? '');
  if (Number.isNaN(lastTime)) return [all];
  const within = (ms: number) =>
    windows.findIndex(
      (w) => w.report.window.start !== null && Date.parse(w.report.window.start) >= lastTime - ms,
    );
  const day = within(DAY_MS);
  const week = within(7 * DAY_MS);
  const views: RangeView[] = [];
  if (day > 0) views.push({ id: 'day', name: 'Last day', from: day });
  if (week > 0 && (day < 0 || week < day)) views.push({ id: 'week', name: 'Last week', from: week });
  return views.length === 0 ? [all] : [...views, all];
}

/** The charts of one range. */
interface RangeCharts {
  heatmap: string;
  share: string;
  records: string;
  quality: string;
  multivariate: string;
  bias: string;
  /** One per feature, in the page's feature order. */
  features: string[];
}

function rangeCharts(
  view: RangeView,
  windows: readonly TrendInput[],
  axis: readonly TrendWindow[],
  heat: readonly HeatRow[],
  order: readonly string[],
): RangeCharts {
  const lastReport = windows.at(-1)!.report;
  const none = (what: string) =>
    `<p class="none">No window${view.id === 'all' ? '' : ` of the ${view.name.toLowerCase()}`} has ${what}.</p>`;
  const quality = qualitySeries(windows);
  return {
    heatmap: driftHeatmap(
      axis,
      heat.map((r) => ({ name: r.name, cells: r.cells.slice(view.from) })),
    ),
    share: trendLineChart(
      'dataset-drift-share',
      'share of monitored features drifted, per window',
      axis,
      [
        {
          name: 'drifted share',
          colour: COLOURS.current,
          values: windows.map((w) => w.report.datasetDrift.share),
          alarms: windows.map((w) => w.report.datasetDrift.detected),
        },
      ],
      {
        yDomain: [0, 1],
        yFormat: pct,
        threshold: {
          value: lastReport.datasetDrift.threshold,
          label: `dataset drift at ${pct(lastReport.datasetDrift.threshold)}`,
        },
      },
    ),
    records: trendStackedBars('records', 'records per window, profiled and rejected', axis, [
      { name: 'profiled', colour: COLOURS.current, values: windows.map((w) => w.report.records.profiled) },
      { name: 'rejected', colour: COLOURS.drift, values: windows.map((w) => w.report.records.rejected) },
    ]),
    quality:
      quality === null
        ? '<p class="none">No window has model-quality results (driftwatch run --ground-truth).</p>'
        : trendLineChart('quality', 'model quality metrics per window', axis, quality.series, {
            yDomain: quality.rates ? [0, 1] : undefined,
            showLegend: true,
            width: 1080,
            height: 240,
          }),
    multivariate: multivariateTrend(windows, axis) ?? none('a multivariate result'),
    bias: biasTrend(windows, axis) ?? none('a bias result'),
    features: order.map((name) => featureChart(windows, axis, name)),
  };
}

/**
 * The range switch's radio buttons and their style: no script (the page's CSP allows none but
 * the table sorter), CSS shows the charts of the checked range. They precede `.ranged`, which
 * the style selects through; the labels inside it are what a reader sees and clicks.
 */
function rangeSwitch(views: readonly RangeView[]): string {
  const radios = views
    .map(
      (v) =>
        `<input type="radio" class="range-radio" name="range" id="range-${v.id}" aria-label="${e(`charts: ${v.name.toLowerCase()}`)}"${v.id === 'all' ? ' checked' : ''}>`,
    )
    .join('');
  const shown = views.map((v) => `#range-${v.id}:checked~.ranged .r-${v.id}`).join(',');
  const picked = views.map((v) => `#range-${v.id}:checked~.ranged label[for=range-${v.id}]`).join(',');
  const focused = views.map((v) => `#range-${v.id}:focus-visible~.ranged label[for=range-${v.id}]`).join(',');
  return `<style>.range-radio{position:absolute;opacity:0;width:1px;height:1px;margin:0}.ranged .range{display:none}${shown}{display:block}.range-pick{display:flex;flex-wrap:wrap;gap:6px;align-items:center;margin:24px 0 0}.range-pick label{border:1px solid var(--line);background:var(--card);border-radius:999px;padding:3px 12px;font-size:13px;cursor:pointer}${picked}{background:var(--ink);border-color:var(--ink);color:#fff}${focused}{outline:2px solid var(--blue);outline-offset:2px}</style>${radios}
`;
}

/** The labels a reader clicks to switch range. */
function rangePicker(views: readonly RangeView[]): string {
  return `<div class="range-pick" id="range-pick"><span class="meta">Charts show:</span>${views
    .map((v) => `<label for="range-${v.id}">${e(v.id === 'all' ? `${v.name} windows` : v.name)}</label>`)
    .join('')}</div>
`;
}

/** index.html over `windows` (sorted here by window start). */
export function trendsHtml(input: readonly TrendInput[], title = 'Drift trends'): string {
  const windows = [...input].sort(byWindowStart);
  const endpoint = windows
    .map((w) => (w.report as Report & ReportContext).endpoint)
    .find((x) => typeof x === 'string');
  const heading = endpoint ?? title;
  if (windows.length === 0)
    return htmlPage(
      heading,
      `<header class="top"><div class="kicker">driftwatch · trends</div><h1>${e(heading)}</h1></header><p class="none">No reports.</p>`,
      false,
    );

  const axis = axisWindows(windows);
  const streaks = driftStreaks(windows);
  const first = windows[0]!.report.window;
  const last = windows.at(-1)!.report.window;
  const span = windowText({ start: first.start, end: last.end });
  const driftedWindows = windows.filter((w) => w.report.datasetDrift.driftedFeatures > 0).length;
  const datasetDriftWindows = windows.filter((w) => w.report.datasetDrift.detected).length;
  const lastReport = windows.at(-1)!.report;

  const views = rangeViews(windows);
  const heat = heatRows(windows, axis, streaks);
  const order = heat.map((r) => r.name);
  const byName = new Map(streaks.map((s) => [s.name, s] as const));
  const charts = views.map((v) => rangeCharts(v, windows.slice(v.from), axis.slice(v.from), heat, order));
  const ranged = (part: (c: RangeCharts) => string) =>
    views.length === 1
      ? part(charts[0]!)
      : views.map((v, i) => `<div class="range r-${v.id}">${part(charts[i]!)}</div>`).join('');
  const anyBias = windows.some((w) => w.report.bias !== undefined);
  const anyMultivariate = windows.some((w) => w.report.multivariate);

  const body = `<header class="top"><div class="kicker">driftwatch · trends</div>
<h1>${e(heading)}</h1>
<p class="meta"><b>${e(plural(windows.length, 'window'))}</b> · ${e(span)} · latest report <a href="${e(axis.at(-1)!.href)}">${e(axis.at(-1)!.name)}</a></p></header>
${latestVerdict(windows, axis, streaks)}
<section class="stats">
<div class="stat"><div class="k">Windows</div><div class="v">${e(count(windows.length))}</div><div class="s">${e(span)}</div></div>
<div class="stat${driftedWindows ? ' bad' : ''}"><div class="k">Windows with drift</div><div class="v">${e(count(driftedWindows))}</div><div class="s">at least one feature drifted</div></div>
<div class="stat${datasetDriftWindows ? ' bad' : ''}"><div class="k">Dataset drift</div><div class="v">${e(count(datasetDriftWindows))}</div><div class="s">windows past the share threshold</div></div>
<div class="stat"><div class="k">Records, latest</div><div class="v">${e(count(lastReport.records.total))}</div><div class="s">${e(count(lastReport.records.rejected))} rejected</div></div>
</section>
${views.length === 1 ? '' : rangeSwitch(views)}<div class="ranged">
${views.length === 1 ? '' : rangePicker(views)}<h2>Drift by feature and window</h2>
<div class="panel">${ranged((c) => c.heatmap)}
<p class="meta">Each cell is a feature in a window, linked to the window's report: grey to amber below the threshold, red past it (darker is further).</p></div>
<div class="quality">
<div><h2>Dataset drift share</h2><div class="panel">${ranged((c) => c.share)}</div></div>
<div><h2>Records per window</h2><div class="panel">${ranged((c) => c.records)}</div></div>
</div>
<h2>Model quality</h2>
<div class="panel">${ranged((c) => c.quality)}</div>
${anyMultivariate ? `<h2>Multivariate drift</h2>\n<div class="panel">${ranged((c) => c.multivariate)}</div>` : ''}
${anyBias ? `<h2>Bias</h2>\n<div class="panel">${ranged((c) => c.bias)}</div>` : ''}
<h2>Drift distance over time, by feature</h2>
<section class="features trends">
${order
  .map((name, f) =>
    featureTrend(
      axis,
      byName.get(name)!,
      ranged((c) => c.features[f]!),
    ),
  )
  .join('\n')}
</section>
</div>
<h2>Windows</h2>
${windowsTable(windows, axis)}
<footer>Built by driftwatch report from ${e(plural(windows.length, 'report.json'))}. Points and cells link to each window's report.html${windows.length > DENSE_WINDOWS ? '; past a few dozen windows only drifted and violating points are marked' : ''}.</footer>`;
  return htmlPage(heading, body, true);
}
