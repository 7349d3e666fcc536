/**
 * The sorted score run (score-run.ts) against the plain definitions: the radix sort orders any
 * finite doubles as numbers do, and each sweep gives the confusion counts, the exact AUC and the
 * threshold counts that sorting each class's scores and sweeping them (binary-curves.ts) gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rocAucFromCounts, thresholdCounts } from '../../../functions/engine/quality/binary-curves.ts';
import { binaryConfusionMatrix } from '../../../functions/engine/quality/binary-metrics.ts';
import type { BinaryLabel } from '../../../functions/engine/quality/labelled-records.ts';
import { sortScoreRun, sweepScoreRun } from '../../../functions/engine/quality/score-run.ts';

const score = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.5, 1, -1, 1e308, -1e308, 5e-324),
  fc.integer({ min: 0, max: 4 }).map((k) => k / 4),
);
const record = fc.record({
  score,
  label: fc.constantFrom<BinaryLabel>(0, 1),
  mask: fc.integer({ min: 0, max: 31 }),
});

describe('sortScoreRun', () => {
  it('orders the scores as numbers do and keeps each record with its flags', () => {
    fc.assert(
      fc.property(fc.array(record, { maxLength: 300 }), (rs) => {
        const run = sortScoreRun(
          Float64Array.from(rs.map((r) => r.score)),
          Uint8Array.from(rs.map((r) => r.label | (r.mask << 1))),
        );
        const expected = [...rs.map((r) => r.score)].sort((a, b) => a - b);
        expect([...run.scores].map((x) => x + 0)).toEqual(expected.map((x) => x + 0));
        // The multiset of (score, flags) pairs is unchanged.
        const pairs = (s: ArrayLike<number>, f: ArrayLike<number>) =>
          Array.from(s, (x, i) => `${x + 0}/${f[i]}`).sort();
        expect(pairs(run.scores, run.flags)).toEqual(
          pairs(
            rs.map((r) => r.score),
            rs.map((r) => r.label | (r.mask << 1)),
          ),
        );
      }),
    );
  });
});

describe('sweepScoreRun', () => {
  it('gives the confusion counts, AUC and threshold counts of the plain definitions, per sample', () => {
    fc.assert(
      fc.property(
        fc.array(record, { maxLength: 300 }),
        fc.constantFrom(0.5, 0, -1, 0.25),
        (rs, threshold) => {
          const run = sortScoreRun(
            Float64Array.from(rs.map((r) => r.score)),
            Uint8Array.from(rs.map((r) => r.label | (r.mask << 1))),
          );
          for (let sample = 0; sample <= 5; sample++) {
            const inSample = rs.filter((r) => sample === 0 || r.mask & (1 << (sample - 1)));
            const labels = inSample.map((r) => r.label);
            const scores = inSample.map((r) => r.score);
            const sweep = sweepScoreRun(run, sample, threshold, true);
            const counts = thresholdCounts(labels, scores);
            expect(sweep.confusion).toEqual(binaryConfusionMatrix(labels, scores, threshold));
            expect(sweep.auc).toBe(rocAucFromCounts(counts));
            // -0 and 0 are one threshold; which of them names it does not matter.
            const plain = (c: typeof counts) => ({ ...c, thresholds: c.thresholds.map((x) => x + 0) });
            expect(plain(sweep.counts!)).toEqual(plain(counts));
          }
        },
      ),
    );
  });
});
