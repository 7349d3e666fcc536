/** Generated binary data where the truth is known: labels drawn from the scores with a seeded PRNG. */

import type { LabelledPrediction } from '../../../functions/engine/quality/types.ts';
import { mulberry32 } from '../../../functions/engine/stats/seeded-random.ts';

/**
 * `n` records with uniform scores; each label is 1 with probability `truth(score)`. With the
 * identity as `truth`, the scores are calibrated.
 */
export function generatedBinaryRecords(
  n: number,
  seed: number,
  truth: (score: number) => number = (s) => s,
): LabelledPrediction[] {
  const random = mulberry32(seed);
  return Array.from({ length: n }, () => {
    const score = random();
    return { label: random() < truth(score) ? 1 : 0, score };
  });
}
