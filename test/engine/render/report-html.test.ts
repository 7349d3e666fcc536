/**
 * report.html and index.html as text: what they show for a report, and that no value from the
 * data reaches them unescaped (hostile names, categories, descriptions, numbers that are not
 * numbers). The browser test opens the same hostile report in Chromium and checks nothing runs.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FeatureDrift } from '../../../functions/engine/drift/compare.ts';
import { escapeHtml } from '../../../functions/engine/render/html-escape.ts';
import {
  PAGE_CSP,
  reportHtml,
  SORT_SCRIPT,
  SORT_SCRIPT_HASH,
} from '../../../functions/engine/render/report-html.ts';
import { trendsHtml } from '../../../functions/engine/render/trends-html.ts';
import type { Report } from '../../../functions/engine/report/report-model.ts';
import { ALL_HOSTILE, HOSTILE, hostileReport, LONG } from '../../browser/hostile-report.ts';
import {
  attributionSection,
  biasSection,
  feature as fixtureFeature,
  report as fixtureReport,
  multivariateResult,
} from '../../sinks/report-fixture.ts';

/** The only elements the pages are made of: anything else came from the data. */
const ELEMENTS = new Set(
  (
    'html head meta title style body main header footer section article div span p b a h1 h2 h3 ul li dl dt dd ' +
    'table thead tbody tr th td button script svg g rect line text polyline circle'
  ).split(' '),
);

/** Every tag the page opens or closes, by name (the doctype aside). */
function tagNames(html: string): Set<string> {
  return new Set([...html.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => m[1]!.toLowerCase()));
}

/** Every start tag with its quoted attribute values removed: what is left is names and markup. */
function tagsWithoutValues(html: string): string[] {
  return [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0].replace(/"[^"]*"/g, '""'));
}

