/**
 * The streaming two-read fit against a dense, textbook fit of the same rows (all rows encoded
 * in memory, two-pass covariance): several categorical columns (whose joint counts the oracle's
 * one-categorical cases never exercise), missing values, numeric text, a column offset by 1e6,
 * and a row count that ends mid-block. Also: when there is no model and why, and how values
 * are read.
 */
import { describe, expect, it } from 'vitest';
import {
  type FitColumn,
  fitMultivariateModel,
  MultivariateFitter,
} from '../../../functions/engine/multivariate/multivariate-fit.ts';
import type { MultivariateModel } from '../../../functions/engine/multivariate/multivariate-model.ts';
import {
  categoryText,
  compareCodePoints,
  type FeatureValue,
  numericValue,
} from '../../../functions/engine/multivariate/row-values.ts';
import { mulberry32 } from '../../../functions/engine/stats/seeded-random.ts';
import { symmetricEigen } from '../../../functions/engine/stats/symmetric-eigen.ts';

const COLUMNS: FitColumn[] = [
  { name: 'x', kind: 'numeric' },
  { name: 'colour', kind: 'categorical' },
  { name: 'y', kind: 'numeric' },
  { name: 'size', kind: 'categorical' },
  { name: 'big', kind: 'numeric' },
  { name: 'shape', kind: 'categorical' },
];

/** 1,237 rows: correlated numerics and categories, about 8% missing, some values as text. */
function syntheticRows(n = 1237, seed = 7): FeatureValue[][] {
  const random = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const rows: FeatureValue[][] = [];
  for (let i = 0; i < n; i++) {
    const x = normal();
    const y = 2 * x + 0.5 * normal();
    const colour = x > 0.5 ? 'red' : x < -0.5 ? 'blue' : 'green';
    const size = random() < 0.7 ? (colour === 'red' ? 'L' : 'S') : 'M';
    const shape = random() < 0.5 ? 1 : '2';
    const missing = () => random() < 0.08;
    rows.push([
      missing() ? null : x,
      missing() ? null : colour,
      missing() ? 'n/a' : random() < 0.3 ? String(y) : y,
      missing() ? '' : size,
      1e6 + x + normal() * 0.1,
      missing() ? undefined : shape,
    ]);
  }
  return rows;
}

/** The textbook fit: impute, encode and standardise every row in memory, two-pass covariance. */
function denseFit(columns: readonly FitColumn[], rows: readonly FeatureValue[][]) {
  const n = rows.length;
  const encoders = columns.map((c, j) => {
    if (c.kind === 'numeric') {
      const present = rows.map((r) => numericValue(r[j])).filter((x) => !Number.isNaN(x));
      const mean = present.reduce((s, x) => s + x, 0) / present.length;
      return (v: FeatureValue) => (Number.isNaN(numericValue(v)) ? mean : numericValue(v));
    }
    const counts = new Map<string, number>();
    for (const r of rows) {
      const t = categoryText(r[j]);
      if (t !== null) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const [mode] = [...counts].sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]))[0]!;
    const missing = rows.filter((r) => categoryText(r[j]) === null).length;
    counts.set(mode, counts.get(mode)! + missing);
    return (v: FeatureValue) => counts.get(categoryText(v) ?? mode)! / n;
  });
  const x = rows.map((r) => encoders.map((encode, j) => encode(r[j])));
  const d = columns.length;
  const mean = Array.from({ length: d }, (_, j) => x.reduce((s, r) => s + r[j]!, 0) / n);
  const centred = x.map((r) => r.map((v, j) => v - mean[j]!));
  const scale = mean.map((_, j) => Math.sqrt(centred.reduce((s, r) => s + r[j]! ** 2, 0) / n) || 1);
  const z = centred.map((r) => r.map((v, j) => v / scale[j]!));
  const cov = mean.map((_, j) => mean.map((__, k) => z.reduce((s, r) => s + r[j]! * r[k]!, 0)));
  const eigen = symmetricEigen(cov);
  const total = eigen.values.reduce((s, v) => s + Math.max(0, v), 0);
  return {
    mean,
    scale,
    ratios: Array.from(eigen.values, (v) => Math.max(0, v) / total),
    vectors: eigen.vectors,
  };
}

/** The projector V^T V of the kept components: independent of their signs. */
function projector(components: readonly ArrayLike<number>[], d: number): number[][] {
  return Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (__, j) => components.reduce((s, v) => s + v[i]! * v[j]!, 0)),
  );
}

