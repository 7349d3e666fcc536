/**
 * A {@link QualityPartial} of records already joined in memory (a labelled training set, the
 * tests' cases): the same path a window's join takes, so every number comes from one place.
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import { mulberry32 } from '../stats/seeded-random.ts';
import { SAMPLES } from './key-hash.ts';
import { classKey, parseBinaryLabel, parseFiniteNumber } from './labelled-records.ts';
import { MISSING_CODE, type SliceSpec } from './prediction-part.ts';
import { QualityPartial } from './quality-partial.ts';
import { binOf, categoryOf } from './slices.ts';
import type { LabelledPrediction } from './types.ts';

/** The seed of the bootstrap samples of records held in one place (see `positionalSamples`). */
export const DEFAULT_BOOTSTRAP_SEED = 0x5eed;

/** Options of {@link partialFromRecords}. */
export interface RecordsPartialOptions {
  threshold: number;
  slices?: readonly SliceSpec[];
  /** Seeds the bootstrap samples' shuffle. */
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

/**
 * The bootstrap samples of records held in one place (a training set): each of the 5 samples is
 * exactly floor(0.8 n) records drawn without replacement by a seeded partial Fisher-Yates
 * shuffle, as SageMaker describes its rule. A window's records, which may be split across
 * threads and workers, are sampled by key instead (key-hash.ts `sampleMask`).
 */
function positionalSamples(n: number, seed: number): Uint8Array {
  const masks = new Uint8Array(n);
  const random = mulberry32(seed);
  const size = Math.floor(n * 0.8);
  const order = Uint32Array.from({ length: n }, (_, i) => i);
  for (let s = 0; s < SAMPLES; s++) {
    // The first `size` slots become a uniform random subset, whatever order the last left.
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(random() * (n - i));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
      masks[order[i]!]! |= 1 << s;
    }
  }
  return masks;
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
  const masks = positionalSamples(records.length, o.seed ?? DEFAULT_BOOTSTRAP_SEED);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    const error = addRecord(p, r, masks[i]!);
    if (error !== null) addToSlices(p, r, error);
  }
  return p;
}
