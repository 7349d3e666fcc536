/**
 * Exact summation of doubles (Shewchuk's non-overlapping partials, as Python's `math.fsum`):
 * the sum is kept without any rounding, so it is the same whatever order the terms arrive in
 * and however they are split into parts and merged. That is what lets a window scored on
 * worker threads or fan-out workers give bit for bit the numbers of the window scored in one
 * piece. The result is the exact sum correctly rounded (half to even).
 */

/** Partials a sum of finite doubles can need: at most about 2098 / 53, with room to spare. */
const CAPACITY = 48;

/** An exact running sum of finite doubles. */
export class ExactSum {
  private readonly partials = new Float64Array(CAPACITY);
  private count = 0;

  /** Adds one finite term (non-finite terms are refused: they have no exact sum). */
  add(x: number): void {
    if (!Number.isFinite(x)) throw new RangeError(`cannot add ${x} to an exact sum`);
    const p = this.partials;
    let kept = 0;
    for (let i = 0; i < this.count; i++) {
      let y = p[i]!;
      if (Math.abs(x) < Math.abs(y)) {
        const t = x;
        x = y;
        y = t;
      }
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[kept++] = lo;
      x = hi;
    }
    if (!Number.isFinite(x)) throw new RangeError('exact sum overflowed the double range');
    p[kept++] = x;
    this.count = kept;
  }

  /** Adds another sum's terms. */
  merge(other: ExactSum): void {
    for (let i = 0; i < other.count; i++) this.add(other.partials[i]!);
  }

  /** The exact sum, correctly rounded to a double. */
  value(): number {
    const p = this.partials;
    let n = this.count;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half to even: when the rest has the sign of the rounding error, hi may be one off.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  /** The partials, smallest magnitude first: the sum's exact state, for another thread or process. */
  state(): number[] {
    return Array.from(this.partials.subarray(0, this.count));
  }

  /** A sum whose state is `partials` (any finite doubles: their exact sum). */
  static of(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    for (const x of partials) s.add(x);
    return s;
  }
}
