/**
 * Window profiles merge (issue 2, "Profiles"): the profile of a whole window equals the merge of
 * the profiles of its two halves, in either order; profiles serialise to JSON and back; past the
 * exact cap, the merged sketch stays within METRICS.md's 0.01 of the exact distribution.
 */

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CategoricalProfile } from '../../../functions/engine/profile/categorical-profile.ts';
import {
  DEFAULT_LIMITS,
  type FeatureProfileJson,
  type ProfileLimits,
} from '../../../functions/engine/profile/feature-profile.ts';
import { WindowProfile, type WindowProfileJson } from '../../../functions/engine/profile/window-profile.ts';
import { WindowProfiler } from '../../../functions/engine/profile/window-profiler.ts';
import { binEdges, binProportions } from '../../../functions/engine/stats/binning.ts';
import { ksStatistic } from '../../../functions/engine/stats/ks.ts';
import { mulberry32 as rng } from '../../../functions/engine/stats/seeded-random.ts';
import { fromUnsorted, type WeightedSample } from '../../../functions/engine/stats/weighted-sample.ts';
import { captureLine, csvSide, jsonSide, separateSchema } from '../../support/capture-lines.ts';

const schema = () => separateSchema({ x: 'numeric', c: 'categorical' }, { score: 'numeric' });

function profileOf(lines: readonly string[], limits: ProfileLimits = DEFAULT_LIMITS): WindowProfile {
  const profiler = new WindowProfiler(schema(), { limits });
  for (const line of lines) profiler.addLine(line);
  return profiler.profile;
}

/** A fresh, empty profile of the same schema, to merge parts into. */
function emptyProfile(limits: ProfileLimits = DEFAULT_LIMITS): WindowProfile {
  return new WindowProfile({ start: null, end: null }, limits, schema().features);
}

function merged(parts: readonly WindowProfile[], limits: ProfileLimits = DEFAULT_LIMITS): WindowProfile {
  const into = emptyProfile(limits);
  for (const p of parts) into.merge(p);
  return into;
}

/** JSON as it would be stored (so -0 and 0, undefined and absent, compare as they would on disk). */
const stored = <T>(x: T): T => JSON.parse(JSON.stringify(x));

/** Running floating-point sums depend on the order values came in; they are compared apart. */
interface Moments {
  mean: number;
  m2: number;
  sum: number;
  scale: number;
}

/** toJSON with features sorted by name and the order-dependent running sums taken out. */
function normalise(p: WindowProfile): { json: WindowProfileJson; moments: Record<string, Moments> } {
  const json = stored(p.toJSON());
  const moments: Record<string, Moments> = {};
  json.features.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of json.features as FeatureProfileJson[]) {
    // The HyperLogLog only stands in for the counts once they overflow; before that its state
    // is not part of what the profile says.
    if (f.categorical && f.categorical.overflow === 0) f.categorical.hll = '';
    const n = f.numeric;
    if (!n) continue;
    const maxAbs = Math.max(Math.abs(n.min ?? 0), Math.abs(n.max ?? 0), 1);
    moments[f.name] = { mean: n.mean, m2: n.m2, sum: n.sum + n.sumComp, scale: maxAbs };
    n.mean = 0;
    n.m2 = 0;
    n.sum = 0;
    n.sumComp = 0;
    if (n.sketch) n.sketch.seed = 0;
  }
  return { json, moments };
}

/** Running moments agree to 1e-12, relative to the size of the values. */
function expectMomentsClose(
  actual: Record<string, Moments>,
  expected: Record<string, Moments>,
  count: number,
): void {
  expect(Object.keys(actual).sort()).toEqual(Object.keys(expected).sort());
  for (const [name, e] of Object.entries(expected)) {
    const a = actual[name]!;
    const tol = (scale: number) => 1e-12 * Math.max(scale, 1);
    expect(Math.abs(a.mean - e.mean), `${name}.mean`).toBeLessThanOrEqual(tol(e.scale));
    expect(Math.abs(a.sum - e.sum), `${name}.sum`).toBeLessThanOrEqual(tol(e.scale * count));
    expect(Math.abs(a.m2 - e.m2), `${name}.m2`).toBeLessThanOrEqual(tol(e.scale * e.scale * count));
  }
}

