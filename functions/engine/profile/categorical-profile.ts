/**
 * The distribution of one categorical feature in one window: exact counts per value for up to
 * `maxCategories` distinct values; values first seen after that are counted together as
 * `overflow` (so an id-like feature cannot grow memory without bound) and a HyperLogLog keeps
 * the distinct-count estimate. Profiles merge.
 */
import {
  at,
  fieldOf,
  JsonShapeError,
  readCount,
  readList,
  readObject,
  readString,
} from '../../contracts/json-fields.ts';
import { asciiText } from '../capture/capture-bytes.ts';
import { HyperLogLog, hashAscii, hashText } from './hyperloglog.ts';

/** Default number of distinct values counted exactly per feature. */
export const DEFAULT_MAX_CATEGORIES = 10_000;
/** Values a profile counts without a map lookup (see CategoricalProfile.hot). */
const HOT_VALUES = 8;
/** Longest category value kept as is; longer values are cut and marked (memory under attack). */
export const MAX_CATEGORY_LENGTH = 256;

export interface CategoricalProfileJson {
  count: number;
  overflow: number;
  truncated: number;
  maxCategories: number;
  counts: Array<[string, number]>;
  hll: string;
}

/** Checks a parsed {@link CategoricalProfileJson}; errors name the field. */
export function readCategoricalProfileJson(v: unknown, path: string): CategoricalProfileJson {
  const o = readObject(v, path);
  const countsPath = at(path, 'counts');
  const seen = new Set<string>();
  const counts = readList(fieldOf(o, 'counts'), countsPath).map((e, i): [string, number] => {
    const p = at(countsPath, i);
    const pair = readList(e, p);
    if (pair.length !== 2) throw new JsonShapeError(p, 'must be a [category, count] pair');
    const value = readString(pair[0], at(p, 0));
    if (seen.has(value))
      throw new JsonShapeError(p, `repeats the category ${JSON.stringify(value).slice(0, 60)}`);
    seen.add(value);
    return [value, readCount(pair[1], at(p, 1))];
  });
  const hll = readString(fieldOf(o, 'hll'), at(path, 'hll'));
  if (!/^[0-9a-z]*$/.test(hll)) throw new JsonShapeError(at(path, 'hll'), 'must be base-36 registers');
  return {
    count: readCount(fieldOf(o, 'count'), at(path, 'count')),
    overflow: readCount(fieldOf(o, 'overflow'), at(path, 'overflow')),
    truncated: readCount(fieldOf(o, 'truncated'), at(path, 'truncated')),
    maxCategories: readCount(fieldOf(o, 'maxCategories'), at(path, 'maxCategories')),
    counts,
    hll,
  };
}

export class CategoricalProfile {
  count = 0;
  /** Values not counted by name because the category limit was reached. */
  overflow = 0;
  /** Values longer than MAX_CATEGORY_LENGTH, counted under their cut form. */
  truncated = 0;
  private readonly map = new Map<string, number>();
  private hll = new HyperLogLog();
  /**
   * A few values already in the map whose counts were last raised here, not in the map: a
   * low-cardinality feature (the common case) then costs a short scan instead of a hash lookup
   * and a store per value. `counts` folds the pending counts in before anyone reads the map.
   */
  private readonly hot: string[] = [];
  private readonly hotPending: number[] = [];
  /** Length and first character of each hot value, so a byte value is compared with few of them. */
  private readonly hotTag = new Int32Array(HOT_VALUES);
  private hotHits = 0;
  private hotMisses = 0;
  private hotOn = true;

  constructor(readonly maxCategories: number = DEFAULT_MAX_CATEGORIES) {}

  /** Exact count per value (values past the category limit are in `overflow`). */
  get counts(): Map<string, number> {
    this.flushHot();
    return this.map;
  }

  add(value: string): void {
    if (value.length > MAX_CATEGORY_LENGTH) {
      value = `${value.slice(0, MAX_CATEGORY_LENGTH)}…`;
      this.truncated++;
    }
    this.count++;
    if (this.hotOn) {
      const hot = this.hot;
      for (let i = 0; i < hot.length; i++) {
        if (hot[i] === value) {
          this.hotPending[i]!++;
          this.hotHits++;
          return;
        }
      }
      // Mostly misses (an id-like feature): stop looking.
      if (++this.hotMisses > 1024 && this.hotMisses > this.hotHits) {
        this.flushHot();
        this.hotOn = false;
        this.hot.length = 0;
        this.hotPending.length = 0;
      }
    }
    const map = this.map;
    const c = map.get(value);
    if (c !== undefined) map.set(value, c + 1);
    else if (map.size < this.maxCategories) map.set(value, 1);
    else {
      // The HyperLogLog is only needed once exact counting stops: seed it with the counted keys.
      if (this.overflow === 0) this.seedHll();
      this.overflow++;
      this.hll.add(value);
      return;
    }
    if (this.hotOn && this.hot.length < HOT_VALUES) {
      this.hotTag[this.hot.length] = tag(value.length, value.length > 0 ? value.charCodeAt(0) : 0);
      this.hot.push(value);
      this.hotPending.push(0);
    }
  }

