/**
 * The distribution of one numeric feature in one window: every value while there are at most
 * `cap` of them (then every metric is exact), a KLL sketch past that (bounded memory, metrics
 * within the sketch's error). Moments are kept alongside either way. Profiles merge.
 */

import {
  at,
  fieldOf,
  JsonShapeError,
  readCount,
  readNumber,
  readNumberOrOverflow,
  readNumbers,
  readObject,
} from '../../contracts/json-fields.ts';
import { sortFinite } from '../stats/float-sort.ts';
import { exactMoments, type Moments } from '../stats/moments.ts';
import { KllSketch, type KllSketchJson, readKllSketchJson } from './kll-sketch.ts';

/** Default number of values kept exactly per feature (METRICS.md). */
export const DEFAULT_EXACT_CAP = 100_000;

/** Sketch-mode values batched before they reach the moments and the sketch. */
const PENDING_BATCH = 256;

/** Count, sum, mean, population standard deviation (SageMaker's `std_dev`), min, max. */
export type NumericMoments = Moments;

export interface NumericProfileJson {
  count: number;
  min: number | null;
  max: number | null;
  mean: number;
  m2: number;
  sum: number;
  sumComp: number;
  cap: number;
  /** Present in exact mode: the values, sorted. */
  values?: number[];
  /** Present in sketch mode. */
  sketch?: KllSketchJson;
}

/**
 * Checks a parsed {@link NumericProfileJson}; errors name the field. Moments beyond the double
 * range were written as null (JSON has no Infinity) and read back as NaN.
 */
export function readNumericProfileJson(v: unknown, path: string): NumericProfileJson {
  const o = readObject(v, path);
  const count = readCount(fieldOf(o, 'count'), at(path, 'count'));
  const bound = (key: string) => {
    const x = fieldOf(o, key);
    return x === null ? null : readNumber(x, at(path, key));
  };
  const j: NumericProfileJson = {
    count,
    min: bound('min'),
    max: bound('max'),
    mean: readNumberOrOverflow(fieldOf(o, 'mean'), at(path, 'mean')),
    m2: readNumberOrOverflow(fieldOf(o, 'm2'), at(path, 'm2')),
    sum: readNumberOrOverflow(fieldOf(o, 'sum'), at(path, 'sum')),
    sumComp: readNumberOrOverflow(fieldOf(o, 'sumComp'), at(path, 'sumComp')),
    cap: readNumber(fieldOf(o, 'cap'), at(path, 'cap'), { min: 0, integer: true }),
  };
  const values = fieldOf(o, 'values');
  const sketch = fieldOf(o, 'sketch');
  if (values !== undefined) {
    j.values = readNumbers(values, at(path, 'values'));
    if (j.values.length !== count)
      throw new JsonShapeError(at(path, 'values'), `holds ${j.values.length} values but count is ${count}`);
  } else if (sketch !== undefined) j.sketch = readKllSketchJson(sketch, at(path, 'sketch'));
  else throw new JsonShapeError(path, 'has neither "values" nor "sketch"');
  return j;
}

export class NumericProfile {
  count = 0;
  // Smallest and largest value; in sketch mode pending values are not in them yet (see min, max).
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;
  // Welford/Chan running moments, kept in sketch mode only; exact mode derives them (syncMoments).
  private mean = 0;
  private m2 = 0;
  // Neumaier-compensated sum.
  private sum = 0;
  private sumComp = 0;
  private values: Float64Array | null = new Float64Array(256);
  private sketch: KllSketch | null = null;
  /** Whether values[0..count) is in ascending order (see sortedValues). */
  private sorted = true;
  /**
   * Sketch mode: values counted but not yet in min, max, the moments or the sketch;
   * see flushPending.
   */
  private pending: Float64Array | null = null;
  private pendingCount = 0;

  constructor(readonly cap: number = DEFAULT_EXACT_CAP) {}

  get isExact(): boolean {
    return this.sketch === null;
  }

  get min(): number {
    this.flushPending();
    return this.lo;
  }

  get max(): number {
    this.flushPending();
    return this.hi;
  }

