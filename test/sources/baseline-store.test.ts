/**
 * Reading a baseline folder's model-quality files (functions/sources/baseline-store.ts): errors
 * name the file.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BaselineFileError } from '../../functions/engine/sagemaker/baseline-error.ts';
import { loadQualityBaseline } from '../../functions/sources/baseline-store.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';

describe('loadQualityBaseline', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-quality-baseline-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads nothing from a folder without model-quality files', async () => {
    expect(await loadQualityBaseline(new LocalStore(dir))).toEqual({ constraints: null, settings: null });
  });

  it('names the file when its constraints are not valid JSON or not model-quality constraints', async () => {
    await mkdir(join(dir, 'bad/model-quality'), { recursive: true });
    writeFileSync(join(dir, 'bad/model-quality/constraints.json'), '{"binary_classification_constraints": ');
    const err = await loadQualityBaseline(new LocalStore(join(dir, 'bad'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BaselineFileError);
    expect((err as Error).message).toMatch(/bad\/model-quality\/constraints\.json: is not valid JSON/);

    writeFileSync(join(dir, 'bad/model-quality/constraints.json'), '{"version": 0.0, "features": []}');
    const err2 = await loadQualityBaseline(new LocalStore(join(dir, 'bad'))).catch((e: unknown) => e);
    expect((err2 as Error).message).toMatch(/constraints\.json: no model-quality constraints section/);
  });
});
