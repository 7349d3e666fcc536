/**
 * Everything a window's quality report needs, kept as counts, sums and compact runs that merge
 * across files, threads and fan-out workers, as the drift profiles do:
 *
 * - BinaryClassification: each evaluated record's score (8 bytes) and one byte holding its label
 *   and which of SageMaker's 5 bootstrap samples it is in (key-hash.ts): the exact ROC AUC,
 *   curves, confusion counts at the threshold and the deviations all come from these. 9 bytes a
 *   labelled prediction: 5M labelled predictions cost 45 MB.
 * - MulticlassClassification: the confusion counts of the whole window and of each sample.
 * - Regression: per sample, the compensated sums of |error| and error², and the labels' count,
 *   mean and squared deviations (Chan's merge), which give MAE, MSE, RMSE and R².
 * - Slices: per sliced feature and slice, the support and the compensated error sum.
 * - The label-free estimate: its sums (estimated-quality.ts).
 *
 * A record is added once it is joined to its label; how the join went is counted alongside.
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import { type NeumaierState, NeumaierSum } from '../stats/summation.ts';
import { type EstimateState, EstimateSums } from './estimated-quality.ts';
import { SAMPLES } from './key-hash.ts';
import type { SliceSpec } from './prediction-part.ts';
import { ScoreHistogram, type ScoreHistogramState } from './score-histogram.ts';

/**
 * Labelled binary predictions a window keeps exactly (9 bytes each, 180 MB at the limit, plus 17
 * bytes each while sorting): the ROC AUC and curves are exact up to here; past it they come from
 * a score histogram with a stated error bound (score-histogram.ts).
 */
export const EXACT_SCORE_LIMIT = 20_000_000;

/** How the join went, summed over the parts of a window. */
export interface PartialCounts {
  /** Profiled rows; rows without an output; predictions without a key. */
  rows: number;
  rowsWithoutOutput: number;
  keyless: number;
  /** Rows whose key a later row of the window also had (the later one is joined). */
  repeatedKeys: number;
  /** Predictions joined to a label, and those with none yet (keyless ones included). */
  matched: number;
  unmatchedPredictions: number;
  /** Matched records whose label, or (with a good label) whose prediction, does not parse. */
  invalidLabels: number;
  invalidPredictions: number;
  /** Distinct label keys read; those matching no prediction; labels replacing an earlier one. */
  labels: number;
  unmatchedLabels: number;
  duplicateLabels: number;
}

/** One slice's tally: records and the compensated sum of their errors. */
export class SliceTally {
  support = 0;
  readonly sum = new NeumaierSum();

  add(error: number): void {
    this.support++;
    this.sum.add(error);
  }

  merge(o: SliceTally): void {
    this.support += o.support;
    this.sum.addState(o.sum.state());
  }
}

/** The tallies of one sliced feature: by code (0 missing, then bins or baseline categories), and unseen categories by name. */
export class FeatureSlices {
  readonly byCode = new Map<number, SliceTally>();
  readonly unseen = new Map<string, SliceTally>();
  /** Whether any row's input side carried the feature. */
  seen = false;

  constructor(readonly spec: SliceSpec) {}

  tally(code: number): SliceTally {
    let t = this.byCode.get(code);
    if (t === undefined) {
      t = new SliceTally();
      this.byCode.set(code, t);
    }
    return t;
  }

  unseenTally(category: string): SliceTally {
    let t = this.unseen.get(category);
    if (t === undefined) {
      t = new SliceTally();
      this.unseen.set(category, t);
    }
    return t;
  }

  merge(o: FeatureSlices): void {
    this.seen ||= o.seen;
    for (const [code, t] of o.byCode) this.tally(code).merge(t);
    for (const [c, t] of o.unseen) this.unseenTally(c).merge(t);
  }
}

/** Regression sums of one sample (index 0: every record). */
export class RegressionSums {
  n = 0;
  readonly absolute = new NeumaierSum();
  readonly squared = new NeumaierSum();
  /** Mean of the labels and the sum of their squared deviations (Welford, merged by Chan). */
  mean = 0;
  m2 = 0;

