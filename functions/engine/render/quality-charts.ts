/**
 * The model-quality charts of report.html: metrics against their estimate, the confusion
 * matrix, the ROC curve and a slice's error against the window's. Markup only; see svg-chart.ts.
 */
import type { RocCurve } from '../quality/binary-curves.ts';
import type { BinaryConfusionMatrix } from '../quality/types.ts';
import {
  COLOURS,
  count,
  fmt,
  legend,
  line,
  linear,
  polyline,
  rect,
  svgChart,
  text,
  ticks,
} from './svg-chart.ts';

/** One metric of the quality chart: the realised value, its estimate from scores, whether a constraint failed. */
export interface MetricBar {
  name: string;
  realised: number | null;
  estimated: number | null;
  violated: boolean;
}

/** Metrics in [0, 1] as bars: realised solid, estimated (from scores alone) hollow beside it. */
export function metricBars(rows: readonly MetricBar[]): string {
  const w = 340;
  const rowH = 28;
  const top = 26;
  const labelW = 96;
  const right = w - 40;
  const h = top + rows.length * rowH + 22;
  const x = linear([0, 1], [labelW, right]);
  const bottom = top + rows.length * rowH;
  let body = ticks(0, 1, 4)
    .map(
      (t) =>
        line(x(t), top - 2, x(t), bottom, 'class="grid"') +
        text(x(t), bottom + 12, fmt(t), 'class="tick" text-anchor="middle"'),
    )
    .join('');
  rows.forEach((r, i) => {
    const y0 = top + i * rowH;
    const colour = r.violated ? COLOURS.drift : COLOURS.current;
    body += text(labelW - 6, y0 + 15, r.name, `class="label${r.violated ? ' bad' : ''}" text-anchor="end"`);
    const v = r.realised ?? 0;
    body += rect(
      labelW,
      y0 + 4,
      x(Math.max(0, Math.min(1, v))) - labelW,
      9,
      `fill="${colour}"`,
      `${r.name}: ${fmt(r.realised)}`,
    );
    if (r.estimated !== null) {
      const ev = Math.max(0, Math.min(1, r.estimated));
      body += rect(
        labelW,
        y0 + 14,
        x(ev) - labelW,
        7,
        `fill="none" stroke="${COLOURS.muted}" stroke-dasharray="3 2"`,
        `${r.name} estimated from scores: ${fmt(r.estimated)}`,
      );
    }
    body += text(x(Math.max(0, Math.min(1, v))) + 4, y0 + 13, fmt(r.realised), 'class="tick"');
  });
  body += line(labelW, top - 2, labelW, bottom, `stroke="${COLOURS.muted}"`);
  const hasEstimate = rows.some((r) => r.estimated !== null);
  body += legend(labelW - 60, 12, [
    { name: 'realised', colour: COLOURS.current },
    { name: 'failed', colour: COLOURS.drift },
    ...(hasEstimate ? [{ name: 'estimated', colour: COLOURS.muted, dashed: true }] : []),
  ]);
  return svgChart('quality-metrics', w, h, 'model quality metrics, realised and estimated', body, true);
}

