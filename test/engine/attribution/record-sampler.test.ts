/**
 * The row sink that keeps a window's rows to explain (record-sampler.ts): it keeps exactly the
 * rows `selectRecords` picks from the whole window, in bounded memory, whatever the window's
 * split into parts (worker threads) and the order the parts merge in; keys read in place hash as
 * their text does; rows without a key are keyed by their position.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  modelValue,
  RecordSampler,
  type RecordSamplerSpec,
} from '../../../functions/engine/attribution/record-sampler.ts';
import { selectRecords } from '../../../functions/engine/attribution/record-selection.ts';
import { ByteSpan } from '../../../functions/engine/profile/row-sink.ts';
import { WindowProfiler } from '../../../functions/engine/profile/window-profiler.ts';
import { captureLine, csvSide, profileLines, separateSchema } from '../../support/capture-lines.ts';

const spec = (capacity: number, seed = 7): RecordSamplerSpec => ({
  features: [
    { name: 'x', kind: 'numeric' },
    { name: 'city', kind: 'categorical' },
  ],
  capacity,
  seed,
});

/** A window: objects of rows, each row a key (maybe missing) and its values. */
type Row = { key: string | undefined; x: number };
const windowOf = fc.array(
  fc.array(
    fc.record({ key: fc.option(fc.stringMatching(/^[a-e]{1,3}$/), { nil: undefined }), x: fc.integer() }),
    { maxLength: 12 },
  ),
  { minLength: 1, maxLength: 6 },
);

/** The keys `selectRecords` sees: every row in (object, row) order, a keyless row by its position. */
function flatKeys(objects: Row[][]): string[] {
  return objects.flatMap((rows, o) => rows.map((r, i) => r.key ?? `#${o}:${i}`));
}

function feed(sampler: RecordSampler, objects: Row[][], ordinals: number[]): void {
  for (const o of ordinals) {
    sampler.beginObject(o);
    for (const r of objects[o]!) sampler.row(r.key, [r.x, `c${r.x}`]);
  }
}

describe('RecordSampler', () => {
  it('keeps the rows selectRecords picks from the whole window, for any split and merge order', () => {
    fc.assert(
      fc.property(
        windowOf,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.integer(),
        (objects, n, parts, shuffleSeed) => {
          const keys = flatKeys(objects);
          const expected = selectRecords(keys, n, 7).map((i) => keys[i]!);
          // One piece.
          const whole = new RecordSampler(spec(n));
          feed(
            whole,
            objects,
            objects.map((_, i) => i),
          );
          expect(whole.seen).toBe(keys.length);
          expect(whole.rows().map((r) => r.key)).toEqual(expected);
          // Objects dealt to parts, each part through JSON (a worker's answer), merged in a shuffled order.
          const groups = Array.from({ length: parts }, () => [] as number[]);
          for (let i = 0; i < objects.length; i++)
            groups[(((i * 7 + shuffleSeed) % parts) + parts) % parts]!.push(i);
          const samplers = groups.map((g) => {
            const s = new RecordSampler(spec(n));
            feed(s, objects, g);
            return RecordSampler.fromJSON(spec(n), JSON.parse(JSON.stringify(s.toJSON())));
          });
          if (shuffleSeed % 2 === 0) samplers.reverse();
          const merged = new RecordSampler(spec(n));
          for (const s of samplers) merged.merge(s);
          expect(merged.seen).toBe(keys.length);
          expect(merged.rows()).toEqual(whole.rows());
        },
      ),
    );
  });

  it('holds at most twice the records wanted, however many rows it is offered', () => {
    const s = new RecordSampler(spec(10));
    s.beginObject(0);
    let peak = 0;
    for (let i = 0; i < 5000; i++) {
      s.row(`k${i}`, [i, 'a']);
      // The buffer itself (private): the memory the sampler holds between prunings.
      peak = Math.max(peak, (s as unknown as { kept: unknown[] }).kept.length);
    }
    expect(s.seen).toBe(5000);
    expect(peak).toBeLessThan(20);
    const keys = Array.from({ length: 5000 }, (_, i) => `k${i}`);
    expect(s.rows().map((r) => r.key)).toEqual(selectRecords(keys, 10, 7).map((i) => keys[i]!));
  });

  it('hashes a key read in place (a ByteSpan) as its text', () => {
    const text = new RecordSampler(spec(3));
    const span = new RecordSampler(spec(3));
    text.beginObject(0);
    span.beginObject(0);
    const bytes = new TextEncoder().encode('xx-req-1-req-2-req-3-req-4-req-5');
    for (let i = 0; i < 5; i++) {
      const start = 3 + i * 6;
      text.row(`req-${i + 1}`, [i, 'a']);
      span.row(new ByteSpan().set(bytes, start, start + 5), [i, 'a']);
    }
    expect(span.rows()).toEqual(text.rows());
  });

  it('reads values as the model is sent them: numbers, categories as text, missing as null', () => {
    expect(modelValue(1.5, 'numeric')).toBe(1.5);
    expect(modelValue('2.5', 'numeric')).toBe(2.5);
    expect(modelValue('n/a', 'numeric')).toBe('n/a');
    expect(modelValue('', 'numeric')).toBeNull();
    expect(modelValue(undefined, 'numeric')).toBeNull();
    expect(modelValue(Number.NaN, 'numeric')).toBeNull();
    expect(modelValue('01', 'categorical')).toBe('01');
    expect(modelValue(7, 'categorical')).toBe('7');
    expect(modelValue(true, 'categorical')).toBe('true');
    expect(modelValue({ a: 1 }, 'categorical')).toBeNull();
  });

  it('taps the model features of profiled capture rows, keyed by inferenceId else eventId', () => {
    const schema = separateSchema({ x: 'numeric', city: 'categorical' }, { score: 'numeric' });
    const sampler = new RecordSampler(spec(100));
    const profiler = new WindowProfiler(schema, { window: { start: null, end: null }, rows: sampler });
    profiler.beginObject(0);
    profileLines(profiler, [
      captureLine({ input: csvSide('1.5,01'), output: csvSide('0.2'), eventId: 'e1', inferenceId: 'i1' }),
      captureLine({ input: csvSide('2,Rome\n3,'), output: csvSide('0.3\n0.4'), eventId: 'e2' }),
    ]);
    expect(sampler.seen).toBe(3);
    expect(sampler.rows()).toEqual([
      { key: 'i1', values: [1.5, '01'] },
      { key: 'e2', values: [2, 'Rome'] },
      { key: 'e2', values: [3, null] },
    ]);
  });
});
