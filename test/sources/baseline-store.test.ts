/**
 * Reading a baseline folder's model-quality files (functions/sources/baseline-store.ts): errors
 * name the file; in S3, only the files a listing shows are read (a GET of a missing one answers
 * 403 to the monitor role).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BaselineFileError } from '../../functions/engine/sagemaker/baseline-error.ts';
import {
  loadBaseline,
  loadConfiguredBias,
  loadQualityBaseline,
} from '../../functions/sources/baseline-store.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import type { ObjectStore } from '../../functions/stores/object-store.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

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

describe('loadQualityBaseline in S3, as a role that may list only under the baseline prefix', () => {
  const BUCKET = 'ml-data';
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3([BUCKET], {
      principals: { monitor: { listBucket: { [BUCKET]: ['baselines/churn-xgb/*'] } } },
    });
    const put = (key: string, body: string) =>
      s3.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `baselines/churn-xgb/${key}`, Body: body }));
    // A baseline as SageMaker's baselining job leaves it, and a model-quality constraints file
    // without the settings beside it.
    await put('statistics.json', JSON.stringify({ version: 0, dataset: { item_count: 0 }, features: [] }));
    await put('constraints.json', JSON.stringify({ version: 0, features: [] }));
  });
  afterAll(async () => {
    await s3?.stop();
  });
  const store = () => new S3Store(s3.clientAs('monitor'), `s3://${BUCKET}/baselines/churn-xgb`);

  it('reads no model-quality file from a baseline SageMaker made', async () => {
    expect(await loadQualityBaseline(store())).toEqual({ constraints: null, settings: null });
    await expect(loadBaseline(store())).resolves.toBeDefined();
  });

  it('reads the files there are, and only those', async () => {
    await s3.client.send(
      new PutObjectCommand({
        Bucket: BUCKET,
        Key: 'baselines/churn-xgb/model-quality/constraints.json',
        Body: JSON.stringify({
          version: 0,
          binary_classification_constraints: {
            auc: { threshold: 0.7, comparison_operator: 'LessThanThreshold' },
          },
        }),
      }),
    );

    const files = await loadQualityBaseline(store());

    expect(files.settings).toBeNull();
    expect(files.constraints).not.toBeNull();
  });
});

describe('loadConfiguredBias (the deployed bias block)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'driftwatch-configured-bias-'));
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const store = new LocalStore(dir);
  /** A store whose every read is refused, as S3 refuses a role a missing object it may not list. */
  const denied: ObjectStore = {
    location: 's3://bias-bucket/credit/',
    list: () => (async function* () {})(),
    read: () => (async function* () {})(),
    getText: () => Promise.reject(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' })),
    putText: () => Promise.resolve(),
  };

  it('names the object, why it could not be read, and the config field to correct', async () => {
    writeFileSync(join(dir, 'analysis.json'), '{}');
    writeFileSync(join(dir, 'analysis_config.json'), '{"label": ');

    await expect(
      loadConfiguredBias(
        { store: denied, key: 'analysis_config.json', field: 'bias.analysisConfig' },
        { store, key: 'analysis.json', field: 'bias.baseline' },
      ),
    ).rejects.toThrow(
      's3://bias-bucket/credit/analysis_config.json: could not be read (AccessDenied: Access Denied); it may not exist (S3 answers a missing object with AccessDenied to a role that may not list its bucket): upload it, or correct bias.analysisConfig in the config and redeploy',
    );
    await expect(
      loadConfiguredBias(
        { store, key: 'analysis_config.json', field: 'bias.analysisConfig' },
        { store, key: 'analysis.json', field: 'bias.baseline' },
      ),
    ).rejects.toThrow(
      /analysis_config\.json: is not valid JSON \(.*\); upload it, or correct bias\.analysisConfig in the config and redeploy/,
    );
    await expect(
      loadConfiguredBias(
        { store, key: 'analysis_config.json', field: 'bias.analysisConfig' },
        { store, key: 'missing.json', field: 'bias.baseline' },
      ),
    ).rejects.toThrow(/missing\.json: does not exist; upload it, or correct bias\.baseline in the config/);
  });
});
