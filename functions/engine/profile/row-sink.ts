/**
 * What a profiled row hands to whoever else needs its values (model quality joins predictions
 * to labels): a few named columns per row, read where the row is parsed, with no object made
 * for the row. The profiler fills one reused array; the sink copies what it keeps.
 */
import { asciiText } from '../capture/capture-bytes.ts';
import type { FeatureRole } from '../capture/capture-record.ts';
import { decimalValue } from '../capture/value-parse.ts';

/**
 * A value read in place: the printable-ASCII bytes[start, end) of a capture line the fast path
 * reads, with no string made for it. Valid only during the call it is passed to (the profiler
 * reuses it); `text()` makes the string when one is needed.
 */
export class ByteSpan {
  bytes: Uint8Array = new Uint8Array(0);
  start = 0;
  end = 0;

  set(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    return this;
  }

  text(): string {
    return asciiText(this.bytes, this.start, this.end);
  }
}

/** One column a sink wants from every row. */
export interface RowTap {
  name: string;
  role: FeatureRole;
  /**
   * The column's text even when it parses as a number (a category compared as text, where
   * `01` is not `1`), as a string or, on the fast path, a {@link ByteSpan}. Otherwise a CSV
   * decimal comes as its number, anything else as its text (a string).
   */
  text: boolean;
}

/** Receives the profiled rows of a window. */
export interface RowSink {
  /** The columns each row carries to {@link row}, in this order. */
  readonly taps: readonly RowTap[];
  /**
   * The capture object whose rows come next: its position in the window's object list, so rows
   * of any split of the window can be put back in (object, line) order.
   */
  beginObject(ordinal: number): void;
  /**
   * One profiled row. `values[i]` is the row's value of `taps[i]` (`undefined` when the row
   * has no such column; JSON values as parsed); `firstOutput` the row's first output value;
   * `key` its join key (inferenceId, else eventId), a ByteSpan on the fast path. `values` and
   * the spans are reused for the next row.
   */
  row(key: string | ByteSpan | undefined, values: readonly unknown[], firstOutput: unknown): void;
}

/**
 * Several sinks fed by one profiler (model quality's predictions and the multivariate score):
 * each column is tapped once, and each sink receives its own taps' values in its own order. A
 * column two sinks want, one as text and one as a number, is tapped as text; the sink that
 * wanted a number gets it parsed as the profiler would have given it.
 */
export class RowSinks implements RowSink {
  readonly taps: readonly RowTap[];
  /** Per sink: where each of its taps sits in {@link taps}. */
  private readonly at: number[][];
  /** Per sink: its taps that want a number but are tapped as text. */
  private readonly asNumber: boolean[][];
  private readonly values: unknown[][];

  constructor(private readonly sinks: readonly RowSink[]) {
    const taps: RowTap[] = [];
    const index = new Map<string, number>();
    this.at = sinks.map((s) =>
      s.taps.map((t) => {
        const key = `${t.role}\u0000${t.name}`;
        let i = index.get(key);
        if (i === undefined) {
          i = taps.push({ ...t }) - 1;
          index.set(key, i);
        } else if (t.text) taps[i]!.text = true;
        return i;
      }),
    );
    this.asNumber = sinks.map((s, k) => s.taps.map((t, j) => !t.text && taps[this.at[k]![j]!]!.text));
    this.taps = taps;
    this.values = sinks.map((s) => new Array<unknown>(s.taps.length));
  }

  beginObject(ordinal: number): void {
    for (const s of this.sinks) s.beginObject(ordinal);
  }

  row(key: string | ByteSpan | undefined, values: readonly unknown[], firstOutput: unknown): void {
    for (let k = 0; k < this.sinks.length; k++) {
      const at = this.at[k]!;
      const own = this.values[k]!;
      const asNumber = this.asNumber[k]!;
      for (let j = 0; j < at.length; j++) {
        const v = values[at[j]!];
        own[j] = asNumber[j] ? numberOrText(v) : v;
      }
      this.sinks[k]!.row(key, own, firstOutput);
    }
  }
}

/** A text-tapped value as a number tap gives it: its number when decimal, else its text. */
function numberOrText(v: unknown): unknown {
  const text = v instanceof ByteSpan ? v.text() : v;
  if (typeof text !== 'string' || text === '') return text;
  const x = decimalValue(text);
  return Number.isNaN(x) ? text : x;
}
