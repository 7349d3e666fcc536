/**
 * A report whose every text field carries markup, script and oddities, for the safety tests:
 * test/engine/render/report-html.test.ts checks the HTML as text, test/browser/report.browser.test.ts
 * opens it in Chromium and checks that nothing ran. Each script payload sets `window.__pwned`, so
 * the browser test can tell a payload that ran from one that did not.
 */
import type { CategoricalMetrics } from '../../functions/engine/drift/categorical-drift.ts';
import type { FeatureDrift } from '../../functions/engine/drift/compare.ts';
import type { NumericMetrics } from '../../functions/engine/drift/numeric-drift.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';

/** Values that would run, break the markup or confuse a reader if they reached the page raw. */
export const HOSTILE = {
  script: '<script>window.__pwned=1;alert(1)</script>',
  img: '"><img src=x onerror="window.__pwned=2;alert(2)">',
  svg: "'><svg onload=window.__pwned=3>",
  cell: '</td></tr></table><script>window.__pwned=4</script>',
  quote: "'; window.__pwned=5; alert(1); '",
  title: '</title><script>window.__pwned=6</script>',
  style: '</style><script>window.__pwned=7</script>',
  comment: '<!-- --><script>window.__pwned=8</script>',
  entity: '&lt;script&gt;window.__pwned=9&lt;/script&gt;',
  href: 'javascript:window.__pwned=10',
  unicode: 'größe 📈 데이터 \u202Eevil\u202C zero\u200Bwidth',
} as const;

/** About 100 kB of markup in one value. */
export const LONG = `${'<b onmouseover="window.__pwned=11">x</b>'.repeat(2_500)}END`;

export const ALL_HOSTILE: readonly string[] = [...Object.values(HOSTILE), LONG];

const sides = <T>(baseline: T, current: T) => ({ baseline, current });

/** An object with `names` as own fields, whatever they are (`__proto__` included), as report.json has them. */
function hostileRecord(names: readonly string[], values: readonly number[]): Record<string, number> {
  const o: Record<string, number> = {};
  names.forEach((name, i) => {
    Object.defineProperty(o, name, {
      value: values[i],
      enumerable: true,
      writable: true,
      configurable: true,
    });
  });
  return o;
}

function numeric(): NumericMetrics {
  return {
    count: sides(1000, 200),
    ks: { statistic: 0.4, pValue: 1e-30 },
    linfRobust: 0.35,
    binEdges: [1, 2, 3, 4],
    binProportions: sides([0.2, 0.2, 0.2, 0.2, 0.2], [0.05, 0.05, 0.1, 0.3, 0.5]),
    psi: 0.9,
    jensenShannon: 0.4,
    wasserstein: 1.2,
    wassersteinNorm: 0.8,
    mean: sides(2.5, 3.6),
    stdDev: sides(1.4, 1.1),
    min: sides(0, 0.5),
    max: sides(5, 5.5),
    sum: sides(2500, 720),
  };
}

function categorical(categories: string[]): CategoricalMetrics {
  const n = categories.length;
  const even = categories.map(() => 1 / n);
  const skewed = categories.map((_, i) => (i === 0 ? 0.5 : 0.5 / (n - 1)));
  return {
    count: sides(1000, 200),
    categories,
    proportions: sides(even, skewed),
    linf: 0.42,
    linfRobust: 0.3,
    chiSquare: { statistic: 88, pValue: 1e-12 },
    psi: 0.6,
    jensenShannon: 0.3,
  };
}

function feature(name: string, over: Partial<FeatureDrift>): FeatureDrift {
  return {
    name,
    role: 'input',
    type: 'numeric',
    count: 200,
    missing: 3,
    typeMismatch: 1,
    method: 'exact',
    metrics: null,
    distance: 0.35,
    threshold: 0.1,
    distanceMetric: 'linfRobust',
    drifted: true,
    monitored: true,
    ...over,
  };
}

