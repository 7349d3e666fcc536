/**
 * The join of a window's predictions (prediction-part.ts: one part per thread or fan-out
 * worker) to its ground-truth labels, streamed: labels are matched as they are read, and only
 * 8 bytes of key are kept for a label that matches nothing (to count distinct and repeated
 * labels). The result is a {@link QualityPartial}.
 *
 * - **Repeated keys**: of the rows sharing a key, the last in (capture object, line) order is
 *   joined, whichever part it came from; the others are counted (`repeatedKeys`).
 * - **Repeated labels**: the label read last wins (the reader goes through files in key order,
 *   lines in order); each replaced label is counted (`duplicateLabels`).
 * - **Labels that do not parse** for the problem type make the record an `invalidLabels`;
 *   a good label with an output that does not parse, an `invalidPredictions`.
 *
 * Memory: 8 bytes a prediction for the keys end to end and 4-8 for the key index (at most 2/3
 * full), 9 for the labels matched, 8 bytes (at most half full: 16) a label that matches nothing.
 */
import { hashKey64, type KeyHasher, sampleMask } from './key-hash.ts';
import { type BinaryLabelRule, type LabelBuffer, LabelCoder } from './label-codes.ts';
import type { PartSummary, PredictionPart, PredictionSpec } from './prediction-part.ts';
import { QualityPartial, type SliceTally } from './quality-partial.ts';

const NO_LABEL = 0;
const GOOD_LABEL = 1;
const BAD_LABEL = 2;

/** A set of 64-bit keys (open addressing, linear probing), for labels that match no prediction. */
class KeySet {
  private hi = new Uint32Array(1024);
  private lo = new Uint32Array(1024);
  private used = new Uint8Array(1024);
  size = 0;

  /** Adds a key; false when it was there already. */
  add(hi: number, lo: number): boolean {
    if ((this.size + 1) * 2 > this.used.length) this.rehash(this.used.length * 2);
    const mask = this.used.length - 1;
    let s = lo & mask;
    while (this.used[s] === 1) {
      if (this.hi[s] === hi && this.lo[s] === lo) return false;
      s = (s + 1) & mask;
    }
    this.used[s] = 1;
    this.hi[s] = hi;
    this.lo[s] = lo;
    this.size++;
    return true;
  }

  private rehash(capacity: number): void {
    const { hi, lo, used } = this;
    this.hi = new Uint32Array(capacity);
    this.lo = new Uint32Array(capacity);
    this.used = new Uint8Array(capacity);
    this.size = 0;
    for (let s = 0; s < used.length; s++) if (used[s] === 1) this.add(hi[s]!, lo[s]!);
  }
}

function tableSize(n: number): number {
  let size = 16;
  while (size < n * 1.5) size *= 2;
  return size;
}

/** Joins the parts of one window (or one key partition of it) to the labels offered. */
export class PredictionJoin {
  private readonly offsets: number[] = [];
  /** Every part's keys end to end (global index g), so a probe reads two flat arrays. */
  private readonly keyHi: Uint32Array;
  private readonly keyLo: Uint32Array;
  /** Global index + 1 of each key's joined row; 0 empty. */
  private readonly table: Int32Array;
  private readonly labelState: Uint8Array;
  private readonly labelValue: Float64Array;
  private readonly unmatched = new KeySet();
  private readonly hash = new Uint32Array(2);
  /** Labels as numbers; multiclass: every class seen, in predictions or labels. */
  private readonly coder: LabelCoder;
  /** Multiclass: each part's output class index as a class of the coder. */
  private readonly classOf: number[][];
  private repeatedKeys = 0;
  private duplicateLabels = 0;
  /** Keys with a label. */
  private labelled = 0;