/** The binary confusion matrix as a 2 x 2 grid, each cell shaded by its share of the records. */
export function confusionMatrixChart(cm: BinaryConfusionMatrix, kind = 'confusion-matrix'): string {
  const w = 260;
  const h = 220;
  const left = 80;
  const top = 44;
  const cell = 84;
  const total = cm.tn + cm.fp + cm.fn + cm.tp || 1;
  const cells: [string, number, number, number, boolean][] = [
    ['true negatives', cm.tn, 0, 0, true],
    ['false positives', cm.fp, 1, 0, false],
    ['false negatives', cm.fn, 0, 1, false],
    ['true positives', cm.tp, 1, 1, true],
  ];
  let body = text(left + cell, 14, 'predicted', 'class="label" text-anchor="middle"');
  body += text(left + cell / 2, 34, '0', 'class="tick" text-anchor="middle"');
  body += text(left + cell * 1.5, 34, '1', 'class="tick" text-anchor="middle"');
  body += text(
    16,
    top + cell,
    'actual',
    `class="label" text-anchor="middle" transform="rotate(-90 16 ${top + cell})"`,
  );
  body += text(left - 10, top + cell / 2 + 4, '0', 'class="tick" text-anchor="end"');
  body += text(left - 10, top + cell * 1.5 + 4, '1', 'class="tick" text-anchor="end"');
  for (const [name, n, col, row, right] of cells) {
    const share = n / total;
    const x0 = left + col * cell;
    const y0 = top + row * cell;
    const fill = right ? COLOURS.current : COLOURS.drift;
    const opacity = (0.08 + 0.72 * Math.sqrt(share)).toFixed(2);
    body += rect(
      x0 + 1,
      y0 + 1,
      cell - 2,
      cell - 2,
      `fill="${fill}" fill-opacity="${opacity}" rx="3"`,
      `${name}: ${fmt(n)}`,
    );
    const dark = Number(opacity) > 0.45;
    body += text(
      x0 + cell / 2,
      y0 + cell / 2,
      Number.isInteger(n) ? count(n) : fmt(n),
      `class="cm${dark ? ' on-dark' : ''}" text-anchor="middle"`,
    );
    body += text(
      x0 + cell / 2,
      y0 + cell / 2 + 16,
      name,
      `class="tick${dark ? ' on-dark' : ''}" text-anchor="middle"`,
    );
  }
  return svgChart(kind, w, h, kind.replace(/-/g, ' '), body);
}

/** The ROC curve with the chance diagonal; `auc` printed when known. */
export function rocChart(curve: RocCurve, auc: number | null): string {
  const size = 240;
  const left = 40;
  const top = 12;
  const plot = size - left - 14;
  const x = linear([0, 1], [left, left + plot]);
  const y = linear([0, 1], [top + plot, top]);
  const n = Math.min(curve.false_positive_rates.length, curve.true_positive_rates.length);
  const points: [number, number][] = [[x(0), y(0)]];
  for (let i = 0; i < n; i++)
    points.push([x(curve.false_positive_rates[i]!), y(curve.true_positive_rates[i]!)]);
  points.push([x(1), y(1)]);
  let body = '';
  for (const t of [0, 0.5, 1]) {
    body += line(x(t), y(0), x(t), y(1), 'class="grid"') + line(x(0), y(t), x(1), y(t), 'class="grid"');
    body += text(x(t), y(0) + 12, fmt(t), 'class="tick" text-anchor="middle"');
    body += text(x(0) - 4, y(t) + 3, fmt(t), 'class="tick" text-anchor="end"');
  }
  body += line(x(0), y(0), x(1), y(1), `stroke="${COLOURS.baselineEdge}" stroke-dasharray="4 3"`);
  body += polyline(points, `fill="none" stroke="${COLOURS.current}" stroke-width="2"`);
  body += text(x(0.96), y(0.06), `AUC ${fmt(auc)}`, 'class="label" text-anchor="end"');
  body += text(x(0.5), size - 2, 'false positive rate', 'class="tick" text-anchor="middle"');
  return svgChart('roc', size, size + 6, `ROC curve, AUC ${fmt(auc)}`, body);
}

/** A slice's error as a bar, the window's overall error as a tick, on [0, max]. */
export function sliceErrorBar(error: number, overall: number, max: number, label: string): string {
  const w = 160;
  const h = 18;
  const x = linear([0, max > 0 ? max : 1], [2, w - 4]);
  let body = rect(2, 7, w - 6, 4, `fill="${COLOURS.grid}" rx="2"`);
  body += rect(2, 4, x(Math.max(0, error)) - 2, 10, `fill="${COLOURS.warn}" rx="2"`, label);
  body += line(
    x(Math.max(0, overall)),
    1,
    x(Math.max(0, overall)),
    h - 1,
    `stroke="${COLOURS.threshold}" stroke-width="2"`,
  );
  return svgChart('slice-error', w, h, label, body);
}
