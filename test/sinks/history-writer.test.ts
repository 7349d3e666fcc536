/** The history writer: both objects of a window at their keys, validated before anything is written. */
import { describe, expect, it } from 'vitest';
import { writeHistory } from '../../functions/sinks/history-writer.ts';
import type { ObjectStore } from '../../functions/stores/object-store.ts';
import { feature, report } from './report-fixture.ts';

/** A store that keeps what is put, and fails on keys containing `failOn`. */
function memoryStore(failOn?: string) {
  const objects = new Map<string, { body: string; contentType: string }>();
  const store: ObjectStore = {
    location: 's3://reports/driftwatch',
    async *list() {},
    async *read() {},
    getText: async (key) => objects.get(key)?.body ?? null,
    putText: async (key, body, contentType) => {
      if (failOn && key.includes(failOn)) throw new Error('AccessDenied');
      objects.set(key, { body, contentType });
    },
  };
  return { store, objects };
}

describe('writeHistory', () => {
  it('writes the feature lines and the window line under the hour of the window', async () => {
    const { store, objects } = memoryStore();

    const written = await writeHistory(store, report([feature('a'), feature('b')]), {
      endpoint: 'xgb-churn',
      schedule: 'driftwatch-hourly',
    });

    expect(written).toEqual({
      features: 'history/features/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/05.jsonl',
      windows: 'history/windows/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/05.jsonl',
      featureLines: 2,
    });
    const lines = objects.get(written.features)!.body.split('\n');
    expect(lines.map((l) => (l ? JSON.parse(l).feature : l))).toEqual(['a', 'b', '']);
    expect(objects.get(written.windows)!.body.trimEnd().split('\n')).toHaveLength(1);
    expect(objects.get(written.windows)!.contentType).toBe('application/x-ndjson');
  });

  it('names the store and the key when a write fails', async () => {
    const { store } = memoryStore('history/windows/');

    await expect(
      writeHistory(store, report([feature('a')]), { endpoint: 'xgb-churn', schedule: 'driftwatch-hourly' }),
    ).rejects.toThrow(
      "s3://reports/driftwatch/history/windows/endpoint=xgb-churn/schedule=driftwatch-hourly/dt=2026-11-26/05.jsonl: cannot write the window's history (AccessDenied)",
    );
  });

  it('writes nothing for a name that cannot be a partition value', async () => {
    const { store, objects } = memoryStore();

    await expect(
      writeHistory(store, report([feature('a')]), { endpoint: '', schedule: 's' }),
    ).rejects.toThrow('history: the endpoint name is empty; give a name');
    expect(objects.size).toBe(0);
  });
});
