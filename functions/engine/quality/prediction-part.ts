/**
 * A window's predictions as bytes, collected where the rows are parsed (each worker thread, each
 * fan-out worker) and joined to labels later (quality-join.ts). Per prediction: its join key as
 * a 64-bit hash (key-hash.ts), the capture object it came from (so "the last row of a key wins"
 * resolves in (object, line) order whatever split the window was read in), its output as one
 * number, and one code per sliced input feature (the baseline's bin or category). About
 * 24 bytes a prediction plus 1 (numeric) or 2 (categorical) bytes per sliced feature.
 *
 * Every row with an output also feeds the label-free estimate here (sums, not rows), keyed or
 * not, as the estimate covers the whole window.
 */
import type { ProblemType } from '../../contracts/problem-type.ts';
import { ByteSpan, type RowSink, type RowTap } from '../profile/row-sink.ts';
import { type EstimateState, EstimateSums } from './estimated-quality.ts';
import { hashAsciiKey64, hashKey64, type KeyHasher } from './key-hash.ts';
import { classKey, parseBinaryLabel, parseFiniteNumber } from './labelled-records.ts';
import { binOf, categoryOf, type SliceBaseline } from './slices.ts';

/** One sliced input feature. */
export interface SliceSpec {
  name: string;
  baseline: SliceBaseline;
}

/** What to collect: the same for every part of a window, so the parts join as one. */
export interface PredictionSpec {
  problemType: ProblemType;
  /** The output column read; `null` (or absent from a row): the row's first output column. */
  outputColumn: string | null;
  /** Input features sliced for error analysis, in report order. */
  slices: readonly SliceSpec[];
  /** BinaryClassification's threshold, for the estimate. */
  threshold: number;
  /**
   * More input columns kept raw for whoever visits the joined records (bias: facets and the
   * group variable): a numeric column as its number, a categorical one as its class key.
   */
  extraColumns?: readonly ExtraColumn[];
}

/** An input column a part keeps raw (see {@link PredictionSpec.extraColumns}). */
export interface ExtraColumn {
  name: string;
  kind: 'numeric' | 'categorical';
}

/**
 * Slice code of a missing value. Numeric features: bin b is code b + 1. Categorical: the
 * baseline's category i is code i + 1, categories it never had follow in order of first sight.
 */
export const MISSING_CODE = 0;
/**
 * Most distinct codes a categorical slice keeps (2 bytes a prediction); later unseen categories
 * share the last one. A baseline with more categories than this gets 4-byte codes.
 */
export const MAX_CATEGORY_CODES = 65_535;
/** The slice name of unseen categories past the code limit. */
export const OTHER_UNSEEN = '(other unseen)';

/** The codes of one sliced feature, one per prediction. */
export type SliceCodes = Uint8Array | Uint16Array | Uint32Array;

/** One part's predictions: plain data and typed arrays, structured-clonable and transferable. */
export interface PredictionPart {
  count: number;
  keyHi: Uint32Array;
  keyLo: Uint32Array;
  /** Position of the prediction's capture object in the window's object list. */
  object: Uint32Array;
  /** Binary: the score (or a 0/1 predicted label); Regression: the prediction; Multiclass: the class's index in `classes`. NaN: does not parse. */
  output: Float64Array;
  /** One code array per sliced feature (see {@link MISSING_CODE}). */
  codes: SliceCodes[];
  /** Multiclass: the class of each output index. */
  classes: string[];
  /** Per sliced feature: the unseen categories by code, from `baseline categories + 1`. */
  unseen: string[][];
  /** Per sliced feature: whether any row's input side carried it. */
  seen: boolean[];
  /**
   * Per extra column: numbers (NaN missing) for a numeric one; for a categorical one, codes into
   * `extraClasses` from 1 (0 missing).
   */
  extra: (Float64Array | Uint32Array)[];
  /** Per extra column: the class keys of a categorical one, by code - 1; empty for a numeric one. */
  extraClasses: string[][];
  /** Profiled rows, rows with no output (not predictions), and predictions without a key. */
  rows: number;
  rowsWithoutOutput: number;
  keyless: number;
  /** BinaryClassification: the label-free estimate's sums over every row with an output. */
  estimate: EstimateState | null;
}

/** The buffers of a part, to transfer it to another thread without a copy. */
export function partBuffers(p: PredictionPart): ArrayBuffer[] {
  return [p.keyHi, p.keyLo, p.object, p.output, ...p.codes, ...p.extra].map((a) => a.buffer as ArrayBuffer);
}

