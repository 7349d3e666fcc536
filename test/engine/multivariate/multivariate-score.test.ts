/**
 * The window score as parts use it: any split of a window's rows, scored apart and merged in any
 * order (through JSON, as parts cross threads), gives the whole window's result; small windows
 * report what they cannot know as null; a part of another model is refused.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type FitColumn,
  fitMultivariateModel,
} from '../../../functions/engine/multivariate/multivariate-fit.ts';
import {
  featureColumns,
  type MultivariateModel,
} from '../../../functions/engine/multivariate/multivariate-model.ts';
import {
  type MultivariateResult,
  MultivariateScore,
} from '../../../functions/engine/multivariate/multivariate-score.ts';
import { Reconstruction } from '../../../functions/engine/multivariate/reconstruction.ts';
import type { FeatureValue } from '../../../functions/engine/multivariate/row-values.ts';

interface OracleCase {
  name: string;
  columns: string[];
  categorical: string[];
  baseline: FeatureValue[][];
  windows: { name: string; rows: FeatureValue[][] }[];
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/multivariate-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };
const CASE = ORACLE.cases.find((c) => c.name.startsWith('missing values'))!;

function modelOf(c: OracleCase, columns = c.columns): MultivariateModel {
  const fitColumns: FitColumn[] = columns.map((name) => ({
    name,
    kind: c.categorical.includes(name) ? 'categorical' : 'numeric',
  }));
  const at = columns.map((name) => c.columns.indexOf(name));
  const result = fitMultivariateModel(fitColumns, () => c.baseline.map((r) => at.map((i) => r[i])));
  if (result.model === null) throw new Error(result.reason);
  return result.model;
}

function scored(model: MultivariateModel, rows: readonly FeatureValue[][]): MultivariateScore {
  const score = new MultivariateScore(model);
  for (const row of rows) score.addRow(row);
  return score;
}

/** Rows scored in blocks of `size` (as capture objects arrive), `first` being the first row's index. */
function scoredInBlocks(
  model: MultivariateModel,
  rows: readonly FeatureValue[][],
  size: number,
  first = 0,
): MultivariateScore {
  const score = new MultivariateScore(model);
  rows.forEach((row, i) => {
    if ((first + i) % size === 0) score.beginBlock();
    score.addRow(row);
  });
  return score;
}

function expectSameResult(got: MultivariateResult, want: MultivariateResult): void {
  expect(got.rows).toBe(want.rows);
  expect(Math.abs(got.value! - want.value!)).toBeLessThanOrEqual(1e-12);
  expect(Math.abs(got.samplingError! - want.samplingError!)).toBeLessThanOrEqual(1e-12);
  expect(got.drifted).toBe(want.drifted);
  got.featureContributions.forEach((f, j) => {
    const w = want.featureContributions[j]!;
    expect(Math.abs(f.share - w.share)).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(f.meanSquaredResidual - w.meanSquaredResidual)).toBeLessThanOrEqual(1e-12);
  });
}

