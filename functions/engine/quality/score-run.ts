/**
 * A binary window's evaluated records sorted by score once (an LSD radix sort on the scores'
 * bits, carrying each record's label-and-samples byte), then swept from the highest score down
 * for the whole window and for each bootstrap sample: the exact ROC AUC (ties counted half),
 * the confusion counts at the threshold and, for the whole window, every threshold's counts
 * for the curves. No comparison sort, no per-sample copy.
 */
import type { ThresholdCounts } from './binary-curves.ts';
import { LABEL_BIT } from './quality-partial.ts';
import type { BinaryConfusionMatrix } from './types.ts';

/** Records sorted by score, ascending; `flags` moved with them (bit 0 the label, bit s + 1 sample s). */
export interface ScoreRun {
  scores: Float64Array;
  flags: Uint8Array;
}

/**
 * Sorts (score, flags) by score, in place. Each double becomes an unsigned 64-bit key that
 * orders as the numbers do (negative: every bit flipped; positive: the sign bit set), sorted 16
 * bits at a time, least significant first (stable), in four passes; 17 bytes a record of scratch.
 * Scores are finite (NaN never gets here).
 */
export function sortScoreRun(scores: Float64Array, flags: Uint8Array): ScoreRun {
  const n = scores.length;
  // Little-endian (every platform Node runs on): word 2i is the low half of score i.
  const bits = new Uint32Array(scores.buffer, scores.byteOffset, 2 * n);
  let hi = new Uint32Array(n);
  let lo = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const h = bits[2 * i + 1]!;
    const l = bits[2 * i]!;
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let hi2 = new Uint32Array(n);
  let lo2 = new Uint32Array(n);
  let f: Uint8Array = flags;
  let f2: Uint8Array = new Uint8Array(n);
  const counts = new Uint32Array(65536);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass < 2 ? lo : hi;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(word[i]! >>> shift) & 0xffff]!++;
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const at = counts[(word[i]! >>> shift) & 0xffff]!++;
      hi2[at] = hi[i]!;
      lo2[at] = lo[i]!;
      f2[at] = f[i]!;
    }
    [hi, hi2] = [hi2, hi];
    [lo, lo2] = [lo2, lo];
    [f, f2] = [f2, f];
  }
  // Four passes: the sorted flags are back in `flags`' own array.
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    if (h & 0x80000000) {
      bits[2 * i + 1] = (h & 0x7fffffff) >>> 0;
      bits[2 * i] = lo[i]!;
    } else {
      bits[2 * i + 1] = ~h >>> 0;
      bits[2 * i] = ~lo[i]! >>> 0;
    }
  }
  return { scores, flags: f };
}

/** What a sweep of one sample gives. */
export interface SampleSweep {
  /** Confusion counts with a record predicted positive when its score is at or above the threshold. */
  confusion: BinaryConfusionMatrix;
  /** ROC AUC with ties counted half; `null` when only one class is present. */
  auc: number | null;
  /** Every distinct score's cumulative counts (only when asked for). */
  counts: ThresholdCounts | null;
}

/**
 * Sweeps the run from the highest score down over the records of `sample` (0: every record;
 * s: those with bit s of their flags). The AUC's trapezoids are summed as integers and divided
 * once (binary-curves.ts `rocAucFromCounts`), so it is exact up to one rounding.
 */
export function sweepScoreRun(
  run: ScoreRun,
  sample: number,
  threshold: number,
  withCounts: boolean,
): SampleSweep {
  const { scores, flags } = run;
  const bit = sample === 0 ? 0 : 1 << sample;
  const counts: ThresholdCounts | null = withCounts
    ? { thresholds: [], truePositives: [], falsePositives: [], positives: 0, negatives: 0 }
    : null;
  let tp = 0;
  let fp = 0;
  let tpAtThreshold = 0;
  let fpAtThreshold = 0;
  let twiceArea = 0;
  let i = scores.length - 1;
  while (i >= 0) {
    const score = scores[i]!;
    let groupTp = 0;
    let groupFp = 0;
    while (i >= 0 && scores[i] === score) {
      const fl = flags[i]!;
      if (bit === 0 || fl & bit) {
        if (fl & LABEL_BIT) groupTp++;
        else groupFp++;
      }
      i--;
    }
    if (groupTp + groupFp === 0) continue;
    twiceArea += groupFp * (2 * tp + groupTp);
    tp += groupTp;
    fp += groupFp;
    if (score >= threshold) {
      tpAtThreshold = tp;
      fpAtThreshold = fp;
    }
    if (counts !== null) {
      counts.thresholds.push(score);
      counts.truePositives.push(tp);
      counts.falsePositives.push(fp);
    }
  }
  if (counts !== null) {
    counts.positives = tp;
    counts.negatives = fp;
  }
  return {
    confusion: { tp: tpAtThreshold, fp: fpAtThreshold, fn: tp - tpAtThreshold, tn: fp - fpAtThreshold },
    auc: tp === 0 || fp === 0 ? null : twiceArea / (2 * tp * fp),
    counts,
  };
}