// ---- generated windows ----

const numberArb = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map((v) => v / 1000),
);
type RowValue = typeof rowArb extends fc.Arbitrary<infer T> ? T : never;

const rowArb = fc.record({
  x: fc.option(numberArb, { nil: null }),
  c: fc.option(fc.constantFrom('red', 'green', 'blue', 'x,y', 'Ünïcode'), { nil: null }),
  score: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }),
  /** A key the baseline does not know (a feature first seen in the window). */
  note: fc.option(fc.constantFrom('a', 'b', 7, 8.5), { nil: undefined }),
  shape: fc.constantFrom('csv', 'json', 'mistyped', 'junk'),
});

function lineOf(r: RowValue): string {
  const field = (v: number | string | null) =>
    v === null ? '' : typeof v === 'string' ? `"${v}"` : String(v);
  switch (r.shape) {
    case 'csv':
      return captureLine({ input: csvSide(`${field(r.x)},${field(r.c)}`), output: csvSide(field(r.score)) });
    case 'json':
      return captureLine({
        input: jsonSide({ x: r.x, c: r.c, ...(r.note === undefined ? {} : { note: r.note }) }),
      });
    case 'mistyped':
      return captureLine({
        input: csvSide(`oops,${field(r.c)}`),
        output: jsonSide({ score: r.score, label: r.note ?? 1 }),
      });
    default:
      return r.note === undefined ? '{"captureData":' : 'not json';
  }
}

const windowArb = fc
  .tuple(fc.array(rowArb, { maxLength: 60 }), fc.nat())
  .map(([rows, at]) => ({ lines: rows.map(lineOf), at: rows.length === 0 ? 0 : at % (rows.length + 1) }));

describe('profile merge (exact mode)', () => {
  it('whole = merge of two halves, in either order (property)', () => {
    fc.assert(
      fc.property(windowArb, ({ lines, at }) => {
        const whole = normalise(profileOf(lines));
        const ab = normalise(merged([profileOf(lines.slice(0, at)), profileOf(lines.slice(at))]));
        const ba = normalise(merged([profileOf(lines.slice(at)), profileOf(lines.slice(0, at))]));
        const intoFirst = profileOf(lines.slice(0, at));
        intoFirst.merge(profileOf(lines.slice(at)));
        const direct = normalise(intoFirst);

        expect(ab.json).toEqual(whole.json);
        expect(ba.json).toEqual(whole.json);
        expect(direct.json).toEqual(whole.json);
        expectMomentsClose(ab.moments, whole.moments, lines.length);
        expectMomentsClose(ba.moments, whole.moments, lines.length);
        expectMomentsClose(direct.moments, whole.moments, lines.length);
      }),
      { numRuns: 200 },
    );
  });

  it('exact moments do not depend on the merge order at all', () => {
    fc.assert(
      fc.property(windowArb, ({ lines, at }) => {
        const whole = profileOf(lines);
        const ba = merged([profileOf(lines.slice(at)), profileOf(lines.slice(0, at))]);

        for (const name of ['x', 'score']) {
          expect(stored(ba.features.get(name)!.numeric!.moments())).toEqual(
            stored(whole.features.get(name)!.numeric!.moments()),
          );
        }
      }),
      { numRuns: 100 },
    );
  });

  it('counts records and reasons across parts', () => {
    const lines = [
      captureLine({ input: csvSide('1,red'), output: csvSide('0.5') }),
      'not json',
      captureLine({ input: csvSide('2,blue'), output: csvSide('0.7') }),
      '[]',
    ];

    const m = merged([profileOf(lines.slice(0, 2)), profileOf(lines.slice(2))]);

    expect({ total: m.total, profiled: m.profiled, rejected: m.rejected, rows: m.rows }).toEqual({
      total: 4,
      profiled: 2,
      rejected: 2,
      rows: 2,
    });
    expect(Object.fromEntries(m.rejectedByReason)).toEqual({ invalid_json: 1, not_an_object: 1 });
    expect(Array.from(m.features.get('x')!.numeric!.sortedValues())).toEqual([1, 2]);
  });
});

