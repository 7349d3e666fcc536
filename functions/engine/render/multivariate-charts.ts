/**
 * The multivariate charts of report.html: the window's reconstruction error against the
 * baseline's band, and the features contributing most to it. Markup only; see svg-chart.ts.
 */
import type { FeatureContribution, MultivariateResult } from '../multivariate/multivariate-score.ts';
import { escapeHtml as e } from './html-escape.ts';
import { COLOURS, fmt, line, linear, pct, rect, svgChart, text, ticks, truncate } from './svg-chart.ts';

/** Contributions drawn as bars: the rest are in report.json. */
export const MAX_CONTRIBUTION_BARS = 10;

/**
 * The error on a horizontal axis: the band between the two thresholds shaded, the value as a dot
 * (red outside the band) with its sampling error as whiskers of ±2 standard errors.
 */
export function bandChart(m: MultivariateResult): string {
  const w = 520;
  const h = 74;
  const left = 16;
  const right = w - 16;
  const axisY = 44;
  const { lowerThreshold: lo, upperThreshold: hi } = m;
  const spread = m.samplingError === null ? 0 : 2 * m.samplingError;
  const finite = [lo, hi, ...(m.value === null ? [] : [m.value - spread, m.value + spread])].filter(
    Number.isFinite,
  );
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  const pad = Math.max((max - min) * 0.15, Math.abs(max) * 0.01, 1e-9);
  const x = linear([min - pad, max + pad], [left, right]);
  const label =
    m.value === null
      ? `no rows scored; band ${fmt(lo)} to ${fmt(hi)}`
      : `reconstruction error ${fmt(m.value)} against the band ${fmt(lo)} to ${fmt(hi)}${m.drifted ? ': outside, drifted' : ': inside'}`;

  let body = ticks(min - pad, max + pad, 5)
    .map((t) => text(x(t), axisY + 16, fmt(t), 'class="tick" text-anchor="middle"'))
    .join('');
  body += line(left, axisY, right, axisY, `stroke="${COLOURS.muted}"`);
  body += rect(
    x(lo),
    axisY - 14,
    x(hi) - x(lo),
    28,
    `fill="${COLOURS.ok}" fill-opacity="0.15" stroke="${COLOURS.ok}"`,
    `the baseline's band: ${fmt(lo)} to ${fmt(hi)}`,
  );
  body += text(x(lo), axisY - 18, `lower ${fmt(lo)}`, 'class="tick" text-anchor="end"');
  body += text(x(hi), axisY - 18, `upper ${fmt(hi)}`, 'class="tick"');
  if (m.value !== null && Number.isFinite(m.value)) {
    const colour = m.drifted ? COLOURS.drift : COLOURS.current;
    if (spread > 0)
      body += line(
        x(m.value - spread),
        axisY,
        x(m.value + spread),
        axisY,
        `stroke="${colour}" stroke-width="3"`,
      );
    body += `<circle cx="${x(m.value).toFixed(1)}" cy="${axisY}" r="6" fill="${colour}"><title>${e(label)}</title></circle>`;
  }
  return svgChart('multivariate-band', w, h, label, body, true);
}

/**
 * The features with the largest share of the window's error: their mean squared residual (in
 * standardised units) as bars, largest first, with the share beside each.
 */
export function contributionBars(contributions: readonly FeatureContribution[]): string {
  const shown = contributions.slice(0, MAX_CONTRIBUTION_BARS);
  const w = 520;
  const rowH = 24;
  const top = 8;
  const labelW = 170;
  const right = w - 70;
  const h = top + shown.length * rowH + 20;
  const max = Math.max(
    1e-12,
    ...shown.map((c) => (Number.isFinite(c.meanSquaredResidual) ? c.meanSquaredResidual : 0)),
  );
  const x = linear([0, max], [labelW, right]);
  let body = '';
  shown.forEach((c, i) => {
    const y0 = top + i * rowH;
    const v = Number.isFinite(c.meanSquaredResidual) ? Math.max(0, c.meanSquaredResidual) : 0;
    body += `<g><title>${e(`${c.feature}: mean squared residual ${fmt(c.meanSquaredResidual)}, ${pct(c.share)} of the error`)}</title>`;
    body += text(labelW - 6, y0 + 15, truncate(c.feature, 26), 'class="label" text-anchor="end"');
    body += rect(labelW, y0 + 5, x(v) - labelW, 12, `fill="${COLOURS.warn}" rx="2"`);
    body += text(x(v) + 6, y0 + 15, `${fmt(c.meanSquaredResidual)} (${pct(c.share)})`, 'class="tick"');
    body += '</g>';
  });
  body += line(
    labelW,
    top + shown.length * rowH,
    right,
    top + shown.length * rowH,
    `stroke="${COLOURS.muted}"`,
  );
  body += text(
    labelW,
    top + shown.length * rowH + 14,
    'mean squared residual (standardised units), share of the error',
    'class="tick"',
  );
  return svgChart(
    'multivariate-contributions',
    w,
    h,
    'features contributing most to the reconstruction error',
    body,
    true,
  );
}
