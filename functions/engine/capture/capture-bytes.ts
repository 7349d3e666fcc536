/**
 * The fast path for a capture line: reads the fields the monitor needs straight from the line's
 * bytes, without decoding the line to a string or building its JSON objects (JSON.parse was
 * most of the cost of a window). It accepts a strict subset of what parseCaptureLine accepts,
 * the shape SageMaker writes: objects whose values are strings or objects, strings of printable
 * ASCII without escapes, payloads of one unquoted CSV record (as CSV, or as BASE64 under a CSV
 * content type), each known key at most once. On anything else it answers
 * false and the caller takes the general path (parseCaptureLine), which defines the semantics;
 * on what it accepts it finds exactly what that path would (a differential test holds it to it).
 */

import { parseIsoTime } from './capture-record.ts';
import { POW10 } from './value-parse.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN = 0x7b;
const CLOSE = 0x7d;

/** Deepest object nesting the fast path follows (unknown keys may hold objects); deeper goes slow. */
const MAX_DEPTH = 16;

const key = (s: string) => new TextEncoder().encode(s);
const CAPTURE_DATA = key('captureData');
const EVENT_METADATA = key('eventMetadata');
const ENDPOINT_INPUT = key('endpointInput');
const ENDPOINT_OUTPUT = key('endpointOutput');
const DATA = key('data');
const ENCODING = key('encoding');
const EVENT_ID = key('eventId');
const INFERENCE_ID = key('inferenceId');
const INFERENCE_TIME = key('inferenceTime');
const CSV = key('CSV');
const BASE64 = key('BASE64');
const OBSERVED_CONTENT_TYPE = key('observedContentType');
const JSON_TEXT = key('json');
const CSV_TEXT = key('csv');

/** Result of a failed step: the line is left to the general path. */
const FAIL = -1;

/**
 * Scans capture lines; one instance is reused for every line, and the spans it finds are
 * fields (offsets into the line's bytes, -1 when absent), valid until the next scan.
 */
export class CaptureLineScanner {
  /** endpointInput.data, a CSV payload, read field by field. */
  readonly input: CsvFields;
  /** endpointOutput.data, the same. */
  readonly output: CsvFields;
  eventIdStart = -1;
  eventIdEnd = -1;
  inferenceIdStart = -1;
  inferenceIdEnd = -1;
  timeStart = -1;
  timeEnd = -1;

  /** Most columns a payload may have; past it the side is marked `tooManyColumns`. */
  constructor(maxColumns: number) {
    this.input = new CsvFields(maxColumns);
    this.output = new CsvFields(maxColumns);
  }

  private b: Uint8Array = new Uint8Array(0);
  private end = 0;
  /** The last string read: [strStart, strEnd). */
  private strStart = 0;
  private strEnd = 0;

