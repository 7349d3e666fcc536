import { describe, expect, it } from 'vitest';
import {
  limitsForMemory,
  MAX_COLUMNS,
  MAX_LINE_BYTES,
} from '../../../functions/engine/profile/memory-limits.ts';

const MB = 1024 * 1024;
const BASELINE = { numeric: 20, categorical: 5 };

describe('limitsForMemory', () => {
  it('sizes a 1024 MB monitor: 13 MB lines, 1,713 unknown columns, full exact values', () => {
    const l = limitsForMemory(1024, BASELINE);
    expect(l.maxLineBytes).toBe(Math.floor((0.4 * (1024 * 0.8 - 150) * MB) / 20));
    expect(l.maxLineBytes / MB).toBeCloseTo(13.4, 1);
    expect(l.maxColumns).toBe(1713);
    expect(l.limits).toEqual({ exactCap: 100_000, maxCategories: 8_771 });
    expect(l.worstCaseMb).toBeLessThanOrEqual(1024);
  });

  it('keeps every worst case within the memory from 512 MB up, and never exceeds the defaults', () => {
    for (const memory of [512, 768, 1024, 1536, 2048, 3008, 4096, 10240])
      for (const baseline of [
        { numeric: 0, categorical: 0 },
        BASELINE,
        { numeric: 500, categorical: 0 },
        { numeric: 0, categorical: 300 },
      ]) {
        const l = limitsForMemory(memory, baseline);
        expect(l.worstCaseMb, `${memory} MB, ${JSON.stringify(baseline)}`).toBeLessThanOrEqual(memory);
        expect(l.maxLineBytes).toBeLessThanOrEqual(MAX_LINE_BYTES);
        expect(l.maxColumns).toBeLessThanOrEqual(MAX_COLUMNS);
        expect(l.limits.exactCap).toBeLessThanOrEqual(100_000);
        expect(l.limits.maxCategories).toBeLessThanOrEqual(10_000);
      }
  });

  it('gives the defaults to a large function, and grows with memory', () => {
    expect(limitsForMemory(10240, BASELINE)).toMatchObject({
      maxLineBytes: MAX_LINE_BYTES,
      maxColumns: MAX_COLUMNS,
      limits: { exactCap: 100_000, maxCategories: 10_000 },
    });
    const small = limitsForMemory(512, BASELINE);
    const large = limitsForMemory(2048, BASELINE);
    expect(small.maxLineBytes).toBeLessThan(large.maxLineBytes);
    expect(small.maxColumns).toBeLessThan(large.maxColumns);
  });

  it('refuses a memory that is not a positive number', () => {
    expect(() => limitsForMemory(0, BASELINE)).toThrow('memory must be a positive number of MB (got 0)');
  });
});
