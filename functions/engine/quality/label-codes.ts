/**
 * Labels as the join keeps them: coded to a number per problem type (multiclass: a class code),
 * by 0/1 text or by another rule (a bias configuration's positive labels), and buffered 16 bytes
 * a label with their key hash when they are read ahead or split by key partition
 * (quality-join.ts matches them).
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import { hashKey64, type KeyHasher } from './key-hash.ts';
import { classKey, parseBinaryLabel, parseFiniteNumber } from './labelled-records.ts';
import { grownSize, keyPartition } from './prediction-part.ts';

/** A label as the join keeps it: a number (multiclass: a class code), NaN when it does not parse. */
export class LabelCoder {
  /** Multiclass: every class seen, by code. */
  readonly classNames: string[] = [];
  private readonly classes = new Map<string, number>();

  constructor(
    private readonly problemType: ProblemType,
    /** Binary labels by another rule (a bias configuration's positive labels); 0/1 text by default. */
    private readonly binaryLabel?: BinaryLabelRule,
  ) {}

  classCode(c: string): number {
    let code = this.classes.get(c);
    if (code === undefined) {
      code = this.classNames.length;
      this.classes.set(c, code);
      this.classNames.push(c);
    }
    return code;
  }

  code(label: string | number): number {
    if (this.problemType === 'BinaryClassification')
      return (this.binaryLabel ? this.binaryLabel(label) : parseBinaryLabel(label)) ?? Number.NaN;
    if (this.problemType === 'Regression') return parseFiniteNumber(label) ?? Number.NaN;
    const c = classKey(label);
    return c === null ? Number.NaN : this.classCode(c);
  }
}

/**
 * Labels read ahead, while the window is still being profiled on worker threads: each as its
 * key hash and its coded value, 16 bytes a label, in reading order.
 * {@link PredictionJoin.offerBuffer} matches them once the predictions are in.
 */
export class LabelBuffer {
  private hi: Uint32Array = new Uint32Array(1024);
  private lo: Uint32Array = new Uint32Array(1024);
  private value: Float64Array = new Float64Array(1024);
  private readonly hash = new Uint32Array(2);
  readonly coder: LabelCoder;
  count = 0;

  constructor(
    problemType: ProblemType,
    private readonly hasher: KeyHasher = hashKey64,
    binaryLabel?: BinaryLabelRule,
  ) {
    this.coder = new LabelCoder(problemType, binaryLabel);
  }

  add(eventId: string, label: string | number): void {
    this.hasher(eventId, this.hash);
    this.addHashed(this.hash[0]!, this.hash[1]!, label);
  }

  /** Adds a label whose key is hashed already. */
  addHashed(hi: number, lo: number, label: string | number): void {
    const i = this.count++;
    if (i === this.hi.length) {
      this.hi = grown(this.hi);
      this.lo = grown(this.lo);
      this.value = grown(this.value);
    }
    this.hi[i] = hi;
    this.lo[i] = lo;
    this.value[i] = this.coder.code(label);
  }

  /** The labels as plain data, to write from one step and read in another. */
  toState(): LabelBufferState {
    const n = this.count;
    return {
      hi: this.hi.slice(0, n),
      lo: this.lo.slice(0, n),
      value: this.value.slice(0, n),
      classes: [...this.coder.classNames],
    };
  }

  /** Labels back from {@link toState}. */
  static fromState(problemType: ProblemType, state: LabelBufferState): LabelBuffer {
    const b = new LabelBuffer(problemType);
    b.hi = state.hi;
    b.lo = state.lo;
    b.value = state.value;
    b.count = state.hi.length;
    for (const c of state.classes) b.coder.classCode(c);
    return b;
  }

  /** Calls `f` with each label in reading order. */
  forEach(f: (hi: number, lo: number, value: number) => void): void {
    for (let i = 0; i < this.count; i++) f(this.hi[i]!, this.lo[i]!, this.value[i]!);
  }
}

/** A {@link LabelBuffer} as plain data; multiclass values index `classes`. */
export interface LabelBufferState {
  hi: Uint32Array;
  lo: Uint32Array;
  value: Float64Array;
  classes: string[];
}

/** Labels split by key partition as they are read (prediction-part.ts `keyPartition`). */
export class LabelPartitions {
  readonly buffers: LabelBuffer[];
  private readonly hash = new Uint32Array(2);

  constructor(
    problemType: ProblemType,
    partitions: number,
    private readonly hasher: KeyHasher = hashKey64,
    binaryLabel?: BinaryLabelRule,
  ) {
    this.buffers = Array.from(
      { length: partitions },
      () => new LabelBuffer(problemType, hasher, binaryLabel),
    );
  }

  add(eventId: string, label: string | number): void {
    this.hasher(eventId, this.hash);
    const hi = this.hash[0]!;
    this.buffers[keyPartition(hi, this.buffers.length)]!.addHashed(hi, this.hash[1]!, label);
  }
}

function grown<T extends Uint32Array | Float64Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(grownSize(a.length));
  b.set(a);
  return b;
}

/** Which binary labels are positive (1) or negative (0); `null` for a label that does not parse. */
export type BinaryLabelRule = (label: string | number) => 0 | 1 | null;
