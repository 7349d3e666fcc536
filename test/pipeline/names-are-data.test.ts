/**
 * Feature and column names are data (issue 17, item 6): a feature named `__proto__`,
 * `constructor`, `toString` or `hasOwnProperty` is profiled, compared, thresholded by the
 * monitor's per-feature overrides, sliced for model quality and kept as a label column like any
 * other name. Each of these names finds something on a plain object's prototype, so a lookup
 * `thresholds[name]` or `row[name]` on `{}` answers for Object.prototype instead.
 */
import { describe, expect, it } from 'vitest';
import { parseMonitorConfig } from '../../functions/contracts/monitor-config.ts';
import type { Baseline } from '../../functions/engine/drift/baseline.ts';
import { planQuality, startWindowQuality } from '../../functions/pipeline/quality-window.ts';
import { runWindow } from '../../functions/pipeline/run-window.ts';
import { readTrainingData } from '../../functions/sources/training-data.ts';
import type { ObjectStore, StoredObject } from '../../functions/stores/object-store.ts';
import { captureLine, csvSide } from '../support/capture-lines.ts';

/** Objects in memory, keyed by path. */
class MemoryStore implements ObjectStore {
  readonly location = 'memory://';
  private readonly objects = new Map<string, string>();

  constructor(files: Record<string, string> = {}) {
    for (const [k, v] of Object.entries(files)) this.objects.set(k, v);
  }

  async *list(prefix = ''): AsyncIterable<StoredObject> {
    for (const key of [...this.objects.keys()].sort())
      if (key.startsWith(prefix)) yield { key, size: Buffer.byteLength(this.objects.get(key)!) };
  }

  async *read(key: string): AsyncIterable<Uint8Array> {
    yield new TextEncoder().encode(this.objects.get(key)!);
  }

  async getText(key: string): Promise<string | null> {
    return this.objects.get(key) ?? null;
  }

  async putText(key: string, body: string): Promise<void> {
    this.objects.set(key, body);
  }
}

/** Every name that finds something on `{}`, as feature names. */
/** Read through a variable: `x.__proto__` would be the accessor, not the field. */
const PROTO = '__proto__';
const NAMES = [PROTO, 'constructor', 'toString', 'hasOwnProperty'] as const;
const HOUR = '2026-11-26T05:00:00Z';
const END = '2026-11-26T06:00:00Z';

/** 400 training rows: each feature 0 to 99, the output `score` 0 to 9.9. */
function trainingCsv(): string {
  const rows = [`${NAMES.join(',')},score`];
  for (let i = 0; i < 400; i++)
    rows.push(`${NAMES.map((_, f) => (i * (7 + f)) % 100).join(',')},${(i % 100) / 10}`);
  return `${rows.join('\n')}\n`;
}

async function baseline(): Promise<Baseline> {
  return readTrainingData(new MemoryStore({ 'train.csv': trainingCsv() }), 'train.csv', {
    outputColumns: ['score'],
  });
}

/** 200 captured records of the hour; `shift` moves every feature (1000: far past the training set). */
function capture(shift: number): MemoryStore {
  const lines = Array.from({ length: 200 }, (_, i) =>
    captureLine({
      input: csvSide(NAMES.map((_, f) => shift + ((i * (7 + f)) % 100)).join(',')),
      output: csvSide(String((i % 100) / 10)),
      time: new Date(Date.parse(HOUR) + i * 1000).toISOString(),
      eventId: `r${i}`,
    }),
  );
  return new MemoryStore({ 'ep/AllTraffic/2026/11/26/05/capture.jsonl': `${lines.join('\n')}\n` });
}

/** The monitor's config as the stack writes it (JSON text: `__proto__` stays a key). */
function monitorConfig(featureThresholds: string) {
  return parseMonitorConfig(
    `{"endpoint":"ep","variants":["AllTraffic"],"scheduleName":"ep-hourly","captureUri":"s3://c/capture","baselineUri":"s3://c/baseline","reportsBucket":"r","reportsPrefix":"","dataMetricsNamespace":"d","modelMetricsNamespace":"m","topicArn":"arn:aws:sns:us-east-1:123456789012:t","featureThresholds":${featureThresholds}}`,
  );
}