  /** True when bytes[start, end) is a capture line the fast path reads; the spans are then set. */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    this.b = bytes;
    this.end = end;
    this.forget();
    const templates = this.templates;
    for (let i = 0; i < templates.length; i++) {
      const t = templates[i]!;
      if (this.fromTemplate(t, start, end)) {
        // Most recently used first: lines of a file tend to come in runs of one shape.
        if (i > 0) {
          templates.splice(i, 1);
          templates.unshift(t);
        }
        return true;
      }
      this.forget();
    }
    this.slots = 0;
    let p = this.object(this.ws(start), Ctx.Top, 0);
    // No captureData is the general path's `missing_capture_data`.
    if (p === FAIL || (this.seen & 1) === 0) return false;
    p = this.ws(p);
    // Only whitespace may follow the object; no captured side at all is the general path's no_payload.
    if (p !== end || !(this.input.present || this.output.present)) return false;
    this.learn(start, end);
    return true;
  }

  /** Clears what a scan finds, before a scan or after a template that did not fit. */
  private forget(): void {
    this.input.present = this.output.present = false;
    this.input.typeStart = this.output.typeStart = -1;
    this.eventIdStart = this.eventIdEnd = this.inferenceIdStart = this.inferenceIdEnd = -1;
    this.timeStart = this.timeEnd = -1;
  }

  /**
   * The shapes of the last lines the full scan accepted (see Template), most recently used
   * first. A file may mix a few shapes (requests with and without an inferenceId, say).
   */
  private readonly templates: Template[] = [];

  /** Value strings met by the full scan: contents [slotStart, slotEnd) and role. */
  private slots = 0;
  private readonly slotStart = new Int32Array(MAX_SLOTS);
  private readonly slotEnd = new Int32Array(MAX_SLOTS);
  private readonly slotRole = new Uint8Array(MAX_SLOTS);

  private slot(start: number, end: number, role: Role): void {
    const n = this.slots++;
    if (n >= MAX_SLOTS) return;
    this.slotStart[n] = start;
    this.slotEnd[n] = end;
    this.slotRole[n] = role;
  }

  private learn(start: number, end: number): void {
    const n = this.slots;
    if (n > MAX_SLOTS) return;
    let length = end - start;
    for (let i = 0; i < n; i++) length -= this.slotEnd[i]! - this.slotStart[i]!;
    const bytes = new Uint8Array(length);
    const cuts = new Int32Array(n);
    const roles = new Uint8Array(n);
    const b = this.b;
    let k = 0;
    let from = start;
    for (let i = 0; i < n; i++) {
      bytes.set(b.subarray(from, this.slotStart[i]!), k);
      k += this.slotStart[i]! - from;
      cuts[i] = k;
      roles[i] = this.slotRole[i]!;
      from = this.slotEnd[i]!;
    }
    bytes.set(b.subarray(from, end), k);
    this.templates.unshift({ bytes, words: new DataView(bytes.buffer), cuts, roles });
    if (this.templates.length > MAX_TEMPLATES) this.templates.pop();
  }

  /** Reads bytes[start, end) as a line of the template's shape; false when it is not one. */
  private fromTemplate(template: Template, start: number, end: number): boolean {
    const b = this.b;
    const t = template.bytes;
    const words = this.words(b);
    const tWords = template.words;
    const cuts = template.cuts;
    const roles = template.roles;
    let p = start;
    let k = 0;
    for (let i = 0; i < cuts.length; i++) {
      const cut = cuts[i]!;
      if (p + (cut - k) > end) return false;
      // Four bytes at a time, then the rest one by one (reads stay inside [start, end)).
      for (; k + 4 <= cut; k += 4, p += 4)
        if (words.getInt32(p, true) !== tWords.getInt32(k, true)) return false;
      for (; k < cut; k++, p++) if (b[p] !== t[k]) return false;
      const role = roles[i]!;
      let q: number;
      if (role === Role.Input || role === Role.Output) {
        const side = role === Role.Input ? this.input : this.output;
        q = this.csv(p - 1, side);
        if (q === FAIL) return false;
        side.present = true;
        side.base64 = false;
        q--;
      } else {
        q = this.plain(p);
        if (q === FAIL) return false;
        if (role === Role.InputBase64 || role === Role.OutputBase64) {
          // Decoded once the walk is done: its content type may come after it.
          const side = role === Role.InputBase64 ? this.input : this.output;
          side.present = true;
          side.base64 = true;
          side.dataStart = p;
          side.dataEnd = q;
        } else if (role === Role.InputType || role === Role.OutputType) {
          const side = role === Role.InputType ? this.input : this.output;
          side.typeStart = p;
          side.typeEnd = q;
        } else if (role === Role.EventId) {
          this.eventIdStart = p;
          this.eventIdEnd = q;
        } else if (role === Role.InferenceId) {
          this.inferenceIdStart = p;
          this.inferenceIdEnd = q;
        } else if (role === Role.Time) {
          this.timeStart = p;
          this.timeEnd = q;
        }
      }
      p = q;
    }
    if (p + (t.length - k) !== end) return false;
    for (; k + 4 <= t.length; k += 4, p += 4)
      if (words.getInt32(p, true) !== tWords.getInt32(k, true)) return false;
    for (; k < t.length; k++, p++) if (b[p] !== t[k]) return false;
    if (this.input.present && this.input.base64 && !this.base64Csv(this.input)) return false;
    if (this.output.present && this.output.base64 && !this.base64Csv(this.output)) return false;
    return true;
  }

  /** A DataView of the bytes being scanned, made once per buffer (a chunk holds many lines). */
  private words(b: Uint8Array): DataView<ArrayBufferLike> {
    if (this.wordsOf !== b) {
      this.wordsOf = b;
      this.wordsView = new DataView(b.buffer, b.byteOffset, b.byteLength);
    }
    return this.wordsView;
  }

  private wordsOf: Uint8Array | null = null;
  private wordsView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

  /** The contents of a plain string starting at p: the position of its closing quote, or FAIL. */
  private plain(p: number): number {
    const b = this.b;
    const end = this.end;
    const words = this.words(b);
    let i = p;
    // Four bytes at a time while none is a quote, a backslash, a control or a non-ASCII byte
    // (the classic SWAR tests for a zero byte and for a byte below a bound, on 32 bits).
    for (; i + 4 <= end; i += 4) {
      const v = words.getInt32(i, true);
      const quote = v ^ 0x22222222;
      const backslash = v ^ 0x5c5c5c5c;
      const flags =
        ((quote - 0x01010101) & ~quote) |
        ((backslash - 0x01010101) & ~backslash) |
        ((v - 0x20202020) & ~v) |
        v;
      if ((flags & 0x80808080) !== 0) break;
    }
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === QUOTE) return i;
      if (c === BACKSLASH || c < 0x20 || c > 0x7f) return FAIL;
    }
    return FAIL;
  }

  /**
   * Points `span` at the join key of the last line scanned (inferenceId, else eventId, the bytes
   * of the text the general path gives); false when there is none.
   */
  joinKeySpan(span: { set(bytes: Uint8Array, start: number, end: number): unknown }): boolean {
    if (this.inferenceIdStart >= 0) span.set(this.b, this.inferenceIdStart, this.inferenceIdEnd);
    else if (this.eventIdStart >= 0) span.set(this.b, this.eventIdStart, this.eventIdEnd);
    else return false;
    return true;
  }

  private ws(p: number): number {
    const b = this.b;
    const end = this.end;
    while (p < end) {
      const c = b[p]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) break;
      p++;
    }
    return p;
  }

  /**
   * A string starting at p (which must be its opening quote): printable ASCII without escapes.
   * Sets strStart/strEnd and returns the position after the closing quote.
   */
  private str(p: number): number {
    const b = this.b;
    const end = this.end;
    if (p >= end || b[p] !== QUOTE) return FAIL;
    const q = this.plain(p + 1);
    if (q === FAIL) return FAIL;
    this.strStart = p + 1;
    this.strEnd = q;
    return q + 1;
  }

  /** Position after `"key"` `:` and whitespace, with the key in strStart/strEnd. */
  private member(p: number): number {
    p = this.str(p);
    if (p === FAIL) return FAIL;
    p = this.ws(p);
    if (p >= this.end || this.b[p] !== COLON) return FAIL;
    return this.ws(p + 1);
  }

  /** After a member's value: the position of the next member, or -2 - (position after `}`). */
  private next(p: number): number {
    p = this.ws(p);
    if (p >= this.end) return FAIL;
    const c = this.b[p]!;
    if (c === CLOSE) return -2 - (p + 1);
    if (c !== COMMA) return FAIL;
    return this.ws(p + 1);
  }

  private keyIs(k: Uint8Array): boolean {
    const s = this.strStart;
    if (this.strEnd - s !== k.length) return false;
    const b = this.b;
    for (let i = 0; i < k.length; i++) if (b[s + i] !== k[i]) return false;
    return true;
  }

  /**
   * Walks the object starting at p (its `{`) read in context `ctx`, handing each member's value
   * to `value`. Returns the position after the closing `}`; the known keys met are in `seen`.
   */
  private object(p: number, ctx: Ctx, depth: number): number {
    if (p >= this.end || this.b[p] !== OPEN) return FAIL;
    p = this.ws(p + 1);
    let seen = 0;
    if (p < this.end && this.b[p] === CLOSE) {
      this.seen = 0;
      return p + 1;
    }
    for (;;) {
      p = this.member(p);
      if (p === FAIL) return FAIL;
      p = this.value(p, ctx, depth);
      if (p === FAIL) return FAIL;
      // A known key met twice: JSON.parse keeps the last; the general path does that.
      if (seen & this.bit) return FAIL;
      seen |= this.bit;
      p = this.next(p);
      if (p === FAIL) return FAIL;
      if (p <= -2) {
        this.seen = seen;
        return -2 - p;
      }
    }
  }

  /** Known keys of the object last walked, one bit each (see `bit`). */
  private seen = 0;
  /** The bit of the key whose value was last read (0 for keys the monitor does not read). */
  private bit = 0;

  /** The value of the member whose key is in strStart/strEnd, in an object of context `ctx`. */
  private value(p: number, ctx: Ctx, depth: number): number {
    this.bit = 0;
    switch (ctx) {
      case Ctx.Top:
        if (this.keyIs(CAPTURE_DATA)) {
          const r = this.object(p, Ctx.CaptureData, depth + 1);
          this.bit = 1;
          // No side captured is the general path's `no_payload`; a side without data goes that way too.
          return r;
        }
        if (this.keyIs(EVENT_METADATA)) {
          const r = this.object(p, Ctx.Metadata, depth + 1);
          this.bit = 2;
          return r;
        }
        break;
      case Ctx.CaptureData:
        if (this.keyIs(ENDPOINT_INPUT)) {
          const r = this.payload(p, this.input, depth);
          this.bit = 1;
          return r;
        }
        if (this.keyIs(ENDPOINT_OUTPUT)) {
          const r = this.payload(p, this.output, depth);
          this.bit = 2;
          return r;
        }
        break;
      case Ctx.Payload:
        if (this.keyIs(DATA)) {
          // Read once the payload's encoding is known (see payload).
          const side = this.side!;
          const r = this.str(p);
          if (r === FAIL) return FAIL;
          side.dataStart = this.strStart;
          side.dataEnd = this.strEnd;
          side.dataSlot = this.slots;
          this.slot(this.strStart, this.strEnd, side === this.input ? Role.Input : Role.Output);
          this.bit = 1;
          return r;
        }
        if (this.keyIs(ENCODING)) {
          const r = this.str(p);
          this.bit = 2;
          if (r === FAIL) return FAIL;
          if (this.keyIs(CSV)) this.side!.base64 = false;
          else if (this.keyIs(BASE64)) this.side!.base64 = true;
          else return FAIL;
          return r;
        }
        if (this.keyIs(OBSERVED_CONTENT_TYPE)) {
          const side = this.side!;
          const r = this.str(p);
          if (r === FAIL) return FAIL;
          side.typeStart = this.strStart;
          side.typeEnd = this.strEnd;
          this.slot(this.strStart, this.strEnd, side === this.input ? Role.InputType : Role.OutputType);
          this.bit = 4;
          return r;
        }
        break;
      case Ctx.Metadata: {
        let bit = 0;
        if (this.keyIs(EVENT_ID)) bit = 1;
        else if (this.keyIs(INFERENCE_ID)) bit = 2;
        else if (this.keyIs(INFERENCE_TIME)) bit = 4;
        else break;
        const r = this.str(p);
        if (r === FAIL) return FAIL;
        this.slot(
          this.strStart,
          this.strEnd,
          bit === 1 ? Role.EventId : bit === 2 ? Role.InferenceId : Role.Time,
        );
        if (bit === 1) {
          this.eventIdStart = this.strStart;
          this.eventIdEnd = this.strEnd;
        } else if (bit === 2) {
          this.inferenceIdStart = this.strStart;
          this.inferenceIdEnd = this.strEnd;
        } else {
          this.timeStart = this.strStart;
          this.timeEnd = this.strEnd;
        }
        this.bit = bit;
        return r;
      }
    }
    // A key the monitor does not read: its value may be a string or an object of such values.
    if (p < this.end && this.b[p] === QUOTE) {
      const r = this.str(p);
      if (r !== FAIL) this.slot(this.strStart, this.strEnd, Role.Free);
      return r;
    }
    if (depth >= MAX_DEPTH) return FAIL;
    const r = this.object(p, Ctx.Skip, depth + 1);
    this.bit = 0;
    return r;
  }

  /** The side whose payload object is being read. */
  private side: CsvFields | null = null;

  /**
   * One side: a payload with data and an encoding, CSV or BASE64 of CSV (anything else goes
   * the general way), its data read once the whole object is.
   */
  private payload(p: number, side: CsvFields, depth: number): number {
    this.side = side;
    const r = this.object(p, Ctx.Payload, depth + 1);
    if (r === FAIL || (this.seen & 3) !== 3) return FAIL;
    if (side.base64) {
      if (!this.base64Csv(side)) return FAIL;
      if (side.dataSlot < MAX_SLOTS)
        this.slotRole[side.dataSlot] = side === this.input ? Role.InputBase64 : Role.OutputBase64;
    } else if (this.csv(side.dataStart - 1, side) === FAIL) return FAIL;
    side.present = true;
    return r;
  }

  /**
   * A BASE64 payload holding one unquoted, printable ASCII CSV record, under a content type the
   * general path reads as CSV (it names csv, not json): decoded into the side's own buffer and
   * read as csv reads a data string. Anything else (other content types, whitespace or stray
   * padding in the BASE64, quotes, line breaks or non-ASCII bytes in the text) is left to the
   * general path.
   */
  private base64Csv(side: CsvFields): boolean {
    const b = this.b;
    if (side.typeStart < 0) return false;
    if (contains(b, side.typeStart, side.typeEnd, JSON_TEXT)) return false;
    if (!contains(b, side.typeStart, side.typeEnd, CSV_TEXT)) return false;
    const start = side.dataStart;
    const n = side.dataEnd - start;
    if (n % 4 !== 0) return false;
    let pad = 0;
    if (n > 0 && b[start + n - 1] === EQUALS) pad = b[start + n - 2] === EQUALS ? 2 : 1;
    const length = (n / 4) * 3 - pad;
    if (side.scratch.length < length + 1)
      side.scratch = new Uint8Array(Math.max(length + 1, side.scratch.length * 2));
    const out = side.scratch;
    let o = 0;
    for (let i = start; i < start + n; i += 4) {
      const last = i + 4 === start + n;
      const a = SEXTET[b[i]!]!;
      const c = SEXTET[b[i + 1]!]!;
      const d = last && pad === 2 ? 0 : SEXTET[b[i + 2]!]!;
      const e = last && pad >= 1 ? 0 : SEXTET[b[i + 3]!]!;
      if ((a | c | d | e) < 0) return false;
      const word = (a << 18) | (c << 12) | (d << 6) | e;
      out[o++] = word >>> 16;
      if (o < length) out[o++] = (word >>> 8) & 0xff;
      if (o < length) out[o++] = word & 0xff;
    }
    for (let i = 0; i < length; i++) {
      const c = out[i]!;
      if (c < 0x20 || c > 0x7f || c === QUOTE) return false;
    }
    // The closing quote csv stops at.
    out[length] = QUOTE;
    const line = this.b;
    const lineEnd = this.end;
    this.b = out;
    this.end = length + 1;
    const r = this.csv(-1, side);
    this.b = line;
    this.end = lineEnd;
    return r !== FAIL;
  }

  /**
   * The data string at p (its opening quote), read as one unquoted CSV record in the same pass
   * that checks it is a plain string: each field's end, and for a decimal its value (Clinger's
   * fast path, as parseDecimalSpan takes it for the general path's strings: at most 15 digits,
   * leading zeros counted here, so the mantissa and 10^decimals are exact and one division gives
   * the double Number() gives; anything else is Other and decided from the text). Returns the
   * position after the closing quote.
   */
  private csv(p: number, side: CsvFields): number {
    const b = this.b;
    const end = this.end;
    side.bytes = b;
    side.start = p + 1;
    side.tooManyColumns = false;
    const max = side.maxColumns;
    let ends = side.ends;
    let column = 0;
    let i = p + 1;
    for (;;) {
      const fieldStart = i;
      // The digit loops read without bounds checks: a byte past the line (or past the buffer:
      // undefined) is not a digit, and a field that runs past the line fails just below.
      let c = b[i]!;
      let negative = false;
      if (c === 45 || c === 43) {
        negative = c === 45;
        c = b[++i]!;
      }
      const intStart = i;
      let mantissa = 0;
      while (c >= 48 && c <= 57) {
        mantissa = mantissa * 10 + (c - 48);
        c = b[++i]!;
      }
      let digits = i - intStart;
      let point = false;
      let fraction = 0;
      if (c === 46) {
        point = true;
        const fractionStart = ++i;
        c = b[i]!;
        while (c >= 48 && c <= 57) {
          mantissa = mantissa * 10 + (c - 48);
          c = b[++i]!;
        }
        fraction = i - fractionStart;
        digits += fraction;
      }
      if (i >= end) return FAIL;
      let status: FieldStatus;
      let value = 0;
      if (c === COMMA || c === QUOTE) {
        if (i === fieldStart) status = FieldStatus.Empty;
        // At most 15 digits (leading zeros too): the mantissa is exact, 10^fraction too.
        else if (digits === 0 || digits > 15) status = FieldStatus.Other;
        else {
          status = point ? FieldStatus.Fractional : FieldStatus.Integral;
          value = fraction === 0 ? mantissa : mantissa / POW10[fraction]!;
          if (negative) value = -value;
        }
      } else {
        // Not a decimal the fast path decides: find the field's end, checking every byte.
        status = FieldStatus.Other;
        for (;;) {
          if (c === COMMA || c === QUOTE) break;
          if (c === BACKSLASH || c < 0x20 || c > 0x7f) return FAIL;
          i++;
          c = i < end ? b[i]! : -1;
        }
      }
      if (column < max) {
        if (column >= ends.length) {
          const n = Math.min(ends.length * 2, max);
          const bigger = new Int32Array(n);
          bigger.set(ends);
          side.ends = ends = bigger;
          const s = new Uint8Array(n);
          s.set(side.status);
          side.status = s;
          const v = new Float64Array(n);
          v.set(side.values);
          side.values = v;
        }
        ends[column] = i;
        side.status[column] = status;
        side.values[column] = value;
      } else side.tooManyColumns = true;
      column++;
      if (c === QUOTE) {
        side.columns = column;
        return i + 1;
      }
      i++;
    }
  }
}

