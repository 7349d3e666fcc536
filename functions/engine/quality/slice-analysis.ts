/**
 * Error analysis by slice, read off a {@link QualityPartial}: for each sliced input feature,
 * each bin (numeric) or category (categorical) with its support and error, set against the
 * whole window's error (slices.ts defines the slices and how they are listed).
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import { DEFAULT_PROBABILITY_THRESHOLD } from './binary-metrics.ts';
import { MISSING_CODE, type SliceSpec } from './prediction-part.ts';
import type { QualityPartial, SliceTally } from './quality-partial.ts';
import { partialFromRecords } from './records-partial.ts';
import {
  binLabels,
  MISSING_SLICE,
  type QualitySlice,
  type SliceAnalysis,
  type SliceBaseline,
  type SliceErrorMeasure,
  type SliceOptions,
} from './slices.ts';
import type { LabelledPrediction } from './types.ts';

/**
 * Every non-empty slice of every feature the partial slices (in its order: bins in order, then
 * baseline categories in order, then unseen categories sorted, then `(missing)`).
 */
export function slicesOfPartial(p: QualityPartial): SliceAnalysis {
  const measure: SliceErrorMeasure = p.problemType === 'Regression' ? 'mae' : 'errorRate';
  const count = p.overall.support;
  const overall = count === 0 ? 0 : p.overall.sum.value() / count;
  const slices: QualitySlice[] = [];
  const emit = (
    feature: string,
    slice: string,
    tally: SliceTally | undefined,
    flags: Partial<QualitySlice> = {},
  ) => {
    if (tally === undefined || tally.support === 0) return;
    const error = tally.sum.value() / tally.support;
    slices.push({
      feature,
      slice,
      ...flags,
      support: tally.support,
      measure,
      error,
      difference: error - overall,
    });
  };
  for (const f of p.slices) {
    // A feature no row of the window carried on its input side (a SageMaker baseline names
    // outputs first) is not sliced: every record would be `(missing)`.
    if (!f.seen) continue;
    const { name, baseline } = f.spec;
    const labels = baseline.kind === 'numeric' ? binLabels(baseline.binEdges) : baseline.categories;
    labels.forEach((label, i) => {
      emit(name, label, f.byCode.get(i + 1));
    });
    for (const category of [...f.unseen.keys()].sort())
      emit(name, category, f.unseen.get(category), { unseen: true });
    emit(name, MISSING_SLICE, f.byCode.get(MISSING_CODE), { missing: true });
  }
  return { measure, overall, count, slices };
}

/** The slices of joined records (records whose label or prediction does not parse are left out). */
export function analyseSlices(
  problemType: ProblemType,
  records: readonly LabelledPrediction[],
  baselines: Readonly<Record<string, SliceBaseline>>,
  options: SliceOptions = {},
): SliceAnalysis {
  const slices: SliceSpec[] = Object.entries(baselines).map(([name, baseline]) => ({ name, baseline }));
  const threshold = options.threshold ?? DEFAULT_PROBABILITY_THRESHOLD;
  return slicesOfPartial(partialFromRecords(problemType, records, { threshold, slices }));
}