/**
 * Items within one sketch level carry no order (a compaction sorts them first); exact values are
 * stored sorted but arrive in any order, so a sketch fed from them may list a level differently.
 */
function sortedLevels(json: WindowProfileJson): WindowProfileJson {
  for (const f of json.features)
    for (const level of f.numeric?.sketch?.levels ?? []) level.sort((x, y) => x - y);
  return json;
}

describe('profile serialisation', () => {
  it('fromJSON(toJSON()) gives the same toJSON, and merges the same (property)', () => {
    fc.assert(
      fc.property(
        windowArb,
        fc.constantFrom(DEFAULT_LIMITS, { exactCap: 5, maxCategories: 100 }),
        ({ lines, at }, limits) => {
          const a = profileOf(lines.slice(0, at), limits);
          const b = profileOf(lines.slice(at), limits);

          const aBack = WindowProfile.fromJSON(stored(a.toJSON()));
          const bBack = WindowProfile.fromJSON(stored(b.toJSON()));

          expect(stored(aBack.toJSON())).toEqual(stored(a.toJSON()));
          const fromOriginals = profileOf(lines.slice(0, at), limits);
          fromOriginals.merge(b);
          aBack.merge(bBack);
          expect(sortedLevels(stored(aBack.toJSON()))).toEqual(sortedLevels(stored(fromOriginals.toJSON())));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('round-trips an empty profile, and one whose numeric feature is in sketch mode', () => {
    const empty = profileOf([]);
    const lines = Array.from({ length: 300 }, (_, i) =>
      captureLine({ input: csvSide(`${(i * 37) % 101},red`), output: csvSide(String(i / 300)) }),
    );
    const sketched = profileOf(lines, { exactCap: 10, maxCategories: 10 });

    for (const p of [empty, sketched]) {
      const json = stored(p.toJSON());
      expect(stored(WindowProfile.fromJSON(json).toJSON())).toEqual(json);
    }
    expect(sketched.features.get('x')!.numeric!.isExact).toBe(false);
    expect(WindowProfile.fromJSON(stored(sketched.toJSON())).features.get('x')!.numeric!.count).toBe(300);
  });

  // Regression: past the category limit, merge() used to keep categories in Map order, so the
  // result depended on whether a part had been through JSON (fan-out workers send theirs so).
  it('a merge past the category limit does not depend on a JSON round trip of a part', () => {
    const a = new CategoricalProfile(2);
    a.add('red');
    const b = new CategoricalProfile(2);
    b.add('zeta');
    b.add('alpha');
    const bBack = CategoricalProfile.fromJSON(stored(b.toJSON()));

    const direct = CategoricalProfile.fromJSON(stored(a.toJSON()));
    direct.merge(b);
    const viaJson = CategoricalProfile.fromJSON(stored(a.toJSON()));
    viaJson.merge(bBack);

    expect(Object.fromEntries(viaJson.counts)).toEqual(Object.fromEntries(direct.counts));
  });

  it('refuses a document that is not a window profile', () => {
    expect(() =>
      WindowProfile.fromJSON({ format: 'something-else' } as unknown as WindowProfileJson),
    ).toThrow(/not a driftwatch window profile/);
  });
});

// ---- sketch mode ----

/** A skewed, bimodal sample, rounded to 4 decimals so it has ties. */
function sample(count: number, seed: number, shift = 0): number[] {
  const next = rng(seed);
  return Array.from({ length: count }, () => {
    const u = 1 - next();
    const v = next();
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    const x = next() < 0.3 ? 5 + 0.5 * z : Math.exp(0.5 * z);
    return Math.round((x + shift) * 1e4) / 1e4;
  });
}

function weighted(p: WindowProfile): WeightedSample {
  return p.features.get('x')!.numeric!.weightedSample();
}

describe('profile merge (sketch mode)', () => {
  const limits = { exactCap: 1000, maxCategories: 100 };
  const values = sample(50_000, 7);
  const lines = values.map((x, i) => captureLine({ input: csvSide(`${x},${i % 3 ? 'red' : 'blue'}`) }));
  const exact = fromUnsorted(values);
  const baseline = fromUnsorted(sample(20_000, 11, 0.2));
  const edges = binEdges(baseline);

  const half = 24_321;
  const parts = {
    ab: merged([profileOf(lines.slice(0, half), limits), profileOf(lines.slice(half), limits)], limits),
  };
  const ba = merged([profileOf(lines.slice(half), limits), profileOf(lines.slice(0, half), limits)], limits);
  const whole = profileOf(lines, limits);

  for (const [name, p] of [
    ['whole', whole],
    ['halves merged a+b', parts.ab],
    ['halves merged b+a', ba],
  ] as const) {
    it(`${name}: 50,000 values past a cap of 1,000 stay within 0.01 of the exact distribution`, () => {
      const x = p.features.get('x')!.numeric!;
      const s = weighted(p);

      expect(x.isExact).toBe(false);
      expect(x.count).toBe(50_000);
      expect(ksStatistic(s, exact)).toBeLessThanOrEqual(0.01);
      expect(Math.abs(ksStatistic(baseline, s) - ksStatistic(baseline, exact))).toBeLessThanOrEqual(0.01);
      const approx = binProportions(s, edges);
      const truth = binProportions(exact, edges);
      for (let i = 0; i < truth.length; i++)
        expect(Math.abs(approx[i]! - truth[i]!), `bin ${i}`).toBeLessThanOrEqual(0.01);
    });
  }

  it('merged sketch profiles keep count, min and max exactly and the moments to 1e-9', () => {
    const truth = whole.features.get('x')!.numeric!.moments();
    const sorted = exact.values;

    for (const p of [parts.ab, ba]) {
      const m = p.features.get('x')!.numeric!.moments();
      expect({ count: m.count, min: m.min, max: m.max }).toEqual({
        count: 50_000,
        min: sorted[0],
        max: sorted[sorted.length - 1],
      });
      expect(Math.abs(m.mean - truth.mean) / Math.abs(truth.mean)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(m.stdDev - truth.stdDev) / truth.stdDev).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(m.sum - truth.sum) / Math.abs(truth.sum)).toBeLessThanOrEqual(1e-9);
      expect(Object.fromEntries(p.features.get('c')!.categorical!.counts)).toEqual(
        Object.fromEntries(whole.features.get('c')!.categorical!.counts),
      );
    }
  });

  it('crossing the cap only when merged: the sketch holds every value while the total is below k', () => {
    const part = fc.array(numberArb, { maxLength: 40 });
    fc.assert(
      fc.property(part, part, (left, right) => {
        const small = { exactCap: 40, maxCategories: 10 };
        const lines = (xs: number[]) => xs.map((x) => captureLine({ input: csvSide(`${x},red`) }));

        const m = merged([profileOf(lines(right), small), profileOf(lines(left), small)], small);

        const x = m.features.get('x')!.numeric!;
        const all = [...left, ...right];
        expect(x.count).toBe(all.length);
        expect(x.isExact).toBe(all.length <= small.exactCap);
        const s = x.weightedSample();
        expect(Array.from(s.values)).toEqual(all.length ? Array.from(fromUnsorted(all).values) : []);
        if (s.weights) expect(s.weights.every((w) => w === 1)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('crossing the exact cap value by value', () => {
  // Regression: switching to a sketch once copied one value too many into it, a NaN (or a stale
  // 0), and its weight was count + 1: every feature past the exact cap carried a NaN.
  it('the sketch holds exactly the values added: no NaN, total weight = count', () => {
    for (const cap of [10, 1000]) {
      const p = profileOf(
        Array.from({ length: cap + 1 }, (_, i) => captureLine({ input: csvSide(`${i + 1},red`) })),
        { exactCap: cap, maxCategories: 10 },
      );

      const x = p.features.get('x')!.numeric!;
      const s = x.weightedSample();
      expect(x.count).toBe(cap + 1);
      expect(Array.from(s.values).every((v) => v >= 1 && v <= cap + 1)).toBe(true);
      expect(s.weights!.reduce((t, w) => t + w, 0)).toBe(cap + 1);
    }
  });
});
