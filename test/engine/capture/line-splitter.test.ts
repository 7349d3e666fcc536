import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type LineEvent, LineSplitter } from '../../../functions/engine/capture/line-splitter.ts';
import { chunksAt } from '../../support/capture-lines.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

function split(chunks: Iterable<Uint8Array>, maxLineBytes?: number): LineEvent[] {
  const events: LineEvent[] = [];
  const splitter = new LineSplitter((e) => events.push(e), maxLineBytes);
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return events;
}

const lines = (...texts: string[]): LineEvent[] => texts.map((text) => ({ kind: 'line', text }));

describe('LineSplitter', () => {
  it('splits LF lines and skips blank and whitespace-only lines', () => {
    const events = split([utf8('a\n\nb\n  \t \nc\n')]);

    expect(events).toEqual(lines('a', 'b', 'c'));
  });

  it('drops the CR of CRLF line ends, and treats a lone CR line as blank', () => {
    const events = split([utf8('a\r\nb\r\n\r\nc\r\n')]);

    expect(events).toEqual(lines('a', 'b', 'c'));
  });

  it('copies what it carries over: the memory of a chunk may be refilled as soon as push returns', () => {
    // A store that reads every chunk into the same Buffer (as LocalStore does) overwrites the
    // bytes of a line cut at a chunk's end before the rest of the line arrives. Buffer#slice is
    // a view, not a copy: carrying with it once corrupted such lines.
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ minLength: 1, maxLength: 30 }).filter((t) => t.trim() !== '' && !/[\n\r]/.test(t)),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }),
        (texts, cutAt) => {
          const bytes = utf8(`${texts.join('\n')}\n`);
          const shared = Buffer.alloc(bytes.length);
          const events: LineEvent[] = [];
          const splitter = new LineSplitter((e) => events.push(e));
          for (const piece of chunksAt(
            bytes,
            cutAt.map((f) => Math.floor(f * bytes.length)),
          )) {
            shared.set(piece);
            splitter.push(shared.subarray(0, piece.length));
            shared.fill(0x23); // the next read lands here
          }
          splitter.end();
          expect(events).toEqual(lines(...texts.map((t) => t.replace(/^\uFEFF/, ''))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('flushes a last line that has no final newline on end()', () => {
    const events: LineEvent[] = [];
    const splitter = new LineSplitter((e) => events.push(e));

    splitter.push(utf8('a\nlast'));
    expect(events).toEqual(lines('a'));
    splitter.end();

    expect(events).toEqual(lines('a', 'last'));
  });

  it('strips a UTF-8 byte order mark at the start of the file only', () => {
    const events = split([utf8('\ufeffa\n\ufeffb\n')]);

    expect(events).toEqual(lines('a', '\ufeffb'));
  });

  it('hands out nothing for an empty file or a file of blank lines', () => {
    expect(split([])).toEqual([]);
    expect(split([new Uint8Array(0)])).toEqual([]);
    expect(split([utf8('\n\r\n \n')])).toEqual([]);
  });

  // Regression: the BOM was only stripped when the first chunk held all three of its bytes.
  it('strips a BOM split across the first chunks', () => {
    const bytes = utf8('\ufeffa\nb\n');

    const events = split(chunksAt(bytes, [1, 2]));

    expect(events).toEqual(lines('a', 'b'));
  });

  it('rejects invalid UTF-8 as invalid_utf8 and goes on with the next line', () => {
    const bad = new Uint8Array([0x61, 0xff, 0x62, 0x0a, 0xc3, 0x28, 0x0a, 0xed, 0xa0, 0x80, 0x0a]);
    const events = split([bad, utf8('ok\n')]);

    expect(events).toEqual([
      { kind: 'invalid_utf8' },
      { kind: 'invalid_utf8' },
      { kind: 'invalid_utf8' },
      ...lines('ok'),
    ]);
  });

  it('keeps a real U+FFFD replacement character as text', () => {
    expect(split([utf8('x\ufffdy\n')])).toEqual(lines('x\ufffdy'));
  });

  it('reassembles multi-byte characters split across chunks at every byte', () => {
    const text = 'é€😀ü';
    const bytes = utf8(`${text}\n${text}`);

    for (let cut = 1; cut < bytes.length; cut++) {
      expect(split(chunksAt(bytes, [cut])), `cut at ${cut}`).toEqual(lines(text, text));
    }
    expect(split(chunksAt(bytes, Array.from(bytes.keys())))).toEqual(lines(text, text));
  });

  it('rejects a line over the limit as line_too_long with its length, in one chunk or many', () => {
    const bytes = utf8('12345\n123456\nabc\n1234567890');

    expect(split([bytes], 5)).toEqual([
      ...lines('12345'),
      { kind: 'line_too_long', bytes: 6 },
      ...lines('abc'),
      { kind: 'line_too_long', bytes: 10 },
    ]);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(split(chunksAt(bytes, [cut]), 5), `cut at ${cut}`).toEqual(split([bytes], 5));
    }
    expect(split(chunksAt(bytes, Array.from(bytes.keys())), 5)).toEqual(split([bytes], 5));
  });

  it('does not buffer an over-long line: 64 MB of one line through a 1 MB limit', () => {
    const chunk = new Uint8Array(1 << 20).fill(0x61);
    const events: LineEvent[] = [];
    const splitter = new LineSplitter((e) => events.push(e), 1 << 20);
    const before = process.memoryUsage().arrayBuffers;

    let peak = 0;
    for (let i = 0; i < 64; i++) {
      splitter.push(chunk);
      peak = Math.max(peak, process.memoryUsage().arrayBuffers - before);
    }
    splitter.push(utf8('\nnext\n'));
    splitter.end();

    expect(events).toEqual([{ kind: 'line_too_long', bytes: 64 << 20 }, ...lines('next')]);
    expect(peak).toBeLessThan(8 << 20);
  });

  // Regression: the carried prefix of a long line was copied again for every chunk: O(L^2 / c),
  // about 3 s for a 20 MB line in 16 KB chunks.
  it('reads a 6 MB line streamed in 16 KB chunks in linear time', () => {
    const bytes = new Uint8Array(6 << 20).fill(0x61);
    bytes[bytes.length - 1] = 10;
    const chunk = 16 << 10;
    const chunks = Array.from({ length: bytes.length / chunk }, (_, i) =>
      bytes.subarray(i * chunk, (i + 1) * chunk),
    );
    const time = (parts: Uint8Array[]) => {
      const t0 = performance.now();
      const events = split(parts);
      expect(events).toHaveLength(1);
      return performance.now() - t0;
    };

    // The best of three of each, so a busy machine (CI running other test files) does not decide;
    // a quadratic carry copies about 1.1 GB here and takes seconds, far past the bound.
    const best = (parts: Uint8Array[]) => Math.min(time(parts), time(parts), time(parts));
    const whole = best([bytes]);
    const chunked = best(chunks);

    expect(chunked).toBeLessThan(4 * whole + 250);
  });

  // Regression: a CRLF line of exactly the limit was accepted in one chunk but rejected when
  // carried across chunks (the CR counted against the limit).
  it('applies the line limit to a CRLF line the same way wherever the chunks are cut', () => {
    const bytes = utf8('abcde\r\nxy\n');

    const whole = split([bytes], 5);
    const cut = split(chunksAt(bytes, [6]), 5);

    expect(whole).toEqual(lines('abcde', 'xy'));
    expect(cut).toEqual(whole);
  });

  it('gives the same events however the bytes are chunked (property)', () => {
    const lineText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 30 }),
      fc.constantFrom('', ' ', '\t', '\r', 'é€😀', '{"a":1}'),
    );
    fc.assert(
      fc.property(
        fc.array(lineText, { maxLength: 20 }),
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 30 }),
        fc.array(fc.uint8Array({ maxLength: 4 }), { maxLength: 3 }),
        (texts, eol, finalEol, cuts, junk) => {
          // A fixed first line keeps a BOM out of the first bytes (see the BOM test above).
          const text = ['first', ...texts].join(eol) + (finalEol ? eol : '');
          const bytes = Buffer.concat([utf8(text), ...junk.map((j) => Buffer.from([10, ...j]))]);

          const whole = split([bytes]);
          const chunked = split(
            chunksAt(
              bytes,
              cuts.map((c) => c % (bytes.length + 1)),
            ),
          );
          const byteByByte = split(chunksAt(bytes, Array.from(bytes.keys())));

          expect(chunked).toEqual(whole);
          expect(byteByByte).toEqual(whole);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gives the same events however the bytes are chunked, near a small line limit (LF lines)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 12 }), { maxLength: 15 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer({ min: 1, max: 10 }),
        (texts, cuts, limit) => {
          const bytes = utf8(texts.join('\n'));

          const whole = split([bytes], limit);
          const chunked = split(
            chunksAt(
              bytes,
              cuts.map((c) => c % (bytes.length + 1)),
            ),
            limit,
          );

          expect(chunked).toEqual(whole);
          for (const e of whole) {
            if (e.kind === 'line') expect(utf8(e.text).length).toBeLessThanOrEqual(limit);
            if (e.kind === 'line_too_long') expect(e.bytes).toBeGreaterThan(limit);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
