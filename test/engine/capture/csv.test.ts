/**
 * The CSV scanner reads a quote as RFC 4180's lenient readers do: only a quote that starts a
 * field opens a quoted field; one inside an unquoted field (`15" laptop`) is text, so the records
 * after it stay records (the training reader and capture payloads both split on hasOpenQuote).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { csvRecords, hasOpenQuote, splitCsvRecord } from '../../../functions/engine/capture/csv.ts';

const split = (text: string) => {
  const out: string[] = [];
  return out.slice(0, splitCsvRecord(text, out));
};

describe('hasOpenQuote', () => {
  it('is false for a quote inside an unquoted field, or after a closed quoted field', () => {
    for (const text of ['15" laptop,3', 'a,15" laptop', 'a,b"', '"a"b",c', '"a""b",c', '"x",y"', 'a,"b"'])
      expect(hasOpenQuote(text), text).toBe(false);
  });

  it('is true for a field that starts with a quote and does not close it', () => {
    for (const text of ['"a', 'x,"a', 'x,"a""', '15" laptop,"open', '"a""b'])
      expect(hasOpenQuote(text), text).toBe(true);
  });

  it('is false for any record of well-formed fields, which split back to their values', () => {
    // A field is either unquoted (any text, quotes included, but not starting with one and
    // without commas or line breaks) or quoted (anything, its quotes doubled).
    const unquoted = fc.stringMatching(/^[a-z0-9 "]{0,6}$/).filter((s) => !s.startsWith('"'));
    const quoted = fc.stringMatching(/^[a-z0-9 ",\n]{0,6}$/);
    const field = fc.oneof(
      unquoted.map((value) => ({ value, text: value })),
      quoted.map((value) => ({ value, text: `"${value.replace(/"/g, '""')}"` })),
    );
    fc.assert(
      fc.property(fc.array(field, { minLength: 1, maxLength: 5 }), (fields) => {
        const record = fields.map((f) => f.text).join(',');
        expect(hasOpenQuote(record), record).toBe(false);
        expect(split(record), record).toEqual(fields.map((f) => f.value));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('csvRecords and splitCsvRecord', () => {
  it('keep the records after a literal quote as records', () => {
    const body = 'Laptop 15" screen,999\nMouse,25\n"Desk, oak",300\n';
    expect(csvRecords(body)).toEqual(['Laptop 15" screen,999', 'Mouse,25', '"Desk, oak",300']);
    expect(split('Laptop 15" screen,999')).toEqual(['Laptop 15" screen', '999']);
    expect(split('"Desk, oak",300')).toEqual(['Desk, oak', '300']);
  });

  it('still joins a quoted field that spans lines', () => {
    expect(csvRecords('"two\nlines",1\nnext,2')).toEqual(['"two\nlines",1', 'next,2']);
  });
});
