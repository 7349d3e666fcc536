/**
 * Reads capture lines into a WindowProfile. Every line ends up profiled, rejected under a named
 * reason, or (when a time window is set) skipped as outside the window: nothing throws and
 * nothing is lost. A record is all or nothing: if any of its rows cannot be named, none is used.
 */
import {
  asciiText,
  CaptureLineScanner,
  type CsvFields,
  FieldStatus,
  inferenceTimeMs,
} from '../capture/capture-bytes.ts';
import type { FeatureRole } from '../capture/capture-record.ts';
import {
  type CapturePayload,
  parseCaptureLine,
  parseInferenceTime,
  type RejectReason,
} from '../capture/capture-record.ts';
import { splitCsvRecord } from '../capture/csv.ts';
import { DEFAULT_MAX_LINE_BYTES, type LineEvent, LineSplitter } from '../capture/line-splitter.ts';
import { type DecodedPayload, decodePayload, type PayloadRow } from '../capture/payload.ts';
import type { CaptureSchema } from './capture-schema.ts';
import { DEFAULT_LIMITS, type FeatureProfile, type ProfileLimits } from './feature-profile.ts';
import { ByteSpan, type RowSink } from './row-sink.ts';
import { WindowProfile } from './window-profile.ts';

export interface WindowProfilerOptions {
  /** Records with inferenceTime in [start, end) are the window; null: every record. */
  window?: { start: string | null; end: string | null };
  limits?: ProfileLimits;
  /** Longest capture line read; longer lines are rejected as `line_too_long`. */
  maxLineBytes?: number;
  /** Most distinct columns a window may have (named JSON keys included). */
  maxColumns?: number;
  /** Receives each profiled row's join key and the columns it asks for (model quality). */
  rows?: RowSink;
}

export const DEFAULT_MAX_COLUMNS = 2_000;

interface Slots {
  input: FeatureProfile[];
  output: FeatureProfile[];
}

type Side =
  | CsvRows
  // One unquoted CSV record, read field by field in place (the common case: no strings cut).
  | CsvLine
  // A CSV payload of a capture line read by the fast path (CaptureLineScanner).
  | CsvFields
  | { kind: 'json'; rows: PayloadRow[] }
  | null;

/**
 * The records of a CSV payload, each split into fields only when its row is read, into one
 * array reused row after row. A payload of millions of tiny records (a 32 MB line) costs its
 * text and one string per record, not an array per row (issue 17: memory bounded by
 * configuration, not by the client). One instance per side, reused for every capture record.
 */
class CsvRows {
  readonly kind = 'csv';
  records: readonly string[] = [];
  private at = -1;
  private readonly row: string[] = [];

  /** Points the rows at `records`. */
  reset(records: readonly string[]): this {
    this.records = records;
    this.at = -1;
    return this;
  }

  get length(): number {
    return this.records.length;
  }

  /** The fields of row `r`; valid until another row is read. */
  fields(r: number): readonly string[] {
    if (r !== this.at) {
      this.row.length = splitCsvRecord(this.records[r]!, this.row);
      this.at = r;
    }
    return this.row;
  }
}

/**
 * One unquoted CSV record: field c is text[c === 0 ? 0 : ends[c - 1] + 1, ends[c]). One instance
 * per side, reused for every record (a record is profiled before the next is read).
 */
interface CsvLine {
  kind: 'csv-line';
  text: string;
  columns: number;
  ends: Int32Array;
}

function csvLine(): CsvLine {
  return { kind: 'csv-line', text: '', columns: 0, ends: new Int32Array(64) };
}

export class WindowProfiler {
  readonly profile: WindowProfile;
  private readonly startMs: number;
  private readonly endMs: number;
  private readonly timed: boolean;
  private readonly maxLineBytes: number;
  private readonly maxColumns: number;
  private readonly schemaFeatures: FeatureProfile[];
  private readonly slotCache = new Map<number, Slots | RejectReason>();
  private readonly inRows = new CsvRows();
  private readonly outRows = new CsvRows();
  private readonly inLine = csvLine();
  private readonly outLine = csvLine();
  private readonly scanner: CaptureLineScanner;
  private stamp = 0;
  private readonly sink: RowSink | null;
  /** The sink's columns by role and name (names are data: a Map). */
  private readonly tapIndex = new Map<string, number>();
  /** The current row's tapped values, reused row after row. */
  private readonly tapValues: unknown[];
  /** 1 where tap `t` wants text even for a decimal. */
  private readonly tapText: Uint8Array;
  /** The spans handed to the sink on the fast path: the key, and one per text tap. */
  private readonly keySpan = new ByteSpan();
  private readonly tapSpans: ByteSpan[];
  private firstOutput: unknown;