  constructor(
    private readonly spec: PredictionSpec,
    private readonly parts: readonly PredictionPart[],
    private readonly hasher: KeyHasher = hashKey64,
    binaryLabel?: BinaryLabelRule,
  ) {
    let total = 0;
    for (const p of parts) {
      this.offsets.push(total);
      total += p.count;
    }
    this.keyHi = new Uint32Array(total);
    this.keyLo = new Uint32Array(total);
    parts.forEach((p, k) => {
      this.keyHi.set(p.keyHi, this.offsets[k]);
      this.keyLo.set(p.keyLo, this.offsets[k]);
    });
    this.table = new Int32Array(tableSize(total));
    this.labelState = new Uint8Array(total);
    this.labelValue = new Float64Array(total);
    this.coder = new LabelCoder(spec.problemType, binaryLabel);
    this.classOf = parts.map((p) => p.classes.map((c) => this.coder.classCode(c)));
    parts.forEach((p, k) => {
      for (let i = 0; i < p.count; i++) this.index(k, i);
    });
  }

  /** The part and position of global index g. */
  private locate(g: number): [part: number, i: number] {
    let k = this.offsets.length - 1;
    while (this.offsets[k]! > g) k--;
    return [k, g - this.offsets[k]!];
  }

  /** Puts row i of part k in the key index; of two rows with one key the later one stays. */
  private index(k: number, i: number): void {
    const g = this.offsets[k]! + i;
    const hi = this.keyHi[g]!;
    const lo = this.keyLo[g]!;
    const mask = this.table.length - 1;
    let s = lo & mask;
    for (;;) {
      const at = this.table[s]!;
      if (at === 0) {
        this.table[s] = g + 1;
        return;
      }
      const other = at - 1;
      if (this.keyHi[other] === hi && this.keyLo[other] === lo) {
        this.repeatedKeys++;
        // Later in (capture object, line) order wins; rows of one object are in one part, in order.
        const [k2, i2] = this.locate(other);
        const o1 = this.parts[k2]!.object[i2]!;
        const o2 = this.parts[k]!.object[i]!;
        if (o2 > o1 || (o2 === o1 && g > other)) this.table[s] = g + 1;
        return;
      }
      s = (s + 1) & mask;
    }
  }

  /** The global index of the row joined for the key, or -1. */
  private find(hi: number, lo: number): number {
    const mask = this.table.length - 1;
    let s = lo & mask;
    for (;;) {
      const at = this.table[s]!;
      if (at === 0) return -1;
      if (this.keyHi[at - 1] === hi && this.keyLo[at - 1] === lo) return at - 1;
      s = (s + 1) & mask;
    }
  }

  /** Offers one label read from the ground truth (in reading order). */
  offerLabel(eventId: string, label: string | number): void {
    this.hasher(eventId, this.hash);
    this.offerCoded(this.hash[0]!, this.hash[1]!, this.coder.code(label));
  }

  /** Offers labels read ahead (in their reading order). */
  offerBuffer(buffer: LabelBuffer): void {
    const classes = buffer.coder.classNames.map((c) => this.coder.classCode(c));
    const multiclass = this.spec.problemType === 'MulticlassClassification';
    buffer.forEach((hi, lo, v) => {
      this.offerCoded(hi, lo, multiclass && !Number.isNaN(v) ? classes[v]! : v);
    });
  }

  private offerCoded(hi: number, lo: number, v: number): void {
    const g = this.find(hi, lo);
    if (g < 0) {
      if (!this.unmatched.add(hi, lo)) this.duplicateLabels++;
      return;
    }
    if (this.labelState[g] !== NO_LABEL) this.duplicateLabels++;
    else this.labelled++;
    this.labelState[g] = Number.isNaN(v) ? BAD_LABEL : GOOD_LABEL;
    this.labelValue[g] = v;
  }

