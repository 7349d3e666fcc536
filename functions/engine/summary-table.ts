/**
 * The plain-text summary `driftwatch run` prints: verdict, records, then one line per feature,
 * drifted features first (largest distance over threshold first), then violations.
 */

import { rejectReasonText } from './report.ts';
import type { FeatureDrift, Report } from './report-model.ts';

export function summaryTable(r: Report): string {
  const lines: string[] = [];
  const w =
    r.window.start || r.window.end ? `${r.window.start ?? '…'} to ${r.window.end ?? '…'}` : 'all records';
  const dd = r.datasetDrift;
  lines.push(`Window: ${w}`);
  lines.push(
    `Records: ${r.records.total} read, ${r.records.profiled} profiled, ${r.records.rejected} rejected` +
      (r.records.rejected
        ? ` (${Object.entries(r.records.rejectedByReason)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ')})`
        : ''),
  );
  lines.push(
    `Dataset drift: ${dd.detected ? 'DETECTED' : 'not detected'} (${dd.driftedFeatures} of ${dd.monitoredFeatures} monitored features drifted, share ${fmt(dd.share)}, threshold ${fmt(dd.threshold)})`,
  );
  lines.push(`Violations: ${r.violations.length}`);
  lines.push('');
  const rows = [...r.features].sort(byConcern);
  const table: string[][] = [
    [
      'feature',
      'role',
      'type',
      'count',
      'missing',
      'distance',
      'threshold',
      'metric',
      'drift',
      'psi',
      'p-value',
    ],
  ];
  for (const f of rows) {
    const m = f.metrics as { psi?: number; ks?: { pValue: number }; chiSquare?: { pValue: number } } | null;
    table.push([
      f.name,
      f.role,
      f.type,
      String(f.count),
      String(f.missing),
      f.distance === null ? '-' : fmt(f.distance),
      f.threshold === null ? '-' : fmt(f.threshold),
      f.distanceMetric ?? (f.note ? `(${f.note})` : '-'),
      f.drifted ? 'DRIFT' : f.monitored ? 'ok' : '-',
      m?.psi === undefined ? '-' : fmt(m.psi),
      m?.ks ? fmt(m.ks.pValue) : m?.chiSquare ? fmt(m.chiSquare.pValue) : '-',
    ]);
  }
  lines.push(...formatTable(table));
  if (r.violations.length) {
    lines.push('', 'Violations:');
    for (const v of r.violations)
      lines.push(`  ${v.feature_name}  ${v.constraint_check_type}  ${v.description}`);
  }
  if (r.records.rejected) {
    lines.push('', 'Rejected records:');
    for (const [k, n] of Object.entries(r.records.rejectedByReason))
      lines.push(`  ${n}  ${k}: ${rejectReasonText(k)}`);
  }
  for (const warning of r.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n')}\n`;
}

function byConcern(a: FeatureDrift, b: FeatureDrift): number {
  if (a.drifted !== b.drifted) return a.drifted ? -1 : 1;
  const excess = (f: FeatureDrift) =>
    f.distance === null || f.threshold === null
      ? Number.NEGATIVE_INFINITY
      : f.distanceMetric === 'chiSquarePValue'
        ? f.threshold - f.distance
        : f.distance - f.threshold;
  return excess(b) - excess(a);
}

function fmt(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 1e4 || Math.abs(x) < 1e-3) return x.toExponential(2);
  return x.toFixed(4).replace(/0+$/, '').replace(/\.$/, '');
}

function formatTable(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
}