  constructor(
    private readonly schema: CaptureSchema,
    options: WindowProfilerOptions = {},
  ) {
    const window = options.window ?? { start: null, end: null };
    this.profile = new WindowProfile(
      window,
      options.limits ?? DEFAULT_LIMITS,
      schema.features,
      schema.layout.kind === 'sagemaker-merged',
    );
    this.startMs = window.start ? Date.parse(window.start) : Number.NEGATIVE_INFINITY;
    this.endMs = window.end ? Date.parse(window.end) : Number.POSITIVE_INFINITY;
    this.timed = window.start !== null || window.end !== null;
    this.maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxColumns = options.maxColumns ?? DEFAULT_MAX_COLUMNS;
    this.scanner = new CaptureLineScanner(this.maxColumns);
    this.schemaFeatures = schema.features.map((f) => this.profile.features.get(f.name)!);
    this.sink = options.rows ?? null;
    const taps = this.sink?.taps ?? [];
    taps.forEach((t, i) => {
      this.tapIndex.set(`${t.role}\u0000${t.name}`, i);
    });
    this.tapValues = new Array<unknown>(taps.length);
    this.tapText = Uint8Array.from(taps, (t) => (t.text ? 1 : 0));
    this.tapSpans = taps.map(() => new ByteSpan());
  }

  /** The capture object read next, by its position in the window (see RowSink.beginObject). */
  beginObject(ordinal: number): void {
    this.sink?.beginObject(ordinal);
  }

  /** The sink column of `f` (-1: none), looked up once per feature. */
  private tapOf(f: FeatureProfile): number {
    if (f.tap === -2) f.tap = this.tapIndex.get(`${f.role}\u0000${f.name}`) ?? -1;
    return f.tap;
  }

  /** Whether tap `t` wants text even for a decimal. */
  private wantsText(t: number): boolean {
    return this.tapText[t] === 1;
  }

  /** A line splitter for one file, feeding this profiler; the file counts once its `end` is called. */
  fileSplitter(): LineSplitter {
    return new LineSplitter(
      (e) => this.onLineEvent(e),
      this.maxLineBytes,
      () => this.profile.files++,
      (bytes, start, end) => this.addLineBytes(bytes, start, end),
    );
  }

  onLineEvent(e: LineEvent): void {
    if (e.kind === 'line') this.addLine(e.text);
    else this.profile.reject(e.kind);
  }

  /** Profiles one non-blank capture line. */
  addLine(line: string): void {
    const parsed = parseCaptureLine(line);
    if (!parsed.ok) {
      this.profile.reject(parsed.reason);
      return;
    }
    const rec = parsed.record;
    if (this.timed && !this.inWindow(parseInferenceTime(rec.inferenceTime))) return;
    const input = this.readSide(rec.input, this.inLine, this.inRows);
    if (typeof input === 'string') {
      this.profile.reject(input);
      return;
    }
    const output = this.readSide(rec.output, this.outLine, this.outRows);
    if (typeof output === 'string') {
      this.profile.reject(output);
      return;
    }
    this.addRecord(input, output, rec.inferenceId ?? rec.eventId);
  }

  /**
   * The fast path: profiles the capture line bytes[start, end) when CaptureLineScanner reads it
   * (SageMaker's own shape, CSV payloads or BASE64 of CSV), with no string made for the line or
   * its numbers.
   * False when it does not; the caller then decodes the line and calls addLine.
   */
  addLineBytes(bytes: Uint8Array, start: number, end: number): boolean {
    const sc = this.scanner;
    if (!sc.scan(bytes, start, end)) return false;
    if (this.timed) {
      const t = sc.timeStart < 0 ? Number.NaN : inferenceTimeMs(bytes, sc.timeStart, sc.timeEnd);
      if (!this.inWindow(t)) return true;
    }
    // The general path checks the input side before the output side.
    if (sc.input.tooManyColumns || sc.output.tooManyColumns) {
      this.profile.reject('too_many_columns');
      return true;
    }
    const input = sc.input.present ? sc.input : null;
    const output = sc.output.present ? sc.output : null;
    const key = this.sink !== null && sc.joinKeySpan(this.keySpan) ? this.keySpan : undefined;
    this.addRecord(input, output, key);
    return true;
  }

  /** Whether a record at time t (ms) is in the window; counts it when it is not. */
  private inWindow(t: number): boolean {
    if (Number.isNaN(t)) {
      this.profile.reject('invalid_inference_time');
      return false;
    }
    if (t < this.startMs || t >= this.endMs) {
      this.profile.outsideWindow++;
      return false;
    }
    return true;
  }

  /** Profiles a record whose sides were read, or rejects it; `key` joins it with ground truth. */
  private addRecord(input: Side, output: Side, key: string | ByteSpan | undefined): void {
    const reason = this.addRows(input, output, key);
    if (reason !== null) this.profile.reject(reason);
    else {
      this.profile.total++;
      this.profile.profiled++;
    }
  }

