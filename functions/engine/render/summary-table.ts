/**
 * The plain-text summary `driftwatch run` prints: verdict, records, then one line per feature,
 * drifted features first (largest distance over threshold first), then violations, then model
 * quality when ground truth was joined (metrics next to their estimate, worst slices).
 */

import { REPORT_METRICS } from '../../contracts/quality-metric-names.ts';
import type { WindowBias } from '../bias/window-bias.ts';
import type { FeatureDrift } from '../drift/compare.ts';
import type { WindowQuality } from '../quality/window-quality.ts';
import type { Report } from '../report/report-model.ts';
import { modelLabel } from '../report/serving-window.ts';
import { rejectReasonText } from '../report/window-result.ts';
import { terminalText } from './terminal-text.ts';

/**
 * The summary of a report for a terminal. Every value from data is printed as `terminalText`
 * (escaped controls, no line of its own, no workflow command), and so is every line.
 */
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
  if (r.multivariate !== undefined) lines.push(multivariateLine(r.multivariate));
  if (r.model)
    lines.push(
      `Model: ${modelLabel(r.model)}${r.modelChangedDuringWindow ? ' (CHANGED during the window)' : ''}`,
    );
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
  if (r.quality) lines.push('', ...qualityLines(r.quality));
  if (r.bias) lines.push('', ...biasLines(r.bias));
  if (r.records.rejected) {
    lines.push('', 'Rejected records:');
    for (const [k, n] of Object.entries(r.records.rejectedByReason))
      lines.push(`  ${n}  ${k}: ${rejectReasonText(k)}`);
  }
  for (const warning of r.warnings) lines.push(`Warning: ${warning}`);
  // One exit for every line: names, categories, labels and warnings come from data.
  return `${lines.map(terminalText).join('\n')}\n`;
}

/**
 * The multivariate verdict on one line: `Multivariate: 1.23 ± 0.0100 (band 0.95–1.08) DRIFTED`;
 * `null` (no model in the baseline) says so.
 */
function multivariateLine(m: Report['multivariate']): string {
  if (!m) return 'Multivariate: not measured (the baseline has no multivariate model)';
  const band = `band ${fmt(m.lowerThreshold)}–${fmt(m.upperThreshold)}`;
  if (m.value === null) return `Multivariate: no rows scored (${band})`;
  const error = m.samplingError === null ? '' : ` ± ${fmt(m.samplingError)}`;
  return `Multivariate: ${fmt(m.value)}${error} (${band}) ${m.drifted ? 'DRIFTED' : 'within the band'}`;
}

/** The bias verdict: significant violations first, then SageMaker's rule's count. */
function biasLines(b: WindowBias): string[] {
  const sagemaker = b.facets.filter((f) => f.violation).length;
  const lines = [
    `Bias (Clarify metrics, ${b.matched} labelled predictions): ${b.violations} significant violation${b.violations === 1 ? '' : 's'} (${sagemaker} by SageMaker's rule, farther from the ideal than the baseline)`,
  ];
  const shown = (x: number | null) => (x === null ? '-' : fmt(x));
  for (const f of b.facets.filter((x) => x.significant))
    lines.push(`  ${f.facet}=${f.value}  ${f.metric}  ${shown(f.window)} (baseline ${shown(f.baseline)})`);
  return lines;
}

function qualityLines(q: WindowQuality): string[] {
  const lines: string[] = [];
  lines.push(
    `Model quality: ${q.problemType}${q.threshold === null ? '' : `, positive when score >= ${q.threshold}`}`,
  );
  const labelText = [
    `${q.matched} predictions matched`,
    `${q.unmatchedPredictions} without a label yet`,
    `${q.unmatchedLabels} labels matching no prediction of this window`,
  ];
  if (q.duplicateLabels) labelText.push(`${q.duplicateLabels} duplicate labels (last wins)`);
  if (q.join.labelsRejected) labelText.push(`${q.join.labelsRejected} label lines rejected`);
  if (q.invalidLabels) labelText.push(`${q.invalidLabels} labels that do not parse`);
  if (q.invalidPredictions) labelText.push(`${q.invalidPredictions} predictions that do not parse`);
  lines.push(`Labels: ${labelText.join(', ')}`);
  const metrics = (q.metrics ?? {}) as unknown as Record<string, unknown>;
  const estimated = (q.estimated ?? {}) as unknown as Record<string, unknown>;
  const cell = (v: unknown) => (typeof v === 'number' ? fmt(v) : '-');
  const table: string[][] = [q.estimated ? ['metric', 'realised', 'estimated'] : ['metric', 'realised']];
  for (const name of REPORT_METRICS[q.problemType]) {
    const row = [name, cell(metrics[name])];
    if (q.estimated) row.push(cell(estimated[name]));
    table.push(row);
  }
  lines.push(...formatTable(table).map((l) => `  ${l}`));
  const cm = q.metrics && 'confusionMatrix' in q.metrics ? q.metrics.confusionMatrix : null;
  const matrix = (m: { tn: number; fp: number; fn: number; tp: number }) =>
    `tn ${fmt(m.tn)}, fp ${fmt(m.fp)}, fn ${fmt(m.fn)}, tp ${fmt(m.tp)}`;
  if (cm) lines.push(`  confusion matrix: ${matrix(cm)}`);
  if (q.estimated)
    lines.push(
      `  estimated from ${q.estimated.count} scores (assumes calibrated scores): ${matrix(q.estimated.confusionMatrix)}`,
    );
  lines.push(`Quality violations: ${q.violations.length}`);
  for (const v of q.violations)
    lines.push(`  ${v.metric_name}  ${v.constraint_check_type}  ${v.description}`);
  if (q.slices.length) {
    const measure = q.slices[0]!.measure === 'mae' ? 'mae' : 'error rate';
    lines.push(
      `Worst slices (at least ${q.minSliceSupport} records; difference from the whole window's ${measure}):`,
    );
    const slices: string[][] = [['feature', 'slice', 'support', measure, 'difference']];
    for (const s of q.slices)
      slices.push([
        s.feature,
        s.unseen ? `${s.slice} (unseen in baseline)` : s.slice,
        String(s.support),
        fmt(s.error),
        `${s.difference > 0 ? '+' : ''}${fmt(s.difference)}`,
      ]);
    lines.push(...formatTable(slices).map((l) => `  ${l}`));
  } else if (q.metrics) {
    lines.push(`Worst slices: none with at least ${q.minSliceSupport} records`);
  }
  for (const note of q.notes) lines.push(`Note: ${note}`);
  return lines;
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

/**
 * Rows of cells as aligned lines (two spaces between columns). Cells are printed as
 * {@link terminalText}: a name with a newline, an ANSI escape or a bidi override stays one cell.
 */
export function formatTable(cells: string[][]): string[] {
  const rows = cells.map((r) => r.map(terminalText));
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c]!))
      .join('  ')
      .trimEnd(),
  );
}