/**
 * The next capacity of a growing column: doubled up to 2^20 entries, then 2^20 more at a time,
 * so a large part carries at most 2^20 entries of slack (a doubling would leave up to half).
 */
export function grownSize(length: number): number {
  return length < 1 << 20 ? length * 2 : length + (1 << 20);
}

function grow<T extends SliceCodes | Float64Array>(a: T, size: number): T {
  const bigger = new (a.constructor as new (n: number) => T)(size);
  bigger.set(a);
  return bigger;
}

/** Collects a part's predictions as the profiler's row sink (see RowSink). */
export class PredictionPartBuilder implements RowSink {
  readonly taps: readonly RowTap[];
  private n = 0;
  private keyHi = new Uint32Array(1024);
  private keyLo = new Uint32Array(1024);
  private object = new Uint32Array(1024);
  private output = new Float64Array(1024);
  private codes: SliceCodes[];
  private readonly maxCode: number[];
  private readonly classes = new Map<string, number>();
  private readonly known: Map<string, number>[];
  private readonly unseen: Map<string, number>[];
  private readonly seen: boolean[];
  /** Per categorical slice: categories read in place, by a hash of their bytes. */
  private readonly spanCodes: Map<number, { text: string; code: number }>[];
  /** The slices with byte codes (numeric), and the others. */
  private readonly narrow: number[] = [];
  private readonly wide: number[] = [];
  /** Each slice's bin edges; `null` for a categorical slice. */
  private readonly edges: (readonly number[] | null)[];
  private readonly estimate: EstimateSums | null;
  private readonly outputTap: number;
  /** The tap of each extra column. */
  private readonly extraTaps: number[];
  private extra: (Float64Array | Uint32Array)[];
  private readonly extraClasses: Map<string, number>[];
  private readonly hash = new Uint32Array(2);
  private ordinal = 0;
  private rows = 0;
  private rowsWithoutOutput = 0;
  private keyless = 0;

  constructor(
    private readonly spec: PredictionSpec,
    private readonly hasher: KeyHasher = hashKey64,
  ) {
    const slices: RowTap[] = spec.slices.map((s) => ({
      name: s.name,
      role: 'input',
      text: s.baseline.kind === 'categorical',
    }));
    this.outputTap = spec.outputColumn === null ? -1 : slices.length;
    const output: RowTap[] =
      spec.outputColumn === null ? [] : [{ name: spec.outputColumn, role: 'output', text: false }];
    const extra = spec.extraColumns ?? [];
    const taps: RowTap[] = [...slices, ...output];
    // A column both sliced and kept raw is read once (the profiler hands a column to one tap).
    this.extraTaps = extra.map((c) => {
      const at = taps.findIndex((t) => t.role === 'input' && t.name === c.name);
      if (at >= 0) return at;
      taps.push({ name: c.name, role: 'input', text: c.kind === 'categorical' });
      return taps.length - 1;
    });
    this.taps = taps;
    this.extra = extra.map((c) => (c.kind === 'numeric' ? new Float64Array(1024) : new Uint32Array(1024)));
    this.extraClasses = extra.map(() => new Map());
    this.codes = spec.slices.map((s) => {
      if (s.baseline.kind === 'numeric')
        return s.baseline.binEdges.length < 254 ? new Uint8Array(1024) : new Uint32Array(1024);
      return s.baseline.categories.length < MAX_CATEGORY_CODES / 2
        ? new Uint16Array(1024)
        : new Uint32Array(1024);
    });
    this.maxCode = this.codes.map((c) => (c instanceof Uint32Array ? 0xffffffff : MAX_CATEGORY_CODES));
    this.codes.forEach((c, f) => {
      (c instanceof Uint8Array ? this.narrow : this.wide).push(f);
    });
    this.known = spec.slices.map(
      (s) =>
        new Map(s.baseline.kind === 'categorical' ? s.baseline.categories.map((c, i) => [c, i + 1]) : []),
    );
    this.unseen = spec.slices.map(() => new Map());
    this.seen = spec.slices.map(() => false);
    this.spanCodes = spec.slices.map(() => new Map());
    this.edges = spec.slices.map((s) => (s.baseline.kind === 'numeric' ? s.baseline.binEdges : null));
    this.estimate = spec.problemType === 'BinaryClassification' ? new EstimateSums(spec.threshold) : null;
  }

  beginObject(ordinal: number): void {
    this.ordinal = ordinal;
  }

