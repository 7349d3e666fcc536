/**
 * A small seeded pseudo-random generator, so that the bootstrap deviations in `statistics.json`
 * (and generated test data) come out the same on every run.
 */

/** A source of uniform numbers in [0, 1). */
export type RandomSource = () => number;

/**
 * mulberry32: a 32-bit state generator, fast and statistically good enough for resampling. Not
 * for anything security-related.
 */
export function mulberry32(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