  add(x: number): void {
    const n = this.count + 1;
    this.count = n;
    const values = this.values;
    if (values === null) {
      // Sketch mode: batched (see pending).
      let pending = this.pending;
      if (pending === null) pending = this.pending = new Float64Array(PENDING_BATCH);
      pending[this.pendingCount++] = x;
      if (this.pendingCount === PENDING_BATCH) this.flushPending();
      return;
    }
    if (x < this.lo) this.lo = x;
    if (x > this.hi) this.hi = x;
    if (n > this.cap) {
      // Past the cap: become a sketch of the values so far, then take x as a sketch does.
      this.count = n - 1;
      // In arrival order: sorting only makes exact-mode moments independent of the order the
      // values came in, and a sketched profile's moments depend on it anyway (see merge).
      this.syncMoments(false);
      this.toSketch(n - 1);
      this.add(x);
      return;
    }
    // Exact mode keeps no running moments: they are derived from the values (syncMoments).
    this.sorted = false;
    if (n > values.length) {
      const bigger = new Float64Array(Math.min(values.length * 2, Math.max(this.cap, 1)));
      bigger.set(values);
      this.values = bigger;
      bigger[n - 1] = x;
    } else values[n - 1] = x;
  }

  /**
   * Folds the pending sketch-mode values into min, max, the moments and the sketch, in one
   * pass over the batch for the compensated sum and the batch mean, one for the squared
   * deviations from that mean, and Chan et al.'s update to fold the batch into the running
   * mean and M2 (no division per value). Everything that reads them calls this first.
   */
  private flushPending(): void {
    const k = this.pendingCount;
    if (k === 0) return;
    const pending = this.pending!;
    let lo = this.lo;
    let hi = this.hi;
    let sum = this.sum;
    let sumComp = this.sumComp;
    let batchSum = 0;
    for (let i = 0; i < k; i++) {
      const x = pending[i]!;
      if (x < lo) lo = x;
      if (x > hi) hi = x;
      batchSum += x;
      const t = sum + x;
      sumComp += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum;
      sum = t;
    }
    const batchMean = batchSum / k;
    let batchM2 = 0;
    for (let i = 0; i < k; i++) {
      const d = pending[i]! - batchMean;
      batchM2 += d * d;
    }
    const n = this.count;
    const before = n - k;
    const delta = batchMean - this.mean;
    this.mean += (delta * k) / n;
    this.m2 += batchM2 + (delta * delta * before * k) / n;
    this.lo = lo;
    this.hi = hi;
    this.sum = sum;
    this.sumComp = sumComp;
    this.pendingCount = 0;
    this.sketch!.updateMany(pending, 0, k);
  }

  /** Folds `other` into this profile (`other` is left unchanged). */
  merge(other: NumericProfile): void {
    if (other.count === 0) return;
    this.flushPending();
    other.flushPending();
    this.syncMoments();
    other.syncMoments();
    this.sorted = false;
    const n = this.count + other.count;
    const delta = other.mean - this.mean;
    this.mean += (delta * other.count) / n;
    this.m2 += other.m2 + (delta * delta * this.count * other.count) / n;
    const before = this.count;
    this.count = n;
    if (other.lo < this.lo) this.lo = other.lo;
    if (other.hi > this.hi) this.hi = other.hi;
    this.addToSum(other.sum);
    this.addToSum(other.sumComp);
    if (this.values !== null && other.values !== null && n <= this.cap) {
      if (n > this.values.length) {
        const bigger = new Float64Array(Math.max(n, Math.min(this.values.length * 2, this.cap)));
        bigger.set(this.values.subarray(0, before));
        this.values = bigger;
      }
      this.values.set(other.values.subarray(0, other.count), before);
      return;
    }
    if (this.values !== null) this.toSketch(before);
    if (other.values !== null) this.sketch!.updateMany(other.values, 0, other.count);
    else this.sketch!.merge(other.sketch!);
  }

  /**
   * The exact values, sorted (exact mode only). Sorted in place once and kept sorted until the
   * next value arrives: moments, the sample, the sketch and the buckets all read it. A view:
   * callers must not write to it.
   */
  sortedValues(): Float64Array {
    if (this.values === null) throw new Error('sortedValues() on a sketched profile');
    const view = this.values.subarray(0, this.count);
    if (!this.sorted) {
      sortFinite(view);
      this.sorted = true;
    }
    return view;
  }

