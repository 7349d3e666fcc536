/**
 * report.html and index.html in a real browser: Debian's Chromium driven by playwright-core
 * (which never downloads a browser). The example's four hours go through `main()` exactly as
 * `npm start` runs them, then `driftwatch report` builds the index; both pages are opened from
 * file:// with every request that is not the page itself blocked and recorded.
 *
 * Asserted: no console error, no page error, no request; every chart (`svg[data-chart]`) has a
 * box and marks; a click on a drift-table header reorders its rows; every link of the index
 * reaches a file. The hostile report (hostile-report.ts) is opened too: no dialog, no payload
 * ran (`window.__pwned` stays undefined), no CSP violation, and the sorter still works.
 *
 * Without /usr/bin/chromium the suite is skipped with a warning, except under CI (`CI` set),
 * where it fails: `.ci/run` installs Debian's chromium package.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Io, main } from '../../functions/cli/main.ts';
import { reportHtml } from '../../functions/engine/render/report-html.ts';
import { trendsHtml } from '../../functions/engine/render/trends-html.ts';
import { CHROMIUM, CHROMIUM_ARGS, requireChromium, watchedPage } from './chromium-page.ts';
import { hostileReport } from './hostile-report.ts';

const SCREENSHOTS = fileURLToPath(new URL('../.tmp/', import.meta.url));
const haveChromium = requireChromium('report.browser.test.ts');

const quietIo: Io = {
  stdout: () => {},
  stderr: () => {},
  stderrIsTty: false,
  now: () => new Date('2026-11-27T00:00:00Z'),
};

async function cli(...argv: string[]): Promise<void> {
  let stderr = '';
  const code = await main(argv, {
    ...quietIo,
    stderr: (s) => {
      stderr += s;
    },
  });
  expect(code, `driftwatch ${argv.join(' ')}\n${stderr}`).toBe(0);
}

/** Every chart's box and the marks in it. */
async function charts(page: Page) {
  return page.$$eval('svg[data-chart]', (svgs) =>
    svgs.map((svg) => {
      const box = svg.getBoundingClientRect();
      const marks = [...svg.querySelectorAll('rect, line, polyline, circle, path')] as unknown as {
        getBBox(): { width: number; height: number };
      }[];
      const drawn = marks.filter((m) => {
        const b = m.getBBox();
        return b.width > 0 || b.height > 0;
      });
      return {
        kind: svg.dataset.chart ?? '',
        width: box.width,
        height: box.height,
        marks: marks.length,
        drawn: drawn.length,
      };
    }),
  );
}

/** The drift table's feature names, top to bottom. */
const tableNames = (page: Page) =>
  page.$$eval('#drift-table tbody tr td.name', (cells) => cells.map((c) => c.getAttribute('data-v') ?? ''));