  row(key: string | ByteSpan | undefined, values: readonly unknown[], firstOutput: unknown): void {
    this.rows++;
    const tapped = this.outputTap < 0 ? undefined : values[this.outputTap];
    const out = tapped !== undefined ? tapped : firstOutput;
    if (out === undefined) {
      this.rowsWithoutOutput++;
      return;
    }
    this.estimate?.add(parseFiniteNumber(out));
    if (key === undefined) {
      this.keyless++;
      return;
    }
    const i = this.n++;
    if (i === this.keyHi.length) this.grow();
    if (typeof key === 'string') this.hasher(key, this.hash);
    else if (this.hasher === hashKey64) hashAsciiKey64(key.bytes, key.start, key.end, this.hash);
    else this.hasher(key.text(), this.hash);
    this.keyHi[i] = this.hash[0]!;
    this.keyLo[i] = this.hash[1]!;
    this.object[i] = this.ordinal;
    this.output[i] = this.outputValue(out);
    // Byte-coded (numeric) and wider-coded slices in loops of their own, so each store into a
    // code array sees one array type.
    const narrow = this.narrow;
    for (let j = 0; j < narrow.length; j++) {
      const f = narrow[j]!;
      const raw = values[f];
      const e = this.edges[f]!;
      // The common case first: a decimal the profiler already parsed.
      if (e !== null && typeof raw === 'number' && Number.isFinite(raw)) {
        this.seen[f] = true;
        (this.codes[f] as Uint8Array)[i] = binOf(e, raw) + 1;
      } else (this.codes[f] as Uint8Array)[i] = this.sliceCode(f, this.spec.slices[f]!.baseline, raw);
    }
    const wide = this.wide;
    for (let j = 0; j < wide.length; j++) {
      const f = wide[j]!;
      this.codes[f]![i] = this.sliceCode(f, this.spec.slices[f]!.baseline, values[f]);
    }
    for (let c = 0; c < this.extra.length; c++)
      this.extra[c]![i] = this.extraValue(c, values[this.extraTaps[c]!]);
  }

  /** An extra column's value as kept: its number (NaN missing), or its class key's code (0 missing). */
  private extraValue(c: number, raw: unknown): number {
    const column = this.extra[c]!;
    const value = raw instanceof ByteSpan ? raw.text() : raw;
    if (column instanceof Float64Array) return parseFiniteNumber(value) ?? Number.NaN;
    const key = classKey(value);
    if (key === null) return 0;
    const classes = this.extraClasses[c]!;
    let code = classes.get(key);
    if (code === undefined) {
      code = classes.size + 1;
      classes.set(key, code);
    }
    return code;
  }

  private grow(): void {
    const size = grownSize(this.keyHi.length);
    this.extra = this.extra.map((c) => grow(c, size));
    this.keyHi = grow(this.keyHi, size);
    this.keyLo = grow(this.keyLo, size);
    this.object = grow(this.object, size);
    this.output = grow(this.output, size);
    this.codes = this.codes.map((c) => grow(c, size));
  }

  /** The output as the number the join keeps (see {@link PredictionPart.output}). */
  private outputValue(out: unknown): number {
    switch (this.spec.problemType) {
      case 'BinaryClassification':
        // Not a number: may still be a 0/1 or true/false predicted label.
        return parseFiniteNumber(out) ?? parseBinaryLabel(out) ?? Number.NaN;
      case 'Regression':
        return parseFiniteNumber(out) ?? Number.NaN;
      default: {
        const c = classKey(out);
        if (c === null) return Number.NaN;
        let code = this.classes.get(c);
        if (code === undefined) {
          code = this.classes.size;
          this.classes.set(c, code);
        }
        return code;
      }
    }
  }

  private sliceCode(f: number, baseline: SliceBaseline, raw: unknown): number {
    if (raw === undefined) return MISSING_CODE;
    this.seen[f] = true;
    if (raw instanceof ByteSpan) return this.spanCode(f, raw);
    // Only a number or a text is a value (a boolean reads as its text).
    const v =
      typeof raw === 'boolean'
        ? String(raw)
        : typeof raw === 'number' || typeof raw === 'string'
          ? raw
          : null;
    if (baseline.kind === 'numeric') {
      const x = parseFiniteNumber(v);
      return x === null ? MISSING_CODE : binOf(baseline.binEdges, x) + 1;
    }
    const category = categoryOf(v);
    if (category === null) return MISSING_CODE;
    const known = this.known[f]!.get(category);
    if (known !== undefined) return known;
    const unseen = this.unseen[f]!;
    let code = unseen.get(category);
    if (code === undefined) {
      const next = this.known[f]!.size + 1 + unseen.size;
      if (next >= this.maxCode[f]!) return this.otherUnseen(f);
      code = next;
      unseen.set(category, code);
    }
    return code;
  }

