/**
 * Memory bounded by configuration, not by the client (issue 17): a capture key the baseline
 * does not know is described with small limits (it is never compared), so thousands of
 * client-chosen keys with many values cost about 100 KB a key at most, not megabytes; the
 * baseline's own features keep the configured limits. Parts merge to the whole as before.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../../functions/engine/profile/feature-profile.ts';
import {
  EXTRA_EXACT_CAP,
  EXTRA_MAX_CATEGORIES,
  WindowProfile,
} from '../../../functions/engine/profile/window-profile.ts';
import { WindowProfiler } from '../../../functions/engine/profile/window-profiler.ts';
import { captureLine, jsonSide, profileLines, separateSchema } from '../../support/capture-lines.ts';

const schema = () => separateSchema({ city: 'categorical', age: 'numeric' }, { score: 'numeric' });

/** `n` records, each with 20 client keys holding a new text and a new number. */
function lines(n: number, from = 0): string[] {
  return Array.from({ length: n }, (_, j) => {
    const i = from + j;
    const row: Record<string, unknown> = { city: `c${i}`, age: i };
    for (let k = 0; k < 10; k++) row[`text${k}`] = `${'v'.repeat(200)}${i}`;
    for (let k = 0; k < 10; k++) row[`num${k}`] = i + k / 10;
    return captureLine({ input: jsonSide(row), output: jsonSide({ score: 0.5 }) });
  });
}

describe('a feature the baseline does not know', () => {
  it('keeps at most 121 categories and 1,000 exact values; the baseline features keep theirs', () => {
    const p = profileLines(new WindowProfiler(schema()), lines(3_000));

    const text = p.features.get('text3')!;
    expect(text.categorical!.maxCategories).toBe(EXTRA_MAX_CATEGORIES);
    expect(text.categorical!.counts.size).toBeLessThanOrEqual(EXTRA_MAX_CATEGORIES);
    expect(text.categorical!.overflow).toBe(3_000 - text.categorical!.counts.size);
    const num = p.features.get('num3')!;
    expect(num.numeric!.cap).toBe(EXTRA_EXACT_CAP);
    expect(num.numeric!.isExact).toBe(false);
    expect(num.present).toBe(3_000);
    // The baseline's own features: the configured limits, every value kept.
    expect(p.features.get('city')!.categorical!.maxCategories).toBe(DEFAULT_LIMITS.maxCategories);
    expect(p.features.get('city')!.categorical!.counts.size).toBe(3_000);
    expect(p.features.get('age')!.numeric!.isExact).toBe(true);
  });

  it('merges from parts to what the whole window gives', () => {
    const whole = profileLines(new WindowProfiler(schema()), lines(2_400));
    const merged = WindowProfile.fromJSON(
      JSON.parse(JSON.stringify(profileLines(new WindowProfiler(schema()), lines(1_200)).toJSON())),
    );
    merged.merge(
      WindowProfile.fromJSON(
        JSON.parse(JSON.stringify(profileLines(new WindowProfiler(schema()), lines(1_200, 1_200)).toJSON())),
      ),
    );

    for (const name of ['text0', 'num0', 'city', 'age']) {
      const a = whole.features.get(name)!;
      const b = merged.features.get(name)!;
      expect(b.present, name).toBe(a.present);
      expect(b.categorical?.maxCategories, name).toBe(a.categorical?.maxCategories);
      expect(b.numeric?.cap, name).toBe(a.numeric?.cap);
      expect(b.categorical?.counts.size, name).toBe(a.categorical?.counts.size);
      expect(b.numeric?.moments().count, name).toBe(a.numeric?.moments().count);
    }
  });
});