  /**
   * Adds the ASCII value bytes[start, end) (a CSV field of the capture fast path): a value in
   * the hot list is counted without making its string; any other goes through add.
   */
  addBytes(bytes: Uint8Array, start: number, end: number): void {
    if (this.overflow > 0 && end - start <= MAX_CATEGORY_LENGTH && !this.hotOn) {
      // Past the category limit (an id-like feature): a value whose hash no counted value has
      // is not counted by name, so it goes to the overflow and the HyperLogLog by its hash,
      // with no string made. Only a hash match (a counted value, or a collision) needs the text.
      const h = hashAscii(bytes, start, end);
      this.countedHashes ??= countedHashes(this.map);
      if (!this.countedHashes.has(h)) {
        this.count++;
        this.overflow++;
        this.hll.addHash(h);
        return;
      }
    }
    if (this.hotOn && end - start <= MAX_CATEGORY_LENGTH) {
      const len = end - start;
      const hot = this.hot;
      const t = tag(len, len > 0 ? bytes[start]! : 0);
      for (let i = 0; i < hot.length; i++) {
        if (this.hotTag[i] !== t) continue;
        const h = hot[i]!;
        let j = 1;
        while (j < len && h.charCodeAt(j) === bytes[start + j]) j++;
        if (j === len) {
          // Equal to ASCII bytes, so not a cut value (those end in '…'): nothing to truncate.
          this.count++;
          this.hotPending[i]!++;
          this.hotHits++;
          return;
        }
      }
    }
    this.add(asciiText(bytes, start, end));
  }

  /** Hashes of the values counted by name, once the map is full (it gains no keys after that). */
  private countedHashes: Set<number> | null = null;

  private flushHot(): void {
    const hot = this.hot;
    const pending = this.hotPending;
    for (let i = 0; i < hot.length; i++) {
      const n = pending[i]!;
      if (n === 0) continue;
      const key = hot[i]!;
      this.map.set(key, this.map.get(key)! + n);
      pending[i] = 0;
    }
  }

  private seedHll(): void {
    for (const key of this.counts.keys()) this.hll.add(key);
  }

  merge(other: CategoricalProfile): void {
    this.countedHashes = null;
    this.count += other.count;
    this.truncated += other.truncated;
    const hadOverflow = this.overflow > 0;
    // Past the limit, which categories stay counted must not depend on map order (a part that
    // went through JSON has sorted keys): take the other side's most frequent first.
    const entries =
      this.counts.size + other.counts.size > this.maxCategories
        ? [...other.counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        : other.counts;
    for (const [value, n] of entries) {
      const c = this.counts.get(value);
      if (c !== undefined) this.counts.set(value, c + n);
      else if (this.counts.size < this.maxCategories) this.counts.set(value, n);
      else this.overflow += n;
    }
    this.overflow += other.overflow;
    if (this.overflow === 0) return;
    // The HyperLogLog must now stand for every value of both sides.
    if (!hadOverflow) this.seedHll();
    for (const key of other.counts.keys()) this.hll.add(key);
    if (other.overflow > 0) this.hll.merge(other.hll);
  }

  /** Exact number of distinct values when nothing overflowed, else the HyperLogLog estimate. */
  distinctCount(): number {
    return this.overflow === 0 ? this.counts.size : Math.max(this.counts.size, this.hll.estimate());
  }

  /** The counts as used by the drift metrics; overflowed values form one `(other)` category. */
  countsForDrift(): Map<string, number> {
    if (this.overflow === 0) return this.counts;
    const m = new Map(this.counts);
    m.set(OVERFLOW_CATEGORY, (m.get(OVERFLOW_CATEGORY) ?? 0) + this.overflow);
    return m;
  }

  toJSON(): CategoricalProfileJson {
    const counts = [...this.counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return {
      count: this.count,
      overflow: this.overflow,
      truncated: this.truncated,
      maxCategories: this.maxCategories,
      counts,
      hll: this.hll.toJSON(),
    };
  }

  static fromJSON(j: CategoricalProfileJson): CategoricalProfile {
    const p = new CategoricalProfile(j.maxCategories);
    p.count = j.count;
    p.overflow = j.overflow;
    p.truncated = j.truncated;
    for (const [v, n] of j.counts) p.counts.set(v, n);
    p.hll = HyperLogLog.fromJSON(j.hll);
    return p;
  }
}

/** The name under which values past the category limit are compared. */
export const OVERFLOW_CATEGORY = '(other values past the category limit)';

function tag(length: number, first: number): number {
  // Lengths here are at most MAX_CATEGORY_LENGTH + 1 and character codes below 2^16.
  return (length << 16) | first;
}

function countedHashes(map: Map<string, number>): Set<number> {
  const hashes = new Set<number>();
  for (const key of map.keys()) hashes.add(hashText(key));
  return hashes;
}