  /** Values and weights for the drift metrics: weight 1 each in exact mode. */
  weightedSample(): { values: Float64Array; weights: Float64Array | null } {
    this.flushPending();
    if (this.values !== null) return { values: this.sortedValues(), weights: null };
    return this.sketch!.weightedItems();
  }

  /**
   * A KLL sketch of the distribution, for statistics.json. In exact mode it is built from the
   * sorted values, not the order they arrived in, so a window profiled in parts (worker threads,
   * fan-out) and merged writes the same sketch as the window profiled whole.
   */
  toKll(): KllSketch {
    this.flushPending();
    if (this.sketch !== null) return this.sketch;
    return KllSketch.fromSorted(this.sortedValues());
  }

  /**
   * Count, sum, mean, population std, min, max. Exact mode sums the sorted values, so the
   * result does not depend on the order values arrived or profiles merged.
   */
  moments(): NumericMoments {
    if (this.count === 0)
      return { count: 0, sum: 0, mean: Number.NaN, stdDev: Number.NaN, min: Number.NaN, max: Number.NaN };
    if (this.values !== null) return exactMoments(this.sortedValues());
    this.flushPending();
    const sum = this.sum + this.sumComp;
    return {
      count: this.count,
      sum,
      mean: this.mean,
      stdDev: Math.sqrt(Math.max(0, this.m2 / this.count)),
      min: this.lo,
      max: this.hi,
    };
  }

  toJSON(): NumericProfileJson {
    this.flushPending();
    this.syncMoments();
    const base = {
      count: this.count,
      min: this.count ? this.lo : null,
      max: this.count ? this.hi : null,
      mean: this.mean,
      m2: this.m2,
      sum: this.sum,
      sumComp: this.sumComp,
      cap: this.cap,
    };
    if (this.values !== null) return { ...base, values: Array.from(this.sortedValues()) };
    return { ...base, sketch: this.sketch!.toJSON() };
  }

  static fromJSON(j: NumericProfileJson): NumericProfile {
    const p = new NumericProfile(j.cap);
    p.count = j.count;
    p.lo = j.min ?? Number.POSITIVE_INFINITY;
    p.hi = j.max ?? Number.NEGATIVE_INFINITY;
    p.mean = j.mean;
    p.m2 = j.m2;
    p.sum = j.sum;
    p.sumComp = j.sumComp;
    if (j.values !== undefined) {
      p.values = Float64Array.from(j.values);
      p.sorted = false;
      if (p.values.length === 0) p.values = new Float64Array(256);
    } else if (j.sketch !== undefined) {
      p.values = null;
      p.sketch = KllSketch.fromJSON(j.sketch);
    } else throw new Error('numeric profile has neither values nor sketch');
    return p;
  }

  /**
   * A sketched profile from a sketch and exact moments, as SageMaker's statistics.json gives
   * them (its mean, sum, std_dev, min and max are exact; the distribution is a KLL sketch).
   */
  static fromSketch(sketch: KllSketch, m: NumericMoments, cap = DEFAULT_EXACT_CAP): NumericProfile {
    const p = new NumericProfile(cap);
    p.values = null;
    p.sketch = sketch;
    p.count = m.count;
    p.lo = m.min;
    p.hi = m.max;
    p.mean = m.mean;
    p.m2 = m.stdDev * m.stdDev * m.count;
    p.sum = m.sum;
    return p;
  }

  /**
   * In exact mode the streaming state (mean, m2, sum) is not kept value by value; it is set from
   * the values here, before the profile merges, turns into a sketch or is saved.
   */
  private syncMoments(sorted = true): void {
    if (this.values === null) return;
    const m = exactMoments(sorted ? this.sortedValues() : this.values.subarray(0, this.count));
    this.mean = m.count ? m.mean : 0;
    this.m2 = m.count ? m.stdDev * m.stdDev * m.count : 0;
    this.sum = m.sum;
    this.sumComp = 0;
  }

  /** Moves the first `n` exact values into a new sketch (moments already synced). */
  private toSketch(n: number): void {
    const s = new KllSketch();
    s.updateMany(this.values!, 0, n);
    this.sketch = s;
    this.values = null;
  }

  private addToSum(x: number): void {
    const t = this.sum + x;
    this.sumComp += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }
}
