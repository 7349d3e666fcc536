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

export class KllSketch {
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
    this.push(0, x);
    this.size++;
    if (this.size >= this.maxSize) this.compress();
  }

  /** Adds many values at once (one capacity check per batch of level-0 room). */
  updateMany(values: ArrayLike<number>, from = 0, to = values.length): void {
    for (let i = from; i < to; i++) {
      this.push(0, values[i]!);
      this.size++;
      if (this.size >= this.maxSize) this.compress();
    }
  }

  /** Folds another sketch into this one. */
  merge(other: KllSketch): void {
    while (this.levels.length < other.levels.length) this.grow();
    for (let h = 0; h < other.levels.length; h++) {
      const src = other.levels[h]!;
      const n = other.sizes[h]!;
      for (let i = 0; i < n; i++) this.push(h, src[i]!);
      this.size += n;
    }
    this.maxSize = this.totalCapacity();
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

  /** Rebuilds a sketch from its levels (ours, or SageMaker's `sketch.data`). */
  static fromLevels(levels: number[][], k = KLL_DEFAULT_K, c = KLL_DEFAULT_C, seed?: number): KllSketch {
    const s = new KllSketch(k, c, seed);
    while (s.levels.length < levels.length) s.grow();
    for (let h = 0; h < levels.length; h++) {
      for (const x of levels[h]!) s.push(h, x);
      s.size += levels[h]!.length;
    }
    s.maxSize = s.totalCapacity();
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
    let items = Array.from(sorted);
    while (items.length > k) {
      const odd = items.length & 1;
      levels.push(odd ? [items[0]!] : []);
      const start = s.nextBit() ? odd + 1 : odd;
      const up: number[] = [];
      for (let i = start; i < items.length; i += 2) up.push(items[i]!);
      items = up;
    }
    levels.push(items);
    return KllSketch.fromLevels(levels, k, c, s.rngState);
  }

  static fromJSON(j: KllSketchJson): KllSketch {
    return KllSketch.fromLevels(j.levels, j.k, j.c, j.seed);
  }

  private capacity(h: number): number {
    const depth = this.levels.length - h - 1;
    return Math.ceil(this.c ** depth * this.k) + 1;
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
  }

  private push(h: number, x: number): void {
    let level = this.levels[h]!;
    const n = this.sizes[h]!;
    if (n === level.length) {
      const bigger = new Float64Array(level.length * 2);
      bigger.set(level);
      this.levels[h] = bigger;
      level = bigger;
    }
    level[n] = x;
    this.sizes[h] = n + 1;
  }

  private compress(): void {
    for (let h = 0; h < this.levels.length; h++) {
      if (this.sizes[h]! < this.capacities[h]!) continue;
      if (h + 1 >= this.levels.length) this.grow();
      const n = this.sizes[h]!;
      const level = this.levels[h]!;
      // The low levels hold a few dozen items: an insertion sort beats the native sort's call cost.
      if (n <= 64) insertionSort(level, n);
      else level.subarray(0, n).sort();
      const items = level;
      // Keep every other item, starting at a random end; an odd smallest item stays here.
      const start = this.nextBit() ? n - 1 : n - 2;
      let moved = 0;
      for (let i = start; i >= (n & 1); i -= 2) {
        this.push(h + 1, items[i]!);
        moved++;
      }
      this.sizes[h] = n & 1; // items[0] (when odd) is already in place
      this.size -= moved;
      if (this.size < this.maxSize) break;
    }
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

/** Sorts a[0, n) ascending in place. */
function insertionSort(a: Float64Array, n: number): void {
  for (let i = 1; i < n; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= 0 && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}
