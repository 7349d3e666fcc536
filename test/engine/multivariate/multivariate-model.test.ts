/**
 * `multivariate.json`: what is written is read back as the same model, and a damaged file is
 * refused with a message naming the field and the fix.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonShapeError } from '../../../functions/contracts/json-fields.ts';
import {
  type FitColumn,
  fitMultivariateModel,
} from '../../../functions/engine/multivariate/multivariate-fit.ts';
import {
  type MultivariateModel,
  type MultivariateModelJson,
  multivariateModelToJson,
  parseMultivariateModel,
} from '../../../functions/engine/multivariate/multivariate-model.ts';
import type { FeatureValue } from '../../../functions/engine/multivariate/row-values.ts';

interface OracleCase {
  name: string;
  columns: string[];
  categorical: string[];
  baseline: FeatureValue[][];
}

const ORACLE = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/multivariate-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };

/** The oracle's case with missing values: a numeric and a categorical imputation to carry. */
function oracleModel(): MultivariateModel {
  const c = ORACLE.cases.find((x) => x.name.startsWith('missing values'))!;
  const columns: FitColumn[] = c.columns.map((name) => ({
    name,
    kind: c.categorical.includes(name) ? 'categorical' : 'numeric',
  }));
  const fit = fitMultivariateModel(columns, () => c.baseline);
  if (fit.model === null) throw new Error(fit.reason);
  return fit.model;
}

const FIX = '; refit the multivariate model from the training data';

describe('multivariate.json', () => {
  const model = oracleModel();
  const json = multivariateModelToJson(model);

  it('reads back what it wrote, every number exactly', () => {
    const text = JSON.stringify(json);
    const parsed = parseMultivariateModel(JSON.parse(text));
    expect(parsed).toEqual(model);
    expect(JSON.stringify(multivariateModelToJson(parsed))).toBe(text);
  });

  it('lists frequencies by share, largest first, as [category, share] pairs', () => {
    const e = json.features.find((f) => f.name === 'e')!;
    expect(e.kind).toBe('categorical');
    if (e.kind !== 'categorical') return;
    expect(e.frequencies.map(([category]) => category)).toEqual(['red', 'green', 'blue']);
    expect(e.imputation).toBe('red');
    // red's share counts the rows whose missing value it imputes (1433 + 151 of 3000).
    expect(e.frequencies[0]![1]).toBe((1433 + 151) / 3000);
  });

  it('keeps a category named like an object property as data', () => {
    const damaged = structuredClone(json);
    const e = damaged.features[4]!;
    if (e.kind === 'categorical') e.frequencies.push(['__proto__', 0], ['constructor', 0]);
    const parsed = parseMultivariateModel(damaged).features[4]!;
    if (parsed.kind === 'categorical') expect(parsed.frequencies.get('__proto__')).toBe(0);
  });
});

describe('parseMultivariateModel refuses', () => {
  const json = multivariateModelToJson(oracleModel());

  /** The message a copy of the model damaged by `damage` is refused with. */
  function refusal(damage: (j: MultivariateModelJson & Record<string, unknown>) => void): string {
    const copy = structuredClone(json) as MultivariateModelJson & Record<string, unknown>;
    damage(copy);
    try {
      parseMultivariateModel(copy);
    } catch (e) {
      expect(e).toBeInstanceOf(JsonShapeError);
      return (e as Error).message;
    }
    throw new Error('the damaged model was accepted');
  }

  it.each<[string, (j: MultivariateModelJson & Record<string, unknown>) => void, string]>([
    [
      'a newer version',
      (j) => {
        j.version = 2;
      },
      'multivariate.json: version is 2, but this driftwatch reads version 1 (or use the driftwatch that wrote it)',
    ],
    [
      'another method',
      (j) => {
        j.method = 'autoencoder';
      },
      'multivariate.json: method must be one of "pca-reconstruction" (got "autoencoder")',
    ],
    [
      'a single feature',
      (j) => {
        j.features = j.features.slice(0, 1);
      },
      'multivariate.json: features must list at least two features (got 1)',
    ],
    [
      'a feature listed twice',
      (j) => {
        j.features[1] = j.features[0]!;
      },
      'multivariate.json: feature "a" is listed twice; keep one entry per feature',
    ],
    [
      'an unknown kind',
      (j) => {
        (j.features[0] as { kind: string }).kind = 'text';
      },
      'multivariate.json: features[0].kind must be one of "numeric", "categorical" (got "text")',
    ],
    [
      'a numeric imputation that is not a number',
      (j) => {
        (j.features[0] as { imputation: unknown }).imputation = 'mean';
      },
      'multivariate.json: features[0].imputation must be a finite number (got "mean")',
    ],
    [
      'an imputation that is not a known category',
      (j) => {
        (j.features[4] as { imputation: unknown }).imputation = 'purple';
      },
      'multivariate.json: features[4].imputation is "purple", which is not among the feature\'s frequencies (it must be the most frequent category)',
    ],
    [
      'a share above 1',
      (j) => {
        const e = j.features[4]!;
        if (e.kind === 'categorical') e.frequencies[0]![1] = 1.5;
      },
      'multivariate.json: features[4].frequencies[0][1] must be a finite number from 0 to 1 (got 1.5)',
    ],
    [
      'a category listed twice',
      (j) => {
        const e = j.features[4]!;
        if (e.kind === 'categorical') e.frequencies.push(['red', 0.1]);
      },
      'multivariate.json: features[4].frequencies[3] repeats the category "red"',
    ],
    [
      'a scaler entry missing',
      (j) => {
        j.scaler.mean.pop();
      },
      'multivariate.json: scaler.mean must have 5 entries, one per feature (got 4)',
    ],
    [
      'a scale of 0',
      (j) => {
        j.scaler.scale[2] = 0;
      },
      'multivariate.json: scaler.scale[2] must be above 0 (got 0)',
    ],
    [
      'a component of the wrong length',
      (j) => {
        j.pca.components[1] = j.pca.components[1]!.slice(1);
      },
      'multivariate.json: pca.components[1] must have 5 entries, one per feature (got 4)',
    ],
    [
      'a component that is not a unit vector',
      (j) => {
        j.pca.components[0] = [1, 1, 0, 0, 0];
      },
      `multivariate.json: pca.components[0] must be a unit vector (its length is ${Math.SQRT2})`,
    ],
    [
      'no components',
      (j) => {
        j.pca.components = [];
        j.pca.explainedVarianceRatio = [];
      },
      'multivariate.json: pca.components must hold from 1 to 5 components (one per kept component; got 0)',
    ],
    [
      'a ratio per component missing',
      (j) => {
        j.pca.explainedVarianceRatio.pop();
      },
      'multivariate.json: pca.explainedVarianceRatio must have 2 entries, one per component (got 1)',
    ],
    [
      'thresholds out of order',
      (j) => {
        j.thresholds.upper = j.thresholds.lower / 2;
      },
      `multivariate.json: thresholds.upper must not be below thresholds.lower (${json.thresholds.lower / 2} < ${json.thresholds.lower})`,
    ],
    [
      'a missing section',
      (j) => {
        Reflect.deleteProperty(j, 'thresholds');
      },
      'multivariate.json: thresholds must be an object (got nothing)',
    ],
  ])('%s', (_, damage, message) => {
    expect(refusal(damage)).toBe(message + FIX);
  });

  it('names its source instead of multivariate.json when given, and refuses what is not an object', () => {
    expect(() => parseMultivariateModel([], 's3://bucket/baseline/multivariate.json')).toThrow(
      `s3://bucket/baseline/multivariate.json must be an object (got [])${FIX}`,
    );
  });
});
