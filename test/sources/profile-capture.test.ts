// profileObjects' deadline hook: asked between objects only, and what was read is the profile.
import { describe, expect, it } from 'vitest';
import { BaselineBuilder, captureSchema } from '../../functions/engine/drift/baseline.ts';
import { WindowProfiler } from '../../functions/engine/profile/window-profiler.ts';
import { profileObjects, selectCaptureObjects } from '../../functions/sources/profile-capture.ts';
import type { ObjectStore, StoredObject } from '../../functions/stores/object-store.ts';
import { captureLine, csvSide } from '../support/capture-lines.ts';

/** Ten objects of two records each, in memory, fetched ahead like S3; counts the reads started. */
class CaptureInMemory implements ObjectStore {
  readonly location = 'memory://capture/';
  readonly readAhead: number;
  readonly started: string[] = [];
  readonly objects: StoredObject[] = [];
  private readonly bodies = new Map<string, Uint8Array>();

  constructor(readAhead: number) {
    this.readAhead = readAhead;
    for (let i = 0; i < 10; i++) {
      const key = `e/AllTraffic/2026/11/26/05/${String(i).padStart(2, '0')}.jsonl`;
      const body = new TextEncoder().encode(
        `${[0, 1].map((k) => captureLine({ input: csvSide(String(i * 2 + k)) })).join('\n')}\n`,
      );
      this.bodies.set(key, body);
      this.objects.push({ key, size: body.length });
    }
  }

  async *list(): AsyncIterable<StoredObject> {
    yield* this.objects;
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    this.started.push(key);
    yield this.bodies.get(key)!;
  }

  async getText(): Promise<string | null> {
    return null;
  }

  async putText(): Promise<void> {}
}

function profiler(): WindowProfiler {
  const b = new BaselineBuilder(['x']);
  for (let i = 0; i < 20; i++) b.addFields([String(i)]);
  return new WindowProfiler(captureSchema(b.finish()));
}

describe('profileObjects with shouldStop', () => {
  it.each([1, 4])(
    'stops between objects and profiles only the objects read (read-ahead %i)',
    async (ahead) => {
      const store = new CaptureInMemory(ahead);
      const asked: number[] = [];
      const done: number[] = [];

      const profile = await profileObjects(
        store,
        store.objects,
        profiler(),
        (n) => done.push(n),
        () => {
          asked.push(done.at(-1) ?? 0);
          return asked.length === 3;
        },
      );

      // Never asked before the first object: asked after objects 1, 2 and 3, stopped at the third answer.
      expect(asked).toEqual([1, 2, 3]);
      expect(done).toEqual([1, 2, 3]);
      expect(profile.total).toBe(6);
      expect(profile.profiled).toBe(6);
    },
  );

  it('reads every object when it never says stop', async () => {
    const store = new CaptureInMemory(1);
    let asked = 0;

    const profile = await profileObjects(store, store.objects, profiler(), undefined, () => {
      asked++;
      return false;
    });

    expect(asked).toBe(9);
    expect(profile.total).toBe(20);
    expect(store.started).toHaveLength(10);
  });
});

describe('selectCaptureObjects', () => {
  it('never selects driftwatch own output files, in any door (a report folder inside the capture tree)', async () => {
    const store = new CaptureInMemory(0);
    for (const name of ['report.json', 'statistics.json', 'constraint_violations.json', 'summary-sent.json'])
      store.objects.push({ key: `e/AllTraffic/2026/11/26/05/${name}`, size: 10 });

    const sel = await selectCaptureObjects(store, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);

    expect(sel.objects).toHaveLength(10);
    expect(sel.skipped).toEqual([
      'e/AllTraffic/2026/11/26/05/report.json',
      'e/AllTraffic/2026/11/26/05/statistics.json',
      'e/AllTraffic/2026/11/26/05/constraint_violations.json',
      'e/AllTraffic/2026/11/26/05/summary-sent.json',
    ]);
  });
});