  /**
   * The code of a category read in place: found by a hash of its bytes among the categories seen
   * so far (checked byte for byte), so a repeated category costs no string.
   */
  private spanCode(f: number, span: ByteSpan): number {
    const { bytes, start, end } = span;
    let h = 0x811c9dc5;
    for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
    const byHash = this.spanCodes[f]!;
    const hit = byHash.get(h);
    if (hit !== undefined && sameAscii(hit.text, bytes, start, end)) return hit.code;
    const text = span.text();
    const code = this.sliceCode(f, this.spec.slices[f]!.baseline, text);
    // One category per hash is remembered; a colliding one just takes the string path.
    if (hit === undefined) byHash.set(h, { text, code });
    return code;
  }

  /** The one code every category past the limit shares. */
  private otherUnseen(f: number): number {
    const unseen = this.unseen[f]!;
    let code = unseen.get(OTHER_UNSEEN);
    if (code === undefined) {
      code = this.known[f]!.size + 1 + unseen.size;
      unseen.set(OTHER_UNSEEN, code);
    }
    return code;
  }

  /** The part collected so far (arrays are views of the predictions collected; do not add more after). */
  build(): PredictionPart {
    const n = this.n;
    // Views, not copies: a copy would hold the window's predictions twice at the end of a read.
    return {
      count: n,
      keyHi: this.keyHi.subarray(0, n),
      keyLo: this.keyLo.subarray(0, n),
      object: this.object.subarray(0, n),
      output: this.output.subarray(0, n),
      codes: this.codes.map((c) => c.subarray(0, n)),
      extra: this.extra.map((c) => c.subarray(0, n)),
      extraClasses: this.extraClasses.map((m) => [...m.keys()]),
      classes: [...this.classes.keys()],
      unseen: this.unseen.map((u) => [...u.keys()]),
      seen: [...this.seen],
      rows: this.rows,
      rowsWithoutOutput: this.rowsWithoutOutput,
      keyless: this.keyless,
      estimate: this.estimate?.state() ?? null,
    };
  }
}

function sameAscii(text: string, bytes: Uint8Array, start: number, end: number): boolean {
  if (text.length !== end - start) return false;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) !== bytes[start + i]) return false;
  return true;
}

/** What a part counts besides its predictions: the rows, and the estimate's sums. */
export type PartSummary = Pick<
  PredictionPart,
  'rows' | 'rowsWithoutOutput' | 'keyless' | 'estimate' | 'seen'
>;

/** The part's {@link PartSummary}. */
export function summaryOf(p: PredictionPart): PartSummary {
  return {
    rows: p.rows,
    rowsWithoutOutput: p.rowsWithoutOutput,
    keyless: p.keyless,
    estimate: p.estimate,
    seen: p.seen,
  };
}

/**
 * The key partition of a key hash: any key lands in one partition of `partitions`, so a join
 * of one partition's predictions with the same partition's labels misses nothing.
 */
export function keyPartition(hi: number, partitions: number): number {
  return (hi >>> 0) % partitions;
}

/**
 * A part's predictions split by {@link keyPartition}, each in the part's order; the pieces
 * carry the dictionaries but none of the summary (see {@link summaryOf}: it goes with the
 * part's profile, counted once).
 */
export function splitByKey(p: PredictionPart, partitions: number): PredictionPart[] {
  const counts = new Array<number>(partitions).fill(0);
  const which = new Uint32Array(p.count);
  for (let i = 0; i < p.count; i++) {
    const k = keyPartition(p.keyHi[i]!, partitions);
    which[i] = k;
    counts[k]!++;
  }
  return counts.map((n, k) => {
    const pick = <T extends SliceCodes | Float64Array>(a: T): T => {
      const out = new (a.constructor as new (size: number) => T)(n);
      let j = 0;
      for (let i = 0; i < p.count; i++) if (which[i] === k) out[j++] = a[i]!;
      return out;
    };
    return {
      count: n,
      keyHi: pick(p.keyHi),
      keyLo: pick(p.keyLo),
      object: pick(p.object),
      output: pick(p.output),
      codes: p.codes.map(pick),
      extra: p.extra.map(pick),
      extraClasses: p.extraClasses,
      classes: p.classes,
      unseen: p.unseen,
      seen: p.seen.map(() => false),
      rows: 0,
      rowsWithoutOutput: 0,
      keyless: 0,
      estimate: null,
    };
  });
}