/** What the fast path made of one CSV field. */
export enum FieldStatus {
  /** A decimal without fraction or exponent; its value is in `values`. */
  Integral = 0,
  /** Any other decimal the fast path parses; its value is in `values`. */
  Fractional = 1,
  /** An empty field: a missing value. */
  Empty = 2,
  /** Anything else (text, an exponent, many digits): decided from the field's text. */
  Other = 3,
}

/**
 * One CSV payload of a capture line read by the scanner: field c is
 * bytes[c === 0 ? start : ends[c - 1] + 1, ends[c]), with its status and value. Reused.
 */
export class CsvFields {
  readonly kind = 'csv-bytes';
  present = false;
  /** The payload is BASE64 (of CSV); its text is decoded into `scratch`. */
  base64 = false;
  /** The data string in the line, and observedContentType's (-1: none). */
  dataStart = -1;
  dataEnd = -1;
  typeStart = -1;
  typeEnd = -1;
  /** Index of the data string among the line's value strings (the full scan's slots). */
  dataSlot = 0;
  scratch = new Uint8Array(1024);
  bytes: Uint8Array = new Uint8Array(0);
  start = 0;
  columns = 0;
  /** More columns than maxColumns: only the first maxColumns are kept. */
  tooManyColumns = false;
  ends = new Int32Array(64);
  status = new Uint8Array(64);
  values = new Float64Array(64);

