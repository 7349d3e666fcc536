/**
 * The multivariate drift model of a baseline folder: fitted from the training data when the
 * baseline is made (two more streaming reads of the file), read back by every run.
 */
import { MULTIVARIATE_FILE } from '../contracts/baseline-layout.ts';
import { JsonShapeError } from '../contracts/json-fields.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { type FitColumn, MultivariateFitter } from '../engine/multivariate/multivariate-fit.ts';
import { type MultivariateModel, parseMultivariateModel } from '../engine/multivariate/multivariate-model.ts';
import { featureValue } from '../engine/multivariate/multivariate-rows.ts';
import type { MultivariateScore } from '../engine/multivariate/multivariate-score.ts';
import type { FeatureValue } from '../engine/multivariate/row-values.ts';
import type { WindowMultivariate } from '../engine/report/window-result.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import type { ObjectStore } from '../stores/object-store.ts';
import { readTrainingRows } from './training-data.ts';

/** A baseline's multivariate model, or why there is none (for the report's warnings). */
export type MultivariateBaseline = { model: MultivariateModel } | { model: null; reason: string };

/** A window's multivariate outcome from its baseline and its merged score (`null`: not scored). */
export function windowMultivariate(
  baseline: MultivariateBaseline,
  score: MultivariateScore | null,
): WindowMultivariate {
  if (score !== null) return { score };
  return { reason: baseline.model === null ? baseline.reason : 'multivariate drift not measured' };
}

/**
 * Fits the multivariate model on the training file the baseline was built from: its input
 * features, numeric or categorical as the baseline inferred them. Features the baseline keeps
 * no distribution of (id-like texts: a category per row) are left out, as a frequency encoding
 * of them would be noise the size of the data.
 */
export async function fitTrainingModel(
  store: ObjectStore,
  key: string,
  baseline: Baseline,
  options: { noHeader?: boolean } = {},
): Promise<MultivariateBaseline> {
  const inputs = baseline.features.filter((f) => f.role === 'input');
  const columns: FitColumn[] = [];
  const excluded: { name: string; reason: string }[] = [];
  for (const f of inputs) {
    if (!f.hasDistribution)
      excluded.push({
        name: f.name,
        reason: 'an id-like text column: the baseline keeps no distribution of it',
      });
    else columns.push({ name: f.name, kind: f.kind });
  }
  if (columns.length < 2)
    return {
      model: null,
      reason: `the baseline has ${columns.length} input feature${columns.length === 1 ? '' : 's'} to fit on; the multivariate model needs at least two`,
    };
  const names = columns.map((c) => c.name);
  const row = new Array<FeatureValue>(names.length);
  const convert = (values: readonly unknown[]) => {
    for (let j = 0; j < row.length; j++) row[j] = featureValue(values[j]);
    return row;
  };
  const fitter = new MultivariateFitter(columns);
  await readTrainingRows(store, key, names, options, (values) => fitter.addRow(convert(values)));
  const components = fitter.fitComponents();
  if (!components.ok) return { model: null, reason: components.reason };
  await readTrainingRows(store, key, names, options, (values) =>
    components.thresholds.addRow(convert(values)),
  );
  const model = components.thresholds.finish();
  return { model: { ...model, excluded: [...excluded, ...model.excluded] } };
}

/**
 * The baseline folder's multivariate model: `null` with the reason when it has none (SageMaker's
 * own files, or a driftwatch baseline made before the model existed). Lists the folder first:
 * S3 answers a role without ListBucket 403, not 404, for a missing key.
 */
export async function loadMultivariateModel(
  store: ObjectStore,
  baseline: Baseline,
): Promise<MultivariateBaseline> {
  let present = false;
  for await (const o of store.list()) if (o.key === MULTIVARIATE_FILE) present = true;
  if (!present)
    return {
      model: null,
      reason:
        baseline.source === 'sagemaker'
          ? `multivariate drift not measured: the baseline is SageMaker's statistics.json, which has no rows to fit a model on; make the baseline with driftwatch baseline from the training data`
          : `multivariate drift not measured: the baseline folder has no ${MULTIVARIATE_FILE}; remake the baseline with this version of driftwatch baseline`,
    };
  const file = `${store.location.replace(/\/$/, '')}/${MULTIVARIATE_FILE}`;
  const text = await store.getText(MULTIVARIATE_FILE);
  if (text === null) throw new BaselineFileError(file, 'disappeared while being read; re-run');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new BaselineFileError(file, `is not valid JSON (${(e as Error).message}); remake the baseline`);
  }
  try {
    return { model: parseMultivariateModel(json, file) };
  } catch (e) {
    if (e instanceof JsonShapeError) {
      const field = e.path === file ? '' : `${e.path.slice(file.length + 2)} `;
      throw new BaselineFileError(file, `${field}${e.problem}`);
    }
    throw e;
  }
}