function fitted(columns: readonly FitColumn[], rows: readonly FeatureValue[][]): MultivariateModel {
  const fit = fitMultivariateModel(columns, () => rows);
  if (fit.model === null) throw new Error(fit.reason);
  return fit.model;
}

describe('the streaming fit', () => {
  const rows = syntheticRows();
  const model = fitted(COLUMNS, rows);
  const dense = denseFit(COLUMNS, rows);
  const k = model.pca.components.length;

  it('standardises as the dense fit does, the 1e6 offset included', () => {
    dense.mean.forEach((m, j) => {
      expect(Math.abs(model.scaler.mean[j]! - m)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(m)));
      expect(Math.abs(model.scaler.scale[j]! / dense.scale[j]! - 1)).toBeLessThanOrEqual(1e-9);
    });
  });

  it('finds the same components and explained variance, to 1e-10', () => {
    expect(k).toBeGreaterThanOrEqual(2);
    model.pca.explainedVarianceRatio.forEach((r, i) => {
      expect(Math.abs(r - dense.ratios[i]!)).toBeLessThan(1e-10);
    });
    const cumulative = dense.ratios.slice(0, k).reduce((s, r) => s + r, 0);
    expect(cumulative).toBeGreaterThan(0.65);
    expect(cumulative - dense.ratios[k - 1]!).toBeLessThanOrEqual(0.65);
    const got = projector(model.pca.components, COLUMNS.length);
    const want = projector(dense.vectors.slice(0, k), COLUMNS.length);
    got.forEach((row, i) => {
      row.forEach((v, j) => {
        expect(Math.abs(v - want[i]![j]!)).toBeLessThan(1e-10);
      });
    });
  });

  it('imputes with the mean and the most frequent category, and encodes by imputed share', () => {
    const [x, colour, , size, , shape] = model.features;
    const presentX = rows.map((r) => r[0]).filter((v): v is number => typeof v === 'number');
    expect(x).toMatchObject({ kind: 'numeric' });
    if (x?.kind === 'numeric')
      expect(Math.abs(x.imputation - presentX.reduce((s, v) => s + v, 0) / presentX.length)).toBeLessThan(
        1e-14,
      );
    expect(colour).toMatchObject({ kind: 'categorical', imputation: 'green' });
    expect(size).toMatchObject({ kind: 'categorical', imputation: 'S' });
    if (shape?.kind !== 'categorical') throw new Error('shape is categorical');
    // The JSON number 1 and the text "1" would be one category; here 1 and "2" are two.
    expect([...shape.frequencies.keys()].sort()).toEqual(['1', '2']);
    const total = [...shape.frequencies.values()].reduce((s, f) => s + f, 0);
    expect(Math.abs(total - 1)).toBeLessThan(1e-15);
  });

  it('fits the same model whether numbers come as numbers or as text', () => {
    const asText = rows.map((r) => r.map((v) => (typeof v === 'number' ? String(v) : v)));
    expect(fitted(COLUMNS, asText)).toEqual(model);
  });

  it('puts the thresholds at the mean of 10 chunk means plus and minus 3 of their deviations', () => {
    const { chunkMeans, chunkMean, chunkStd, lower, upper } = model.thresholds;
    expect(chunkMeans).toHaveLength(10);
    expect(Math.abs(chunkMean - chunkMeans.reduce((s, m) => s + m, 0) / 10)).toBeLessThan(1e-15);
    expect(upper).toBe(chunkMean + 3 * chunkStd);
    expect(lower).toBe(Math.max(0, chunkMean - 3 * chunkStd));
  });
});

describe('the fit reads values', () => {
  const pairs = (n: number, v: (i: number) => [FeatureValue, FeatureValue]) =>
    Array.from({ length: n }, (_, i) => v(i));
  const two: FitColumn[] = [
    { name: 'a', kind: 'numeric' },
    { name: 'b', kind: 'categorical' },
  ];

  it('counts wrong-type text in a numeric column as missing', () => {
    const withText = pairs(40, (i) => [i % 5 === 0 ? 'oops' : i * 1.5, i % 3 === 0 ? 'p' : 'q']);
    const withNull = withText.map(([a, b]) => [a === 'oops' ? null : a, b]);
    expect(fitted(two, withText)).toEqual(fitted(two, withNull));
  });

  it('breaks a tie of most frequent categories by the smaller text', () => {
    const rows = pairs(40, (i) => [i, i < 5 ? null : i % 2 === 0 ? 'zebra' : 'apple']);
    const b = fitted(two, rows).features[1]!;
    expect(b).toMatchObject({ kind: 'categorical', imputation: 'apple' });
    if (b.kind === 'categorical') expect(b.frequencies.get('apple')).toBe(23 / 40);
  });

  it('treats a number in a categorical column as its text', () => {
    const rows = pairs(20, (i) => [i, i % 2 === 0 ? 1 : '1']);
    const b = fitted(two, rows).features[1]!;
    if (b.kind === 'categorical') expect([...b.frequencies]).toEqual([['1', 1]]);
  });
});