  private addRows(input: Side, output: Side, key: string | ByteSpan | undefined): RejectReason | null {
    const nIn = sideRows(input);
    const nOut = sideRows(output);
    if (input !== null && output !== null && nIn !== nOut) return 'input_output_row_mismatch';
    const n = Math.max(nIn, nOut);
    if (n === 1) {
      // The common case: one row.
      const s = this.rowSlots(input, output, 0);
      if (typeof s === 'string') return s;
      this.addRow(input, output, 0, s, key);
      this.profile.rows += 1;
      return null;
    }
    // Name every row before profiling any, so a record is used whole or not at all; the names
    // are cached by column counts, so the second look is a lookup, and nothing is kept per row.
    for (let r = 0; r < n; r++) {
      const s = this.rowSlots(input, output, r);
      if (typeof s === 'string') return s;
    }
    for (let r = 0; r < n; r++)
      this.addRow(input, output, r, this.rowSlots(input, output, r) as Slots | null, key);
    this.profile.rows += n;
    return null;
  }

  private addRow(
    input: Side,
    output: Side,
    r: number,
    s: Slots | null,
    key: string | ByteSpan | undefined,
  ): void {
    const stamp = ++this.stamp;
    this.addSide(input, r, s?.input, 'input', stamp);
    this.addSide(output, r, s?.output, 'output', stamp);
    // A baseline feature this row did not mention (absent JSON key, side not captured) is missing.
    const features = this.schemaFeatures;
    for (let i = 0; i < features.length; i++) {
      const f = features[i]!;
      if (f.stamp !== stamp) f.addMissing();
    }
    if (this.sink !== null) {
      this.sink.row(key, this.tapValues, this.firstOutput);
      this.tapValues.fill(undefined);
      this.firstOutput = undefined;
    }
  }

  /**
   * One side of a record. A CSV payload that is one unquoted record (no newline, quote or
   * trailing CR: exactly what csvRecords would return whole) is read in place, its field ends
   * found in the same pass that counts its columns; anything else goes through decodePayload.
   */
  private readSide(p: CapturePayload | undefined, line: CsvLine, rows: CsvRows): Side | RejectReason {
    if (p === undefined) return null;
    if (p.encoding === 'CSV') {
      const text = p.data;
      if (
        text.indexOf('\n') === -1 &&
        text.indexOf('"') === -1 &&
        (text.length === 0 || text.charCodeAt(text.length - 1) !== 13)
      )
        return this.csvLineSide(text, line);
    }
    return this.decodeSide(decodePayload(p), line, rows);
  }

  /** Fills `line` with the field ends of the unquoted record `text`. */
  private csvLineSide(text: string, line: CsvLine): CsvLine | RejectReason {
    const max = this.maxColumns;
    let ends = line.ends;
    let columns = 0;
    let at = text.indexOf(',');
    for (;;) {
      if (columns >= max) return 'too_many_columns';
      if (columns >= ends.length) {
        const bigger = new Int32Array(Math.min(ends.length * 2, max + 1));
        bigger.set(ends);
        line.ends = ends = bigger;
      }
      if (at === -1) {
        ends[columns++] = text.length;
        break;
      }
      ends[columns++] = at;
      at = text.indexOf(',', at + 1);
    }
    line.text = text;
    line.columns = columns;
    return line;
  }

  private decodeSide(d: DecodedPayload, line: CsvLine, rows: CsvRows): Side | RejectReason {
    if (d.kind === 'error') return d.reason;
    if (d.kind === 'json') {
      for (const row of d.rows)
        if (Array.isArray(row) && row.length > this.maxColumns) return 'too_many_columns';
      return d;
    }
    if (d.records.length === 1 && d.records[0]!.indexOf('"') === -1)
      return this.csvLineSide(d.records[0]!, line);
    // Rows are split when read; addRows names (and so checks) every row before profiling any.
    return rows.reset(d.records);
  }

  /** The names of row `r`'s columns; `null` for a row of named (JSON) values on both sides. */
  private rowSlots(input: Side, output: Side, r: number): Slots | null | RejectReason {
    const a = positionalLength(input, r);
    const b = positionalLength(output, r);
    if (a > this.maxColumns || b > this.maxColumns) return 'too_many_columns';
    if (a < 0 && b < 0) return null;
    return this.slotsFor(Math.max(a, 0), Math.max(b, 0));
  }

  private slotsFor(inputCols: number, outputCols: number): Slots | RejectReason {
    // Exact for any column counts below 2^21 (payloads past --max-columns never get here).
    const key = inputCols * 4294967296 + outputCols;
    let s = this.slotCache.get(key);
    if (s === undefined) {
      const naming = this.schema.csvNaming(inputCols, outputCols);
      if ('reject' in naming) s = naming.reject;
      else
        s = {
          input: naming.input.map((n) => this.featureFor(n, 'input')),
          output: naming.output.map((n) => this.featureFor(n, 'output')),
        };
      this.slotCache.set(key, s);
    }
    return s;
  }

