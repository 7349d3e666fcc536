import {
  at,
  fieldOf,
  JsonShapeError,
  readList,
  readNumber,
  readNumbers,
  readObject,
} from '../../contracts/json-fields.ts';
import { bucketSort } from '../stats/float-sort.ts';

/**
 * KLL quantile sketch (Karnin, Lang, Liberty 2016), the sketch SageMaker writes into
 * `statistics.json` (`distribution.kll.sketch`: parameters c and k, and one array of items per
 * level, an item at level L weighing 2^L). Mergeable; its size does not grow with the stream.
 * Compaction coin flips come from a seeded generator so a run is reproducible.
 */

/** SageMaker's parameters, kept so sketches we write have SageMaker's shape. */
export const KLL_DEFAULT_K = 2048;
export const KLL_DEFAULT_C = 0.64;

/** Serialised form, close to SageMaker's `sketch` object plus what merging needs. */
export interface KllSketchJson {
  k: number;
  c: number;
  seed: number;
  levels: number[][];
}

/** Checks a parsed {@link KllSketchJson} (from a file or another process); errors name the field. */
export function readKllSketchJson(v: unknown, path: string): KllSketchJson {
  const o = readObject(v, path);
  const levels = readList(fieldOf(o, 'levels'), at(path, 'levels')).map((l, h) =>
    readNumbers(l, at(at(path, 'levels'), h)),
  );
  if (levels.length > 64)
    throw new JsonShapeError(at(path, 'levels'), `has ${levels.length} levels; a sketch has at most 64`);
  return {
    k: readNumber(fieldOf(o, 'k'), at(path, 'k'), { min: 8, max: 65536, integer: true }),
    c: readNumber(fieldOf(o, 'c'), at(path, 'c'), { min: 0.5, max: 1 }),
    seed: readNumber(fieldOf(o, 'seed'), at(path, 'seed'), { integer: true }),
    levels,
  };
}

export class KllSketch {
  /**
   * Level 0 takes values as they come (unsorted; its array always has room for `maxSize` items,
   * so an update is a store and a count). Levels 1 and up are kept sorted: a compaction sorts
   * level 0 once, and halves of sorted levels merge into the level above in one linear pass.
   */
  private levels: Float64Array[] = [new Float64Array(64)];
  private sizes: number[] = [0];
  private size = 0;
  private maxSize = 0;
  private capacities: number[] = [];
  private rngState: number;

  constructor(
    readonly k: number = KLL_DEFAULT_K,
    readonly c: number = KLL_DEFAULT_C,
    seed = 0x9e3779b9,
  ) {
    this.rngState = seed >>> 0;
    this.maxSize = this.totalCapacity();
    this.ensure(0, this.maxSize);
  }

  /** Total weight: the number of values the sketch stands for. */
  get count(): number {
    let n = 0;
    for (let h = 0; h < this.sizes.length; h++) n += this.sizes[h]! * 2 ** h;
    return n;
  }

  /** Items held (memory is proportional to this, not to `count`). */
  get retained(): number {
    return this.size;
  }

  update(x: number): void {
    // sizes[0] <= size < maxSize <= levels[0].length: there is room.
    const n = this.sizes[0]!;
    this.levels[0]![n] = x;
    this.sizes[0] = n + 1;
    if (++this.size >= this.maxSize) this.compress();
  }

  /** Adds many values at once: the same sketch as `update` one by one, copied in runs. */
  updateMany(values: ArrayLike<number>, from = 0, to = values.length): void {
    let i = from;
    while (i < to) {
      const run = Math.min(this.maxSize - this.size, to - i);
      const level = this.levels[0]!;
      let n = this.sizes[0]!;
      if (values instanceof Float64Array) level.set(values.subarray(i, i + run), n);
      else for (let j = 0; j < run; j++) level[n + j] = values[i + j]!;
      n += run;
      i += run;
      this.sizes[0] = n;
      this.size += run;
      if (this.size >= this.maxSize) this.compress();
    }
  }

  /** Folds another sketch into this one. */
  merge(other: KllSketch): void {
    while (this.levels.length < other.levels.length) this.grow();
    for (let h = 0; h < other.levels.length; h++) {
      const n = other.sizes[h]!;
      if (n === 0) continue;
      const m = this.sizes[h]!;
      const level = this.ensure(h, m + n);
      level.set(other.levels[h]!.subarray(0, n), m);
      this.sizes[h] = m + n;
      this.size += n;
      if (h > 0) level.subarray(0, m + n).sort();
    }
    this.maxSize = this.totalCapacity();
    this.ensure(0, this.maxSize);
    while (this.size >= this.maxSize) this.compress();
  }

  /** Items and weights sorted by value: the sketch's approximation of the distribution. */
  weightedItems(): { values: Float64Array; weights: Float64Array } {
    const pairs: Array<[number, number]> = [];
    for (let h = 0; h < this.levels.length; h++) {
      const level = this.levels[h]!;
      const w = 2 ** h;
      for (let i = 0; i < this.sizes[h]!; i++) pairs.push([level[i]!, w]);
    }
    pairs.sort((a, b) => a[0] - b[0]);
    const values = new Float64Array(pairs.length);
    const weights = new Float64Array(pairs.length);
    for (let i = 0; i < pairs.length; i++) {
      values[i] = pairs[i]![0];
      weights[i] = pairs[i]![1];
    }
    return { values, weights };
  }

