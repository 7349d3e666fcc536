/**
 * The explainability configuration: Clarify's SHAP fields and driftwatch's own, read with their
 * defaults; every mistake reported at once with its field; captured attributions read by path;
 * use_logit's transform.
 */
import { describe, expect, it } from 'vitest';
import { logit, withLogitOutput } from '../../../functions/engine/attribution/batch-model.ts';
import {
  CapturedAttributionTally,
  readCapturedAttributions,
} from '../../../functions/engine/attribution/captured-attributions.ts';
import {
  ExplainConfigError,
  parseExplainConfig,
} from '../../../functions/engine/attribution/explain-config.ts';
import { parseFieldPath, valueAt } from '../../../functions/engine/attribution/field-path.ts';
import { functionModel } from '../../support/model-endpoint.ts';

describe('parseExplainConfig', () => {
  it('reads the defaults from an empty shap section', () => {
    const c = parseExplainConfig({ methods: { shap: {} } });
    expect(c).toMatchObject({
      baseline: null,
      numSamples: null,
      aggMethod: 'mean_abs',
      useLogit: false,
      seed: null,
      contentType: 'text/csv',
      acceptType: 'text/csv',
      label: 'label0',
      attributionsPath: null,
    });
    expect(c.predictionPath.text).toBe('score');
  });

  it('reads every field', () => {
    const c = parseExplainConfig({
      methods: {
        shap: {
          baseline: [[1, 'red', null]],
          num_samples: 500,
          agg_method: 'median',
          use_logit: true,
          seed: 7,
        },
        post_training_bias: { methods: 'all' },
      },
      predictor: { content_type: 'application/json', label_headers: ['churn'] },
      predictionPath: 'predictions.0.score',
      attributionsPath: 'explanations.shap',
    });
    expect(c.baseline).toEqual({ rows: [[1, 'red', null]] });
    expect(c).toMatchObject({
      numSamples: 500,
      aggMethod: 'median',
      useLogit: true,
      seed: 7,
      label: 'churn',
    });
    expect(c.contentType).toBe('application/json');
    expect(c.acceptType).toBe('application/json');
    expect(c.predictionPath.segments).toEqual(['predictions', '0', 'score']);
    expect(c.attributionsPath?.segments).toEqual(['explanations', 'shap']);
    expect(parseExplainConfig({ methods: { shap: { baseline: 's3://b/base.csv' } } }).baseline).toEqual({
      uri: 's3://b/base.csv',
    });
  });

  it('reports every mistake at once, each with its field', () => {
    let error: unknown;
    try {
      parseExplainConfig({
        methods: { shap: { baseline: [[1, 2], [3]], num_samples: 0, agg_method: 'max', use_logit: 'yes' } },
        predictor: { content_type: 'text/plain' },
        attributionsPath: 'a..b',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExplainConfigError);
    expect((error as ExplainConfigError).problems).toEqual([
      'methods.shap.baseline[1]: has 1 values where row 0 has 2; give every row one value per feature',
      'methods.shap.num_samples: must be a whole number of 1 or more (got 0); leave it out for 2 × features + 2048',
      'methods.shap.agg_method: must be one of "mean_abs", "median", "mean_sq" (got "max")',
      'methods.shap.use_logit: must be true or false (got "yes")',
      'predictor.content_type: must be one of "text/csv", "application/json" (got "text/plain")',
      'attributionsPath: must be a dotted path such as "predictions.0.shap" (names and list positions separated by dots, none empty), got "a..b"',
    ]);
    expect((error as Error).message).toMatch(/^analysis_config\.json has 6 problems:/);
  });

  it('asks for the shap section', () => {
    expect(() => parseExplainConfig({ methods: {} })).toThrow('methods.shap: is missing');
  });
});

describe('captured attributions', () => {
  const features = ['a', '__proto__', 'c'];
  it('reads a list in feature order or an object by feature name', () => {
    const path = parseFieldPath('predictions.0.shap')!;
    const listed = readCapturedAttributions({ predictions: [{ shap: [1, 2, 3] }] }, path, features);
    expect(listed).toEqual({ values: Float64Array.of(1, 2, 3) });
    const named = readCapturedAttributions(
      JSON.parse('{"predictions":[{"shap":{"c":3,"__proto__":2,"a":1,"extra":9}}]}'),
      path,
      features,
    );
    expect(named).toEqual({ values: Float64Array.of(1, 2, 3) });
  });

  it('tallies outputs, counting those without attributions by problem', () => {
    const tally = new CapturedAttributionTally(features, parseFieldPath('shap')!);
    expect(tally.add({ shap: [1, -2, 3] })).toBe(true);
    expect(tally.add({ shap: [-3, 2, 1] })).toBe(true);
    expect(tally.add({ shap: [1, 2] })).toBe(false);
    expect(tally.add({ score: 0.4 })).toBe(false);
    expect(tally.add({ shap: { a: 1, c: 2 } })).toBe(false);
    expect(tally.accepted).toBe(2);
    expect([...tally.rejected]).toEqual([
      [`the output's "shap" lists 2 values for 3 features`, 1],
      [`the output's "shap" is missing`, 1],
      [`the output's "shap" has no finite number for feature "__proto__"`, 1],
    ]);
    expect(tally.global('mean_abs')).toEqual([2, 2, 2]);
  });

  it('follows paths through lists and objects keyed by digits', () => {
    expect(valueAt({ a: [{ b: 1 }] }, parseFieldPath('a.0.b')!)).toBe(1);
    expect(valueAt({ a: { 0: 5 } }, parseFieldPath('a.0')!)).toBe(5);
    expect(valueAt([1, 2], parseFieldPath('x')!)).toBeUndefined();
    expect(valueAt(7, parseFieldPath('')!)).toBe(7);
  });
});

describe('use_logit', () => {
  it('takes the logit of the model output', async () => {
    expect(logit(0.5)).toBe(0);
    expect(logit(0.8)).toBeCloseTo(Math.log(4), 14);
    expect(Number.isFinite(logit(1))).toBe(true);
    const model = withLogitOutput(functionModel((x) => x[0]!));
    expect(await model.predict([[0.2], [0.5]])).toEqual([Math.log(0.25), 0]);
    await expect(model.predict([[0.5], [1.5]])).rejects.toThrow('row 1 of a batch is not a probability');
  });
});