describe('no model', () => {
  it('needs two columns with values: one column is not enough', () => {
    const fit = fitMultivariateModel([{ name: 'a', kind: 'numeric' }], () => [[1], [2], [3]]);
    expect(fit.model).toBeNull();
    expect(fit.reason).toBe(
      'the multivariate model needs at least two input columns with values in the baseline; 1 found',
    );
  });

  it('leaves out a column without values, and says so', () => {
    const columns: FitColumn[] = [
      { name: 'a', kind: 'numeric' },
      { name: 'b', kind: 'numeric' },
      { name: 'c', kind: 'categorical' },
    ];
    const rows = Array.from({ length: 30 }, (_, i) => [i, 'text', null]);
    const fit = fitMultivariateModel(columns, () => rows);
    expect(fit.model).toBeNull();
    expect(fit.reason).toBe(
      'the multivariate model needs at least two input columns with values in the baseline; 1 found, ' +
        'left out: "b" (no numeric value in the baseline), "c" (no value in the baseline)',
    );
    const three = fitted(
      [...columns, { name: 'd', kind: 'numeric' }],
      rows.map((r, i) => [...r, (i * 7) % 11]),
    );
    expect(three.features.map((f) => f.name)).toEqual(['a', 'd']);
    expect(three.excluded).toEqual([
      { name: 'b', reason: 'no numeric value in the baseline' },
      { name: 'c', reason: 'no value in the baseline' },
    ]);
  });

  it('needs at least 10 rows, one per threshold chunk', () => {
    const fit = fitMultivariateModel(
      [
        { name: 'a', kind: 'numeric' },
        { name: 'b', kind: 'numeric' },
      ],
      () => [
        [1, 2],
        [2, 1],
      ],
    );
    expect(fit.reason).toBe(
      'the baseline has 2 rows; the multivariate thresholds need at least 10 (one per chunk)',
    );
  });

  it('needs some variance', () => {
    const rows = Array.from({ length: 12 }, () => [5, 'same']);
    const fit = fitMultivariateModel(
      [
        { name: 'a', kind: 'numeric' },
        { name: 'b', kind: 'categorical' },
      ],
      () => rows,
    );
    expect(fit.reason).toBe('every usable column is constant in the baseline: there is no variance to model');
  });
});

describe('the two reads', () => {
  const columns: FitColumn[] = [
    { name: 'a', kind: 'numeric' },
    { name: 'b', kind: 'numeric' },
  ];
  const rows = Array.from({ length: 25 }, (_, i) => [i, (i * 7) % 5]);

  function afterRead1() {
    const fitter = new MultivariateFitter(columns);
    for (const row of rows) fitter.addRow(row);
    expect(fitter.rows).toBe(25);
    const components = fitter.fitComponents();
    if (!components.ok) throw new Error(components.reason);
    return components.thresholds;
  }

  it('refuses a second read shorter than the first', () => {
    const read2 = afterRead1();
    for (const row of rows.slice(1)) read2.addRow(row);
    expect(() => read2.finish()).toThrow(
      'read 2 of the multivariate fit got 24 rows, read 1 got 25; both reads must see the same rows in the same order',
    );
  });

  it('refuses a second read longer than the first', () => {
    const read2 = afterRead1();
    for (const row of rows) read2.addRow(row);
    expect(() => read2.addRow(rows[0]!)).toThrow(
      'read 2 of the multivariate fit got more than the 25 rows of read 1',
    );
  });

  it('refuses a column named twice', () => {
    expect(() => new MultivariateFitter([...columns, { name: 'a', kind: 'categorical' }])).toThrow(
      'column "a" is listed twice; give each column once',
    );
  });
});
