/**
 * Splits a stream of bytes into text lines without holding more than one line (plus one
 * chunk) in memory. Handles a UTF-8 byte order mark, CRLF, blank lines, a missing final
 * newline, invalid UTF-8 and lines longer than a limit, reporting each instead of throwing.
 */

/** What the splitter hands out for each non-blank line. */
export type LineEvent =
  | { kind: 'line'; text: string }
  | { kind: 'invalid_utf8' }
  | { kind: 'line_too_long'; bytes: number };

/** Default longest line: SageMaker's 6 MB payload limit, base64-encoded, both sides, with room. */
export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;

const LF = 10;
const CR = 13;
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Feed chunks with `push`, then call `end`; both call `onLine` for each line in order.
 * One instance per file: the BOM is only stripped at the start.
 */
export class LineSplitter {
  /** Pieces of a line that spans chunks, joined once at its newline (linear in line length). */
  private carry: Uint8Array[] = [];
  private carried = 0;
  /** True until the first line is emitted: a BOM is stripped from it, however chunks were cut. */
  private first = true;
  /** Bytes of an over-long line being skipped, or -1 when not skipping. */
  private skipping = -1;

  constructor(
    private readonly onLine: (event: LineEvent) => void,
    private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES,
    /** Called by `end`, after the last line: the whole file was read. */
    private readonly onEnd?: () => void,
    /**
     * Offered each line's bytes first (BOM and CR removed, length checked); when it returns
     * true the line is taken and `onLine` is not called. Lets a reader skip the text decoding.
     */
    private readonly onBytes?: (bytes: Uint8Array, start: number, end: number) => boolean,
  ) {}

  push(chunk: Uint8Array): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(LF, start);
      if (nl === -1) break;
      if (this.skipping >= 0) {
        this.onLine({ kind: 'line_too_long', bytes: this.skipping + (nl - start) });
        this.skipping = -1;
      } else if (this.carried > 0) {
        this.carry.push(chunk.subarray(start, nl));
        const whole = this.joinCarry();
        this.emit(whole, 0, whole.length);
      } else {
        this.emit(chunk, start, nl);
      }
      start = nl + 1;
    }
    if (start >= chunk.length) return;
    const rest = chunk.subarray(start);
    if (this.skipping >= 0) {
      this.skipping += rest.length;
      return;
    }
    // +1: a trailing CR is not part of the line, and emit() checks the limit again without it.
    if (this.carried + rest.length > this.maxLineBytes + 1) {
      this.skipping = this.carried + rest.length;
      this.carry = [];
      this.carried = 0;
      return;
    }
    // Copy: the caller may reuse the chunk's memory (and Buffer#slice would not copy).
    this.carry.push(new Uint8Array(rest));
    this.carried += rest.length;
  }

  /** Flushes a last line that has no final newline. */
  end(): void {
    if (this.skipping >= 0) {
      this.onLine({ kind: 'line_too_long', bytes: this.skipping });
      this.skipping = -1;
    } else if (this.carried > 0) {
      const last = this.joinCarry();
      this.emit(last, 0, last.length);
    }
    this.onEnd?.();
  }

  private joinCarry(): Uint8Array {
    let total = 0;
    for (const part of this.carry) total += part.length;
    const whole = new Uint8Array(total);
    let at = 0;
    for (const part of this.carry) {
      whole.set(part, at);
      at += part.length;
    }
    this.carry = [];
    this.carried = 0;
    return whole;
  }

  private emit(bytes: Uint8Array, start: number, end: number): void {
    if (this.first) {
      this.first = false;
      if (end - start >= 3 && bytes[start] === 0xef && bytes[start + 1] === 0xbb && bytes[start + 2] === 0xbf)
        start += 3;
    }
    if (end > start && bytes[end - 1] === CR) end--;
    if (end - start > this.maxLineBytes) {
      this.onLine({ kind: 'line_too_long', bytes: end - start });
      return;
    }
    if (this.onBytes?.(bytes, start, end)) return;
    // Blank (or whitespace-only) lines are separators, not records.
    let blank = true;
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      if (b !== 32 && b !== 9 && b !== CR) {
        blank = false;
        break;
      }
    }
    if (blank) return;
    const view = bytes.subarray(start, end);
    const text = lenientDecoder.decode(view);
    // U+FFFD may be real text; only then pay for the strict decoder to tell.
    if (text.indexOf('\ufffd') !== -1) {
      try {
        strictDecoder.decode(view);
      } catch {
        this.onLine({ kind: 'invalid_utf8' });
        return;
      }
    }
    this.onLine({ kind: 'line', text });
  }
}
