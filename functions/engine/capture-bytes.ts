/**
 * The fast path for a capture line: reads the fields the monitor needs straight from the line's
 * bytes, without decoding the line to a string or building its JSON objects (JSON.parse was
 * most of the cost of a window). It accepts a strict subset of what parseCaptureLine accepts,
 * the shape SageMaker writes: objects whose values are strings or objects, strings of printable
 * ASCII without escapes, CSV payloads, each known key at most once. On anything else it answers
 * false and the caller takes the general path (parseCaptureLine), which defines the semantics;
 * on what it accepts it finds exactly what that path would (a differential test holds it to it).
 */

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

/** Result of a failed step: the line is left to the general path. */
const FAIL = -1;

/**
 * Scans capture lines; one instance is reused for every line, and the spans it finds are
 * fields (offsets into the line's bytes, -1 when absent), valid until the next scan.
 */
export class CaptureLineScanner {
  /** endpointInput.data, a CSV payload. */
  inStart = -1;
  inEnd = -1;
  /** endpointOutput.data, a CSV payload. */
  outStart = -1;
  outEnd = -1;
  eventIdStart = -1;
  eventIdEnd = -1;
  inferenceIdStart = -1;
  inferenceIdEnd = -1;
  timeStart = -1;
  timeEnd = -1;

  private b: Uint8Array = new Uint8Array(0);
  private end = 0;
  /** The last string read: [strStart, strEnd). */
  private strStart = 0;
  private strEnd = 0;

  /** True when bytes[start, end) is a capture line the fast path reads; the spans are then set. */
  scan(bytes: Uint8Array, start: number, end: number): boolean {
    this.b = bytes;
    this.end = end;
    this.inStart = this.inEnd = this.outStart = this.outEnd = -1;
    this.eventIdStart = this.eventIdEnd = this.inferenceIdStart = this.inferenceIdEnd = -1;
    this.timeStart = this.timeEnd = -1;
    let p = this.object(this.ws(start), Ctx.Top, 0);
    // No captureData is the general path's `missing_capture_data`.
    if (p === FAIL || (this.seen & 1) === 0) return false;
    p = this.ws(p);
    // Only whitespace may follow the object; no captured side at all is the general path's no_payload.
    return p === end && (this.inStart >= 0 || this.outStart >= 0);
  }

  /** The join key of the last line scanned (inferenceId, else eventId), as the general path gives it. */
  joinKey(): string | undefined {
    if (this.inferenceIdStart >= 0) return asciiText(this.b, this.inferenceIdStart, this.inferenceIdEnd);
    if (this.eventIdStart >= 0) return asciiText(this.b, this.eventIdStart, this.eventIdEnd);
    return undefined;
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
    const s = p + 1;
    for (let i = s; i < end; i++) {
      const c = b[i]!;
      if (c === QUOTE) {
        this.strStart = s;
        this.strEnd = i;
        return i + 1;
      }
      if (c === BACKSLASH || c < 0x20 || c > 0x7f) return FAIL;
    }
    return FAIL;
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
          const r = this.payload(p, depth);
          this.inStart = this.dataStart;
          this.inEnd = this.dataEnd;
          this.bit = 1;
          return r;
        }
        if (this.keyIs(ENDPOINT_OUTPUT)) {
          const r = this.payload(p, depth);
          this.outStart = this.dataStart;
          this.outEnd = this.dataEnd;
          this.bit = 2;
          return r;
        }
        break;
      case Ctx.Payload:
        if (this.keyIs(DATA)) {
          const r = this.str(p);
          this.dataStart = this.strStart;
          this.dataEnd = this.strEnd;
          this.bit = 1;
          return r;
        }
        if (this.keyIs(ENCODING)) {
          const r = this.str(p);
          this.bit = 2;
          return r !== FAIL && this.keyIs(CSV) ? r : FAIL;
        }
        break;
      case Ctx.Metadata: {
        let bit = 0;
        if (this.keyIs(EVENT_ID)) bit = 1;
        else if (this.keyIs(INFERENCE_ID)) bit = 2;
        else if (this.keyIs(INFERENCE_TIME)) bit = 4;
        else break;
        const r = this.str(p);
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
    if (p < this.end && this.b[p] === QUOTE) return this.str(p);
    if (depth >= MAX_DEPTH) return FAIL;
    const r = this.object(p, Ctx.Skip, depth + 1);
    this.bit = 0;
    return r;
  }

  private dataStart = -1;
  private dataEnd = -1;

  /** One side: a CSV payload with data and encoding (anything else goes the general way). */
  private payload(p: number, depth: number): number {
    const r = this.object(p, Ctx.Payload, depth + 1);
    return r !== FAIL && this.seen === 3 ? r : FAIL;
  }
}

/** What object a member is in: which keys are read, and how. */
enum Ctx {
  Top = 0,
  CaptureData = 1,
  Payload = 2,
  Metadata = 3,
  Skip = 4,
}

/** bytes[start, end), all ASCII, as a string. */
export function asciiText(bytes: Uint8Array, start: number, end: number): string {
  const buf = bytes instanceof Buffer ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return buf.toString('latin1', start, end);
}

/** Milliseconds of the hour `YYYY-MM-DDTHH` last asked for, keyed by its digits. */
let hourKey = -1;
let hourMs = Number.NaN;

const digit = (b: Uint8Array, i: number) => b[i]! - 48;

/**
 * Date.parse of the ASCII time in bytes[start, end), without a string in the common case
 * (`YYYY-MM-DDTHH:MM:SSZ`, optionally with `.s` to `.sss`): the hour is parsed by Date.parse
 * once and cached, minutes, seconds and milliseconds are added. Anything else is Date.parse's.
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
          hourMs = Date.parse(`${asciiText(b, s, s + 13)}:00:00Z`);
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
  return Date.parse(asciiText(bytes, start, end));
}

const HOUR_DIGITS = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12];
const DIGITS = [...HOUR_DIGITS, 14, 15, 17, 18];