describe.skipIf(!haveChromium)('report pages in Chromium', () => {
  let root: string;
  let browser: Browser;
  let reportUrl: string;
  let indexUrl: string;
  const timings: Record<string, number> = {};

  beforeAll(async () => {
    const t0 = Date.now();
    root = mkdtempSync(join(tmpdir(), 'driftwatch-browser-'));
    // The same arguments scripts/example.mjs runs (npm start), with the output in the temporary folder.
    const example = (await import(new URL('../../scripts/example.mjs', import.meta.url).href)) as {
      EXAMPLE_HOURS: string[];
      exampleBaselineArgs: (out: string) => string[];
      exampleRunArgs: (hh: string, out: string) => string[];
      exampleReportArgs: (out: string) => string[];
    };
    await cli(...example.exampleBaselineArgs(root));
    for (const hh of example.EXAMPLE_HOURS) await cli(...example.exampleRunArgs(hh, root));
    await cli(...example.exampleReportArgs(root));
    // The drifted hour (05): every section of the page has something to show.
    const last = '05';
    reportUrl = pathToFileURL(join(root, `2026-11-26T${last}`, 'report.html')).href;
    indexUrl = pathToFileURL(join(root, 'index.html')).href;
    timings.example = Date.now() - t0;

    const t1 = Date.now();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    timings.launch = Date.now() - t1;
    mkdirSync(SCREENSHOTS, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    if (root) rmSync(root, { recursive: true, force: true });
    console.info(`browser test timings (ms): ${JSON.stringify(timings)}`);
  });

  it("renders the drifted hour's report.html offline, with every chart drawn", async () => {
    const t0 = Date.now();
    const { page, log } = await watchedPage(browser, reportUrl);
    const drawn = await charts(page);
    // A distance bar and a distribution per feature (10), and the quality charts.
    expect(drawn.filter((c) => c.kind === 'distance')).toHaveLength(10);
    expect(drawn.filter((c) => c.kind === 'distribution')).toHaveLength(10);
    for (const kind of ['quality-metrics', 'confusion-matrix', 'estimated-confusion-matrix', 'slice-error'])
      expect(
        drawn.some((c) => c.kind === kind),
        kind,
      ).toBe(true);
    for (const c of drawn) {
      expect(c.width * c.height, `${c.kind} has a box`).toBeGreaterThan(0);
      expect(c.drawn, `${c.kind} has drawn marks`).toBeGreaterThan(0);
    }
    await expect(page.locator('.verdict .headline').textContent()).resolves.toMatch(
      /^4 of 10 features drifted: /,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'report.png'), fullPage: true });
    expect(log).toEqual({ errors: [], requests: [], dialogs: [] });
    expect(await page.evaluate('window.__csp')).toEqual([]);
    await page.context().close();
    timings.report = Date.now() - t0;
  });

  it('sorts the drift table when a header is clicked', async () => {
    const { page, log } = await watchedPage(browser, reportUrl);
    const before = await tableNames(page);
    // The page opens with drifted features first.
    expect(before.slice(0, 4).sort()).toEqual(['custserv_calls', 'day_mins', 'plan', 'score']);

    await page.click('#drift-table th:nth-child(1) button');
    const byName = await tableNames(page);
    expect(byName).toEqual([...before].sort((a, b) => a.localeCompare(b)));
    expect(byName).not.toEqual(before);
    await expect(page.getAttribute('#drift-table th:nth-child(1)', 'aria-sort')).resolves.toBe('ascending');

    await page.click('#drift-table th:nth-child(1) button');
    expect(await tableNames(page)).toEqual([...byName].reverse());

    // Distance: largest first on the first click.
    await page.click('#drift-table th:nth-child(3) button');
    const distances = await page.$$eval('#drift-table tbody tr td:nth-child(3)', (cells) =>
      cells.map((c) => Number(c.getAttribute('data-v'))),
    );
    expect(distances).toEqual([...distances].sort((a, b) => b - a));
    expect((await tableNames(page))[0]).toBe('score');
    expect(log).toEqual({ errors: [], requests: [], dialogs: [] });
    await page.context().close();
  });

  it('renders index.html over the four hours, each link reaching its window', async () => {
    const t0 = Date.now();
    const { page, log } = await watchedPage(browser, indexUrl);
    const drawn = await charts(page);
    for (const kind of ['heatmap', 'dataset-drift-share', 'records', 'quality'])
      expect(
        drawn.some((c) => c.kind === kind),
        kind,
      ).toBe(true);
    expect(drawn.filter((c) => c.kind === 'feature-trend')).toHaveLength(10);
    for (const c of drawn) {
      expect(c.width * c.height, `${c.kind} has a box`).toBeGreaterThan(0);
      expect(c.drawn, `${c.kind} has drawn marks`).toBeGreaterThan(0);
    }
    // Every link resolves to a file that exists: the points, cells and table rows.
    // SVG links too: resolve each href attribute against the page, as a click would.
    const hrefs = await page.$$eval('a[href]', (links) =>
      links.map((a) => new URL(a.getAttribute('href') ?? '', a.baseURI).href),
    );
    expect(hrefs.length).toBeGreaterThan(30);
    const targets = new Set(hrefs.map((h) => fileURLToPath(h)));
    expect([...targets].sort()).toEqual(
      ['03', '04', '05', '06'].map((hh) => resolve(root, `2026-11-26T${hh}`, 'report.html')),
    );
    // The latest hour (06) drifts as a whole, not feature by feature; hour 05's drift is history.
    await expect(page.locator('.verdict').textContent()).resolves.toMatch(
      /^!\s*No single feature drifts, but the latest window has multivariate drift.*reconstruction error 1\.9 outside \[1\.53, 1\.68\].*Drifted earlier, not now: score \(last 2026-11-26 05:00/s,
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'index.png'), fullPage: true });
    expect(log).toEqual({ errors: [], requests: [], dialogs: [] });
    await page.context().close();
    timings.index = Date.now() - t0;
  });

  it('runs none of the hostile values of a report, in report.html or index.html', async () => {
    const t0 = Date.now();
    const dir = join(root, 'hostile');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'report.html'), reportHtml(hostileReport()));
    writeFileSync(
      join(dir, 'index.html'),
      trendsHtml([
        { path: 'report.html', report: hostileReport('2026-11-26T04:00:00.000Z') },
        {
          path: 'javascript:window.__pwned=10/report.html',
          report: hostileReport('2026-11-26T05:00:00.000Z'),
        },
      ]),
    );
    for (const name of ['report.html', 'index.html']) {
      const { page, log } = await watchedPage(browser, pathToFileURL(join(dir, name)).href);
      // Hover and click everything a payload could hang on; the sorter must still work.
      for (const button of await page.$$('th button')) await button.click();
      await page.mouse.move(200, 300);
      expect(await page.evaluate('typeof window.__pwned'), name).toBe('undefined');
      expect(await page.evaluate('window.__csp'), name).toEqual([]);
      expect(await page.$$eval('script', (s) => s.length), name).toBe(1);
      expect(await page.$$eval('img, iframe, object, embed', (s) => s.length), name).toBe(0);
      const sorted = await page.$$eval('th[aria-sort]', (s) => s.length);
      expect(sorted, `${name}: the sorter ran`).toBeGreaterThan(0);
      expect(log, name).toEqual({ errors: [], requests: [], dialogs: [] });
      await page.context().close();
    }
    timings.hostile = Date.now() - t0;
  });
});