  add(label: number, prediction: number): void {
    const error = label - prediction;
    this.absolute.add(Math.abs(error));
    this.squared.add(error * error);
    this.n++;
    const d = label - this.mean;
    this.mean += d / this.n;
    this.m2 += d * (label - this.mean);
  }

  merge(o: RegressionSums): void {
    if (o.n === 0) return;
    this.absolute.addState(o.absolute.state());
    this.squared.addState(o.squared.state());
    const n = this.n + o.n;
    const d = o.mean - this.mean;
    this.m2 += o.m2 + (d * d * this.n * o.n) / n;
    this.mean += (d * o.n) / n;
    this.n = n;
  }
}

/** Bit 0 of a binary record's flags: its label is positive; bit s + 1: it is in sample s. */
export const LABEL_BIT = 1;

/** The mergeable quality inputs of a window or part of one. */
export class QualityPartial {
  readonly counts: PartialCounts = {
    rows: 0,
    rowsWithoutOutput: 0,
    keyless: 0,
    repeatedKeys: 0,
    matched: 0,
    unmatchedPredictions: 0,
    invalidLabels: 0,
    invalidPredictions: 0,
    labels: 0,
    unmatchedLabels: 0,
    duplicateLabels: 0,
  };
  /**
   * BinaryClassification: scores and flags of the evaluated records (the first `exact`), in no
   * particular order; once more than `exactLimit` are evaluated, a histogram instead.
   */
  scores = new Float64Array(0);
  flags = new Uint8Array(0);
  private exact = 0;
  private evaluated = 0;
  /** BinaryClassification past `exactLimit` records: the scores as a histogram (score-histogram.ts). */
  histogram: ScoreHistogram | null = null;
  /** MulticlassClassification: counts by (label class, predicted class), whole window then each sample. */
  readonly cells = new Map<string, Map<string, Float64Array>>();
  /** Regression: sums of the whole window then of each sample. */
  readonly regression: RegressionSums[];
  readonly slices: FeatureSlices[];
  /** Every evaluated record's error: the whole window's, which slices are set against. */
  readonly overall = new SliceTally();
  readonly estimate: EstimateSums | null;

  constructor(
    readonly problemType: ProblemType,
    readonly threshold: number,
    slices: readonly SliceSpec[],
    /** Binary records kept exactly (9 bytes each); past it, a score histogram (6.3 MB). */
    readonly exactLimit: number = EXACT_SCORE_LIMIT,
  ) {
    this.regression = Array.from({ length: SAMPLES + 1 }, () => new RegressionSums());
    this.slices = slices.map((s) => new FeatureSlices(s));
    this.estimate = problemType === 'BinaryClassification' ? new EstimateSums(threshold) : null;
  }

  /** Records the metrics are computed on. */
  get evaluatedCount(): number {
    if (this.problemType === 'BinaryClassification') return this.evaluated;
    if (this.problemType === 'Regression') return this.regression[0]!.n;
    let n = 0;
    for (const row of this.cells.values()) for (const c of row.values()) n += c[0]!;
    return n;
  }

  /** Adds a binary record; returns its error (0 right, 1 wrong at the threshold). */
  addBinary(score: number, label: 0 | 1, mask: number): number {
    this.evaluated++;
    if (this.histogram !== null) this.histogram.add(score, label, mask);
    else {
      const i = this.exact++;
      if (i === this.scores.length) this.reserve(i + 1);
      this.scores[i] = score;
      this.flags[i] = label | (mask << 1);
      if (this.exact > this.exactLimit) this.toHistogram();
    }
    return this.counted((score >= this.threshold ? 1 : 0) === label ? 0 : 1);
  }

  /** Moves the exact records into a histogram, for good (past `exactLimit`). */
  private toHistogram(): void {
    const h = new ScoreHistogram(this.threshold);
    for (let i = 0; i < this.exact; i++)
      h.add(this.scores[i]!, (this.flags[i]! & LABEL_BIT) as 0 | 1, this.flags[i]! >> 1);
    this.histogram = h;
    this.scores = new Float64Array(0);
    this.flags = new Uint8Array(0);
    this.exact = 0;
  }

