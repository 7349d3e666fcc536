/**
 * The two formulas every classification metric is built from, written once so binary and
 * multiclass agree with scikit-learn 1.2 to the last bit that matters.
 */

/** `numerator / denominator`, or 0 when the denominator is 0 (scikit-learn's `zero_division=0`). */
export function divideOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

/**
 * F-beta from precision and recall, as scikit-learn 1.2 computes it:
 * `(1 + b²) p r / (b² p + r)`, 0 when `b² p + r` is 0.
 */
export function fBeta(precision: number, recall: number, beta: number): number {
  const beta2 = beta * beta;
  return divideOrZero((1 + beta2) * precision * recall, beta2 * precision + recall);
}
