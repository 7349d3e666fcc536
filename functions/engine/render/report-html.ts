/**
 * report.html for one window: a single self-contained page (no request to any other host, so it
 * opens from S3, from disk and offline). Charts are plain SVG drawn here (svg-chart.ts says why);
 * the one script is the table sorter, allowed by its hash in the page's Content-Security-Policy,
 * so a value that somehow slipped past escaping still could not run.
 *
 * Every value that comes from captured data or the baseline (feature names, categories,
 * descriptions, numbers printed as text) goes through escapeHtml; ids and hrefs inside the page
 * are built from indexes, never from names.
 */

import { REPORT_METRICS } from '../../contracts/quality-metric-names.ts';
import type { WindowBias } from '../bias/window-bias.ts';
import type { CategoricalMetrics } from '../drift/categorical-drift.ts';
import type { FeatureDrift } from '../drift/compare.ts';
import type { NumericMetrics } from '../drift/numeric-drift.ts';
import type { MultivariateResult } from '../multivariate/multivariate-score.ts';
import type { RocCurve } from '../quality/binary-curves.ts';
import type { BinaryQualityMetrics, QualityMetrics } from '../quality/types.ts';
import type { WindowQuality } from '../quality/window-quality.ts';
import type { AttributionReport, Report } from '../report/report-model.ts';
import { rejectReasonText } from '../report/window-result.ts';
import { attributionBars, attributionRows, MAX_ATTRIBUTION_BARS, ndcgChart } from './attribution-charts.ts';
import {
  categoricalOverlay,
  distanceBar,
  isPValueDistance,
  numericOverlay,
  severity,
} from './drift-charts.ts';
import { escapeHtml as e } from './html-escape.ts';
import { bandChart, contributionBars, MAX_CONTRIBUTION_BARS } from './multivariate-charts.ts';
import {
  confusionMatrixChart,
  type MetricBar,
  metricBars,
  rocChart,
  sliceErrorBar,
} from './quality-charts.ts';
import { COLOURS, count, fmt, pct, truncate } from './svg-chart.ts';

/**
 * Fields a report may carry beyond report-model.ts (the monitor knows its endpoint and model;
 * the CLI does not): shown when present.
 */
export interface ReportContext {
  endpoint?: string;
  variant?: string;
  modelVersion?: string;
}

/** A quality report that also holds its ROC curve (SageMaker's field names). */
interface QualityWithCurve extends WindowQuality {
  rocCurve?: RocCurve;
}

/**
 * The page's only script: sorts `table.sortable` by the clicked header's column, reading each
 * cell's `data-v` (else its text). It reads nothing from the data but the DOM, so no value needs
 * escaping for JavaScript. Its hash is in the CSP; the tests check the two agree.
 */
export const SORT_SCRIPT = `for(const table of document.querySelectorAll('table.sortable')){const heads=[...table.tHead.rows[0].cells];heads.forEach((th,col)=>{const button=th.querySelector('button');if(!button)return;button.addEventListener('click',()=>{const numeric=th.dataset.type==='number';const was=th.getAttribute('aria-sort');const dir=was?(was==='ascending'?-1:1):(numeric?-1:1);const key=(row)=>{const cell=row.cells[col];const v=cell?(cell.dataset.v??cell.textContent??''):'';if(!numeric)return v.toLowerCase();const n=Number.parseFloat(v);return Number.isNaN(n)?-Infinity:n;};const body=table.tBodies[0];const rows=[...body.rows].sort((a,b)=>{const x=key(a);const y=key(b);return(x<y?-1:x>y?1:0)*dir;});for(const row of rows)body.appendChild(row);for(const h of heads)h.removeAttribute('aria-sort');th.setAttribute('aria-sort',dir>0?'ascending':'descending');});});}`;

/** `sha256-` + base64 of SORT_SCRIPT's UTF-8 bytes (test/engine/render/report-html.test.ts recomputes it). */
export const SORT_SCRIPT_HASH = 'sha256-U5ZTBOqSE4PyxSLpXI3kYC0hwPNwzM18QzYz1re1raQ=';

/**
 * The Content-Security-Policy of both pages: nothing may be fetched (no default-src, no
 * connect-src, images only as data: URLs), inline styles only, and only the sorter may run.
 */
export const PAGE_CSP = `default-src 'none'; script-src '${SORT_SCRIPT_HASH}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`;

