/**
 * A {@link QualityPartial} of records already joined in memory (a labelled training set, the
 * tests' cases): the same path a window's join takes, so every number comes from one place.
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import { hashKey64, sampleMask } from './key-hash.ts';
import { classKey, parseBinaryLabel, parseFiniteNumber } from './labelled-records.ts';
import { MISSING_CODE, type SliceSpec } from './prediction-part.ts';
import { QualityPartial } from './quality-partial.ts';
import { binOf, categoryOf } from './slices.ts';
import type { LabelledPrediction } from './types.ts';

/** The seed of record keys for records that have none (their bootstrap samples follow from it). */
export const DEFAULT_BOOTSTRAP_SEED = 0x5eed;

/** Options of {@link partialFromRecords}. */
export interface RecordsPartialOptions {
  threshold: number;
  slices?: readonly SliceSpec[];
  /** Salts each record's key (`seed:index`) to choose its bootstrap samples. */
  seed?: number;
}

/** Adds a record's error to the slice of its value of each sliced feature. */
function addToSlices(p: QualityPartial, r: LabelledPrediction, error: number): void {
  for (const f of p.slices) {
    const name = f.spec.name;
    const raw = r.features !== undefined && Object.hasOwn(r.features, name) ? r.features[name] : undefined;
    const v = typeof raw === 'number' || typeof raw === 'string' ? raw : null;
    const b = f.spec.baseline;
    if (b.kind === 'numeric') {
      const x = parseFiniteNumber(v);
      f.tally(x === null ? MISSING_CODE : binOf(b.binEdges, x) + 1).add(error);
      continue;
    }
    const category = categoryOf(v);
    const known = category === null ? -1 : b.categories.indexOf(category);
    if (category === null) f.tally(MISSING_CODE).add(error);
    else if (known >= 0) f.tally(known + 1).add(error);
    else f.unseenTally(category).add(error);
  }
}

/** Adds one record; returns its error, or `null` when its label or prediction does not parse (counted). */
function addRecord(p: QualityPartial, r: LabelledPrediction, mask: number): number | null {
  if (p.problemType === 'BinaryClassification') {
    const label = parseBinaryLabel(r.label);
    if (label === null) return invalid(p, 'invalidLabels');
    const score = r.score !== undefined ? parseFiniteNumber(r.score) : parseBinaryLabel(r.prediction);
    if (score === null) return invalid(p, 'invalidPredictions');
    // A 0/1 predicted label standing in for a missing score is no probability: not estimated.
    if (r.score !== undefined) p.estimate!.add(score);
    return p.addBinary(score, label, mask);
  }
  if (p.problemType === 'MulticlassClassification') {
    const label = classKey(r.label);
    if (label === null) return invalid(p, 'invalidLabels');
    const predicted = classKey(r.prediction);
    if (predicted === null) return invalid(p, 'invalidPredictions');
    return p.addMulticlass(label, predicted, mask);
  }
  const label = parseFiniteNumber(r.label);
  if (label === null) return invalid(p, 'invalidLabels');
  const prediction = parseFiniteNumber(r.prediction);
  if (prediction === null) return invalid(p, 'invalidPredictions');
  return p.addRegression(label, prediction, mask);
}

function invalid(p: QualityPartial, count: 'invalidLabels' | 'invalidPredictions'): null {
  p.counts[count]++;
  return null;
}

/**
 * The partial of joined records. A record whose label does not parse for the problem type is
 * an `invalidLabels`, one with a good label and a bad prediction an `invalidPredictions`
 * (labelled-records.ts states the parsing rules).
 */
export function partialFromRecords(
  problemType: ProblemType,
  records: readonly LabelledPrediction[],
  o: RecordsPartialOptions,
): QualityPartial {
  const p = new QualityPartial(problemType, o.threshold, o.slices ?? []);
  for (const f of p.slices) f.seen = true;
  const seed = o.seed ?? DEFAULT_BOOTSTRAP_SEED;
  const hash = new Uint32Array(2);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    hashKey64(`${seed}:${i}`, hash);
    const error = addRecord(p, r, sampleMask(hash[0]!, hash[1]!));
    if (error !== null) addToSlices(p, r, error);
  }
  return p;
}