  /** The items of each level, as SageMaker's `sketch.data` lists them. */
  levelItems(): number[][] {
    return this.levels.map((level, h) => Array.from(level.subarray(0, this.sizes[h]!)));
  }

  toJSON(): KllSketchJson {
    return { k: this.k, c: this.c, seed: this.rngState, levels: this.levelItems() };
  }

  /** Rebuilds a sketch from its levels (ours, or SageMaker's `sketch.data`, in any order). */
  static fromLevels(levels: number[][], k = KLL_DEFAULT_K, c = KLL_DEFAULT_C, seed?: number): KllSketch {
    const s = new KllSketch(k, c, seed);
    while (s.levels.length < levels.length) s.grow();
    for (let h = 0; h < levels.length; h++) {
      const items = levels[h]!;
      const level = s.ensure(h, items.length);
      level.set(items);
      s.sizes[h] = items.length;
      s.size += items.length;
      if (h > 0) level.subarray(0, items.length).sort();
    }
    s.maxSize = s.totalCapacity();
    s.ensure(0, s.maxSize);
    return s;
  }

  /**
   * A sketch of values already sorted, in one linear pass: halve the sorted array (every other
   * item, from a seeded random end) until it fits the top level's capacity k, leaving an odd
   * smallest item at each level, as compaction does. Depends only on the values, so a window
   * profiled whole or in parts writes the same sketch; far cheaper than a value-by-value build.
   */
  static fromSorted(
    sorted: ArrayLike<number>,
    k = KLL_DEFAULT_K,
    c = KLL_DEFAULT_C,
    seed?: number,
  ): KllSketch {
    const s = new KllSketch(k, c, seed);
    const levels: number[][] = [];
    let items: ArrayLike<number> = sorted;
    while (items.length > k) {
      const odd = items.length & 1;
      levels.push(odd ? [items[0]!] : []);
      const start = s.nextBit() ? odd + 1 : odd;
      const up = new Float64Array((items.length - start + 1) >> 1);
      for (let i = start, j = 0; i < items.length; i += 2, j++) up[j] = items[i]!;
      items = up;
    }
    levels.push(Array.from(items));
    return KllSketch.fromLevels(levels, k, c, s.rngState);
  }

  static fromJSON(j: KllSketchJson): KllSketch {
    return KllSketch.fromLevels(j.levels, j.k, j.c, j.seed);
  }

  private capacity(h: number): number {
    const depth = this.levels.length - h - 1;
    const capacity = Math.ceil(this.c ** depth * this.k) + 1;
    // Level 0 holds at least k/4 items (KLL's schedule gives it a few dozen once the sketch is
    // deep): values are sorted and compacted in batches of hundreds instead of dozens, which
    // halves the cost per value. Fewer compactions at level 0 only lower the error.
    return h === 0 ? Math.max(capacity, this.k >> 2) : capacity;
  }

  /** Recomputes the per-level capacities (they change only when a level is added). */
  private totalCapacity(): number {
    this.capacities = this.levels.map((_, h) => this.capacity(h));
    return this.capacities.reduce((a, b) => a + b, 0);
  }

  private grow(): void {
    this.levels.push(new Float64Array(64));
    this.sizes.push(0);
    this.maxSize = this.totalCapacity();
    this.ensure(0, this.maxSize);
  }

  /** Level h's array, grown (contents kept) to hold at least `need` items. */
  private ensure(h: number, need: number): Float64Array {
    const level = this.levels[h]!;
    if (need <= level.length) return level;
    const bigger = new Float64Array(Math.max(need, level.length * 2));
    bigger.set(level.subarray(0, this.sizes[h]!));
    this.levels[h] = bigger;
    return bigger;
  }

  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      if (this.sizes[h]! < this.capacities[h]!) continue;
      if (h + 1 >= this.levels.length) this.grow();
      this.compact(h);
    }
  }

  /**
   * Keeps every other item of level h (sorted first if h = 0), starting at a random end, and
   * merges them into the sorted level above; an odd smallest item stays behind.
   */
  private compact(h: number): void {
    const n = this.sizes[h]!;
    const a = this.levels[h]!;
    if (h === 0) bucketSort(a, 0, n, 0);
    const odd = n & 1;
    const r = n >> 1;
    const first = this.nextBit() ? odd + 1 : odd;
    const m = this.sizes[h + 1]!;
    const b = this.ensure(h + 1, m + r);
    // Merge from the back: b[0, m) and a[first], a[first + 2], ... are both ascending.
    let i = m - 1;
    let j = first + 2 * (r - 1);
    let out = m + r - 1;
    while (j >= first) {
      const y = a[j]!;
      if (i >= 0 && b[i]! > y) b[out--] = b[i--]!;
      else {
        b[out--] = y;
        j -= 2;
      }
    }
    this.sizes[h] = odd; // a[0] (when odd) is already in place
    this.sizes[h + 1] = m + r;
    this.size -= r;
  }

  /** mulberry32: small, fast, seeded. */
  private nextBit(): boolean {
    this.rngState = (this.rngState + 0x6d2b79f5) >>> 0;
    let t = this.rngState;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0 < 0x80000000;
  }
}