async function window(shift: number, featureThresholds: string) {
  const config = monitorConfig(featureThresholds);
  const out = await runWindow({
    baseline: await baseline(),
    baselinePath: 'memory://baseline/',
    capture: capture(shift),
    start: HOUR,
    end: END,
    now: new Date(END),
    featureThresholds: config.featureThresholds,
  });
  return new Map(out.report.features.map((f) => [f.name, f]));
}

describe('a feature named like a property of Object.prototype', () => {
  it('drifts when its values move, while the monitor has overrides for other features', async () => {
    const features = await window(1000, '{"unrelated": 0.5}');

    for (const name of NAMES) {
      const f = features.get(name);
      expect(f, name).toBeDefined();
      expect(f!.monitored, name).toBe(true);
      expect(f!.threshold, name).toBe(0.1);
      expect(f!.drifted, name).toBe(true);
    }
  });

  it("is thresholded by the monitor's per-feature override of its own name", async () => {
    const overrides = `{${NAMES.map((n, i) => `"${n}": 0.99${i}`).join(',')}}`;
    const drifted = await window(1000, overrides);
    const same = await window(0, overrides);

    NAMES.forEach((name, i) => {
      expect(drifted.get(name)!.threshold, name).toBe(Number(`0.99${i}`));
      expect(drifted.get(name)!.drifted, name).toBe(drifted.get(name)!.distance! > Number(`0.99${i}`));
      expect(same.get(name)!.drifted, name).toBe(false);
    });
  });

  it('is sliced for model quality, and the labels join to the predictions', async () => {
    const b = await baseline();
    const labels = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({
        groundTruthData: { data: String((i % 100) / 10 + (i % 2)), encoding: 'CSV' },
        eventMetadata: { eventId: `r${i}` },
        eventVersion: '0',
      }),
    );
    const plan = planQuality(
      b,
      { constraints: null, settings: null },
      {
        groundTruth: new MemoryStore({ 'ep/2026/11/26/05/labels.jsonl': `${labels.join('\n')}\n` }),
        problemType: 'Regression',
        minSliceSupport: 1,
      },
    );
    const run = startWindowQuality(plan);
    const window = await runWindow({
      baseline: b,
      baselinePath: 'memory://baseline/',
      capture: capture(0),
      start: HOUR,
      end: END,
      now: new Date(END),
      predictions: run.spec,
    });
    const { quality } = await run.evaluate(window.predictionParts, { start: HOUR, end: END }, new Date(END));

    expect(Object.keys(plan.sliceBaselines).sort()).toEqual([...NAMES].sort());
    expect(quality.matched).toBe(200);
    const sliced = new Set(quality.slices.map((s) => s.feature));
    for (const name of NAMES) expect(sliced.has(name), name).toBe(true);
    // Every record has a value of each feature: none falls in the `(missing)` slice.
    expect(quality.slices.filter((s) => s.missing)).toEqual([]);
  });
});

describe('a label column named __proto__', () => {
  it('keeps its labels in the rows a quality baseline reads', async () => {
    const csv = '__proto__,constructor,toString\n1,5,a\n0,6,b\n1,7,c\n';
    const rows: Array<Readonly<Record<string, unknown>>> = [];

    const b = await readTrainingData(new MemoryStore({ 'train.csv': csv }), 'train.csv', {
      labelColumn: '__proto__',
      onRow: (row) => rows.push(row),
    });

    expect(rows.map((r) => (Object.hasOwn(r, '__proto__') ? r[PROTO] : 'lost'))).toEqual(['1', '0', '1']);
    expect(rows.map((r) => r.constructor)).toEqual(['5', '6', '7']);
    expect(rows.map((r) => r.toString)).toEqual(['a', 'b', 'c']);
    expect(b.labelColumn).toBe('__proto__');
    expect(b.features.map((f) => f.name)).toEqual(['constructor', 'toString']);
  });

  it('is read from JSON Lines training rows as a field like any other', async () => {
    const jsonl = '{"__proto__": 1, "x": 2}\n{"__proto__": 0, "x": 3}\n{"x": 4}\n';
    const rows: unknown[] = [];

    const b = await readTrainingData(new MemoryStore({ 'train.jsonl': jsonl }), 'train.jsonl', {
      onRow: (row) => rows.push(Object.hasOwn(row, '__proto__') ? row[PROTO] : 'missing'),
    });

    expect(rows).toEqual([1, 0, 'missing']);
    const proto = b.features.find((f) => f.name === '__proto__')!;
    expect(proto.profile.missing).toBe(1);
  });
});
