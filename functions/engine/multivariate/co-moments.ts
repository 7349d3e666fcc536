/**
 * Streaming co-moments (count, mean vector, matrix of summed centred cross-products) of vectors
 * seen one at a time, for the covariance the multivariate fit needs from a single read of the
 * training data. Naive sums of products lose digits when a column's mean dwarfs its spread;
 * this accumulator buffers a block of rows, takes the block's exact two-pass co-moments, and
 * folds the block in with Chan, Golub and LeVeque's pairwise update, which stays accurate for
 * millions of rows.
 */

/** Rows buffered per block: large enough to amortise the merge, small enough to stay in cache. */
const BLOCK_ROWS = 256;

/** Count, mean and co-moment matrix of the vectors added so far. */
export class CoMoments {
  /** Vectors folded in (call {@link flush} first to include the buffered ones). */
  count = 0;
  /** Mean of the vectors folded in. */
  readonly mean: Float64Array;
  /** Row-major d x d sums of (x_i - mean_i)(x_j - mean_j); only the upper triangle is kept. */
  private readonly m2: Float64Array;
  private readonly block: Float64Array;
  private filled = 0;
  private readonly blockMean: Float64Array;
  private readonly blockM2: Float64Array;

  constructor(readonly dimension: number) {
    this.mean = new Float64Array(dimension);
    this.m2 = new Float64Array(dimension * dimension);
    this.block = new Float64Array(BLOCK_ROWS * dimension);
    this.blockMean = new Float64Array(dimension);
    this.blockM2 = new Float64Array(dimension * dimension);
  }

  /** Adds one vector of `dimension` entries (copied; the caller may reuse its array). */
  add(x: ArrayLike<number>): void {
    const d = this.dimension;
    const offset = this.filled * d;
    for (let j = 0; j < d; j++) this.block[offset + j] = x[j]!;
    this.filled++;
    if (this.filled === BLOCK_ROWS) this.flush();
  }

  /** The summed centred cross-product of entries i and j (symmetric). */
  comoment(i: number, j: number): number {
    return i <= j ? this.m2[i * this.dimension + j]! : this.m2[j * this.dimension + i]!;
  }

  /** Folds the buffered vectors into the totals; idempotent. */
  flush(): void {
    const rows = this.filled;
    if (rows === 0) return;
    const varying = this.blockMoments(rows);
    this.mergeBlock(rows, varying);
    this.filled = 0;
  }

  /**
   * The block's mean and co-moments, two-pass. Entries constant across the block (a missing
   * indicator in a block without missing values, say) contribute nothing and are skipped, so a
   * block costs rows x varying^2 / 2 products. Returns the varying entries.
   */
  private blockMoments(rows: number): number[] {
    const d = this.dimension;
    const block = this.block;
    const varying: number[] = [];
    for (let j = 0; j < d; j++) {
      const first = block[j]!;
      let sum = 0;
      let constant = true;
      for (let r = 0; r < rows; r++) {
        const x = block[r * d + j]!;
        sum += x;
        if (x !== first) constant = false;
      }
      this.blockMean[j] = constant ? first : sum / rows;
      if (!constant) varying.push(j);
    }
    this.blockM2.fill(0);
    for (let r = 0; r < rows; r++) {
      const offset = r * d;
      for (let a = 0; a < varying.length; a++) {
        const i = varying[a]!;
        const ci = block[offset + i]! - this.blockMean[i]!;
        for (let b = a; b < varying.length; b++) {
          const j = varying[b]!;
          this.blockM2[i * d + j]! += ci * (block[offset + j]! - this.blockMean[j]!);
        }
      }
    }
    return varying;
  }

  /** Chan et al.: M2 = M2_a + M2_b + delta delta^T n_a n_b / n, mean moved by delta n_b / n. */
  private mergeBlock(rows: number, varying: readonly number[]): void {
    const d = this.dimension;
    const before = this.count;
    const total = before + rows;
    const weight = (before * rows) / total;
    const delta = new Float64Array(d);
    for (let j = 0; j < d; j++) delta[j] = this.blockMean[j]! - this.mean[j]!;
    for (let i = 0; i < d; i++) {
      for (let j = i; j < d; j++) this.m2[i * d + j]! += delta[i]! * delta[j]! * weight;
    }
    for (let a = 0; a < varying.length; a++) {
      const i = varying[a]!;
      for (let b = a; b < varying.length; b++) {
        const j = varying[b]!;
        this.m2[i * d + j]! += this.blockM2[i * d + j]!;
      }
    }
    // The first block's mean is taken as is (x n / n need not round back to x).
    for (let j = 0; j < d; j++)
      this.mean[j] = before === 0 ? this.blockMean[j]! : this.mean[j]! + (delta[j]! * rows) / total;
    this.count = total;
  }
}
