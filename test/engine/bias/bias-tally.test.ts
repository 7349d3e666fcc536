/**
 * Counting rows from a configuration: the label and prediction rules, numeric facets and their
 * interval text, two facets, rows that cannot be counted (counted by reason, never thrown), and
 * parts merged in any order equal to the whole.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BiasConfig, parseBiasConfig } from '../../../functions/engine/bias/analysis-config.ts';
import { cellOf } from '../../../functions/engine/bias/bias-counts.ts';
import {
  BiasTally,
  clarifyIntervalText,
  rowOfObject,
  rowsByColumn,
} from '../../../functions/engine/bias/facet-rows.ts';

function config(patch: Record<string, unknown> = {}): BiasConfig {
  return parseBiasConfig({
    label: 'label',
    label_values_or_threshold: [1],
    facet: [{ name_or_index: 'region', value_or_threshold: ['south'] }],
    probability_threshold: 0.5,
    methods: { pre_training_bias: { methods: 'all' }, post_training_bias: { methods: 'all' } },
    ...patch,
  });
}

const COLUMNS = ['region', 'age', 'group', 'label', 'score'];
const row = rowsByColumn(COLUMNS);

/** The eight cells of a facet as a plain list, for comparisons. */
const cellsOf = (t: BiasTally, i = 0) => Array.from(t.facets[i]!.counts.cells);

describe('BiasTally: labels and predictions', () => {
  it('counts string labels such as "churn": positive when listed, negative for any other value', () => {
    const tally = new BiasTally(config({ label_values_or_threshold: ['churn'] }), 'score');

    tally.add(row(['south', 30, 'g1', 'churn', 0.9]));
    tally.add(row(['south', 30, 'g1', 'stay', 0.9]));
    tally.add(row(['north', 30, 'g1', ' churn ', 0.1]));
    tally.add(row(['north', 30, 'g1', 'unknown', 0.5]));

    const want = new Array(8).fill(0);
    want[cellOf(true, true, true)] = 1;
    want[cellOf(true, false, true)] = 1;
    want[cellOf(false, true, false)] = 1;
    want[cellOf(false, false, true)] = 1;
    expect(cellsOf(tally)).toEqual(want);
    expect(tally.labelValueOrThreshold()).toBe('churn');
  });

  it('compares labels as class keys: 1, "1" and "1.0" are one class, as in model quality', () => {
    const tally = new BiasTally(config(), 'score');

    for (const label of [1, '1', '1.0', ' 1 ', 0, '0.0', 'no']) tally.add(row(['south', 1, 'g', label, 0.2]));

    expect(tally.facets[0]!.counts.cells[cellOf(true, true, false)]).toBe(4);
    expect(tally.facets[0]!.counts.cells[cellOf(true, false, false)]).toBe(3);
  });

  it('with a label threshold, counts labels above it as positive and writes its interval', () => {
    const tally = new BiasTally(config({ label_values_or_threshold: 100 }), 'score');

    for (const label of [50, 100, 100.5, '250', 180]) tally.add(row(['south', 1, 'g', label, 0.9]));

    expect(tally.facets[0]!.counts.cells[cellOf(true, true, true)]).toBe(3);
    expect(tally.facets[0]!.counts.cells[cellOf(true, false, true)]).toBe(2);
    expect(tally.labelValueOrThreshold()).toBe('(100, 250]');
  });

  it('predicts positive at or above probability_threshold', () => {
    const tally = new BiasTally(config({ probability_threshold: 0.3 }), 'score');

    for (const score of [0.29, 0.3, '0.31', 0.9]) tally.add(row(['north', 1, 'g', 1, score]));

    expect(tally.facets[0]!.counts.cells[cellOf(false, true, true)]).toBe(3);
    expect(tally.facets[0]!.counts.cells[cellOf(false, true, false)]).toBe(1);
  });

  it('without a score column counts every prediction as negative', () => {
    const tally = new BiasTally(config(), null);

    tally.add(row(['south', 1, 'g', 1, undefined]));

    expect(tally.facets[0]!.counts.cells[cellOf(true, true, false)]).toBe(1);
    expect(tally.rejected.size).toBe(0);
  });
});

