/**
 * What a profiled row hands to whoever else needs its values (model quality joins predictions
 * to labels): a few named columns per row, read where the row is parsed, with no object made
 * for the row. The profiler fills one reused array; the sink copies what it keeps.
 */
import { asciiText } from '../capture/capture-bytes.ts';
import type { FeatureRole } from '../capture/capture-record.ts';

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