  /** Adds a multiclass record; returns its error. */
  addMulticlass(label: string, predicted: string, mask: number): number {
    const cell = this.cell(label, predicted);
    cell[0]!++;
    for (let s = 0; s < SAMPLES; s++) if (mask & (1 << s)) cell[s + 1]!++;
    return this.counted(label === predicted ? 0 : 1);
  }

  /** Adds a regression record; returns its absolute error. */
  addRegression(label: number, prediction: number, mask: number): number {
    this.regression[0]!.add(label, prediction);
    for (let s = 0; s < SAMPLES; s++) if (mask & (1 << s)) this.regression[s + 1]!.add(label, prediction);
    return this.counted(Math.abs(label - prediction));
  }

  private counted(error: number): number {
    this.overall.add(error);
    return error;
  }

  /** Makes room for `n` more binary records at once (the join knows how many it will add). */
  reserveBinary(n: number): void {
    if (this.histogram === null) this.reserve(Math.min(this.exact + n, this.exactLimit + 1), true);
  }

  private reserve(size: number, exact = false): void {
    if (size <= this.scores.length) return;
    const capacity = exact ? size : Math.max(1024, size, this.scores.length * 2);
    const scores = new Float64Array(capacity);
    scores.set(this.scores.subarray(0, this.exact));
    const flags = new Uint8Array(capacity);
    flags.set(this.flags.subarray(0, this.exact));
    this.scores = scores;
    this.flags = flags;
  }

  /** Appends another part's binary records as they are. */
  private appendBinary(r: { scores: Float64Array; flags: Uint8Array }): void {
    this.evaluated += r.scores.length;
    if (this.histogram === null && this.exact + r.scores.length > this.exactLimit) this.toHistogram();
    if (this.histogram !== null) {
      for (let i = 0; i < r.scores.length; i++)
        this.histogram.add(r.scores[i]!, (r.flags[i]! & LABEL_BIT) as 0 | 1, r.flags[i]! >> 1);
      return;
    }
    this.reserve(this.exact + r.scores.length);
    this.scores.set(r.scores, this.exact);
    this.flags.set(r.flags, this.exact);
    this.exact += r.scores.length;
  }

  /** Adds a histogram of `n` records (another part's, past its exact limit). */
  private appendHistogram(h: ScoreHistogram | ScoreHistogramState, n: number): void {
    if (this.histogram === null) this.toHistogram();
    this.histogram!.merge(h);
    this.evaluated += n;
  }

  private cell(label: string, predicted: string): Float64Array {
    let row = this.cells.get(label);
    if (row === undefined) {
      row = new Map();
      this.cells.set(label, row);
    }
    let cell = row.get(predicted);
    if (cell === undefined) {
      cell = new Float64Array(SAMPLES + 1);
      row.set(predicted, cell);
    }
    return cell;
  }

  /** Binary scores and flags of the evaluated records. */
  binaryRecords(): { scores: Float64Array; flags: Uint8Array } {
    return { scores: this.scores.subarray(0, this.exact), flags: this.flags.subarray(0, this.exact) };
  }

  /** Adds another part of the same window (same problem type, threshold and slices). */
  merge(o: QualityPartial): void {
    for (const k of Object.keys(this.counts) as (keyof PartialCounts)[]) this.counts[k] += o.counts[k];
    this.appendBinary(o.binaryRecords());
    if (o.histogram !== null) this.appendHistogram(o.histogram, o.evaluated - o.exact);
    for (const [label, row] of o.cells)
      for (const [predicted, cell] of row) {
        const mine = this.cell(label, predicted);
        for (let s = 0; s <= SAMPLES; s++) mine[s]! += cell[s]!;
      }
    this.overall.merge(o.overall);
    o.regression.forEach((r, s) => {
      this.regression[s]!.merge(r);
    });
    o.slices.forEach((f, i) => {
      this.slices[i]!.merge(f);
    });
    if (o.estimate !== null) this.estimate?.merge(o.estimate.state());
  }

