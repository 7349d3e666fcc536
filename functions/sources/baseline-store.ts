/**
 * Reads a baseline folder (local or S3): driftwatch's `baseline.json` when present (exact
 * comparisons), else SageMaker's own `statistics.json` (sketch comparisons); `constraints.json`
 * from the same folder in both cases.
 */

import { type Baseline, baselineFromJson, baselineFromSageMaker } from '../engine/drift/baseline.ts';
import { BaselineFileError } from '../engine/sagemaker/baseline-error.ts';
import { type ConstraintsDoc, parseConstraints } from '../engine/sagemaker/sagemaker-constraints.ts';
import { parseStatistics } from '../engine/sagemaker/sagemaker-statistics.ts';
import type { ObjectStore } from '../stores/object-store.ts';

export const BASELINE_FILE = 'baseline.json';
export const STATISTICS_FILE = 'statistics.json';
export const CONSTRAINTS_FILE = 'constraints.json';

export async function loadBaseline(store: ObjectStore): Promise<Baseline> {
  const where = (f: string) => `${store.location.replace(/\/$/, '')}/${f}`;
  // List first and read only what exists: with a least-privilege role S3 answers a GET of a
  // missing key with 403, not 404, which must not read as "the baseline is broken".
  const present = new Set<string>();
  for await (const o of store.list()) if (!o.key.includes('/')) present.add(o.key);
  const read = (f: string) => (present.has(f) ? store.getText(f) : Promise.resolve(null));
  const constraintsText = await read(CONSTRAINTS_FILE);
  const constraints: ConstraintsDoc | null =
    constraintsText === null
      ? null
      : parseConstraints(parseJson(constraintsText, where(CONSTRAINTS_FILE)), where(CONSTRAINTS_FILE));
  const own = await read(BASELINE_FILE);
  if (own !== null)
    return baselineFromJson(parseJson(own, where(BASELINE_FILE)), constraints, where(BASELINE_FILE));
  const stats = await read(STATISTICS_FILE);
  if (stats === null)
    throw new BaselineFileError(
      store.location,
      "holds neither baseline.json nor statistics.json; create one with `driftwatch baseline TRAIN.csv --out DIR` or point --baseline at SageMaker's baseline output",
    );
  return baselineFromSageMaker(
    parseStatistics(parseJson(stats, where(STATISTICS_FILE)), where(STATISTICS_FILE)),
    constraints,
  );
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new BaselineFileError(
      file,
      `is not valid JSON (${(e as Error).message}); restore it or rebuild the baseline`,
    );
  }
}