  private featureFor(name: string, role: FeatureRole): FeatureProfile {
    return this.profile.featureFor(name, role);
  }

  /** Adds row r of one side, stamping each feature it gives a value (present or missing). */
  private addSide(
    side: Side,
    r: number,
    slots: FeatureProfile[] | undefined,
    role: FeatureRole,
    stamp: number,
  ): void {
    if (side === null) return;
    const tapping = this.sink !== null;
    const output = role === 'output';
    if (side.kind === 'csv-bytes') {
      const { bytes, ends, status, values } = side;
      let start = side.start;
      for (let c = 0; c < side.columns; c++) {
        const end = ends[c]!;
        const f = slots![c]!;
        const st = status[c]!;
        f.addField(st, values[c]!, bytes, start, end);
        f.stamp = stamp;
        if (tapping) {
          // The hot path of a tapped window: one lookup, no calls (fieldValue's rules inline).
          const t = this.tapOf(f);
          if (t >= 0) {
            const v =
              st === FieldStatus.Empty
                ? ''
                : this.tapText[t] === 1
                  ? this.tapSpans[t]!.set(bytes, start, end)
                  : st === FieldStatus.Other
                    ? asciiText(bytes, start, end)
                    : values[c]!;
            this.tapValues[t] = v;
            if (output && c === 0) this.firstOutput = v;
          } else if (output && c === 0)
            this.firstOutput = this.fieldValue(f, st, values[c]!, bytes, start, end);
        }
        start = end + 1;
      }
      return;
    }
    if (side.kind === 'csv-line') {
      const text = side.text;
      const ends = side.ends;
      let start = 0;
      for (let c = 0; c < side.columns; c++) {
        const end = ends[c]!;
        const f = slots![c]!;
        f.addCsvSpan(text, start, end);
        f.stamp = stamp;
        if (tapping && (this.tapOf(f) >= 0 || (output && c === 0))) this.tap(f, c, text.slice(start, end));
        start = end + 1;
      }
      return;
    }
    if (side.kind === 'csv') {
      const fields = side.fields(r);
      for (let c = 0; c < fields.length; c++) {
        const f = slots![c]!;
        f.addText(fields[c]!);
        f.stamp = stamp;
        if (tapping) this.tap(f, c, fields[c]);
      }
      return;
    }
    const row = side.rows[r]!;
    if (Array.isArray(row)) {
      for (let c = 0; c < row.length; c++) {
        const f = slots![c]!;
        f.addJson(row[c]);
        f.stamp = stamp;
        if (tapping) this.tap(f, c, row[c]);
      }
      return;
    }
    let column = 0;
    for (const k in row) {
      const known = this.profile.features.get(k);
      if (known === undefined && this.profile.features.size >= this.maxColumns) {
        // Past the column limit new keys are counted, not profiled (memory under attack).
        this.profile.noteLimit('max_columns');
        continue;
      }
      const f = known !== undefined && known.role === role ? known : this.profile.featureFor(k, role);
      f.addJson(row[k]);
      f.stamp = stamp;
      if (tapping) this.tap(f, column++, row[k]);
    }
  }
  /** Hands column `c` of the row being read to the sink, when it wants it (or it is the first output). */
  private tap(f: FeatureProfile, c: number, value: unknown): void {
    const t = this.tapOf(f);
    if (t >= 0) this.tapValues[t] = value;
    if (c === 0 && f.role === 'output') this.firstOutput = value;
  }

  /** The value a fast-path field gives a sink: its number when decimal, else its text. */
  private fieldValue(
    f: FeatureProfile,
    status: FieldStatus,
    x: number,
    bytes: Uint8Array,
    start: number,
    end: number,
  ): unknown {
    if (status === FieldStatus.Empty) return '';
    const t = this.tapOf(f);
    if (t >= 0 && this.wantsText(t)) return this.tapSpans[t]!.set(bytes, start, end);
    if (status === FieldStatus.Other) return asciiText(bytes, start, end);
    return x;
  }
}

function sideRows(side: Side): number {
  if (side === null) return 0;
  if (side.kind === 'csv-line' || side.kind === 'csv-bytes') return 1;
  return side.kind === 'csv' ? side.length : side.rows.length;
}

/** Column count of a positional row, or -1 for a named row or no side. */
function positionalLength(side: Side, r: number): number {
  if (side === null) return -1;
  if (side.kind === 'csv-line' || side.kind === 'csv-bytes') return side.columns;
  if (side.kind === 'csv') return side.fields(r).length;
  const row = side.rows[r]!;
  return Array.isArray(row) ? row.length : -1;
}