const CSS = `
:root{--ink:${COLOURS.ink};--muted:${COLOURS.muted};--line:#e5e7eb;--bg:#f6f7f9;--card:#fff;--drift:${COLOURS.drift};--ok:${COLOURS.ok};--warn:${COLOURS.warn};--blue:${COLOURS.current}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:24px 24px 48px}
header.top{margin-bottom:16px}
.kicker{font-size:12px;letter-spacing:.08em;text-transform:uppercase;color:var(--muted);font-weight:600}
h1{font-size:26px;margin:2px 0 6px;overflow-wrap:anywhere}
h2{font-size:18px;margin:32px 0 10px}
h3{font-size:15px;margin:0;overflow-wrap:anywhere}
.meta{color:var(--muted);margin:0;overflow-wrap:anywhere}
.meta b{color:var(--ink);font-weight:600}
.verdict{border-radius:12px;padding:16px 20px;margin:16px 0;border:1px solid;display:flex;gap:16px;align-items:flex-start}
.verdict .icon{font-size:22px;line-height:1;font-weight:700;width:34px;height:34px;border-radius:50%;display:flex;align-items:center;justify-content:center;color:#fff;flex:none}
.verdict .headline{font-size:19px;font-weight:650;overflow-wrap:anywhere}
.verdict p{margin:4px 0 0}
.verdict.bad{background:#fef2f2;border-color:#fecaca}.verdict.bad .icon{background:var(--drift)}
.verdict.warn{background:#fffbeb;border-color:#fde68a}.verdict.warn .icon{background:var(--warn)}
.verdict.good{background:#f0fdf4;border-color:#bbf7d0}.verdict.good .icon{background:var(--ok)}
.stats{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:12px;margin:12px 0}
.stat{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:12px 14px}
.stat .v{font-size:24px;font-weight:650}
.stat .k{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.05em}
.stat .s{color:var(--muted);font-size:12px}
.stat.bad .v{color:var(--drift)}
.panel{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;overflow-x:auto}
table{border-collapse:collapse;width:100%}
th,td{padding:6px 10px;text-align:left;border-bottom:1px solid var(--line);vertical-align:middle}
th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;letter-spacing:.04em;white-space:nowrap}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
td.name{font-weight:600;white-space:nowrap}
td.kind{white-space:nowrap;color:var(--muted)}
td.name a{color:inherit;text-decoration:none}td.name a:hover{text-decoration:underline}
td.desc{overflow-wrap:anywhere}
th button{all:inherit;cursor:pointer;padding:0}
th button::after{content:" ↕";opacity:.35}
th[aria-sort=ascending] button::after{content:" ↑";opacity:1}
th[aria-sort=descending] button::after{content:" ↓";opacity:1}
tr.drifted td{background:#fef2f2}
.bar{display:flex;align-items:center;gap:8px;white-space:nowrap}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.pill.drift{background:#fee2e2;color:#991b1b}.pill.ok{background:#dcfce7;color:#166534}.pill.na{background:#f3f4f6;color:#4b5563}
.pill.tag{background:#eef2ff;color:#3730a3;font-weight:500}
.sub{margin-top:16px}
.features{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px}
.features.trends{grid-template-columns:repeat(auto-fill,minmax(340px,1fr))}
ul.since{margin:8px 0 0;padding-left:18px}ul.since li{overflow-wrap:anywhere}
.verdict a{color:inherit}
.feature{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px;border-top:4px solid #cbd5e1}
.feature.drifted{border-top-color:var(--drift)}
.feature header{display:flex;gap:8px;align-items:baseline;flex-wrap:wrap;margin-bottom:6px}
.feature .why{color:var(--muted);font-size:13px;margin:0 0 6px;overflow-wrap:anywhere}
dl.metrics{display:grid;grid-template-columns:repeat(3,1fr);gap:6px 12px;margin:8px 0 0;font-size:13px}
dl.metrics div{min-width:0}
dl.metrics dt{color:var(--muted);font-size:11px;text-transform:uppercase;letter-spacing:.04em}
dl.metrics dd{margin:0;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}
dd.bad{color:var(--drift);font-weight:600}
svg.chart{max-width:100%;height:auto;display:block;overflow:visible}
svg.chart.fluid{width:100%}
svg.chart text{font-family:inherit}
svg .tick{font-size:10px;fill:var(--muted)}
svg .tick.end{font-style:italic}
svg .tick.thr{fill:var(--drift);font-weight:600}
svg .label{font-size:11px;fill:var(--ink)}
svg .label.bad{fill:var(--drift);font-weight:600}
svg .cm{font-size:18px;font-weight:650;fill:var(--ink)}
svg .on-dark{fill:#fff}
svg .grid{stroke:#eef0f3}
svg a circle,svg a rect{cursor:pointer}
.quality{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:14px;align-items:start}
.panel h3{margin-bottom:8px}
.panel.sub,.quality+.quality{margin-top:14px}
ul.notes{margin:8px 0 0;padding-left:18px;color:var(--muted)}
ul.notes li{overflow-wrap:anywhere}
.none{color:var(--muted);margin:0}
footer{margin-top:36px;color:var(--muted);font-size:12px;overflow-wrap:anywhere}
@media (max-width:640px){.features{grid-template-columns:1fr}dl.metrics{grid-template-columns:repeat(2,1fr)}}
`;

/** A whole page: the CSP, the stylesheet, `body`, and the sorter when the page has a sortable table. */
export function htmlPage(title: string, body: string, sortable: boolean): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${e(title)}</title>
<style>${CSS}</style>
</head><body><main>
${body}
</main>${sortable ? `<script>${SORT_SCRIPT}</script>` : ''}</body></html>
`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-11-26 05:00` (UTC) of an ISO time; the text itself when it does not parse. */
export function timeText(iso: string): string {
  const t = new Date(iso);
  if (Number.isNaN(t.getTime())) return iso;
  const hm = `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`;
  return `${t.toISOString().slice(0, 10)} ${hm}`;
}