  constructor(readonly maxColumns: number) {}
}

/** Most value strings a line may have for its shape to be kept as a template. */
const MAX_SLOTS = 32;
/** Most line shapes kept. */
const MAX_TEMPLATES = 4;

/**
 * The shape of a line the full scan accepted: its bytes with the contents of its value strings
 * taken out (keys, punctuation, whitespace and the encoding stay), where each was cut out, and
 * what each string is. A line of the same shape has the same structure, so only its strings
 * need reading: consecutive lines of a capture file almost always have the same shape.
 */
interface Template {
  bytes: Uint8Array;
  /** `bytes`, read four at a time. */
  words: DataView;
  /** Where, in `bytes`, each string's contents were taken out. */
  cuts: Int32Array;
  roles: Uint8Array;
}

/** What a value string of a line is to the monitor. */
enum Role {
  Free = 0,
  /** endpointInput.data, CSV. */
  Input = 1,
  Output = 2,
  EventId = 3,
  InferenceId = 4,
  Time = 5,
  /** endpointInput.data, BASE64 of CSV. */
  InputBase64 = 6,
  OutputBase64 = 7,
  /** endpointInput.observedContentType. */
  InputType = 8,
  OutputType = 9,
}

/** What object a member is in: which keys are read, and how. */
enum Ctx {
  Top = 0,
  CaptureData = 1,
  Payload = 2,
  Metadata = 3,
  Skip = 4,
}

