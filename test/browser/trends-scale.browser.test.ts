/**
 * index.html at production scale in Chromium: two weeks of hourly windows (336, ten features,
 * every monitor; test/support/trend-windows.ts), the deployed index's size.
 *
 * Asserted: the file stays under 1 MiB (it was 2.5 MB for these windows before the page drew
 * bare lines past a few dozen windows and merged heat-map columns); no two visible x-axis labels
 * of any chart overlap (their boxes as Chromium lays them out), in every range; the range switch
 * (CSS radio buttons, no script) shows the last day, the last week or every window, with a point
 * marker per window only in the day's few dozen; past that only violating points are marked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trendsHtml } from '../../functions/engine/render/trends-html.ts';
import { hourlyTrendInputs, TREND_FEATURES } from '../support/trend-windows.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, watchedPage } from './chromium-page.ts';

const haveChromium = requireChromium('trends-scale.browser.test.ts');
const SCREENSHOTS = fileURLToPath(new URL('../.tmp/', import.meta.url));
/** Two weeks of hourly windows: what the deployed index covers. */
const WINDOWS = 336;
/** The page's budget, in bytes. */
const MAX_BYTES = 1024 * 1024;

/** Each visible chart's kind and its x-axis labels' text and box, in document order. */
async function visibleAxes(page: Page) {
  return page.$$eval('svg[data-chart]', (svgs) =>
    svgs
      .filter((svg) => svg.getBoundingClientRect().width > 0)
      .map((svg) => ({
        kind: svg.getAttribute('data-chart') ?? '',
        labels: [...svg.querySelectorAll('text.x')].map((t) => {
          const b = t.getBoundingClientRect();
          return { text: t.textContent ?? '', left: b.left, right: b.right, top: b.top, bottom: b.bottom };
        }),
      })),
  );
}

/** The visible quality chart's point count per line, and its markers. */
async function qualityMarks(page: Page) {
  return page.$$eval('svg[data-chart="quality"]', (svgs) => {
    const svg = svgs.find((s) => s.getBoundingClientRect().width > 0);
    if (!svg) return null;
    return {
      points: [...svg.querySelectorAll('polyline')].map(
        (p) => (p.getAttribute('points') ?? '').trim().split(/\s+/).length,
      ),
      markers: svg.querySelectorAll('circle').length,
    };
  });
}

describe.skipIf(!haveChromium)('index.html over two weeks of hourly windows', () => {
  let root: string;
  let browser: Browser;
  let url: string;
  let bytes: number;
  let buildMs: number;
  const inputs = hourlyTrendInputs(WINDOWS);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'driftwatch-trends-scale-'));
    const t0 = performance.now();
    const html = trendsHtml(inputs);
    buildMs = performance.now() - t0;
    bytes = Buffer.byteLength(html, 'utf8');
    writeFileSync(join(root, 'index.html'), html);
    url = pathToFileURL(join(root, 'index.html')).href;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });

  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
    console.info(`trend page of ${WINDOWS} windows: ${bytes} bytes, built in ${buildMs?.toFixed(0)} ms`);
  });

  it(`stays under ${MAX_BYTES} bytes`, () => {
    expect(bytes).toBeLessThan(MAX_BYTES);
  });

  it('opens offline without errors, showing every window by default', async () => {
    const { page, log } = await watchedPage(browser, url);

    const axes = await visibleAxes(page);
    const checked = await page.$$eval('input[name="range"]:checked', (r) => r.map((x) => x.id));

    expect(checked).toEqual(['range-all']);
    expect(axes.filter((a) => a.kind === 'feature-trend')).toHaveLength(TREND_FEATURES.length);
    for (const kind of [
      'heatmap',
      'dataset-drift-share',
      'records',
      'quality',
      'multivariate',
      'bias-violations',
    ])
      expect(axes.filter((a) => a.kind === kind).length, kind).toBe(1);
    await page.screenshot({ path: join(SCREENSHOTS, 'index-336.png'), fullPage: true });
    expect(log).toEqual({ errors: [], requests: [], dialogs: [] });
    expect(await page.evaluate('window.__csp')).toEqual([]);
    await page.context().close();
  });

  it.each([
    ['all', WINDOWS],
    ['week', 168],
    ['day', 24],
  ] as const)('in range %s (%i windows), no two x-axis labels of a chart overlap', async (range, windows) => {
    const { page, log } = await watchedPage(browser, url);

    await page.click(`label[for="range-${range}"]`);
    const axes = await visibleAxes(page);
    const quality = await qualityMarks(page);

    expect(await page.isChecked(`#range-${range}`)).toBe(true);
    expect(axes.filter((a) => a.kind === 'feature-trend')).toHaveLength(TREND_FEATURES.length);
    for (const axis of axes) {
      expect(axis.labels.length, `${axis.kind} has x-axis labels`).toBeGreaterThanOrEqual(2);
      const boxes = [...axis.labels].sort((a, b) => a.left - b.left);
      for (let i = 1; i < boxes.length; i++)
        expect(
          boxes[i]!.left,
          `${range} ${axis.kind}: "${boxes[i - 1]!.text}" and "${boxes[i]!.text}" overlap`,
        ).toBeGreaterThanOrEqual(boxes[i - 1]!.right);
    }
    // Every line has a point per window of the range.
    expect(new Set(quality!.points)).toEqual(new Set([windows]));
    const violating = inputs
      .slice(WINDOWS - windows)
      .filter((w) => (w.report.quality?.violations.length ?? 0) > 0).length;
    // Past a few dozen windows only the violating points are marked; the day marks every point
    // of its six lines (five metrics and the estimate).
    expect(quality!.markers).toBe(windows > 48 ? violating : windows * 6);
    if (range === 'all') expect(violating).toBe(24);
    await page.screenshot({ path: join(SCREENSHOTS, `index-336-${range}.png`), fullPage: false });
    expect(log).toEqual({ errors: [], requests: [], dialogs: [] });
    await page.context().close();
  });

  it('labels two weeks by day or week, and one day by hour', async () => {
    const { page } = await watchedPage(browser, url);

    const all = (await visibleAxes(page)).find((a) => a.kind === 'quality')!.labels.map((l) => l.text);
    await page.click('label[for="range-day"]');
    const day = (await visibleAxes(page)).find((a) => a.kind === 'quality')!.labels.map((l) => l.text);

    // 2026-11-16 (a Monday) to 2026-11-29: every day fits the wide chart.
    expect(all).toEqual(Array.from({ length: 14 }, (_, d) => `11-${String(16 + d).padStart(2, '0')}`));
    // The last day, 2026-11-29 00:00 to 23:00 (one date, in the page's header): every hour fits.
    expect(day).toEqual(Array.from({ length: 24 }, (_, h) => `${String(h).padStart(2, '0')}:00`));
    await page.context().close();
  });
});