describe('BiasTally: facets', () => {
  it("counts a numeric facet above its threshold and writes Clarify's (threshold, max]", () => {
    const tally = new BiasTally(
      config({ facet: [{ name_or_index: 'age', value_or_threshold: [60] }] }),
      'score',
    );

    for (const age of [30, 60, 61, '89', 75]) tally.add(row(['x', age, 'g', 1, 0.9]));

    expect(tally.facets[0]!.counts.cells[cellOf(true, true, true)]).toBe(3);
    expect(tally.facets[0]!.counts.cells[cellOf(false, true, true)]).toBe(2);
    expect(tally.facets[0]!.counts.max).toBe(89);
    expect(tally.facets[0]!.facet.value).toBe('60');
  });

  it('writes intervals as pandas does', () => {
    expect(clarifyIntervalText(60, 89)).toBe('(60, 89]');
    expect(clarifyIntervalText(60, 89.5)).toBe('(60.0, 89.5]');
    expect(clarifyIntervalText(0.7, 0.95)).toBe('(0.7, 0.95]');
    expect(clarifyIntervalText(60, 40)).toBe('(40, 60]');
    expect(clarifyIntervalText(60, 60)).toBe('');
    expect(clarifyIntervalText(60, Number.NEGATIVE_INFINITY)).toBe('');
  });

  it('counts two facets independently, each with its own rejections', () => {
    const tally = new BiasTally(
      config({
        facet: [
          { name_or_index: 'region', value_or_threshold: ['south', 'west'] },
          { name_or_index: 'age', value_or_threshold: [60] },
        ],
      }),
      'score',
    );

    tally.add(row(['south', 70, 'g', 1, 0.9]));
    tally.add(row(['west', 'old', 'g', 0, 0.1]));
    tally.add(row(['', 20, 'g', 0, 0.9]));

    expect(tally.facets[0]!.counts.total).toBe(2);
    expect(tally.facets[0]!.counts.cells[cellOf(true, true, true)]).toBe(1);
    expect(tally.facets[0]!.counts.cells[cellOf(true, false, false)]).toBe(1);
    expect([...tally.facets[0]!.counts.rejected]).toEqual([['facet_missing', 1]]);
    expect(tally.facets[1]!.counts.total).toBe(2);
    expect([...tally.facets[1]!.counts.rejected]).toEqual([['facet_not_numeric', 1]]);
    expect(tally.counted).toBe(3);
  });

  it('counts rows it cannot read by reason and never throws', () => {
    const tally = new BiasTally(
      config({ group_variable: 'group', facet: [{ name_or_index: 'age', value_or_threshold: [60] }] }),
      'score',
    );

    tally.add(row(['x', 70, 'g', '', 0.9]));
    tally.add(row(['x', 70, 'g', null, 0.9]));
    tally.add(row(['x', 70, 'g', 1, undefined]));
    tally.add(row(['x', 70, 'g', 1, 'high']));
    tally.add(row(['x', 70, '', 1, 0.9]));
    tally.add(row(['x', 70, 'g', { nested: 1 }, 0.9]));
    tally.add(row(['x', 70, 'g', 1, 0.9]));

    expect(Object.fromEntries(tally.rejected)).toEqual({
      label_missing: 3,
      score_missing: 1,
      score_not_numeric: 1,
      group_missing: 1,
    });
    expect(tally.rows).toBe(7);
    expect(tally.counted).toBe(1);
  });

  it('rejects a label that is not a number when the label has a threshold', () => {
    const tally = new BiasTally(config({ label_values_or_threshold: 0.5 }), 'score');

    tally.add(row(['x', 1, 'g', 'yes', 0.9]));

    expect(Object.fromEntries(tally.rejected)).toEqual({ label_not_numeric: 1 });
  });

  it('reads Map rows, accessor rows and JSON objects by name, "__proto__" included', () => {
    const cfg = config({ facet: [{ name_or_index: '__proto__', value_or_threshold: ['south'] }] });
    const fromMap = new BiasTally(cfg, 'score');
    const fromObject = new BiasTally(cfg, 'score');

    fromMap.add(
      new Map<string, unknown>([
        ['__proto__', 'south'],
        ['label', 1],
        ['score', 0.9],
      ]),
    );
    fromObject.add(rowOfObject(JSON.parse('{"__proto__": "south", "label": 1, "score": 0.9}')));

    expect(fromMap.facets[0]!.counts.cells[cellOf(true, true, true)]).toBe(1);
    expect(cellsOf(fromObject)).toEqual(cellsOf(fromMap));
  });
});

describe('BiasTally: parts merge into the whole', () => {
  const cfg = config({
    group_variable: 'group',
    facet: [
      { name_or_index: 'region', value_or_threshold: ['south'] },
      { name_or_index: 'age', value_or_threshold: [60] },
    ],
  });
  const rowArb = fc.tuple(
    fc.constantFrom('north', 'south', 'east', ''),
    fc.oneof(fc.integer({ min: 18, max: 95 }), fc.constant('n/a')),
    fc.constantFrom('g1', 'g2', 'g3'),
    fc.constantFrom(0, 1, '1', '', 'x'),
    fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant('bad')),
  );

  const tallyOf = (rows: readonly unknown[][]) => {
    const t = new BiasTally(cfg, 'score');
    for (const r of rows) t.add(row(r));
    return t;
  };

  it('three parts merged equal the whole, max and rejections included, in any order', () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 200 }), fc.nat(), fc.nat(), (rows, i, j) => {
        const [a, b] = [i % (rows.length + 1), j % (rows.length + 1)].sort((x, y) => x - y) as [
          number,
          number,
        ];
        const parts = [rows.slice(0, a), rows.slice(a, b), rows.slice(b)].map(tallyOf);
        const whole = tallyOf(rows);

        const merged = new BiasTally(cfg, 'score');
        for (const p of [parts[2]!, parts[0]!, parts[1]!]) merged.merge(p);

        expect(merged.toJSON()).toEqual(whole.toJSON());
      }),
      { numRuns: 100 },
    );
  });

  it('sends a part as JSON and reads it back unchanged', () => {
    const rows = [
      ['south', 70, 'g1', 1, 0.9],
      ['north', 'n/a', 'g2', 0, 0.2],
      ['east', 40, '', 1, 0.7],
    ];
    const part = tallyOf(rows);

    const back = BiasTally.fromJSON(cfg, 'score', JSON.parse(JSON.stringify(part)), 'part');

    expect(back.toJSON()).toEqual(part.toJSON());
    expect(back.facets[1]!.counts.max).toBe(70);
  });

  it('refuses to merge counts of another configuration', () => {
    const other = new BiasTally(config(), 'score');

    expect(() => new BiasTally(cfg, 'score').merge(other)).toThrow(/different configurations/);
  });
});