/** Decodes ASCII as itself (the WHATWG "latin1" is windows-1252, which differs only above 0x7F). */
const ascii = new TextDecoder('latin1');

/** bytes[start, end), all ASCII, as a string. */
export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  // Short values (categories, scores) are built a character at a time: half the cost of a
  // decoder call for them.
  if (end - start > 16) return ascii.decode(bytes.subarray(start, end));
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i]!);
  return text;
}

/** Milliseconds of the hour `YYYY-MM-DDTHH` last asked for, keyed by its digits. */
let hourKey = -1;
let hourMs = Number.NaN;

const digit = (b: Uint8Array, i: number) => b[i]! - 48;

/**
 * parseInferenceTime of the ASCII time in bytes[start, end), without a string in the common case
 * (`YYYY-MM-DDTHH:MM:SSZ`, optionally with `.s` to `.sss`): the hour is parsed by parseIsoTime
 * once and cached, minutes, seconds and milliseconds are added. Anything else is parseIsoTime's.
 */
export function inferenceTimeMs(bytes: Uint8Array, start: number, end: number): number {
  const n = end - start;
  if (n === 20 || (n >= 22 && n <= 24)) {
    const b = bytes;
    const s = start;
    let ok =
      b[s + 4] === 0x2d &&
      b[s + 7] === 0x2d &&
      b[s + 10] === 0x54 &&
      b[s + 13] === 0x3a &&
      b[s + 16] === 0x3a &&
      b[end - 1] === 0x5a &&
      (n === 20 || b[s + 19] === 0x2e);
    if (ok) {
      for (const i of DIGITS) {
        const d = b[s + i]! - 48;
        if (d < 0 || d > 9) ok = false;
      }
      for (let i = s + 20; i < end - 1; i++) {
        const d = b[i]! - 48;
        if (d < 0 || d > 9) ok = false;
      }
    }
    if (ok) {
      const hour = digit(b, s + 11) * 10 + digit(b, s + 12);
      const minute = digit(b, s + 14) * 10 + digit(b, s + 15);
      const second = digit(b, s + 17) * 10 + digit(b, s + 18);
      if (hour <= 23 && minute <= 59 && second <= 59) {
        let k = 0;
        for (const i of HOUR_DIGITS) k = k * 10 + digit(b, s + i);
        if (k !== hourKey) {
          hourKey = k;
          hourMs = parseIsoTime(`${asciiText(b, s, s + 13)}:00:00Z`);
        }
        let ms = 0;
        let scale = 100;
        for (let i = s + 20; i < end - 1; i++) {
          ms += digit(b, i) * scale;
          scale /= 10;
        }
        return hourMs + minute * 60_000 + second * 1000 + ms;
      }
    }
  }
  return parseIsoTime(asciiText(bytes, start, end));
}

const HOUR_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12];
const DIGITS = [...HOUR_DIGITS, 14, 15, 17, 18];

const EQUALS = 0x3d;

/** Value of each BASE64 character (RFC 4648 alphabet), -1 for any other byte. */
const SEXTET = (() => {
  const t = new Int8Array(256).fill(-1);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  for (let i = 0; i < 64; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
})();

/** Whether the ASCII text bytes[start, end), in lower case, contains `needle` (lower case). */
function contains(bytes: Uint8Array, start: number, end: number, needle: Uint8Array): boolean {
  outer: for (let i = start; i + needle.length <= end; i++) {
    for (let j = 0; j < needle.length; j++) {
      let c = bytes[i + j]!;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      if (c !== needle[j]) continue outer;
    }
    return true;
  }
  return false;
}
