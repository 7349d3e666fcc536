/**
 * FeatureColumns keeps each sliced feature as slicing reads it (a number for numeric slices, the
 * category text for categorical ones, null when missing) and gives it back through views that read
 * as FeatureValues objects, past its first capacity too.
 */
import { describe, expect, it } from 'vitest';
import { FeatureColumns } from '../../../functions/engine/quality/feature-columns.ts';
import { parseFiniteNumber } from '../../../functions/engine/quality/labelled-records.ts';
import { categoryOf } from '../../../functions/engine/quality/slices.ts';
import type { FeatureValue } from '../../../functions/engine/quality/types.ts';

describe('FeatureColumns', () => {
  it('gives back what slicing makes of each value, for thousands of rows', () => {
    const columns = new FeatureColumns({
      age: { kind: 'numeric', binEdges: [30] },
      city: { kind: 'categorical', categories: ['Paris'] },
      // Names a plain object already has: a view must still read them as features.
      constructor: { kind: 'categorical' as const, categories: [] },
    });
    const raw: Array<[FeatureValue, FeatureValue, FeatureValue]> = [];
    const ages: FeatureValue[] = ['31', 40, ' 7 ', '0x10', 'n/a', '', null, '1e3', -0.5];
    const cities: FeatureValue[] = ['Paris', 'Rome', '', null, 3, 'Paris'];
    for (let i = 0; i < 5000; i++)
      raw.push([ages[i % ages.length]!, cities[i % cities.length]!, `p${i % 3}`]);
    const rows = raw.map(([age, city, other], i) => {
      const row = columns.addRow();
      columns.set(0, row, age);
      if (i % 7 !== 0) columns.set(1, row, city); // every 7th row: city absent
      columns.set(2, row, other);
      return row;
    });

    rows.forEach((row, i) => {
      const view = columns.view(row);
      const [age, city, other] = raw[i]!;
      expect(view.age).toBe(parseFiniteNumber(age));
      expect(view.city).toBe(i % 7 === 0 ? null : categoryOf(city));
      expect(view.constructor).toBe(other);
      expect(view.other).toBeUndefined();
    });
    expect(columns.kindOf('age')).toBe('numeric');
    expect(columns.kindOf('city')).toBe('categorical');
    expect(columns.kindOf('other')).toBeUndefined();
  });
});