describe('MultivariateScore', () => {
  const model = modelOf(CASE);
  const rows = CASE.windows[0]!.rows.slice(0, 300);
  const whole = scored(model, rows).result();

  it('merges any split of a window, in any order, through JSON, into the whole, bit for bit', () => {
    const splits = fc.uniqueArray(fc.integer({ min: 0, max: rows.length }), { maxLength: 5 });
    fc.assert(
      fc.property(splits, fc.integer({ min: 0, max: 1000 }), (cuts, rotation) => {
        const edges = [0, ...cuts.sort((a, b) => a - b), rows.length];
        const parts = edges.slice(1).map((end, i) => scored(model, rows.slice(edges[i]!, end)).toJSON());
        const merged = new MultivariateScore(model);
        for (let i = 0; i < parts.length; i++) {
          const part = JSON.parse(JSON.stringify(parts[(i + rotation) % parts.length]));
          merged.merge(MultivariateScore.fromJSON(model, part));
        }
        expectSameResult(merged.result(), whole);
      }),
      { numRuns: 50 },
    );
  });

  it('merges splits at block boundaries (capture objects), in any order, into the whole bit for bit', () => {
    const size = 23;
    const blocks = Math.ceil(rows.length / size);
    const wholeInBlocks = scoredInBlocks(model, rows, size).result();
    expectSameResult(wholeInBlocks, whole);
    const splits = fc.uniqueArray(fc.integer({ min: 0, max: blocks }), { maxLength: 6 });
    fc.assert(
      fc.property(splits, fc.integer({ min: 0, max: 1000 }), (cuts, rotation) => {
        const edges = [0, ...cuts.sort((a, b) => a - b), blocks].map((b) => Math.min(rows.length, b * size));
        const parts = edges
          .slice(1)
          .map((end, i) => scoredInBlocks(model, rows.slice(edges[i]!, end), size, edges[i]!).toJSON());
        const merged = new MultivariateScore(model);
        for (let i = 0; i < parts.length; i++) {
          const part = JSON.parse(JSON.stringify(parts[(i + rotation) % parts.length]));
          merged.merge(MultivariateScore.fromJSON(model, part));
        }
        // Exact sums of per-block sums: threads and fan-out workers give the one-piece bits.
        expect(merged.result()).toEqual(wholeInBlocks);
      }),
      { numRuns: 50 },
    );
  });

  it('measures rows against the residual basis when it is smaller, as the rebuild does', () => {
    // Weak correlations keep 3 of 5 components: 2 residual vectors measure the rows.
    const wide = ORACLE.cases.find((c) => c.name === 'weakly correlated')!;
    const fitted = modelOf(wide);
    expect(fitted.pca.residualComponents!.length).toBeLessThan(fitted.pca.components.length);
    const { residualComponents: _, ...pca } = fitted.pca;
    const rebuilt = { ...fitted, pca };
    const w = wide.windows[0]!.rows;
    const viaBasis = scoredInBlocks(fitted, w, 50).result();
    const viaRebuild = scoredInBlocks(rebuilt, w, 50).result();
    expectSameResult(viaBasis, viaRebuild);
    for (const row of w.slice(0, 20)) {
      const a = new Float64Array(5);
      const b = new Float64Array(5);
      expect(
        Math.abs(new Reconstruction(fitted).error(row, a) - new Reconstruction(rebuilt).error(row, b)),
      ).toBeLessThan(1e-12);
      for (let j = 0; j < 5; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(1e-12);
    }
  });

  it('has no value without rows, and no sampling error below two rows', () => {
    const empty = new MultivariateScore(model).result();
    expect(empty).toMatchObject({ rows: 0, value: null, samplingError: null, drifted: false });
    expect(empty.featureContributions.map((f) => f.share)).toEqual([0, 0, 0, 0, 0]);
    const one = scored(model, rows.slice(0, 1)).result();
    expect(one.value).toBeGreaterThan(0);
    expect(one.samplingError).toBeNull();
  });

  it('lists every feature by its share of the squared residuals, largest first', () => {
    const shares = whole.featureContributions.map((f) => f.share);
    expect([...shares].sort((a, b) => b - a)).toEqual(shares);
    expect(whole.featureContributions.map((f) => f.feature).sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(Math.abs(shares.reduce((s, x) => s + x, 0) - 1)).toBeLessThanOrEqual(1e-12);
  });

  it('scores a row of missing values as the baseline imputes it', () => {
    const missing = scored(model, [[null, undefined, 'n/a', '', Number.NaN]]).result();
    const imputed = model.features.map((f) => f.imputation);
    expect(missing.value).toBe(scored(model, [imputed]).result().value);
  });

  it('reads rows in another column order, a column the rows lack counting as missing', () => {
    const header = ['e', 'extra', 'c', 'a', 'd'];
    const columns = featureColumns(model, header);
    expect(columns).toEqual([3, -1, 2, 4, 0]);
    const reordered = rows.map(([a, , c, d, e]) => [e, 'ignored', c, a, d]);
    const withoutB = rows.map(([a, , c, d, e]) => [a, null, c, d, e]);
    const got = new MultivariateScore(model, columns);
    for (const row of reordered) got.addRow(row);
    expect(got.result()).toEqual(scored(model, withoutB).result());
  });

  it('refuses a part scored against another model', () => {
    const other = modelOf(CASE, ['b', 'a', 'c', 'd', 'e']);
    expect(() => scored(model, rows).merge(scored(other, rows))).toThrow(
      'cannot merge multivariate scores of different models; score every part against the same multivariate.json',
    );
  });

  it('refuses a part whose JSON does not fit the model', () => {
    const json = { ...scored(model, rows).toJSON(), squaredResiduals: [1, 2] };
    expect(() => MultivariateScore.fromJSON(model, json, 'parts[3]')).toThrow(
      'parts[3].squaredResiduals must list 5 sums, one per model feature; was the part scored against another model?',
    );
    expect(() => MultivariateScore.fromJSON(model, { ...json, rows: -1 }, 'parts[3]')).toThrow(
      'parts[3].rows must be a whole number not below 0 (got -1)',
    );
  });
});