/** A window as people read it: `2026-11-26 05:00 – 06:00 UTC`. */
export function windowText(w: { start: string | null; end: string | null }): string {
  if (w.start === null && w.end === null) return 'all captured records';
  const start = w.start === null ? 'start of capture' : timeText(w.start);
  let end = w.end === null ? 'end of capture' : timeText(w.end);
  if (w.start !== null && w.end !== null && start.slice(0, 10) === end.slice(0, 10)) end = end.slice(11);
  return `${start} – ${end} UTC`;
}

/** A numeric table cell, sortable by its value. */
function numCell(value: number | null, shown: string, extra = ''): string {
  return `<td class="num${extra}" data-v="${value === null || !Number.isFinite(value) ? '' : e(String(value))}">${e(shown)}</td>`;
}

/** A sortable header. */
function sortHead(label: string, numeric: boolean): string {
  return `<th${numeric ? ' class="num" data-type="number"' : ''}><button type="button">${e(label)}</button></th>`;
}

function statusPill(f: FeatureDrift): string {
  if (f.drifted) return '<span class="pill drift">drifted</span>';
  if (f.monitored && f.distance !== null) return '<span class="pill ok">ok</span>';
  return '<span class="pill na">not compared</span>';
}

/** Drifted first, furthest past the threshold first, then by name. */
export function featureOrder(a: FeatureDrift, b: FeatureDrift): number {
  if (a.drifted !== b.drifted) return a.drifted ? -1 : 1;
  const sa = severity(a) ?? -1;
  const sb = severity(b) ?? -1;
  if (sa !== sb) return sb - sa;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function isNumeric(m: FeatureDrift['metrics']): m is NumericMetrics {
  return m !== null && 'binEdges' in m;
}

function isCategorical(m: FeatureDrift['metrics']): m is CategoricalMetrics {
  return m !== null && 'categories' in m;
}

/** A list of names for a headline: the first few, then how many more. */
function nameList(names: readonly string[], shown = 5): string {
  const head = names.slice(0, shown).map((n) => truncate(n, 40));
  return names.length > shown ? `${head.join(', ')} and ${names.length - shown} more` : head.join(', ');
}

function verdict(r: Report): string {
  const dd = r.datasetDrift;
  const drifted = [...r.features].filter((f) => f.drifted).sort(featureOrder);
  const qualityViolations = r.quality?.violations.length ?? 0;
  const biasViolations = r.bias?.violations ?? 0;
  const multivariate = r.multivariate?.drifted === true;
  const level = dd.detected
    ? 'bad'
    : drifted.length > 0 || r.violations.length + qualityViolations + biasViolations > 0 || multivariate
      ? 'warn'
      : 'good';
  const headline =
    drifted.length > 0
      ? `${dd.detected ? 'Dataset drift: ' : ''}${drifted.length} of ${dd.monitoredFeatures} features drifted: ${nameList(drifted.map((f) => f.name))}`
      : multivariate
        ? 'No feature drifted alone, but the features moved together: multivariate drift'
        : r.violations.length + qualityViolations > 0
          ? `No feature drifted, but ${r.violations.length + qualityViolations} constraint violations`
          : biasViolations > 0
            ? `No drift, but ${biasViolations} significant bias violation${biasViolations === 1 ? '' : 's'}`
            : `No drift: none of ${dd.monitoredFeatures} monitored features drifted`;
  const share = `${pct(dd.share)} of monitored features drifted; dataset drift is declared at ${pct(dd.threshold)}`;
  const violations = `${r.violations.length} data violation${r.violations.length === 1 ? '' : 's'}${
    r.quality ? `, ${qualityViolations} model-quality violation${qualityViolations === 1 ? '' : 's'}` : ''
  }`;
  const extra = [
    ...(r.bias ? [`${biasViolations} significant bias violation${biasViolations === 1 ? '' : 's'}.`] : []),
    ...(r.multivariate ? [`Multivariate drift ${multivariate ? 'detected' : 'not detected'}.`] : []),
    ...(r.attribution && r.attribution.ndcg !== null
      ? [
          `Feature attribution ranking ${r.attribution.drifted ? 'drifted' : 'held'} (nDCG ${fmt(r.attribution.ndcg)}, threshold ${fmt(r.attribution.threshold)}).`,
        ]
      : []),
  ];
  const icon = level === 'good' ? '✓' : '!';
  return `<section class="verdict ${level}" id="verdict"><div class="icon" aria-hidden="true">${icon}</div><div>
<div class="headline">${e(headline)}</div>
<p>Dataset drift <b>${dd.detected ? 'detected' : 'not detected'}</b>: ${e(share)}. ${e(violations)}.${extra.length ? ` ${e(extra.join(' '))}` : ''}</p></div></section>`;
}

function stat(k: string, v: string, s: string, bad = false): string {
  return `<div class="stat${bad ? ' bad' : ''}"><div class="k">${e(k)}</div><div class="v">${e(v)}</div><div class="s">${e(s)}</div></div>`;
}

function qualityHeadline(q: WindowQuality | null): string {
  if (q === null) return '';
  const m = q.metrics as Partial<Record<string, unknown>> | null;
  const estimated = q.estimated;
  const bad = q.violations.length > 0;
  if (m && typeof m.accuracy === 'number')
    return stat(
      'Accuracy',
      fmt(m.accuracy),
      `on ${count(q.evaluated)} labelled${estimated ? `; estimated ${fmt(estimated.accuracy)}` : ''}`,
      bad,
    );
  if (m && typeof m.rmse === 'number')
    return stat('RMSE', fmt(m.rmse), `on ${count(q.evaluated)} labelled`, bad);
  if (estimated)
    return stat('Accuracy (estimated)', fmt(estimated.accuracy), 'no labels yet: from scores alone');
  return stat('Model quality', '–', 'no labels yet');
}

/** When a feature counts as drifted, as the reader checks it: `linfRobust > 0.1`, `chiSquarePValue < 0.05`. */
function driftRule(f: FeatureDrift): string {
  if (f.distanceMetric === null || f.threshold === null) return f.note ?? 'not compared';
  return `${f.distanceMetric} ${isPValueDistance(f) ? '<' : '>'} ${fmt(f.threshold)}`;
}

function driftTable(r: Report): string {
  const rows = [...r.features].sort(featureOrder);
  const max = Math.max(
    0.01,
    ...rows.flatMap((f) => [f.distance ?? 0, f.threshold ?? 0].filter((v) => Number.isFinite(v) && v <= 1e6)),
  );
  const index = new Map(r.features.map((f, i) => [f, i] as const));
  const body = rows
    .map((f) => {
      const m = f.metrics;
      const status = f.drifted ? 2 : f.monitored && f.distance !== null ? 1 : 0;
      return `<tr class="${f.drifted ? 'drifted' : ''}">
<td class="name" data-v="${e(f.name)}"><a href="#feature-${index.get(f)}" title="${e(f.name)}">${e(truncate(f.name, 40))}</a></td>
<td class="kind" data-v="${e(`${f.role} ${f.type}`)}">${e(f.role)} · ${e(f.type)}</td>
<td data-v="${f.distance === null ? '' : e(String(f.distance))}"><div class="bar">${distanceBar(f, max)}<span>${e(fmt(f.distance))}</span></div></td>
<td class="kind" data-v="${e(driftRule(f))}">${e(driftRule(f))}</td>
${numCell(m?.psi ?? null, fmt(m?.psi))}
${numCell(m?.jensenShannon ?? null, fmt(m?.jensenShannon))}
${numCell(f.missing, count(f.missing))}
<td data-v="${status}">${statusPill(f)}</td></tr>`;
    })
    .join('\n');
  return `<div class="panel"><table class="sortable" id="drift-table"><thead><tr>
${sortHead('Feature', false)}${sortHead('Kind', false)}${sortHead('Distance vs threshold', true)}${sortHead('Drifts when', false)}${sortHead('PSI', true)}${sortHead('JS', true)}${sortHead('Missing', true)}${sortHead('Status', true)}
</tr></thead><tbody>
${body}
</tbody></table></div>`;
}

function metricItem(name: string, value: string, bad = false): string {
  return `<div><dt>${e(name)}</dt><dd${bad ? ' class="bad"' : ''}>${e(value)}</dd></div>`;
}

const arrow = (s: { baseline: number; current: number }) => `${fmt(s.baseline)} → ${fmt(s.current)}`;

function featureCard(f: FeatureDrift, index: number): string {
  const m = f.metrics;
  const tags = [f.role, f.type, ...(f.method === 'sketch' ? ['sketch'] : [])]
    .map((t) => `<span class="pill tag">${e(t)}</span>`)
    .join(' ');
  const distance =
    f.distance === null
      ? `Not compared${f.note ? `: ${f.note}` : ''}.`
      : `${f.distanceMetric ?? 'distance'} ${fmt(f.distance)} ${
          isPValueDistance(f)
            ? f.drifted
              ? 'is below'
              : 'is not below'
            : f.drifted
              ? 'exceeds'
              : 'is within'
        } the threshold ${fmt(f.threshold)}.`;
  let chart = '';
  let items = '';
  if (isNumeric(m)) {
    chart = numericOverlay(f.name, m, f.drifted);
    items =
      metricItem('KS D (p-value)', `${fmt(m.ks.statistic)} (${fmt(m.ks.pValue)})`) +
      metricItem('L∞ robust', fmt(m.linfRobust), f.drifted && f.distanceMetric === 'linfRobust') +
      metricItem('PSI', fmt(m.psi)) +
      metricItem('Jensen–Shannon', fmt(m.jensenShannon)) +
      metricItem('Wasserstein (÷σ)', `${fmt(m.wasserstein)} (${fmt(m.wassersteinNorm)})`) +
      metricItem('Mean', arrow(m.mean)) +
      metricItem('Std dev', arrow(m.stdDev)) +
      metricItem('Min / max now', `${fmt(m.min.current)} / ${fmt(m.max.current)}`) +
      metricItem('Count', arrow(m.count));
  } else if (isCategorical(m)) {
    chart = categoricalOverlay(f.name, m, f.drifted);
    items =
      metricItem(
        'L∞ (robust)',
        `${fmt(m.linf)} (${fmt(m.linfRobust)})`,
        f.drifted && f.distanceMetric?.startsWith('linf') === true,
      ) +
      metricItem(
        'χ² (p-value)',
        `${fmt(m.chiSquare.statistic)} (${fmt(m.chiSquare.pValue)})`,
        f.drifted && isPValueDistance(f),
      ) +
      metricItem('PSI', fmt(m.psi)) +
      metricItem('Jensen–Shannon', fmt(m.jensenShannon)) +
      metricItem('Categories', count(m.categories.length)) +
      metricItem('Count', arrow(m.count));
  }
  items +=
    metricItem('Missing', count(f.missing), f.missing > 0) +
    metricItem('Type mismatch', count(f.typeMismatch), f.typeMismatch > 0);
  return `<article class="feature${f.drifted ? ' drifted' : ''}" id="feature-${index}">
<header><h3 title="${e(f.name)}">${e(truncate(f.name, 120))}</h3> ${statusPill(f)} ${tags}</header>
<p class="why">${e(distance)}</p>
${chart}
<dl class="metrics">${items}</dl></article>`;
}

function violationsSection(r: Report): string {
  if (r.violations.length === 0) return '<p class="none">None: every data constraint held.</p>';
  const rows = r.violations
    .map(
      (v) =>
        `<tr><td class="name" title="${e(v.feature_name)}">${e(truncate(v.feature_name, 40))}</td><td>${e(v.constraint_check_type)}</td><td class="desc">${e(v.description)}</td></tr>`,
    )
    .join('\n');
  return `<div class="panel"><table id="violations"><thead><tr><th>Feature</th><th>Check</th><th>Description</th></tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

/** The metrics of a problem type, in reading order, with whether each is a rate in [0, 1]. */
function metricNames(m: QualityMetrics): { key: string; rate: boolean }[] {
  const problemType =
    'mae' in m ? 'Regression' : 'precision_macro' in m ? 'MulticlassClassification' : 'BinaryClassification';
  return REPORT_METRICS[problemType].map((key) => ({ key, rate: problemType !== 'Regression' }));
}

function qualitySection(q: QualityWithCurve): string {
  const estimated = q.estimated as unknown as Record<string, unknown> | null;
  const violatedBy = new Map(q.violations.map((v) => [v.metric_name, v] as const));
  const parts: string[] = [];
  const summary = `${q.problemType}${q.threshold === null ? '' : `, positive at score ≥ ${fmt(q.threshold)}`}: ${count(q.evaluated)} predictions evaluated (${count(q.matched)} matched a label, ${count(q.unmatchedPredictions)} not yet labelled, ${count(q.unmatchedLabels)} labels matched no prediction of this window).`;
  parts.push(`<p class="meta">${e(summary)}</p>`);

  const metrics = q.metrics;
  const rows: MetricBar[] = [];
  if (metrics !== null) {
    const values = metrics as unknown as Record<string, unknown>;
    const table = metricNames(metrics)
      .map(({ key, rate }) => {
        const v = typeof values[key] === 'number' ? (values[key] as number) : null;
        const est = estimated && typeof estimated[key] === 'number' ? (estimated[key] as number) : null;
        const violation = violatedBy.get(key);
        if (rate) rows.push({ name: key, realised: v, estimated: est, violated: violation !== undefined });
        return `<tr><td class="name">${e(key)}</td>${numCell(v, fmt(v))}${numCell(est, fmt(est))}<td class="desc">${
          violation
            ? `<span class="pill drift">failed</span> ${e(violation.description)}`
            : '<span class="pill ok">no violation</span>'
        }</td></tr>`;
      })
      .join('\n');
    const charts: string[] = [];
    if (rows.length) charts.push(`<div class="panel"><h3>Metrics</h3>${metricBars(rows)}</div>`);
    const binary = metrics as Partial<BinaryQualityMetrics>;
    if (binary.confusionMatrix)
      charts.push(
        `<div class="panel"><h3>Confusion matrix</h3>${confusionMatrixChart(binary.confusionMatrix)}</div>`,
      );
    if (q.rocCurve && q.rocCurve.false_positive_rates.length > 0)
      charts.push(`<div class="panel"><h3>ROC curve</h3>${rocChart(q.rocCurve, binary.auc ?? null)}</div>`);
    if (q.estimated)
      charts.push(
        `<div class="panel"><h3>Estimated from ${e(count(q.estimated.count))} scores</h3>${confusionMatrixChart(q.estimated.confusionMatrix, 'estimated-confusion-matrix')}</div>`,
      );
    parts.push(`<div class="quality">${charts.join('\n')}</div>`);
    parts.push(`<div class="panel sub"><table id="quality-metrics"><thead><tr><th>Metric</th><th class="num">Realised</th><th class="num">Estimated</th><th>Constraint</th></tr></thead><tbody>
${table}
</tbody></table></div>`);
  } else {
    parts.push(
      `<p class="none">No prediction of this window has a label yet${q.estimated ? `; estimated from ${count(q.estimated.count)} scores: accuracy ${e(fmt(q.estimated.accuracy))}, precision ${e(fmt(q.estimated.precision))}, recall ${e(fmt(q.estimated.recall))}, F1 ${e(fmt(q.estimated.f1))}` : ''}.</p>`,
    );
  }

  const otherViolations = q.violations.filter((v) => !rows.some((r) => r.name === v.metric_name));
  if (otherViolations.length)
    parts.push(`<h3 class="sub">Other model-quality violations</h3><div class="panel"><table><thead><tr><th>Metric</th><th>Check</th><th>Description</th></tr></thead><tbody>
${otherViolations.map((v) => `<tr><td class="name">${e(v.metric_name)}</td><td>${e(v.constraint_check_type)}</td><td class="desc">${e(v.description)}</td></tr>`).join('\n')}
</tbody></table></div>`);

  if (q.slices.length) {
    const max = Math.max(0.01, ...q.slices.map((s) => s.error)) * 1.2;
    const slices = q.slices
      .map((s) => {
        const overall = s.error - s.difference;
        const what = s.measure === 'mae' ? 'MAE' : 'error rate';
        return `<tr><td class="name" title="${e(s.feature)}">${e(truncate(s.feature, 40))}</td><td class="desc">${e(s.slice)}${s.unseen ? ' <span class="pill tag">new category</span>' : ''}</td>${numCell(s.support, count(s.support))}<td data-v="${e(String(s.error))}"><div class="bar">${sliceErrorBar(s.error, overall, max, `${s.feature} ${s.slice}: ${what} ${fmt(s.error)} against ${fmt(overall)} overall`)}<span>${e(s.measure === 'mae' ? fmt(s.error) : pct(s.error))}</span></div></td>${numCell(s.difference, `+${s.measure === 'mae' ? fmt(s.difference) : pct(s.difference)}`)}</tr>`;
      })
      .join('\n');
    parts.push(`<h3 class="sub">Worst slices (at least ${e(count(q.minSliceSupport))} records; the tick is the window's overall error)</h3>
<div class="panel"><table class="sortable" id="slices"><thead><tr>${sortHead('Feature', false)}${sortHead('Slice', false)}${sortHead('Records', true)}${sortHead('Error', true)}${sortHead('vs overall', true)}</tr></thead><tbody>
${slices}
</tbody></table></div>`);
  }
  if (q.notes.length) parts.push(`<ul class="notes">${q.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`);
  return parts.join('\n');
}

/** Stages as Clarify's reports name them. */
const STAGE_TEXT: ReadonlyMap<string, string> = new Map([
  ['pre_training', 'pre-training'],
  ['post_training', 'post-training'],
]);

/**
 * The bias section: per configured facet value and metric, the baseline's value against the
 * window's, SageMaker's rule and whether the violation is beyond the window's sampling noise.
 * Significant violations first, then SageMaker's, then the rest in the report's order.
 */
function biasSection(b: WindowBias): string {
  const sagemaker = b.facets.filter((f) => f.violation).length;
  const rank = (f: WindowBias['facets'][number]) => (f.significant ? 2 : f.violation ? 1 : 0);
  const rows = b.facets
    .map((f, i) => ({ f, i }))
    .sort((a, z) => rank(z.f) - rank(a.f) || a.i - z.i)
    .map(({ f }) => {
      const status = f.significant
        ? '<span class="pill drift">significant</span>'
        : f.violation
          ? '<span class="pill na">within noise</span>'
          : '<span class="pill ok">ok</span>';
      return `<tr class="${f.significant ? 'drifted' : ''}"><td class="name" data-v="${e(f.facet)}" title="${e(f.facet)}">${e(truncate(f.facet, 40))}</td><td class="desc" data-v="${e(f.value)}">${e(truncate(f.value, 60))}</td><td class="kind">${e(STAGE_TEXT.get(f.stage) ?? f.stage)}</td><td>${e(f.metric)}</td>${numCell(f.baseline, fmt(f.baseline))}${numCell(f.window, fmt(f.window))}<td data-v="${f.violation ? 1 : 0}">${f.violation ? 'farther from ideal' : 'no'}</td><td data-v="${rank(f)}">${status}</td></tr>`;
    })
    .join('\n');
  const summary = `${count(b.matched)} labelled predictions counted. ${count(b.violations)} significant violation${b.violations === 1 ? '' : 's'} (beyond 3 standard errors of the window's value); ${count(sagemaker)} by SageMaker's rule (farther from the ideal than the baseline: 0, or 1 for DI).`;
  if (b.facets.length === 0)
    return `<p class="meta">${e(summary)}</p><p class="none">No facet value was measured.</p>`;
  return `<p class="meta">${e(summary)}</p>
<div class="panel"><table class="sortable" id="bias"><thead><tr>${sortHead('Facet', false)}${sortHead('Value', false)}${sortHead('Stage', false)}${sortHead('Metric', false)}${sortHead('Baseline', true)}${sortHead('Window', true)}${sortHead("SageMaker's rule", true)}${sortHead('Verdict', true)}</tr></thead><tbody>
${rows}
</tbody></table></div>`;
}

/** What the rows-scored card says below its count: rows left out for an overflowing error, if any. */
function overflowText(m: MultivariateResult): string {
  // Reports written before the count existed have none.
  const overflow = typeof m.overflowRows === 'number' ? m.overflowRows : 0;
  return overflow > 0
    ? `of the window; ${count(overflow)} more not scored (their error overflows the double range)`
    : 'of the window';
}

/**
 * The multivariate section: the window's mean reconstruction error against the baseline's band
 * (with its sampling error), the model's components and explained variance, and the features
 * contributing most to the error.
 */
function multivariateSection(m: MultivariateResult): string {
  const within =
    m.value === null ? 'no rows were scored' : m.drifted ? 'outside the band: drifted' : 'inside the band';
  const stats = `<section class="stats">
${stat('Reconstruction error', fmt(m.value), `band ${fmt(m.lowerThreshold)} – ${fmt(m.upperThreshold)}; ${within}`, m.drifted)}
${stat('Sampling error', fmt(m.samplingError), 'standard error of the mean over the rows')}
${stat('Rows scored', count(m.rows), overflowText(m))}
${stat('Components', count(m.components), `explain ${pct(m.explainedVariance)} of the baseline's standardised variance`)}
</section>`;
  const contributions = m.featureContributions;
  const bars =
    contributions.length && m.value !== null
      ? `<div class="panel sub"><h3>Features contributing most to the error (top ${e(count(Math.min(MAX_CONTRIBUTION_BARS, contributions.length)))} of ${e(count(contributions.length))})</h3>${contributionBars(contributions)}</div>`
      : '';
  return `${stats}
<div class="panel"><h3>Reconstruction error against the baseline's band (whiskers: ±2 sampling errors)</h3>${bandChart(m)}</div>
${bars}`;
}

/**
 * The feature attribution section: the nDCG against its threshold, what was explained and what it
 * cost, what stopped or failed the explanation, and the features' global attributions in the
 * baseline and in the window, ranked (bars for the first few, a table of every one).
 */
function attributionSection(a: AttributionReport): string {
  const method =
    a.method === 'exact'
      ? 'exact Shapley values'
      : `Kernel SHAP, ${count(a.numSamples ?? 0)} coalitions a record`;
  const verdictText =
    a.error !== null
      ? 'not measured: the explanation failed'
      : a.ndcg === null
        ? 'not measured: no record explained'
        : a.drifted
          ? `below ${fmt(a.threshold)}: the ranking drifted`
          : `at or above ${fmt(a.threshold)}: the ranking held`;
  const stats = `<section class="stats">
${stat('nDCG', fmt(a.ndcg), verdictText, a.drifted || a.error !== null)}
${stat('Records explained', `${count(a.recordsExplained)} / ${count(a.windowRows)}`, `${count(a.recordsPlanned)} planned; ${method}, seed ${a.seed}`)}
${stat('Model rows', count(a.modelRows), `${count(a.requests)} requests${a.endpoint === null ? '' : ` to ${a.endpoint}`}`)}
${stat('Expected value', fmt(a.expectedValue.window), `baseline ${fmt(a.expectedValue.baseline)}; ${a.aggMethod}, label ${a.label}`)}
</section>`;
  const notes = [
    ...(a.error !== null ? [`The explanation failed: ${a.error}`] : []),
    ...(a.stoppedEarly !== null ? [`The explanation stopped early: ${a.stoppedEarly}`] : []),
    ...(a.reason !== null ? [`Fewer records than rows: ${a.reason}`] : []),
  ];
  const rows = attributionRows(a);
  const table = rows
    .map(
      (r) =>
        `<tr><td class="name" title="${e(r.feature)}">${e(truncate(r.feature, 40))}</td>${numCell(r.baseline, fmt(r.baseline))}${numCell(r.baselineRank, String(r.baselineRank))}${numCell(r.window, fmt(r.window))}${numCell(r.windowRank, r.windowRank === null ? '–' : String(r.windowRank))}</tr>`,
    )
    .join('\n');
  return `${stats}
${notes.length ? `<ul class="notes">${notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>` : ''}
${a.ndcg === null ? '' : `<div class="panel"><h3>nDCG of the window's ranking against the baseline's</h3>${ndcgChart(a.ndcg, a.threshold, a.drifted)}</div>`}
<div class="panel sub"><h3>Global attributions, ranked (top ${e(count(Math.min(MAX_ATTRIBUTION_BARS, rows.length)))} of ${e(count(rows.length))})</h3>${attributionBars(rows)}</div>
<div class="panel"><table class="sortable" id="attribution"><thead><tr>${sortHead('Feature', false)}${sortHead('Baseline', true)}${sortHead('Baseline rank', true)}${sortHead('Window', true)}${sortHead('Window rank', true)}</tr></thead><tbody>
${table}
</tbody></table></div>`;
}

function rejectedSection(r: Report): string {
  const entries = Object.entries(r.records.rejectedByReason).sort((a, b) => b[1] - a[1]);
  const outside =
    r.records.outsideWindow > 0
      ? `<p class="meta">${e(count(r.records.outsideWindow))} records read from the window's folders fell outside the window (the next hour's requests); they are not counted here.</p>`
      : '';
  if (entries.length === 0)
    return `<p class="none">None: every record of the window was profiled.</p>${outside}`;
  const rows = entries
    .map(
      ([reason, n]) =>
        `<tr><td class="name" title="${e(reason)}">${e(truncate(reason, 40))}</td>${numCell(n, count(n))}${numCell(n / Math.max(1, r.records.total), pct(n / Math.max(1, r.records.total)))}<td class="desc">${e(rejectReasonText(reason))}</td></tr>`,
    )
    .join('\n');
  return `<div class="panel"><table id="rejected"><thead><tr><th>Reason</th><th class="num">Records</th><th class="num">Share</th><th>Meaning</th></tr></thead><tbody>
${rows}
</tbody></table></div>${outside}`;
}

const DEFAULT_TITLE = 'driftwatch report';

/**
 * report.html of one window. `title` names the page (the monitor passes endpoint and hour). The
 * page leaves out `generatedAt`, so re-running a window writes the same bytes.
 */
export function reportHtml(r: Report, title = DEFAULT_TITLE): string {
  const ctx = r as Report & ReportContext;
  const rec = r.records;
  // The page's name: the endpoint when the report knows it, else the caller's title, else the window.
  const heading = ctx.endpoint ?? (title === DEFAULT_TITLE ? `Window ${windowText(r.window)}` : title);
  const meta = [
    ...(heading.includes(windowText(r.window)) ? [] : [`Window <b>${e(windowText(r.window))}</b>`]),
    ...(ctx.variant ? [`variant <b>${e(ctx.variant)}</b>`] : []),
    ...(ctx.modelVersion ? [`model version <b>${e(ctx.modelVersion)}</b>`] : []),
    `baseline <b>${e(r.baseline.source)}</b> (${e(r.baseline.path)})`,
  ].join(' · ');
  const drifted = r.features.filter((f) => f.drifted).length;
  const qViolations = r.quality?.violations.length ?? 0;
  const cards = [...r.features].sort(featureOrder);
  const index = new Map(r.features.map((f, i) => [f, i] as const));
  const body = `<header class="top"><div class="kicker">driftwatch · window report</div>
<h1>${e(heading)}</h1>
<p class="meta">${meta}</p></header>
${verdict(r)}
<section class="stats">
${stat('Records profiled', count(rec.profiled), `of ${count(rec.total)} in the window`)}
${stat('Rejected', count(rec.rejected), rec.total > 0 ? `${pct(rec.rejected / rec.total)} of records` : 'no records', rec.rejected > 0)}
${stat('Features drifted', `${drifted} / ${r.datasetDrift.monitoredFeatures}`, `dataset drift at ${pct(r.datasetDrift.threshold)}`, drifted > 0)}
${stat('Violations', count(r.violations.length + qViolations), `${r.violations.length} data${r.quality ? `, ${qViolations} model quality` : ''}`, r.violations.length + qViolations > 0)}
${qualityHeadline(r.quality)}
${r.bias ? stat('Bias violations', count(r.bias.violations), `significant, of ${count(r.bias.facets.length)} checks`, r.bias.violations > 0) : ''}
${r.multivariate ? stat('Multivariate error', fmt(r.multivariate.value), `band ${fmt(r.multivariate.lowerThreshold)} – ${fmt(r.multivariate.upperThreshold)}`, r.multivariate.drifted) : ''}
${r.attribution ? stat('Attribution nDCG', fmt(r.attribution.ndcg), r.attribution.ndcg === null ? 'not measured' : `drift below ${fmt(r.attribution.threshold)}`, r.attribution.drifted) : ''}
</section>
<h2>Drift by feature</h2>
${r.features.length ? driftTable(r) : '<p class="none">The report has no features.</p>'}
<h2>Distributions: baseline against this window</h2>
<section class="features">
${cards.map((f) => featureCard(f, index.get(f)!)).join('\n')}
</section>
<h2>Data violations</h2>
${violationsSection(r)}
<h2>Model quality</h2>
${r.quality ? qualitySection(r.quality) : '<p class="none">No ground truth was given for this run (driftwatch run --ground-truth).</p>'}
${
  r.multivariate === undefined
    ? ''
    : `<h2>Multivariate drift</h2>
${r.multivariate === null ? '<p class="none">Not measured: the baseline has no multivariate model (build the baseline with driftwatch baseline to get one).</p>' : multivariateSection(r.multivariate)}`
}
${
  r.attribution === undefined
    ? ''
    : `<h2>Feature attribution drift</h2>
${r.attribution === null ? '<p class="none">Not measured for this window (the warnings say why).</p>' : attributionSection(r.attribution)}`
}
${
  r.bias === undefined
    ? ''
    : `<h2>Bias</h2>
${r.bias === null ? '<p class="none">Not measured for this window: no labelled prediction could be counted yet (the warnings say why).</p>' : biasSection(r.bias)}`
}
<h2>Rejected records</h2>
${rejectedSection(r)}
${r.warnings.length ? `<h2>Warnings</h2><ul class="notes">${r.warnings.map((w) => `<li>${e(w)}</li>`).join('')}</ul>` : ''}
<footer>driftwatch window report · report.json format version ${e(r.version)}</footer>`;
  return htmlPage(
    ctx.endpoint
      ? `${ctx.endpoint}: ${windowText(r.window)}`
      : title === DEFAULT_TITLE
        ? `${title}: ${windowText(r.window)}`
        : title,
    body,
    true,
  );
}
