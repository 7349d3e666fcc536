/**
 * Compensated (Neumaier) summation. The drift metrics add up thousands of small terms of
 * mixed sign (Wasserstein strips, PSI and KL terms, squared deviations); a plain running sum
 * can lose several digits there, while the oracle must be matched to 1e-9.
 */

/** An accumulator for Neumaier's improved Kahan-Babuska summation. */
export class NeumaierSum {
  private sum = 0;
  private compensation = 0;

  /** Adds one term. */
  add(x: number): void {
    const t = this.sum + x;
    // Neumaier: keep the low-order bits of whichever operand was smaller in magnitude, so a
    // large term arriving after small ones does not swallow them (plain Kahan would).
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
  }

  /** The compensated total so far. */
  value(): number {
    return this.sum + this.compensation;
  }

  /** The running sum and its compensation, to send a part's sum to another thread or process. */
  state(): NeumaierState {
    return [this.sum, this.compensation];
  }

  /**
   * Adds a part's sum: its running sum and its compensation as two terms, so the low-order
   * bits the part kept are kept in the whole.
   */
  addState(s: NeumaierState): void {
    this.add(s[0]);
    this.add(s[1]);
  }
}

/** A {@link NeumaierSum} as numbers: the running sum and its compensation, to merge parts. */
export type NeumaierState = readonly [sum: number, compensation: number];