  /** Adds a part's estimate sums (collected where the rows were read). */
  addEstimate(s: EstimateState | null): void {
    if (s !== null) this.estimate?.merge(s);
  }

  /** The partial as plain data (typed arrays included), to write from one step and read in another. */
  toState(): QualityPartialState {
    const tally = (t: SliceTally): TallyState => [t.support, t.sum.state()];
    const { scores, flags } = this.binaryRecords();
    return {
      format: 'driftwatch-quality-partial',
      version: 1,
      problemType: this.problemType,
      threshold: this.threshold,
      counts: { ...this.counts },
      scores: scores.slice(),
      flags: flags.slice(),
      histogram:
        this.histogram === null ? null : { records: this.evaluated - this.exact, ...this.histogram.state() },
      cells: [...this.cells].flatMap(([label, row]) =>
        [...row].map(([predicted, cell]): [string, string, number[]] => [label, predicted, [...cell]]),
      ),
      regression: this.regression.map((r) => ({
        n: r.n,
        absolute: r.absolute.state(),
        squared: r.squared.state(),
        mean: r.mean,
        m2: r.m2,
      })),
      slices: this.slices.map((f) => ({
        seen: f.seen,
        codes: [...f.byCode].map(([code, t]): [number, TallyState] => [code, tally(t)]),
        unseen: [...f.unseen].map(([category, t]): [string, TallyState] => [category, tally(t)]),
      })),
      overall: tally(this.overall),
      estimate: this.estimate?.state() ?? null,
    };
  }

  /**
   * A partial back from {@link toState}, for the given slices (the window's plan: the state
   * keeps the tallies, not how they were sliced). Throws when the state does not fit them.
   */
  static fromState(state: QualityPartialState, slices: readonly SliceSpec[]): QualityPartial {
    if (state.format !== 'driftwatch-quality-partial' || state.slices.length !== slices.length)
      throw new RangeError(
        `a quality partial of ${state.slices?.length} sliced features cannot join a plan of ${slices.length}; re-run the window`,
      );
    const p = new QualityPartial(state.problemType, state.threshold, slices);
    Object.assign(p.counts, state.counts);
    p.appendBinary({ scores: state.scores, flags: state.flags });
    if (state.histogram) p.appendHistogram(state.histogram, state.histogram.records);
    for (const [label, predicted, counts] of state.cells) p.cell(label, predicted).set(counts);
    state.regression.forEach((r, i) => {
      const mine = p.regression[i]!;
      mine.n = r.n;
      mine.absolute.addState(r.absolute);
      mine.squared.addState(r.squared);
      mine.mean = r.mean;
      mine.m2 = r.m2;
    });
    const restore = (t: SliceTally, [support, sum]: TallyState) => {
      t.support = support;
      t.sum.addState(sum);
    };
    state.slices.forEach((f, i) => {
      const mine = p.slices[i]!;
      mine.seen = f.seen;
      for (const [code, t] of f.codes) restore(mine.tally(code), t);
      for (const [category, t] of f.unseen) restore(mine.unseenTally(category), t);
    });
    restore(p.overall, state.overall);
    if (state.estimate !== null) p.estimate?.merge(state.estimate);
    return p;
  }
}

/** A slice tally as data: its support and its compensated error sum. */
type TallyState = [support: number, sum: NeumaierState];

/** {@link QualityPartial} as plain data. */
export interface QualityPartialState {
  format: 'driftwatch-quality-partial';
  version: 1;
  problemType: ProblemType;
  threshold: number;
  counts: PartialCounts;
  scores: Float64Array;
  flags: Uint8Array;
  /** Past the exact limit: the histogram, and how many records it holds. */
  histogram: (ScoreHistogramState & { records: number }) | null;
  cells: [label: string, predicted: string, counts: number[]][];
  regression: { n: number; absolute: NeumaierState; squared: NeumaierState; mean: number; m2: number }[];
  slices: { seen: boolean; codes: [number, TallyState][]; unseen: [string, TallyState][] }[];
  overall: TallyState;
  estimate: EstimateState | null;
}