/** A window's report with hostile text everywhere a string can go; `start` moves the window. */
export function hostileReport(start = '2026-11-26T05:00:00.000Z'): Report {
  const h = HOSTILE;
  const features: FeatureDrift[] = [
    feature(h.script, { metrics: numeric() }),
    feature(h.img, { type: 'categorical', metrics: categorical(ALL_HOSTILE.slice(0, 12) as string[]) }),
    feature(h.cell, {
      type: 'categorical',
      metrics: categorical([h.svg, h.quote, h.unicode]),
      drifted: false,
      distance: 0.02,
    }),
    feature(LONG, { metrics: numeric(), distanceMetric: h.quote }),
    feature(h.unicode, {
      metrics: null,
      distance: null,
      threshold: null,
      distanceMetric: null,
      drifted: false,
      monitored: false,
      note: h.title,
    }),
    feature(h.style, {
      type: 'categorical',
      metrics: categorical(['a', h.entity]),
      distance: 1e-9,
      threshold: 0.05,
      distanceMetric: 'chiSquarePValue',
    }),
  ];
  const end = new Date(Date.parse(start) + 3_600_000).toISOString();
  const report: Report & { endpoint: string; modelVersion: string; variant: string } = {
    version: 1,
    window: { start, end },
    generatedAt: h.comment,
    records: {
      total: 210,
      profiled: 200,
      rejected: 10,
      rejectedByReason: { [h.script]: 4, [h.img]: 3, [LONG]: 2, invalid_json: 1 },
      outsideWindow: 5,
    },
    features,
    datasetDrift: { monitoredFeatures: 5, driftedFeatures: 4, share: 0.8, threshold: 0.5, detected: true },
    violations: [
      { feature_name: h.script, constraint_check_type: 'baseline_drift_check', description: h.img },
      { feature_name: LONG, constraint_check_type: h.cell as 'data_type_check', description: LONG },
    ],
    quality: {
      problemType: 'BinaryClassification',
      threshold: 0.5,
      matched: 150,
      unmatchedPredictions: 50,
      unmatchedLabels: 7,
      duplicateLabels: 0,
      invalidLabels: 0,
      invalidPredictions: 0,
      evaluated: 150,
      metrics: {
        accuracy: 0.8,
        precision: 0.7,
        recall: 0.6,
        f1: 0.65,
        auc: 0.81,
        confusionMatrix: { tn: 90, fp: 10, fn: 20, tp: 30 },
      },
      violations: [
        { metric_name: 'accuracy', constraint_check_type: 'LessThanThreshold', description: h.script },
        { metric_name: h.img, constraint_check_type: 'GreaterThanThreshold', description: h.cell },
      ],
      slices: [
        { feature: h.script, slice: h.img, support: 40, measure: 'errorRate', error: 0.4, difference: 0.2 },
        {
          feature: LONG,
          slice: LONG,
          unseen: true,
          support: 31,
          measure: 'errorRate',
          error: 0.3,
          difference: 0.1,
        },
      ],
      estimated: {
        method: 'confidence-based',
        count: 200,
        invalidScores: 0,
        threshold: 0.5,
        confusionMatrix: { tn: 110.5, fp: 20.25, fn: 30.25, tp: 39 },
        accuracy: 0.75,
        precision: 0.66,
        recall: 0.56,
        f1: 0.6,
      },
      minSliceSupport: 30,
      join: {
        key: 'inferenceId, else eventId',
        labelHours: { start, end },
        lookbackHours: 24,
        labelFiles: 1,
        labels: 157,
        labelsRejected: 0,
        labelsRejectedByReason: {},
        rows: 200,
        rowsWithoutOutput: 0,
        predictionsWithoutKey: 0,
        repeatedPredictionKeys: 0,
      },
      notes: [h.title, h.unicode],
    },
    // Facet names and values, and feature names, are the user's data too.
    bias: {
      matched: 150,
      facets: [
        {
          facet: h.script,
          value: h.img,
          stage: 'post_training',
          metric: 'DPPL',
          baseline: 0.02,
          window: 0.3,
          violation: true,
          significant: true,
        },
        {
          facet: LONG,
          value: h.cell,
          stage: 'pre_training',
          metric: 'CI',
          baseline: 0.1,
          window: 0.12,
          violation: true,
          significant: false,
        },
        {
          facet: h.unicode,
          value: h.entity,
          stage: 'post_training',
          metric: 'DI',
          baseline: 0.9,
          window: null,
          violation: false,
          significant: false,
        },
      ],
      violations: 1,
    },
    multivariate: {
      method: 'pca-reconstruction',
      rows: 200,
      overflowRows: 1,
      components: 3,
      explainedVariance: 0.8,
      value: 1.4,
      samplingError: 0.02,
      lowerThreshold: 0.9,
      upperThreshold: 1.1,
      drifted: true,
      featureContributions: [
        h.svg,
        h.title,
        LONG,
        h.quote,
        h.style,
        h.comment,
        h.href,
        h.unicode,
        h.script,
        h.img,
        h.cell,
        h.entity,
      ].map((feature, i) => ({ feature, share: 1 / 2 ** (i + 1), meanSquaredResidual: 3 / (i + 1) })),
    },
    // Feature names of the explanation are the model's, read from the baseline: data too.
    attribution: {
      endpoint: h.title,
      method: 'exact',
      label: h.quote,
      aggMethod: 'mean_abs',
      seed: 7,
      numSamples: null,
      baseline: hostileRecord(
        [h.script, h.img, LONG, h.svg, '__proto__', h.unicode],
        [0.9, 0.5, 0.3, 0.2, 0.1, 0.05],
      ),
      window: hostileRecord(
        [h.script, h.img, LONG, h.svg, '__proto__', h.unicode],
        [0.1, 0.6, 0.2, 0.9, 0.3, 0.05],
      ),
      expectedValue: { baseline: 0.4, window: 0.45 },
      ndcg: 0.62,
      threshold: 0.9,
      drifted: true,
      windowRows: 200,
      recordsPlanned: 100,
      recordsExplained: 40,
      modelRows: 2521,
      requests: 3,
      limitedBy: 'records',
      reason: h.cell,
      stoppedEarly: h.comment,
      error: h.entity,
    },
    baseline: { source: 'driftwatch', path: h.quote },
    warnings: [h.style, LONG, h.comment],
    endpoint: h.title,
    modelVersion: h.svg,
    variant: h.entity,
  };
  return report;
}