/** The checks both pages must pass for any report. */
function expectNothingUnescaped(page: string): void {
  // One script: the sorter, byte for byte. The rest of the page is markup and escaped text.
  // (Booleans rather than toContain/toMatch throughout: a failure would print megabytes of page.)
  expect(page.match(/<script/gi)).toHaveLength(1);
  expect(page.includes(`<script>${SORT_SCRIPT}</script>`)).toBe(true);
  const html = page.replace(`<script>${SORT_SCRIPT}</script>`, '');
  expect([...tagNames(html)].filter((t) => !ELEMENTS.has(t))).toEqual([]);
  // No tag has an event handler, an unquoted value or a javascript: URL.
  const tags = tagsWithoutValues(html);
  expect(tags.filter((t) => /\son[a-z]+\s*=/i.test(t))).toEqual([]);
  expect(tags.filter((t) => /=\s*[^"\s>]/.test(t))).toEqual([]);
  expect(/(href|src)\s*=\s*"\s*javascript:/i.test(html)).toBe(false);
  // Raw script payloads appear nowhere, their escaped forms do.
  for (const p of ALL_HOSTILE) {
    if (/[<>"'&]/.test(p)) expect(html.includes(p), p.slice(0, 60)).toBe(false);
  }
  expect(html.match(/<script>window|<script>alert|<img|<svg onload|<b onmouseover/i)?.[0]).toBeUndefined();
}

describe('report.html safety', () => {
  const html = reportHtml(hostileReport());

  it('escapes every hostile value from the data', () => {
    expectNothingUnescaped(html);
  });

  it('shows the hostile values as text: escaped in full where they are named', () => {
    for (const p of [
      HOSTILE.script,
      HOSTILE.img,
      HOSTILE.cell,
      HOSTILE.quote,
      HOSTILE.style,
      HOSTILE.title,
      HOSTILE.comment,
      LONG,
    ]) {
      expect(html.includes(escapeHtml(p)), p.slice(0, 60)).toBe(true);
    }
    // Text that is already an entity is escaped again, so the reader sees it as written.
    expect(html).toContain('&amp;lt;script&amp;gt;');
    // Unicode passes through as it is.
    expect(html).toContain(HOSTILE.unicode);
  });

  it('names its one script by hash in a CSP that allows no request', () => {
    const hash = `sha256-${createHash('sha256').update(SORT_SCRIPT, 'utf8').digest('base64')}`;
    expect(SORT_SCRIPT_HASH).toBe(hash);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${PAGE_CSP}">`);
    expect(PAGE_CSP).toBe(
      `default-src 'none'; script-src '${hash}'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'`,
    );
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('prints numbers that are not numbers as escaped text, not as markup', () => {
    const r = hostileReport();
    const f = r.features[0]!;
    // A report.json from a bucket can hold anything: strings where numbers belong.
    r.features[0] = {
      ...f,
      missing: HOSTILE.script as unknown as number,
      distance: HOSTILE.img as unknown as number,
      threshold: HOSTILE.cell as unknown as number,
    };
    r.records.profiled = HOSTILE.style as unknown as number;
    const out = reportHtml(r);
    expectNothingUnescaped(out);
    expect(out).toContain(escapeHtml(HOSTILE.img));
  });
});

describe('index.html safety', () => {
  it('escapes every hostile value and percent-encodes hostile paths', () => {
    const html = trendsHtml([
      { path: `${HOSTILE.href}/report.html`, report: hostileReport('2026-11-26T03:00:00.000Z') },
      {
        path: `../"><script>window.__pwned=1</script>/report.html`,
        report: hostileReport('2026-11-26T04:00:00.000Z'),
      },
      { path: `${LONG}/report.html`, report: hostileReport('2026-11-26T05:00:00.000Z') },
    ]);
    expectNothingUnescaped(html);
    // Booleans, not toContain: a failure would print megabytes of page.
    expect(html.includes('href="javascript%3Awindow.__pwned%3D10/report.html"')).toBe(true);
    expect(html.includes('href="../%22%3E%3Cscript%3Ewindow.__pwned%3D1%3C/script%3E/report.html"')).toBe(
      true,
    );
    expect(html.includes(escapeHtml(HOSTILE.script))).toBe(true);
  });
});

const sides = <T>(baseline: T, current: T) => ({ baseline, current });

/** A numeric feature of 100 values (report-fixture's defaults are categorical). */
const feature = (name: string, over: Partial<FeatureDrift>): FeatureDrift =>
  fixtureFeature(name, { type: 'numeric', count: 100, distance: 0, ...over });

/** A report of 100 records (3 rejected) over these features, every one counted in the dataset share. */
function plainReport(features: FeatureDrift[], over: Partial<Report> = {}): Report {
  const drifted = features.filter((f) => f.drifted).length;
  return fixtureReport(features, [], {
    records: {
      total: 100,
      profiled: 97,
      rejected: 3,
      rejectedByReason: { invalid_json: 3 },
      outsideWindow: 0,
    },
    datasetDrift: {
      monitoredFeatures: features.length,
      driftedFeatures: drifted,
      share: drifted / features.length,
      threshold: 0.5,
      detected: drifted / features.length >= 0.5,
    },
    baseline: { source: 'driftwatch', path: 'baseline/' },
    ...over,
  });
}

/** The drift table's rows, by feature name, in page order. */
function tableOrder(html: string): string[] {
  const table = html.slice(
    html.indexOf('id="drift-table"'),
    html.indexOf('</table>', html.indexOf('id="drift-table"')),
  );
  return [...table.matchAll(/<td class="name" data-v="([^"]*)"/g)].map((m) => m[1]!);
}

describe('report.html content', () => {
  const numeric = {
    count: sides(1000, 100),
    ks: { statistic: 0.3, pValue: 0.001 },
    linfRobust: 0.25,
    binEdges: [1, 2, 3],
    binProportions: sides([0.25, 0.25, 0.25, 0.25], [0.1, 0.1, 0.2, 0.6]),
    psi: 0.5,
    jensenShannon: 0.3,
    wasserstein: 0.7,
    wassersteinNorm: 0.6,
    mean: sides(2, 2.8),
    stdDev: sides(1, 1),
    min: sides(0, 0.2),
    max: sides(4, 4.5),
    sum: sides(2000, 280),
  };
  const categories = Array.from({ length: 12 }, (_, i) => `c${String(i).padStart(2, '0')}`);
  const categorical = {
    count: sides(1000, 100),
    categories,
    proportions: sides(
      categories.map(() => 1 / 12),
      categories.map((_, i) => (i === 11 ? 0.45 : 0.05)),
    ),
    linf: 0.37,
    linfRobust: 0.3,
    chiSquare: { statistic: 50, pValue: 1e-8 },
    psi: 0.4,
    jensenShannon: 0.2,
  };
  const r = plainReport([
    feature('quiet', {
      metrics: { ...numeric, binProportions: sides([0.25, 0.25, 0.25, 0.25], [0.25, 0.25, 0.25, 0.25]) },
    }),
    feature('price', { metrics: numeric, distance: 0.25, drifted: true }),
    feature('region', {
      type: 'categorical',
      metrics: categorical,
      distance: 1e-8,
      threshold: 0.05,
      distanceMetric: 'chiSquarePValue',
      drifted: true,
    }),
    feature('empty', {
      metrics: null,
      distance: null,
      threshold: null,
      distanceMetric: null,
      monitored: false,
      note: 'no values in the window',
    }),
  ]);
  const html = reportHtml(r);

  it('leads with the verdict: which features drifted, and the dataset share', () => {
    expect(html).toMatch(
      /<div class="headline">Dataset drift: 2 of 4 features drifted: (price, region|region, price)<\/div>/,
    );
    expect(html).toContain('Dataset drift <b>detected</b>: 50% of monitored features drifted');
    expect(html).toContain('<h1>Window 2026-11-26 05:00 – 06:00 UTC</h1>');
  });

  it('lists drifted features first, with the rule each is judged by', () => {
    expect(tableOrder(html).slice(0, 2).sort()).toEqual(['price', 'region']);
    expect(tableOrder(html).at(-1)).toBe('empty');
    expect(html).toContain('linfRobust &gt; 0.1');
    expect(html).toContain('chiSquarePValue &lt; 0.05');
    expect(html).toContain('no values in the window');
  });

  it('draws a distance bar per feature, a histogram per numeric feature on the baseline bins', () => {
    expect(html.match(/data-chart="distance"/g)).toHaveLength(4);
    expect(html.match(/data-chart="distribution"/g)).toHaveLength(3);
    // price: 4 bins, each drawn twice (baseline and window), each with its shares in the title.
    expect(html).toContain('<title>price (1, 2]: baseline 25%, this window 10%</title>');
    expect(html).toContain('<title>price (3, 4.5]: baseline 25%, this window 60%</title>');
  });

  it('draws the top 8 categories and sums the rest as "other"', () => {
    expect(html).toContain('region = c11: baseline 8.3%, this window 45%');
    expect(html).toContain('region = other (4 categories): baseline 33%, this window 20%');
  });

  it('says when there is no quality and no rejection, and lists rejections by reason', () => {
    expect(html).toContain('No ground truth was given for this run');
    expect(html).toMatch(/<td class="name" title="invalid_json">invalid_json<\/td>/);
    const none = reportHtml(
      plainReport([feature('a', {})], {
        records: { total: 5, profiled: 5, rejected: 0, rejectedByReason: {}, outsideWindow: 0 },
      }),
    );
    expect(none).toContain('None: every record of the window was profiled.');
  });

  it('draws the ROC curve when the quality report has one, and the confusion matrices', () => {
    const q = hostileReport().quality!;
    const withCurve = reportHtml(
      plainReport([feature('a', {})], {
        quality: {
          ...q,
          rocCurve: { false_positive_rates: [0, 0.1, 0.5, 1], true_positive_rates: [0, 0.6, 0.9, 1] },
        } as typeof q,
      }),
    );
    expect(withCurve).toContain('data-chart="roc"');
    expect(withCurve).toContain('aria-label="ROC curve, AUC 0.81"');
    expect(withCurve).toContain('data-chart="confusion-matrix"');
    expect(withCurve).toContain('data-chart="estimated-confusion-matrix"');
    expect(withCurve).toContain('data-chart="quality-metrics"');
    expect(reportHtml(plainReport([feature('a', {})], { quality: q }))).not.toContain('data-chart="roc"');
  });

  it('shows bias per facet value: each metric, baseline against window, the two rules, significant first', () => {
    const out = reportHtml(plainReport([feature('a', {})], { bias: biasSection() }));

    const table = out.slice(
      out.indexOf('<table class="sortable" id="bias">'),
      out.indexOf('</table>', out.indexOf('id="bias"')),
    );
    const rows = [...table.matchAll(/<tr class="[^"]*">(.*?)<\/tr>/g)].map((m) =>
      [...m[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((c) => c[1]!.replace(/<[^>]+>/g, '')),
    );
    expect(rows).toEqual([
      ['region', 'south', 'post-training', 'DPPL', '0.02', '0.31', 'farther from ideal', 'significant'],
      ['region', 'south', 'pre-training', 'CI', '0.1', '0.12', 'farther from ideal', 'within noise'],
    ]);
    expect(out).toContain('300 labelled predictions counted. 1 significant violation');
    expect(out).toContain('1 significant bias violation.');
    expect(out).toMatch(/<div class="k">Bias violations<\/div><div class="v">1<\/div>/);
  });

  it('shows the multivariate error against its band, components, and the top 10 features by mean squared residual', () => {
    const contributions = Array.from({ length: 12 }, (_, i) => ({
      feature: `f${i}`,
      share: (12 - i) / 78,
      meanSquaredResidual: 12 - i,
    }));
    const out = reportHtml(
      plainReport([feature('a', {})], {
        multivariate: multivariateResult({ featureContributions: contributions, overflowRows: 2 }),
      }),
    );

    expect(out).toContain('<h2>Multivariate drift</h2>');
    expect(out).toContain('band 0.95 – 1.08; outside the band: drifted');
    expect(out).toContain('explain 82% of the baseline&#39;s standardised variance');
    expect(out).toContain(
      'aria-label="reconstruction error 1.23 against the band 0.95 to 1.08: outside, drifted"',
    );
    const bars = out.slice(out.indexOf('data-chart="multivariate-contributions"'));
    expect(
      [...bars.slice(0, bars.indexOf('</svg>')).matchAll(/<text[^>]*class="label"[^>]*>([^<]*)</g)].map(
        (m) => m[1],
      ),
    ).toEqual(contributions.slice(0, 10).map((c) => c.feature));
    expect(out).toContain('top 10 of 12');
    expect(out).toContain('of the window; 2 more not scored (their error overflows the double range)');
    expect(out).toContain('<title>f0: mean squared residual 12, 15% of the error</title>');
    expect(out).toContain('No feature drifted alone, but the features moved together: multivariate drift');
  });

  it('renders a report without bias or multivariate (older reports) without their sections, and null as not measured', () => {
    const older = reportHtml(plainReport([feature('a', {})]));
    const none = reportHtml(plainReport([feature('a', {})], { bias: null, multivariate: null }));

    expect(older).not.toContain('<h2>Bias</h2>');
    expect(older).not.toContain('<h2>Multivariate drift</h2>');
    expect(none).toContain('<h2>Bias</h2>\n<p class="none">Not measured for this window');
    expect(none).toContain(
      '<h2>Multivariate drift</h2>\n<p class="none">Not measured: the baseline has no multivariate model',
    );
  });

  it('escapes hostile facet and feature names in the bias table and the contribution bars', () => {
    const out = reportHtml(hostileReport());
    const table = out.slice(out.indexOf('id="bias"'), out.indexOf('</table>', out.indexOf('id="bias"')));
    const bars = out.slice(out.indexOf('data-chart="multivariate-contributions"'));

    expect(table).toContain(`title="${escapeHtml(HOSTILE.script)}"`);
    expect(table).toContain(escapeHtml(HOSTILE.img));
    expect(bars.slice(0, bars.indexOf('</svg>'))).toContain(
      `<title>${escapeHtml(HOSTILE.svg)}: mean squared residual 3`,
    );
  });

  it('shows the attribution nDCG against 0.9, the cost, and both rankings as bars and a table', () => {
    const out = reportHtml(plainReport([feature('a', {})], { attribution: attributionSection() }));

    expect(out).toContain('<h2>Feature attribution drift</h2>');
    expect(out).toMatch(
      /<div class="stat bad"><div class="k">nDCG<\/div><div class="v">0\.612<\/div><div class="s">below 0\.9: the ranking drifted<\/div>/,
    );
    expect(out).toContain('<div class="k">Records explained</div><div class="v">100 / 118</div>');
    expect(out).toContain(
      '<div class="k">Model rows</div><div class="v">701</div><div class="s">2 requests to churn-shadow</div>',
    );
    expect(out).toContain('aria-label="nDCG 0.612 against the threshold 0.9: below, drifted"');
    expect(out).toContain('Feature attribution ranking drifted (nDCG 0.612, threshold 0.9).');
    const bars = out.slice(out.indexOf('data-chart="attribution-bars"'));
    expect(
      [...bars.slice(0, bars.indexOf('</svg>')).matchAll(/<text[^>]*class="label"[^>]*>([^<]*)</g)].map(
        (m) => m[1],
      ),
    ).toEqual(['age', 'plan', 'Day Mins']);
    expect(out).toContain('<title>age: baseline 0.05 (#3), window 0.7 (#1)</title>');
    const table = out.slice(
      out.indexOf('id="attribution"'),
      out.indexOf('</table>', out.indexOf('id="attribution"')),
    );
    expect([...table.matchAll(/<tr><td class="name" title="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'age',
      'plan',
      'Day Mins',
    ]);
    expect(out).toContain('Fewer records than rows: explaining 100 of 118 rows');
  });

  it('says what failed or stopped an explanation, and null as not measured', () => {
    const failed = reportHtml(
      plainReport([feature('a', {})], {
        attribution: attributionSection({
          window: null,
          ndcg: null,
          drifted: false,
          error: 'model call 1 failed: ThrottlingException (HTTP 429)',
          stoppedEarly: 'deadline passed after 0 of 100 records',
          reason: null,
        }),
      }),
    );
    const none = reportHtml(plainReport([feature('a', {})], { attribution: null }));

    expect(failed).toContain('not measured: the explanation failed');
    expect(failed).toContain(
      '<li>The explanation failed: model call 1 failed: ThrottlingException (HTTP 429)</li>',
    );
    expect(failed).toContain(
      '<li>The explanation stopped early: deadline passed after 0 of 100 records</li>',
    );
    expect(failed).not.toContain('data-chart="attribution-ndcg"');
    expect(none).toContain(
      '<h2>Feature attribution drift</h2>\n<p class="none">Not measured for this window',
    );
    expect(reportHtml(plainReport([feature('a', {})]))).not.toContain('<h2>Feature attribution drift</h2>');
  });

  it('escapes hostile feature names in the attribution bars and table', () => {
    const out = reportHtml(hostileReport());
    const table = out.slice(
      out.indexOf('id="attribution"'),
      out.indexOf('</table>', out.indexOf('id="attribution"')),
    );
    const bars = out.slice(out.indexOf('data-chart="attribution-bars"'));

    expect(table).toContain(`title="${escapeHtml(HOSTILE.svg)}"`);
    expect(table).toContain('title="__proto__"');
    expect(bars.slice(0, bars.indexOf('</svg>'))).toContain(
      `<title>${escapeHtml(HOSTILE.svg)}: baseline 0.2 (#4), window 0.9 (#1)</title>`,
    );
    expect(out).toContain(`<li>The explanation failed: ${escapeHtml(HOSTILE.entity)}</li>`);
  });

  it('shows the endpoint and model version when the report carries them', () => {
    const out = reportHtml({ ...r, endpoint: 'churn-prod', modelVersion: 'v7' } as Report);
    expect(out).toContain('<h1>churn-prod</h1>');
    expect(out).toContain('model version <b>v7</b>');
  });
});
