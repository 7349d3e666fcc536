/**
 * report.html for one window: a single self-contained page (no request to any other host).
 * Every value that comes from captured data or the baseline goes through escapeHtml.
 */
import { escapeHtml as e } from './html-escape.ts';
import { rejectReasonText } from './report.ts';
import type { Report } from './report-model.ts';

export function reportHtml(r: Report, title = 'driftwatch report'): string {
  const num = (x: number | null) => (x === null ? '–' : Number.isInteger(x) ? String(x) : x.toPrecision(4));
  const rows = [...r.features]
    .sort((a, b) => Number(b.drifted) - Number(a.drifted))
    .map(
      (f) =>
        `<tr class="${f.drifted ? 'drift' : ''}"><td>${e(f.name)}</td><td>${e(f.role)}</td><td>${e(f.type)}</td><td>${f.count}</td><td>${f.missing}</td><td>${num(f.distance)}</td><td>${num(f.threshold)}</td><td>${e(f.distanceMetric ?? f.note ?? '')}</td><td>${f.drifted ? 'drift' : f.monitored ? 'ok' : '–'}</td></tr>`,
    )
    .join('\n');
  const violations = r.violations
    .map(
      (v) =>
        `<tr><td>${e(v.feature_name)}</td><td>${e(v.constraint_check_type)}</td><td>${e(v.description)}</td></tr>`,
    )
    .join('\n');
  const rejected = Object.entries(r.records.rejectedByReason)
    .map(([k, n]) => `<tr><td>${e(k)}</td><td>${n}</td><td>${e(rejectReasonText(k))}</td></tr>`)
    .join('\n');
  const dd = r.datasetDrift;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>${e(title)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:left}tr.drift{background:#fde2e2}.verdict{font-size:1.2em}</style>
</head><body>
<h1>${e(title)}</h1>
<p>Window: ${e(r.window.start ?? 'start of capture')} to ${e(r.window.end ?? 'end of capture')}. Baseline: ${e(r.baseline.source)} (${e(r.baseline.path)}).</p>
<p class="verdict">Dataset drift: <strong>${dd.detected ? 'detected' : 'not detected'}</strong>: ${dd.driftedFeatures} of ${dd.monitoredFeatures} monitored features drifted. Violations: ${r.violations.length}.</p>
<p>Records: ${r.records.total} read, ${r.records.profiled} profiled, ${r.records.rejected} rejected.</p>
<h2>Features</h2>
<table id="drift-table"><thead><tr><th>feature</th><th>role</th><th>type</th><th>count</th><th>missing</th><th>distance</th><th>threshold</th><th>metric</th><th>drift</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<h2>Violations</h2>
${violations ? `<table><thead><tr><th>feature</th><th>check</th><th>description</th></tr></thead><tbody>${violations}</tbody></table>` : '<p>None.</p>'}
<h2>Rejected records</h2>
${rejected ? `<table><thead><tr><th>reason</th><th>records</th><th>meaning</th></tr></thead><tbody>${rejected}</tbody></table>` : '<p>None.</p>'}
</body></html>
`;
}
