// Memory under attack: a categorical feature with a million distinct values, and very long
// values, must not grow a window's memory without bound (the category limit and the length cut
// keep it flat; the rest is counted).
import { describe, expect, it } from 'vitest';
import { BaselineBuilder, captureSchema } from '../../../functions/engine/drift/baseline.ts';
import { WindowProfiler } from '../../../functions/engine/profile/window-profiler.ts';
import { captureLine, csvSide } from '../../support/capture-lines.ts';

function schema() {
  const b = new BaselineBuilder(['user_id', 'x'], { categorical: ['user_id'] });
  for (let i = 0; i < 100; i++) b.addFields([`u${i % 10}`, String(i)]);
  return captureSchema(b.finish());
}

function heapMb(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

describe('memory under attack', () => {
  it('a million distinct categorical values: counts capped at the limit, the rest counted, heap flat', () => {
    const profiler = new WindowProfiler(schema(), { limits: { exactCap: 100_000, maxCategories: 10_000 } });
    const before = heapMb();

    for (let i = 0; i < 1_000_000; i++)
      profiler.addLine(captureLine({ input: csvSide(`id-${i},${i % 97}`) }));

    const p = profiler.profile;
    const cat = p.features.get('user_id')!.categorical!;
    expect(p.profiled).toBe(1_000_000);
    expect(cat.counts.size).toBe(10_000);
    expect(cat.overflow).toBe(990_000);
    expect(cat.count).toBe(1_000_000);
    // The distinct-count estimate (HyperLogLog, about 1.6% error) stands for the values not kept.
    expect(Math.abs(cat.distinctCount() - 1_000_000) / 1_000_000).toBeLessThan(0.05);
    // 10,000 short keys and a 4 KB HyperLogLog: a few MB, not the ~60 MB a million keys would take.
    expect(heapMb() - before).toBeLessThan(40);
  }, 120_000);

  it('very long values are cut to 256 characters before they are counted', () => {
    const profiler = new WindowProfiler(schema());
    const long = 'x'.repeat(1_000_000);

    for (let i = 0; i < 200; i++) profiler.addLine(captureLine({ input: csvSide(`${long}${i},1`) }));

    const cat = profiler.profile.features.get('user_id')!.categorical!;
    expect(profiler.profile.profiled).toBe(200);
    expect(cat.truncated).toBe(200);
    expect(Math.max(...[...cat.counts.keys()].map((k) => k.length))).toBeLessThanOrEqual(257);
    // 200 distinct million-character values all cut to the same 256-character prefix.
    expect(cat.counts.size).toBe(1);
  });
});