  /**
   * The window's quality inputs: every joined row, labelled or not, and the counts. `visit`
   * sees each record the metrics count (a good label, an output that parses): its part, its
   * place in it and its label as kept (binary: 1 positive, 0 negative).
   */
  finish(visit?: JoinedRecordVisitor): QualityPartial {
    const spec = this.spec;
    const p = new QualityPartial(spec.problemType, spec.threshold, spec.slices);
    const c = p.counts;
    for (const part of this.parts) {
      c.rows += part.rows;
      c.rowsWithoutOutput += part.rowsWithoutOutput;
      c.keyless += part.keyless;
      p.addEstimate(part.estimate);
      part.seen.forEach((seen, f) => {
        if (seen) p.slices[f]!.seen = true;
      });
    }
    c.repeatedKeys = this.repeatedKeys;
    c.duplicateLabels = this.duplicateLabels;
    c.unmatchedLabels = this.unmatched.size;
    if (spec.problemType === 'BinaryClassification') p.reserveBinary(this.labelled);
    // Only a key's joined row is ever labelled, so the labelled rows are the matched keys.
    this.parts.forEach((part, k) => {
      const tallies = this.sliceTallies(p, part);
      const offset = this.offsets[k]!;
      for (let i = 0; i < part.count; i++) {
        const state = this.labelState[offset + i]!;
        if (state === NO_LABEL) continue;
        c.matched++;
        if (state === BAD_LABEL) c.invalidLabels++;
        else if (this.addRecord(p, k, i, this.labelValue[offset + i]!, tallies))
          visit?.(part, i, this.labelValue[offset + i]!);
      }
    });
    const keys = this.offsets.length === 0 ? 0 : this.partsTotal() - this.repeatedKeys;
    c.unmatchedPredictions = c.keyless + keys - c.matched;
    c.labels = c.matched + c.unmatchedLabels;
    return p;
  }

  private partsTotal(): number {
    let n = 0;
    for (const part of this.parts) n += part.count;
    return n;
  }

  /** For each sliced feature, the tally of each of the part's codes (known and unseen). */
  private sliceTallies(p: QualityPartial, part: PredictionPart): SliceTally[][] {
    return p.slices.map((slices, f) => {
      const b = slices.spec.baseline;
      const known = b.kind === 'numeric' ? b.binEdges.length + 1 : b.categories.length;
      const out: SliceTally[] = [];
      for (let code = 0; code <= known; code++) out.push(slices.tally(code));
      for (const category of part.unseen[f]!) out.push(slices.unseenTally(category));
      return out;
    });
  }

  /** Adds a labelled record to the metrics; false when its output does not parse (counted). */
  private addRecord(
    p: QualityPartial,
    k: number,
    i: number,
    label: number,
    tallies: SliceTally[][],
  ): boolean {
    const part = this.parts[k]!;
    const output = part.output[i]!;
    if (Number.isNaN(output)) {
      p.counts.invalidPredictions++;
      return false;
    }
    const mask = sampleMask(part.keyHi[i]!, part.keyLo[i]!);
    let error: number;
    if (p.problemType === 'BinaryClassification') error = p.addBinary(output, label as 0 | 1, mask);
    else if (p.problemType === 'Regression') error = p.addRegression(label, output, mask);
    else {
      const names = this.coder.classNames;
      error = p.addMulticlass(names[label]!, names[this.classOf[k]![output]!]!, mask);
    }
    for (let f = 0; f < tallies.length; f++) tallies[f]![part.codes[f]![i]!]!.add(error);
    return true;
  }
}

/** Sees a joined record the metrics count: its part, its place there, its label as kept. */
export type JoinedRecordVisitor = (part: PredictionPart, i: number, label: number) => void;

/**
 * Completes a window's partial joined by key partition (each partition's parts carry no
 * summary) with the summaries of the parts as they were read: rows, rows without output,
 * predictions without a key (never matched), the estimate's sums, which features were seen.
 */
export function addPartSummaries(p: QualityPartial, summaries: readonly PartSummary[]): void {
  for (const s of summaries) {
    p.counts.rows += s.rows;
    p.counts.rowsWithoutOutput += s.rowsWithoutOutput;
    p.counts.keyless += s.keyless;
    p.counts.unmatchedPredictions += s.keyless;
    p.addEstimate(s.estimate);
    s.seen.forEach((seen, f) => {
      if (seen) p.slices[f]!.seen = true;
    });
  }
}
